"""A real short evolution run on a folder domain (the `evoforge new domain` example, with its
own seed agent in agent/) on the embedded model, in the local sandbox; labels never reach it.

The run uses the folder's agent/ by default (domains.registry.seed_agent), stored with the run.
"""
from __future__ import annotations

from loop_support import RecordingSandbox

from evoforge.archive import VariantStatus, open_archive
from evoforge.cli import main
from evoforge.domains import get_domain
from evoforge.domains.registry import domain_reference, seed_agent
from evoforge.evolution.settings import EvolutionSettings
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.services import RunServices
from evoforge.runs.settings import DomainSection, SandboxSection
from evoforge.sandbox import get_sandbox

SPLITS = ("train", "validation", "test")


def test_a_short_run_on_a_folder_domain_with_its_own_seed_agent(tmp_path, monkeypatch, capsys):
    recorder = RecordingSandbox(get_sandbox("local"))
    recorded_jobs = recorder.jobs
    assert main(["new", "domain", "reviews", "--parent", str(tmp_path)]) == 0
    folder = tmp_path / "reviews"
    monkeypatch.chdir(tmp_path)  # a relative --domain must be stored as an absolute path
    domain_name = domain_reference("./reviews")
    config = EvolutionSettings(domain=DomainSection(domain_name, {"sizes": {"train": 3, "validation": 2, "test": 2}}), random_seed=1,
                               sandbox=SandboxSection("local"), agent=seed_agent(domain_name), generations=1, parallel=1)
    archive = open_archive(tmp_path / "archive.db")
    outcome = execute_run(archive, create_run(archive, config), RunServices(archive, sandbox=recorder))
    assert outcome.status == "finished"
    run = archive.run(outcome.run_id)
    assert run.config["domain"]["name"] == str(folder.resolve()) and run.config["agent"] == str((folder / "agent").resolve())
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
