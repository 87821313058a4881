"""Turns a model name into a ready `ModelClient`, checking what can be checked before a call."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import litellm

from evoforge.models import embedded, null, provider
from evoforge.models.base import ModelError
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.gateway import GatewayModel
from evoforge.models.options import CallOptions
from evoforge.models.settings import ModelSettings, config_path, settings_for


def resolve_model(
    name: str | None = None,
    *,
    budget: Budget | None = None,
    on_usage: Callable[[UsageRecord], None] | None = None,
    **options: Any,
) -> GatewayModel:
    """A client for `name`, named the litellm way (`openai/gpt-4o-mini`, `ollama/llama3`,
    `hosted_vllm/NAME` with an api_base); None means the embedded `local/smollm2`;
    `null/fallback` never answers (the null-model ablation: every guarded call falls back).

    `options`: `api_base` (overrides the config file) and any `CallOptions` field (temperature,
    max_tokens, seed, timeout_s, retries, backoff_s, concurrency). Raises a one-line
    `ModelError` for an unknown name or option, missing weights or a missing key; nothing is
    sent to any provider here.
    """
    name = (name or embedded.DEFAULT_MODEL).strip()
    api_base = options.pop("api_base", None)
    call_options = CallOptions.parse(name, options)
    if embedded.is_embedded(name):
        if api_base:
            raise ModelError(f"model '{name}' runs in this process and takes no api_base")
        embedded.check_name(name)
        embedded.weights_path()
        provider.register()
        settings = ModelSettings()
    elif null.is_null(name):
        if name != null.NULL_MODEL:
            raise ModelError(f"unknown null model '{name}' (the null model is {null.NULL_MODEL})")
        provider.register()
        settings = ModelSettings()
    else:
        _check_provider(name)
        settings = settings_for(name)
        if api_base:
            settings = replace(settings, api_base=api_base)
        _check_key(name, settings)
    return GatewayModel(name, settings=settings, options=call_options, budget=budget, on_usage=on_usage)


def _check_provider(name: str) -> None:
    try:
        litellm.get_llm_provider(name)
    except Exception:
        raise ModelError(
            f"unknown model '{name}': name it the litellm way, provider/model "
            f"(e.g. openai/gpt-4o-mini, ollama/llama3, hosted_vllm/NAME with an api_base), or use {embedded.DEFAULT_MODEL}"
        ) from None


def _check_key(name: str, settings: ModelSettings) -> None:
    """Refuse a model whose provider needs a key that is nowhere to be found."""
    if settings.key() is not None:
        return
    if settings.api_key_env:
        raise ModelError(f"model '{name}' takes its key from ${settings.api_key_env} (see {config_path()}), which is not set")
    if settings.api_base:
        return  # a self-hosted server at a named address often needs no key
    # *_API_BASE variables have provider defaults (ollama: localhost:11434), so they are not required.
    missing = [k for k in litellm.validate_environment(model=name).get("missing_keys") or [] if not k.endswith("_API_BASE")]
    if missing:
        raise ModelError(
            f"model '{name}' needs credentials: set {', '.join(missing)} in the environment "
            f"(litellm's names), or give it an api_key_env or api_key entry in {config_path()}"
        )
