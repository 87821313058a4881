"""Synthesis runs end to end: the graph with its checkpoints, kill -9 and resume, the CLI with
the embedded model, programs in the real sandbox, shaping options through the channel."""
from __future__ import annotations

import json
import os
import signal
import time

import optuna
import pytest
from loop_support import driver, scripted_services

from evoforge.archive import open_archive
from evoforge.cli import main
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.settings import BudgetSection, DomainSection, SandboxSection
from evoforge.synthesis.settings import SynthesisSettings

SMALL = {"sizes": {"train": 3, "validation": 2, "test": 3}}


def config(max_calls: int | None = None, **overrides) -> SynthesisSettings:
    values = {"rounds": 3, "per_round": 3, "trials": 2}
    return SynthesisSettings(domain=DomainSection("arithmetic", SMALL), sandbox=SandboxSection("local", 30.0),
                             budget=BudgetSection(max_calls=max_calls), **{**values, **overrides})


def closed(archive, run_id):
    return [c for c in archive.candidates(run_id) if c.status != "proposed"]


def trials(archive, run_id):
    url = archive.url.render_as_string(hide_password=False)
    try:
        study = optuna.load_study(study_name=f"synthesis-{archive.run(run_id).uid}", storage=url)
    except KeyError:
        return 0
    return sum(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)


def check_integrity(archive, run_id, cfg: SynthesisSettings):
    candidates = archive.candidates(run_id)
    assert [c.index for c in candidates] == list(range(len(candidates)))
    assert len({c.source for c in candidates}) == len(candidates), "a program was proposed twice"
    assert all(c.status != "proposed" for c in candidates)
    for c in candidates:
        assert c.parent_index is None or c.parent_index < c.index
        if c.status == "ruled_out":
            owner = candidates[c.ruled_out_by]
            assert owner.counterexample is not None and c.index in owner.ruled_out
        if c.status == "proven":
            assert c.verdict["status"] == "proven" and "train" in c.scores
        else:
            assert "validation" not in c.scores and "test" not in c.scores, "an unproven program was evaluated beyond train"
    learned = [c for c in candidates if "learn" in c.evidence]
    assert len(learned) == 1
    (best,) = learned
    assert {"train", "validation", "test"} <= set(best.scores) and best.psi_violations["test"] == 0
    assert best.evidence["learn"]["reproved"] is False
    assert trials(archive, run_id) == cfg.trials, "the learner's study lost or repeated trials"
    assert archive.run(run_id).status == "finished"
    return candidates




