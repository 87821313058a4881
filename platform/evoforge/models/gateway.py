"""The one gateway to every model: litellm underneath, with budgets, accounting, timeouts,
retries with backoff on transient errors, a concurrency limit, and one-line errors."""
from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any, Callable

import litellm

from evoforge.models import failures
from evoforge.models.base import Completion, Message, ModelError, Sampling
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.embedded import is_embedded
from evoforge.models.null import is_null
from evoforge.models.options import CallOptions
from evoforge.models.settings import ModelSettings

litellm.suppress_debug_info = True  # litellm prints help banners on errors; ours are one line
log = logging.getLogger(__name__)


class GatewayModel:
    """A `ModelClient` for one litellm model name. Thread-safe.

    Promises: a call refused by the budget raises `BudgetExceeded` and reaches no provider;
    every other call counts once against the budget, waits for one of the model's concurrency
    permits, and reports exactly one `UsageRecord` to `on_usage`, whether it succeeds or raises
    `ModelError` (after `retries` further tries on transient provider errors).
    """

    def __init__(
        self,
        name: str,
        *,
        settings: ModelSettings | None = None,
        options: CallOptions | None = None,
        budget: Budget | None = None,
        on_usage: Callable[[UsageRecord], None] | None = None,
    ):
        self.name = name
        self.settings = settings or ModelSettings()
        self.options = options or CallOptions()
        self.budget, self.on_usage = budget, on_usage
        self._permits = _permits(name, self.settings.api_base, self.options.concurrency)

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: Sampling | None = None) -> Completion:
        if self.budget is not None:
            self.budget.reserve()
        with self._permits:
            started = time.perf_counter()  # latency is time with the provider, not time queued
            try:
                response = self._call_with_retries(messages, self.options.sampling(sampling))
            except ModelError as error:
                self._account(UsageRecord(self.name, contract, 0, 0, 0.0, time.perf_counter() - started, False, str(error)))
                raise
            latency = time.perf_counter() - started
        usage, cost = response.usage, self._cost(response)
        if self.budget is not None:
            self.budget.spend(usage.prompt_tokens + usage.completion_tokens, cost)
        self._account(UsageRecord(self.name, contract, usage.prompt_tokens, usage.completion_tokens, cost, latency, True))
        return Completion(
            text=response.choices[0].message.content or "", model=self.name,
            prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
            cost_usd=cost, latency_s=latency,
        )

    def _call_with_retries(self, messages: list[Message], sampling: dict[str, Any]) -> Any:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        attempt = 0
        while True:
            try:
                return litellm.completion(
                    model=self.name, messages=payload, timeout=self.options.timeout_s,
                    num_retries=0,  # retries are ours, so they follow our backoff and limits
                    drop_params=True,  # e.g. a seed for a provider that takes none
                    api_base=self.settings.api_base, api_key=self.settings.key(), **sampling,
                )
            except failures.TRANSIENT as error:
                if attempt >= self.options.retries:
                    raise self._error(error) from None
            except Exception as error:  # litellm raises many types; each becomes one clear line
                raise self._error(error) from None
            # Jitter, so that clients which failed together do not all retry together.
            time.sleep(self.options.backoff_s * 2**attempt * random.uniform(0.5, 1.0))
            attempt += 1

    def _error(self, error: Exception) -> ModelError:
        return ModelError(failures.describe(self.name, self.settings.api_base, self.options.timeout_s, error, self.settings.key()))

    def _cost(self, response: Any) -> float:
        if is_embedded(self.name) or is_null(self.name):
            return 0.0
        try:
            return float(litellm.completion_cost(completion_response=response) or 0.0)
        except Exception:  # no price known (self-hosted, very new model): say so once, count it free
            _warn_unpriced(self.name)
            return 0.0

    def _account(self, record: UsageRecord) -> None:
        if self.on_usage is not None:
            self.on_usage(record)


# One set of concurrency permits per (model, API base, limit), shared by every client with those
# settings, so a run that makes a new client per step still keeps the limit.
_tables_lock = threading.Lock()
_permit_table: dict[tuple[str, str | None, int], threading.BoundedSemaphore] = {}


def _permits(name: str, api_base: str | None, limit: int) -> threading.BoundedSemaphore:
    with _tables_lock:
        return _permit_table.setdefault((name, api_base, limit), threading.BoundedSemaphore(limit))


_unpriced: set[str] = set()


def _warn_unpriced(name: str) -> None:
    with _tables_lock:
        if name in _unpriced:
            return
        _unpriced.add(name)
    log.warning("model '%s' has no price in litellm's table: its calls are counted as costing $0", name)
