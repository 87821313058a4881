"""Where an archive lives: turns `--db` values (None, a path, a URL) into one SQLAlchemy URL.

SQLAlchemy and platformdirs are imported only where needed, so that listing runs without the
ORM (listing.py) can find the archive through the same functions."""
from __future__ import annotations

import os

from evoforge.archive.errors import ArchiveError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import URL

ENV_VAR = "EVOFORGE_DB"
_POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}


def default_path() -> Path:
    """The SQLite file used when neither `--db` nor $EVOFORGE_DB names an archive."""
    from pathlib import Path

    import platformdirs

    return Path(platformdirs.user_data_dir("evoforge", appauthor=False)) / "archive.db"


def given(url_or_path: str | os.PathLike[str] | None) -> str:
    """The archive named by `--db` (a path or a URL), or by $EVOFORGE_DB, or the default file."""
    if url_or_path is None:
        url_or_path = os.environ.get(ENV_VAR) or default_path()
    return os.fspath(url_or_path)


def resolve_url(url_or_path: str | os.PathLike[str] | None) -> URL:
    """None -> $EVOFORGE_DB or the default file; a plain path -> SQLite; `postgres(ql)://` -> psycopg."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    text = given(url_or_path)
    if "://" not in text:
        return URL.create("sqlite", database=sqlite_file(text))
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise ArchiveError(f"archive URL {text!r} is malformed: {error}") from None
    if url.drivername in _POSTGRES_SCHEMES:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ArchiveError(f"archive URL {text!r} names no file: use sqlite:///path/to/archive.db")
        return url
    raise ArchiveError(
        f"archive URL {url.render_as_string(hide_password=True)!r} uses {url.drivername!r}: "
        "use a file path, sqlite:///FILE or postgresql://USER@HOST/DB"
    )


def sqlite_file(path: str) -> str:
    """The file a plain path names, as the archive names it: user expanded, absolute, tidied."""
    return os.path.abspath(os.path.expanduser(path))


def describe(url: URL) -> str:
    """The URL as shown to people: the file for SQLite, the URL without password otherwise."""
    if url.get_backend_name() == "sqlite":
        return url.database or ""
    return url.render_as_string(hide_password=True)
