"""A process-count limit (and a reliable kill-everything) for the local backend, via the
cgroup `pids` controller (v1 or v2). Root-owned processes ignore RLIMIT_NPROC, so without
a cgroup a fork bomb is bounded only by the wall-clock kill; `available()` says which."""
from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

from evoforge.sandbox.orphans import orphaned, owned_name

_CANDIDATES = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]


def _parent() -> Path | None:
    for base in _CANDIDATES:
        if (base / "cgroup.procs").exists() and os.access(base, os.W_OK) and (
            base.name == "pids" or "pids" in (base / "cgroup.subtree_control").read_text(errors="ignore")
        ):
            return base
    return None


class PidsCgroup:
    def __init__(self, path: Path | None):
        self.path = path  # None: no cgroup here, the methods do nothing

    @classmethod
    def create(cls, max_processes: int) -> PidsCgroup:
        parent = _parent()
        if parent is None:
            return cls(None)
        path = parent / f"{owned_name('pids')}{uuid.uuid4().hex[:12]}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(max_processes))
        except OSError:
            return cls(None)
        return cls(path)

    @staticmethod
    def available() -> bool:
        return _parent() is not None

    @staticmethod
    def sweep() -> None:
        """Kill and remove the cgroups of kernel processes that are gone."""
        parent = _parent()
        for path in parent.glob("evoforge-pids-*") if parent else []:
            if orphaned(path.name, "pids"):
                PidsCgroup(path).remove()

    def enter(self) -> None:
        """Called in the child before exec: join the cgroup."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup, again and again while it still forks."""
        for pid in self._members():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def remove(self, patience_s: float = 5.0) -> None:
        """Kill the members and remove the cgroup once they have exited (a killed process
        stays a member for a moment, and a cgroup with members cannot be removed)."""
        if self.path is None:
            return
        give_up = time.monotonic() + patience_s
        while time.monotonic() < give_up:
            self.kill_all()
            try:
                self.path.rmdir()
                return
            except OSError:  # busy: members still exiting
                time.sleep(0.005)

    def _members(self) -> list[int]:
        if self.path is None:
            return []
        try:
            return [int(pid) for pid in (self.path / "cgroup.procs").read_text().split()]
        except OSError:  # removed meanwhile
            return []
