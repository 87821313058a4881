"""The airline domain in the hyperagent loop: each task an episode in the sandbox, tools served
by the kernel over the channel. Archived per evaluation: every tool call, and the evaluator's
counts (unsafe, unconfirmed, blocked writes); the kernel's own guarded calls in an episode (here
a model-played user, `user_model="run"`) go through the run's model factory: they are the
variant's contract events and model usage, counted in the run's totals."""
from __future__ import annotations

import pytest

from evoforge.archive import VariantStatus, open_archive
from evoforge.evolution.evaluation import stored_counts
from evoforge.evolution.settings import EvolutionSettings
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.settings import DomainSection, SandboxSection

pytestmark = pytest.mark.slow


def test_a_short_run_on_the_airline_domain_archives_tool_calls_counts_and_the_kernels_calls(tmp_path):
    archive = open_archive(tmp_path / "archive.db")
    config = EvolutionSettings(domain=DomainSection("airline", {"sizes": {"train": 2, "validation": 1, "test": 1}, "user_model": "run"}),
                               sandbox=SandboxSection("local"), agent="airline", generations=1, parallel=1, screen_tasks=2)
    run_id = create_run(archive, config)
    outcome = execute_run(archive, run_id)
    assert outcome.status == "finished" and outcome.variants == 2
    seed = outcome.seed
    assert seed.status == VariantStatus.VALID and set(seed.scores) >= {"train", "validation", "test"}
    evaluations = archive.evaluations(seed.id)
    assert len(evaluations) == 4
    for evaluation in evaluations:
        counts = stored_counts(evaluation.tool_calls)
        assert {"unsafe_writes", "unconfirmed_writes", "blocked_writes", "writes"} <= set(counts)
        assert counts["unsafe_writes"] <= counts["writes"]
        assert evaluation.tool_calls[:-1] and all(set(call) >= {"tool", "arguments"} for call in evaluation.tool_calls[:-1])
    assert any(call["tool"] == "send_message_to_user" for e in evaluations for call in e.tool_calls[:-1])
    events = archive.contract_events(run_id, variant_id=seed.id)
    user_turns = [e for e in events if e.contract == "airline_user_turn"]
    assert user_turns and any(e.contract == "airline_intent" for e in events)  # the kernel's calls beside the agent's
    usage = archive.model_usage(run_id)
    assert sum(u.contract == "airline_user_turn" for u in usage) >= len(user_turns)
    assert archive.run(run_id).model_calls == len(usage)
