"""Hostile variant programs (one per file, each with `main`) and the backends they run on.

A program file becomes the variant's `agent.py`; its `main` is called with each call's arguments.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from support import service_unavailable

from evoforge.sandbox import Job, Limits, Sandbox, SandboxError, get_sandbox
from evoforge.sandbox.local import LocalSandbox

HERE = Path(__file__).parent
ISOLATING = ["docker", "local"]  # full isolation: network, files, signals
ALL = [*ISOLATING, "local-plain"]  # the local backend without bubblewrap: limits only
FAST = Limits(wall_s=8, cpu_s=8, memory_mb=256, processes=32, output_bytes=100_000)


class DoubleService:
    """A real kernel service with one contract, `double`, answering x * 2, and no tools."""

    def generate(self, contract: str, inputs: dict[str, Any], options: dict[str, Any] | None = None) -> dict[str, Any]:
        if contract != "double":
            return {"error": f"unknown contract {contract!r}"}
        return {"output": inputs["x"] * 2}

    def tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return {"error": "no tools"}

    def score(self, task_id: str, answer: Any) -> dict[str, Any]:
        return {"error": "scoring is offered to a meta agent's run only"}  # as a task agent's GuardService answers


double_service = DoubleService()


@pytest.fixture(scope="module", params=ALL)
def sandbox(request: pytest.FixtureRequest) -> Sandbox:
    return open_backend(request.param)


@pytest.fixture(scope="module", params=ISOLATING)
def isolating(request: pytest.FixtureRequest) -> Sandbox:
    return open_backend(request.param)


def assert_healthy(sandbox: Sandbox) -> None:
    """A normal task with a channel round trip still runs."""
    result = sandbox.run(job("double", [20]), FAST, double_service)
    assert result.ok and result.outcome(0).value == {"double": 40}, result


def job(program: str, *calls: list) -> Job:
    """The job running tests/hostile/<program>.py's `main` once per call (one call, no arguments by default)."""
    return Job({"agent.py": (HERE / f"{program}.py").read_text()}, "agent", "main", [list(c) for c in calls or [[]]])


def open_backend(name: str) -> Sandbox:
    """The named backend, or a skip (a failure in CI) saying why it cannot run here."""
    if name == "local-plain":
        return LocalSandbox(use_bubblewrap=False)
    try:
        sandbox = get_sandbox(name)
    except SandboxError as error:
        service_unavailable(str(error))
    if isinstance(sandbox, LocalSandbox) and not sandbox.bwrap:
        service_unavailable(sandbox.without_bwrap)
    return sandbox


def host_processes_running(marker: str) -> list[int]:
    """Pids of host processes whose command line holds `marker`."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                if marker.encode() in Path(entry.path, "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found