@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The same run, never killed: what a resumed run must end up with."""
    archive = open_archive(tmp_path_factory.mktemp("whole") / "archive.db")
    cfg = config()
    run_id = create_run(archive, cfg)
    execute_run(archive, run_id, scripted_services(archive))
    return [(c.source, c.status, c.origin, c.parent_index) for c in check_integrity(archive, run_id, cfg)]


@pytest.mark.parametrize("kill_when, how", [("1 closed", signal.SIGKILL), ("4 closed", signal.SIGKILL), ("1 trial", signal.SIGKILL),
                                           ("1 trial", signal.SIGTERM)])
def test_kill_minus_nine_then_resume_loses_and_duplicates_nothing(tmp_path, uninterrupted, kill_when, how):
    """SIGKILL mid-search, mid-round and mid-learning; SIGTERM (a clean stop) mid-learning."""
    db = tmp_path / "archive.db"
    cfg = config()
    process = driver(db, "start", json.dumps(cfg.to_dict()), "scripted")
    run_id = int(process.stdout.readline())
    archive = open_archive(db)
    count, what = kill_when.split()
    reached = (lambda: len(closed(archive, run_id)) >= int(count)) if what == "closed" else (lambda: trials(archive, run_id) >= int(count))
    deadline = time.time() + 300
    while not reached() and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed: " + process.stderr.read()[-2000:]
    process.send_signal(how)
    process.wait()
    if how == signal.SIGTERM:
        assert archive.run(run_id).status == "stopped"
    before = {c.index: (c.id, c.source, c.status, c.verdict) for c in closed(archive, run_id)}
    assert len(before) >= (int(count) if what == "closed" else 1)
    resumed = driver(db, "resume", str(run_id), "scripted")
    _, errors = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, errors[-2000:]
    candidates = check_integrity(archive, run_id, cfg)
    after = {c.index: (c.id, c.source, c.status, c.verdict) for c in candidates}
    assert all(after[index] == facts for index, facts in before.items()), "a closed candidate was rewritten"
    assert [(c.source, c.status, c.origin, c.parent_index) for c in candidates] == uninterrupted
    kinds = [e.kind for e in archive.events(run_id)]
    assert kinds.count("test_scored") == 1 and kinds.count("parameters_learned") == 1


def test_a_finished_run_resumed_changes_nothing_and_travels_whole_by_export(tmp_path):
    from evoforge.archive import export_run, import_run

    archive = open_archive(tmp_path / "archive.db")
    run_id = create_run(archive, config(rounds=1, per_round=2, trials=1))
    execute_run(archive, run_id, scripted_services(archive))
    rows = [(c.id, c.updated_at) for c in archive.candidates(run_id)]
    outcome = execute_run(archive, run_id, scripted_services(archive))
    assert outcome.status == "finished" and [(c.id, c.updated_at) for c in archive.candidates(run_id)] == rows
    export_run(archive, run_id, tmp_path / "run.jsonl.gz")
    other = open_archive(tmp_path / "other.db")
    copy = import_run(other, tmp_path / "run.jsonl.gz")
    fields = lambda c: (c.index, c.source, c.status, c.verdict, c.params, c.scores, c.psi_violations, c.ruled_out)  # noqa: E731
    assert [fields(c) for c in other.candidates(copy.id)] == [fields(c) for c in archive.candidates(run_id)]


def test_a_short_synthesis_run_with_the_embedded_model_through_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the runs table in full
    db = tmp_path / "archive.db"
    code = main(["synthesize", "--domain", "arithmetic", "--rounds", "1", "--per-round", "2", "--trials", "1",
                 "--tasks", "2", "2", "2", "--db", str(db), "--sandbox", "local"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "best program: candidate #" in out and "proof: proven" in out and "Psi violations" in out
    assert "candidate #0 (enumerate)" in out  # a progress line from the typed events (not a terminal)
    archive = open_archive(db)
    (summary,) = archive.runs()
    run = summary.run
    assert run.config["kind"] == "synthesis" and run.status == "finished" and run.model_calls > 0
    (best,) = [c for c in archive.candidates(run.id) if "learn" in c.evidence]
    assert best.verdict["status"] == "proven" and best.psi_violations["test"] == 0
    assert archive.contract_stats(run.id), "the guarded calls made in the sandbox were not archived"
    assert main(["runs", "--db", str(db)]) == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if line.strip().startswith(str(run.id))]
    proven = sum(c.status == "proven" for c in archive.candidates(run.id))
    assert row.split()[1:3] == ["synthesis", "arithmetic"] and f"{proven}/{len(archive.candidates(run.id))}" in row
    assert main(["show", str(run.id), "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert "candidates" in shown and "best variant" not in shown  # its own part of `show`, not an evolution run's
    for candidate in archive.candidates(run.id):  # each candidate's proof status beside its scores
        (line,) = [row for row in shown.splitlines() if row.strip().startswith(f"#{candidate.index} ")]
        assert candidate.status.split("_")[0] in line
    assert f"best program: candidate #{best.index}" in shown and "proof: proven" in shown


def test_a_domain_without_a_fitting_task_specification_is_a_one_line_error(tmp_path, capsys):
    code = main(["synthesize", "--domain", "arithmetic", "--task", "no_such_task", "--rounds", "1",
                 "--db", str(tmp_path / "a.db"), "--sandbox", "local"])
    assert code == 2
    assert "no task specification named 'no_such_task'" in capsys.readouterr().err
    assert open_archive(tmp_path / "a.db").runs() == [], "a run was created for a problem that cannot be synthesized"


def test_a_spent_budget_stops_the_run_with_every_call_counted(tmp_path):
    """The embedded model, through the run's gateway and budget (the scripted model has none)."""
    archive = open_archive(tmp_path / "archive.db")
    run_id = create_run(archive, config(rounds=2, per_round=2, trials=2, max_calls=12))
    outcome = execute_run(archive, run_id)
    run = archive.run(run_id)
    assert outcome.status == "stopped" and "max_calls=12" in outcome.stop.detail
    assert run.model_calls == 12 == len(archive.model_usage(run_id)), "calls made by a step cut short were not archived"
    assert "budget_reached" in {e.kind for e in archive.events(run_id)}
    assert all("test" not in c.scores for c in archive.candidates(run_id))


def test_a_postgresql_archive_holds_candidates_checkpoints_and_the_learners_study():
    import sqlalchemy as sa
    from scratch_db import scratch_database
    from support import service_unavailable

    base = os.environ.get("EVOFORGE_TEST_PG_URL")
    if not base:
        service_unavailable("EVOFORGE_TEST_PG_URL is not set (see .ci/services/20-postgres.sh)")
    with scratch_database(base, prefix="evoforge_synth") as url:
        archive = open_archive(url)
        cfg = config(rounds=2, per_round=2, trials=2)
        run_id = create_run(archive, cfg)
        execute_run(archive, run_id, scripted_services(archive))
        check_integrity(archive, run_id, cfg)
        engine = sa.create_engine(archive.url)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM checkpoints").scalar() > 0
        engine.dispose()
        archive.engine.dispose()
