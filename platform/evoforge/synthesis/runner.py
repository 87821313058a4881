"""Creating, executing (or resuming) and summarising synthesis runs: the glue between the CLI,
the UI, the archive and the synthesis graph. The run's stop, failure and end are recorded as
the hyperagent loop's are (evolution/runner.py)."""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.archive import Archive, RunStatus, SynthesisCandidate
from evoforge.evolution.events import BudgetReached, RunStarted
from evoforge.evolution.liveness import this_process
from evoforge.evolution.runner import invoke_graph, record_end, record_failure, stop_on_signals, stored_budgets
from evoforge.evolution.services import RunServices
from evoforge.evolution.steps import StopRequested
from evoforge.evolution.stopping import Stop, StopReason
from evoforge.models.base import BudgetExceeded
from evoforge.models.embedded import DEFAULT_MODEL
from evoforge.synthesis.config import SynthesisConfig


@dataclass
class SynthesisOutcome:
    run_id: int
    uid: str
    status: str
    stop: Stop | None
    best: SynthesisCandidate | None  # the learned candidate, with its test score once scored
    candidates: int


def create_synthesis_run(archive: Archive, config: SynthesisConfig) -> int:
    """Checks the configuration and the problem it names (domain, proven contracts, task), creates the run."""
    from evoforge.synthesis.context import load_problem

    load_problem(config.validate())
    return archive.create_run(config.domain, config.model or DEFAULT_MODEL, config=config.to_dict(), budgets=stored_budgets(config)).id


def execute_synthesis_run(archive: Archive, run_id: int, services: RunServices | None = None) -> SynthesisOutcome:
    """Run (or resume) a synthesis run to its end; safe to call again after the process was killed."""
    from evoforge.synthesis.context import SynthesisContext
    from evoforge.synthesis.graph import build_graph, thread

    services = services or RunServices(archive)
    run = archive.run(run_id)
    config = SynthesisConfig.from_dict(run.config)
    archive.update_run(run.id, status=RunStatus.RUNNING, process=this_process())
    ctx: SynthesisContext | None = None
    try:
        with stop_on_signals(services):
            ctx = SynthesisContext.build(run.id, config, services)
            existing = len(archive.candidates(run.id))
            ctx.events.emit(RunStarted(existing > 0, existing, config.planned(), "candidates"))
            try:
                done = invoke_graph(archive, build_graph, thread(run.uid, config.rounds), ctx.job, services.stop).get("done")
                stop = Stop(StopReason.SEARCH_DONE, done or "done")
            except StopRequested as request:
                ctx.candidates.flush()
                stop = Stop(StopReason.SIGNAL, str(request))
            except BudgetExceeded as error:  # the checkpoint stands: resume continues from it
                ctx.candidates.flush()
                ctx.events.emit(BudgetReached(str(error)))
                stop = Stop(StopReason.BUDGET, str(error))
    except BaseException as error:
        record_failure(archive, run.id, ctx.events if ctx is not None else None, error)
        raise
    record_end(archive, run.id, ctx.events, stop)
    return summarize_synthesis(archive, run.id, stop)


def summarize_synthesis(archive: Archive, run_id: int, stop: Stop | None = None) -> SynthesisOutcome:
    run = archive.run(run_id)
    candidates = archive.candidates(run_id)
    return SynthesisOutcome(run.id, run.uid, str(run.status), stop, learned_candidate(candidates), len(candidates))


def learned_candidate(candidates: list[SynthesisCandidate]) -> SynthesisCandidate | None:
    """The run's answer: the candidate the learner tuned last (None before learning)."""
    learned = [c for c in candidates if "learn" in c.evidence]
    return learned[-1] if learned else None
