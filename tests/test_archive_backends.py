"""Backends for the archive tests: every test taking `archive_url` or `archive` runs once on
SQLite and once on a real PostgreSQL server (a scratch database per test). Other test_archive
modules import these fixtures. The tests here cover opening archives and their error messages."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from evoforge.archive import Archive, ArchiveError, open_archive, resolve_url
from evoforge.archive.location import ENV_VAR
from scratch_db import scratch_database
from evoforge.errors import EvoforgeError
from support import service_unavailable

PG_ENV = "EVOFORGE_TEST_PG_URL"


def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        service_unavailable(f"{PG_ENV} is not set (see .ci/services/20-postgres.sh)")
    try:
        with scratch_database(base, prefix="evoforge_test") as url:
            yield url
    except sa.exc.OperationalError as error:  # raised while making the database, not by the test
        service_unavailable(f"PostgreSQL at {PG_ENV} is unreachable: {str(error.orig).strip()}")


def backend_url(backend: str, tmp_path: os.PathLike[str]) -> Iterator[str]:
    if backend == "sqlite":
        yield os.path.join(tmp_path, f"archive-{uuid.uuid4().hex[:6]}.db")
    else:
        yield from postgres_database()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def archive_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    yield from backend_url(request.param, tmp_path)


@pytest.fixture(params=BACKENDS)
def other_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """A second, independent archive location (for moving runs between backends)."""
    yield from backend_url(request.param, tmp_path)


@pytest.fixture
def archive(archive_url: str) -> Iterator[Archive]:
    with open_archive(archive_url) as opened:
        yield opened


def test_a_plain_path_is_a_sqlite_file(tmp_path):
    url = resolve_url(str(tmp_path / "a.db"))
    assert url.drivername == "sqlite" and url.database == str(tmp_path / "a.db")


def test_postgres_urls_get_the_psycopg_driver():
    for given in ("postgres://u:p@h:5/db", "postgresql://u:p@h:5/db", "postgresql+psycopg://u:p@h:5/db"):
        url = resolve_url(given)
        assert (url.drivername, url.host, url.port, url.database) == ("postgresql+psycopg", "h", 5, "db")


def test_default_location_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with open_archive(None) as archive:
        archive.create_run("d", "m")
    assert (tmp_path / "data" / "evoforge" / "archive.db").is_file()


@pytest.mark.parametrize("url, words", [
    ("mysql://u@h/db", "uses 'mysql': use a file path"),
    ("sqlite://", "names no file"),
    ("sqlite:///:memory:", "names no file"),
])
def test_unsupported_urls_are_refused_with_a_hint(url, words):
    with pytest.raises(EvoforgeError, match=words):
        resolve_url(url)


def test_a_missing_file_is_an_error_unless_creating(tmp_path):
    missing = tmp_path / "nope.db"
    with pytest.raises(ArchiveError, match=f"{missing} does not exist"):
        open_archive(str(missing), create=False)
    assert not missing.exists()
    with pytest.raises(ArchiveError, match="directory .* does not exist"):
        open_archive(str(tmp_path / "no" / "dir" / "a.db"))


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is not sqlite, it is a shopping list\n" * 100)
    with pytest.raises(ArchiveError, match=f"cannot open archive {junk}: file is not a database"):
        open_archive(str(junk))


def test_an_unreachable_server_is_one_clear_error():
    # Port 1 on localhost: nothing listens there, so the connection is refused at once.
    with pytest.raises(ArchiveError, match=r"cannot open archive postgresql\+psycopg://u:\*\*\*@127.0.0.1:1/db"):
        open_archive("postgresql://u:secret@127.0.0.1:1/db")


def test_each_backend_is_the_real_thing(archive, request):
    assert archive.engine.dialect.name == request.node.callspec.params["archive_url"]
