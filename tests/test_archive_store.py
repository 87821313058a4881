"""Runs, variants and evidence: what goes in comes back, on SQLite and on PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from evoforge.archive import (
    NewEvaluation, NewEvent, NotFound, RunEventKind, RunStatus, Split, VariantStatus,
)
from evoforge.archive.tables import Blob, Evaluation, Variant
from test_archive_backends import archive, archive_url  # noqa: F401 (fixtures)

PROGRAM = {"agent.py": "def solve(task):\n    return 0\n", "prompts/meta.txt": "Improve the agent.\n"}


def count(archive, table) -> int:
    with archive._read() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_a_run_comes_back_as_created(archive):
    run = archive.create_run("arith", "smollm2", config={"children": 4}, budgets={"usd": 1.5})
    again = archive.run(run.id)
    assert (again.domain, again.model, again.config, again.budgets, again.status) == (
        "arith", "smollm2", {"children": 4}, {"usd": 1.5}, RunStatus.CREATED)
    assert again.created_at.tzinfo is not None
    assert archive.run(run.uid[:8]).id == run.id
    with pytest.raises(NotFound, match="run 999 is not in archive"):
        archive.run(999)
    with pytest.raises(NotFound, match="'zzzz' is not in archive"):
        archive.run("zzzz")


def test_run_status_progress_and_end_time(archive):
    run = archive.create_run("arith", "m")
    archive.update_run(run.id, status="running", generation=3, progress=0.25)
    assert archive.run(run.id).finished_at is None
    archive.update_run(run.id, status=RunStatus.FINISHED, progress=1.0)
    done = archive.run(run.id)
    assert (done.status, done.generation, done.progress) == ("finished", 3, 1.0)
    assert done.finished_at is not None and done.updated_at >= done.created_at
    with pytest.raises(ValueError):
        archive.update_run(run.id, progress=1.5)
    with pytest.raises(ValueError):
        archive.update_run(run.id, status="exploded")


def test_variant_files_round_trip_and_identical_files_are_stored_once(archive):
    run = archive.create_run("arith", "m")
    root = archive.add_variant(run.id, PROGRAM, summary="seed", score=0.5, scores={"train": 0.5})
    child_files = {**PROGRAM, "agent.py": "def solve(task):\n    return 1\n"}
    child = archive.add_variant(run.id, child_files, parent_id=root.id)
    assert archive.files(root.id) == PROGRAM and archive.files(child.id) == child_files
    assert (root.generation, child.generation, child.parent_id) == (0, 1, root.id)
    stored = archive.variant(root.id)
    assert (stored.summary, stored.score, stored.scores, stored.status) == ("seed", 0.5, {"train": 0.5}, "valid")
    assert count(archive, Blob) == 3  # the prompt is shared by both variants
    assert archive.add_variant(run.id, {}, parent_id=child.id, generation=7).generation == 7


def test_unicode_and_empty_files_survive(archive):
    run = archive.create_run("arith", "m")
    files = {"ünï/cödé.py": "print('λ → ∀x. x ≥ 0')\n", "empty.txt": ""}
    assert archive.files(archive.add_variant(run.id, files).id) == files


def test_diff_to_parent_and_to_any_variant(archive):
    run = archive.create_run("arith", "m")
    a = archive.add_variant(run.id, {"agent.py": "x = 1\ny = 2\n", "old.txt": "bye\n"})
    b = archive.add_variant(run.id, {"agent.py": "x = 1\ny = 3\n", "new.txt": "hi\n"}, parent_id=a.id)
    changes = {c.path: c for c in archive.diff(b.id)}
    assert {p: c.change for p, c in changes.items()} == {"agent.py": "modified", "new.txt": "added", "old.txt": "removed"}
    assert "-y = 2\n+y = 3\n" in changes["agent.py"].diff
    assert changes["new.txt"].diff.startswith("--- /dev/null\n+++ b/new.txt")
    assert [c.change for c in archive.diff(a.id)] == ["added", "added"]  # a root: against nothing
    assert archive.diff(b.id, against=b.id) == []
    assert {c.path for c in archive.diff(a.id, against=b.id)} == {"agent.py", "new.txt", "old.txt"}


def test_flags_change_but_files_and_lineage_do_not(archive):
    run = archive.create_run("arith", "m")
    root = archive.add_variant(run.id, PROGRAM)
    child = archive.add_variant(run.id, {"agent.py": "pass\n"}, parent_id=root.id, scores={"train": 0.1})
    archive.update_variant(root.id, valid_parent=False)
    archive.update_variant(child.id, status=VariantStatus.INVALID, score=0.2, scores={"validation": 0.3})
    r, c = archive.variant(root.id), archive.variant(child.id)
    assert (r.valid_parent, c.status, c.score) == (False, "invalid", 0.2)
    assert c.scores == {"train": 0.1, "validation": 0.3}
    assert archive.files(root.id) == PROGRAM and c.parent_id == root.id
    assert [v.id for v in archive.variants(run.id)] == [root.id, child.id]


def test_a_parent_must_exist_in_the_same_run(archive):
    first, second = archive.create_run("a", "m"), archive.create_run("b", "m")
    elsewhere = archive.add_variant(first.id, PROGRAM)
    with pytest.raises(ValueError, match=f"belongs to run {first.id}"):
        archive.add_variant(second.id, PROGRAM, parent_id=elsewhere.id)
    with pytest.raises(NotFound, match="parent variant 12345"):
        archive.add_variant(second.id, PROGRAM, parent_id=12345)
    with pytest.raises(NotFound, match="run 777"):
        archive.add_variant(777, PROGRAM)
    assert count(archive, Variant) == 1


def test_a_repeated_proposal_returns_the_child_already_made(archive):
    run = archive.create_run("arith", "m")
    root = archive.add_variant(run.id, PROGRAM)
    first = archive.add_variant(run.id, {"a.py": "1\n"}, parent_id=root.id, proposal_key="g1/c0",
                                evaluations=[NewEvaluation("t1", "train", "screen", 1.0)])
    again = archive.add_variant(run.id, {"a.py": "2\n"}, parent_id=root.id, proposal_key="g1/c0",
                                evaluations=[NewEvaluation("t1", "train", "screen", 0.0)])
    assert again.id == first.id and archive.files(again.id) == {"a.py": "1\n"}
    assert archive.find_proposal(run.id, "g1/c0").id == first.id
    assert archive.find_proposal(run.id, "g1/c1") is None
    assert count(archive, Variant) == 2 and count(archive, Evaluation) == 1
    # Keys are per run: another run may use the same key.
    other = archive.create_run("arith", "m")
    assert archive.add_variant(other.id, PROGRAM, proposal_key="g1/c0").id != first.id


def test_evaluations_by_stage_and_split(archive):
    run = archive.create_run("arith", "m")
    v = archive.add_variant(run.id, PROGRAM, evaluations=[
        NewEvaluation("t1", Split.TRAIN, "screen", 1.0, output="42", seconds=0.5),
        NewEvaluation("t2", "train", "screen", 0.0, error="Timeout after 10 s"),
    ])
    archive.add_evaluations(v.id, [NewEvaluation("t3", "validation", "full", 0.5)])
    screen = archive.evaluations(v.id, stage="screen")
    assert [(e.task_id, e.split, e.score, e.output, e.error, e.seconds) for e in screen] == [
        ("t1", "train", 1.0, "42", None, 0.5), ("t2", "train", 0.0, "", "Timeout after 10 s", 0.0)]
    assert [e.task_id for e in archive.evaluations(v.id)] == ["t1", "t2", "t3"]
    with pytest.raises(ValueError):
        archive.add_evaluations(v.id, [NewEvaluation("t4", "holdout", "full", 0.5)])
    with pytest.raises(NotFound):
        archive.add_evaluations(4242, [NewEvaluation("t4", "test", "full", 0.5)])


def test_a_failing_first_fact_leaves_no_variant(archive):
    run = archive.create_run("arith", "m")
    with pytest.raises(ValueError):
        archive.add_variant(run.id, {"lonely.py": "unique text\n"},
                            evaluations=[NewEvaluation("t", "nonsense-split", "screen", 1.0)])
    assert count(archive, Variant) == 0 and count(archive, Blob) == 0


def test_events_carry_the_new_variant_id_and_can_be_polled(archive):
    run = archive.create_run("arith", "m")
    start = archive.add_event(run.id, RunEventKind.RUN_STARTED, {"children": 2})
    v = archive.add_variant(run.id, PROGRAM, events=[NewEvent(RunEventKind.VARIANT_ARCHIVED, {"score": 0.5})])
    archive.add_event(run.id, "budget_reached")
    events = archive.events(run.id)
    assert [(e.kind, e.payload) for e in events] == [
        ("run_started", {"children": 2}), ("variant_archived", {"score": 0.5, "variant_id": v.id}),
        ("budget_reached", {})]
    assert [e.kind for e in archive.events(run.id, after_id=start.id)] == ["variant_archived", "budget_reached"]
    assert [e.kind for e in archive.events(run.id, kinds=["budget_reached"])] == ["budget_reached"]
    with pytest.raises(ValueError):
        archive.add_event(run.id, "variant_exploded")


def test_contract_statistics_across_a_run(archive):
    run = archive.create_run("arith", "m")
    v = archive.add_variant(run.id, PROGRAM)
    archive.add_contract_event(run.id, "sum", attempts=1, model="m", prompt_tokens=10, cost_usd=0.01)
    archive.add_contract_event(run.id, "sum", attempts=3, violations=["ensure: out == a + b"] * 2,
                               variant_id=v.id, cost_usd=0.02)
    archive.add_contract_event(run.id, "sum", attempts=3, violations=["e1", "e2", "e3"], fallback_used=True)
    archive.add_contract_event(run.id, "parse", attempts=1)
    stats = {s.contract: s for s in archive.contract_stats(run.id)}
    assert (stats["sum"].calls, stats["sum"].violated_calls, stats["sum"].violations, stats["sum"].fallbacks) == (3, 2, 5, 1)
    assert stats["sum"].violation_rate == pytest.approx(2 / 3) and stats["sum"].fallback_rate == pytest.approx(1 / 3)
    assert stats["sum"].mean_attempts == pytest.approx(7 / 3) and stats["sum"].cost_usd == pytest.approx(0.03)
    assert (stats["parse"].violation_rate, stats["parse"].fallback_rate) == (0.0, 0.0)
    assert [e.violations for e in archive.contract_events(run.id, variant_id=v.id)] == [["ensure: out == a + b"] * 2]
    assert len(archive.contract_events(run.id, contract="sum")) == 3


def test_model_usage_keeps_run_totals(archive):
    run = archive.create_run("arith", "m")
    archive.add_model_usage(run.id, "smollm2", prompt_tokens=100, completion_tokens=20, cost_usd=0.0, latency_s=1.5)
    archive.add_model_usage(run.id, "gpt", prompt_tokens=50, completion_tokens=5, cost_usd=0.25, contract="sum")
    archive.add_model_usage(run.id, "gpt", ok=False, error="rate limited", latency_s=0.5)
    totals = archive.run(run.id)
    assert (totals.model_calls, totals.prompt_tokens, totals.completion_tokens, totals.cost_usd) == (3, 150, 25, 0.25)
    by_model = {u.model: u for u in archive.usage_totals(run.id)}
    assert (by_model["gpt"].calls, by_model["gpt"].failures, by_model["gpt"].cost_usd) == (2, 1, 0.25)
    assert (by_model["smollm2"].prompt_tokens, by_model["smollm2"].latency_s) == (100, 1.5)
    assert [u.error for u in archive.model_usage(run.id)] == [None, None, "rate limited"]


def test_run_list_summarises_variants_and_best_valid_score(archive):
    empty = archive.create_run("a", "m")
    run = archive.create_run("b", "m")
    root = archive.add_variant(run.id, PROGRAM, score=0.4)
    archive.add_variant(run.id, PROGRAM, parent_id=root.id, score=0.9, status="invalid")
    archive.add_variant(run.id, PROGRAM, parent_id=root.id, score=0.6)
    summaries = {s.run.id: s for s in archive.runs()}
    assert [s.run.id for s in archive.runs()] == [run.id, empty.id]
    assert (summaries[run.id].variants, summaries[run.id].valid_variants, summaries[run.id].best_score) == (3, 2, 0.6)
    assert (summaries[empty.id].variants, summaries[empty.id].best_score) == (0, None)


def test_scores_over_generations(archive):
    run = archive.create_run("a", "m")
    root = archive.add_variant(run.id, PROGRAM, score=0.2)
    archive.add_variant(run.id, PROGRAM, parent_id=root.id, score=0.4)
    archive.add_variant(run.id, PROGRAM, parent_id=root.id, score=0.8)
    archive.add_variant(run.id, PROGRAM, parent_id=root.id, score=1.0, status="invalid")
    gens = archive.generations(run.id)
    assert [(g.generation, g.variants, g.valid_variants, g.best_score) for g in gens] == [(0, 1, 1, 0.2), (1, 3, 2, 0.8)]
    assert gens[1].mean_score == pytest.approx(0.6)


def test_a_uid_prefix_of_digits_still_finds_its_run(archive):
    run = archive.create_run("arith", "m")
    with archive._write() as session:
        session.get(type(run), run.id).uid = "12345678" + "f" * 24
    assert archive.run("12345678").id == run.id
    assert archive.run(str(run.id)).id == run.id
    with pytest.raises(NotFound, match="run 99 is not in archive"):
        archive.run(99)
