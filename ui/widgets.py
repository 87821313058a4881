"""Pieces several pages share: errors shown as messages, the run picker, stop/resume buttons."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

import launcher
from evoforge.archive import Archive, RunStatus
from evoforge.errors import EvoforgeError

RUN_PAGE = "views/run.py"
VARIANT_PAGE = "views/variant.py"


@contextmanager
def shown_as_message(what: str) -> Iterator[None]:
    """Turn any error inside the block into an `st.error` line instead of a traceback."""
    try:
        yield
    except EvoforgeError as error:
        st.error(f"{what}: {error}")
    except Exception as error:  # noqa: BLE001 - a page must never show a traceback
        st.error(f"{what} failed: {type(error).__name__}: {error}")


def query_int(name: str) -> int | None:
    value = st.query_params.get(name)
    return int(value) if value is not None and str(value).isdigit() else None


def pick_run(arch: Archive, key: str) -> int | None:
    """A run selectbox, preselected from the `run` query parameter, kept in the URL."""
    runs = [summary.run for summary in arch.runs()]
    if not runs:
        st.info("No runs in this archive yet: start one on the Runs page.")
        return None
    ids = [run.id for run in runs]
    wanted = query_int("run")
    labels = {run.id: f"#{run.id} {run.uid[:8]} · {run.domain} · {run.status}" for run in runs}
    run_id = st.selectbox("Run", ids, index=ids.index(wanted) if wanted in ids else 0,
                          format_func=labels.__getitem__, key=key)
    st.query_params["run"] = str(run_id)
    return run_id


def run_buttons(arch: Archive, run_id: int, key: str) -> None:
    """Stop (SIGTERM to its process) and resume (a new `evoforge resume` process) for one run."""
    alive = launcher.is_alive(arch, run_id)
    status = arch.run(run_id).status
    stop_col, resume_col, note_col = st.columns([1, 1, 4])
    if stop_col.button("Stop", key=f"{key}-stop", disabled=not alive):
        with shown_as_message("stopping the run"):
            st.toast(f"run {run_id} stopped" if launcher.stop(arch, run_id) else f"run {run_id} was not running")
    resumable = not alive and status != RunStatus.FINISHED
    if resume_col.button("Resume", key=f"{key}-resume", disabled=not resumable):
        with shown_as_message("resuming the run"):
            pid = launcher.launch(arch, run_id)
            st.toast(f"run {run_id} resumed (pid {pid})")
    note_col.caption(f"process {'running' if alive else 'not running'} · log: {launcher.log_path(arch, run_id)}")
