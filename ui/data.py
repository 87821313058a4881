"""Archive access for the UI pages: one `Archive` per process, and tables shaped for display."""
from __future__ import annotations

import json
import os
from typing import Any

import pandas as pd
import streamlit as st

from evoforge.archive import Archive, CandidateStatus, RunEventKind, open_archive
from evoforge.errors import EvoforgeError
from evoforge.runs.registry import kind_name, stored_settings


def archive_location() -> str | None:
    """The archive the UI shows: `$EVOFORGE_DB` (set by `evoforge ui --db`), else the default."""
    return os.environ.get("EVOFORGE_DB") or None


@st.cache_resource(show_spinner=False)
def _open(location: str | None) -> Archive:
    return open_archive(location)


def archive() -> Archive:
    return _open(archive_location())


def sandbox_used(arch: Archive, run_id: int) -> tuple[str, list[str]]:
    """The backend(s) the run's starts used, in order ("local, then docker" for a run resumed
    elsewhere), and what the latest one isolates; before the first start, what it asks for."""
    events = arch.events(run_id, kinds=[RunEventKind.SANDBOX_CHOSEN])
    if not events:
        return f"{stored_settings(arch.run(run_id).config).sandbox.backend or 'automatic'} (not started yet)", []
    used = dict.fromkeys(str(event.payload.get("backend")) for event in events)
    return ", then ".join(used), [str(line) for line in events[-1].payload.get("describe_lines", [])]


def planned(config: dict) -> int:
    """The variants (or candidates) a run makes when nothing stops it early."""
    try:
        return int(stored_settings(config).planned())
    except EvoforgeError:  # a kind or setting this evoforge does not know
        return 0


def runs_frame(arch: Archive) -> pd.DataFrame:
    """Every run, newest first, with what the runs table shows ("made": variants, or a synthesis
    run's candidates, out of those planned)."""
    rows = []
    for summary in arch.runs():
        run = summary.run
        rows.append({
            "id": run.id, "uid": run.uid[:8], "kind": kind_name(run.config), "status": run.status, "domain": run.domain,
            "model": run.model, "generation": run.generation,
            "made": f"{summary.variants + summary.candidates}/{planned(run.config)}",
            "best score": summary.best_score, "cost USD": run.cost_usd, "calls": run.model_calls,
            "created": run.created_at.strftime("%Y-%m-%d %H:%M"),
        })
    return pd.DataFrame(rows)


def scores_frame(arch: Archive, run_id: int) -> pd.DataFrame:
    """Each variant's validation score by generation, and the best so far (for the score plot)."""
    rows = [{"generation": v.generation, "validation": v.scores.get("validation"), "id": v.id, "status": v.status}
            for v in arch.variants(run_id)]
    frame = pd.DataFrame(rows, columns=["generation", "validation", "id", "status"])
    best = frame.groupby("generation")["validation"].max().cummax().rename("best so far").reset_index()
    return frame.merge(best, on="generation", how="left")


def evaluations_frame(arch: Archive, variant_id: int) -> pd.DataFrame:
    rows = [{"stage": e.stage, "split": e.split, "task": e.task_id, "score": e.score, "seconds": e.seconds,
             "output": e.output, "error": e.error} for e in arch.evaluations(variant_id)]
    return pd.DataFrame(rows)


def contract_events_frame(arch: Archive, run_id: int, variant_id: int) -> pd.DataFrame:
    rows = [{"contract": e.contract, "attempts": e.attempts, "violations": "; ".join(e.violations),
             "fallback": e.fallback_used, "model": e.model, "tokens": e.prompt_tokens + e.completion_tokens,
             "cost USD": e.cost_usd, "latency s": e.latency_s}
            for e in arch.contract_events(run_id, variant_id=variant_id)]
    return pd.DataFrame(rows)


def usage_frame(arch: Archive, run_id: int, variant_id: int) -> pd.DataFrame:
    rows = [{"model": u.model, "contract": u.contract, "ok": u.ok, "prompt tokens": u.prompt_tokens,
             "completion tokens": u.completion_tokens, "cost USD": u.cost_usd, "latency s": u.latency_s}
            for u in arch.model_usage(run_id) if u.variant_id == variant_id]
    return pd.DataFrame(rows)


def contract_stats_frame(arch: Archive, run_id: int) -> pd.DataFrame:
    rows = [{"contract": s.contract, "calls": s.calls, "violation rate": s.violation_rate,
             "fallback rate": s.fallback_rate, "mean attempts": s.mean_attempts, "cost USD": s.cost_usd}
            for s in arch.contract_stats(run_id)]
    return pd.DataFrame(rows)


def proof_text(candidate: Any) -> str:
    """A candidate's proof status in a few words: proven, or the counterexample's values."""
    if candidate.status == CandidateStatus.COUNTEREXAMPLE and candidate.counterexample:
        example = candidate.counterexample
        values = ", ".join(f"{k}={v!r}" for k, v in {**example["inputs"], **example["params"]}.items())
        return f"counterexample: {values} breaks {example['violated']}"
    if candidate.status == CandidateStatus.RULED_OUT:
        return f"ruled out by #{candidate.ruled_out_by}'s counterexample"
    return candidate.status if candidate.status != CandidateStatus.UNKNOWN else f"unknown: {candidate.reason[:80]}"


def candidates_frame(arch: Archive, run_id: int) -> pd.DataFrame:
    """A synthesis run's candidates: lineage, proof status beside the scores, learned parameters."""
    rows = [{"#": c.index, "round": c.round, "origin": c.origin, "parent": c.parent_index, "proof": proof_text(c),
             "train": c.scores.get("train"), "validation": c.scores.get("validation"), "test": c.scores.get("test"),
             "Psi violations": ", ".join(f"{k} {v}" for k, v in c.psi_violations.items()),
             "ruled out": len(c.ruled_out), "params": json.dumps(c.params) if c.params else ""}
            for c in arch.candidates(run_id)]
    return pd.DataFrame(rows, columns=["#", "round", "origin", "parent", "proof", "train", "validation", "test",
                                       "Psi violations", "ruled out", "params"])
