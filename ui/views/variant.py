"""Variant: the meta agent's change, files, diffs, evaluations, contract events and usage."""
from __future__ import annotations

import streamlit as st

from data import archive, contract_events_frame, evaluations_frame, usage_frame
from widgets import query_int, shown_as_message

from evoforge.archive import Archive, FileChange

st.title("Variant")
arch = archive()


def show_diff(changes: list[FileChange]) -> None:
    if not changes:
        st.info("No file differs.")
    for change in changes:
        with st.expander(f"{change.change}: {change.path}", expanded=True):
            st.code(change.diff or "(no textual difference)", language="diff")


def show(arch: Archive, variant_id: int) -> None:
    variant = arch.variant(variant_id)
    st.page_link("views/run.py", label=f"← run {variant.run_id}", query_params={"run": str(variant.run_id)})
    cols = st.columns(4)
    cols[0].metric("status", variant.status)
    cols[1].metric("generation", variant.generation)
    cols[2].metric("parent", "-" if variant.parent_id is None else f"#{variant.parent_id}")
    cols[3].metric("score", "-" if variant.score is None else f"{variant.score:.2f}")
    st.write("Scores: " + (", ".join(f"{k} {v:.2f}" for k, v in sorted(variant.scores.items())) or "none"))
    st.subheader("What its meta agent changed")
    st.markdown(variant.summary or "_(no summary: a seed, or the meta agent said nothing)_")
    files, diff, other, evals, events, usage = st.tabs(
        ["Files", "Diff vs parent", "Diff vs another", "Evaluations", "Contract events", "Model usage"])
    with files:
        texts = arch.files(variant_id)
        path = st.selectbox("File", sorted(texts), key="variant-file")
        if path is not None:
            st.code(texts[path], language="python" if path.endswith(".py") else None, line_numbers=True)
    with diff:
        if variant.parent_id is None:
            st.info("A root variant has no parent.")
        else:
            show_diff(arch.diff(variant_id))
    with other:
        others = [v.id for v in arch.variants(variant.run_id) if v.id != variant_id]
        against = st.selectbox("Against variant", others, key="variant-against") if others else None
        if against is not None:
            show_diff(arch.diff(variant_id, against=against))
    with evals:
        frame = evaluations_frame(arch, variant_id)
        stages = sorted(frame["stage"].unique()) if not frame.empty else []
        for stage in stages:
            st.markdown(f"**{stage}**: mean score {frame[frame.stage == stage].score.mean():.2f}")
            st.dataframe(frame[frame.stage == stage].drop(columns="stage"), hide_index=True)
        if not stages:
            st.info("No evaluations recorded.")
    with events:
        st.dataframe(contract_events_frame(arch, variant.run_id, variant_id), hide_index=True)
    with usage:
        frame = usage_frame(arch, variant.run_id, variant_id)
        if not frame.empty:
            st.write(f"{len(frame)} call(s), {int(frame['prompt tokens'].sum() + frame['completion tokens'].sum())} "
                     f"tokens, ${frame['cost USD'].sum():.4f}")
        st.dataframe(frame, hide_index=True)


chosen = st.number_input("Variant id", min_value=1, value=query_int("variant") or 1, step=1, key="variant-id")
st.query_params["variant"] = str(int(chosen))
with shown_as_message(f"variant {int(chosen)}"):
    show(arch, int(chosen))
