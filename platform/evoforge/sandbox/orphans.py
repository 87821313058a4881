"""Cleaning up after a kernel process that died without cleaning up (kill -9, a crash): each
sandbox's folder, cgroup and container carries the pid of the kernel process that made it, and
a backend opened later removes those whose owner is gone. A pid reused since only delays that."""
from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

HOST = socket.gethostname()


def owned_name(kind: str) -> str:
    """A name prefix marking this process as the owner, e.g. `evoforge-sandbox-1234-`."""
    return f"evoforge-{kind}-{os.getpid()}-"


def owner_tag() -> str:
    """The owner as a docker label value: one engine may serve several hosts."""
    return f"{HOST}:{os.getpid()}"


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, and someone else's
        return False
    return False


def orphaned(name: str, kind: str) -> bool:
    """Whether `name` (made by `owned_name(kind)`) belongs to a process that is gone."""
    pid = name.removeprefix(f"evoforge-{kind}-").split("-", 1)[0]
    return name.startswith(f"evoforge-{kind}-") and pid.isdigit() and is_gone(int(pid))


def sweep_folders() -> None:
    for folder in Path(tempfile.gettempdir()).glob("evoforge-sandbox-*"):
        if orphaned(folder.name, "sandbox"):
            shutil.rmtree(folder, ignore_errors=True)
