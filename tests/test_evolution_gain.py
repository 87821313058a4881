"""The mechanisms behind a run that improves: a targeted meta-agent change fixes failing train
tasks, the run's model cache serves only deterministic calls, and a finished run's report."""
from __future__ import annotations

import json

from loop_support import scripted_services
from scripted_model import ScriptedModel

from evoforge.archive import open_archive
from evoforge.cli import main
from evoforge.evolution.config import RunConfig
from evoforge.evolution.runner import create_run, execute_run
from evoforge.evolution.services import ArchiveCompletions
from evoforge.models.base import Message, Sampling
from evoforge.models.cache import CachingModel
from evoforge.models.options import CallOptions

SIZES = {"sizes": {"train": 4, "validation": 4, "test": 4}}


def test_a_targeted_meta_change_fixes_a_failing_train_task(tmp_path):
    archive = open_archive(tmp_path / "a.db")
    config = RunConfig(generations=1, parallel=1, sandbox="local", screen_tasks=4, domain_options=SIZES, task_timeout_s=30.0)
    outcome = execute_run(archive, create_run(archive, config), scripted_services(archive))
    seed, child = archive.variants(outcome.run_id)
    assert seed.scores["train"] == 0.0  # the scripted model always answers 7: every train task fails
    assert child.scores["screen"] > seed.scores["screen"], child.summary
    files = archive.files(child.id)
    rules = json.loads(files["params.json"])["task"]["keyword_ops"]
    assert rules and "means" in child.summary  # it says which word it read as which operator
    notes = json.loads(files["notes.json"])
    assert any(outcome == "accepted" for outcome in notes["tried"].values()) and notes["track"]
    fixed = {e.task_id for e in archive.evaluations(child.id) if e.split == "train" and e.score == 1.0}
    assert fixed and all(e.score == 0.0 for e in archive.evaluations(seed.id) if e.task_id in fixed)


def test_the_model_cache_serves_repeated_deterministic_calls_and_never_sampled_ones(tmp_path):
    archive = open_archive(tmp_path / "a.db")
    run = archive.create_run("arithmetic", "test/scripted")
    model = ScriptedModel(["first", "second", "third", "fourth"])
    cached = CachingModel(model, ArchiveCompletions(archive, run.id), CallOptions(temperature=0.0))
    messages = [Message("user", "What is 2 + 2?")]
    assert cached.complete(messages).text == "first"
    assert cached.complete(messages).text == "first" and len(model.calls) == 1  # served from the archive
    sampled = Sampling(temperature=0.7)
    assert cached.complete(messages, sampling=sampled).text == "second"
    assert cached.complete(messages, sampling=sampled).text == "third" and len(model.calls) == 3
    other = [Message("user", "What is 2 + 3?")]
    assert cached.complete(other).text == "fourth"
    again = CachingModel(ScriptedModel(["never"]), ArchiveCompletions(open_archive(tmp_path / "a.db"), run.id), CallOptions(temperature=0.0))
    assert again.complete(messages).text == "first"  # across clients and processes: it lives in the archive
    stats = archive.cache_stats(run.id)
    assert (stats.entries, stats.hits) == (2, 2)


def test_a_finished_run_reports_its_table_and_plot(tmp_path, capsys):
    archive = open_archive(tmp_path / "a.db")
    config = RunConfig(generations=1, parallel=1, sandbox="local", screen_tasks=2, domain_options=SIZES, task_timeout_s=30.0)
    outcome = execute_run(archive, create_run(archive, config), scripted_services(archive))
    out = tmp_path / "report"
    assert main(["report", str(outcome.run_id), "--db", str(tmp_path / "a.db"), "-o", str(out)]) == 0
    summary = (out / "summary.md").read_text()
    assert f"seed #{outcome.seed.id}" in summary and "| best #" in summary
    assert (out / "scores.png").read_bytes().startswith(b"\x89PNG")
    assert len((out / "variants.csv").read_text().splitlines()) == 1 + outcome.variants


def test_a_run_not_on_a_terminal_prints_one_line_per_archived_variant(tmp_path):
    import io

    from evoforge.cli.progress import PlainLines

    archive = open_archive(tmp_path / "a.db")
    config = RunConfig(generations=2, parallel=2, sandbox="local", screen_tasks=2, domain_options=SIZES, task_timeout_s=30.0)
    stream = io.StringIO()
    outcome = execute_run(archive, create_run(archive, config), scripted_services(archive, observers=[PlainLines(stream)]))
    lines = stream.getvalue().splitlines()
    archived = [line for line in lines if "] variant #" in line]
    assert len(archived) == outcome.variants == 5
    assert sum("generation" in line and "closed" in line for line in lines) == 2
