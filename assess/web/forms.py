"""The fixed forms (start a self-assessment) and the label tables their choices show.

A survey page's form is built from the questionnaire in `assess.web.page_forms`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from assess.domain.answers import ROLES
from assess.reporting import labels
from assess.reporting.templates import language_name
from assess.services.assessments import INDUSTRIES, SIZES
from assess.web.inputs import REQUIRED, TOO_LONG, StorableText

# The form choices' words come from the one table per code (assess/reporting/labels.py), translated lazily.
INDUSTRY_LABELS = {code: _l(message) for code, message in labels.INDUSTRIES.items()}
SIZE_LABELS = {code: _l(message) for code, message in labels.SIZES.items()}
ROLE_LABELS = {code: _l(message) for code, message in labels.ROLES.items()}
PLEASE_CHOOSE = SelectChoice("", _l("Please choose"))  # an optional choice left unset is stored as ""


class LanguageField(SelectField):
    """A choice of the app's languages (config LANGUAGES), each named in itself: a new catalog adds one."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, choices=_language_choices, **kwargs)


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, language_name(code)) for code in current_app.config["LANGUAGES"]]


class StartForm(FlaskForm):
    organisation = StringField(_l("Organisation"), validators=[
        DataRequired(message=REQUIRED), Length(max=200, message=TOO_LONG), StorableText()])
    # "Please choose" first: a preselected industry went silently into the wrong peer group (unset has none)
    industry = SelectField(_l("Industry"), choices=[PLEASE_CHOOSE, *(SelectChoice(k, INDUSTRY_LABELS[k]) for k in INDUSTRIES)])
    size = SelectField(_l("Size"), choices=[PLEASE_CHOOSE, *(SelectChoice(k, SIZE_LABELS[k]) for k in SIZES)])
    role = SelectField(_l("Your role"), choices=[SelectChoice(k, ROLE_LABELS[k]) for k in ROLES])
    language = LanguageField(_l("Language"))
    # The short check (offered where the questionnaire has one): a first look, continued in full later
    scope = SelectField(_l("How much to answer"), choices=[SelectChoice("full", _l("The full questionnaire")),
                                                          SelectChoice("short", _l("The short check first"))],
                        default="full")
