"""The in-process models as litellm custom providers: `local/smollm2` (the embedded engine) and
`null/fallback` (the null model) go through `litellm.completion` exactly like a hosted model,
errors and usage included."""
from __future__ import annotations

import threading
from typing import Any

import litellm
from litellm import CustomLLM
from litellm.llms.custom_llm import CustomLLMError
from litellm.types.utils import ModelResponse

from evoforge.models import embedded, null
from evoforge.models.base import ModelError
from evoforge.models.options import CallOptions

DEFAULTS = CallOptions()


class EmbeddedProvider(CustomLLM):
    """Answers `local/<name>`. Failures are `CustomLLMError`s whose status litellm maps to its
    usual exception types (400 bad request, 404 unknown model, 408 timeout)."""

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        try:
            embedded.check_name(model)
        except ModelError as error:
            raise CustomLLMError(404, str(error)) from None
        params = kwargs.get("optional_params") or {}
        sampling = embedded.Sampling(
            max_tokens=int(params.get("max_tokens") or DEFAULTS.max_tokens),
            temperature=float(params.get("temperature", DEFAULTS.temperature)),
            seed=params.get("seed"),
        )
        try:
            answer = embedded.ENGINE.chat([{"role": m["role"], "content": m["content"]} for m in messages],
                                          sampling, _seconds(kwargs.get("timeout")))
        except embedded.EngineError as error:
            raise CustomLLMError(error.status, str(error)) from None
        choice, usage = answer["choices"][0], answer["usage"]
        return ModelResponse(
            model=f"{embedded.PROVIDER}/{model.split('/', 1)[-1]}",
            choices=[{"index": 0, "finish_reason": choice.get("finish_reason") or "stop",
                      "message": {"role": "assistant", "content": choice["message"]["content"] or ""}}],
            usage={k: usage[k] for k in ("prompt_tokens", "completion_tokens", "total_tokens")},
        )


class NullProvider(CustomLLM):
    """Refuses every `null/...` request (a 400, which is not retried): each attempt of a guarded
    call fails, so the guard returns the contract's fallback, whatever the output type."""

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        raise CustomLLMError(400, "the null model never answers")


def _seconds(timeout: Any) -> float:
    """litellm hands over a float, an httpx.Timeout, or nothing."""
    if isinstance(timeout, (int, float)):
        return float(timeout)
    return float(getattr(timeout, "read", None) or DEFAULTS.timeout_s)


_registering = threading.Lock()


def register() -> None:
    """Make `local/...` and `null/...` models known to litellm (idempotent, thread-safe)."""
    with _registering:
        known = {entry.get("provider") for entry in litellm.custom_provider_map}
        handlers = {embedded.PROVIDER: EmbeddedProvider, null.PROVIDER: NullProvider}
        litellm.custom_provider_map = [*litellm.custom_provider_map,
                                       *({"provider": name, "custom_handler": handler()}
                                         for name, handler in handlers.items() if name not in known)]
