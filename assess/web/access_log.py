"""gunicorn's logger with resume tokens masked and credentials left out (`--logger-class`)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from assess.web.redact import SafeLogFilter, mask_tokens

LOGGER_CLASS = "assess.web.access_log.MaskingLogger"
# Header and environ atoms that hold credentials: never logged, whatever the format asks for.
_SECRET_ATOMS = frozenset({"{authorization}i", "{cookie}i", "{set-cookie}o", "{http_authorization}e", "{http_cookie}e"})


class MaskingLogger(Logger):
    """Access log lines show /r/… for a resume link; the error log gets the same filter as the app's."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if not any(isinstance(f, SafeLogFilter) for f in self.error_log.filters):
            self.error_log.addFilter(SafeLogFilter())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: "-" if key in _SECRET_ATOMS else mask_tokens(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
