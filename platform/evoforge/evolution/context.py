"""A run's context in the graph: its services, its worker context and what the driver alone
keeps (archive, selection, events, stop conditions). Built from the stored configuration, so a
resumed run gets the same one."""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.archive import Archive
from evoforge.evolution.agents import agent_folder, agent_folder_if_present, read_agent
from evoforge.evolution.config import RunConfig
from evoforge.evolution.events import RunEvents, SandboxChosen
from evoforge.evolution.executor import Executor, RunHandle, make_executor
from evoforge.evolution.selection import SELECTORS, ParentSelector
from evoforge.evolution.services import ArchiveCompletions, GatewayModels, RunServices, sandbox_for
from evoforge.evolution.stopping import GenerationLimit, StopCondition
from evoforge.evolution.worker import WorkerContext
from evoforge.models.budget import Budget
from evoforge.sandbox.slot import SlotSandbox


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
    def build(cls, run_id: int, config: RunConfig, services: RunServices) -> RunContext:
        archive = services.archive
        run = archive.run(run_id)
        config.validate()  # a stored configuration too: a resumed run may meet another installation
        budget = Budget(config.max_cost_usd, config.max_tokens, config.max_calls)
        # A resumed run starts from what it already spent.
        budget.calls, budget.tokens, budget.cost_usd = run.model_calls, run.prompt_tokens + run.completion_tokens, run.cost_usd
        folder = agent_folder_if_present(config.agent)  # for the agent's own spec files
        if config.agent_files:
            seed_files = archive.load_files(config.agent_files)
        else:  # a run stored before agents were kept with it
            seed_files = read_agent(agent_folder(config.agent))
        cache = (services.completions or ArchiveCompletions(archive, run_id)) if config.model_cache else None
        models = services.models or GatewayModels(config, budget, cache)
        sandbox = sandbox_for(config, services)
        if isinstance(sandbox, SlotSandbox):  # a stop kills the jobs in flight; resume makes them again
            services.stop.on_request(sandbox.stop_all)
        events = RunEvents(archive, run_id, services.observers)
        events.emit(SandboxChosen(sandbox.name, sandbox.describe()))
        worker = WorkerContext.build(config, seed_files, sandbox, models, folder)
        executor = make_executor(config, worker, RunHandle(run_id, archive, budget, services.stop))
        return cls(run_id, config, services, worker, executor, SELECTORS[config.selector](),
                   events, budget, [services.stop, GenerationLimit(config.generations)])
