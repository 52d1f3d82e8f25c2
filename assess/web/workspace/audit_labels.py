"""The audit log in words: what each stored action code means and what it was done to, in the reader's language.

The log itself keeps only codes and ids (assess.services.audit); a new action is one entry here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.services import exports
from assess.services.audit import Step
from assess.web.i18n import format_day

# (action, object type) or action -> what was done. Exports ("export_<format>") are named by their format.
ACTIONS = {
    ("read", "assessment_results"): _l("Viewed the results"),
    ("read", "respondent_answers"): _l("Read a respondent's answers"),
    ("write", "respondent_answers"): _l("Changed a respondent's answers"),
    "delete": _l("Deleted"),
    "rename": _l("Renamed"),
    "invite": _l("Invited (personal link created)"),
    "close_assessment": _l("Closed for changes"),
    "reopen_assessment": _l("Reopened for changes"),
    "reopen_answers": _l("Reopened their answers to change them"),
    "workshop_agree": _l("Agreed a level in the workshop"),
    "workshop_clear": _l("Removed a level agreed in the workshop"),
    "workshop_defer": _l("Deferred a workshop item"),
    "plan_update": _l("Changed the action plan"),
    "set_brand": _l("Changed the look of the reports"),
    "set_retention": _l("Changed the retention period"),
    "create_user": _l("Created the account"),
    "change_password": _l("Changed their own password"),
    "reset_password": _l("Set a new password"),
    "deactivate_user": _l("Deactivated the account"),
    "activate_user": _l("Activated the account"),
    "revoke_tokens": _l("Revoked the account's API tokens"),
}
EXPORTED = _l("Downloaded: %(format)s")

# Object type -> how the object is named while it exists, and once it is deleted.
TARGETS = {
    "assessment": _l("Assessment “%(name)s”"),
    "organisation": _l("Client “%(name)s”"),
    "user": _l("Account %(name)s"),
    "workspace": _l("Workspace settings"),
}
TARGETS["assessment_results"] = TARGETS["assessment"]
RESPONDENT = _l("%(name)s in assessment “%(context)s”")
ANONYMOUS_RESPONDENT = _l("A respondent in assessment “%(context)s”")
KINDS = {"assessment": _l("Assessment"), "assessment_results": _l("Assessment"), "organisation": _l("Client"),
         "respondent": _l("Respondent"), "respondent_answers": _l("Respondent"), "user": _l("Account"),
         "workspace": _l("Workspace")}
DELETED = _l("%(kind)s no. %(id)d (deleted since)")


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the audit page."""

    when: str
    who: str
    what: str
    target: str


def what(step: Step) -> str:
    if step.action.startswith("export_"):
        entry = exports.FORMATS.get(step.action.removeprefix("export_"))
        return str(EXPORTED) % {"format": _(entry.label) if entry else step.action.removeprefix("export_").upper()}
    label = ACTIONS.get((step.action, step.object_type)) or ACTIONS.get(step.action)
    return str(label) if label is not None else step.action.replace("_", " ")


def target(step: Step) -> str:
    if step.object_id is None:
        return "–"
    if not step.exists:
        kind = KINDS.get(step.object_type)
        return str(DELETED) % {"kind": kind, "id": step.object_id} if kind else f"{step.object_type} {step.object_id}"
    if step.object_type in ("respondent", "respondent_answers"):
        template = RESPONDENT if step.name else ANONYMOUS_RESPONDENT
        return str(template) % {"name": step.name, "context": step.context}
    label = TARGETS.get(step.object_type)
    return str(label) % {"name": step.name} if label is not None else f"{step.object_type} {step.object_id}"


def who(step: Step) -> str:
    if step.who is not None:
        return step.who
    if step.object_type == "respondent":
        return _("The respondent (through their personal link)")
    return _("The operator (on the command line)")


def lines(steps: Sequence[Step]) -> list[Line]:
    """The audit page's rows: when (the day in the page's language, the time in UTC), who, what, to what."""
    return [Line(f"{format_day(s.at)}, {s.at:%H:%M}", who(s), what(s), target(s)) for s in steps]
