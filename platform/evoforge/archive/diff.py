"""Differences between two file sets, computed from their manifests: files whose hash did not
change are skipped without reading them."""
from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from evoforge.archive.records import FileChange


def changed_paths(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    return sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))


def diff_manifests(
    old: Mapping[str, str], new: Mapping[str, str], texts: Callable[[list[str]], Mapping[str, str]]
) -> list[FileChange]:
    """The file changes from `old` to `new` (manifests); `texts` loads blob texts by hash."""
    paths = changed_paths(old, new)
    loaded = texts([m[path] for m in (old, new) for path in paths if path in m])
    changes = []
    for path in paths:
        before = loaded[old[path]] if path in old else ""
        after = loaded[new[path]] if path in new else ""
        change = "added" if path not in old else "removed" if path not in new else "modified"
        lines = difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True),
            fromfile=f"a/{path}" if path in old else "/dev/null",
            tofile=f"b/{path}" if path in new else "/dev/null",
        )
        changes.append(FileChange(path, change, "".join(lines)))
    return changes
