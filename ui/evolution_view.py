"""The run page of an evolution run: progress, validation scores over generations and the
lineage tree; and its fields of the launch form (the RunKind names both)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import lineage
import streamlit as st
from data import planned, sandbox_used, scores_frame
from widgets import VARIANT_PAGE

from evoforge.archive import Archive
from evoforge.domains.registry import seed_agent
from evoforge.runs.liveness import displayed_status

EXECUTORS = {"local (this machine)": "local", "ray (a Ray cluster, docs/scale.md)": "ray"}


def launch_fields(columns: list[Any]) -> Callable[[str], dict[str, Any]]:
    """The hyperagent loop's own fields; its settings for a domain, with the domain's starting agent."""
    own = {"generations": int(columns[0].number_input("Generations", min_value=1, max_value=1000, value=3)),
           "parallel": int(columns[1].number_input("Parallel children", min_value=1, max_value=64, value=2))}
    executor_col, address_col = st.columns(2)
    own["executor"] = EXECUTORS[executor_col.selectbox("Executor (where children are made)", list(EXECUTORS), key="launch-executor")]
    address = address_col.text_input("Ray address (HOST:PORT of the head; empty = $RAY_ADDRESS)", key="launch-ray-address")
    own["ray_address"] = address.strip() or None
    return lambda domain: {**own, "agent": seed_agent(domain)}


def score_chart(arch: Archive, run_id: int) -> alt.LayerChart:
    frame = scores_frame(arch, run_id)
    x = alt.X("generation:Q", axis=alt.Axis(tickMinStep=1))
    every = alt.Chart(frame).mark_circle(size=50, opacity=0.5).encode(
        x=x, y=alt.Y("validation:Q", scale=alt.Scale(domain=[0, 1]), title="validation score"),
        color=alt.Color("status:N", scale=alt.Scale(domain=["valid", "invalid"], range=["#1f77b4", "#aaaaaa"])),
        tooltip=["id", "generation", "validation", "status"])
    best = alt.Chart(frame).mark_line(point=True, color="#d62728").encode(x=x, y="best so far:Q")
    return alt.layer(every, best).properties(height=260)


def open_variant(run_id: int, variant_id: int) -> None:
    st.switch_page(VARIANT_PAGE, query_params={"variant": str(variant_id), "run": str(run_id)})


def evolution_overview(arch: Archive, run_id: int) -> None:
    run = arch.run(run_id)
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
        open_variant(run_id, clicked)
    ids = [node.id for node in nodes]
    if ids:
        pick, go = st.columns([3, 1])
        chosen = pick.selectbox("Variant", ids, index=ids.index(path[-1]) if path else 0, key="run-variant")
        if go.button("Open variant", key="open-variant"):
            open_variant(run_id, chosen)
