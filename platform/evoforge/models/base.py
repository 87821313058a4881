"""What the kernel needs from a generative model, and the errors a model call can raise.

Every model the kernel uses (the litellm gateway, the embedded SmolLM2, test fixtures)
implements `ModelClient`. The FGGM guard depends only on this protocol.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from evoforge.errors import EvoforgeError


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Completion:
    """One model answer with its accounting."""

    text: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0


@dataclass(frozen=True)
class Sampling:
    """Per-call output settings (a contract's own); None leaves the client's setting."""

    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None  # a sampled call with a seed repeats its answer (and may be cached)


@runtime_checkable
class ModelClient(Protocol):
    """A chat model. `complete` returns the answer text or raises `ModelError`.

    `contract` names the contract on whose behalf the call is made, for accounting only;
    `sampling` overrides the client's output settings for this call (within the client's caps).
    Implementations must be safe to call from several threads at once.
    """

    name: str

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: Sampling | None = None) -> Completion: ...


class ModelError(EvoforgeError):
    """A model call failed (unreachable API, wrong model name, missing key, timeout...).

    The guard treats it as a failed attempt and, after its budget, returns the verified fallback.
    """


class BudgetExceeded(ModelError):
    """A run's budget (cost, tokens or calls) is spent; no new model call is made.

    Unlike other model errors, the guard lets this propagate so the loop can stop cleanly.
    """
