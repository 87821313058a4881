"""Contracts: the spec files, each contract's proof status, and per-contract statistics of a run."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data import archive, contract_stats_frame
from widgets import pick_run, shown_as_message

from evoforge.contracts import SpecSet, load_specs
from evoforge.paths import SPECS_DIR

st.title("Contracts")


@st.cache_resource(show_spinner="proving contracts with Z3…")
def specs(files: tuple[str, ...]) -> SpecSet:
    return load_specs(files)


with shown_as_message("loading the spec files"):
    files = tuple(sorted(str(path) for path in SPECS_DIR.glob("*.toml")))
    st.caption(f"spec files in {SPECS_DIR}: " + ", ".join(p.rsplit("/", 1)[-1] for p in files))
    loaded = specs(files)
    st.dataframe(pd.DataFrame([
        {"contract": c.name, "file": c.file.rsplit("/", 1)[-1], "line": c.line,
         "proven": bool(c.proof and c.proof.proven), "reason": c.proof.reason if c.proof else "not proven",
         "seconds": c.proof.seconds if c.proof else None}
        for c in loaded.contracts.values()]), hide_index=True)
    for problem in loaded.problems:
        st.warning(str(problem))

st.subheader("Per-contract statistics of a run")
with shown_as_message("contract statistics"):
    arch = archive()
    run_id = pick_run(arch, key="contracts-pick")
    if run_id is not None:
        frame = contract_stats_frame(arch, run_id)
        st.dataframe(frame, hide_index=True, column_config={
            "violation rate": st.column_config.NumberColumn(format="percent"),
            "fallback rate": st.column_config.NumberColumn(format="percent")})
