"""Runs as their own processes: the UI starts `evoforge resume RUN` detached (its own session,
output to a log file), records the pid in a small JSON file, and stops it with SIGTERM. No agent
code ever runs in the Streamlit process."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from platformdirs import user_data_dir

from evoforge.archive import Archive
from evoforge.runs.lifecycle import create_run
from evoforge.runs.settings import RunSettings


def state_dir(arch: Archive) -> Path:
    """Where pid and log files live: beside a SQLite archive, else in the user data directory."""
    database = arch.url.database if arch.url.get_backend_name() == "sqlite" else None
    base = Path(f"{database}.ui") if database and database != ":memory:" else Path(user_data_dir("evoforge")) / "ui"
    base.mkdir(parents=True, exist_ok=True)
    return base


def log_path(arch: Archive, run_id: int) -> Path:
    return state_dir(arch) / f"run-{run_id}.log"


def _pid_file(arch: Archive, run_id: int) -> Path:
    return state_dir(arch) / f"run-{run_id}.json"


def _command() -> list[str]:
    found = shutil.which("evoforge", path=str(Path(sys.executable).parent)) or shutil.which("evoforge")
    return [found] if found else [sys.executable, "-c", "import sys; from evoforge.cli import main; sys.exit(main(sys.argv[1:]))"]


def start(arch: Archive, settings: RunSettings) -> int:
    """Create a run of the settings' kind (EvolutionSettings, SynthesisSettings...) and launch it; returns the run id."""
    run_id = create_run(arch, settings)
    launch(arch, run_id)
    return run_id


def launch(arch: Archive, run_id: int) -> int:
    """Start (or resume) run `run_id` as a detached `evoforge resume` process; returns its pid."""
    if is_alive(arch, run_id):
        raise RuntimeError(f"run {run_id} already has a live process")
    db = arch.url.render_as_string(hide_password=False)
    with log_path(arch, run_id).open("ab") as log:
        process = subprocess.Popen([*_command(), "resume", str(run_id), "--db", db], stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    threading.Thread(target=process.wait, daemon=True).start()  # reap it when it ends: no zombie pid
    _pid_file(arch, run_id).write_text(json.dumps({"pid": process.pid, "run": run_id}))
    return process.pid


def recorded_pid(arch: Archive, run_id: int) -> int | None:
    try:
        return int(json.loads(_pid_file(arch, run_id).read_text())["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_alive(arch: Archive, run_id: int) -> bool:
    pid = recorded_pid(arch, run_id)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop(arch: Archive, run_id: int) -> bool:
    """SIGTERM the run's process: the lifecycle stops it cleanly and marks it stopped (see
    runs/lifecycle.py); False when no process was live."""
    pid = recorded_pid(arch, run_id)
    if pid is None or not is_alive(arch, run_id):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    return True
