"""Run: live progress, the page body of the run's kind (the view its RunKind names), its events."""
from __future__ import annotations

import streamlit as st
from data import archive
from widgets import pick_run, run_buttons, shown_as_message

from evoforge.archive import Archive, RunStatus
from evoforge.lazy import imported
from evoforge.runs.events import from_stored
from evoforge.runs.kind import RunKind
from evoforge.runs.registry import run_kind

REFRESH_S = 2.0
LIVE = {RunStatus.CREATED, RunStatus.RUNNING}

st.title("Run")
arch = archive()
run_id = pick_run(arch, key="run-pick")


def events(arch: Archive, run_id: int, kind: RunKind) -> None:
    with st.expander("Events (newest first)"):
        stored = [from_stored(e.kind, e.payload, kind.event_types) for e in arch.events(run_id)[-40:]]
        st.text("\n".join(e.describe() for e in reversed(stored) if e is not None) or "no events yet")


if run_id is not None:
    live = arch.run(run_id).status in LIVE

    @st.fragment(run_every=REFRESH_S if live else None)
    def watched() -> None:
        with shown_as_message(f"run {run_id}"):
            run = arch.run(run_id)
            if st.session_state.get("run-status") not in (None, run.status) and run.status not in LIVE:
                st.session_state["run-status"] = run.status
                st.rerun()  # finished while watching: refresh the whole page once, which stops the polling
            st.session_state["run-status"] = run.status
            run_buttons(arch, run_id, key="run")
            kind = run_kind(run.config)
            imported(kind.ui_view)(arch, run_id)
            events(arch, run_id, kind)

    watched()
