"""Schema versions: brings an archive to the newest schema when it is opened.

The revision lives in the `evoforge_schema_version` table (alembic's version table, renamed so
it cannot clash with another alembic user of a shared PostgreSQL database). An archive already
at `HEAD` opens with one query; only an older one loads alembic and migrates (migrate.py).
The names of the version table and of `HEAD` need no SQLAlchemy (listing.py reads them).
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

VERSION_TABLE = "evoforge_schema_version"
HEAD = "0004"  # the newest revision in migrations/versions/ (a test checks it is alembic's head)


def current_revision(connection: Connection) -> str | None:
    """The archive's revision, None for one without evoforge's version table."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: Engine, where: str, target: str = "head") -> str | None:
    """Migrates the archive at `engine` to `target`; returns the revision it had before
    (None for a fresh archive). `where` names the archive in error messages."""
    with engine.connect() as connection:
        before = current_revision(connection)
    if before == HEAD and target == "head":
        return before
    from evoforge.archive.migrate import migrate  # alembic: only when there is something to do

    return migrate(engine, where, target)
