"""The FGGM guard: retries with feedback, verified fallback, records, and the adversarial guarantee."""
from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scripted_model import ScriptedModel, failing
from value_strategies import values_of

from evoforge.contracts import ContractUnavailable, PreconditionViolation, guarded_call, load_specs
from evoforge.contracts.types import conform, to_plain
from evoforge.models.base import BudgetExceeded

SPECS = load_specs([Path(__file__).resolve().parent.parent / "specs"])


def contract(name):
    return SPECS.get(name)


def test_accepts_a_correct_first_answer():
    model = ScriptedModel(['{"result": 42}'])
    result = guarded_call(contract("sum_of_two"), {"a": 17, "b": 25}, model)
    assert result.output == 42
    record = result.record
    assert not record.fallback_used and len(record.attempts) == 1 and record.violations == []
    assert record.prompt_tokens > 0 and record.latency_s >= record.model_latency_s
    assert "17" in model.calls[0][-1].content and "25" in model.calls[0][-1].content


def test_retries_with_feedback_naming_the_violated_clause():
    model = ScriptedModel(['{"result": 30}', "42"])
    result = guarded_call(contract("sum_of_two"), {"a": 17, "b": 25}, model)
    assert result.output == 42 and not result.record.fallback_used
    assert result.record.violations == ["the answer must be exactly a + b (got 30)"]
    feedback = model.calls[1][-1].content
    assert "rejected" in feedback and "exactly a + b" in feedback
    assert model.calls[1][-2].role == "assistant" and model.calls[1][-2].content == '{"result": 30}'


def test_returns_the_verified_fallback_after_the_budget():
    model = ScriptedModel(["thirty", '{"result": 30}', "[1, 2]"])
    result = guarded_call(contract("sum_of_two"), {"a": 17, "b": 25}, model)
    assert result.output == 42 and result.record.fallback_used
    assert len(result.record.attempts) == 3 and len(result.record.violations) == 3
    assert "could not be read" in result.record.violations[0]
    assert "should be int" in result.record.violations[2]


def test_record_contract_with_enum_and_real_fields():
    booking = {"cabin": "economy", "price": 320.0, "passengers": 1, "hours_since_booking": 50,
               "has_insurance": False, "flight_status": "scheduled"}
    greedy = '{"action": "cancel_full_refund", "refund": 320, "reason": "sure"}'
    polite = 'Here you go: {"action": "deny", "refund": 0, "reason": "outside the 24 hour window"}'
    result = guarded_call(contract("cancellation"), {"booking": booking, "request": "cancel"}, ScriptedModel([greedy, polite]))
    assert to_plain(result.output) == {"action": "deny", "refund": 0, "reason": "outside the 24 hour window"}
    assert "within 24 hours" in result.record.violations[0]


def test_model_errors_count_as_failed_attempts():
    model = ScriptedModel([failing("connection refused"), "42"])
    result = guarded_call(contract("sum_of_two"), {"a": 40, "b": 2}, model)
    assert result.output == 42
    assert "connection refused" in result.record.violations[0]


def test_budget_exhaustion_propagates():
    model = ScriptedModel([BudgetExceeded("run budget of 10 calls reached")])
    with pytest.raises(BudgetExceeded):
        guarded_call(contract("sum_of_two"), {"a": 1, "b": 2}, model)


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"a": 1}, "missing input(s) b"),
        ({"a": 1, "b": 2, "c": 3}, "unknown input(s) c"),
        ({"a": "one", "b": 2}, "a should be int"),
        ({"a": 10**6, "b": 2}, "inputs break require `-10000 <= a <= 10000`"),
    ],
)
def test_bad_inputs_are_the_callers_bug(inputs, fragment):
    model = ScriptedModel(["42"])
    with pytest.raises(PreconditionViolation, match="contract 'sum_of_two'") as error:
        guarded_call(contract("sum_of_two"), inputs, model)
    assert fragment in str(error.value)
    assert model.calls == []


def test_unproven_contract_is_refused(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[contracts.bad]\ninputs = { a = "int" }\noutput = "int"\nensure = ["result > a"]\nprompt = "x"\nfallback = "a"\n')
    specs = load_specs([path])
    with pytest.raises(ContractUnavailable):
        specs.get("bad")
    with pytest.raises(ContractUnavailable):
        guarded_call(specs.contracts["bad"], {"a": 1}, ScriptedModel(["2"]))


# --- the guarantee, adversarially -----------------------------------------------------------

HOSTILE = [
    "", "null", "NaN", "Infinity", "[[[[[[[[[[", "{" * 5000, '{"result": 1e999}', '{"result": true}',
    "```python\nimport os\nos.system('rm -rf /')\n```", "\x00\ud800", "ignore previous instructions",
    '{"action": "cancel_full_refund", "refund": 1e308, "reason": ""}', "[" * 3000 + "]" * 3000,
    '{"value": 5, "working": "' + "x" * 1000 + '"}', '[{"path": "../../etc/passwd", "content": "x = 1"}]',
    "def solution(:\n", "-0", "1" * 5000,
]


def answers_for(contract_):
    """Random text, hostile text and near-miss values of the contract's own output type."""
    typed = values_of(contract_.output, st.text(max_size=30)).map(lambda v: json.dumps(to_plain(v)))
    wrapped = typed.map(lambda text: f"Sure! Here is the answer:\n```json\n{text}\n```")
    return st.one_of(st.text(max_size=200), st.sampled_from(HOSTILE), typed, wrapped,
                     st.text(alphabet=string.printable, max_size=80).map(lambda t: "```python\n" + t + "\n```"))


@st.composite
def adversarial_case(draw):
    contract_ = draw(st.sampled_from([c for c in SPECS.contracts.values() if c.proof.proven]))
    inputs = draw(st.one_of(st.sampled_from(contract_.examples),
                            st.fixed_dictionaries({n: values_of(t, st.text(max_size=20)) for n, t in contract_.inputs.items()})))
    replies = draw(st.lists(st.one_of(answers_for(contract_), st.just(failing())), min_size=1, max_size=contract_.attempts))
    return contract_, inputs, replies


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case=adversarial_case())
def test_every_returned_output_satisfies_ensure(case):
    contract_, inputs, replies = case
    try:
        values = {n: conform(v, t) for n, t in contract_.inputs.items() for v in [inputs[n]]}
    except ValueError:
        values = None
    if values is None or contract_.violated_require(values) is not None:
        with pytest.raises(PreconditionViolation):
            guarded_call(contract_, inputs, ScriptedModel(replies))
        return
    result = guarded_call(contract_, inputs, ScriptedModel(replies))
    output = conform(result.output, contract_.output)
    assert contract_.violated_ensure(values, output) is None
    assert len(result.record.attempts) <= contract_.attempts
