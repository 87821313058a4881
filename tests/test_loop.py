"""The hyperagent loop: real short runs, kill -9 and resume, broken children, label hygiene."""
from __future__ import annotations

import json
import os
import shutil
import signal
import time

import pytest
from loop_support import EVAL_LOG_KEYS, META_CONTEXT_KEYS, TASK_KEYS, RecordingSandbox, check_archive_integrity, driver, replay_services

from evoforge.archive import VariantStatus, open_archive
from evoforge.cli import main
from evoforge.evolution.context import EvolutionContext
from evoforge.evolution.settings import EvolutionSettings
from evoforge.paths import AGENTS_DIR
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.settings import DomainSection, SandboxSection

SMALL = {"sizes": {"train": 3, "validation": 3, "test": 3}}


def config(spec_files=(), task_timeout_s=30.0, **overrides):
    values = {"generations": 2, "parallel": 2, "screen_tasks": 2}
    return EvolutionSettings(domain=DomainSection("arithmetic", SMALL, list(spec_files)), sandbox=SandboxSection("local", task_timeout_s),
                             **{**values, **overrides})


def test_short_run_on_the_embedded_model(tmp_path, capsys):
    db = tmp_path / "archive.db"
    code = main(["run", "--domain", "arithmetic", "--generations", "1", "--parallel", "1", "--tasks", "2", "2", "2",
                 "--db", str(db), "--sandbox", "local", "--seed", "3"])
    assert code == 0
    out = capsys.readouterr().out
    assert "seed #1" in out and "finished" in out
    archive = open_archive(db)
    (run,) = [summary.run for summary in archive.runs()]
    check_archive_integrity(archive, run.id, 2)
    seed = archive.variant(1)
    assert set(seed.scores) >= {"screen", "train", "validation", "test"}
    assert {e.split for e in archive.evaluations(seed.id)} == {"train", "validation", "test"}
    assert {e.stage for e in archive.evaluations(seed.id)} == {"screen", "full"}
    stats = {s.contract: s for s in archive.contract_stats(run.id)}
    assert stats and all(s.calls > 0 for s in stats.values())
    assert archive.run(run.id).model_calls > 0 and archive.run(run.id).status == "finished"
    kinds = {e.kind for e in archive.events(run.id)}
    assert {"run_started", "variant_proposed", "variant_archived", "run_finished"} <= kinds


@pytest.mark.parametrize("kill_after", [1, 2, 4])
def test_kill_minus_nine_then_resume_loses_and_duplicates_nothing(tmp_path, kill_after):
    db = tmp_path / "archive.db"
    # The scripted model: this test is about kill -9 and resume, not about what a model says.
    process = driver(db, "start", json.dumps(config(generations=3).to_dict()), "scripted")
    run_id = int(process.stdout.readline())
    archive = open_archive(db)
    deadline = time.time() + 300
    while len(archive.variants(run_id)) < kill_after and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = {v.proposal_key: v.id for v in archive.variants(run_id)}
    assert len(before) >= kill_after
    resumed = driver(db, "resume", str(run_id), "scripted")
    _, errors = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, errors[-2000:]
    check_archive_integrity(archive, run_id, 1 + 3 * 2)
    after = {v.proposal_key: v.id for v in archive.variants(run_id)}
    assert all(after[key] == before[key] for key in before), "a finished child was rewritten"
    assert archive.run(run_id).status == "finished"


def test_broken_children_are_archived_invalid_and_never_selected(tmp_path, replayed):
    agents = tmp_path / "agents"
    shutil.copytree(AGENTS_DIR / "seed", agents / "breaker")
    (agents / "breaker" / "meta_agent.py").write_text(
        "def improve(context):\n"
        "    files = dict(context['files'])\n"
        "    kind = context['random_seed'] % 3\n"
        "    files['task_agent.py'] = ['def run(task:\\n', 'def run(task):\\n    raise RuntimeError(\"crash\")\\n',\n"
        "                              'def run(task):\\n    while True:\\n        pass\\n'][kind]\n"
        "    return {'files': files, 'summary': 'breaks the task agent'}\n"
    )
    archive = open_archive(tmp_path / "archive.db")
    run_id = create_run(archive, config(agent=str(agents / "breaker"), generations=2, parallel=3, task_timeout_s=2.0))
    execute_run(archive, run_id, replay_services(archive, replayed))
    variants = archive.variants(run_id)
    children = [v for v in variants if v.parent_id is not None]
    assert children and all(v.status == VariantStatus.INVALID and not v.valid_parent for v in children)
    assert all(v.parent_id == variants[0].id for v in children), "an invalid variant was selected as a parent"


