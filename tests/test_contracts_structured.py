"""Records with optional fields, maps, lists of records, json, indexing and comprehensions in
contracts: type errors, proofs that every index and optional field is defined where it is read,
fallbacks built by comprehensions, answers parsed into these types, and the values as the agent
receives them through the real sandbox channel. Real Z3, the real guard, the real sandbox."""
from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from scripted_model import ScriptedModel

from evoforge.contracts import guarded_call, load_specs
from evoforge.contracts.guard import check_inputs
from evoforge.contracts.outcome import SpecError
from evoforge.contracts.tasks import load_tasks
from evoforge.sandbox import Job, Limits
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.inside import evoforge_wire as wire
from evoforge.sandbox.local import LocalSandbox

TYPES = """
[types.Item]
name = "str"
qty = "int"
note = "optional[str]"
tags = "optional[list[str, 3]]"
"""


def spec(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(textwrap.dedent(body))
    return path


def contract_of(tmp_path: Path, body: str, name: str = "c"):
    specs = load_specs([spec(tmp_path, body)], timeout_ms=20_000)
    assert not specs.problems, specs.problems
    return specs.contracts[name]


def only_problem(tmp_path: Path, body: str) -> str:
    specs = load_specs([spec(tmp_path, body)], timeout_ms=20_000)
    messages = [str(p) for p in specs.problems] + [f"{c.where}: {c.proof.reason}" for c in specs.contracts.values() if not c.proof.proven]
    assert len(messages) == 1, messages
    return messages[0]


def one_contract(inputs: str, output: str, ensure: str, fallback: str, require: str = "[]", types: str = TYPES) -> str:
    return f'''{types}
[contracts.c]
inputs = {inputs}
output = "{output}"
require = {require}
ensure = {ensure}
prompt = "x"
fallback = """{fallback}"""
'''


def test_structured_types_load_prove_and_conform(tmp_path):
    contract = contract_of(tmp_path, one_contract(
        '{ items = "list[Item, 4]", stock = "map[str, int, 8]" }', "map[str, json, 4]",
        '["all(k in stock for k in result)", "all(kind(result[k]) == \'int\' for k in result)"]',
        "{i.name: stock[i.name] for i in items if i.name in stock}"))
    assert contract.proof.proven, contract.proof.reason
    items = [{"name": "a", "qty": 1}, {"name": "b", "qty": 2, "note": "x", "tags": ["t"]}, {"name": "a", "qty": 3}]
    checked = check_inputs(contract, {"items": items, "stock": {"a": 5, "c": 1}})
    assert checked["items"][0] == {"name": "a", "qty": 1, "note": None, "tags": None}  # absent optional fields are None
    assert contract.fallback_for(checked) == {"a": 5}
    assert contract.violated_ensure(checked, {"a": 5}) is None
    assert contract.violated_ensure(checked, {"a": "5"}).text == "all(kind(result[k]) == 'int' for k in result)"
    assert contract.violated_ensure(checked, {"zz": 1}).text == "all(k in stock for k in result)"


@pytest.mark.parametrize(("inputs", "output", "ensure", "fallback", "fragment"), [
    ('{ xs = "list[int, 3]" }', "int", '["result in xs[0:2]"]', "0", "slices are not part of the contract language"),
    ('{ s = "str" }', "str", '["result == s[0]"]', "s", "cannot index a value of type str"),
    ('{ j = "json" }', "int", '["implies(j == 1, result == 0)"]', "0", "a json value can be compared with a string only, not with int"),
    ('{ i = "Item" }', "int", '["implies(i.qty is None, result == 0)"]', "0", "only an optional record field can be None"),
    ('{ i = "Item" }', "int", '["implies(i.note is 1, result == 0)"]', "0", "'is' compares an optional field with None only"),
    ('{ a = "optional[int]" }', "int", '["result == 0"]', "0", "only a record field may be optional"),
    ('{ m = "map[int, str, 3]" }', "int", '["result == 0"]', "0", "must be written map[str, VALUE_TYPE, MAX_ENTRIES]"),
    ('{ m = "map[str, str, 0]" }', "int", '["result == 0"]', "0", "map maximum length in 'map[str, str, 0]' must be a whole number from 1 to 64"),
    ('{ xs = "list[int, 3]" }', "int", '["len([x for x in xs for y in xs]) > 0"]', "0", "takes one 'for'"),
    ('{ xs = "list[int, 3]" }', "int", '["kind(xs) == \'list\'"]', "0", "kind() takes one json value"),
    ('{ m = "map[str, int, 3]" }', "int", '["m.a == result"]', "0", "a map's values are read by key: write ['a'], not .a"),
    ('{ xs = "list[int, 3]" }', "int", '["sum(x for x in xs) > 0"]', "0", "a generator stands only inside all() or any()"),
    ('{ m = "map[str, int, 3]" }', "int", '["m[1] == result"]', "0", "a map key must be a string, got int"),
    ('{ i = "Item" }', "int", '["i[\'qty\'] == result"]', "0", "read a record's field with '.'"),
])
def test_what_is_outside_the_language_is_one_line_naming_file_line_and_fix(tmp_path, inputs, output, ensure, fallback, fragment):
    message = only_problem(tmp_path, one_contract(inputs, output, ensure, fallback))
    assert message.startswith(f"{tmp_path / 'spec.toml'}:"), message
    assert fragment in message and "\n" not in message


@pytest.mark.parametrize(("inputs", "output", "require", "ensure", "fallback", "fragment"), [
    # an index, a key, an optional field, each read where it may not be defined
    ('{ xs = "list[int, 3]" }', "int", "[]", '["result == xs[0]"]', "0",
     "ensure `result == xs[0]` (line 12): `xs[0]` may be read when its index is out of range, e.g. for xs=[], result=0"),
    ('{ xs = "list[int, 3]" }', "int", "[]", '["result >= 0"]', "xs[-1] * 0",
     "the fallback `xs[-1] * 0` (line 14): `xs[-1]` may be read when its index is out of range, e.g. for xs=[]"),
    ('{ m = "map[str, int, 3]", k = "str" }', "int", '["m[k] > 0"]', '["result >= 0"]', "0",
     "require `m[k] > 0` (line 11): `m[k]` may be read when its key is not in the map"),
    ('{ i = "Item" }', "int", "[]", '["result <= len(i.note)"]', "0",
     "`i.note` may be read when the field is absent, e.g. for i={'name': '', 'qty': 0, 'note': None, 'tags': None}"),
    ('{ i = "Item" }', "int", "[]", '["result == 0 or i.tags[0] == \'x\'"]', "0", "`i.tags` may be read when the field is absent"),
])
def test_an_index_or_optional_field_that_may_be_undefined_rejects_the_contract(tmp_path, inputs, output, require, ensure, fallback, fragment):
    message = only_problem(tmp_path, one_contract(inputs, output, ensure, fallback, require))
    assert fragment in message, message
    assert "guard it" in message


@pytest.mark.parametrize(("inputs", "output", "require", "ensure", "fallback"), [
    ('{ xs = "list[int, 3]" }', "int", '["len(xs) > 2"]', '["result == xs[2] or result == xs[-3]"]', "xs[2]"),
    ('{ xs = "list[int, 3]", i = "int" }', "int", "[]", '["-len(xs) <= i < len(xs) and xs[i] > 0 or result == 0"]', "0"),
    ('{ xs = "list[int, 3]" }', "list[int, 3]", "[]", '["len(result) > 0", "result[0] >= 0"]', "[0] if len(xs) == 0 else [abs(xs[0])]"),
    ('{ m = "map[str, int, 3]", k = "str" }', "int", '["k in m"]', '["result == m[k]"]', "m[k]"),
    ('{ i = "Item" }', "int", "[]", '["i.note is None or result <= len(i.note)"]', "0"),
    ('{ i = "Item" }', "str", "[]", '["result == (i.note if i.note is not None else \'\')"]', "i.note if i.note is not None else ''"),
    ('{ items = "list[Item, 3]" }', "list[str, 3]", "[]", '["all(len(t) > 0 for t in result)"]',
     "[i.tags[0] for i in items if i.tags is not None and len(i.tags) > 0 and len(i.tags[0]) > 0]"),
])
def test_guarded_reads_and_fallbacks_built_by_comprehensions_are_proven(tmp_path, inputs, output, require, ensure, fallback):
    contract = contract_of(tmp_path, one_contract(inputs, output, ensure, fallback, require))
    assert contract.proof.proven, contract.proof.reason


def test_a_fallback_that_breaks_ensure_gets_a_counterexample_with_structured_inputs(tmp_path):
    contract = contract_of(tmp_path, one_contract('{ stock = "map[str, int, 3]" }', "map[str, int, 3]",
                                                  '["all(result[k] >= 0 for k in result)"]', "{k: stock[k] - 1 for k in stock}"))
    assert not contract.proof.proven
    assert "violates ensure `all(result[k] >= 0 for k in result)`" in contract.proof.reason
    stock = contract.proof.counterexample["stock"]
    assert isinstance(stock, dict) and any(v < 1 for v in stock.values())


def test_an_unsafe_task_clause_is_a_spec_error(tmp_path):
    path = spec(tmp_path, """
        [tasks.first]
        inputs = { xs = "list[int, 3]" }
        result = "int"
        ensure = ["result == xs[0]"]
    """)
    found = load_tasks([path])
    (problem,) = found.problems
    assert isinstance(problem, SpecError) and "task 'first'" in str(problem) and "`xs[0]` may be read when its index is out of range" in str(problem)


MAP_AND_JSON = one_contract('{ n = "int" }', "map[str, json, 3]", '["all(kind(result[k]) != \'null\' for k in result)"]', "{'n': n}") + "attempts = 4\n"


def test_answers_parse_into_maps_and_json_and_violations_go_back_to_the_model(tmp_path):
    contract = contract_of(tmp_path, MAP_AND_JSON)
    model = ScriptedModel(['{"a": null}', '{"a": 1', '[1, 2]', 'Sure: {"a": [1, 2.5], "b": {"$real": "x"}}'])
    result = guarded_call(contract, {"n": 3}, model)
    assert result.output == {"a": [1, Fraction(5, 2)], "b": {"$real": "x"}}  # a one-key object is the answer, never unwrapped
    violations = result.record.violations
    assert "all(kind(result[k]) != 'null' for k in result)" in violations[0]
    assert "should be map[str, json, 3]" in violations[2]
    assert "That answer was rejected" in model.calls[1][-1].content


def test_the_channel_carries_maps_that_look_like_tags_and_exact_json_numbers():
    for value in ({"$real": "1/2"}, {"$map": [["a", 1]]}, [{"$real": Fraction(1, 3)}], {"x": Fraction(2), "y": Fraction(-7, 4), "z": None}):
        assert wire.loads(wire.dumps(value)) == value


AGENT = '''
from evoforge_channel import generate

def main(n):
    value = generate("c", n=n)
    return {"type": type(value).__name__, "keys": sorted(value), "inner": type(value.get("$real")).__name__, "value": value}
'''


def test_a_map_answer_reaches_the_agent_as_the_map_it_was_checked_as(tmp_path):
    specs = load_specs([spec(tmp_path, MAP_AND_JSON)])
    assert specs.all_proven, specs.problems
    guard = GuardService(specs, ScriptedModel(['{"$real": "1/2"}']))
    result = LocalSandbox(use_bubblewrap=False).run(Job({"agent.py": AGENT}, "agent", "main", [[4]]), Limits(wall_s=20), guard)
    outcome = result.outcome(0)
    assert outcome.ok, outcome.error
    # Without the escape the agent would get the number 1/2, which no map is.
    assert outcome.value == {"type": "dict", "keys": ["$real"], "inner": "str", "value": {"$real": "1/2"}}


def test_records_may_name_records_declared_after_them_inside_lists_maps_and_optional_fields(tmp_path):
    contract = contract_of(tmp_path, one_contract('{ order = "Order" }', "int", '["result >= 0"]', "len(order.lines)", types="""
[types.Order]
lines = "list[Line, 3]"
by_name = "map[str, Line, 3]"
gift = "optional[Line]"

[types.Line]
name = "str"
qty = "int"
"""))
    assert contract.proof.proven, contract.proof.reason
    assert str(contract.inputs["order"].field("by_name")) == "map[str, Line, 3]"
    message = only_problem(tmp_path, one_contract('{ a = "A" }', "int", '["result == 0"]', "0", types='[types.A]\nb = "list[B, 2]"\n\n[types.B]\na = "optional[A]"\n'))
    assert "record types refer to each other in a cycle or to unknown types: A, B" in message
