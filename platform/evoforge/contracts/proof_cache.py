"""Remembers what checking a spec file found, so an unchanged file is checked again without the
solver: `specs check` of a cached file imports neither z3 nor the expression compilers.

An entry's key is the file's text together with everything else that decides the outcome: the
evoforge version, the state of the prover's own source files (name, modification time and size,
what Python itself goes by to run a module's compiled code; an editable install keeps its
version while the code changes), the installed z3 version and the solver timeout. The entry
holds its whole key and is used only for that very key: a change to any part is a miss, and the
file is proven again. (The entry's file name is a CRC of the key; two keys sharing one only
take turns in it.) The entry holds the very outcome the solver gave (proven, or the
counterexample and reason), so a cached "proven" means what a fresh one does. No cryptographic
hash is needed, whose OpenSSL library would cost `specs check` more start-up time than the rest.
Entries live under the user's cache folder (platformdirs; `$EVOFORGE_CACHE_DIR` instead), are written atomically, and one that
cannot be read or parsed is ignored (and replaced by the next check)."""
from __future__ import annotations

import functools
import importlib.util
import json
import os
import zlib

import evoforge
from evoforge.cache_folder import cache_folder, write_atomically
from evoforge.contracts.outcome import Checked, Proof, SpecError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FORMAT = 2  # the layout of an entry; bump it when it changes


class ProofCache:
    def __init__(self, folder: str | Path | None = None):
        self.folder = folder or cache_folder("proofs")

    def key(self, text: str, timeout_ms: int) -> str:
        """Everything that decides the outcome of checking `text`, as one string."""
        return "\0".join((str(FORMAT), evoforge.__version__, _prover_state(), _z3_version(), str(timeout_ms), text))

    def get(self, key: str, file: str) -> list[Checked | SpecError] | None:
        """The outcome stored under `key`, told as being about `file`; None if absent, unreadable
        or stored under another key."""
        try:
            with open(self.path(key), encoding="utf-8") as stored:
                entry = json.load(stored)
            if entry["key"] != key:
                return None
            return [_item(file, raw) for raw in entry["items"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, truncated or not ours: prove again

    def put(self, key: str, items: list[Checked | SpecError]) -> None:
        """Store `items` under `key`; a folder that cannot be written only means no cache."""
        try:
            text = json.dumps({"key": key, "items": [_raw(item) for item in items]})
        except (TypeError, ValueError):
            return  # a counterexample value JSON cannot hold: keep the file uncached
        write_atomically(self.path(key), text)

    def path(self, key: str) -> str:
        """The file of the entry for `key`."""
        data = key.encode("utf-8")
        return os.path.join(self.folder, f"{zlib.crc32(data):08x}-{len(data):x}.json")


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
def _prover_state() -> str:
    """The source files of the contracts package (the parser, the compilers and the prover), each
    by name, modification time and size."""
    folder = os.path.dirname(os.path.abspath(__file__))
    files = sorted(name for name in os.listdir(folder) if name.endswith(".py"))
    return ",".join(f"{name} {(stat := os.stat(os.path.join(folder, name))).st_mtime_ns} {stat.st_size}" for name in files)


@functools.cache
def _z3_version() -> str:
    """The installed z3's version, read from its distribution's folder name without importing z3
    (which is what a cache hit avoids); a z3 without one is told by its library file instead."""
    spec = importlib.util.find_spec("z3")
    if spec is None or spec.origin is None:
        return "no z3"
    package = os.path.dirname(spec.origin)
    versions = sorted(name for name in os.listdir(os.path.dirname(package)) if name.startswith("z3_solver-") and name.endswith(".dist-info"))
    if versions:
        return ",".join(versions)
    libraries = os.path.join(package, "lib")
    found = sorted(name for name in os.listdir(libraries) if name.startswith("libz3")) if os.path.isdir(libraries) else []
    library = os.path.join(libraries, found[0]) if found else spec.origin
    stat = os.stat(library)
    return f"{library} {stat.st_size} {stat.st_mtime_ns}"
