"""Brings an archive to the newest schema when it is opened.

An archive already at `HEAD` (revision.py) opens with one query; only an older one loads
alembic and migrates (migrate.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from evoforge.archive.revision import HEAD, current_revision

if TYPE_CHECKING:
    from sqlalchemy import Engine


def upgrade(engine: Engine, where: str, target: str = "head") -> str | None:
    """Migrates the archive at `engine` to `target`; returns the revision it had before
    (None for a fresh archive). `where` names the archive in error messages."""
    with engine.connect() as connection:
        before = current_revision(connection)
    if before == HEAD and target == "head":
        return before
    from evoforge.archive.migrate import migrate  # alembic: only when there is something to do

    return migrate(engine, where, target)
