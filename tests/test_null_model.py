"""The null model (`null/fallback`): it never answers, so every guarded call returns its proven
fallback; a run with it is the ablation an evolution claim must survive. And a run repeats:
the same seed and the same model answers give the same lineage and the same best."""
from __future__ import annotations

from evoforge.archive import open_archive
from evoforge.cli import main
from evoforge.evolution.settings import EvolutionSettings
from evoforge.models.null import NULL_MODEL
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.services import RunServices
from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection

SIZES = {"sizes": {"train": 4, "validation": 4, "test": 4}}


def null_run(db, seed: int = 0) -> tuple:
    archive = open_archive(db)
    config = EvolutionSettings(domain=DomainSection("car-origin", SIZES), model=ModelSection(NULL_MODEL), random_seed=seed,
                               sandbox=SandboxSection("local", 30.0), generations=2, parallel=2, screen_tasks=2)
    outcome = execute_run(archive, create_run(archive, config), RunServices(archive))
    return archive, outcome


def lineage(archive, run_id: int) -> list[tuple]:
    """The run as plan-ordered facts: key, parent's key, status, scores, the task agent's text."""
    variants = {v.id: v for v in archive.variants(run_id)}
    return sorted((v.proposal_key, variants[v.parent_id].proposal_key if v.parent_id else None, v.status, v.score,
                   archive.files(v.id)["task_agent.py"]) for v in variants.values())


def test_with_the_null_model_every_call_falls_back_and_nothing_is_gained(tmp_path):
    archive, outcome = null_run(tmp_path / "a.db")
    events = archive.contract_stats(outcome.run_id)
    assert events and all(stat.fallbacks == stat.calls for stat in events)
    assert outcome.variants == 5 and outcome.best.scores["test"] == outcome.seed.scores["test"]
    answers = {e.output for v in archive.variants(outcome.run_id) for e in archive.evaluations(v.id)}
    assert answers == {'"American"'}  # the answer contract's fallback, for every task of every variant


def test_the_same_seed_and_answers_give_the_same_lineage_and_best(tmp_path):
    first_archive, first = null_run(tmp_path / "one.db", seed=3)
    second_archive, second = null_run(tmp_path / "two.db", seed=3)
    assert lineage(first_archive, first.run_id) == lineage(second_archive, second.run_id)
    assert first.best.proposal_key == second.best.proposal_key


def test_compare_null_prints_the_run_beside_its_null_twin(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # rich wraps at the terminal's width: one line per message here
    db = tmp_path / "a.db"
    code = main(["run", "--domain", "car-origin", "--model", NULL_MODEL, "--generations", "1", "--parallel", "1",
                 "--tasks", "2", "2", "2", "--db", str(db), "--sandbox", "local", "--compare-null"])
    assert code == 0
    out = capsys.readouterr().out
    assert "what the model contributed" in out and "gain through the model" in out and f"resume 1 --db {db}" in out
    assert len(open_archive(db).runs()) == 2
