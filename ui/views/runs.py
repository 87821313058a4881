"""Runs: every run with its status and cost, a form that launches a new one, stop and resume."""
from __future__ import annotations

import launcher
import streamlit as st
from data import archive, runs_frame
from widgets import RUN_PAGE, pick_run, run_buttons, shown_as_message

from evoforge.domains import list_domains
from evoforge.domains.registry import domain_reference
from evoforge.lazy import imported
from evoforge.paths import SPECS_DIR
from evoforge.runs.registry import all_kinds
from evoforge.runs.settings import BudgetSection, DomainSection, ModelSection, SandboxSection

SANDBOXES = {"automatic (docker when an engine answers)": None, "docker": "docker", "local": "local"}


def folder_problems(folder: str) -> list[str]:
    """Why the domain folder cannot be launched, one line each (as `evoforge domains check`); [] if it can."""
    from evoforge.domains.checks import check_folder

    report = check_folder(folder.strip())
    return [str(p) for p in report.problems]


st.title("Runs")
arch = archive()
st.caption(f"archive: {arch.where}")


@st.fragment(run_every=3)
def runs_table() -> None:
    with shown_as_message("listing runs"):
        frame = runs_frame(arch)
        if frame.empty:
            st.info("No runs yet: start one below.")
        else:
            st.dataframe(frame, hide_index=True, key="runs-table", column_config={
                "best score": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
                "cost USD": st.column_config.NumberColumn(format="$%.4f"),
            })


runs_table()

run_id = pick_run(arch, key="runs-pick")
if run_id is not None:
    run_buttons(arch, run_id, key="runs")
    if st.button("Open run", key="open-run"):
        st.switch_page(RUN_PAGE, query_params={"run": str(run_id)})

st.subheader("Start a run")
KINDS = {kind.title: kind for kind in all_kinds()}  # the registry's kinds (runs/registry.py)
kind = KINDS[st.radio("Kind", list(KINDS), key="launch-kind", horizontal=True)]

with st.form("launch"):
    domains = [name for name, _ in list_domains()]
    domain = st.selectbox("Domain", domains, index=domains.index("arithmetic") if "arithmetic" in domains else 0)
    folder = st.text_input("Or a domain folder (a path holding domain.toml; used instead of the domain above)", key="domain-folder")
    model = st.text_input("Model (litellm name; empty = the embedded local model)")
    left, middle, right = st.columns(3)
    own = imported(kind.ui_form)([left, middle])  # the kind's own fields: its settings for a domain
    # The same automatic choice as `evoforge run` without --sandbox: docker when an engine answers.
    sandbox = SANDBOXES[right.selectbox("Sandbox", list(SANDBOXES), key="launch-sandbox")]
    train, validation, test = st.columns(3)
    sizes = {"train": train.number_input("Train tasks", min_value=1, value=8),
             "validation": validation.number_input("Validation tasks", min_value=1, value=8),
             "test": test.number_input("Test tasks", min_value=1, value=8)}
    spec_files = st.multiselect("Extra spec files (contracts the agents may call)",
                                [str(path) for path in sorted(SPECS_DIR.glob("*.toml"))])
    calls_col, cost_col = st.columns(2)
    max_calls = calls_col.number_input("Budget: max model calls (0 = none)", min_value=0, value=0)
    max_cost = cost_col.number_input("Budget: max cost USD (0 = none)", min_value=0.0, value=0.0, format="%.2f")
    submitted = st.form_submit_button("Start run")
problems = folder_problems(folder) if submitted and folder.strip() else []
for problem in problems:
    st.error(problem)
if submitted and not problems:
    with shown_as_message("starting the run"):
        domain = domain_reference(folder.strip()) if folder.strip() else domain
        settings = kind.settings(domain=DomainSection(domain, {"sizes": {k: int(v) for k, v in sizes.items()}}, spec_files),
                                 model=ModelSection(model.strip() or None), sandbox=SandboxSection(sandbox),
                                 budget=BudgetSection(max_cost_usd=float(max_cost) or None, max_calls=int(max_calls) or None),
                                 **own(domain))
        new_id = launcher.start(arch, settings)
        st.success(f"Started run {new_id}: it runs in its own process, so closing the browser does not stop it.")
        st.page_link(RUN_PAGE, label=f"Watch run {new_id}", query_params={"run": str(new_id)})
