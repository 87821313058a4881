"""What a sandbox is: run untrusted agent code on a job, answer its channel requests, report.

Both backends (docker, local) follow the same contract: `run` never raises because of what
the code inside did; a crash, a kill, a timeout or a flood of output becomes a `RunResult`
that says so, with the tail of stderr.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from evoforge.errors import EvoforgeError

if TYPE_CHECKING:
    from evoforge.sandbox.service import KernelService


class SandboxError(EvoforgeError):
    """The sandbox itself cannot run (no engine, no image...), as opposed to the code inside failing."""


@dataclass(frozen=True)
class Limits:
    wall_s: float = 60.0  # the whole job; the sandbox is killed after it
    cpu_s: int = 60
    memory_mb: int = 512
    processes: int = 64
    output_bytes: int = 256_000  # stdout + stderr; more is an output flood and is killed
    message_bytes: int = 1_000_000  # one channel message
    file_mb: int = 64  # largest file the code may write
    workspace_mb: int = 256  # all files in the workspace together
    # What the job may make the kernel do (allowance.py): channel messages in all, and kernel CPU
    # seconds spent answering them (model calls aside: the run's model budget counts those).
    requests: int = 20_000
    kernel_s: float = 60.0

    def fixed_at_start(self) -> tuple[int, int, int, int, int]:
        """The limits a started sandbox can no longer change; the others apply while it runs."""
        return (self.cpu_s, self.memory_mb, self.processes, self.file_mb, self.workspace_mb)


@dataclass(frozen=True)
class Job:
    """Call `module.function(*args)` once per entry of `calls`, with `files` as the workspace."""

    files: dict[str, str]
    module: str
    function: str
    calls: list[list[Any]]


@dataclass
class CallOutcome:
    ok: bool
    value: Any = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RunResult:
    outcomes: list[CallOutcome] = field(default_factory=list)
    exit_code: int | None = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    killed_reason: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.killed_reason is None and self.exit_code == 0

    def outcome(self, index: int) -> CallOutcome:
        """The outcome of call `index`; a call that never reported failed with the run's reason."""
        if index < len(self.outcomes):
            return self.outcomes[index]
        reason = self.killed_reason or f"the sandbox exited with code {self.exit_code} before this call finished"
        tail = self.stderr_tail.strip().splitlines()[-3:]
        return CallOutcome(False, error=reason + (": " + " | ".join(tail) if tail else ""))


class Sandbox(Protocol):
    name: str

    def run(self, job: Job, limits: Limits, service: KernelService) -> RunResult:
        """Run the job contained, answering its channel requests with `service`; never raises
        for anything the job's code does."""
        ...

    def describe(self) -> list[str]:
        """Plain lines: what this backend isolates, and what it does not."""
        ...
