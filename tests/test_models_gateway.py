"""The gateway's hosted-provider path: retries, timeouts, concurrency, prices, keys and config.

Hosted providers cannot be reached from a test machine, so these tests run a small real HTTP
server that speaks the OpenAI chat-completions protocol on 127.0.0.1; litellm and the gateway
are exercised unchanged, over real sockets.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from pathlib import Path

import litellm
import pytest
from openai_server import Provider, answer

from evoforge.cli import main
from evoforge.models import Budget, BudgetExceeded, Message, ModelError, resolve_model
from evoforge.models.catalog import list_models

HELLO = [Message("user", "Say hello.")]
SECRET = "sk-test-secret-0123456789abcdef"


def failure(status: int, message: str = "try later") -> tuple[int, dict]:
    return status, {"error": {"message": message, "type": "server_error", "code": status}}


@pytest.fixture
def provider_factory():
    made: list[Provider] = []

    def make(*script: tuple[int, dict], hold_s: float = 0.0) -> Provider:
        made.append(Provider(*script, hold_s=hold_s))
        return made[-1]

    yield make
    for provider in made:
        provider.close()


@pytest.fixture
def config(tmp_path, monkeypatch):
    """Writes the models config file and points EVOFORGE_MODELS_CONFIG at it."""
    path = tmp_path / "models.toml"
    monkeypatch.setenv("EVOFORGE_MODELS_CONFIG", str(path))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    def write(text: str, mode: int = 0o600) -> Path:
        path.write_text(text)
        path.chmod(mode)
        return path

    return write


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_api_base_is_a_clear_error_and_accounted(monkeypatch):
    usage = []
    base = f"http://127.0.0.1:{free_port()}/v1"
    model = resolve_model("hosted_vllm/tiny", api_base=base, retries=1, backoff_s=0.01, timeout_s=3, on_usage=usage.append)
    with pytest.raises(ModelError) as error:
        model.complete(HELLO)
    assert str(error.value) == f"model 'hosted_vllm/tiny' is unreachable at {base}: check the URL and that the server runs"
    assert len(usage) == 1 and not usage[0].ok and usage[0].error == str(error.value)


def test_transient_errors_are_retried_then_succeed(provider_factory):
    provider = provider_factory(failure(503), failure(500), answer(10, 5))
    usage = []
    model = resolve_model("hosted_vllm/tiny", api_base=provider.base, retries=2, backoff_s=0.01, on_usage=usage.append)
    assert model.complete(HELLO).text == "hello"
    assert len(provider.requests) == 3
    assert len(usage) == 1 and usage[0].ok and (usage[0].prompt_tokens, usage[0].completion_tokens) == (10, 5)


def test_retries_stop_after_their_limit(provider_factory):
    provider = provider_factory(failure(503, "overloaded"))
    usage = []
    model = resolve_model("hosted_vllm/tiny", api_base=provider.base, retries=2, backoff_s=0.01, on_usage=usage.append)
    with pytest.raises(ModelError, match="^model 'hosted_vllm/tiny' failed: .*overloaded"):
        model.complete(HELLO)
    assert len(provider.requests) == 3 and len(usage) == 1 and not usage[0].ok


@pytest.mark.parametrize(("status", "fragment"), [(400, "rejected the request"), (401, "refused the credentials"),
                                                  (404, "was not found by its provider")])
def test_permanent_errors_are_not_retried(provider_factory, status, fragment):
    provider = provider_factory(failure(status, "no such thing"))
    model = resolve_model("hosted_vllm/tiny", api_base=provider.base, retries=3, backoff_s=0.01)
    with pytest.raises(ModelError, match=f"^model 'hosted_vllm/tiny' {fragment}"):
        model.complete(HELLO)
    assert len(provider.requests) == 1


def test_a_slow_provider_times_out(provider_factory):
    provider = provider_factory(answer(), hold_s=3)
    model = resolve_model("hosted_vllm/tiny", api_base=provider.base, timeout_s=0.3, retries=0)
    with pytest.raises(ModelError, match=r"^model 'hosted_vllm/tiny' did not answer within 0.3 s"):
        model.complete(HELLO)


def test_concurrency_limit_holds_across_clients_of_one_model(provider_factory):
    def most_in_flight(concurrency: int) -> int:
        provider = provider_factory(answer(), hold_s=0.3)
        clients = [resolve_model("hosted_vllm/tiny", api_base=provider.base, concurrency=concurrency) for _ in range(2)]
        threads = [threading.Thread(target=clients[i % 2].complete, args=(HELLO,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(provider.requests) == 6
        return provider.most_in_flight

    assert most_in_flight(2) <= 2
    assert most_in_flight(6) > 2  # the same load without the limit does overlap


def test_cost_comes_from_litellms_price_table_and_feeds_the_cost_budget(provider_factory, config):
    provider = provider_factory(answer(1000, 500))
    config(f'[models."openai/gpt-4o-mini"]\napi_base = "{provider.base}"\napi_key = "{SECRET}"\n')
    price = litellm.model_cost["gpt-4o-mini"]
    expected = 1000 * price["input_cost_per_token"] + 500 * price["output_cost_per_token"]
    usage = []
    budget = Budget(max_cost_usd=expected * 1.5)
    model = resolve_model("openai/gpt-4o-mini", budget=budget, on_usage=usage.append)
    assert model.complete(HELLO, contract="c").cost_usd == pytest.approx(expected)
    model.complete(HELLO)  # spent 1.0x of the limit: this one may still start
    with pytest.raises(BudgetExceeded, match="max_cost_usd="):
        model.complete(HELLO)
    assert len(provider.requests) == 2 and budget.cost_usd == pytest.approx(2 * expected)
    assert [u.cost_usd for u in usage] == pytest.approx([expected, expected])


def test_a_key_from_the_config_file_is_sent_but_never_recorded_logged_or_shown(provider_factory, config, caplog, capsys):
    provider = provider_factory(answer(), failure(401, f"invalid key {SECRET}"))
    config(f'[models."openai/*"]\napi_base = "{provider.base}"\napi_key = "{SECRET}"\n')
    usage = []
    model = resolve_model("openai/gpt-4o-mini", on_usage=usage.append)
    with caplog.at_level(logging.DEBUG):
        model.complete(HELLO)
        with pytest.raises(ModelError) as error:
            model.complete(HELLO)
    assert provider.requests[0]["headers"]["authorization"] == f"Bearer {SECRET}"
    assert "***" in str(error.value) and SECRET not in str(error.value)
    assert SECRET not in repr(usage) and SECRET not in repr(model.settings) and SECRET not in caplog.text
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "openai/*" in out and "key in the config file" in out and SECRET not in out


def test_a_key_variable_named_in_the_config_file(provider_factory, config, monkeypatch):
    provider = provider_factory(answer())
    config(f'[models."hosted_vllm/qwen"]\napi_base = "{provider.base}"\napi_key_env = "MY_GATEWAY_KEY"\n')
    with pytest.raises(ModelError, match=r"takes its key from \$MY_GATEWAY_KEY .* which is not set"):
        resolve_model("hosted_vllm/qwen")
    monkeypatch.setenv("MY_GATEWAY_KEY", SECRET)
    resolve_model("hosted_vllm/qwen").complete(HELLO)
    assert provider.requests[0]["headers"]["authorization"] == f"Bearer {SECRET}"
    assert [e.ready for e in list_models() if e.name == "hosted_vllm/qwen"] == [True]


def test_a_key_in_a_config_file_others_can_read_is_refused(config):
    path = config(f'[models."openai/*"]\napi_key = "{SECRET}"\n', mode=0o644)
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    with pytest.raises(ModelError, match=f"^{path} holds an API key but other users can read it: run `chmod 600"):
        resolve_model("openai/gpt-4o-mini")


def test_config_file_errors_name_the_file(config, monkeypatch):
    path = config('[models."x/y"]\ntoken = "not a setting"\n')
    with pytest.raises(ModelError, match=f"^{path}: model 'x/y' has unknown setting\\(s\\) token"):
        resolve_model("openai/gpt-4o-mini")
    config("[models\n")
    with pytest.raises(ModelError, match=f"^cannot read the model config {path}"):
        resolve_model("openai/gpt-4o-mini")
    monkeypatch.setenv("EVOFORGE_MODELS_CONFIG", str(path.parent / "missing.toml"))
    with pytest.raises(ModelError, match="EVOFORGE_MODELS_CONFIG names .*missing.toml, which does not exist"):
        resolve_model("openai/gpt-4o-mini")
