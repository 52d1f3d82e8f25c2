"""Logs never show a resume token, a credential, an answer or a comment."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.config import Config
from gunicorn.util import load_class

from assess.cli import main
from assess.web.access_log import LOGGER_CLASS, MaskingLogger
from assess.web.redact import mask_tokens, redacted_traceback
from tests.web.conftest import page_form, start

TOKEN = "Zk3v_QpL-9sT2xYbN0aWmE4rJ8uC1dHf"


def test_tokens_in_paths_are_masked_also_when_url_encoded() -> None:
    assert mask_tokens(f"GET /r/{TOKEN}/page/1?x=1 HTTP/1.1") == "GET /r/…/page/1?x=1 HTTP/1.1"
    assert mask_tokens(f"/r/{TOKEN}") == "/r/…"
    assert mask_tokens(f"/lang/de?next=%2Fr%2F{TOKEN}%2Fpage%2F2") == "/lang/de?next=%2Fr%2F…%2Fpage%2F2"
    assert mask_tokens(f"/lang/en?next=/r/{TOKEN}/review") == "/lang/en?next=/r/…/review"
    assert mask_tokens("/w/assessment/3/results /static/app.css /start") == "/w/assessment/3/results /static/app.css /start"


def _access_line(tmp_path: Path, environ: dict[str, str], headers: list[tuple[str, str]]) -> str:
    log_file = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log_file))
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s %({authorization}i)s %({cookie}i)s '
                                    "%({raw_uri}e)s %({x-custom}i)s")
    logger = MaskingLogger(config)
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=headers)
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    _close(logger)
    return log_file.read_text()


def _close(logger: MaskingLogger) -> None:
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            handler.close()
            log.removeHandler(handler)


def test_gunicorns_access_log_masks_the_token_and_drops_credentials(tmp_path: Path) -> None:
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": f"/r/{TOKEN}/page/1?next=%2Fr%2F{TOKEN}",
               "PATH_INFO": f"/r/{TOKEN}/page/1", "QUERY_STRING": f"next=%2Fr%2F{TOKEN}", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "203.0.113.9", "HTTP_REFERER": f"https://assess.example/r/{TOKEN}/page/2"}
    headers = [("AUTHORIZATION", "Bearer api-secret-123"), ("COOKIE", "session=cookie-secret"), ("X-CUSTOM", "ok")]
    line = _access_line(tmp_path, environ, headers)
    assert TOKEN not in line and "api-secret-123" not in line and "cookie-secret" not in line
    assert '"POST /r/…/page/1?next=%2Fr%2F… HTTP/1.1" 200 "https://assess.example/r/…/page/2"' in line
    assert "203.0.113.9" in line and " ok" in line


def test_gunicorns_error_log_masks_the_token(tmp_path: Path) -> None:
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = MaskingLogger(config)
    message = f"a message quoting the comment and /r/{TOKEN}"
    try:
        raise ValueError(message)
    except ValueError:
        logger.exception("Error handling request %s", f"/r/{TOKEN}/page/1")
    _close(logger)
    text = (tmp_path / "error.log").read_text()
    assert "Error handling request /r/…/page/1" in text and TOKEN not in text and "quoting the comment" not in text
    assert "ValueError" in text and "test_logging.py" in text  # the frames and the type stay


def test_assess_serve_runs_gunicorn_with_the_masking_logger(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda path, args: calls.append(list(args)))
    result = CliRunner().invoke(main, ["serve", "--port", "5999", "--workers", "1"],
                                env={"DATABASE_URL": database_url, "SECRET_KEY": "x"})
    assert result.exit_code == 0, result.output
    args = calls[0]
    assert args[args.index("--logger-class") + 1] == LOGGER_CLASS and "--access-logfile" in args
    assert load_class(LOGGER_CLASS, section="gunicorn.loggers") is MaskingLogger  # gunicorn can import it


def test_the_500_handler_logs_type_and_frames_but_no_form_data(app: Flask, client: FlaskClient,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    def fail(token: str) -> str:
        from flask import request

        raise KeyError(request.form.get("c-ch.booking"))  # an exception that quotes what was sent

    app.add_url_rule("/r/<token>/explode", "explode", fail, methods=["POST"])
    token = start(client)
    form = page_form(client, token, 1)
    with caplog.at_level(logging.ERROR):
        response = client.post(f"/r/{token}/explode", data={**form, "c-ch.booking": "Vertrauliche Antwort",
                                                             "password": "hunter2hunter2"})
    assert response.status_code == 500
    assert "unhandled error: KeyError on POST /r/…/explode" in caplog.text
    assert "Traceback" in caplog.text and "in fail" in caplog.text
    for secret in ("Vertrauliche Antwort", "hunter2", token):
        assert secret not in caplog.text


def test_werkzeugs_request_log_masks_the_token(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - "%s" %s -', "127.0.0.1", f"GET /r/{TOKEN}/page/1 HTTP/1.1", 200)
    assert 'GET /r/…/page/1 HTTP/1.1" 200' in caplog.text and TOKEN not in caplog.text


def test_a_redacted_traceback_keeps_the_chain_without_messages() -> None:
    inner_text, outer_text = "inner secret", "outer secret"
    try:
        try:
            raise ValueError(inner_text)
        except ValueError as inner:
            raise RuntimeError(outer_text) from inner
    except RuntimeError as error:
        text = redacted_traceback(error)
    assert "builtins.ValueError" in text and "builtins.RuntimeError" in text and " secret" not in text
    assert text.index("ValueError") < text.index("RuntimeError")
