"""Whether a run marked running still has a live process: one whose process died without a
word (kill -9, a lost machine) is shown as interrupted, and `evoforge resume` continues it."""
from __future__ import annotations

import os
import socket

from evoforge.archive import Run, RunStatus

INTERRUPTED = "interrupted"


def this_process() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def process_alive(run: Run) -> bool | None:
    """True/False for a run executed on this host; None when another host runs it (unknown)."""
    if run.pid is None or run.host != socket.gethostname():
        return None
    try:
        os.kill(run.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return _not_zombie(run.pid)


def _not_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def displayed_status(run: Run) -> str:
    """The run's status as a user should see it."""
    if run.status == RunStatus.RUNNING and process_alive(run) is False:
        return INTERRUPTED
    return str(run.status)
