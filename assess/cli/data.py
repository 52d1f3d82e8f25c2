"""Accounts and the data lifecycle: user create/deactivate/activate/reset-password/revoke-tokens, purge, backup, restore."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from assess.cli import database_engine, main

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from assess.db.models import User


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


def _change_account(email: str, change: Callable[[Session, User], str]) -> None:
    """Look the account up by e-mail, apply `change` (which says what it did), commit; exit 2 when refused."""
    from sqlmodel import Session

    from assess.services import accounts

    engine = checked_engine()
    try:
        with Session(engine) as session:
            user = accounts.user_by_email(session, email)
            if user is None:
                click.echo(f"error: there is no account for {accounts.normalise_email(email)!r}", err=True)
                sys.exit(2)
            try:
                done = change(session, user)
            except accounts.AccountError as error:
                click.echo(f"error: {error}", err=True)
                sys.exit(2)
            session.commit()
    finally:
        engine.dispose()
    click.echo(done)


@user.command("deactivate")
@click.argument("email")
@click.option("--force", is_flag=True, help="Even the workspace's last active admin (the workspace then has none).")
def user_deactivate(email: str, force: bool) -> None:
    """Lock an account out: its sessions end at once, its API tokens stop working, it cannot sign in."""
    from assess.services import accounts

    def change(session: Session, user: User) -> str:
        accounts.deactivate_user(session, user, actor=None, keep_an_admin=not force)
        return f"deactivated {user.email}: its sessions have ended and its API tokens no longer work"

    _change_account(email, change)


@user.command("activate")
@click.argument("email")
def user_activate(email: str) -> None:
    """Let a deactivated account sign in again (its API tokens work again unless revoked)."""
    from assess.services import accounts

    def change(session: Session, user: User) -> str:
        accounts.activate_user(session, user, actor=None)
        return f"activated {user.email}"

    _change_account(email, change)


@user.command("reset-password")
@click.argument("email")
@click.password_option(envvar="ASSESS_PASSWORD", help="New password (prompted when not given; or $ASSESS_PASSWORD).")
def user_reset_password(email: str, password: str) -> None:
    """Give an account a new password; all its sessions end."""
    from assess.services import accounts

    def change(session: Session, user: User) -> str:
        accounts.reset_password(session, user, password, actor=None)
        return f"new password set for {user.email}: its sessions have ended"

    _change_account(email, change)


@user.command("revoke-tokens")
@click.argument("email")
def user_revoke_tokens(email: str) -> None:
    """Revoke every API token of an account."""
    from assess.services import accounts

    def change(session: Session, user: User) -> str:
        return f"revoked {accounts.revoke_api_tokens(session, user, actor=None)} API tokens of {user.email}"

    _change_account(email, change)



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
