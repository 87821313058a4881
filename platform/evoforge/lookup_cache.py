"""Slow lookups remembered until a file they were read from changes (`remembered`): `evoforge
domains` uses it for the installed packages' entry points (found by reading every distribution
of the environment) and the built-in domain folders' manifests.

An answer is stored with the paths it was read from and their state (modification time and
size, or absence), and is used again only while `key` is the same and every path is unchanged.
An answer read while one of its paths had changed in the last two seconds is not stored: a
later change within the file system's timestamp granularity could otherwise go unseen. A cache
file that cannot be read or written only means computing the answer again. The answers live in
evoforge's cache folder (cache_folder.py)."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from evoforge.cache_folder import cache_folder, write_atomically

SETTLED_NS = 2_000_000_000  # a path changed more recently than this may change again unseen


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
