"""Per-call usage records and a run's budget (cost, tokens, calls), shared by all its clients."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from evoforge.models.base import BudgetExceeded


@dataclass(frozen=True)
class UsageRecord:
    """One model call, for accounting. Never holds keys or prompt text."""

    model: str
    contract: str | None
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    latency_s: float
    ok: bool
    error: str | None = None


class Budget:
    """Limits on a run's model use; None means unlimited. Thread-safe.

    `reserve` runs before each call and refuses it once any limit is reached; a call it lets
    through counts as made even if the provider then fails. `spend` adds what a call used.
    Calls already in flight finish, so tokens and cost can end a little past their limits.
    """

    def __init__(self, max_cost_usd: float | None = None, max_tokens: int | None = None, max_calls: int | None = None):
        self.max_cost_usd, self.max_tokens, self.max_calls = max_cost_usd, max_tokens, max_calls
        self.cost_usd, self.tokens, self.calls = 0.0, 0, 0
        self._lock = threading.Lock()

    def reserve(self) -> None:
        with self._lock:
            if self.max_calls is not None and self.calls >= self.max_calls:
                raise BudgetExceeded(f"model budget reached: max_calls={self.max_calls} ({self.calls} made); raise max_calls to go on")
            if self.max_tokens is not None and self.tokens >= self.max_tokens:
                raise BudgetExceeded(f"model budget reached: max_tokens={self.max_tokens} ({self.tokens} used); raise max_tokens to go on")
            if self.max_cost_usd is not None and self.cost_usd >= self.max_cost_usd:
                raise BudgetExceeded(f"model budget reached: max_cost_usd={self.max_cost_usd:g} (${self.cost_usd:.6f} spent); "
                                     "raise max_cost_usd to go on")
            self.calls += 1

    def spend(self, tokens: int, cost_usd: float) -> None:
        with self._lock:
            self.tokens += tokens
            self.cost_usd += cost_usd
