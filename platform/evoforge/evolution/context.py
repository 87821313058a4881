"""A run's context in the graph: its services, its worker context and what the driver alone
keeps (archive, selection, events, stop conditions). Built from the stored configuration, so a
resumed run gets the same one."""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.archive import Archive
from evoforge.errors import EvoforgeError
from evoforge.evolution.agents import agent_folder, read_agent
from evoforge.evolution.config import RunConfig
from evoforge.evolution.events import RunEvents, SandboxChosen
from evoforge.evolution.executor import Executor, make_executor
from evoforge.evolution.selection import SELECTORS, ParentSelector
from evoforge.evolution.services import ArchiveCompletions, GatewayModels, RunServices, sandbox_for
from evoforge.evolution.stopping import GenerationLimit, StopCondition
from evoforge.evolution.worker import WorkerContext
from evoforge.models.budget import Budget


@dataclass
class RunContext:
    run_id: int
    config: RunConfig
    services: RunServices
    worker: WorkerContext
    executor: Executor
    selector: ParentSelector
    events: RunEvents
    budget: Budget
    stop_conditions: list[StopCondition]

    @property
    def archive(self) -> Archive:
        return self.services.archive

    @classmethod
    def build(cls, run_id: int, config: RunConfig, services: RunServices) -> "RunContext":
        archive = services.archive
        run = archive.run(run_id)
        config.validate()  # a stored configuration too: a resumed run may meet another installation
        budget = Budget(config.max_cost_usd, config.max_tokens, config.max_calls)
        # A resumed run starts from what it already spent.
        budget.calls, budget.tokens, budget.cost_usd = run.model_calls, run.prompt_tokens + run.completion_tokens, run.cost_usd
        folder = None
        if config.agent_files:
            seed_files = archive.load_files(config.agent_files)
        else:  # a run stored before agents were kept with it
            folder = agent_folder(config.agent)
            seed_files = read_agent(folder)
        if folder is None:
            try:
                folder = agent_folder(config.agent)  # its own spec files, when it still exists
            except EvoforgeError:
                folder = None
        cache = ArchiveCompletions(archive, run_id) if config.model_cache else None
        models = services.models or GatewayModels(config, budget, cache)
        sandbox = sandbox_for(config, services)
        events = RunEvents(archive, run_id, services.observers)
        events.emit(SandboxChosen(sandbox.name, sandbox.describe()))
        worker = WorkerContext.build(config, seed_files, sandbox, models, folder)
        return cls(run_id, config, services, worker, make_executor(config, worker), SELECTORS[config.selector](),
                   events, budget, [services.stop, GenerationLimit(config.generations)])
