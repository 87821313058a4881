"""`evoforge domains check` on broken folders: each problem is one line naming the file, the
line or field, and the fix; a good folder (the scaffold, the built-in arithmetic) passes."""
from __future__ import annotations

import json
import re

import pytest
from domain_folders import jsonl, manifest, write_domain

from evoforge.cli import main
from evoforge.domains import get_domain
from evoforge.domains.manifest import read_manifest
from evoforge.domains.registry import BUILTIN_FOLDERS
from evoforge.evolution.trial import try_seed_agent
from evoforge.sandbox import get_sandbox
from evoforge.splits import SPLITS

GOOD_ROWS = jsonl(*(json.dumps({"q": f"q{n}", "a": f"a{n}"}) for n in range(8)))
UNSOUND = '[contracts.bad]\ninputs = { a = "int" }\noutput = "int"\nensure = ["result > a"]\nprompt = "p {a}"\nfallback = "a"\n'

BROKEN = {
    "missing label field": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS + '{"q": "no label here"}\n'},
        r"data.jsonl:9: row has no label field 'a'; add it to every row, or remove 'a' from \[labels\]"),
    "a split with no tasks": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"', splits='field = "split"'),
        {"data.jsonl": jsonl('{"q": "1", "a": "1", "split": "train"}', '{"q": "2", "a": "2", "split": "validation"}')},
        r"domain.toml:\d+: \[splits\]: split 'test' has no tasks; add rows for test"),
    "an evaluator that raises on an example": (
        manifest('q = "str"', 'a = "str"', 'kind = "python"'),
        {"data.jsonl": GOOD_ROWS, "evaluator.py": "def evaluate(answer, labels, inputs):\n    return answer.strip() == labels['a']\n"},
        r"data.jsonl:\d+: the evaluator raised AttributeError: .*strip.* on task 'task-\d+' with answer None \(and on 7 more task\(s\)\); fix the label"),
    "an evaluator that fails the right answer": (
        manifest('q = "str"', 'a = "str"', 'kind = "python"'),
        {"data.jsonl": GOOD_ROWS, "evaluator.py": "def evaluate(answer, labels, inputs):\n    return answer == inputs['q']\n\n"
                                                  "def reference(labels):\n    return labels['a']\n"},
        r"data.jsonl:\d+: the evaluator gives 0.0 to the right answer 'a\d' on task"),
    "a contract that is not proven": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS, "specs/bad.toml": UNSOUND},
        r"specs/bad.toml:1: contract 'bad' is not proven: .*; change the fallback"),
    "an unknown evaluator kind": (
        manifest('q = "str"', 'a = "str"', 'kind = "fuzzy"'),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:\d+: \[evaluator\] kind: unknown evaluator kind 'fuzzy'; use one of exact, json_fields, numeric, python, regex, text, unit_tests"),
    "a label that is also an input": (
        manifest('q = "str"\na = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:\d+: \[labels\] a: field 'a' is both an input and a label; a label must never be shown to agents"),
    "a line that is not JSON": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS + "{'q': 1}\n"},
        r"data.jsonl:9: not valid JSON .*; write one JSON object per line"),
    "a CSV cell of the wrong type": (
        manifest('q = "str"', 'a = "int"', 'kind = "exact"', 'files = ["data.csv"]'),
        {"data.csv": "q,a\n" + "".join(f"q{n},{n}\n" for n in range(6)) + "q6,six\n"},
        r"data.csv:8: label field 'a': 'six' is not an int .*; give an int, or change its type in \[labels\]"),
    "a missing data file": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"', 'files = ["nope.jsonl"]'),
        {},
        r"domain.toml:\d+: \[data\] files: no file .*nope.jsonl; create it or fix the name"),
    "a TOML syntax error": (
        'name = "task"\ndescription = "x"\n[inputs\n',
        {},
        r"domain.toml:3: TOML syntax error"),
    "an inline table written over two lines": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"', splits="ratio = { train = 0.5,\n  validation = 0.25, test = 0.25 }"),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:14: TOML syntax error: Invalid initial character for a key part \(column 23\); an inline table \{ ... \} is one line"),
    "an evaluator option of the wrong kind": (
        manifest('q = "str"', 'a = "str"', 'kind = "numeric"'),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:\d+: \[evaluator\] label: label 'a' is a str, this kind needs int or real"),
    "a bad pattern in a label": (
        manifest('q = "str"', 'a = "str"', 'kind = "regex"'),
        {"data.jsonl": GOOD_ROWS + '{"q": "x", "a": "(unclosed"}\n'},
        r"data.jsonl:9: the evaluator raised error: missing \), unterminated subpattern"),
    "a generator given a ratio": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"', 'generator = "generator.py"'),
        {"generator.py": "def generate(seed, sizes):\n    return []\n"},
        r"domain.toml:\d+: \[splits\] ratio: ratio does not apply to a generator"),
    "an answer contract the spec files lack": (
        'answer = "solve"\n' + manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:1: answer: answer contract 'solve' is not in the domain's spec files \(reply.toml\); "
        r"name one of their contracts \(reply\) or add \[contracts.solve\] to a spec file"),
    "an answer contract with other inputs than the tasks": (
        'answer = "reply"\n' + manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:1: answer: answer contract 'reply' \(.*reply.toml:\d+\) lacks input\(s\) q; has input\(s\) question that the tasks "
        r"do not have; give it exactly the task's inputs: inputs = \{ q = \"str\" \}"),
    "an answer contract with an input of another type": (
        'answer = "reply"\n' + manifest('question = "int"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": jsonl(*(json.dumps({"question": n, "a": f"a{n}"}) for n in range(8)))},
        r"domain.toml:1: answer: answer contract 'reply' \(.*\) takes question as str, the tasks give int; give it exactly"),
    "an answer that is not a contract name": (
        'answer = 3\n' + manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS},
        r"domain.toml:1: answer: answer 3 is not a contract name; write answer = \"NAME\""),
    "an agent with a syntax error": (
        manifest('q = "str"', 'a = "str"', 'kind = "exact"'),
        {"data.jsonl": GOOD_ROWS, "agent/task_agent.py": "def run(task:\n    return 1\n"},
        r"agent/task_agent.py:1: Python syntax error: .*; fix the syntax"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_folder_gives_the_expected_one_line_error(tmp_path, capsys, case):
    text, files, expected = BROKEN[case]
    folder = write_domain(tmp_path, text, files)
    assert main(["domains", "check", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    errors = [line for line in lines if line.startswith("error  ")]
    assert errors and lines[-1] == f"{len(errors)} problem(s) in {folder}"
    assert any(re.search(expected, line) for line in errors), "\n".join(errors)
    assert all(str(folder) in line for line in errors), "a problem does not name its file"


def test_the_scaffold_and_the_builtin_folders_pass_the_check(tmp_path, capsys):
    assert main(["new", "domain", "reviews", "--parent", str(tmp_path)]) == 0
    folders = [str(BUILTIN_FOLDERS / name) for name in ("arithmetic", "iris", "car-origin")]
    assert main(["domains", "check", str(tmp_path / "reviews"), *folders]) == 0
    out = capsys.readouterr().out
    assert "ok     " + str(tmp_path / "reviews") + ": domain 'reviews', 10 train, 5 validation, 5 test tasks, evaluator text" in out
    assert "domain 'arithmetic', 12 train, 12 validation, 24 test tasks, evaluator numeric" in out
    assert "domain 'iris', 12 train, 12 validation, 36 test tasks, evaluator text" in out
    assert "domain 'car-origin', 16 train, 12 validation, 36 test tasks, evaluator text" in out
    assert "(answer: review_sentiment)" in out and "(answer: car_origin)" in out
    assert out.count("the generic seed agent answered 3 task(s), one per split") == 3  # arithmetic, iris, car-origin
    assert "the domain's seed agent (agent/) answered 3 task(s), one per split" in out  # the scaffold's own
    assert "error" not in out
    assert read_manifest(tmp_path / "reviews")[0].answer == "review_sentiment"  # the example names its answer contract


def test_new_domain_refuses_a_bad_name_and_a_used_folder(tmp_path, capsys):
    assert main(["new", "domain", "9lives", "--parent", str(tmp_path)]) == 2
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert main(["new", "domain", "taken", "--parent", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "domain name '9lives'" in err and "already exists and is not empty" in err
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


ROWS = jsonl(*(json.dumps({"question": f"what is {n} + {n}?", "a": str(2 * n)}) for n in range(8)))  # arithmetic's field name
AGENT_TOML = '[entry]\ntask = "task_agent:run"\nmeta = "task_agent:improve"\n'


def test_the_generic_seed_answers_a_user_domain_through_its_answer_contract(tmp_path):
    """A user's domain whose input is called `question`, as arithmetic's is: the generic seed asks
    the model through the domain's answer contract (the null model: its fallback answers) and runs
    no solver of its own."""
    folder = write_domain(tmp_path, 'answer = "reply"\n' + manifest('question = "str"', 'a = "str"', 'kind = "exact"'), {"data.jsonl": ROWS})
    trial = try_seed_agent(folder, get_sandbox("local"))
    assert not trial.own and not trial.problems
    assert trial.contracts == ["reply"] * 3  # one guarded call per task, to the answer contract only
    assert [(t.split, t.answer, t.error) for t in trial.tasks] == [(split, '"unknown"', None) for split in SPLITS]


def test_check_runs_the_seed_agent_on_a_task_of_each_split_and_reports_its_error(tmp_path, capsys):
    crashing = write_domain(tmp_path, manifest('question = "str"', 'a = "str"', 'kind = "exact"'), {
        "data.jsonl": ROWS, "agent/agent.toml": AGENT_TOML,
        "agent/task_agent.py": "def run(task):\n    return read(task)\n\ndef read(task):\n    return task['inputs']['q']\n\n"
                               "def improve(context):\n    return {}\n"}, name="crashing")
    wrong = write_domain(tmp_path, manifest('question = "str"', 'a = "str"', 'kind = "exact"'), {
        "data.jsonl": ROWS, "agent/agent.toml": AGENT_TOML,
        "agent/task_agent.py": "def run(task):\n    return 'always this'\n\ndef improve(context):\n    return {}\n"}, name="wrong")
    assert main(["domains", "check", "--sandbox", "local", str(crashing), str(wrong)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        f"error  {crashing / 'agent' / 'task_agent.py'}:5: the domain's seed agent (agent/) raised KeyError: 'q' on train task "
        f"'{get_domain(str(crashing)).tasks('train')[0].id}' (and on 2 more task(s)); fix the agent: run(task) gets "
        '{"id", "inputs", "schema", "contract"} (docs/domains.md, "What your agent is given")',
        f"1 problem(s) in {crashing}"]
    assert lines[2].startswith(f"ok     {wrong}: domain 'task'") and len(lines) == 3  # wrong answers are no error
    assert "the domain's seed agent (agent/) answered 3 task(s), one per split (null model, local sandbox)" in lines[2]


@pytest.mark.parametrize(("answer", "files", "expected"), [
    ("", {}, r"task/domain.toml: the generic seed agent raised ValueError: this agent answers through the domain's answer contract, "
             r"and the task names none .* \(and on 2 more task\(s\)\); the generic seed answers with generate\(task\[\"contract\"\]"),
    ("", {"agent/agent.toml": '[entry]\ntask = "task_agent:run",\n', "agent/task_agent.py": "def run(task):\n    return 1\n"},
     r"task/agent: a run could not start the domain's seed agent \(agent/\): .*agent/agent.toml:2: TOML syntax error: "
     r"Expected newline or end of document after a statement \(column 24\); fix the agent"),
])
def test_check_reports_a_seed_agent_that_cannot_answer(tmp_path, capsys, answer, files, expected):
    folder = write_domain(tmp_path, answer + manifest('question = "str"', 'a = "str"', 'kind = "exact"'), {"data.jsonl": ROWS, **files})
    assert main(["domains", "check", "--sandbox", "local", str(folder)]) == 1
    (error, count) = capsys.readouterr().out.splitlines()
    assert re.search(expected, error) and error.startswith("error  ") and count == f"1 problem(s) in {folder}", error
