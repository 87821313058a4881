"""Run: live progress, validation scores over generations, and the lineage tree."""
from __future__ import annotations

import altair as alt
import lineage
import streamlit as st
from data import archive, planned, sandbox_used, scores_frame
from synthesis_view import synthesis_overview
from widgets import VARIANT_PAGE, pick_run, run_buttons, shown_as_message

from evoforge.archive import Archive, RunStatus
from evoforge.evolution.events import from_stored
from evoforge.evolution.liveness import displayed_status
from evoforge.runkinds import kind_name
from evoforge.synthesis import events as _synthesis_events  # noqa: F401  (their typed events, for the event list)

REFRESH_S = 2.0
LIVE = {RunStatus.CREATED, RunStatus.RUNNING}

st.title("Run")
arch = archive()
run_id = pick_run(arch, key="run-pick")


def score_chart(arch: Archive, run_id: int) -> alt.LayerChart:
    frame = scores_frame(arch, run_id)
    x = alt.X("generation:Q", axis=alt.Axis(tickMinStep=1))
    every = alt.Chart(frame).mark_circle(size=50, opacity=0.5).encode(
        x=x, y=alt.Y("validation:Q", scale=alt.Scale(domain=[0, 1]), title="validation score"),
        color=alt.Color("status:N", scale=alt.Scale(domain=["valid", "invalid"], range=["#1f77b4", "#aaaaaa"])),
        tooltip=["id", "generation", "validation", "status"])
    best = alt.Chart(frame).mark_line(point=True, color="#d62728").encode(x=x, y="best so far:Q")
    return alt.layer(every, best).properties(height=260)


def open_variant(variant_id: int) -> None:
    st.switch_page(VARIANT_PAGE, query_params={"variant": str(variant_id), "run": str(run_id)})


def overview(arch: Archive, run_id: int) -> None:
    run = arch.run(run_id)
    if st.session_state.get("run-status") not in (None, run.status) and run.status not in LIVE:
        st.session_state["run-status"] = run.status
        st.rerun()  # finished while watching: refresh the whole page once, which stops the polling
    st.session_state["run-status"] = run.status
    variants = arch.variants(run_id)
    total = planned(run.config)
    cols = st.columns(6)
    best = max((v.score for v in variants if v.score is not None and v.status == "valid"), default=None)
    for col, (label, value) in zip(cols, [("status", displayed_status(run)), ("generation", run.generation),
                                           ("variants", f"{len(variants)}/{total}"),
                                           ("best score", "-" if best is None else f"{best:.2f}"),
                                           ("cost USD", f"{run.cost_usd:.4f}"), ("model calls", run.model_calls)]):
        col.metric(label, value)
    st.progress(min(1.0, len(variants) / total) if total else 0.0)
    backend, isolation = sandbox_used(arch, run_id)
    st.caption(f"sandbox: {backend}")
    if isolation:
        with st.expander("what the sandbox isolates"):
            st.markdown("\n".join(f"- {line}" for line in isolation))
    if run.error:
        st.error(f"run error: {run.error}")
    st.caption(f"executor: {run.config.get('executor', 'local')}")
    st.subheader("Validation score by generation")
    st.altair_chart(score_chart(arch, run_id), width="stretch")
    st.subheader("Lineage")
    st.caption("Colour: score. Crosses: invalid variants. Red: the path to the best variant. Click a node to open it.")
    nodes = arch.tree(run_id)
    path = [v.id for v in arch.path_to_best(run_id)]
    event = st.altair_chart(lineage.chart(nodes, path), width="stretch", on_select="rerun",
                            selection_mode=lineage.SELECTION, key="lineage")
    clicked = lineage.selected_id(event)
    if clicked is not None:
        open_variant(clicked)
    ids = [node.id for node in nodes]
    if ids:
        pick, go = st.columns([3, 1])
        chosen = pick.selectbox("Variant", ids, index=ids.index(path[-1]) if path else 0, key="run-variant")
        if go.button("Open variant", key="open-variant"):
            open_variant(chosen)


# The page body of each run kind (evoforge/runkinds.py).
VIEWS = {"evolution": overview, "synthesis": synthesis_overview}

def events(arch: Archive, run_id: int) -> None:
    with st.expander("Events (newest first)"):
        stored = [from_stored(e.kind, e.payload) for e in arch.events(run_id)[-40:]]
        st.text("\n".join(e.describe() for e in reversed(stored) if e is not None) or "no events yet")


if run_id is not None:
    live = arch.run(run_id).status in LIVE

    @st.fragment(run_every=REFRESH_S if live else None)
    def watched() -> None:
        with shown_as_message(f"run {run_id}"):
            run_buttons(arch, run_id, key="run")
            VIEWS[kind_name(arch.run(run_id).config)](arch, run_id)
            events(arch, run_id)

    watched()
