"""Content-addressed file storage: a file's text is stored once, under its sha256, however
many variants contain it. A variant keeps only a manifest (path -> sha256)."""
from __future__ import annotations

import hashlib
import importlib
import zlib
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlmodel import Session

from evoforge.archive.tables import Blob


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store(session: Session, texts: Iterable[str]) -> None:
    """Stores the texts not stored yet. Safe against another process storing the same text."""
    by_hash = {sha256(text): text for text in texts}
    present = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(by_hash))))
    rows = [
        {"sha256": key, "size": len(text.encode("utf-8")), "data": zlib.compress(text.encode("utf-8"))}
        for key, text in by_hash.items()
        if key not in present
    ]
    if rows:
        # The backend's own INSERT ... ON CONFLICT; only that dialect's module is loaded (an
        # archive's engine has loaded it already, so a SQLite archive never pays for PostgreSQL's).
        dialect = importlib.import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
        session.execute(dialect.insert(Blob).on_conflict_do_nothing(index_elements=["sha256"]), rows)


def store_files(session: Session, files: Mapping[str, str]) -> dict[str, str]:
    """Stores a file set and returns its manifest."""
    store(session, files.values())
    return {path: sha256(text) for path, text in sorted(files.items())}


def load(session: Session, hashes: Iterable[str]) -> dict[str, str]:
    """sha256 -> text for the given hashes (all of which must be stored)."""
    wanted = set(hashes)
    rows = session.execute(select(Blob.sha256, Blob.data).where(Blob.sha256.in_(wanted)))
    found = {key: zlib.decompress(data).decode("utf-8") for key, data in rows}
    missing = wanted - found.keys()
    assert not missing, f"manifest names blobs that are not stored: {sorted(missing)[:3]}"
    return found


def load_files(session: Session, manifest: Mapping[str, str]) -> dict[str, str]:
    texts = load(session, manifest.values())
    return {path: texts[key] for path, key in manifest.items()}
