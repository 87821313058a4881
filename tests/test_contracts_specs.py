"""Spec loading, type checking, proofs and their error messages, with a real Z3."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from evoforge.cli import main
from evoforge.contracts import ContractUnavailable, load_specs

SPECS = Path(__file__).resolve().parent.parent / "specs"


def write_spec(tmp_path: Path, body: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def test_every_example_spec_is_proven():
    specs = load_specs([SPECS])
    assert not specs.problems
    assert len(specs.contracts) >= 8
    assert {"sum_of_two", "python_function", "cancellation", "delay_compensation"} <= set(specs.contracts)
    for contract in specs.contracts.values():
        assert contract.proof and contract.proof.proven, (contract.name, contract.proof)
        assert contract.examples, f"{contract.name} has no example inputs"
        for example in contract.examples:
            assert contract.violated_require(example) is None
            assert contract.violated_ensure(example, contract.fallback_for(example)) is None


GOOD = """
[contracts.ok]
inputs = { a = "int" }
output = "int"
require = ["a >= 0"]
ensure = ["result >= a"]
prompt = "Give a number at least {a}."
fallback = "a"
"""


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (GOOD.replace('"result >= a"', '"result >= c"'), 6, "unknown name 'c'"),
        (GOOD.replace('"result >= a"', '"result = a"'), 6, "syntax error"),
        (GOOD.replace('a = "int"', 'a = "integer"'), 3, "unknown type 'integer'"),
        (GOOD.replace('"result >= a"', '"result == \'x\'"'), 6, "cannot compare int with str"),
        (GOOD.replace('"a >= 0"', '"a >= 0", "a < 0"'), 2, "require can never hold"),
        (GOOD.replace('fallback = "a"', 'fallback = "a - 1"'), 2, "unsound fallback: for a=0 the fallback gives -1"),
        (GOOD.replace('fallback = "a"', 'fallback = "\'zero\'"'), 8, "fallback has type str, but the output is int"),
        (GOOD.replace("{a}", "{b}"), 7, "prompt refers to {b}, which is not an input"),
        (GOOD.replace('"result >= a"', '"__import__(\'os\')"'), 6, "unknown function '__import__'"),
        (GOOD.replace('"result >= a"', '"result.__class__ == 1"'), 6, "needs a record"),
        (GOOD.replace("prompt =", "promt ="), 7, "unknown key(s) promt"),
        (GOOD.replace('[contracts.ok]', '[contracts.ok'), 2, "TOML syntax error"),
    ],
)
def test_spec_errors_name_file_line_contract_and_problem(tmp_path, body, line, fragment):
    path = write_spec(tmp_path, body)
    specs = load_specs([path], timeout_ms=2000)
    messages = [str(p) for p in specs.problems] + [
        f"{c.where}: {c.proof.reason}" for c in specs.contracts.values() if c.proof and not c.proof.proven
    ]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{path}:{line}:"), messages[0]
    assert fragment in messages[0]
    assert not specs.all_proven


INLINE_FIX = "an inline table { ... } is one line of `key = value` items separated by commas, with no comma after the last"


@pytest.mark.parametrize(
    ("old", "new", "line", "fix"),
    [
        ('ensure = ["result >= a"]', 'ensure = [\n  { check = "result >= a",\n    message = "at least a" },\n]', 7,
         INLINE_FIX + ": write it so, or use a [section] table instead"),
        ('ensure = ["result >= a"]', 'ensure = [{ check = "result >= a", message = "at least a", }]', 6, INLINE_FIX),
        ('inputs = { a = "int" }', 'inputs = { a = "int" b = "int" }', 3, INLINE_FIX),
        ('fallback = "a"', "fallback = \"a\"\nattempts = True", 9, "booleans are lowercase: true or false"),
        ('output = "int"', "output = int", 4, 'a string needs quotes: "..."'),
        ('output = "int"', 'output: "int"', 4, "TOML writes key = value"),
        ('prompt = "Give', 'prompt = "\nGive', 7, 'use """triple quotes""" for text over several lines'),
    ],
)
def test_a_toml_mistake_is_one_line_naming_the_line_and_the_fix(tmp_path, old, new, line, fix):
    assert old in GOOD
    path = write_spec(tmp_path, GOOD.replace(old, new))
    (problem,) = load_specs([path]).problems
    assert str(problem).startswith(f"{path}:{line}: TOML syntax error: ") and fix in str(problem), str(problem)
    assert "\n" not in str(problem)


def test_enum_literal_typo_is_a_type_error(tmp_path):
    path = write_spec(tmp_path, """
        [contracts.pick]
        inputs = {}
        output = "enum['refund', 'deny']"
        ensure = ["result != 'refnd'"]
        prompt = "Pick."
        fallback = "'deny'"
    """)
    (problem,) = load_specs([path]).problems
    assert "'refnd' is not a value of enum['refund', 'deny']" in str(problem)
    assert "contract 'pick'" in str(problem)


def test_solver_timeout_is_a_rejection_with_the_reason(tmp_path):
    path = write_spec(tmp_path, """
        [contracts.fermat]
        inputs = { a = "int", b = "int", c = "int" }
        output = "int"
        require = ["a > 0", "b > 0", "c > 0"]
        ensure = ["implies(result == 1, a*a*a + b*b*b != c*c*c)"]
        prompt = "x"
        fallback = "1"
    """)
    specs = load_specs([path], timeout_ms=300)
    contract = specs.contracts["fermat"]
    assert not contract.proof.proven
    assert "could not prove" in contract.proof.reason
    with pytest.raises(ContractUnavailable, match="rejected"):
        specs.get("fermat")


def test_counterexample_is_reported_with_inputs(tmp_path):
    path = write_spec(tmp_path, """
        [types.Pay]
        amount = "real"
        note = "str"

        [contracts.refund]
        inputs = { price = "real", kind = "enum['full', 'half']" }
        output = "Pay"
        require = ["price >= 0"]
        ensure = ["result.amount <= price / 2 or kind == 'full'", "len(result.note) < 5"]
        prompt = "x"
        fallback = '{"amount": price, "note": "ok"}'
    """)
    contract = load_specs([path]).contracts["refund"]
    assert not contract.proof.proven
    assert contract.proof.counterexample["kind"] == "half"
    assert contract.proof.counterexample["price"] > 0
    assert "violates ensure `result.amount <= price / 2 or kind == 'full'`" in contract.proof.reason


def test_kernel_predicate_on_constant_fallback_is_proven_and_on_unknown_input_is_not(tmp_path):
    path = write_spec(tmp_path, """
        [contracts.constant_code]
        inputs = {}
        output = "str"
        ensure = ["parses_python(result)"]
        prompt = "Write code."
        fallback = "'x = 1'"

        [contracts.echo_code]
        inputs = { code = "str" }
        output = "str"
        ensure = ["parses_python(result)"]
        prompt = "Fix {code}."
        fallback = "code"

        [contracts.broken_constant]
        inputs = {}
        output = "str"
        ensure = ["parses_python(result)"]
        prompt = "Write code."
        fallback = "'def ('"
    """)
    specs = load_specs([path])
    assert specs.contracts["constant_code"].proof.proven
    assert not specs.contracts["echo_code"].proof.proven
    assert not specs.contracts["broken_constant"].proof.proven


def test_specs_check_cli_reports_each_contract(tmp_path, capsys):
    assert main(["specs", "check", str(SPECS)]) == 0
    out = capsys.readouterr().out
    assert out.count("proven") >= 8 and "rejected" not in out
    bad = write_spec(tmp_path, GOOD.replace('fallback = "a"', 'fallback = "a - 1"'))
    assert main(["specs", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "rejected" in out and "contract 'ok'" in out and "unsound fallback" in out


def test_specs_check_cli_missing_path_is_one_line_error(tmp_path, capsys):
    assert main(["specs", "check", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert "nope.toml" in err and "no such file" in err and "Traceback" not in err
