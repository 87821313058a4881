"""SEVerA synthesis as a run kind (runs/kind.py): what the run layer needs to create, execute,
stop and summarise a synthesis run, and where the CLI and the UI show it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evoforge.archive import Archive, SynthesisCandidate
from evoforge.runs.outcome import RunOutcome
from evoforge.runs.stopping import Stop, StopReason
from evoforge.synthesis.events import SYNTHESIS_EVENTS
from evoforge.synthesis.settings import SynthesisSettings


@dataclass
class SynthesisOutcome(RunOutcome):
    best: SynthesisCandidate | None  # the learned candidate, with its test score once scored
    candidates: int


class SynthesisKind:
    name = "synthesis"
    title = "synthesis: SEVerA, programs proven for every input"
    unit = "candidates"
    settings = SynthesisSettings
    event_types = SYNTHESIS_EVENTS
    cli_summary = "evoforge.cli.synthesize_cmd:print_summary"
    cli_details = "evoforge.cli.synthesize_cmd:show_candidates"
    ui_view = "synthesis_view:synthesis_overview"
    ui_form = "synthesis_view:launch_fields"
    context = "evoforge.synthesis.context:SynthesisContext"
    graph = "evoforge.synthesis.graph:build_graph"

    def prepare(self, archive: Archive, settings: SynthesisSettings) -> None:
        """Checks the problem the settings name: the domain, its proven contracts, the task."""
        from evoforge.synthesis.context import load_problem

        load_problem(settings)

    def thread(self, uid: str, settings: SynthesisSettings) -> dict[str, Any]:
        from evoforge.synthesis.graph import thread

        return thread(uid, settings.rounds)

    def graph_context(self, context: Any) -> Any:
        return context.job  # the nodes work with the job alone (in_memory.py runs them without an archive)

    def made(self, archive: Archive, run_id: int) -> int:
        return len(archive.candidates(run_id))

    def final_stop(self, state: dict[str, Any]) -> Stop:
        return Stop(StopReason.SEARCH_DONE, state.get("done") or "done")

    def cut_short(self, context: Any) -> None:
        context.candidates.flush()

    def close(self, context: Any) -> None:
        pass  # the context holds nothing that outlives the run's process

    def summary(self, archive: Archive, run_id: int, stop: Stop | None = None) -> SynthesisOutcome:
        run = archive.run(run_id)
        candidates = archive.candidates(run_id)
        return SynthesisOutcome(run.id, run.uid, str(run.status), stop, learned_candidate(candidates), len(candidates))


def learned_candidate(candidates: list[SynthesisCandidate]) -> SynthesisCandidate | None:
    """The run's answer: the candidate the learner tuned last (None before learning)."""
    learned = [c for c in candidates if "learn" in c.evidence]
    return learned[-1] if learned else None


SYNTHESIS = SynthesisKind()
