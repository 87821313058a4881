"""Trusted code run in this process, through the sandbox's own channel: for benches and tests.

`InProcessSandbox` runs a job as a backend does (the job's files as the working folder, its
function once per call, one `RunResult`) but in the kernel's process, isolating nothing. What
the code asks of the kernel takes the sandbox's path: the channel client every sandbox gets
(`inside/evoforge_channel.py`, loaded fresh for each job) writes wire lines to a loopback stream,
answered by the channel's own request handling (`channel.reply_to`) within the job's
`Allowance`. So exact reals arrive as `Fraction`s, shaping options reach the guard, a refused
request raises `ChannelError`, and arguments and answers cross the wire encoding: a bench
measures what a sandbox runs. Evolved (untrusted) code must run in a real backend; this one is
never chosen by name (`get_sandbox`). Jobs run one at a time: a job changes the working folder
and `sys.modules` while it runs.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
import tempfile
import threading
import time
import traceback
import types
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, Callable

from evoforge.sandbox.allowance import Allowance
from evoforge.sandbox.base import CallOutcome, Job, Limits, RunResult
from evoforge.sandbox.channel import encode, reply_to
from evoforge.sandbox.inside import evoforge_wire as wire
from evoforge.sandbox.runtime import INSIDE
from evoforge.sandbox.service import KernelService
from evoforge.sandbox.slot import write_files

ERROR_CHARS = 2000  # of a failed call's traceback, as the harness sends it
_one_job_at_a_time = threading.Lock()


class Loopback:
    """The client's end of an in-process channel: each line it writes is answered at once."""

    def __init__(self, service: KernelService, allowance: Allowance):
        self.service, self.allowance = service, allowance
        self._written = b""
        self._replies: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._written += data

    def flush(self) -> None:
        lines, self._written = self._written.splitlines(), b""
        self._replies += [self._reply(line) for line in lines]

    def readline(self) -> bytes:
        return self._replies.pop(0) if self._replies else b""

    def _reply(self, line: bytes) -> bytes:
        if not self.allowance.admit():
            return encode({"type": "reply", "error": f"this job is stopped: {self.allowance.spent}"})
        if len(line) >= self.allowance.limits.message_bytes:  # the channel's limit counts the newline
            return encode({"type": "reply", "error": f"message longer than {self.allowance.limits.message_bytes} bytes; refused"})
        with self.allowance.metered():
            return encode(reply_to(self.service, wire.loads(line)))


class InProcessSandbox:
    name = "in-process"

    def describe(self) -> list[str]:
        return ["NOT ISOLATED: runs in the kernel's own process, for trusted code only (benches, tests); "
                "of the limits, only the channel's (message size, requests, kernel time) apply"]

    def run(self, job: Job, limits: Limits, service: KernelService) -> RunResult:
        started, allowance = time.perf_counter(), Allowance(limits)
        with _one_job_at_a_time, tempfile.TemporaryDirectory(prefix="evoforge-inprocess-") as folder, \
                _workspace(Path(folder), job.files, _client(Loopback(service, allowance))):
            try:
                function = getattr(importlib.import_module(job.module), job.function)
            except Exception:
                fatal = "cannot load the agent: " + traceback.format_exc(limit=3)[-ERROR_CHARS:]
                return RunResult(exit_code=1, stderr_tail=fatal, killed_reason="the agent could not be loaded",
                                 seconds=time.perf_counter() - started)
            outcomes = []
            for args in job.calls:
                if allowance.spent:
                    break
                outcomes.append(_call(function, args, limits.message_bytes))
        killed = f"killed: {allowance.spent}" if allowance.spent else None
        return RunResult(outcomes, exit_code=None if killed else 0, killed_reason=killed, seconds=time.perf_counter() - started)


def _call(function: Callable[..., Any], args: list[Any], message_bytes: int) -> CallOutcome:
    """One call, its arguments and answer through the wire encoding, failing like the harness's."""
    started = time.perf_counter()
    try:
        text = wire.dumps(function(*wire.loads(wire.dumps(args))))
        if len(text) > message_bytes:
            raise ValueError(f"the result is {len(text)} bytes of JSON; at most {message_bytes} fit in a channel message")
        return CallOutcome(True, wire.loads(text), seconds=time.perf_counter() - started)
    except Exception:  # the agent's bug (or an answer the channel cannot carry) fails its call only
        return CallOutcome(False, error=traceback.format_exc(limit=3)[-ERROR_CHARS:], seconds=time.perf_counter() - started)


def _client(stream: Loopback) -> types.ModuleType:
    """A fresh copy of the sandbox's channel client, connected to `stream`."""
    spec = importlib.util.spec_from_file_location("evoforge_channel", INSIDE / "evoforge_channel.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with _modules({"evoforge_wire": wire}):  # the client's own `import evoforge_wire`
        spec.loader.exec_module(module)
    module._connect(stream)
    return module


@contextlib.contextmanager
def _workspace(folder: Path, files: dict[str, str], client: types.ModuleType) -> Iterator[None]:
    """The job's files in `folder`, importable and the working folder, with `client` as
    `evoforge_channel`; all as it was afterwards (the job's own modules forgotten)."""
    write_files(folder, files)
    own = {Path(name).parts[0].removesuffix(".py") for name in files}
    previous_path, previous_folder = list(sys.path), os.getcwd()
    with _modules({"evoforge_channel": client, "evoforge_wire": wire}, forget=own):
        sys.path.insert(0, str(folder))
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(previous_folder)
            sys.path[:] = previous_path


@contextlib.contextmanager
def _modules(installed: dict[str, types.ModuleType], forget: Collection[str] = ()) -> Iterator[None]:
    """`installed` in `sys.modules`, and the packages named in `forget` (with their submodules)
    out of it, while the block runs; then `sys.modules` as it was for all of them."""
    def touched(name: str) -> bool:
        return name in installed or name.split(".")[0] in forget

    saved = {name: module for name, module in sys.modules.items() if touched(name)}
    for name in saved:
        del sys.modules[name]
    sys.modules.update(installed)
    try:
        yield
    finally:
        for name in [name for name in sys.modules if touched(name)]:
            del sys.modules[name]
        sys.modules.update(saved)
