"""Benchmark: how long the command line takes to start, as a ratio to a bare interpreter.

For each command it runs a fresh `python -m evoforge.cli ...` several times and takes the
median wall time, divided by the median of `python -c pass` measured in the same run (goal:
within 3x). `specs check` is measured on a spec file of one contract, minus the proving times it
prints, so the ratio is the start-up alone: once as it is met again (from the proof cache, filled
by a first check before timing) and once with `--no-cache` (parsing and proving, minus the
proving times). Those are the proof's own time and, when a file is proven, the time importing the
prover (z3, which only proving needs) took, printed as `prover   loading z3 (N ms)`; parsing and
compiling the contract count as start-up. `runs` lists a fresh, empty SQLite archive.

Every command is told where the archive (`--db`) and the cache folder ($EVOFORGE_CACHE_DIR) are;
left to find the user's default folders, each of `specs check`, `runs` and `domains` also imports
platformdirs (and pathlib with it), about 7-10 ms more on the machine these figures came from.

It byte-compiles platform/ first (`compileall`, as pip does when it installs a package): without
that, an environment with PYTHONDONTWRITEBYTECODE set would compile every evoforge module at
every start, which no installed evoforge does, and the figures would time the compiler.

Run: .venv/bin/python bench/cli.py [--repeats N]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
ONE_CONTRACT = """
[contracts.sum_of_two]
inputs = { a = "int", b = "int" }
output = "int"
require = ["-10000 <= a <= 10000", "-10000 <= b <= 10000"]
ensure = ["result == a + b"]
prompt = "What is {a} + {b}?"
fallback = "a + b"
"""
GOAL = 3.0


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, done.stdout


def proof_seconds(output: str) -> float:
    """The proving times `specs check` prints, e.g. `(12.8 ms)`: each proof, and loading z3."""
    return sum(float(ms) for ms in re.findall(r"\(([\d.]+) ms\)", output)) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "platform")], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "platform"), "LITELLM_LOCAL_MODEL_COST_MAP": "True",
               "EVOFORGE_CACHE_DIR": folder}
        spec = Path(folder) / "one.toml"
        spec.write_text(ONE_CONTRACT)
        db = str(Path(folder) / "empty.sqlite")
        timed([sys.executable, "-c", f"from evoforge.archive import open_archive; open_archive({db!r})"], env)
        timed([sys.executable, "-m", "evoforge.cli", "specs", "check", str(spec)], env)  # fills the proof cache
        cli = [sys.executable, "-m", "evoforge.cli"]
        commands = {
            "--help": [*cli, "--help"],
            "specs check (cached)": [*cli, "specs", "check", str(spec)],
            "specs check --no-cache (-proof)": [*cli, "specs", "check", "--no-cache", str(spec)],
            "runs": [*cli, "runs", "--db", db],
            "domains": [*cli, "domains"],
        }
        baseline = median(timed([sys.executable, "-c", "pass"], env)[0] for _ in range(repeats))
        print(f"python -c pass: {baseline * 1000:.0f} ms (median of {repeats})")
        print(f"{'command':<32}{'ms':>8}{'ratio':>8}")
        worst = 0.0
        for name, command in commands.items():
            samples = []
            for _ in range(repeats):
                seconds, output = timed(command, env)
                samples.append(seconds - proof_seconds(output))
            ratio = median(samples) / baseline
            worst = max(worst, ratio)
            print(f"{name:<32}{median(samples) * 1000:>8.0f}{ratio:>7.1f}x")
        print(f"worst ratio {worst:.1f}x (goal: within {GOAL:g}x)")


if __name__ == "__main__":
    main()
