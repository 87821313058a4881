"""Benchmark: per-task overhead of the sandbox against a plain subprocess, measured in one run.

A trivial task (return a number) is run N times each way: a plain `python -I -c` subprocess
(the baseline), the local backend (with bubblewrap when it works here, and without), and a fresh
docker container per task. Every sandboxed way does the whole
round trip: workspace written, job sent over the channel, outcome back, sandbox destroyed.

Run: .venv/bin/python bench/sandbox.py [--tasks N]
"""
from __future__ import annotations

import argparse
import subprocess
import time
from statistics import median
from typing import Callable

from rich.console import Console
from rich.table import Table

from evoforge.sandbox import Job, Limits, NoService, Sandbox, SandboxError
from evoforge.sandbox.local import LocalSandbox
from evoforge.sandbox.runtime import PYTHON

JOB = Job({"task.py": "def main():\n    return 42\n"}, "task", "main", [[]])
LIMITS = Limits(wall_s=30)


def timed(run: Callable[[], object], count: int, settle: Callable[[], object] = lambda: None) -> float:
    """Median seconds of one call of `run` over `count` calls; `settle` runs untimed before each."""
    samples = []
    for _ in range(count):
        settle()
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return median(samples)


def sandboxed(sandbox: Sandbox, count: int, settle: Callable[[], object] = lambda: None) -> float:
    def once() -> None:
        result = sandbox.run(JOB, LIMITS, NoService())
        if result.outcome(0).value != 42:
            raise SystemExit(f"{sandbox.name} failed the trivial task: {result}")

    return timed(once, count, settle)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20)
    count = parser.parse_args().tasks
    console = Console()
    plain = [str(PYTHON), "-I", "-c", "print(42)"]
    rows = [("plain subprocess (baseline)", timed(lambda: subprocess.run(plain, check=True, capture_output=True), count))]
    local = LocalSandbox()
    label = "local" + (" (bubblewrap)" if local.bwrap else f" ({local.without_bwrap})")
    rows += [(f"{label}, fresh per task", sandboxed(local, count))]
    if local.bwrap:
        rows.append(("local without bubblewrap, fresh per task", sandboxed(LocalSandbox(use_bubblewrap=False), count)))
    try:
        from evoforge.sandbox.docker_backend import DockerSandbox

        docker = DockerSandbox()
        rows += [("docker, fresh container per task", sandboxed(docker, count))]
    except SandboxError as error:
        console.print(f"[yellow]docker skipped:[/] {error}")
    baseline = rows[0][1]
    table = Table("way", "median per task", "vs plain subprocess", title=f"trivial task, {count} runs each, one run")
    for way, seconds in rows:
        table.add_row(way, f"{seconds * 1000:.1f} ms", f"{seconds / baseline:.2f}x")
    console.print(table)


if __name__ == "__main__":
    main()
