"""Forms, built at run time from the questionnaire through a table of field builders."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from assess.domain.answers import DONT_KNOW, MAX_COMMENT_LENGTH, MAX_REASON_LENGTH, NOT_APPLICABLE, ROLES
from assess.domain.levels import LEVELS
from assess.domain.questionnaire import Dimension, Question, Questionnaire, QuestionnaireRef
from assess.reporting import labels
from assess.reporting.templates import language_name
from assess.services.assessments import INDUSTRIES, SIZES
from assess.web.inputs import StorableText

# The form choices' words come from the one table per code (assess/reporting/labels.py), translated lazily.
INDUSTRY_LABELS = {code: _l(message) for code, message in labels.INDUSTRIES.items()}
SIZE_LABELS = {code: _l(message) for code, message in labels.SIZES.items()}
ROLE_LABELS = {code: _l(message) for code, message in labels.ROLES.items()}


class LanguageField(SelectField):
    """A choice of the app's languages (config LANGUAGES), each named in itself: a new catalog adds one."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, choices=_language_choices, **kwargs)


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, language_name(code)) for code in current_app.config["LANGUAGES"]]


class StartForm(FlaskForm):
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=200), StorableText()])
    industry = SelectField(_l("Industry"), choices=[SelectChoice(k, INDUSTRY_LABELS[k]) for k in INDUSTRIES])
    size = SelectField(_l("Size"), choices=[SelectChoice(k, SIZE_LABELS[k]) for k in SIZES])
    role = SelectField(_l("Your role"), choices=[SelectChoice(k, ROLE_LABELS[k]) for k in ROLES])
    language = LanguageField(_l("Language"))


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
        for question in dimension.questions:
            name = field_names(question.id)["q"]
            items = []
            for index, choice in enumerate(level_choices(question, lang)):
                special = " special" if choice.value in (DONT_KNOW, NOT_APPLICABLE) else ""
                parts = (f'<div class="choice{special}"><input type="radio" id="{escape(name)}-{index}" '
                         f'name="{escape(name)}" value="{escape(choice.value)}"',
                         f'><label for="{escape(name)}-{index}">{escape(choice.label)}</label></div>')
                items.append(ChoiceMarkup(choice.value, Markup(parts[0] + parts[1]),
                                          Markup(parts[0] + " checked" + parts[1])))
            cached[question.id] = items
        cache[key] = cached
    return cached


def allowed_keys(dimension: Dimension) -> set[str]:
    keys = {"csrf_token", "rid", "qref", "nav"}
    for question in dimension.questions:
        keys.update(field_names(question.id).values())
    return keys
