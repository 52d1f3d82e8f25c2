"""The words and the download for invitations from a pasted list (assess.services.invitations does the work)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.domain.answers import ROLES
from assess.reporting.labels import role_label
from assess.services import clients, invitations
from assess.services.exports import safe_cell
from assess.web.i18n import current_language

# LineProblem.code -> the message, in the consultant's language; every one names the line.
LINE_MESSAGES = {
    "missing_role": _l("Line %(line)d has no role. Write it first, then the name and the e-mail: %(roles)s."),
    "unknown_role": _l("Line %(line)d: “%(value)s” is not a role. Use one of: %(roles)s."),
    "too_many_fields": _l("Line %(line)d has more than three fields (“%(value)s”). Write role; name; e-mail, "
                          "separated by semicolons, tabs or commas."),
    "name_too_long": _l("Line %(line)d: the name is longer than %(max)d characters."),
    "not_an_email": _l("Line %(line)d: “%(value)s” is not an e-mail address. Correct it or leave it out."),
    "duplicate_email": _l("Line %(line)d: %(value)s is in the list twice. Invite each person once."),
    "invited_already": _l("Line %(line)d: %(value)s is invited to this assessment already. Remove the line, or give "
                          "that person a new link in the table above."),
    "unstorable": _l("Line %(line)d contains characters that cannot be stored (for example a control character "
                     "from copying out of another program). Please remove them."),
}


def role_names() -> str:
    """The roles a list may name, in the consultant's language."""
    return ", ".join(role_label(code, current_language()) for code in ROLES)


def messages(error: invitations.ListError) -> list[str]:
    """Why the list was refused, one message per problem."""
    if error.empty:
        return [_("The list contains no respondent: write one per line.")]
    if error.too_many:
        return [_("The list has %(count)d lines; at most %(max)d people can be invited at once. Split it into "
                  "several lists.", count=error.too_many, max=invitations.MAX_LINES)]
    roles = role_names()
    return [str(LINE_MESSAGES[p.code]) % {"line": p.number, "value": p.value, "roles": roles,
                                          "max": clients.RESPONDENT_NAME_LENGTH}
            for p in error.problems]


@dataclass(frozen=True, slots=True)
class CreatedLink:
    """A new respondent's personal link as the page shows it once."""

    role: str
    name: str
    email: str
    link: str


def created_links(created: Sequence[invitations.Created]) -> list[CreatedLink]:
    lang = current_language()
    return [CreatedLink(role_label(c.line.role, lang), c.line.name, c.line.email,
                        url_for("survey.resume", token=c.invitation.token, _external=True)) for c in created]


def _cell(value: str) -> str:
    """No spreadsheet formulas from names (CSV injection)."""
    return str(safe_cell(value))


def links_csv(links: Sequence[CreatedLink]) -> str:
    """The links as a CSV file a spreadsheet opens (semicolons, a byte-order mark for the umlauts)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Role"), _("Name"), _("E-mail"), _("Personal link")])
    for link in links:
        writer.writerow([_cell(link.role), _cell(link.name), _cell(link.email), link.link])
    return "\ufeff" + out.getvalue()
