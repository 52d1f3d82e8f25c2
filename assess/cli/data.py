"""Accounts and the data lifecycle: user create, purge, backup, restore."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from assess.cli import database_engine, main

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


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


def checked_engine() -> Engine:
    from assess.db.schema import SchemaError, check_schema

    engine = database_engine()
    try:
        check_schema(engine)
    except SchemaError as error:
        engine.dispose()
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
    engine = checked_engine()
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

    engine = checked_engine()
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

    engine = database_engine()
    where = engine.url.render_as_string(hide_password=True)
    try:
        counts = restore_from_file(engine, file)
    except (BackupError, OperationalError, OSError, UnicodeDecodeError, EOFError) as error:
        click.echo(f"error: {str(error).splitlines()[0] if str(error) else type(error).__name__}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    click.echo(f"{where}: restored {sum(counts.values())} rows in {len(counts)} tables from {file}")
