"""Runs `evoforge ARGS` in a fresh interpreter and reports what it printed and which modules it
imported (its `sys.modules`), for tests of what a command loads."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLATFORM = Path(__file__).resolve().parent.parent / "platform"
PROBE = """
import contextlib, io, json, sys
from evoforge.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:  # --help
        code = exit.code
print(json.dumps({"code": code, "stdout": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def probe(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[int, str, set[str]]:
    """(exit code, stdout, modules held at the end) of `evoforge argv` in a fresh interpreter
    (in folder `cwd`, by default this one)."""
    full_env = {**os.environ, "PYTHONPATH": str(PLATFORM), **(env or {})}
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], env=full_env, cwd=cwd, capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], report["stdout"], set(report["modules"])


def imported_by(*argv: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules (and their parents) a fresh interpreter holds after running `evoforge argv`,
    which must succeed."""
    code, _, modules = probe(*argv, env=env)
    assert code == 0, f"evoforge {' '.join(argv)} exited {code}"
    return modules
