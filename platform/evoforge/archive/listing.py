"""The runs listing: one query for every run with its variant and candidate counts, newest
first. `Archive.runs()` runs it through the ORM; `read_runs` runs the same text with the
database's own driver (sqlite3 or psycopg), so `evoforge runs` need not import the ORM, whose
import alone takes longer than the whole command should.

`read_runs` answers only where it reads exactly what the Archive would: an archive named by a
plain file path, by `sqlite:///FILE`, or by a `postgresql://USER:PASSWORD@HOST:PORT/DB` URL of
plain characters (no query, no %-escapes), that exists and is at schema `HEAD`. Anywhere else it
returns None, and the caller opens the Archive, which migrates an older archive or says in one
line what is wrong."""
from __future__ import annotations

import os
import re
from collections import namedtuple

from evoforge.archive.engine import BUSY_TIMEOUT_S
from evoforge.archive.location import given, sqlite_file
from evoforge.archive.revision import HEAD, VERSION_TABLE
from evoforge.archive.statuses import CandidateStatus, VariantStatus

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Any

    from evoforge.archive.tables import Run

# Every column of the run (`r.*`, which the ORM maps onto `Run` by name), then COUNTS.
RUNS_QUERY = f"""
SELECT r.*, v.variants, v.valid, v.best, c.candidates, c.proven
FROM runs AS r
LEFT OUTER JOIN (
    SELECT run_id, count(*) AS variants, sum(CASE WHEN status = '{VariantStatus.VALID}' THEN 1 ELSE 0 END) AS valid,
           max(CASE WHEN status = '{VariantStatus.VALID}' THEN score END) AS best
    FROM variants GROUP BY run_id) AS v ON v.run_id = r.id
LEFT OUTER JOIN (
    SELECT run_id, count(*) AS candidates, sum(CASE WHEN status = '{CandidateStatus.PROVEN}' THEN 1 ELSE 0 END) AS proven
    FROM synthesis_candidates GROUP BY run_id) AS c ON c.run_id = r.id
ORDER BY r.id DESC
"""
COUNTS = ("variants", "valid", "best", "candidates", "proven")  # RUNS_QUERY's columns after the run's
_PLAIN = r"[A-Za-z0-9._~-]+"  # URL parts that SQLAlchemy neither unquotes nor quotes
_POSTGRES_URL = (rf"(?:postgres|postgresql|postgresql\+psycopg)://(?:(?P<user>{_PLAIN})(?::(?P<password>{_PLAIN}))?@)?"
                 rf"(?P<host>{_PLAIN})(?::(?P<port>[0-9]+))?/(?P<dbname>{_PLAIN})")
_SQLITE_URL = "sqlite:///"


# Plain named tuples, not typing.NamedTuple: `evoforge runs` starts without importing typing.
class StoredRun(namedtuple("StoredRun", "id config domain model status host pid generation progress cost_usd")):
    """The columns of a `runs` row that listing it reads, as the `Run` table names them."""

    __slots__ = ()


class RunSummary(namedtuple("RunSummary", "run variants valid_variants best_score candidates proven_candidates", defaults=[0, 0])):
    """One run as listed: the `run` (a `Run` from the Archive, a `StoredRun` from `read_runs`)
    with its `variants`, of which `valid_variants`, the `best_score` of a valid one (None
    without one), and, of a synthesis run, its `candidates`, of which `proven_candidates`."""

    __slots__ = ()


def summarize(run: Run | StoredRun, variants: int | None, valid: int | None, best: float | None,
              candidates: int | None, proven: int | None) -> RunSummary:
    """A row of RUNS_QUERY as a summary (a count is NULL for a run without variants, or candidates)."""
    return RunSummary(run, int(variants or 0), int(valid or 0), best, int(candidates or 0), int(proven or 0))


def read_runs(url_or_path: str | os.PathLike[str] | None) -> tuple[str, list[RunSummary]] | None:
    """(where the archive is, as the Archive names it; its runs, newest first), or None where
    only the Archive can answer (see the module's docstring)."""
    text = given(url_or_path)
    if "://" not in text:
        file = sqlite_file(text)
        return _from_sqlite(file, file)
    if text.startswith(_SQLITE_URL) and not any(c in text for c in "?%"):
        database = text[len(_SQLITE_URL):]
        return _from_sqlite(database, os.path.abspath(database)) if database not in ("", ":memory:") else None
    match = re.fullmatch(_POSTGRES_URL, text)
    return _from_postgres(match) if match else None


def _from_sqlite(where: str, file: str) -> tuple[str, list[RunSummary]] | None:
    import sqlite3

    if not os.path.isfile(file):
        return None  # the Archive says it does not exist
    # mode=rw: never create a file; read-write like the Archive, so closing removes the WAL files.
    uri = "file:" + file.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + "?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            summaries = _summaries(connection, json_text=True)
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return None if summaries is None else (where, summaries)


def _from_postgres(match: re.Match[str]) -> tuple[str, list[RunSummary]] | None:
    import psycopg

    user, password, host, port, dbname = match.group("user", "password", "host", "port", "dbname")
    # As SQLAlchemy shows the URL (render_as_string(hide_password=True)) and connects with it.
    where = ("postgresql+psycopg://" + (f"{user}{':***' if password else ''}@" if user else "") + host
             + (f":{int(port)}" if port else "") + f"/{dbname}")
    options = {"host": host, "port": int(port) if port else None, "user": user, "password": password, "dbname": dbname}
    try:
        with psycopg.connect(**{key: value for key, value in options.items() if value is not None}) as connection:
            summaries = _summaries(connection, json_text=False)
    except psycopg.Error:
        return None
    return None if summaries is None else (where, summaries)


def _summaries(connection: Any, *, json_text: bool) -> list[RunSummary] | None:
    """RUNS_QUERY's rows as summaries, None when the archive is not at `HEAD` (or has no version table)."""
    cursor = connection.cursor()
    try:
        cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
        if cursor.fetchall() != [(HEAD,)]:
            return None
        cursor.execute(RUNS_QUERY)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        cursor.close()
    if json_text and rows:  # psycopg decodes JSON columns itself; SQLite holds them as text
        import json

        for row in rows:
            row["config"] = json.loads(row["config"])
    return [summarize(StoredRun(**{field: row[field] for field in StoredRun._fields}), *(row[count] for count in COUNTS))
            for row in rows]
