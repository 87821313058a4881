"""The caps on totals a sandbox could otherwise grow item by item: the workspace's size
(`Limits.workspace_mb`), with the reason a run gives when it is reached, and open files.

Docker and bubblewrap give the sandbox a size-limited tmpfs at /work (and small ones at /tmp
and /dev/shm): a hard bound, a write past it fails with ENOSPC. The local backend without
bubblewrap has no mount of its own, so the kernel measures the workspace folder while the job
runs and kills the sandbox once it is over: a bound with a lag (what is written between two
measurements), which that backend's `describe()` says."""
from __future__ import annotations

import os
import time
from pathlib import Path

from evoforge.sandbox.base import Limits, RunResult

SCRATCH_MB = 64  # /tmp and /dev/shm inside docker and bubblewrap sandboxes
OPEN_FILES = 256  # file descriptors open at once (RLIMIT_NOFILE) on every backend
NO_SPACE = "No space left on device"  # strerror(ENOSPC), in the traceback of a write that hit the cap
BLOCK = 4096  # every entry counts at least one block: a flood of empty files fills the cap too


def over_reason(limits: Limits) -> str:
    return f"workspace over {limits.workspace_mb} MiB"


def no_space_reason(limits: Limits, result: RunResult) -> str | None:
    """The reason for a run in which a write found its size-capped file system full, or None."""
    texts = [result.stderr_tail, *(outcome.error or "" for outcome in result.outcomes)]
    if not any(NO_SPACE in text for text in texts):
        return None
    return f"{over_reason(limits)} (or /tmp, /dev/shm over {SCRATCH_MB} MiB): a write found no space left"


def folder_bytes(folder: Path, stop_at: int) -> int:
    """What the entries under `folder` occupy, counted until the total passes `stop_at` (so a
    huge tree costs a bounded walk)."""
    total, pending = 0, [str(folder)]
    while pending and total <= stop_at:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    try:
                        total += max(BLOCK, entry.stat(follow_symlinks=False).st_blocks * 512)
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                    except OSError:  # removed while we looked
                        continue
        except OSError:
            continue
    return total


class FolderWatch:
    """Measures a workspace folder against its cap, at most once every `every_s` seconds."""

    def __init__(self, folder: Path, limits: Limits, every_s: float = 0.25):
        self.folder, self.cap, self.every_s = folder, limits.workspace_mb << 20, every_s
        self._next = 0.0

    def over(self, now: bool = False) -> bool:
        """Whether the folder is over its cap; between measurements False unless `now`."""
        if not now and time.monotonic() < self._next:
            return False
        self._next = time.monotonic() + self.every_s
        return folder_bytes(self.folder, self.cap) > self.cap
