"""The hyperagent loop as a run kind (runs/kind.py): what the run layer needs to create, execute,
stop and summarise an evolution run, and where the CLI and the UI show it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evoforge.archive import Archive, Variant
from evoforge.evolution.events import EVOLUTION_EVENTS
from evoforge.evolution.settings import EvolutionSettings
from evoforge.runs.outcome import RunOutcome
from evoforge.runs.stopping import Stop, StopReason


@dataclass
class EvolutionOutcome(RunOutcome):
    seed: Variant | None
    best: Variant | None
    variants: int


class EvolutionKind:
    name = "evolution"
    title = "evolution: the hyperagent loop"
    unit = "variants"
    settings = EvolutionSettings
    event_types = EVOLUTION_EVENTS
    cli_summary = "evoforge.cli.run_cmd:print_summary"
    cli_details = "evoforge.cli.archive_cmd:show_generations"
    ui_view = "evolution_view:evolution_overview"
    ui_form = "evolution_view:launch_fields"
    context = "evoforge.evolution.context:EvolutionContext"
    graph = "evoforge.evolution.graph:build_graph"

    def prepare(self, archive: Archive, settings: EvolutionSettings) -> None:
        """Stores the starting agent's files with the run, so resume never needs its folder."""
        from evoforge.evolution.agents import agent_folder, read_agent
        from evoforge.evolution.manifest import AgentManifest

        if not settings.agent_files:
            files = read_agent(agent_folder(settings.agent))
            AgentManifest.from_files(files, settings.agent)  # a broken manifest fails now, not mid-run
            settings.agent_files = archive.store_files(files)

    def thread(self, uid: str, settings: EvolutionSettings) -> dict[str, Any]:
        return {"configurable": {"thread_id": uid}, "recursion_limit": 20 + 6 * settings.generations}

    def graph_context(self, context: Any) -> Any:
        return context

    def made(self, archive: Archive, run_id: int) -> int:
        return len(archive.tree(run_id))

    def final_stop(self, state: dict[str, Any]) -> Stop:
        return Stop.from_state(state.get("stop")) or Stop(StopReason.GENERATIONS, "done")

    def cut_short(self, context: Any) -> None:
        pass  # every child is archived with its evidence in one transaction: nothing waits unsaved

    def close(self, context: Any) -> None:
        context.executor.close()

    def summary(self, archive: Archive, run_id: int, stop: Stop | None = None) -> EvolutionOutcome:
        from evoforge.evolution.steps import SEED_KEY

        run = archive.run(run_id)
        variants = archive.variants(run_id)
        seed = next((v for v in variants if v.proposal_key == SEED_KEY), None)
        scored = [v for v in variants if v.score is not None]
        best = max(scored, key=lambda v: (v.score, -v.id)) if scored else None
        return EvolutionOutcome(run.id, run.uid, str(run.status), stop, seed, best, len(variants))


EVOLUTION = EvolutionKind()
