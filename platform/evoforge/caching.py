"""evoforge's cache folder, and answers remembered in it until a file they were read from changes
(`remembered`): `evoforge domains` uses it for the installed packages' entry points (found by
reading every distribution of the environment) and the built-in domain folders' manifests.

An answer is stored with the paths it was read from and their state (modification time and
size, or absence), and is used again only while `key` is the same and every path is unchanged.
An answer read while one of its paths had changed in the last two seconds is not stored: a
later change within the file system's timestamp granularity could otherwise go unseen. A cache
file that cannot be read or written only means computing the answer again.

The cache folder is $EVOFORGE_CACHE_DIR, else the user's cache folder (platformdirs); the proof
cache (contracts/proof_cache.py) keeps its entries there too."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

CACHE_ENV = "EVOFORGE_CACHE_DIR"  # a cache folder instead of the user's (platformdirs)
SETTLED_NS = 2_000_000_000  # a path changed more recently than this may change again unseen


def cache_folder(part: str) -> str:
    """The folder `part` of evoforge's cache (it may not exist yet)."""
    base = os.environ.get(CACHE_ENV)
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("evoforge")
    return os.path.join(base, part)


def remembered(name: str, key: list[str], compute: Callable[[], tuple[object, Iterable[str]]]) -> object:
    """The answer of `compute()` (which returns the answer and the paths it read), from the cache
    entry `name` while `key` and those paths are as they were; computed and stored otherwise."""
    import json

    file = os.path.join(cache_folder("answers"), f"{name}.json")
    try:
        with open(file, encoding="utf-8") as stored:
            entry = json.load(stored)
        if entry["key"] == key and entry["state"] == _state(entry["paths"]):
            return entry["answer"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent, unreadable or not ours: compute it again
    answer, read = compute()
    paths = sorted(set(read))
    state = _state(paths)
    if all(mtime < time.time_ns() - SETTLED_NS for mtime, _ in filter(None, state)):
        write_atomically(file, json.dumps({"key": key, "paths": paths, "state": state, "answer": answer}))
    return answer


def _state(paths: list[str]) -> list[list[int] | None]:
    """(modification time, size) of each path, None for a missing one."""
    state: list[list[int] | None] = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            state.append(None)
        else:
            state.append([stat.st_mtime_ns, stat.st_size])
    return state


def write_atomically(file: str | os.PathLike[str], text: str) -> None:
    """Writes `text` to `file` (and its folder) so that readers see the old file or the whole new
    one; a folder that cannot be written only means no cache."""
    import tempfile

    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(file), suffix=".tmp", delete=False, encoding="utf-8") as out:
            out.write(text)
        os.replace(out.name, file)
    except OSError:
        pass
