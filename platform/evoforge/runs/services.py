"""The run-scoped services a run of any kind is built from: given, never patched.

The CLI, the UI, the tests and the benchmarks build a run by handing `RunServices` to the
lifecycle (runs/lifecycle.py); `RunResources` (runs/resources.py) fills in what they leave to
the run's settings, and the graph's nodes receive it all through LangGraph's run context.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from evoforge.archive import Archive
from evoforge.models.base import Completion, ModelClient
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.completion_cache import CompletionStore
from evoforge.runs.events import RunObserver
from evoforge.runs.settings import ModelSection
from evoforge.runs.stopping import StopSignal
from evoforge.sandbox import Sandbox


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


class GatewayModels:
    """The default model factory: the run's model through the gateway, with its budget, its
    answer cap and (unless turned off) the run's model cache."""

    def __init__(self, model: ModelSection, seed: int, budget: Budget, cache: CompletionStore | None):
        from evoforge.models.limits import answer_cap

        self.model, self.budget, self.cache = model, budget, cache
        cap = answer_cap(model.name, model.answer_tokens_cap)
        self.options = {"max_tokens_cap": cap, "temperature": model.temperature, "seed": seed}

    def __call__(self, on_usage: Callable[[UsageRecord], None]) -> ModelClient:
        from evoforge.models import resolve_model
        from evoforge.models.completion_cache import CachingModel

        model = resolve_model(self.model.name, budget=self.budget, on_usage=on_usage, **self.options)
        return model if self.cache is None else CachingModel(model, self.cache, model.options)
