"""The Jinja environment of the printed report: templates in `reports/`, the UI's message catalogs.

Works without Flask (the `assess report` command), with the same catalogs the
web UI uses through Flask-Babel, so a string is translated once for both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from assess.domain.levels import LEVELS, level_to_score
from assess.reporting.catalogs import translations
from assess.reporting.labels import level_name, role_label
from assess.reporting.numbers import number, percent
from assess.resources import shipped

REPORTS_DIR = shipped("assess.reports")


def long_date(iso: str, lang: str) -> str:
    """An ISO date the way a letter writes it (23. November 2026 / 23 November 2026)."""
    return format_date(dt.date.fromisoformat(iso), format="long", locale="en_GB" if lang == "en" else lang)


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string that is safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?-–·/()" else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{escaped}"')


def page_counter(lang: str) -> Markup:
    """The CSS `content` of "Page X of Y" in `lang`, from the translated message."""
    message = translations(lang).gettext("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", message):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def lookup(key: str, mapping: Mapping[str, Any]) -> Any:
    """`mapping[key]`, or the key itself when it is missing (for `map("lookup", titles)`)."""
    return mapping.get(key, key)


def language_name(lang: str) -> str:
    """A language's own name (Deutsch, English)."""
    return (Locale.parse(lang).get_display_name(lang) or lang).capitalize()


@lru_cache(maxsize=8)
def report_environment(lang: str) -> jinja2.Environment:
    """The autoescaping environment over `reports/`, translated into `lang`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPORTS_DIR),
        autoescape=True,  # every respondent text is escaped
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = lambda value, digits=1: number(value, lang, digits)
    env.filters["pct"] = percent
    env.filters["longdate"] = lambda iso: long_date(iso, lang)
    env.filters["css_string"] = css_string
    env.filters["lookup"] = lookup
    env.filters["prefix"] = lambda text, prefix: Markup("{} {}").format(prefix, text)
    env.globals["page_counter"] = page_counter(lang)
    env.globals["language_name"] = language_name
    env.globals["role_label"] = lambda role: role_label(role, lang)
    env.globals["level_names"] = {level: level_name(level, lang) for level in LEVELS}
    env.globals["levels"] = LEVELS
    env.globals["level_to_score"] = level_to_score
    return env
