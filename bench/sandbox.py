"""Benchmark: per-task overhead of the sandbox against a plain subprocess, measured in one run.

A trivial task (return a number) is run N times each way: a plain `python -c` subprocess
(the baseline), the local backend, a fresh docker container per task, and the docker warm pool.

Run: .venv/bin/python bench/sandbox.py [--tasks N]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from statistics import median
from typing import Callable

from rich.console import Console
from rich.table import Table

from evoforge.sandbox import Job, Limits, SandboxError, WarmPool
from evoforge.sandbox.local import PYTHON, LocalSandbox

JOB = Job({"task.py": "def main():\n    return 42\n"}, "task", "main", [[]])
LIMITS = Limits(wall_s=30)


def no_channel(method: str, params: dict) -> dict:
    return {"error": "no channel in this benchmark"}


def timed(run: Callable[[], object], count: int) -> float:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20)
    count = parser.parse_args().tasks
    rows = [("plain subprocess (baseline)", timed(lambda: subprocess.run([str(PYTHON), "-I", "-c", "print(42)"], check=True, capture_output=True), count))]
    local = LocalSandbox()
    rows.append(("local backend" + (" (bubblewrap)" if local.bwrap else ""), timed(lambda: local.run(JOB, LIMITS, no_channel), count)))
    try:
        from evoforge.sandbox.docker_backend import DockerSandbox

        docker = DockerSandbox()
        rows.append(("docker, fresh container per task", timed(lambda: docker.run(JOB, LIMITS, no_channel), count)))
        pool = WarmPool(docker, LIMITS, size=2)
        time.sleep(2)  # let the pool fill, as it would between a run's stages
        rows.append(("docker, warm pool", timed(lambda: pool.run(JOB, no_channel), count)))
        pool.close()
    except SandboxError as error:
        print(f"docker skipped: {error}", file=sys.stderr)
    baseline = rows[0][1]
    table = Table("way", "median per task", "vs plain subprocess", title=f"trivial task, {count} runs each")
    for label, seconds in rows:
        table.add_row(label, f"{seconds * 1000:.1f} ms", f"{seconds / baseline:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
