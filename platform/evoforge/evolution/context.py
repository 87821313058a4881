"""An evolution run's context in the graph: the run's resources (runs/resources.py), its worker
context and what the driver alone keeps (executor, selection, stop conditions). Built from the
stored settings, so a resumed run gets the same one."""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.evolution.agents import agent_folder, agent_folder_if_present, read_agent
from evoforge.evolution.executors.base import Executor, RunHandle, make_executor
from evoforge.evolution.selection import SELECTORS, ParentSelector
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.worker import WorkerContext
from evoforge.runs.resources import RunContext, RunResources
from evoforge.runs.services import RunServices
from evoforge.runs.stopping import GenerationLimit, StopCondition


@dataclass
class EvolutionContext(RunContext):
    config: EvolutionSettings
    worker: WorkerContext
    executor: Executor
    selector: ParentSelector
    stop_conditions: list[StopCondition]

    @classmethod
    def build(cls, run_id: int, config: EvolutionSettings, services: RunServices) -> EvolutionContext:
        resources = RunResources.build(run_id, config, services)
        archive = services.archive
        folder = agent_folder_if_present(config.agent)  # for the agent's own spec files
        if config.agent_files:
            seed_files = archive.load_files(config.agent_files)
        else:  # a run stored before agents were kept with it
            seed_files = read_agent(agent_folder(config.agent))
        worker = WorkerContext.build(config, seed_files, resources.sandbox, resources.models, folder)
        executor = make_executor(config, worker, RunHandle(run_id, archive, resources.budget, services.stop))
        return cls(resources, config, worker, executor, SELECTORS[config.selector](),
                   [services.stop, GenerationLimit(config.generations)])
