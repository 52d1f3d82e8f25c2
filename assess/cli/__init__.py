"""The `assess` command line. Heavy imports (Flask, plotly, WeasyPrint) stay inside commands.

One module per group of commands: content (validate, score, report, questionnaire),
server (serve, db) and data (user, purge, backup, restore).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@click.group()
@click.version_option(package_name="assess")
def main() -> None:
    """Digital-readiness assessment: validate questionnaires, score answers, serve the app."""


def database_engine() -> Engine:
    """An engine for the configured database (DATABASE_URL or the embedded SQLite file)."""
    from flask import Flask

    from assess.config import load_config
    from assess.db.session import make_engine

    # The app's own configuration, minus the secret key the database commands do not need.
    config = load_config(Flask("assess", instance_relative_config=True).instance_path, {"SECRET_KEY": ""})
    return make_engine(config["DATABASE_URL"])


from assess.cli import content, data, server  # noqa: E402  (registers the commands)

__all__ = ["content", "data", "database_engine", "main", "server"]
