"""One database session per request; the request boundary commits or rolls back."""

from __future__ import annotations

import contextlib

from flask import Flask, Response, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session

from assess.catalog import Catalog
from assess.domain.questionnaire import Questionnaire


def init_database(app: Flask, engine: Engine) -> None:
    app.extensions["assess.engine"] = engine

    @app.after_request
    def _commit(response: Response) -> Response:
        session: Session | None = g.pop("db", None)
        if session is not None:
            try:
                if response.status_code < 400:
                    session.commit()
                else:
                    session.rollback()
            except (OperationalError, InterfaceError) as error:  # the database went away while committing
                with contextlib.suppress(Exception):  # the connection may be gone: nothing to roll back then
                    session.rollback()
                return app.make_response(app.handle_user_exception(error))  # the 503 of errors.py / the survey
            finally:
                session.close()
        return response

    @app.teardown_request
    def _close(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db", None)
        if session is not None:  # an exception skipped after_request
            session.rollback()
            session.close()


def db() -> Session:
    """The request's session."""
    if "db" not in g:
        g.db = Session(current_app.extensions["assess.engine"], expire_on_commit=False)
    return g.db


def default_questionnaire() -> Questionnaire:
    return catalog().get(current_app.config["DEFAULT_QUESTIONNAIRE"])


def catalog() -> Catalog:
    return current_app.extensions["assess.catalog"]
