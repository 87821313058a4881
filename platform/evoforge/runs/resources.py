"""What every run is built from, whatever its kind: its budget (restored from what it already
spent), its sandbox, its model factory (through the gateway, with the run's model cache) and its
event log. Built in one place from the run's settings and the services handed to it, so a
resumed run gets the same, and every kind the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.archive import Archive
from evoforge.models.budget import Budget
from evoforge.runs.events import RunEvents, SandboxChosen
from evoforge.runs.services import ArchiveCompletions, GatewayModels, ModelFactory, RunServices
from evoforge.runs.settings import RunSettings
from evoforge.sandbox import Sandbox, get_sandbox
from evoforge.sandbox.slot import SlotSandbox


@dataclass
class RunResources:
    run_id: int
    services: RunServices
    budget: Budget
    sandbox: Sandbox
    models: ModelFactory
    events: RunEvents

    @classmethod
    def build(cls, run_id: int, settings: RunSettings, services: RunServices) -> RunResources:
        archive = services.archive
        run = archive.run(run_id)
        budget = Budget(settings.budget.max_cost_usd, settings.budget.max_tokens, settings.budget.max_calls)
        # A resumed run starts from what it already spent.
        budget.calls, budget.tokens, budget.cost_usd = run.model_calls, run.prompt_tokens + run.completion_tokens, run.cost_usd
        cache = (services.completions or ArchiveCompletions(archive, run_id)) if settings.model.cache else None
        models = services.models or GatewayModels(settings.model, settings.random_seed, budget, cache)
        sandbox = services.sandbox if services.sandbox is not None else get_sandbox(settings.sandbox.backend)
        if isinstance(sandbox, SlotSandbox):  # a stop kills the jobs in flight; resume makes them again
            services.stop.on_request(sandbox.stop_all)
        events = RunEvents(archive, run_id, services.observers)
        events.emit(SandboxChosen(sandbox.name, sandbox.describe()))
        return cls(run_id, services, budget, sandbox, models, events)


@dataclass
class RunContext:
    """What the graph's nodes of every kind receive: the run's resources, and (in the kind's
    subclass) what the kind builds from them."""

    resources: RunResources

    @property
    def run_id(self) -> int:
        return self.resources.run_id

    @property
    def archive(self) -> Archive:
        return self.resources.services.archive

    @property
    def services(self) -> RunServices:
        return self.resources.services

    @property
    def events(self) -> RunEvents:
        return self.resources.events

    @property
    def budget(self) -> Budget:
        return self.resources.budget