def test_labels_never_reach_a_sandbox(tmp_path, replayed):
    from evoforge.sandbox import get_sandbox

    recorder = RecordingSandbox(get_sandbox("local"))
    jobs = recorder.jobs
    archive = open_archive(tmp_path / "archive.db")
    run_id = create_run(archive, config(generations=1, parallel=1))
    execute_run(archive, run_id, replay_services(archive, replayed, sandbox=recorder))
    from evoforge.domains import get_domain

    domain = get_domain("arithmetic", seed=0, **SMALL)
    tasks = {t.id: t for split in ("train", "validation", "test") for t in domain.tasks(split)}
    train_ids = {t.id for t in domain.tasks("train")}
    assert jobs
    for job in jobs:
        for (argument,) in job.calls:
            if "inputs" in argument and "id" in argument:  # a task for the task agent
                assert set(argument) == TASK_KEYS and argument["schema"] == domain.input_schema
                assert argument["contract"] == "arithmetic_answer"
                assert argument["inputs"] == tasks[argument["id"]].inputs
            else:  # the meta agent's context: train results only
                assert {entry["task_id"] for entry in argument["eval_log"]} <= train_ids
                assert all(set(entry) == EVAL_LOG_KEYS for entry in argument["eval_log"])
                assert set(argument) == META_CONTEXT_KEYS


def test_postgresql_archive_keeps_checkpoints_in_postgresql_and_resumes(replayed):
    import sqlalchemy as sa
    from scratch_db import scratch_database
    from support import service_unavailable

    base = os.environ.get("EVOFORGE_TEST_PG_URL")
    if not base:
        service_unavailable("EVOFORGE_TEST_PG_URL is not set (see .ci/services/20-postgres.sh)")
    with scratch_database(base, prefix="evoforge_loop") as url:
        archive = open_archive(url)
        run_id = create_run(archive, config(generations=1, parallel=2))
        execute_run(archive, run_id, replay_services(archive, replayed))
        check_archive_integrity(archive, run_id, 3)
        engine = sa.create_engine(archive.url)
        with engine.connect() as connection:
            saved = connection.exec_driver_sql("SELECT count(*) FROM checkpoints").scalar()
        engine.dispose()
        assert saved > 0, "no LangGraph checkpoint was written to PostgreSQL"
        summary = execute_run(archive, run_id, replay_services(archive, replayed))  # resuming a finished run changes nothing
        assert summary.variants == 3 and summary.status == "finished"
        archive.engine.dispose()


def test_budget_stops_a_run_cleanly(tmp_path, capsys):
    db = tmp_path / "archive.db"
    assert main(["run", "--generations", "3", "--parallel", "1", "--tasks", "2", "2", "2", "--db", str(db),
                 "--sandbox", "local", "--budget", "calls=3"]) == 0
    out = capsys.readouterr().out
    assert "stopped early" in out and "max_calls=3" in out
    archive = open_archive(db)
    (summary,) = archive.runs()
    assert summary.run.status == "stopped" and summary.run.model_calls <= 3
    assert "budget_reached" in {e.kind for e in archive.events(summary.run.id)}


def test_bad_budget_is_a_one_line_error(tmp_path, capsys):
    assert main(["run", "--db", str(tmp_path / "a.db"), "--budget", "dollars=5"]) == 2
    assert "unknown limit 'dollars'" in capsys.readouterr().err


def test_extra_spec_files_join_the_run_and_bad_ones_stop_it_with_the_reason(tmp_path, replayed):
    from evoforge.errors import EvoforgeError
    from evoforge.paths import SPECS_DIR

    archive = open_archive(tmp_path / "archive.db")
    run_id = create_run(archive, config(spec_files=[str(SPECS_DIR / "airline.toml")]))
    ctx = EvolutionContext.build(run_id, EvolutionSettings.from_dict(archive.run(run_id).config), replay_services(archive, replayed))
    assert {"cancellation", "arithmetic_answer", "code_edits"} <= set(ctx.worker.specs.contracts)
    bad = tmp_path / "bad.toml"
    bad.write_text('[contracts.x]\ninputs = { a = "int" }\noutput = "int"\nensure = ["result > a"]\nprompt = "p"\nfallback = "a"\n')
    bad_run = create_run(archive, config(spec_files=[str(bad)]))
    with pytest.raises(EvoforgeError, match=r"bad.toml:1: contract 'x'.*unsound fallback"):
        execute_run(archive, bad_run, replay_services(archive, replayed))
    assert archive.run(bad_run).status == "failed"
