"""The German catalog is complete and the compiled .mo matches the .po."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from babel.support import Translations

from tests.conftest import ROOT

TRANSLATIONS = ROOT / "assess" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)\w")


def test_every_ui_string_has_a_german_translation_with_the_same_placeholders() -> None:
    with open(TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    compiled = Translations.load(str(TRANSLATIONS), ["de"])
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        msgstr = message.string if isinstance(message.string, str) else message.string[0]
        if not msgstr or message.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
        elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(msgstr)):
            problems.append(f"placeholders differ: {msgid!r}")
        elif compiled.gettext(msgid) != msgstr:
            problems.append(f"messages.mo is stale for {msgid!r}: run bash scripts/i18n")
    assert problems == []
