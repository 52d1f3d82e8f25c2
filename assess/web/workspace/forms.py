"""Workspace forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from assess.domain.answers import ROLES
from assess.services.assessments import INDUSTRIES, SIZES
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
