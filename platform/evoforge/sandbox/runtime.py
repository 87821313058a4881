"""What every backend runs inside a sandbox: the host's Python runtime (mounted read-only)
and the harness from `inside/`, at fixed paths the sandboxed code sees."""
from __future__ import annotations

import sys
from pathlib import Path

PYTHON_PREFIX = Path(sys.base_prefix)
PYTHON = PYTHON_PREFIX / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
SYSTEM_DIRS = ["/usr", "/lib", "/lib64", "/bin"]
INSIDE = Path(__file__).resolve().parent / "inside"  # the harness and channel client, mounted read-only
INSIDE_MOUNT = "/opt/evoforge"  # where isolating backends mount INSIDE
WORKSPACE_MOUNT = "/work"  # where isolating backends mount the variant's workspace


def harness_command(inside: str = INSIDE_MOUNT) -> list[str]:
    """The harness's command line, given where the sandbox sees the `inside/` folder."""
    # -I: no user site-packages, no PYTHON* variables; -B: write no bytecode into the folders
    return [str(PYTHON), "-I", "-B", "-X", "utf8", f"{inside}/evoforge_harness.py"]
