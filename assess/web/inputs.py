"""Request input that must never reach the database as it came: ids out of range, unstorable text.

Ids in URLs are bounded by the `int` converter installed here (an id past the
database's integer range is a 404, not a driver error); ids in forms and query
strings go through `form_id`; every text field of every form is checked by
`StorableText` (see assess.domain.text for the rule).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import Field
from wtforms.validators import ValidationError

from assess.domain.text import is_storable
from assess.services.records import MAX_ID

UNSTORABLE_MESSAGE = _l("This field contains characters that cannot be stored (for example a NUL or control "
                        "character, often from copying out of another program). Please remove them.")


class BoundedInt(IntegerConverter):
    """`<int:...>` limited to the ids the database can hold."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def form_id(name: str) -> int | None:
    """An id sent in the form or the query string; None when missing, not a number or out of range."""
    raw = request.values.get(name, "")
    if not (0 < len(raw) <= 10 and raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


class StorableText:
    """A WTForms validator: refuses text that `is_storable` refuses, with a message the user can act on."""

    def __call__(self, _form: Any, field: Field) -> None:
        if isinstance(field.data, str) and not is_storable(field.data):
            raise ValidationError(str(UNSTORABLE_MESSAGE))


# WTForms' own catalogues are off (WTF_I18N_ENABLED): every validator takes one of these, in the user's language.
REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("Please enter at most %(max)d characters.")

# Endpoints that take a larger body than MAX_CONTENT_LENGTH (an upload), in bytes; set where the view is defined.
LARGER_BODIES: dict[str, int] = {}


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt

    @app.before_request
    def _body_limit() -> None:
        """The request's own body limit, before anything (CSRF's check included) reads the body."""
        if request.endpoint in LARGER_BODIES:
            request.max_content_length = LARGER_BODIES[request.endpoint]
