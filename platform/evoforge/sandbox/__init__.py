"""Sandboxes for untrusted agent code: docker (default when an engine answers) or local."""
from __future__ import annotations

from evoforge.sandbox.base import CallOutcome, Job, Limits, RunResult, Sandbox, SandboxError
from evoforge.sandbox.service import KernelService, NoService

BACKENDS = ("docker", "local")


def get_sandbox(name: str | None = None) -> Sandbox:
    """The named backend; None picks docker when an engine answers, else local."""
    from evoforge.sandbox.docker_backend import DockerSandbox
    from evoforge.sandbox.local import LocalSandbox

    if name not in (None, *BACKENDS):
        raise SandboxError(f"unknown sandbox {name!r}: choose docker or local")
    if name == "local":
        return LocalSandbox()
    try:
        return DockerSandbox()
    except SandboxError:
        if name == "docker":
            raise
        return LocalSandbox()


__all__ = ["BACKENDS", "CallOutcome", "KernelService", "Job", "Limits", "RunResult", "Sandbox", "NoService", "SandboxError", "get_sandbox"]
