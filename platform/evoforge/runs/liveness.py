"""Whether a run marked running still has a live process: one whose process died without a
word (kill -9, a lost machine) is shown as interrupted, and `evoforge resume` continues it.

Light on purpose: `evoforge runs` asks it about rows read without the ORM (archive/listing.py),
so it names the run's fields through a Protocol, not the table class."""
from __future__ import annotations

import os

from evoforge.archive.statuses import RunStatus

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Protocol

    class RunProcess(Protocol):
        """What liveness reads of a run (an archive `Run`, or a row of the runs listing)."""

        @property
        def status(self) -> str: ...
        @property
        def host(self) -> str | None: ...
        @property
        def pid(self) -> int | None: ...

INTERRUPTED = "interrupted"


def this_process() -> tuple[str, int]:
    import socket

    return socket.gethostname(), os.getpid()


def process_alive(run: RunProcess) -> bool | None:
    """True/False for a run executed on this host; None when another host runs it (unknown)."""
    if run.pid is None:
        return None
    import socket  # only for runs with a process: listing runs stays light

    if run.host != socket.gethostname():
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


def displayed_status(run: RunProcess) -> str:
    """The run's status as a user should see it."""
    if run.status == RunStatus.RUNNING and process_alive(run) is False:
        return INTERRUPTED
    return str(run.status)
