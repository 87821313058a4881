"""The run page of a synthesis run: progress, and each candidate's program with its proof
status (proven, or the counterexample's values) beside its scores; and its fields of the launch
form (the RunKind names both)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from data import candidates_frame, planned, proof_text

from evoforge.archive import Archive, CandidateStatus
from evoforge.runs.liveness import displayed_status
from evoforge.synthesis.proposers_by_name import PROPOSERS


def launch_fields(columns: list[Any]) -> Callable[[str], dict[str, Any]]:
    """The search's and learner's own fields (the same for every domain), and the task specification."""
    own = {"rounds": int(columns[0].number_input("Rounds (search and verify)", min_value=1, max_value=100, value=3)),
           "per_round": int(columns[1].number_input("Candidates per round", min_value=1, max_value=50, value=4)),
           "trials": int(columns[0].number_input("Learner trials", min_value=1, max_value=200, value=4)),
           "proposer": columns[1].selectbox("Proposer", list(PROPOSERS), key="launch-proposer")}
    # e.g. airline_conversation, the airline's whole-conversation task; blank: the domain's own
    task = columns[0].text_input("Task specification ([tasks.NAME]; blank: the domain's)", value="", key="launch-task").strip()
    return lambda domain: {**own, "task": task or None}


def synthesis_overview(arch: Archive, run_id: int) -> None:
    run = arch.run(run_id)
    candidates = arch.candidates(run_id)
    learned = [c for c in candidates if "learn" in c.evidence]
    best = learned[-1] if learned else None
    test = None if best is None else best.scores.get("test")
    cols = st.columns(6)
    for col, (label, value) in zip(cols, [("status", displayed_status(run)), ("round", run.generation),
                                           ("candidates", f"{len(candidates)}/{planned(run.config)}"),
                                           ("proven", sum(c.status == CandidateStatus.PROVEN for c in candidates)),
                                           ("best test", "-" if test is None else f"{test:.2f}"), ("model calls", run.model_calls)]):
        col.metric(label, value)
    st.progress(run.progress)
    if run.error:
        st.error(f"run error: {run.error}")
    st.subheader("Candidates")
    st.caption("Proof: proven for every input and parameter value, or the counterexample Z3 found. "
               "Only proven programs are scored beyond train.")
    st.dataframe(candidates_frame(arch, run_id), hide_index=True, key="candidates-table")
    if not candidates:
        return
    indices = [c.index for c in candidates]
    chosen = st.selectbox("Candidate", indices, index=indices.index(best.index) if best else 0, key="run-candidate",
                          format_func=lambda i: f"#{i} ({candidates[i].origin}): {candidates[i].status}")
    candidate = candidates[chosen]
    program, proof = st.columns([3, 2])
    program.code(candidate.source, language="python")
    if candidate.status == CandidateStatus.PROVEN:
        proof.success(f"proven: {(candidate.verdict or {}).get('reason', '')}")
        shaping = (candidate.verdict or {}).get("params_shaping_only") or []
        if shaping:
            proof.caption(f"shaping-only parameters (never in the proof): {', '.join(shaping)}")
    else:
        proof.error(proof_text(candidate))
    if candidate.counterexample:
        proof.json(candidate.counterexample, expanded=False)
    if candidate.ruled_out:
        proof.caption(f"its counterexample ruled out candidates {', '.join(f'#{i}' for i in candidate.ruled_out)} without a proof attempt")
    if candidate.params:
        proof.write(f"learned parameters: `{candidate.params}`")
    scores = {split: candidate.scores.get(split) for split in ("train", "validation", "test")}
    proof.write("scores: " + ", ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in scores.items()))
