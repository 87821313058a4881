"""Sandboxes for untrusted agent code: docker (default when an engine answers) or local."""
from __future__ import annotations

from evoforge.sandbox.base import CallOutcome, ChannelHandler, Job, Limits, RunResult, Sandbox, SandboxError


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



def __getattr__(name: str) -> object:
    if name == "WarmPool":  # imported on first use: most importers never need the pool
        from evoforge.sandbox.pool import WarmPool

        return WarmPool
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["BACKENDS", "CallOutcome", "ChannelHandler", "Job", "Limits", "RunResult", "Sandbox", "SandboxError", "WarmPool", "get_sandbox"]
