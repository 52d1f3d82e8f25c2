"""Numbers as each language writes them: one place for the pages, the report, the text output and the result JSON.

Rounding is Python's (the figures match what the engine computed); the decimal mark is the
language's, from Babel's locale data.
"""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import get_decimal_symbol

NO_VALUE = "–"


@lru_cache(maxsize=16)
def _decimal_mark(lang: str) -> str:
    return get_decimal_symbol(lang)


def number(value: float | None, lang: str, digits: int = 1, *, none: str = NO_VALUE) -> str:
    """`value` with `digits` decimals and the language's decimal mark; `none` for no value."""
    if value is None:
        return none
    return f"{value:.{digits}f}".replace(".", _decimal_mark(lang))


def percent(value: float | None) -> str:
    """A share 0..1 as a whole percentage ("30 %")."""
    return NO_VALUE if value is None else f"{value * 100:.0f} %"


def signed(value: float | None, lang: str, digits: int = 1, *, none: str = NO_VALUE) -> str:
    """A change with its sign ("+19,1", "−2,0", "±0,0") and the language's decimal mark."""
    if value is None:
        return none
    text = number(abs(value), lang, digits)
    if round(value, digits) == 0:
        return "±" + text
    return ("+" if value > 0 else "−") + text
