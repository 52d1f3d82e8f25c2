"""A survey page's form, built at run time from the questionnaire through a table of field builders.

Built once per questionnaire reference, page and language and kept on the app (never in a module
global). The radio buttons are rendered from `templates/survey/_choice.html` once and reused, so
the page's layout is changed in the template, not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, get_template_attribute
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from assess.domain.answers import DONT_KNOW, MAX_COMMENT_LENGTH, MAX_REASON_LENGTH, NOT_APPLICABLE
from assess.domain.levels import LEVELS
from assess.domain.questionnaire import Dimension, Question, Questionnaire, QuestionnaireRef
from assess.reporting import labels
from assess.web.inputs import StorableText


def state_digest(value: str | None, comment: str, reason: str) -> str:
    """A short fingerprint of one answer, to tell which questions a POST really changed."""
    return hashlib.sha256(f"{value or ''}\x1f{comment}\x1f{reason}".encode()).hexdigest()[:16]


def field_names(question_id: str) -> dict[str, str]:
    return {k: f"{k}-{question_id}" for k in ("q", "c", "r", "s")}


class TextLength:
    """Like Length(max=...), but counts a line break as one character, as the textarea's maxlength does.

    Browsers send line breaks as CR LF; counting both would refuse a comment that fit the field.
    """

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if len((field.data or "").replace("\r\n", "\n")) > self.maximum:
            raise ValidationError(f"longer than {self.maximum} characters")


def level_choices(question: Question, lang: str) -> list[SelectChoice]:
    """The five anchored levels, "don't know" and (where allowed) "not applicable"."""
    choices = [
        SelectChoice(str(level), f"{level} · {labels.level_name(level, lang)}: {question.level_text(level, lang)}")
        for level in LEVELS
    ]
    choices.append(SelectChoice(DONT_KNOW, str(_l("Don't know"))))
    if question.allow_na:
        choices.append(SelectChoice(NOT_APPLICABLE, str(_l("Not applicable"))))
    return choices


def _level_question(question: Question, lang: str) -> dict[str, Field]:
    names = field_names(question.id)
    return {
        names["q"]: RadioField(question.text.get(lang), choices=level_choices(question, lang), validators=[Optional()],
                               validate_choice=True),
        names["c"]: TextAreaField(_l("Comment (optional)"), validators=[TextLength(MAX_COMMENT_LENGTH), StorableText()]),
        names["r"]: StringField(_l("Why does this not apply?"), validators=[Length(max=MAX_REASON_LENGTH),
                                                                             StorableText()]),
        names["s"]: HiddenField(),
    }


# One builder per question type; the format has one type today ("level").
FIELD_BUILDERS: Mapping[str, Callable[[Question, str], dict[str, Field]]] = {"level": _level_question}


PageKey = tuple[QuestionnaireRef, str, str]  # questionnaire, dimension id, language


def app_cache(name: str) -> dict[Any, Any]:
    """A cache that lives on the app (never a module global), keyed by the caller; see PageKey."""
    cache: dict[Any, Any] = current_app.extensions.setdefault(f"assess.cache.{name}", {})
    return cache


def page_form_class(questionnaire: Questionnaire, dimension: Dimension, lang: str) -> type[FlaskForm]:
    """A form class for one dimension's page, built once per questionnaire (its full reference) and language."""
    cache: dict[PageKey, type[FlaskForm]] = app_cache("page_forms")
    key = (questionnaire.ref, dimension.id, lang)
    form_class = cache.get(key)
    if form_class is None:
        attrs: dict[str, Any] = {"rid": HiddenField()}
        for question in dimension.questions:
            attrs.update(FIELD_BUILDERS["level"](question, lang))
        form_class = cache[key] = type("PageForm", (FlaskForm,), attrs)
    return form_class


@dataclass(frozen=True, slots=True)
class ChoiceMarkup:
    """One radio button with its label, rendered once; only `checked` differs between respondents."""

    value: str
    html: Markup
    checked_html: Markup


def choice_markup(questionnaire: Questionnaire, dimension: Dimension, lang: str) -> dict[str, list[ChoiceMarkup]]:
    """Pre-rendered radio buttons per question of a page (the page's hot path)."""
    cache: dict[tuple[QuestionnaireRef, str, str, str], dict[str, list[ChoiceMarkup]]] = app_cache("page_choices")
    key = (questionnaire.ref, dimension.id, lang, str(get_locale()))  # "Don't know" is in the interface's language
    cached = cache.get(key)
    if cached is None:
        cached = {}
        render = get_template_attribute("survey/_choice.html", "choice")
        for question in dimension.questions:
            name = field_names(question.id)["q"]
            items = []
            for index, choice in enumerate(level_choices(question, lang)):
                special = choice.value in (DONT_KNOW, NOT_APPLICABLE)
                items.append(ChoiceMarkup(choice.value, render(name, index, choice.value, choice.label, special, False),
                                          render(name, index, choice.value, choice.label, special, True)))
            cached[question.id] = items
        cache[key] = cached
    return cached


def allowed_keys(dimension: Dimension) -> set[str]:
    keys = {"csrf_token", "rid", "qref", "nav"}
    for question in dimension.questions:
        keys.update(field_names(question.id).values())
    return keys
