"""Schema versions: brings an archive to the newest schema with alembic when it is opened.

The revision lives in the `evoforge_schema_version` table (alembic's version table, renamed so
it cannot clash with another alembic user of a shared PostgreSQL database). Upgrades run in one
write-locked transaction, so processes opening a fresh archive at once migrate it only once.
"""
from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from evoforge.archive.engine import writer
from evoforge.archive.errors import ArchiveError

VERSION_TABLE = "evoforge_schema_version"
MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x65766F66  # "evof": serialises migrations across PostgreSQL sessions


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, f"no migrations in {MIGRATIONS}"
    return head


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(engine: Engine, where: str, target: str = "head") -> str | None:
    """Migrates the archive at `engine` to `target`; returns the revision it had before
    (None for a fresh archive). `where` names the archive in error messages."""
    with engine.connect() as connection:
        before = current_revision(connection)
    if before == head_revision() and target == "head":
        return before
    with writer(engine).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # a migration that rebuilds a table must not trip the foreign keys pointing at it
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                before = current_revision(connection)  # another process may have migrated meanwhile
                _check(connection, before, where)
                command.upgrade(alembic_config(connection), target)
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")
    return before


def _check(connection: Connection, revision: str | None, where: str) -> None:
    if revision is None:
        if inspect(connection).has_table("variants"):
            raise ArchiveError(f"{where} has archive tables but no {VERSION_TABLE} table: it was not made by evoforge")
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        raise ArchiveError(
            f"archive {where} has schema version {revision}, newer than this evoforge knows "
            f"(newest {head_revision()}): upgrade evoforge to open it"
        ) from None
