"""The runs as `evoforge runs` lists them, read with the database's own driver (sqlite3 or
psycopg) instead of the ORM, whose import alone takes longer than the whole command should.

`read_runs` answers only where it reads exactly what the Archive would: an archive named by a
plain file path, by `sqlite:///FILE`, or by a `postgresql://USER:PASSWORD@HOST:PORT/DB` URL of
plain characters (no query, no %-escapes), that exists and is at schema `HEAD`. Anywhere else it
returns None, and the caller opens the Archive, which migrates an older archive or says in one
line what is wrong. `summary_line` turns the Archive's `runs()` into the same lines, and a test
compares both listings on both backends."""
from __future__ import annotations

import os
import re
from collections import namedtuple

from evoforge.archive.engine import BUSY_TIMEOUT_S
from evoforge.archive.location import given
from evoforge.archive.schema import HEAD, VERSION_TABLE
from evoforge.archive.statuses import VariantStatus
from evoforge.evolution.liveness import displayed_status
from evoforge.pathtext import as_absolute
from evoforge.runkinds import kind_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Any

    from evoforge.archive.records import RunSummary
    from evoforge.archive.tables import Run


# Plain named tuples, not typing.NamedTuple: `evoforge runs` starts without importing typing.
class RunLine(namedtuple("RunLine", "id kind domain model status generation progress valid total best cost_usd")):
    """One run as `evoforge runs` lists it: `id`, `kind` (evolution, synthesis...), `domain`,
    `model`, `status` as displayed (a running run whose process died is "interrupted"),
    `generation`, `progress` (0..1), `valid` of `total` (valid variants of all variants, or
    proven candidates of all candidates of a synthesis run: a run has one or the other), the
    `best` score (None without a valid variant) and `cost_usd`."""

    __slots__ = ()


class _StoredRun(namedtuple("_StoredRun", "id config domain model status host pid generation progress cost_usd")):
    """The columns of a `runs` row the listing reads, named as the `Run` table names them."""

    __slots__ = ()


# Archive.runs (runs.py) as plain SQL: each run with its variant and candidate counts, newest first.
_QUERY = f"""
SELECT r.id, r.config, r.domain, r.model, r.status, r.host, r.pid, r.generation, r.progress, r.cost_usd,
       v.variants, v.valid, v.best, c.candidates, c.proven
FROM runs AS r
LEFT OUTER JOIN (
    SELECT run_id, count(*) AS variants, sum(CASE WHEN status = '{VariantStatus.VALID}' THEN 1 ELSE 0 END) AS valid,
           max(CASE WHEN status = '{VariantStatus.VALID}' THEN score END) AS best
    FROM variants GROUP BY run_id) AS v ON v.run_id = r.id
LEFT OUTER JOIN (
    SELECT run_id, count(*) AS candidates, sum(CASE WHEN status = 'proven' THEN 1 ELSE 0 END) AS proven
    FROM synthesis_candidates GROUP BY run_id) AS c ON c.run_id = r.id
ORDER BY r.id DESC
"""
_PLAIN = r"[A-Za-z0-9._~-]+"  # URL parts that SQLAlchemy neither unquotes nor quotes
_POSTGRES_URL = (rf"(?:postgres|postgresql|postgresql\+psycopg)://(?:(?P<user>{_PLAIN})(?::(?P<password>{_PLAIN}))?@)?"
                 rf"(?P<host>{_PLAIN})(?::(?P<port>[0-9]+))?/(?P<dbname>{_PLAIN})")
_SQLITE_URL = "sqlite:///"


def run_line(run: Run | _StoredRun, variants: int | None, valid: int | None, best: float | None,
             candidates: int | None, proven: int | None) -> RunLine:
    """The line of one run, from its counts (None: a run without variants, or without candidates)."""
    return RunLine(int(run.id or 0), kind_name(run.config), run.domain, run.model, displayed_status(run), run.generation,
                   run.progress, int(valid or 0) + int(proven or 0), (variants or 0) + (candidates or 0), best, run.cost_usd)


def summary_line(summary: RunSummary) -> RunLine:
    """The line of a run the Archive listed (`Archive.runs()`)."""
    return run_line(summary.run, summary.variants, summary.valid_variants, summary.best_score, summary.candidates,
                    summary.proven_candidates)


def read_runs(url_or_path: str | os.PathLike[str] | None) -> tuple[str, list[RunLine]] | None:
    """(where the archive is, as the Archive names it; its runs, newest first), or None where
    only the Archive can answer (see the module's docstring)."""
    text = given(url_or_path)
    if "://" not in text:
        file = as_absolute(text)  # as the Archive names it (location.resolve_url)
        return _from_sqlite(file, file)
    if text.startswith(_SQLITE_URL) and not any(c in text for c in "?%"):
        database = text[len(_SQLITE_URL):]
        return _from_sqlite(database, os.path.abspath(database)) if database not in ("", ":memory:") else None
    match = re.fullmatch(_POSTGRES_URL, text)
    return _from_postgres(match) if match else None


def _from_sqlite(where: str, file: str) -> tuple[str, list[RunLine]] | None:
    import sqlite3

    if not os.path.isfile(file):
        return None  # the Archive says it does not exist
    # mode=rw: never create a file; read-write like the Archive, so closing removes the WAL files.
    uri = "file:" + file.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + "?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            rows = _rows(connection, json_text=True)
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return _listing(where, rows)


def _from_postgres(match: re.Match[str]) -> tuple[str, list[RunLine]] | None:
    import psycopg

    user, password, host, port, dbname = match.group("user", "password", "host", "port", "dbname")
    # As SQLAlchemy shows the URL (render_as_string(hide_password=True)) and connects with it.
    where = ("postgresql+psycopg://" + (f"{user}{':***' if password else ''}@" if user else "") + host
             + (f":{int(port)}" if port else "") + f"/{dbname}")
    options = {"host": host, "port": int(port) if port else None, "user": user, "password": password, "dbname": dbname}
    try:
        with psycopg.connect(**{key: value for key, value in options.items() if value is not None}) as connection:
            rows = _rows(connection, json_text=False)
    except psycopg.Error:
        return None
    return _listing(where, rows)


def _rows(connection: Any, *, json_text: bool) -> list[tuple[Any, ...]] | None:
    """The listing's rows, None when the archive is not at `HEAD` (or has no version table)."""
    cursor = connection.cursor()
    try:
        cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
        if cursor.fetchall() != [(HEAD,)]:
            return None
        cursor.execute(_QUERY)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not json_text or not rows:  # psycopg decodes JSON columns itself; SQLite holds them as text
        return rows
    import json

    return [(row[0], json.loads(row[1]), *row[2:]) for row in rows]


def _listing(where: str, rows: list[tuple[Any, ...]] | None) -> tuple[str, list[RunLine]] | None:
    if rows is None:
        return None
    return where, [run_line(_StoredRun(*row[:10]), *row[10:]) for row in rows]
