"""The one gateway to every model: litellm underneath, with budgets, accounting, timeouts,
retries with backoff on transient errors, a concurrency limit, and one-line errors."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

import litellm

from evoforge.models import embedded

# litellm prints help banners on errors; evoforge reports each error on one line instead.
litellm.suppress_debug_info = True
from evoforge.models.base import Completion, Message, ModelError
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.settings import ModelSettings

# Provider failures worth another try; anything else (bad key, unknown model...) fails at once.
TRANSIENT = (
    litellm.exceptions.APIConnectionError,
    litellm.exceptions.RateLimitError,
    litellm.exceptions.ServiceUnavailableError,
    litellm.exceptions.InternalServerError,
    litellm.exceptions.Timeout,
)


class GatewayModel:
    """A `ModelClient` for one litellm model name. Thread-safe."""

    def __init__(
        self,
        name: str,
        *,
        settings: ModelSettings | None = None,
        budget: Budget | None = None,
        on_usage: Callable[[UsageRecord], None] | None = None,
        temperature: float = 0.2,
        max_tokens: int = 256,
        seed: int | None = None,
        timeout_s: float = 120.0,
        retries: int = 2,
        backoff_s: float = 0.5,
        concurrency: int = 4,
    ):
        self.name = name
        self.settings = settings or ModelSettings()
        self.budget, self.on_usage = budget, on_usage
        self.sampling: dict[str, Any] = {"temperature": temperature, "max_tokens": max_tokens}
        if seed is not None:
            self.sampling["seed"] = seed
        self.timeout_s, self.retries, self.backoff_s = timeout_s, retries, backoff_s
        self._slots = threading.BoundedSemaphore(concurrency)
        self.is_embedded = name.startswith(f"{embedded.PROVIDER}/")

    def complete(self, messages: list[Message], *, contract: str | None = None) -> Completion:
        if self.budget is not None:
            self.budget.reserve()
        started = time.perf_counter()
        try:
            with self._slots:
                response = self._call_with_retries(messages)
        except ModelError as error:
            self._account(UsageRecord(self.name, contract, 0, 0, 0.0, time.perf_counter() - started, False, str(error)))
            raise
        latency = time.perf_counter() - started
        usage = response.usage
        cost = 0.0 if self.is_embedded else _cost(response)
        completion = Completion(
            text=response.choices[0].message.content or "", model=self.name,
            prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
            cost_usd=cost, latency_s=latency,
        )
        if self.budget is not None:
            self.budget.spend(usage.prompt_tokens + usage.completion_tokens, cost)
        self._account(UsageRecord(self.name, contract, usage.prompt_tokens, usage.completion_tokens, cost, latency, True))
        return completion

    def _call_with_retries(self, messages: list[Message]) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return litellm.completion(
                    model=self.name, messages=[{"role": m.role, "content": m.content} for m in messages],
                    timeout=self.timeout_s, num_retries=0, api_base=self.settings.api_base,
                    api_key=self.settings.api_key(), **self.sampling,
                )
            except TRANSIENT as error:
                if attempt == self.retries:
                    raise ModelError(self._describe(error)) from None
                time.sleep(self.backoff_s * 2**attempt)
            except ModelError:
                raise
            except Exception as error:  # litellm raises many types; each becomes one clear line
                raise ModelError(self._describe(error)) from None
        raise AssertionError("unreachable")

    def _describe(self, error: Exception) -> str:
        refused = isinstance(error, litellm.exceptions.APIConnectionError) or "connect" in str(error).lower()
        if refused and self.settings.api_base:
            return f"model '{self.name}' is unreachable at {self.settings.api_base}: check the URL and that the server runs"
        if isinstance(error, litellm.exceptions.AuthenticationError):
            return f"model '{self.name}' rejected the API key: check the key in your environment"
        if isinstance(error, litellm.exceptions.Timeout):
            return f"model '{self.name}' did not answer within {self.timeout_s:g} s"
        if isinstance(error, litellm.exceptions.NotFoundError):
            return f"model '{self.name}' was not found by its provider: check the model name"
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"model '{self.name}' failed: {first_line[:300]}"

    def _account(self, record: UsageRecord) -> None:
        if self.on_usage is not None:
            self.on_usage(record)


def _cost(response: Any) -> float:
    try:
        return float(litellm.completion_cost(completion_response=response))
    except Exception:  # no price known for this model (self-hosted, new...): count it as free
        return 0.0
