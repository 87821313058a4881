"""Export and import of one run as a single gzip file of JSON lines, to share a run or move it
between SQLite and PostgreSQL. Ids are renumbered on import; the run's `uid` is kept, so the
same run cannot be imported twice into one archive.

File layout: a header line, then one line per row in the order of `_SECTIONS` (parents before
children, because ids grow), then one line per blob the run's manifests name.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlmodel import Session

from evoforge.archive import blobs
from evoforge.archive.archive import Archive
from evoforge.archive.errors import ArchiveError
from evoforge.archive.revision import HEAD
from evoforge.archive.tables import (Blob, ContractEvent, Evaluation, ModelUsage, Run, RunEvent, SynthesisCandidate, UTCDateTime,
                                     Variant)

FORMAT = "evoforge-run"
FORMAT_VERSION = 1
# (record type, table, the column tying a row to its run: directly, or through its variant)
_SECTIONS: list[tuple[str, Table, str]] = [
    (name, model.__table__, owner)  # type: ignore[attr-defined]
    for name, model, owner in [
        ("run", Run, "id"), ("variant", Variant, "run_id"), ("evaluation", Evaluation, "variant_id"),
        ("contract_event", ContractEvent, "run_id"), ("model_usage", ModelUsage, "run_id"),
        ("run_event", RunEvent, "run_id"),
        ("synthesis_candidate", SynthesisCandidate, "run_id"),  # refers to its run's candidates by index: no renumbering
    ]
]
_TABLES = {name: table for name, table, _ in _SECTIONS}
_BATCH = 2000


def export_run(archive: Archive, run_id: int | str, path: str | os.PathLike[str]) -> int:
    """Writes the run to `path` (replaced atomically); returns the number of rows written."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        with archive._read(snapshot=True) as session:
            run = archive._find_run(session, run_id)
            with gzip.open(partial, "wt", encoding="utf-8") as out:
                count = _write_run(session, run.id, out)
        os.replace(partial, target)
    except OSError as error:
        raise ArchiveError(f"cannot write export {target}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)  # only left over when something failed
    return count


def _write_run(session: Session, run_id: int, out: IO[str]) -> int:
    _line(out, {"format": FORMAT, "version": FORMAT_VERSION, "schema": HEAD})
    variant_ids = select(Variant.id).where(Variant.run_id == run_id).scalar_subquery()
    hashes: set[str] = set()
    count = 0
    for kind, table, owner in _SECTIONS:
        scope = table.c[owner].in_(variant_ids) if owner == "variant_id" else table.c[owner] == run_id
        for row in session.execute(select(table).where(scope).order_by(table.c.id)).yield_per(_BATCH):
            values = dict(row._mapping)
            if kind == "variant":
                hashes.update(values["manifest"].values())
            _line(out, {"type": kind, "row": {k: _jsonable(v) for k, v in values.items()}})
            count += 1
    ordered = sorted(hashes)
    for start in range(0, len(ordered), _BATCH):
        chunk = ordered[start:start + _BATCH]
        for key, data in session.execute(select(Blob.sha256, Blob.data).where(Blob.sha256.in_(chunk))):
            _line(out, {"type": "blob", "sha256": key, "text": zlib.decompress(data).decode("utf-8")})
    return count


def _line(out: IO[str], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, separators=(",", ":")) + "\n")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def import_run(archive: Archive, path: str | os.PathLike[str]) -> Run:
    """Adds the exported run in `path` to the archive in one transaction; returns the new run."""
    sections, texts = _read_file(Path(path))
    run_row = sections.pop("run")[0]
    with archive._write() as session:
        existing = session.scalars(select(Run).where(Run.uid == run_row["uid"])).first()
        if existing is not None:
            raise ArchiveError(f"run {run_row['uid']} from {path} is already in archive {archive.where} as run {existing.id}")
        blobs.store(session, texts.values())
        ids = _Renumbering(session.connection())
        run_id = ids.insert("run", [run_row])[0]
        variants = sections.pop("variant", [])
        missing = {h for v in variants for h in v["manifest"].values()} - texts.keys()
        if missing:
            raise ArchiveError(f"export {path} is incomplete: it lacks blob {sorted(missing)[0]}")
        ids.insert_variants(run_id, variants)
        for kind, rows in sections.items():
            ids.insert(kind, [{**row, "run_id": run_id} if "run_id" in row else row for row in rows])
        return session.get(Run, run_id)


class _Renumbering:
    """Inserts exported rows under new ids, translating every reference to an old id."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.variant_ids: dict[int, int] = {}

    def insert(self, kind: str, rows: list[dict[str, Any]]) -> list[int]:
        table = _TABLES[kind]
        values = [self._values(table, row) for row in rows]
        new_ids: list[int] = []
        for start in range(0, len(values), _BATCH):
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            new_ids += self.connection.execute(statement, values[start:start + _BATCH]).scalars().all()
        return new_ids

    def insert_variants(self, run_id: int, rows: list[dict[str, Any]]) -> None:
        # Parents first with no link, then the links: a batch may hold a parent and its child.
        new_ids = self.insert("variant", [{**row, "run_id": run_id, "parent_id": None} for row in rows])
        self.variant_ids = {row["id"]: new for row, new in zip(rows, new_ids)}
        links = [{"new_id": self.variant_ids[row["id"]], "new_parent": self.variant_ids[row["parent_id"]]}
                 for row in rows if row["parent_id"] is not None]
        if links:
            table = _TABLES["variant"]
            statement = update(table).where(table.c.id == bindparam("new_id")).values(parent_id=bindparam("new_parent"))
            self.connection.execute(statement, links)

    def _values(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in row.items() if k != "id" and k in table.c}
        if values.get("variant_id") is not None:
            values["variant_id"] = self.variant_ids[values["variant_id"]]
        if isinstance(values.get("payload"), dict) and "variant_id" in values["payload"]:
            payload = values["payload"]
            values["payload"] = {**payload, "variant_id": self.variant_ids.get(payload["variant_id"])}
        for column in table.c:
            if isinstance(column.type, UTCDateTime) and values.get(column.name) is not None:
                values[column.name] = datetime.fromisoformat(values[column.name])
        return values


def _read_file(path: Path) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """The file's rows by section and its blobs by hash, checked against the header and hashes."""
    sections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    texts: dict[str, str] = {}
    records = _records(path)
    header = next(records, None)
    if not header or header.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not an evoforge run export")
    if header.get("version") != FORMAT_VERSION:
        raise ArchiveError(f"{path} is export format {header.get('version')}; this evoforge reads {FORMAT_VERSION}")
    for record in records:
        if record.get("type") == "blob":
            if blobs.sha256(record["text"]) != record["sha256"]:
                raise ArchiveError(f"{path} is corrupt: blob {record['sha256']} does not match its content")
            texts[record["sha256"]] = record["text"]
        elif record.get("type") in _TABLES:
            sections[record["type"]].append(record["row"])
        else:
            raise ArchiveError(f"{path} holds an unknown record type {record.get('type')!r}")
    if len(sections.get("run", [])) != 1:
        raise ArchiveError(f"{path} must hold exactly one run")
    return sections, texts


def _records(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise ArchiveError(f"{path}:{number}: not JSON ({error.msg})") from None
    except FileNotFoundError:
        raise ArchiveError(f"export file {path} does not exist") from None
    except (gzip.BadGzipFile, EOFError, UnicodeDecodeError) as error:
        raise ArchiveError(f"{path} is not an evoforge run export (gzip JSON lines): {error}") from None
