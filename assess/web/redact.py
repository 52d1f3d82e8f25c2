"""Keep secrets and personal data out of logs: resume tokens in paths, exception messages in tracebacks.

A resume link (/r/<token>/...) is the respondent's only key, so access logs and
error logs show `/r/…` instead. Exception messages may quote what a visitor
sent (a database error quotes its parameters, a validation error the value),
so logged tracebacks keep the frames and the exception type but not the message.
"""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask

MASK = "…"
# /r/<token> in a path, also URL-encoded inside a query (e.g. /lang/de?next=%2Fr%2F<token>%2Fpage%2F1).
_TOKEN_IN_PATH = re.compile(r"(/|%2[Ff])r(/|%2[Ff])[^/?&#%\s\"']+")


def mask_tokens(text: str) -> str:
    """`text` with every resume token in a path replaced by …."""
    return _TOKEN_IN_PATH.sub(lambda m: f"{m[1]}r{m[2]}{MASK}", text)


def redacted_traceback(error: BaseException) -> str:
    """The traceback of `error` and its causes: frames and types, never the messages."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = [
        "Traceback (most recent call last):\n" + "".join(traceback.format_tb(exc.__traceback__))
        + f"{type(exc).__module__}.{type(exc).__qualname__}: (message withheld from the log)"
        for exc in reversed(chain)
    ]
    return "\n\nDuring handling of the above exception, another exception occurred:\n\n".join(parts)


class SafeLogFilter(logging.Filter):
    """Mask resume tokens in log messages and withhold exception messages from tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed logging call: its arguments might hold anything
            message = f"{record.msg} (log arguments withheld: they do not fit the message)"
        record.msg, record.args = mask_tokens(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask_tokens(redacted_traceback(record.exc_info[1]))
        return True


def install(app: Flask) -> None:
    """Put the filter on the app's logger and on werkzeug's (the development server's request log)."""
    for logger in (app.logger, logging.getLogger("werkzeug")):
        if not any(isinstance(f, SafeLogFilter) for f in logger.filters):
            logger.addFilter(SafeLogFilter())
