"""Throwaway PostgreSQL databases for tests and benchmarks: each gets an empty database of its
own beside the one a URL names (which needs the CREATEDB privilege), dropped afterwards."""
from __future__ import annotations

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
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
