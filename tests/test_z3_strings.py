"""Strings mean in Z3 what they mean in Python, code point for code point (contracts/z3_strings.py),
through the contract compiler and through the program verifier, in both directions: literals to
Z3, and models (counterexamples) back to Python. Characters Z3 cannot hold are refused."""
from __future__ import annotations

import json

import pytest
import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evoforge.contracts.expressions import ExprError, parse_expression
from evoforge.contracts.loader import load_text
from evoforge.contracts.outcome import SpecError
from evoforge.contracts.proof import prove
from evoforge.contracts.tasks import load_tasks
from evoforge.contracts.to_z3 import Compiler
from evoforge.contracts.z3_strings import MAX_CHAR, decode, encode, unrepresentable
from evoforge.synthesis.language.parser import ProgramError, parse_program
from evoforge.synthesis.search.refute import refutes
from evoforge.synthesis.search.verify import COUNTEREXAMPLE, PROVEN, Verifier

# What z3.StringVal or as_string() would misread: escape text, quotes, controls, surrogates, the last character.
TRICKY = ["\\", "u", "U", "{", "}", "x", "0", "4", "1", "F", "\\u", "\\u{", "\\u0041", "\\u{41}", "\\x41", "\\u{5c}",
          "\"", "'", "\n", "\x00", "\x7f", "é", "\ud800", "\udfff", "\U0001f600", "\U00020000", chr(MAX_CHAR)]
# Every character Z3 holds (planes 0 to 2, surrogates included), with the tricky pieces often.
TEXTS = st.lists(st.one_of(st.sampled_from(TRICKY), st.integers(0, MAX_CHAR).map(chr)), max_size=8).map("".join)
BEYOND = st.integers(MAX_CHAR + 1, 0x10FFFF).map(chr)  # planes 3 to 16
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SPEC = '''
[tasks.agree]
description = "A fact about two strings, true for every input."
inputs = { x = "str", y = "str" }
result = "bool"
ensure = ["result"]
fallback = "True"
'''


