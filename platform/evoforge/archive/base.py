"""What every part of the Archive shares: the engine, sessions for reading and for writing,
and lookups that turn a missing id into a clear error."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlmodel import Session, SQLModel

from evoforge.archive.engine import writer
from evoforge.archive.errors import NotFound
from evoforge.archive.location import describe

Row = TypeVar("Row", bound=SQLModel)


class ArchiveBase:
    def __init__(self, engine: Engine, url: URL, upgraded_from: str | None = None) -> None:
        self.engine = engine
        self.url = url
        self.where = describe(url)
        # The schema revision this open upgraded the archive from (None: nothing to upgrade).
        self.upgraded_from = upgraded_from
        self._writer = writer(engine)

    @contextmanager
    def _read(self, snapshot: bool = False) -> Iterator[Session]:
        """A read-only session; `snapshot` pins one consistent view for multi-query reads."""
        bind = self.engine
        if snapshot and self.engine.dialect.name == "postgresql":
            bind = self.engine.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One atomic write: everything inside commits together or not at all."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def _get(self, session: Session, table: type[Row], key: int, what: str) -> Row:
        row = session.get(table, key)
        if row is None:
            raise NotFound(f"{what} {key} is not in archive {self.where}")
        return row

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "ArchiveBase":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
