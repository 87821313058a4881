"""Folder domains: every evaluator kind loads and scores, splits are reproducible, CSV cells
are typed, and labels never appear in what an agent is given (Task.inputs)."""
from __future__ import annotations

import json

import pytest
from domain_folders import jsonl, manifest, write_domain

from evoforge.domains import get_domain
from evoforge.domains.folder import FolderDomain
from evoforge.domains.problems import DomainFolderError
from evoforge.sandbox import get_sandbox

CAPITALS = jsonl(*(json.dumps({"country": c, "capital": k, "secret_note": "never shown"}) for c, k in
                   [("France", "Paris"), ("Peru", "Lima"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"),
                    ("Chile", "Santiago"), ("Egypt", "Cairo"), ("Italy", "Rome"), ("Spain", "Madrid")]))


def first_task(domain):
    return domain.tasks("train")[0]


def test_exact_kind_with_csv_cells_typed_by_the_schema(tmp_path):
    rows = "question,answer\n" + "".join(f"what is {n} doubled,{2 * n}\n" for n in range(8))
    folder = write_domain(tmp_path, manifest('question = "str"', 'answer = "int"', 'kind = "exact"', 'files = ["data.csv"]'), {"data.csv": rows})
    domain = get_domain(str(folder), seed=0)
    task = first_task(domain)
    expected = domain._labels[task.id]["answer"]
    assert isinstance(expected, int)
    assert domain.evaluate(task, expected).value == 1.0
    assert domain.evaluate(task, f" {expected} ").value == 1.0
    for wrong in (expected + 1, str(expected + 1), True, None, [expected], "x" * 20000):
        assert domain.evaluate(task, wrong).value == 0.0


def test_numeric_kind_within_a_tolerance(tmp_path):
    rows = jsonl(*(json.dumps({"q": f"square root of {n}", "value": n ** 0.5}) for n in range(2, 10)))
    folder = write_domain(tmp_path, manifest('q = "str"', 'value = "real"', 'kind = "numeric"\ntolerance = 0.01'), {"data.jsonl": rows})
    domain = get_domain(folder)
    task = first_task(domain)
    value = domain._labels[task.id]["value"]
    assert domain.evaluate(task, round(value, 3)).value == 1.0
    assert domain.evaluate(task, f"{value:.3f}").value == 1.0
    assert domain.evaluate(task, value + 0.02).value == 0.0
    for bad in ("abc", float("nan"), float("inf"), True, None, "1" * 100):
        assert domain.evaluate(task, bad).value == 0.0


def test_text_kind_normalises_and_accepts_any_of_a_list(tmp_path):
    rows = jsonl(*(json.dumps({"country": c, "capital": [k, k.upper() + " CITY"]}) for c, k in
                   [("France", "Paris"), ("Peru", "Lima"), ("Japan", "Tokyo"), ("Kenya", "Nairobi")]))
    folder = write_domain(tmp_path, manifest('country = "str"', 'capital = "json"', 'kind = "text"'), {"data.jsonl": rows})
    domain = get_domain(folder)
    task = first_task(domain)
    capital = domain._labels[task.id]["capital"][0]
    assert domain.evaluate(task, f"  {capital.lower()}. ").value == 1.0
    assert domain.evaluate(task, f"The {capital} city!").value == 1.0
    assert domain.evaluate(task, "Atlantis").value == 0.0
    assert domain.evaluate(task, 42).value == 0.0


def test_json_fields_kind_all_or_a_share(tmp_path):
    rows = jsonl(*(json.dumps({"text": f"{n} at {n + 1}", "name": str(n), "age": n + 1}) for n in range(8)))
    strict = write_domain(tmp_path, manifest('text = "str"', 'name = "str"\nage = "int"', 'kind = "json_fields"'), {"data.jsonl": rows}, name="strict")
    partial = write_domain(tmp_path, manifest('text = "str"', 'name = "str"\nage = "int"', 'kind = "json_fields"\npartial = true'), {"data.jsonl": rows}, name="partial")
    for folder, half in ((strict, 0.0), (partial, 0.5)):
        domain = get_domain(folder)
        task = first_task(domain)
        labels = domain._labels[task.id]
        assert domain.evaluate(task, dict(labels)).value == 1.0
        assert domain.evaluate(task, json.dumps({**labels, "extra": 1})).value == 1.0
        assert domain.evaluate(task, {**labels, "age": labels["age"] + 1}).value == half
        assert domain.evaluate(task, {**labels, "age": True}).value == half
        for bad in ("not json", [labels], None):
            assert domain.evaluate(task, bad).value == 0.0


def test_regex_kind_with_a_pattern_and_with_the_label_as_pattern(tmp_path):
    rows = jsonl(*(json.dumps({"q": f"distance {n}", "km": str(10 * n), "shape": rf"\d+ ?km"}) for n in range(1, 9)))
    templated = write_domain(tmp_path, manifest('q = "str"', 'km = "str"\nshape = "str"', 'kind = "regex"\npattern = \'\'\'\\s*{km}\\s*(km)?\'\'\'\nignore_case = true'),
                             {"data.jsonl": rows}, name="templated")
    domain = get_domain(templated)
    task = first_task(domain)
    km = domain._labels[task.id]["km"]
    assert domain.evaluate(task, f" {km} KM").value == 1.0
    assert domain.evaluate(task, f"{km}0 km").value == 0.0
    labelled = write_domain(tmp_path, manifest('q = "str"', 'km = "str"\nshape = "str"', 'kind = "regex"\nlabel = "shape"\nsearch = true'),
                            {"data.jsonl": rows}, name="labelled")
    domain = get_domain(labelled)
    task = first_task(domain)
    assert domain.evaluate(task, "it is 40 km away").value == 1.0
    assert domain.evaluate(task, "far away").value == 0.0
    assert domain.evaluate(task, {"km": 40}).value == 0.0


def test_unit_tests_kind_runs_the_answer_in_the_sandbox(tmp_path):
    rows = jsonl(*(json.dumps({"prompt": f"def add{n}(a, b): add a and b", "name": f"add{n}", "tests": f"assert add{n}(2, 3) == 5\nassert add{n}(-1, 1) == 0"})
                   for n in range(4)))
    folder = write_domain(tmp_path, manifest('prompt = "str"\nname = "str"', 'tests = "str"', 'kind = "unit_tests"'), {"data.jsonl": rows})
    domain = get_domain(folder, sandbox=get_sandbox("local"))
    assert domain.uses_sandbox
    task = first_task(domain)
    name = task.inputs["name"]
    assert domain.evaluate(task, f"def {name}(a, b):\n    return a + b\n").value == 1.0
    wrong = domain.evaluate(task, f"def {name}(a, b):\n    return a - b\n")
    assert wrong.value == 0.0 and "AssertionError" in wrong.detail
    assert domain.evaluate(task, "import sys; sys.exit(0)\n").value == 0.0
    assert domain.evaluate(task, 5).value == 0.0


def test_python_kind_runs_the_users_evaluator_in_the_kernel(tmp_path):
    evaluator = '''
        def evaluate(answer, labels, inputs):
            if answer == "boom":
                raise ValueError("cannot score boom")
            if not isinstance(answer, str):
                return False
            words = set(answer.lower().split())
            return len(words & set(labels["keywords"])) / len(labels["keywords"]), "share of keywords"
    '''
    rows = jsonl(*(json.dumps({"topic": f"topic {n}", "keywords": ["red", "blue"]}) for n in range(4)))
    folder = write_domain(tmp_path, manifest('topic = "str"', 'keywords = "json"', 'kind = "python"'), {"data.jsonl": rows, "evaluator.py": evaluator})
    domain = get_domain(folder)
    task = first_task(domain)
    assert domain.evaluate(task, "Red and BLUE").value == 1.0
    assert domain.evaluate(task, "red only").value == 0.5
    assert domain.evaluate(task, 7).value == 0.0
    boom = domain.evaluate(task, "boom")
    assert boom.value == 0.0 and "cannot score boom" in boom.detail


def test_labels_and_undeclared_fields_never_appear_in_task_inputs(tmp_path):
    folder = write_domain(tmp_path, manifest('country = "str"', 'capital = "str"', 'kind = "text"'), {"data.jsonl": CAPITALS})
    domain = get_domain(folder, seed=2)
    assert domain.input_schema == {"country": "str"}
    tasks = [t for split in ("train", "validation", "test") for t in domain.tasks(split)]
    assert len(tasks) == 8
    for task in tasks:
        assert set(task.inputs) == {"country"}
        shown = json.dumps(task.inputs)
        assert domain._labels[task.id]["capital"] not in shown and "never shown" not in shown


def test_ratio_splits_are_reproducible_disjoint_and_follow_the_seed(tmp_path):
    folder = write_domain(tmp_path, manifest('country = "str"', 'capital = "str"', 'kind = "text"'), {"data.jsonl": CAPITALS})

    def splits(seed):
        domain = FolderDomain(folder, seed=seed)
        return {split: [t.id for t in domain.tasks(split)] for split in ("train", "validation", "test")}

    first = splits(1)
    assert first == splits(1)
    assert [len(first[s]) for s in ("train", "validation", "test")] == [4, 2, 2]
    assert len({i for ids in first.values() for i in ids}) == 8
    assert any(splits(seed) != first for seed in range(2, 6))
    capped = FolderDomain(folder, seed=1, sizes={"train": 1})
    assert [t.id for t in capped.tasks("train")] == first["train"][:1]


def test_given_splits_by_field_and_by_file(tmp_path):
    rows = jsonl(*(json.dumps({"q": str(n), "a": str(n), "part": part}) for n, part in enumerate(["train", "train", "validation", "test"])))
    by_field = write_domain(tmp_path, manifest('q = "str"', 'a = "str"', 'kind = "exact"', splits='field = "part"'), {"data.jsonl": rows}, name="by_field")
    domain = get_domain(by_field)
    assert [t.inputs["q"] for t in domain.tasks("train")] == ["0", "1"] and len(domain.tasks("test")) == 1
    files = {f"{split}.jsonl": jsonl(json.dumps({"q": split, "a": split})) for split in ("train", "validation", "test")}
    by_file = write_domain(tmp_path, manifest('q = "str"', 'a = "str"', 'kind = "exact"', data='id = "q"',
                                              splits='files = { train = "train.jsonl", validation = "validation.jsonl", test = "test.jsonl" }'),
                           files, name="by_file")
    domain = get_domain(by_file)
    assert [t.id for t in domain.tasks("validation")] == ["validation"]


def test_a_broken_folder_stops_a_run_with_one_line_naming_the_check_command(tmp_path):
    folder = write_domain(tmp_path, manifest('q = "str"', 'a = "str"', 'kind = "exact"'), {"data.jsonl": jsonl('{"q": "1"}')})
    with pytest.raises(DomainFolderError) as raised:
        get_domain(folder)
    message = str(raised.value)
    assert "\n" not in message and "data.jsonl:1" in message and "evoforge domains check" in message
