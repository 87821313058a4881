"""A client's call options: sampling, timeout, retries, concurrency, checked once up front."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from evoforge.models.base import ModelError, Sampling


@dataclass(frozen=True)
class CallOptions:
    temperature: float = 0.2
    max_tokens: int = 256  # modest: the embedded model on two cores stays quick
    max_tokens_cap: int | None = None  # no call gets more, whatever its contract asks (a run on a small model)
    seed: int | None = None
    timeout_s: float = 120.0  # per attempt
    retries: int = 2  # further attempts after a transient provider error
    backoff_s: float = 0.5  # first retry's wait; doubles each time
    concurrency: int = 4  # calls in flight at once per model (see gateway.py)

    @classmethod
    def parse(cls, model: str, options: dict[str, Any]) -> CallOptions:
        """Options from keyword arguments, or a one-line `ModelError` naming the bad one."""
        allowed = [f.name for f in fields(cls)]
        unknown = sorted(set(options) - set(allowed))
        if unknown:
            hint = "; keys come from the environment or the models config file" if "api_key" in unknown else ""
            raise ModelError(f"model '{model}': unknown option(s) {', '.join(unknown)} (allowed: api_base, {', '.join(allowed)}){hint}")
        made = cls(**options)
        problem = made._problem()
        if problem:
            raise ModelError(f"model '{model}': {problem}")
        return made

    def sampling(self, override: Sampling | None = None) -> dict[str, Any]:
        """The arguments litellm passes on to the provider: ours, a call's `override` on top,
        max_tokens within the cap."""
        chosen = {k: v for k, v in asdict(self).items() if k in ("temperature", "max_tokens", "seed")}
        if override is not None:
            chosen.update({k: v for k, v in asdict(override).items() if v is not None})
        if self.max_tokens_cap is not None:
            chosen["max_tokens"] = min(chosen["max_tokens"], self.max_tokens_cap)
        return {k: v for k, v in chosen.items() if v is not None}

    def _problem(self) -> str | None:
        checks = [
            (_number(self.temperature) and 0 <= self.temperature <= 2, "temperature must be between 0 and 2"),
            (_integer(self.max_tokens) and self.max_tokens >= 1, "max_tokens must be a whole number >= 1"),
            (self.max_tokens_cap is None or (_integer(self.max_tokens_cap) and self.max_tokens_cap >= 1), "max_tokens_cap must be a whole number >= 1"),
            (self.seed is None or _integer(self.seed), "seed must be a whole number"),
            (_number(self.timeout_s) and self.timeout_s > 0, "timeout_s must be > 0"),
            (_integer(self.retries) and self.retries >= 0, "retries must be a whole number >= 0"),
            (_number(self.backoff_s) and self.backoff_s >= 0, "backoff_s must be >= 0"),
            (_integer(self.concurrency) and self.concurrency >= 1, "concurrency must be a whole number >= 1"),
        ]
        return next((message for ok, message in checks if not ok), None)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
