"""Running the app: serve, and the database schema (db upgrade, db current)."""

from __future__ import annotations

import os
import sys

import click

from assess.cli import database_engine, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="gunicorn workers (default: $WEB_CONCURRENCY or 2).")
@click.option("--demo/--no-demo", default=False, help="Create a demo assessment and print its link.")
def serve(host: str, port: int, workers: int | None, demo: bool) -> None:
    """Serve the web app with gunicorn (Flask's development server only where gunicorn is missing)."""
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


# A request may wait for the report's charts (CHART_WAIT, which covers Chromium's first start) and then
# print; gunicorn kills a worker only after the app's own timeouts had their chance to answer.
PRINT_ALLOWANCE = 30.0  # seconds for printing after the charts


def request_timeout() -> int:
    """gunicorn's worker timeout: $ASSESS_REQUEST_TIMEOUT, else the chart wait plus printing."""
    from assess.reporting.pdf import CHART_WAIT

    configured = os.environ.get("ASSESS_REQUEST_TIMEOUT")
    if not configured:
        return int(CHART_WAIT + PRINT_ALLOWANCE)
    if not configured.isdigit() or int(configured) <= CHART_WAIT:
        raise click.UsageError(f"ASSESS_REQUEST_TIMEOUT must be whole seconds above {CHART_WAIT:.0f} (the wait for the "
                               f"report's charts), not {configured!r}")
    return int(configured)


def gunicorn_command(gunicorn: str, host: str, port: int, workers: int) -> list[str]:
    """gunicorn's arguments; its logger masks resume tokens (/r/…) in the access and error logs."""
    from assess.web.access_log import LOGGER_CLASS

    return [gunicorn, "--bind", f"{host}:{port}", "--workers", str(workers), "--timeout", str(request_timeout()),
            "--graceful-timeout", "30", "--access-logfile", "-", "--logger-class", LOGGER_CLASS, "assess.wsgi:app"]


@main.command()
@click.option("--concurrency", default=None, type=int,
              help="Processes that run tasks at once (default: $WORKER_CONCURRENCY or the number of cores).")
def worker(concurrency: int | None) -> None:
    """Run background tasks (board reports) from Redis ($REDIS_URL) with Celery."""
    import shutil

    if not os.environ.get("REDIS_URL"):
        raise click.UsageError("a worker takes its tasks from Redis: set REDIS_URL (without it the web app runs "
                               "its tasks itself and needs no worker)")
    celery = shutil.which("celery", path=os.path.dirname(sys.executable)) or shutil.which("celery")
    if celery is None:
        raise click.UsageError("celery is not installed (pip install assess installs it)")
    os.nice(WORKER_NICENESS)  # reports yield the cores to the web app on a shared machine: respondents come first
    os.execv(celery, worker_command(celery, concurrency or int(os.environ.get("WORKER_CONCURRENCY") or os.cpu_count() or 1)))


WORKER_NICENESS = 10


def worker_command(celery: str, concurrency: int) -> list[str]:
    """Celery's arguments: the app's tasks, a bounded pool, and no chatter between workers."""
    from assess.tasks import MAX_TASKS_PER_CHILD

    return [celery, "--app", "assess.tasks.worker:celery", "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--max-tasks-per-child", str(MAX_TASKS_PER_CHILD),
            "--without-gossip", "--without-mingle", "--without-heartbeat"]


@main.group()
def db() -> None:
    """Database schema: migrate it to this version of assess ($DATABASE_URL, or the embedded SQLite file)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from sqlalchemy.exc import OperationalError

    from assess.catalog import Catalog
    from assess.db.schema import SchemaError, upgrade
    from assess.services.peers import rebuild_after_upgrade

    engine = database_engine()
    where = engine.url.render_as_string(hide_password=True)
    try:
        before, after = upgrade(engine, revision)
        rebuilt = rebuild_after_upgrade(engine, Catalog(), before)
    except (SchemaError, OperationalError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    if rebuilt:
        click.echo(f"{where}: peer figures computed for {rebuilt} assessments")
    if before == after:
        click.echo(f"{where}: schema is up to date ({after})")
    else:
        click.echo(f"{where}: schema upgraded from {before or 'empty'} to {after}")


@db.command("current")
def db_current() -> None:
    """Print the schema revision of the database and the one this version needs; exit 1 if they differ."""
    from sqlalchemy.exc import OperationalError

    from assess.db.schema import current_revision, head_revision

    engine = database_engine()
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
