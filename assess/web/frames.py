"""Page frames: a template rendered once with placeholders, then filled per request.

A questionnaire page is the same for every respondent except a few values
(answers, comments, tokens). Rendering it through Jinja and WTForms on every
request cost ~3 ms; filling a cached frame costs a few hundred microseconds.
The template is written once and serves both ways: every per-respondent value
is read from `v[name]`. Rendered normally, `v` holds the real values; rendered
as a frame, `v` hands out placeholders that `Frame.fill` replaces later.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from markupsafe import Markup


class Placeholders(dict[str, Markup]):
    """A mapping that invents a placeholder for every name the template asks for.

    Placeholders are letters and digits only (unchanged by HTML escaping and URL
    quoting) and carry a random marker drawn per frame, so no text on the page (a
    question that happens to read "QQslot999QQ") can be mistaken for one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.marker = secrets.token_hex(8)

    def __missing__(self, name: str) -> Markup:
        value = self[name] = Markup(f"QQslot{self.marker}n{len(self)}QQ")
        return value

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"QQslot{self.marker}n(\d+)QQ")


@dataclass(frozen=True, slots=True)
class Frame:
    literals: tuple[str, ...]  # n + 1 literal pieces around n slots
    slots: tuple[str, ...]

    @classmethod
    def build(cls, render: Callable[[Placeholders], str]) -> Frame:
        """Render with placeholders and cut the output at them."""
        placeholders = Placeholders()
        pieces = placeholders.pattern().split(render(placeholders))
        names = {int(value.rsplit("n", 1)[1][:-2]): name for name, value in placeholders.items()}
        return cls(tuple(pieces[0::2]), tuple(names[int(i)] for i in pieces[1::2]))

    def fill(self, values: Mapping[str, str]) -> str:
        """The page with every slot replaced by its (already escaped) value."""
        out = [self.literals[0]]
        for name, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(values[name])
            out.append(literal)
        return "".join(out)


class FrameCache:
    """Frames by key (the questionnaire's full reference, page, language), built on first use."""

    def __init__(self) -> None:
        self._frames: dict[Hashable, Frame] = {}

    def get(self, key: Hashable, render: Callable[[Placeholders], str]) -> Frame:
        frame = self._frames.get(key)
        if frame is None:
            frame = self._frames[key] = Frame.build(render)
        return frame
