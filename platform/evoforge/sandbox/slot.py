"""One sandbox instance: its private folders, its channel, and the supervision that turns
whatever happens inside into a `RunResult`. Backends start the process or container; this
module owns the folders, the output caps and the deadline, which both backends share."""
from __future__ import annotations

import shutil
import signal
import tempfile
import threading
import time
import weakref
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable

from evoforge.sandbox.base import Job, Limits, RunResult
from evoforge.sandbox.channel import ChannelServer
from evoforge.sandbox.orphans import owned_name
from evoforge.sandbox.quota import FolderWatch, no_space_reason, over_reason
from evoforge.sandbox.service import KernelService


class OutputTail:
    """Keeps the last bytes of a stream and counts all of them."""

    def __init__(self, keep: int = 8000):
        self.keep, self.total, self.data = keep, 0, b""
        self.lock = threading.Lock()

    def add(self, chunk: bytes) -> None:
        with self.lock:
            self.total += len(chunk)
            self.data = (self.data + chunk)[-self.keep:]

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


class Slot:
    """Folders and channel for one sandboxed run; `handle` is the backend's process or container."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.root = Path(tempfile.mkdtemp(prefix=owned_name("sandbox")))
        self.workspace, self.channel_dir = self.root / "work", self.root / "channel"
        self.workspace.mkdir(mode=0o777)
        self.workspace.chmod(0o777)  # the code inside runs as an unprivileged user (mkdir obeys the umask)
        self.channel_dir.mkdir()  # mounted read-only: connecting to the socket needs no write access
        self.channel = ChannelServer(self.channel_dir, limits)
        self.channel.start()
        self.stdout, self.stderr = OutputTail(), OutputTail()
        self.handle: object = None

    def adopt(self, limits: Limits) -> None:
        """Take a job's limits in a sandbox started ahead of it (with the same `fixed_at_start`)."""
        self.limits = self.channel.limits = limits

    def write_files(self, files: dict[str, str]) -> None:
        write_files(self.workspace, files)

    def supervise(self, job: Job, service: KernelService, poll: Callable[[], int | None], kill: Callable[[], None],
                  watch: FolderWatch | None = None) -> RunResult:
        """Hand the job over, then wait for the end, the deadline, an output flood, a spent
        allowance of kernel work or (with a `watch`: a backend without a size-capped workspace)
        a workspace over its cap."""
        started = time.perf_counter()
        self.channel.assign(job, service)
        deadline = started + self.limits.wall_s
        exit_code, killed, over_cap = None, None, False
        while exit_code is None:
            # Once the harness is done, its exit is certain: the backend's `stop` reaps it, and
            # the result does not wait for a container's slow exit.
            exit_code = poll()
            if exit_code is None:
                exit_code = self.channel.announced_exit()
            if exit_code is not None:
                break
            if self.stdout.total + self.stderr.total > self.limits.output_bytes:
                killed = f"killed: output flood (more than {self.limits.output_bytes} bytes)"
            elif time.perf_counter() > deadline:
                killed = f"killed: timed out after {self.limits.wall_s:g} s"
            elif self.channel.allowance.spent:
                killed = f"killed: {self.channel.allowance.spent}"
            elif watch is not None and watch.over():
                killed, over_cap = f"killed: {over_reason(self.limits)}", True
            if killed:
                kill()
                exit_code = poll() if poll() is not None else -9
                break
            time.sleep(0.02)
        self.channel.close()
        if killed is None and watch is not None and watch.over(now=True):  # filled it between two looks
            killed, over_cap = over_reason(self.limits), True
        elif killed is None and self.channel.allowance.spent and self.channel.announced_exit() is None:
            # cut off by its allowance, it exited before the next look
            killed = f"killed: {self.channel.allowance.spent}"
        result = RunResult(
            # A job that broke its workspace cap gives no answers: any of them may depend on what it wrote past the cap.
            outcomes=[] if over_cap else self.channel.ordered_outcomes(len(job.calls)), exit_code=exit_code,
            stdout_tail=self.stdout.text(), stderr_tail=self.stderr.text(), killed_reason=killed,
            seconds=time.perf_counter() - started,
        )
        if self.channel.fatal:
            result.stderr_tail = (self.channel.fatal + "\n" + result.stderr_tail)[-8000:]
        if killed is None and (full := no_space_reason(self.limits, result)):
            result.killed_reason = full
        elif self.channel.fatal:
            result.killed_reason = result.killed_reason or "the agent could not be loaded"
        elif exit_code < 0 and killed is None:
            result.killed_reason = f"killed by {signal_name(-exit_code)} (a memory or CPU limit, or the code itself)"
        return result

    def discard(self) -> None:
        self.channel.close()
        shutil.rmtree(self.root, ignore_errors=True)


def write_files(workspace: Path, files: dict[str, str]) -> None:
    """A job's files into its workspace (writable by the sandbox's user), none outside it."""
    for relative, text in files.items():
        target = (workspace / relative).resolve()
        if workspace.resolve() not in target.parents:
            raise ValueError(f"workspace file {relative!r} would lie outside the workspace")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o666)


def from_wrapper(code: int | None) -> int | None:
    """An exit code as Popen gives it: docker and bubblewrap report death by signal N as
    128 + N, Popen as -N (what `supervise` reads as a kill)."""
    return -(code - 128) if code is not None and code > 128 else code


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def pump(stream: object, tail: OutputTail) -> threading.Thread:
    """Read a pipe into `tail` in the background (bounded memory whatever the volume)."""

    def read() -> None:
        while chunk := stream.read1(65536):  # type: ignore[attr-defined]
            tail.add(chunk)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


class SlotSandbox(ABC):
    """`run` for backends that can `start` a waiting sandbox, `finish` a job in it and `stop` it."""

    @abstractmethod
    def start(self, limits: Limits) -> Slot: ...

    @abstractmethod
    def finish(self, slot: Slot, job: Job, service: KernelService) -> RunResult: ...

    @abstractmethod
    def stop(self, slot: Slot) -> None: ...

    @abstractmethod
    def kill(self, slot: Slot) -> None:
        """Kill the sandbox's processes now (from any thread); `finish` then reports it killed."""

    def run(self, job: Job, limits: Limits, service: KernelService) -> RunResult:
        slot = self.start(limits)
        with _live_lock:
            _live.setdefault(self, set()).add(slot)
        try:
            slot.write_files(job.files)
            return self.finish(slot, job, service)
        finally:
            with _live_lock:
                _live[self].discard(slot)
            slot.discard()

    def stop_all(self) -> None:
        """Kill every sandbox of this backend that is running a job now (a run being stopped):
        each job ends with a killed result."""
        with _live_lock:
            live = list(_live.get(self, ()))
        for slot in live:
            try:
                self.kill(slot)
            except Exception:  # already gone
                pass


_live_lock = threading.Lock()
_live: "weakref.WeakKeyDictionary[SlotSandbox, set[Slot]]" = weakref.WeakKeyDictionary()  # jobs running now, per backend
