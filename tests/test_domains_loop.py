"""A real short evolution run on a folder domain (the `evoforge new domain` example, with its
own seed agent in agent/) on the embedded model, in the local sandbox; labels never reach it.

The run uses the folder's agent/ by default (a stop-gap in domains.registry.seed_agent and
context.agent_files until the lead's `--agent PATH` lands). NEEDS THE LEAD'S LOOP CHANGES: the
sandbox recorder wraps RunContext.build; with injected run services it becomes a recording
sandbox service, and with the generic seed a second case should run a folder without agent/.
"""
from __future__ import annotations

from loop_support import record_sandbox_jobs

from evoforge.archive import VariantStatus, open_archive
from evoforge.cli import main
from evoforge.domains import get_domain

SPLITS = ("train", "validation", "test")


def test_a_short_run_on_a_folder_domain_with_its_own_seed_agent(tmp_path, monkeypatch, capsys):
    recorded_jobs = record_sandbox_jobs(monkeypatch)
    assert main(["new", "domain", "reviews", "--parent", str(tmp_path)]) == 0
    folder = tmp_path / "reviews"
    db = tmp_path / "archive.db"
    monkeypatch.chdir(tmp_path)  # a relative --domain must be stored as an absolute path
    code = main(["run", "--domain", "./reviews", "--generations", "1", "--parallel", "1",
                 "--tasks", "3", "2", "2", "--db", str(db), "--sandbox", "local", "--seed", "1"])
    assert code == 0
    assert "finished" in capsys.readouterr().out
    archive = open_archive(db)
    (summary,) = archive.runs()
    run = summary.run
    assert run.config["domain"] == str(folder.resolve()) and run.config["agent"] == str((folder / "agent").resolve())
    variants = archive.variants(run.id)
    assert len(variants) == 2 and all(v.status == VariantStatus.VALID for v in variants)
    assert "keyword" in variants[1].summary or "hint" in variants[1].summary, variants[1].summary
    seed_evaluations = archive.evaluations(variants[0].id)
    assert {e.split for e in seed_evaluations} == set(SPLITS) and len(seed_evaluations) == 3 + 2 + 2
    assert all(e.error is None or "wrong" in e.error for e in seed_evaluations), [e.error for e in seed_evaluations]
    assert {s.contract for s in archive.contract_stats(run.id)} == {"sentiment"}

    domain = get_domain(str(folder), seed=1, sizes={"train": 3, "validation": 2, "test": 2})
    tasks = {t.id: t for split in SPLITS for t in domain.tasks(split)}
    train_ids = {t.id for t in domain.tasks("train")}
    assert recorded_jobs
    for job in recorded_jobs:
        for (argument,) in job.calls:
            if "eval_log" in argument:  # the meta agent's context: train results only
                assert {entry["task_id"] for entry in argument["eval_log"]} <= train_ids
            else:  # a task for the task agent: its inputs, nothing else
                assert argument["inputs"] == tasks[argument["id"]].inputs
                assert set(argument["inputs"]) == {"review"}
