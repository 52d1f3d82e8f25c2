"""Alembic's entry point: runs on the connection assess.db.schema hands over, against the models' metadata."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.types import TypeDecorator

from assess.db.schema import target_metadata


def render_item(kind: str, item: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    """Write SQLModel's column types as the SQLAlchemy types they store, so migrations never import SQLModel."""
    if kind == "type" and isinstance(item, TypeDecorator) and type(item).__module__.startswith("sqlmodel"):
        return f"sa.{item.impl!r}"
    return False


context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=target_metadata(),
    # Batch mode rewrites ALTERs that SQLite cannot do as copy-and-rename; PostgreSQL runs them directly.
    render_as_batch=True,
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
