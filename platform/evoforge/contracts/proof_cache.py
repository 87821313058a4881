"""Remembers what checking a spec file found, so an unchanged file is checked again without the
solver: `specs check` of a cached file imports neither z3 nor the expression compilers.

An entry is keyed by the sha256 of the file's text together with everything else that decides the
outcome: the evoforge version, a digest of the prover's own source (an editable install keeps its
version while the code changes), the installed z3 version and the solver timeout. A change to any
of them is a miss, and the file is proven again. The entry holds the very outcome the solver gave
(proven, or the counterexample and reason), so a cached "proven" means what a fresh one does.
Entries live under the user's cache folder (platformdirs; `$EVOFORGE_CACHE_DIR` instead), are written atomically, and one that
cannot be read or parsed is ignored (and replaced by the next check)."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import evoforge
from evoforge.caching import cache_folder, write_atomically
from evoforge.contracts.outcome import Checked, Proof, SpecError

FORMAT = 1  # the layout of an entry; bump it when it changes


class ProofCache:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or Path(cache_folder("proofs"))

    def key(self, text: str, timeout_ms: int) -> str:
        digest = hashlib.sha256()
        for part in (str(FORMAT), evoforge.__version__, _prover_digest(), _z3_version(), str(timeout_ms), text):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def get(self, key: str, file: str) -> list[Checked | SpecError] | None:
        """The outcome stored under `key`, told as being about `file`; None if absent or unreadable."""
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            return [_item(file, raw) for raw in entry["items"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, truncated or not ours: prove again

    def put(self, key: str, items: list[Checked | SpecError]) -> None:
        """Store `items` under `key`; a folder that cannot be written only means no cache."""
        try:
            text = json.dumps({"items": [_raw(item) for item in items]})
        except (TypeError, ValueError):
            return  # a counterexample value JSON cannot hold: keep the file uncached
        write_atomically(self.folder / f"{key}.json", text)


def _raw(item: Checked | SpecError) -> dict[str, Any]:
    if isinstance(item, SpecError):
        return {"problem": {"line": item.line, "contract": item.contract, "message": item.message, "kind": item.kind}}
    proof = item.proof
    return {"contract": item.name, "line": item.line,
            "proof": {"proven": proof.proven, "reason": proof.reason, "seconds": proof.seconds, "counterexample": proof.counterexample}}


def _item(file: str, raw: dict[str, Any]) -> Checked | SpecError:
    if "problem" in raw:
        p = raw["problem"]
        return SpecError(file, int(p["line"]), p["contract"], str(p["message"]), kind=str(p["kind"]))
    proof = raw["proof"]
    return Checked(str(raw["contract"]), file, int(raw["line"]),
                   Proof(bool(proof["proven"]), str(proof["reason"]), float(proof["seconds"]), proof["counterexample"]), cached=True)


@functools.cache
def _prover_digest() -> str:
    """The source of the contracts package: the parser, the compilers and the prover."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


@functools.cache
def _z3_version() -> str:
    """The installed z3's version, read from its distribution's folder name without importing z3
    (which is what a cache hit avoids); a z3 without one is told by its library file instead."""
    spec = importlib.util.find_spec("z3")
    if spec is None or spec.origin is None:
        return "no z3"
    package = Path(spec.origin).parent
    versions = sorted(p.name for p in package.parent.glob("z3_solver-*.dist-info"))
    if versions:
        return ",".join(versions)
    library = next(package.glob("lib/libz3*"), Path(spec.origin))
    stat = library.stat()
    return f"{library} {stat.st_size} {stat.st_mtime_ns}"
