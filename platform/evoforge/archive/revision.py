"""Schema revisions: which one this evoforge writes (`HEAD`), where an archive records its own
(`VERSION_TABLE`), and reading it.

The revision lives in the `evoforge_schema_version` table (alembic's version table, renamed so
it cannot clash with another alembic user of a shared PostgreSQL database). The names need no
SQLAlchemy: listing.py reads them with the database's own driver."""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSION_TABLE = "evoforge_schema_version"
HEAD = "0004"  # the newest revision in migrations/versions/ (a test checks it is alembic's head)


def current_revision(connection: Connection) -> str | None:
    """The archive's revision, None for one without evoforge's version table."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
