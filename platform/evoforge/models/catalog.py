"""What `evoforge models` lists: the embedded models, the config file's entries, and the
hosted providers whose keys the environment holds."""
from __future__ import annotations

from dataclasses import dataclass

import litellm

from evoforge.models import embedded, null
from evoforge.models.base import ModelError
from evoforge.models.settings import configured_models

# Providers worth probing for keys in the environment; any other litellm provider still works by name.
COMMON_PROVIDERS = ("openai", "anthropic", "gemini", "mistral", "groq", "deepseek", "openrouter", "together_ai", "xai")


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str  # "embedded" | "configured" | "environment"
    details: str
    ready: bool  # whether a call can be made now (weights present, key found); never shows a key


def list_models() -> list[ModelEntry]:
    return [*_embedded(), _null(), *_configured(), *_environment()]


def _embedded() -> list[ModelEntry]:
    try:
        where, ready = f"weights {embedded.weights_path()}", True
    except ModelError as error:
        where, ready = str(error), False
    return [
        ModelEntry(f"{embedded.PROVIDER}/{short}", "embedded",
                   f"{about}; offline; {embedded.threads()} thread(s); {where}", ready)
        for short, about in embedded.EMBEDDED_MODELS.items()
    ]


def _null() -> ModelEntry:
    return ModelEntry(null.NULL_MODEL, "ablation", "never answers: every guarded call returns its verified fallback", True)


def _configured() -> list[ModelEntry]:
    entries = []
    for name, settings in configured_models().items():
        has_key = settings.key() is not None
        ready = has_key or (not settings.api_key_env and (bool(settings.api_base) or _env_has_key(name)))
        details = f"api_base {settings.api_base or 'provider default'}; {settings.key_source()}"
        entries.append(ModelEntry(name, "configured", details, ready))
    return entries


def _environment() -> list[ModelEntry]:
    return [ModelEntry(f"{p}/*", "environment", "key found in the environment", True)
            for p in COMMON_PROVIDERS if _env_has_key(f"{p}/any")]


def _env_has_key(name: str) -> bool:
    return bool(litellm.validate_environment(model=name).get("keys_in_environment"))
