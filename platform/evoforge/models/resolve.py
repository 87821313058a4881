"""Turns a model name into a ready `ModelClient`, checking what can be checked before a call."""
from __future__ import annotations

from typing import Any, Callable

import litellm

from evoforge.models import embedded
from evoforge.models.base import ModelError
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.gateway import GatewayModel
from evoforge.models.settings import config_path, configured_models


def resolve_model(
    name: str | None = None,
    *,
    budget: Budget | None = None,
    on_usage: Callable[[UsageRecord], None] | None = None,
    **options: Any,
) -> GatewayModel:
    """A client for `name` (litellm style, e.g. `openai/gpt-4o-mini`); None is the embedded model.

    `options` are GatewayModel's keyword arguments (temperature, max_tokens, timeout_s,
    retries, api_base...). Raises `ModelError` for an unknown name or a missing key.
    """
    name = name or embedded.DEFAULT_MODEL
    embedded.register()
    settings = configured_models().get(name)
    api_base = options.pop("api_base", None)
    if settings is None or api_base:
        from evoforge.models.settings import ModelSettings

        settings = ModelSettings(api_base=api_base or (settings.api_base if settings else None),
                                 api_key_env=settings.api_key_env if settings else None)
    if name.startswith(f"{embedded.PROVIDER}/"):
        if name.split("/", 1)[1] not in embedded.EMBEDDED_MODELS:
            raise ModelError(f"unknown embedded model '{name}' (available: {', '.join(f'{embedded.PROVIDER}/{n}' for n in embedded.EMBEDDED_MODELS)})")
        embedded.weights_path()
    else:
        _check_provider(name)
        _check_key(name, settings.api_key() is not None or settings.api_base is not None)
    return GatewayModel(name, settings=settings, budget=budget, on_usage=on_usage, **options)


def _check_provider(name: str) -> None:
    try:
        litellm.get_llm_provider(name)
    except Exception:
        raise ModelError(
            f"unknown model '{name}': name it the litellm way, provider/model "
            f"(e.g. openai/gpt-4o-mini, ollama/llama3, hosted_vllm/NAME with an api_base), or use {embedded.DEFAULT_MODEL}"
        ) from None


def _check_key(name: str, has_own_credentials: bool) -> None:
    if has_own_credentials:
        return
    missing = litellm.validate_environment(model=name).get("missing_keys") or []
    if missing:
        raise ModelError(
            f"model '{name}' needs {', '.join(missing)} in the environment "
            f"(or an api_key_env entry for it in {config_path()})"
        )