@pytest.fixture(scope="module")
def agree(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "strings.toml"
    path.write_text(SPEC)
    tasks = load_tasks([path])
    assert not tasks.problems, tasks.problems
    return tasks.get("agree")


def literal(text: str) -> str:
    return ascii(text)  # a Python literal in ASCII: the parser sees escapes, never raw characters


def facts(a: str, b: str) -> list[tuple[str, object]]:
    """Expressions over two literals, with what Python says they are."""
    A, B = literal(a), literal(b)
    return [(f"len({A})", len(a)), (f"{A} == {B}", a == b), (f"contains({A}, {B})", b in a), (f"{B} in {A}", b in a),
            (f"{A}.startswith({B})", a.startswith(b)), (f"{A}.endswith({B})", a.endswith(b)), (f"{A} + {B}", a + b)]


def python_value(term: z3.ExprRef) -> object:
    value = z3.simplify(term)
    return decode(value) if z3.is_string(value) else value.as_long() if z3.is_int(value) else z3.is_true(value)


def test_z3_characters_stop_at_max_char():
    """The number the kernel refuses beyond is the solver's own."""
    char = z3.Const("c", z3.CharSort())
    for last, status in ((MAX_CHAR, z3.sat), (MAX_CHAR + 1, z3.unsat)):
        solver = z3.Solver()
        solver.add(char.to_int() == last)
        assert solver.check() == status


def test_string_val_misreads_what_encode_keeps():
    """Why the kernel never uses z3.StringVal or as_string() (the issue's examples)."""
    assert z3.simplify(z3.Length(z3.StringVal("\\u0041"))).as_long() == 1
    assert z3.simplify(z3.Length(encode("\\u0041"))).as_long() == 6
    assert z3.StringVal("\x00").as_string() != "\x00" and decode(encode("\x00")) == "\x00"


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_encode_then_decode_is_the_identity(text):
    value = encode(text)
    assert z3.simplify(z3.Length(value)).as_long() == len(text)
    assert decode(value) == text


@given(TEXTS, TEXTS)
@PROPERTY
def test_the_contract_compiler_agrees_with_python(a, b):
    for text, expected in facts(a, b):
        term = Compiler({}).term(parse_expression(text, {}, expected=None))
        assert python_value(term) == expected, text
        solver = z3.Solver()  # and the solver, not only the simplifier, knows it
        solver.add(term != (encode(expected) if isinstance(expected, str) else expected))
        assert solver.check() == z3.unsat, text


@given(TEXTS, TEXTS)
@PROPERTY
def test_the_program_verifier_agrees_with_python_on_inputs_holding_the_strings(agree, a, b):
    checks = [f"len(x) == {len(a)}", f"(x == y) == {a == b}", f"contains(x, y) == {b in a}", f"(y in x) == {b in a}",
              f"x.startswith(y) == {a.startswith(b)}", f"x.endswith(y) == {a.endswith(b)}", f"x + y == {literal(a + b)}"]
    source = f'''
def solve(x, y):
    if x == {literal(a)} and y == {literal(b)}:
        return {" and ".join(checks)}
    return True
'''
    program = parse_program(source, agree, None)
    verdict = Verifier().verify(program, agree)
    assert verdict.status == PROVEN, verdict.reason


@given(TEXTS, TEXTS)
@PROPERTY
def test_a_counterexample_reads_back_the_very_strings(agree, a, b):
    """The model's strings decode to the Python strings that break the program, and replay."""
    program = parse_program(f"def solve(x, y):\n    return x != {literal(a)} or y != {literal(b)}\n", agree, None)
    verdict = Verifier().verify(program, agree)
    assert verdict.status == COUNTEREXAMPLE
    assert verdict.counterexample.inputs == {"x": a, "y": b}
    assert refutes(verdict.counterexample, program, agree, None)


@given(TEXTS)
@settings(max_examples=30, deadline=None)
def test_a_contract_counterexample_reads_back_the_very_string(text):
    spec = f'''
[contracts.differs]
inputs = {{ x = "str" }}
output = "bool"
ensure = ["result"]
prompt = "Anything about {{x}}."
fallback = {json.dumps(f"x != {literal(text)}")}
'''
    (contract,) = load_text("differs.toml", spec)
    proof = prove(contract)
    assert not proof.proven and proof.counterexample == {"x": text}


@given(TEXTS, BEYOND, TEXTS)
@settings(max_examples=50, deadline=None)
def test_a_character_beyond_z3s_is_refused_everywhere_a_string_is_written(before, beyond, after):
    text = before + beyond + after
    assert f"U+{ord(beyond):X}" in unrepresentable(text)
    with pytest.raises(ValueError):
        encode(text)
    with pytest.raises(ExprError, match="beyond U\\+2FFFF"):
        parse_expression(f"len({literal(text)}) == 1", {}, expected=None)


def test_contract_literals_and_enum_values_beyond_z3s_are_refused_naming_file_and_line():
    spec = '''
[contracts.mark]
inputs = { x = "str" }
output = "str"
ensure = ["result != '\\U00030000'"]
prompt = "Mark {x}."
fallback = "x"

[contracts.pick]
inputs = { x = "str" }
output = "enum['a', '\\U000E0001']"
ensure = ["result == 'a'"]
prompt = "Pick for {x}."
fallback = "'a'"
'''
    errors = load_text("marks.toml", spec)
    assert all(isinstance(e, SpecError) for e in errors)
    assert [(e.contract, e.line) for e in errors] == [("mark", 5), ("pick", 11)]  # the ensure line, the output line
    assert "U+30000" in str(errors[0]) and "U+E0001" in str(errors[1]) and str(errors[0]).startswith("marks.toml:5: contract 'mark':")


def test_a_fallback_is_proven_of_the_string_python_returns():
    """`'\\u0041'` (escape text) has six characters: a fallback claiming one is unsound."""
    spec = '''
[contracts.one]
inputs = { x = "str" }
output = "str"
ensure = ["len(result) == 1"]
prompt = "One character for {x}."
fallback = '"\\\\u0041"'
'''
    (contract,) = load_text("one.toml", spec)
    assert contract.fallback_for({"x": ""}) == "\\u0041"
    proof = prove(contract)
    assert not proof.proven and "len(result) == 1" in proof.reason


def test_a_program_literal_beyond_z3s_is_refused_naming_the_line(agree):
    with pytest.raises(ProgramError, match="^program line 3: the string '\\\\U00030000' holds U\\+30000"):
        parse_program('def solve(x, y):\n    z = x\n    return z != "\\U00030000"\n', agree, None)
