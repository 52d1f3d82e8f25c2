"""How long a questionnaire takes: computed from the text a respondent reads, not written by hand.

Each question is read in full (its text, its help and the five level descriptions, or the "don't know" and
"not applicable" choices), then decided; each page's dimension title and description is read once.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from assess.domain.questionnaire import Questionnaire

WORDS_PER_MINUTE = 180  # reading business prose closely enough to choose between five descriptions
SECONDS_PER_DECISION = 10  # choosing a level once the descriptions are read
CHOICE_WORDS = 4  # "don't know", "not applicable"


def words(text: str) -> int:
    return len(text.split())


def reading_words(questionnaire: Questionnaire, lang: str, asked: Collection[str] | None = None) -> int:
    """The words a respondent reads in `lang` answering the questions `asked` (None: all)."""
    lang = questionnaire.language(lang)
    total = 0
    for dimension in questionnaire.dimensions:
        questions = [q for q in dimension.questions if asked is None or q.id in asked]
        if not questions:
            continue
        total += words(dimension.title.get(lang)) + words(dimension.description.get(lang))
        for question in questions:
            total += words(question.text.get(lang)) + (words(question.help.get(lang)) if question.help else 0)
            total += sum(words(question.level_text(level, lang)) for level in range(1, 6)) + CHOICE_WORDS
    return total


def reading_minutes(questionnaire: Questionnaire, lang: str, asked: Collection[str] | None = None) -> int:
    """Whole minutes (rounded up) to read and answer the questions `asked` (None: all) in `lang`."""
    count = sum(1 for q in questionnaire.questions() if asked is None or q.id in asked)
    if not count:
        return 0
    seconds = reading_words(questionnaire, lang, asked) / WORDS_PER_MINUTE * 60 + count * SECONDS_PER_DECISION
    return max(1, math.ceil(seconds / 60))
