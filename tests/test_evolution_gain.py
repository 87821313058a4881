"""The mechanisms behind a run that improves: an edit the meta agent tests on train and keeps, the run's model cache serves only deterministic calls, and a finished run's report."""
from __future__ import annotations

import json

from loop_support import scripted_services, seed_with_moves
from scripted_model import ScriptedModel

from evoforge.archive import open_archive
from evoforge.cli import main
from evoforge.domains import get_domain
from evoforge.evolution.settings import EvolutionSettings
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.services import ArchiveCompletions, RunServices
from evoforge.runs.settings import DomainSection, SandboxSection
from evoforge.models.base import Message, Sampling
from evoforge.models.completion_cache import CachingModel
from evoforge.models.options import CallOptions

SIZES = {"sizes": {"train": 4, "validation": 4, "test": 4}}


def helped_by_examples(answers: dict[str, int]) -> ScriptedModel:
    """A model that answers a word problem right only when its prompt shows a worked example
    (a fixture for the mechanism: it claims nothing about any real model)."""
    def respond(messages):
        prompt = messages[-1].content
        asked = [q for q in answers if q in prompt]  # the task's question comes last, after the examples
        question = max(asked, key=prompt.rfind, default=None)
        right = question is not None and "Example:" in prompt
        return json.dumps({"result": answers[question] if right else 7})
    return ScriptedModel(respond=respond)


def test_a_worked_example_that_raises_train_is_kept_and_the_child_answers_with_it(tmp_path):
    domain = get_domain("arithmetic", seed=0, **SIZES)
    answers = {t.inputs["question"]: domain.reveal(t) for split in ("train", "validation", "test") for t in domain.tasks(split)}
    model = helped_by_examples(answers)
    archive = open_archive(tmp_path / "a.db")
    config = EvolutionSettings(domain=DomainSection(options=SIZES), sandbox=SandboxSection("local", 30.0),
                               agent=str(seed_with_moves(tmp_path / "examples_only", {"examples": 1.0})), generations=1, parallel=1, screen_tasks=4)
    outcome = execute_run(archive, create_run(archive, config), RunServices(archive, models=lambda on_usage: model))
    seed, child = archive.variants(outcome.run_id)
    assert seed.scores["train"] == 0.0 and child.scores["train"] == 1.0, child.summary
    assert "worked example(s) from train (train 0% -> 100%)" in child.summary
    assert "EXAMPLES = [[{'question':" in archive.files(child.id)["task_agent.py"]
    notes = json.loads(archive.files(child.id)["notes.json"])
    assert notes["history"][-1]["outcome"] == "kept: train 0% -> 100%" and notes["track"]["examples"] == [1, 1]
    assert child.scores["test"] == 1.0 and seed.scores["test"] == 0.0


def test_the_model_cache_serves_repeated_deterministic_calls_and_never_sampled_ones(tmp_path):
    archive = open_archive(tmp_path / "a.db")
    run = archive.create_run("arithmetic", "test/scripted")
    model = ScriptedModel(["first", "second", "third", "fourth", "fifth"])
    cached = CachingModel(model, ArchiveCompletions(archive, run.id), CallOptions(temperature=0.0))
    messages = [Message("user", "What is 2 + 2?")]
    assert cached.complete(messages).text == "first"
    assert cached.complete(messages).text == "first" and len(model.calls) == 1  # served from the archive
    sampled = Sampling(temperature=0.7)
    assert cached.complete(messages, sampling=sampled).text == "second"
    assert cached.complete(messages, sampling=sampled).text == "third" and len(model.calls) == 3
    seeded = Sampling(temperature=0.7, seed=1)  # a sample with its own seed repeats: it is cached
    assert cached.complete(messages, sampling=seeded).text == cached.complete(messages, sampling=seeded).text
    assert len(model.calls) == 4
    other = [Message("user", "What is 2 + 3?")]
    assert cached.complete(other).text == "fifth"
    again = CachingModel(ScriptedModel(["never"]), ArchiveCompletions(open_archive(tmp_path / "a.db"), run.id), CallOptions(temperature=0.0))
    assert again.complete(messages).text == "first"  # across clients and processes: it lives in the archive
    stats = archive.cache_stats(run.id)
    assert (stats.entries, stats.hits) == (3, 3)


def test_a_finished_run_reports_its_table_and_plot(tmp_path, capsys):
    archive = open_archive(tmp_path / "a.db")
    config = EvolutionSettings(domain=DomainSection(options=SIZES), sandbox=SandboxSection("local", 30.0), generations=1, parallel=1, screen_tasks=2)
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
    config = EvolutionSettings(domain=DomainSection(options=SIZES), sandbox=SandboxSection("local", 30.0), generations=2, parallel=2, screen_tasks=2)
    stream = io.StringIO()
    outcome = execute_run(archive, create_run(archive, config), scripted_services(archive, observers=[PlainLines(stream)]))
    lines = stream.getvalue().splitlines()
    archived = [line for line in lines if "] variant #" in line]
    assert len(archived) == outcome.variants == 5
    assert sum("generation" in line and "closed" in line for line in lines) == 2
