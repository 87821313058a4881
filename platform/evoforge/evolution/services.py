"""The run-scoped services a run is built from: given, never patched.

The CLI, the UI, the tests, the Ray executor and SEVerA synthesis build a run by handing
`RunServices` to the runner; the graph's nodes receive them through LangGraph's run context.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from evoforge.archive import Archive
from evoforge.evolution.config import RunConfig
from evoforge.evolution.events import RunObserver
from evoforge.evolution.stopping import StopSignal
from evoforge.models.base import Completion, ModelClient
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.completion_cache import CompletionStore
from evoforge.sandbox import Sandbox, get_sandbox


class ModelFactory(Protocol):
    def __call__(self, on_usage: Callable[[UsageRecord], None]) -> ModelClient:
        """A client for the run's model whose calls land in `on_usage` and count against the run's budget."""
        ...


@dataclass
class RunServices:
    archive: Archive
    sandbox: Sandbox | None = None  # None: the run's configured backend
    models: ModelFactory | None = None  # None: the run's model through the gateway (and its cache)
    observers: list[RunObserver] = field(default_factory=list)
    stop: StopSignal = field(default_factory=StopSignal)
    # None: the run's model cache lives in its archive. A store shared by several runs (a
    # benchmark's arms of one seed) answers a request any of them made before.
    completions: CompletionStore | None = None


class ArchiveCompletions:
    """The model cache of one run, kept in its archive."""

    def __init__(self, archive: Archive, run_id: int):
        self.archive, self.run_id = archive, run_id

    def get(self, key: str) -> Completion | None:
        row = self.archive.cached_completion(self.run_id, key)
        return None if row is None else Completion(row.text, row.model, row.prompt_tokens, row.completion_tokens)

    def put(self, key: str, completion: Completion) -> None:
        self.archive.cache_completion(self.run_id, key, completion.text, completion.model,
                                      completion.prompt_tokens, completion.completion_tokens)


class ModelSettings(Protocol):
    """What a run's configuration says about its model (a RunConfig, a SynthesisConfig)."""

    model: str | None
    answer_tokens_cap: int | None
    temperature: float
    random_seed: int


class GatewayModels:
    """The default model factory: the run's model through the gateway, with its budget, its
    answer cap and (unless turned off) the run's model cache."""

    def __init__(self, config: ModelSettings, budget: Budget, cache: ArchiveCompletions | None):
        from evoforge.models.limits import answer_cap

        self.config, self.budget, self.cache = config, budget, cache
        cap = answer_cap(config.model, config.answer_tokens_cap)
        self.options = {"max_tokens_cap": cap, "temperature": config.temperature, "seed": config.random_seed}

    def __call__(self, on_usage: Callable[[UsageRecord], None]) -> ModelClient:
        from evoforge.models import resolve_model
        from evoforge.models.completion_cache import CachingModel

        model = resolve_model(self.config.model, budget=self.budget, on_usage=on_usage, **self.options)
        return model if self.cache is None else CachingModel(model, self.cache, model.options)


def sandbox_for(config: RunConfig, services: RunServices) -> Sandbox:
    return services.sandbox if services.sandbox is not None else get_sandbox(config.sandbox)
