"""The `assess` command line. Heavy imports (Flask, plotly, WeasyPrint) stay inside commands."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from assess.catalog import Catalog, QuestionnaireError, load_questionnaire

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@click.group()
@click.version_option(package_name="assess")
def main() -> None:
    """Digital-readiness assessment: validate questionnaires, score answers, serve the app."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check questionnaire FILES; print every problem as FILE:LINE: message."""
    failed = False
    for file in files:
        try:
            questionnaire = load_questionnaire(file)
        except QuestionnaireError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem))
            continue
        click.echo(
            f"{file}: ok ({questionnaire.id} {questionnaire.version}: {len(questionnaire.dimensions)} dimensions, "
            f"{questionnaire.question_count} questions, {len(questionnaire.measures)} measures, "
            f"{len(questionnaire.rules)} rules)",
            err=True,
        )
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False))
@click.option("--questionnaire", "questionnaire_ref", help="Questionnaire id or YAML file (default: the one named in ANSWERS).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--lang", default=None, help="Language of the texts (default: the questionnaire's first).")
def score(answers: str, questionnaire_ref: str | None, fmt: str, lang: str | None) -> None:
    """Score ANSWERS (JSON) and print scores, flags and the roadmap."""
    from assess.domain.evaluation import evaluate
    from assess.domain.serialize import evaluation_to_dict
    from assess.services.answer_files import AnswerFileError, read_answer_file

    try:
        parsed = read_answer_file(answers, Catalog(), questionnaire_ref)
    except AnswerFileError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    evaluation = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets, consensus=parsed.consensus)
    result = evaluation_to_dict(evaluation, lang)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        from assess.reporting.text import render_text

        click.echo(render_text(result), nl=False)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the PDF.")
@click.option("--questionnaire", "questionnaire_ref", help="Questionnaire id or YAML file (default: the one named in ANSWERS).")
@click.option("--lang", type=click.Choice(["de", "en"]), default=None,
              help="Report language (default: the questionnaire's first).")
@click.option("--title", default="", help="Title of the assessment on the cover (default: the questionnaire's title).")
def report(answers: str, output: str, questionnaire_ref: str | None, lang: str | None, title: str) -> None:
    """Write the board report (PDF) of ANSWERS, the same JSON `score` reads."""
    from pathlib import Path

    from assess.domain.evaluation import evaluate
    from assess.reporting.svg import ChromiumMissingError, start_server
    from assess.services.answer_files import AnswerFileError, read_answer_file

    try:
        parsed = read_answer_file(answers, Catalog(), questionnaire_ref)
    except AnswerFileError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    try:
        start_server()  # Chromium boots in the background while WeasyPrint loads and the answers are scored
    except ChromiumMissingError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    from assess.reporting.context import ReportMeta, build_report_context
    from assess.reporting.pdf import render_pdf

    evaluation = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets, consensus=parsed.consensus)
    context = build_report_context(evaluation, parsed.responses, lang=lang or parsed.questionnaire.languages[0],
                                   meta=ReportMeta(organisation=parsed.organisation, title=title))
    try:
        Path(output).write_bytes(render_pdf(context))
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"{output}: board report for {parsed.organisation or 'unnamed organisation'}", err=True)


@main.group()
def questionnaire() -> None:
    """Inspect questionnaires."""


@questionnaire.command("show")
@click.argument("ref")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--lang", default=None, help="Language for the text format.")
def questionnaire_show(ref: str, fmt: str, lang: str | None) -> None:
    """Show questionnaire REF (an id or a YAML file) as loaded."""
    from assess.domain.export import questionnaire_to_dict, questionnaire_to_text
    from assess.services.answer_files import resolve_questionnaire

    try:
        loaded = resolve_questionnaire(Catalog(), ref)
    except QuestionnaireError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except LookupError as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(questionnaire_to_dict(loaded), ensure_ascii=False, indent=2))
    else:
        click.echo(questionnaire_to_text(loaded, lang or loaded.languages[0]), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="gunicorn workers (default: $WEB_CONCURRENCY or 2).")
@click.option("--demo/--no-demo", default=False, help="Create a demo assessment and print its link.")
def serve(host: str, port: int, workers: int | None, demo: bool) -> None:
    """Serve the web app with gunicorn (Flask's development server only where gunicorn is missing)."""
    import os
    import shutil

    from assess import create_app
    from assess.db.schema import SchemaError

    try:
        # The embedded SQLite default is migrated here, since nobody else will; a configured
        # DATABASE_URL (production) is migrated deliberately with `assess db upgrade`.
        app = create_app({"UPGRADE_DATABASE": not os.environ.get("DATABASE_URL")})  # fails fast on bad configuration
    except SchemaError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if demo:
        from sqlmodel import Session

        from assess.services.demo import seed_demo

        with Session(app.extensions["assess.engine"]) as session:
            token = seed_demo(session, app.extensions["assess.catalog"], app.config["SECRET_KEY"])
            session.commit()
        click.echo(f"Demo result: http://{host}:{port}/r/{token}/result")
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    workers = workers or int(os.environ.get("WEB_CONCURRENCY", "2"))
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        click.echo("gunicorn is not installed; using Flask's development server", err=True)
        app.run(host=host, port=port)
        return
    app.extensions["assess.engine"].dispose()  # gunicorn's workers open their own connections
    os.execv(gunicorn, gunicorn_command(gunicorn, host, port, workers))


def gunicorn_command(gunicorn: str, host: str, port: int, workers: int) -> list[str]:
    """gunicorn's arguments; its logger masks resume tokens (/r/…) in the access and error logs."""
    from assess.web.access_log import LOGGER_CLASS

    return [gunicorn, "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
            "--logger-class", LOGGER_CLASS, "assess.wsgi:app"]


