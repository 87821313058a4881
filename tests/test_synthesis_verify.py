"""Verification of agent programs: proofs over all inputs and parameters, real counterexamples."""
from __future__ import annotations

import pytest
from synthesis_support import CLAMPED, LOOP, load

from evoforge.contracts.tasks import load_tasks
from evoforge.synthesis.language.interpret import run_program
from evoforge.synthesis.language.parser import ProgramError, parse_program
from evoforge.synthesis.search.refute import refutes
from evoforge.synthesis.search.verify import COUNTEREXAMPLE, PROVEN, UNKNOWN, Verifier


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return load(tmp_path_factory.mktemp("spec"))


def verify(kit, task, source, **options):
    specs, tasks = kit
    program = parse_program(source, tasks.get(task), specs)
    return program, Verifier(**options).verify(program, tasks.get(task))


def test_a_program_correct_for_every_parameter_value_is_proven(kit):
    _, verdict = verify(kit, "near_plus", CLAMPED)
    assert verdict.status == PROVEN, verdict.reason
    assert verdict.params_in_proof == ("margin",)
    assert verdict.params_shaping_only == ("style",)  # a prompt variant never enters the proof
    assert verdict.paths == 2


def test_a_program_correct_for_some_parameter_values_only_is_rejected_naming_the_parameter(kit):
    source = '''
margin = param_int(0, 20)
def solve(n):
    x = call("near", n=n)
    return x + margin
'''
    program, verdict = verify(kit, "near_plus", source)
    assert verdict.status == COUNTEREXAMPLE
    example = verdict.counterexample
    assert set(example.params) == {"margin"}
    assert example.params["margin"] + example.calls[0]["output"] - example.inputs["n"] > 10  # so margin >= 8
    assert "margin=" in verdict.reason
    # The counterexample is real: running the program with its values and model outputs breaks Psi.
    specs, tasks = kit
    assert refutes(example, program, tasks.get("near_plus"), specs)


def test_relying_on_a_model_answer_beyond_its_contract_is_rejected(kit):
    source = '''
def solve(n):
    x = call("guess", n=n)
    return x
'''
    _, verdict = verify(kit, "bounded_guess", source)
    assert verdict.status == COUNTEREXAMPLE
    example = verdict.counterexample
    assert example.calls[0]["contract"] == "guess" and example.calls[0]["output"] > 2 * example.inputs["n"]
    assert example.clause == "result <= 2 * n"


def test_a_call_outside_its_require_is_rejected_with_the_parameter_that_breaks_it(kit):
    source = '''
high = param_int(-5, 50)
def solve(text):
    r = call("read_ratio", text=text, low=0, high=high)
    return r.value
'''
    _, verdict = verify(kit, "reading", source)
    assert verdict.status == COUNTEREXAMPLE and verdict.counterexample.kind == "require"
    assert verdict.counterexample.params["high"] < 0
    assert "low <= high" in verdict.reason


def test_bounded_loops_are_unrolled_to_their_bound(kit):
    _, verdict = verify(kit, "near_plus", LOOP.format(high=3))
    assert verdict.status == PROVEN, verdict.reason  # three calls add at most 9
    assert verdict.paths == 6  # 1, 2 or 3 iterations, times the two branches


def test_the_counterexample_gives_the_path_taken(kit):
    _, verdict = verify(kit, "near_plus", LOOP.format(high=4))
    example = verdict.counterexample
    assert verdict.status == COUNTEREXAMPLE and example.params == {"rounds": 4}
    assert example.path == ["line 5: 4 iteration(s)", "line 8: then"]
    assert len(example.calls) == 4 and sum(c["output"] - example.inputs["n"] for c in example.calls) > 10


@pytest.mark.parametrize("expression, status", [
    ("n // 2 * 2 + n % 2", PROVEN),
    ("-((-n) // 2) * 2 - n % 2", PROVEN),  # holds only because // floors toward minus infinity
    ("n // 2 * 2", COUNTEREXAMPLE),  # odd n
    ("n + 1 / 10 * 3 - 3 / 10", PROVEN),  # exact reals: false in floating point
    ("n + 1 / 10 * 3 - 0.3 + 1 / 1000", COUNTEREXAMPLE),
])
def test_semantics_traps_match_python(kit, tmp_path, expression, status):
    specs, _ = kit
    text = '''
[tasks.same]
inputs = { n = "int" }
result = "real"
require = ["0 <= n <= 100"]
ensure = ["result == n"]
'''
    tasks = _tasks(tmp_path, text)
    program = parse_program(f"def solve(n):\n    return {expression}\n", tasks.get("same"), specs)
    verdict = Verifier().verify(program, tasks.get("same"))
    assert verdict.status == status, verdict.reason
    if status == COUNTEREXAMPLE:
        n = verdict.counterexample.inputs["n"]
        assert run_program(program, {"n": n}, {}, lambda *a: None).output != n  # the interpreter agrees
    else:
        assert all(run_program(program, {"n": n}, {}, lambda *a: None).output == n for n in range(0, 101, 7))


def test_string_length_is_exact(kit, tmp_path):
    specs, _ = kit
    tasks = _tasks(tmp_path, '''
[tasks.label]
inputs = { name = "str" }
result = "str"
require = ["len(name) <= 5"]
ensure = ["len(result) <= 8", "result.startswith('id:')"]
''')
    proven = parse_program("def solve(name):\n    return 'id:' + name\n", tasks.get("label"), specs)
    too_long = parse_program("def solve(name):\n    return 'id::' + name\n", tasks.get("label"), specs)
    assert Verifier().verify(proven, tasks.get("label")).status == PROVEN
    verdict = Verifier().verify(too_long, tasks.get("label"))
    assert verdict.status == COUNTEREXAMPLE and len(verdict.counterexample.inputs["name"]) == 5


def test_too_many_paths_is_unknown_with_the_reason(kit):
    source = '''
def solve(n):
    total = 0
    for i in range(6):
        x = call("near", n=n)
        if x > n:
            total = total + 1
    return n + total
'''
    _, verdict = verify(kit, "near_plus", source, max_paths=10)
    assert verdict.status == UNKNOWN and "more than 10 paths" in verdict.reason


@pytest.mark.parametrize("source, line, fragment", [
    ("def solve(n):\n    x = 1\n    while x:\n        x = 0\n    return x\n", 3, "While"),
    ("def solve(n):\n    x = call('nope', n=n)\n    return x\n", 2, "no contract named 'nope'"),
    ("def solve(n):\n    return n + call('near', n=n)\n", 2, "whole right-hand side"),
    ("k = param_int(5, 1)\ndef solve(n):\n    return n\n", 1, "LOW <= HIGH"),
    ("def solve(n):\n    if n > 1:\n        return n\n", 3, "without a return"),
    ("def solve(n):\n    x = call('near', n=n, m=1)\n    return x\n", 2, "unknown input(s) m"),
    ("def solve(n):\n    return m\n", 2, "unknown name 'm'"),
    ("def solve(m):\n    return m\n", 1, "exactly the inputs"),
    ("def solve(n):\n    return n +\n", 2, "syntax error"),
])
def test_program_errors_name_the_line(kit, source, line, fragment):
    specs, tasks = kit
    with pytest.raises(ProgramError) as error:
        parse_program(source, tasks.get("near_plus"), specs)
    assert error.value.line == line and fragment in str(error.value), str(error.value)
    assert str(error.value).startswith(f"program line {line}: ")


def _tasks(folder, text):
    (folder / "t.toml").write_text(text)
    tasks = load_tasks([folder / "t.toml"])
    assert not tasks.problems, tasks.problems
    return tasks
