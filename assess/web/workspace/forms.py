"""Workspace forms."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from assess.domain.answers import ROLES
from assess.services import action_plan
from assess.services.assessments import INDUSTRIES, SIZES
from assess.services.clients import NAME_LENGTH, TITLE_LENGTH
from assess.web.forms import INDUSTRY_LABELS, ROLE_LABELS, SIZE_LABELS, LanguageField
from assess.web.inputs import REQUIRED, TOO_LONG, StorableText


class OrganisationForm(FlaskForm):
    name = StringField(_l("Organisation"), validators=[
        DataRequired(message=REQUIRED), Length(max=200, message=TOO_LONG), StorableText()])
    industry = SelectField(_l("Industry"), choices=[SelectChoice(k, INDUSTRY_LABELS[k]) for k in INDUSTRIES])
    size = SelectField(_l("Size"), choices=[SelectChoice(k, SIZE_LABELS[k]) for k in SIZES])


class AssessmentForm(FlaskForm):
    """Questionnaire choices and target fields are filled in per request."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=200, message=TOO_LONG), StorableText()])
    questionnaire = SelectField(_l("Questionnaire and version"), choices=[])
    deadline = DateField(_l("Deadline"), validators=[Optional()])


class InviteForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(k, ROLE_LABELS[k]) for k in ROLES])
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=120, message=TOO_LONG), StorableText()])
    language = LanguageField(_l("Language"))


def _stripped(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class RenameOrganisationForm(FlaskForm):
    name = StringField(_l("New name"), filters=[_stripped], validators=[
        DataRequired(message=REQUIRED), Length(max=NAME_LENGTH, message=TOO_LONG), StorableText()])


class RenameAssessmentForm(FlaskForm):
    title = StringField(_l("New title"), filters=[_stripped], validators=[
        DataRequired(message=REQUIRED), Length(max=TITLE_LENGTH, message=TOO_LONG), StorableText()])


BULK_TEXT_LENGTH = 100_000  # 200 lines of a long name and address each, and then some


class BulkInviteForm(FlaskForm):
    """A pasted list of respondents; the lines are checked by assess.services.invitations. Its fields are named
    bulk-...: the single invitation's form on the same page has a language field too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)

    lines = TextAreaField(_l("Respondents, one per line: role; name; e-mail (the e-mail may be left out)"), validators=[
        DataRequired(message=REQUIRED), Length(max=BULK_TEXT_LENGTH, message=TOO_LONG), StorableText()])
    language = LanguageField(_l("Language of the questionnaire"))
    batch = HiddenField(default=lambda: secrets.token_urlsafe(12))  # one list is invited once, however often it is sent


class PlanItemForm(FlaskForm):
    """One measure of the action plan; the service checks the measure and that a dropped one has its reason."""

    measure = HiddenField(validators=[DataRequired(message=REQUIRED), Length(max=80, message=TOO_LONG)])
    owner = StringField(_l("Owner"), filters=[_stripped], validators=[
        Optional(), Length(max=action_plan.LIMITS["owner"], message=TOO_LONG), StorableText()])
    due = DateField(_l("Due"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(k, _l(action_plan.STATUS_LABELS[k]))
                                                for k in action_plan.STATUSES])
    reason = StringField(_l("Why dropped"), filters=[_stripped], validators=[
        Optional(), Length(max=action_plan.LIMITS["reason"], message=TOO_LONG), StorableText()])
    notes = TextAreaField(_l("Notes and evidence"), filters=[_stripped], validators=[
        Optional(), Length(max=action_plan.LIMITS["notes"], message=TOO_LONG), StorableText()])

