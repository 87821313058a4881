"""The airline domain in the hyperagent loop: each task an episode in the sandbox, tools served
by the kernel over the channel, every tool call archived with the evaluation."""
from __future__ import annotations

import pytest

from evoforge.archive import VariantStatus, open_archive
from evoforge.evolution.config import RunConfig
from evoforge.evolution.runner import create_run, execute_run

pytestmark = pytest.mark.slow


def test_a_short_run_on_the_airline_domain_archives_its_tool_calls(tmp_path):
    archive = open_archive(tmp_path / "archive.db")
    config = RunConfig(domain="airline", agent="airline", generations=1, parallel=1, sandbox="local", screen_tasks=2,
                       domain_options={"sizes": {"train": 2, "validation": 2, "test": 2}})
    outcome = execute_run(archive, create_run(archive, config))
    assert outcome.status == "finished" and outcome.variants == 2
    seed = outcome.seed
    assert seed.status == VariantStatus.VALID and set(seed.scores) >= {"train", "validation", "test"}
    evaluations = archive.evaluations(seed.id)
    assert evaluations and all(e.tool_calls for e in evaluations)
    assert all(call.get("tool") or call.get("guarded_call") for e in evaluations for call in e.tool_calls)
    assert any(call.get("tool") == "get_user_details" for e in evaluations for call in e.tool_calls)
