"""The message catalogs of every language, loaded once per language, for use with or without Flask.

Flask-Babel reads the same files for the web pages, so a string is translated once for all of
them: pages, the printed report, the text output and exports.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=8)
def translations(lang: str) -> Translations:
    """The message catalog for `lang` (the msgids are English: English needs none)."""
    loaded = Translations.load(str(TRANSLATIONS_DIR), [lang])
    return loaded if isinstance(loaded, Translations) else Translations()