@main.group()
def db() -> None:
    """Database schema: migrate it to this version of assess ($DATABASE_URL, or the embedded SQLite file)."""


def _engine() -> Engine:
    from flask import Flask

    from assess.config import load_config
    from assess.db.session import make_engine

    # The app's own configuration, minus the secret key the database commands do not need.
    config = load_config(Flask("assess", instance_relative_config=True).instance_path, {"SECRET_KEY": ""})
    return make_engine(config["DATABASE_URL"])


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from sqlalchemy.exc import OperationalError

    from assess.db.schema import SchemaError, upgrade

    engine = _engine()
    where = engine.url.render_as_string(hide_password=True)
    try:
        before, after = upgrade(engine, revision)
    except (SchemaError, OperationalError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"{where}: schema is up to date ({after})")
    else:
        click.echo(f"{where}: schema upgraded from {before or 'empty'} to {after}")


@db.command("current")
def db_current() -> None:
    """Print the schema revision of the database and the one this version needs; exit 1 if they differ."""
    from sqlalchemy.exc import OperationalError

    from assess.db.schema import current_revision, head_revision

    engine = _engine()
    try:
        current, head = current_revision(engine), head_revision()
    except OperationalError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    if current == head:
        click.echo(f"{current} (head)")
    else:
        click.echo(f"{current or 'empty'} (this version needs {head}; run: assess db upgrade)")
        sys.exit(1)


@main.group()
def user() -> None:
    """Manage consultant accounts."""


@user.command("create")
@click.argument("email")
@click.option("--workspace", "workspace_name", default=None,
              help="Name of a new workspace to create (default: the first existing one, or a new one).")
@click.option("--name", default="", help="The consultant's name.")
@click.option("--admin/--no-admin", default=True, show_default=True, help="Workspace admin (may create accounts).")
@click.password_option(envvar="ASSESS_PASSWORD", help="Password (prompted when not given; or $ASSESS_PASSWORD).")
def user_create(email: str, workspace_name: str | None, name: str, admin: bool, password: str) -> None:
    """Create an account, e.g. the first admin: assess user create you@example.com."""
    from sqlmodel import Session, col, select

    from assess import create_app
    from assess.db.models import Workspace
    from assess.services import accounts

    app = create_app()
    with Session(app.extensions["assess.engine"]) as session:
        workspace = None if workspace_name else session.exec(select(Workspace).order_by(col(Workspace.id))).first()
        if workspace is None:
            workspace = accounts.create_workspace(session, workspace_name or "Workspace")
        assert workspace.id is not None
        try:
            accounts.create_user(session, email=email, password=password, workspace_id=workspace.id, name=name,
                                 is_admin=admin)
        except accounts.AccountError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        session.commit()
        click.echo(f"created {'admin' if admin else 'consultant'} {email} in workspace '{workspace.name}'")



# Data protection: retention, backup and restore.

_PURGED_TABLES = ("organisation", "assessment", "respondent", "answer", "consensus")


def _checked_engine() -> Engine:
    from assess.db.schema import SchemaError, check_schema

    engine = _engine()
    try:
        check_schema(engine)
    except SchemaError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    return engine


@main.command()
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--self-assessment-days", type=click.IntRange(min=1), default=None,
              help="Keep public self-assessments this many days after their last activity "
                   "(default: $ASSESS_SELF_ASSESSMENT_RETENTION_DAYS or 365).")
def purge(dry_run: bool, self_assessment_days: int | None) -> None:
    """Delete data past its retention period: each workspace's setting, and old public self-assessments.

    Prints how many rows of each table it deleted (never their content). Run it daily, e.g. from cron.
    """
    from sqlmodel import Session

    from assess.services import privacy

    try:
        days = self_assessment_days or privacy.self_assessment_retention_days()
    except ValueError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    engine = _checked_engine()
    try:
        with Session(engine) as session:
            report = privacy.purge(session, self_assessment_days=days)
            if dry_run:
                session.rollback()
            else:
                session.commit()
    finally:
        engine.dispose()
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"purge: {verb} {len(report.assessments)} assessments and {len(report.organisations)} organisations"
               f" past their retention period (self-assessments: {days} days)")
    for table in _PURGED_TABLES:
        click.echo(f"  {table}: {report.counts.get(table, 0)}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--workspace", "workspace_id", type=int, default=None, help="Back up only this workspace (its id).")
def backup(file: str, workspace_id: int | None) -> None:
    """Write a consistent backup of every table (or of one workspace) to FILE ("-": standard output).

    JSON lines with a format version and the schema revision; FILE ending in .gz is compressed.
    The backup holds personal data and password hashes: it is written readable by its owner only.
    """
    from assess.services.backup import BackupError, backup_to_file

    engine = _checked_engine()
    try:
        counts = backup_to_file(engine, file, workspace_id=workspace_id)
    except (BackupError, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    scope = f"workspace {workspace_id}" if workspace_id is not None else "all workspaces"
    click.echo(f"{file}: backup of {scope}, {sum(counts.values())} rows in {len(counts)} tables", err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
def restore(file: str) -> None:
    """Load the backup FILE into an empty database ($DATABASE_URL, or the embedded SQLite file)."""
    from sqlalchemy.exc import OperationalError

    from assess.services.backup import BackupError, restore_from_file

    engine = _engine()
    where = engine.url.render_as_string(hide_password=True)
    try:
        counts = restore_from_file(engine, file)
    except (BackupError, OperationalError, OSError, UnicodeDecodeError, EOFError) as error:
        click.echo(f"error: {str(error).splitlines()[0] if str(error) else type(error).__name__}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    click.echo(f"{where}: restored {sum(counts.values())} rows in {len(counts)} tables from {file}")

if __name__ == "__main__":
    main()
