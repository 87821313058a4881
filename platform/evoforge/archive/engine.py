"""Engines for both backends, set up so several processes can write one archive at once.

SQLite: WAL (readers never block the writer), a busy timeout, foreign keys on, and write
transactions opened with BEGIN IMMEDIATE. A deferred BEGIN that later upgrades to a write can
fail at once with "database is locked" under contention, whatever the timeout; taking the
write lock up front makes writers queue on the busy timeout instead.
"""
from __future__ import annotations

from evoforge.archive.errors import ArchiveError
from evoforge.archive.location import describe

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Any

    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

BUSY_TIMEOUT_S = 60  # listing.py reads without SQLAlchemy and waits as long: hence the imports in the functions
WRITE_OPTION = "evoforge_write"


def make_engine(url: URL, *, create: bool) -> Engine:
    """An engine for `url`; for SQLite, a missing file is created only when `create` is set."""
    from sqlalchemy import create_engine

    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, create=create)
    return create_engine(url, pool_pre_ping=True)


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions take the write lock when they begin."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_engine(url: URL, *, create: bool) -> Engine:
    from pathlib import Path

    path = Path(url.database or "")
    if not path.exists():
        if not create:
            raise ArchiveError(f"archive file {path} does not exist: check --db (or $EVOFORGE_DB)")
        if not path.parent.is_dir():
            raise ArchiveError(f"cannot create archive {path}: directory {path.parent} does not exist")
    from sqlalchemy import create_engine, event

    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def unreachable(url: URL, error: Exception) -> ArchiveError:
    """The one-line message for an archive that cannot be opened at all."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return ArchiveError(f"cannot open archive {describe(url)}: {reason}")
