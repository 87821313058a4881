"""The model gateway against the real embedded SmolLM2 (no mocks of it), and its error cases."""
from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from evoforge.cli import main
from evoforge.contracts import guarded_call, load_specs
from evoforge.models import Budget, BudgetExceeded, Message, ModelError, resolve_model

SPECS = Path(__file__).resolve().parent.parent / "specs"
HELLO = [Message("user", "Say hello in one word.")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_plain_completion_on_the_embedded_model_is_accounted():
    usage = []
    model = resolve_model(None, max_tokens=12, on_usage=usage.append)
    assert model.name == "local/smollm2"
    completion = model.complete(HELLO, contract="greeting")
    assert completion.text.strip()
    assert completion.prompt_tokens > 0 and 0 < completion.completion_tokens <= 12
    assert completion.cost_usd == 0.0 and completion.latency_s > 0
    (record,) = usage
    assert record.ok and record.contract == "greeting" and record.model == "local/smollm2"
    assert record.prompt_tokens == completion.prompt_tokens


def test_guarded_call_through_a_spec_on_the_embedded_model():
    specs = load_specs([SPECS / "arithmetic.toml"])
    contract = specs.get("sum_of_two")
    result = guarded_call(contract, {"a": 17, "b": 25}, resolve_model(None, max_tokens=48))
    assert result.output == 42  # the model's answer or the verified fallback: both satisfy ensure
    assert 1 <= len(result.record.attempts) <= contract.attempts
    assert result.record.model == "local/smollm2"
    assert result.record.prompt_tokens > 0


def test_concurrent_calls_from_threads():
    usage, errors = [], []
    model = resolve_model(None, max_tokens=8, on_usage=usage.append)

    def call():
        try:
            model.complete(HELLO)
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(usage) == 4 and all(u.ok for u in usage)


@pytest.mark.parametrize(
    ("limits", "fragment"),
    [({"max_calls": 1}, "1 model call(s)"), ({"max_tokens": 1}, "1 token(s)"), ({"max_cost_usd": 0.0}, "$0.0000")],
)
def test_budget_exhaustion_stops_new_calls(limits, fragment):
    budget = Budget(**limits)
    model = resolve_model(None, max_tokens=8, budget=budget)
    if "max_cost_usd" not in limits:
        model.complete(HELLO)
    with pytest.raises(BudgetExceeded, match=fragment.replace("$", r"\$").replace("(", r"\(").replace(")", r"\)")):
        model.complete(HELLO)


def test_budget_is_shared_by_the_clients_of_a_run():
    budget = Budget(max_calls=2)
    first, second = resolve_model(None, max_tokens=4, budget=budget), resolve_model(None, max_tokens=4, budget=budget)
    first.complete(HELLO)
    second.complete(HELLO)
    with pytest.raises(BudgetExceeded):
        first.complete(HELLO)


def test_unknown_model_names_are_one_line_errors():
    with pytest.raises(ModelError, match="unknown model 'gpt4-turbo-nope'"):
        resolve_model("gpt4-turbo-nope")
    with pytest.raises(ModelError, match="unknown embedded model 'local/llama9'"):
        resolve_model("local/llama9")


def test_missing_key_is_reported_before_any_call(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelError, match="needs OPENAI_API_KEY"):
        resolve_model("openai/gpt-4o-mini")


def test_unreachable_api_base_is_a_clear_error_and_accounted(monkeypatch):
    secret = "sk-test-do-not-leak-123"
    monkeypatch.setenv("EVOFORGE_TEST_KEY", secret)
    usage = []
    base = f"http://127.0.0.1:{free_port()}/v1"
    model = resolve_model("hosted_vllm/tiny", api_base=base, retries=1, backoff_s=0.01, timeout_s=3, on_usage=usage.append)
    with pytest.raises(ModelError) as error:
        model.complete(HELLO)
    assert str(error.value) == f"model 'hosted_vllm/tiny' is unreachable at {base}: check the URL and that the server runs"
    assert len(usage) == 1 and not usage[0].ok and secret not in repr(usage[0])


def test_config_file_supplies_api_base_and_key_variable(tmp_path, monkeypatch):
    secret = "sk-config-secret-456"
    base = f"http://127.0.0.1:{free_port()}/v1"
    config = tmp_path / "models.toml"
    config.write_text(f'[models."openai/gpt-4o-mini"]\napi_base = "{base}"\napi_key_env = "MY_GATEWAY_KEY"\n')
    monkeypatch.setenv("EVOFORGE_MODELS_CONFIG", str(config))
    monkeypatch.setenv("MY_GATEWAY_KEY", secret)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    model = resolve_model("openai/gpt-4o-mini", retries=0, timeout_s=3)
    assert model.settings.api_base == base
    with pytest.raises(ModelError) as error:
        model.complete(HELLO)
    assert "unreachable" in str(error.value) and secret not in str(error.value)


def test_malformed_config_file_names_the_file(tmp_path, monkeypatch):
    config = tmp_path / "models.toml"
    config.write_text('[models."x/y"]\napi_key = "inline keys are not accepted"\n')
    monkeypatch.setenv("EVOFORGE_MODELS_CONFIG", str(config))
    with pytest.raises(ModelError, match=f"{config}: model 'x/y' has unknown setting"):
        resolve_model(None)


def test_models_and_generate_commands(capsys):
    assert main(["models"]) == 0
    assert "local/smollm2 (default)" in capsys.readouterr().out
    code = main(["generate", "--spec", str(SPECS / "arithmetic.toml"), "--contract", "sum_of_two",
                 "--input", "a=2", "--input", "b=3", "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["output"] == 5 and printed["record"]["contract"] == "sum_of_two"


def test_generate_command_reports_bad_input_in_one_line(capsys):
    code = main(["generate", "--spec", str(SPECS / "arithmetic.toml"), "--contract", "sum_of_two",
                 "--input", "a=99999999", "--input", "b=3"])
    assert code == 2
    err = capsys.readouterr().err
    assert "inputs break require" in err and "Traceback" not in err
