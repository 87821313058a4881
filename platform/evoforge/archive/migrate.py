"""Migrates an archive with alembic, in one write-locked transaction, so processes opening a
fresh archive at once migrate it only once. Loaded only for an archive older than `HEAD`."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from evoforge.archive.engine import writer
from evoforge.archive.errors import ArchiveError
from evoforge.archive.revision import HEAD, VERSION_TABLE, current_revision

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x65766F66  # "evof": serialises migrations across PostgreSQL sessions


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, where: str, target: str = "head") -> str | None:
    """`schema.upgrade` once the archive is known not to be at the head already."""
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
            f"(newest {HEAD}): upgrade evoforge to open it"
        ) from None
