"""Throwaway PostgreSQL databases for tests and benchmarks: each gets an empty database of its
own beside the one a URL names (which needs the CREATEDB privilege), dropped afterwards."""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from evoforge.archive.location import resolve_url


@contextmanager
def scratch_database(url: str, prefix: str = "evoforge_scratch") -> Iterator[str]:
    """Yields the URL (password included) of a new empty database on the server at `url`.
    Raises sqlalchemy's OperationalError when the server cannot be reached."""
    base = resolve_url(url)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            _drop(admin, name)
    finally:
        admin.dispose()


def _drop(admin: sa.Engine, name: str, attempts: int = 20) -> None:
    """Drops the database, waiting out a server process of another role (an autovacuum worker
    visiting the new database), which FORCE may not terminate without superuser rights."""
    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.DBAPIError as error:
            if "pg_signal_backend" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.5)
