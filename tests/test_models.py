"""The model gateway against the real embedded SmolLM2 (no mocks of it)."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import litellm
import pytest

from evoforge.cli import main
from evoforge.contracts import guarded_call, load_specs
from evoforge.models import Budget, BudgetExceeded, Message, ModelError, resolve_model
from evoforge.models.embedded import ENGINE

SPECS = Path(__file__).resolve().parent.parent / "specs"
HELLO = [Message("user", "Say hello in one word.")]


def test_plain_completion_on_the_embedded_model_is_accounted():
    usage = []
    model = resolve_model(None, max_tokens=12, on_usage=usage.append)
    assert model.name == "local/smollm2"
    completion = model.complete(HELLO, contract="greeting")
    assert completion.text.strip()
    assert completion.prompt_tokens > 0 and 0 < completion.completion_tokens <= 12
    assert completion.cost_usd == 0.0 and completion.latency_s > 0
    (record,) = usage
    assert record.ok and record.error is None and record.contract == "greeting" and record.model == "local/smollm2"
    assert (record.prompt_tokens, record.completion_tokens, record.latency_s) == (
        completion.prompt_tokens, completion.completion_tokens, completion.latency_s)


def test_the_embedded_model_is_a_litellm_provider_like_any_other():
    resolve_model(None)  # registers the provider
    response = litellm.completion(model="local/smollm2", messages=[{"role": "user", "content": "Hi"}], max_tokens=5)
    assert response.choices[0].message.content.strip()
    assert 0 < response.usage.completion_tokens <= 5


def test_seed_and_temperature_reach_the_model():
    def answer(seed: int) -> str:
        model = resolve_model(None, max_tokens=24, temperature=1.5, seed=seed)
        return model.complete([Message("user", "Invent a name for a cat.")]).text

    assert answer(11) == answer(11)
    assert len({answer(s) for s in (1, 2, 3, 4)}) > 1  # a hot temperature with different seeds varies


def test_guarded_call_through_a_spec_on_the_embedded_model():
    specs = load_specs([SPECS / "arithmetic.toml"])
    contract = specs.get("sum_of_two")
    usage = []
    result = guarded_call(contract, {"a": 17, "b": 25}, resolve_model(None, max_tokens=48, on_usage=usage.append))
    assert result.output == 42  # the model's answer or the verified fallback: both satisfy ensure
    assert 1 <= len(result.record.attempts) <= contract.attempts
    assert result.record.model == "local/smollm2"
    assert len(usage) == len(result.record.attempts) and all(u.contract == "sum_of_two" for u in usage)
    assert result.record.prompt_tokens == sum(u.prompt_tokens for u in usage)


def test_concurrent_calls_from_threads_share_one_engine_and_one_budget():
    usage, errors, texts = [], [], []
    budget = Budget(max_calls=10)
    clients = [resolve_model(None, max_tokens=8, budget=budget, on_usage=usage.append) for _ in range(2)]

    def call(index: int):
        try:
            texts.append(clients[index % 2].complete(HELLO).text)
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(texts) == 6 and all(t.strip() for t in texts)
    assert len(usage) == 6 and all(u.ok for u in usage)
    assert budget.calls == 6 and budget.tokens == sum(u.prompt_tokens + u.completion_tokens for u in usage)


@pytest.mark.parametrize(
    ("limits", "message"),
    [({"max_calls": 1}, "max_calls=1 (1 made)"), ({"max_tokens": 1}, "max_tokens=1 ("), ({"max_cost_usd": 0.0}, "max_cost_usd=0 ($0.000000 spent)")],
)
def test_budget_exhaustion_stops_new_calls_before_the_model(limits, message):
    usage = []
    budget = Budget(**limits)
    model = resolve_model(None, max_tokens=8, budget=budget, on_usage=usage.append)
    if "max_cost_usd" not in limits:
        model.complete(HELLO)
    busy_before = ENGINE.busy_s
    with pytest.raises(BudgetExceeded) as refused:
        model.complete(HELLO)
    assert str(refused.value).startswith(f"model budget reached: {message}")
    assert ENGINE.busy_s == busy_before  # the refused call never reached the model...
    assert all(u.ok for u in usage)  # ...and left no usage record


def test_budget_is_shared_by_the_clients_of_a_run():
    budget = Budget(max_calls=2)
    first, second = resolve_model(None, max_tokens=4, budget=budget), resolve_model(None, max_tokens=4, budget=budget)
    first.complete(HELLO)
    second.complete(HELLO)
    with pytest.raises(BudgetExceeded, match="max_calls=2"):
        first.complete(HELLO)


def test_a_timeout_is_a_one_line_error_and_the_engine_stays_usable():
    usage = []
    model = resolve_model(None, max_tokens=200, timeout_s=0.001, retries=0, on_usage=usage.append)
    with pytest.raises(ModelError, match=r"^model 'local/smollm2' did not answer within 0.001 s"):
        model.complete([Message("user", "Count from 1 to 100.")])
    assert len(usage) == 1 and not usage[0].ok and "did not answer" in usage[0].error
    assert resolve_model(None, max_tokens=4).complete(HELLO).text.strip()


def test_a_prompt_past_the_context_window_is_rejected_without_retries():
    usage = []
    model = resolve_model(None, max_tokens=4, retries=3, backoff_s=30, on_usage=usage.append)
    with pytest.raises(ModelError, match=r"^model 'local/smollm2' rejected the request: .*exceed context window"):
        model.complete([Message("user", "word " * 3000)])  # backoff_s=30: a retry would hang the test
    assert len(usage) == 1 and not usage[0].ok


def test_unknown_model_names_and_options_are_one_line_errors():
    with pytest.raises(ModelError, match="^unknown model 'gpt4-turbo-nope': name it the litellm way"):
        resolve_model("gpt4-turbo-nope")
    with pytest.raises(ModelError, match=r"^unknown embedded model 'local/llama9' \(available: local/smollm2\)"):
        resolve_model("local/llama9")
    with pytest.raises(ModelError, match="unknown option.* temprature"):
        resolve_model(None, temprature=0.5)
    with pytest.raises(ModelError, match="keys come from the environment or the models config file"):
        resolve_model(None, api_key="sk-inline")
    with pytest.raises(ModelError, match="max_tokens must be a whole number >= 1"):
        resolve_model(None, max_tokens=0)
    with pytest.raises(ModelError, match="takes no api_base"):
        resolve_model("local/smollm2", api_base="http://127.0.0.1:1/v1")


def test_missing_key_is_reported_before_any_call(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelError, match=r"^model 'openai/gpt-4o-mini' needs credentials: set OPENAI_API_KEY"):
        resolve_model("openai/gpt-4o-mini")


def test_models_and_generate_commands(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "local/smollm2 (default)" in out and "SmolLM2-135M-Instruct" in out
    code = main(["generate", "--spec", str(SPECS / "arithmetic.toml"), "--contract", "sum_of_two",
                 "--input", "a=2", "--input", "b=3", "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["output"] == 5 and printed["record"]["contract"] == "sum_of_two"
    assert printed["record"]["model"] == "local/smollm2"


def test_generate_command_reports_a_bad_model_in_one_line(capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    code = main(["generate", "--spec", str(SPECS / "arithmetic.toml"), "--contract", "sum_of_two",
                 "--input", "a=2", "--input", "b=3", "--model", "openai/gpt-4o-mini"])
    assert code == 2
    err = capsys.readouterr().err
    assert "needs credentials" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_generate_command_reports_bad_input_in_one_line(capsys):
    code = main(["generate", "--spec", str(SPECS / "arithmetic.toml"), "--contract", "sum_of_two",
                 "--input", "a=99999999", "--input", "b=3"])
    assert code == 2
    err = capsys.readouterr().err
    assert "inputs break require" in err and "Traceback" not in err
