"""Answer contracts: every built-in domain the hyperagent loop runs names a proven contract whose
inputs are exactly its tasks' inputs, and the generic seed agent's call on a task is well formed."""
from __future__ import annotations

import pytest

from evoforge.contracts import load_specs
from evoforge.contracts.types import conform
from evoforge.domains import get_domain
from evoforge.domains.answer import input_mismatch
from evoforge.domains.base import agent_task
from evoforge.domains.registry import BUILTIN_FOLDERS
from evoforge.paths import SPECS_DIR
from evoforge.sandbox import get_sandbox
from evoforge.splits import SPLITS

ANSWER_CONTRACTS = {  # domain -> (answer contract, its output type)
    "arithmetic": ("arithmetic_answer", "int"),
    "iris": ("iris_species", "enum['setosa', 'versicolor', 'virginica']"),
    "car-origin": ("car_origin", "enum['American', 'European', 'Japanese']"),
    "humaneval": ("docstring_function", "str"),
}
SMALL = {"train": 3, "validation": 3, "test": 3}


@pytest.fixture(scope="module")
def sandbox():
    return get_sandbox("local")


@pytest.mark.parametrize("name", sorted(ANSWER_CONTRACTS))
def test_each_builtin_domain_names_a_proven_answer_contract_with_exactly_its_inputs(name, sandbox):
    domain = get_domain(name, seed=1, sizes=SMALL, **({"sandbox": sandbox} if name == "humaneval" else {}))
    contract_name, output = ANSWER_CONTRACTS[name]
    assert domain.answer_contract == contract_name
    specs = load_specs(domain.contract_files())
    contract = specs.get(contract_name)  # raises unless it is there and Z3 proved its fallback
    assert contract.proof is not None and contract.proof.proven
    assert input_mismatch(contract, domain.input_schema) is None
    assert str(contract.output) == output
    for split in SPLITS:
        for task in domain.tasks(split):
            told = agent_task(domain, task)
            assert told["contract"] == contract_name and set(told["inputs"]) == set(contract.inputs)
            inputs = {key: conform(value, contract.inputs[key], key) for key, value in told["inputs"].items()}
            assert contract.violated_require(inputs) is None, (task.id, contract.violated_require(inputs))
    task = domain.tasks("train")[0]
    fallback = contract.fallback_for({key: conform(value, contract.inputs[key], key) for key, value in task.inputs.items()})
    assert 0 <= domain.evaluate(task, fallback).value <= 1  # the fallback is an answer the evaluator scores


def test_a_task_agent_is_told_no_contract_when_its_domain_names_none(tmp_path):
    from domain_folders import jsonl, manifest, write_domain

    rows = jsonl(*(f'{{"question": "q{n}", "a": "a{n}"}}' for n in range(4)))
    plain = get_domain(write_domain(tmp_path, manifest('question = "str"', 'a = "str"', 'kind = "exact"'), {"data.jsonl": rows}))
    assert plain.answer_contract is None and "contract" not in agent_task(plain, plain.tasks("train")[0])
    named = get_domain(write_domain(tmp_path, 'answer = "reply"\n' + manifest('question = "str"', 'a = "str"', 'kind = "exact"'),
                                    {"data.jsonl": rows}, name="named"))
    assert agent_task(named, named.tasks("train")[0])["contract"] == "reply"


def test_the_new_spec_files_are_proven_whole():
    specs = load_specs([SPECS_DIR / "arithmetic.toml", SPECS_DIR / "labels.toml", SPECS_DIR / "cars.toml",
                        SPECS_DIR / "python_code.toml", *sorted((BUILTIN_FOLDERS.parent / "scaffold" / "specs").glob("*.toml"))])
    assert specs.all_proven, [str(p) for p in specs.problems]
    assert {"arithmetic_answer", "iris_species", "car_origin", "docstring_function", "review_sentiment"} <= set(specs.contracts)
    # the kept contracts other code calls are still there
    assert {"sum_of_two", "word_problem", "operator_plan", "label_for_numbers", "python_function", "module_edits"} <= set(specs.contracts)


def test_the_humaneval_answer_contract_accepts_either_name_and_nothing_else():
    contract = load_specs([SPECS_DIR / "python_code.toml"]).get("docstring_function")
    inputs = {"prompt": "def add(a, b):\n    \"\"\"Sum.\"\"\"\n", "entry_point": "add"}
    assert contract.violated_ensure(inputs, "def add(a, b):\n    return a + b\n") is None
    assert contract.violated_ensure(inputs, "def solution(a, b):\n    return a + b\n") is None
    assert contract.violated_ensure(inputs, "def other(a, b):\n    return a + b\n") is not None
    assert contract.violated_ensure(inputs, "def add(a, b) return\n") is not None


def test_the_choice_parse_reads_the_first_enum_member_the_text_names_as_a_word(tmp_path):
    from evoforge.contracts.parsing import OutputParseError, parse_output
    from evoforge.contracts.types import EnumType

    origins = EnumType(("American", "European", "Japanese"))
    assert parse_output("The car is a Japanese car, not an American one.", origins, "choice") == "Japanese"
    assert parse_output("european", origins, "choice") == "European"
    with pytest.raises(OutputParseError, match="names none of American, European, Japanese"):
        parse_output("It is a German car (Americanised).", origins, "choice")
    spec = tmp_path / "bad.toml"
    spec.write_text('[contracts.c]\ninputs = { x = "str" }\noutput = "str"\nparse = "choice"\nensure = ["len(result) < 9"]\n'
                    'prompt = "{x}"\nfallback = "\'a\'"\n')
    (problem,) = load_specs([spec]).problems
    assert 'parse = "choice" needs an enum output, not str' in problem.message
