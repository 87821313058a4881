"""A process-count limit (and a reliable kill-everything) for the local backend, via the
cgroup `pids` controller (v1 or v2). Root-owned processes ignore RLIMIT_NPROC, so without
a cgroup a fork bomb is bounded only by the wall-clock kill; `available()` says which."""
from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

_CANDIDATES = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]


def _parent() -> Path | None:
    for base in _CANDIDATES:
        if (base / "cgroup.procs").exists() and os.access(base, os.W_OK) and (
            base.name == "pids" or "pids" in (base / "cgroup.subtree_control").read_text(errors="ignore")
        ):
            return base
    return None


class PidsCgroup:
    def __init__(self, max_processes: int):
        parent = _parent()
        self.path: Path | None = None
        if parent is not None:
            path = parent / f"evoforge-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(str(max_processes))
                self.path = path
            except OSError:
                self.path = None

    @staticmethod
    def available() -> bool:
        return _parent() is not None

    def enter(self) -> None:
        """Called in the child before exec: join the cgroup."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def kill_all(self) -> None:
        if self.path is None:
            return
        for _ in range(20):  # processes may fork while we kill; repeat until empty
            pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def remove(self) -> None:
        if self.path is not None:
            self.kill_all()
            try:
                self.path.rmdir()
            except OSError:
                pass
