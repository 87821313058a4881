"""Task specifications ([tasks.NAME]): loading, errors that name the line, fallback proofs."""
from __future__ import annotations

from evoforge.contracts import load_specs
from evoforge.contracts.tasks import load_tasks
from evoforge.paths import SPECS_DIR


def _write(tmp_path, text):
    path = tmp_path / "tasks.toml"
    path.write_text(text)
    return path


def test_the_built_in_arithmetic_tasks_load_with_proven_fallbacks():
    tasks = load_tasks([SPECS_DIR / "arithmetic.toml"])
    assert not tasks.problems
    assert {"add_two", "word_answer"} <= set(tasks.tasks)
    assert all(t.proven_fallback for t in tasks.tasks.values())
    word = tasks.get("word_answer")
    assert word.contracts == ("word_problem", "sum_of_two") and [c.text for c in word.ensure] == ["-1000 <= result <= 1000"]


def test_a_file_of_tasks_only_is_a_valid_spec_file(tmp_path):
    path = _write(tmp_path, '[tasks.t]\ninputs = { n = "int" }\nresult = "int"\nensure = ["result == n"]\n')
    assert load_specs([path]).problems == []
    assert load_tasks([path]).get("t").fallback is None


def test_task_errors_name_the_file_line_and_task(tmp_path):
    path = _write(tmp_path, '''[tasks.ok]
inputs = { n = "int" }
result = "int"
ensure = ["result == n"]

[tasks.bad]
inputs = { n = "int" }
result = "int"
ensure = [
  "result == m",
]
''')
    tasks = load_tasks([path])
    assert list(tasks.tasks) == ["ok"]
    (problem,) = tasks.problems
    assert str(problem).startswith(f"{path}:10: task 'bad': ensure `result == m`: unknown name 'm'")


def test_unknown_keys_and_missing_keys_are_reported(tmp_path):
    path = _write(tmp_path, '[tasks.t]\ninputs = { n = "int" }\nresult = "int"\nensure = ["result == n"]\nprompt = "x"\n\n[tasks.u]\ninputs = {}\n')
    problems = sorted(str(p) for p in load_tasks([path]).problems)
    assert problems == [
        f"{path}:5: task 't': unknown key(s) prompt; allowed: contracts, description, ensure, fallback, inputs, require, result, start, tools",
        f"{path}:7: task 'u': missing required key 'result'",
    ]


def test_an_unsound_task_fallback_is_rejected_with_a_counterexample(tmp_path):
    path = _write(tmp_path, '''[tasks.t]
inputs = { n = "int" }
result = "int"
require = ["0 <= n <= 10"]
ensure = ["result >= n"]
fallback = "n - 1"
''')
    task = load_tasks([path]).get("t")
    assert not task.proven_fallback
    assert "violates ensure `result >= n`" in task.fallback_proof.reason
    assert 0 <= task.fallback_proof.counterexample["n"] <= 10
