"""`synthesize`: a synthesis in this process, nothing archived. It runs the graph every synthesis
run runs (graph.py), with LangGraph's in-memory checkpointer and the candidates kept in memory,
so it stops, emits events and records candidates exactly as an archived run does."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from langgraph.checkpoint.memory import InMemorySaver

from evoforge.runs.events import RunEvent
from evoforge.synthesis.graph import build_graph, thread
from evoforge.synthesis.job import SynthesisJob
from evoforge.synthesis.search.candidate import Candidate, MemoryCandidates
from evoforge.synthesis.search.cegis import Search
from evoforge.synthesis.search.evaluation import Evaluate
from evoforge.synthesis.search.learn import Learner
from evoforge.synthesis.search.proposing import Problem, Proposer
from evoforge.synthesis.search.verify import VerifiedProgram, Verifier


@dataclass
class SynthesisResult:
    candidates: list[Candidate]
    best: Candidate | None  # the learned candidate: its parameters, validation and test scores (evidence: the reports)
    program: VerifiedProgram | None  # the best candidate's program with its proof
    stop_reason: str


def synthesize(
    problem: Problem,
    proposer: Proposer,
    verifier: Verifier,
    learner: Learner,
    evaluate: Evaluate,
    *,
    study: str,
    rounds: int = 6,
    per_round: int = 6,
    target_train: float = 1.0,
    on_event: Callable[[RunEvent], None] | None = None,
) -> SynthesisResult:
    """Search and verify for up to `rounds` rounds of `per_round` candidates (stopping early once a
    proven program reaches `target_train` on train), then learn the best proven program's
    parameters in the Optuna study `study` and score it once on test. `on_event` gets the run's
    typed events (synthesis/events.py) as they happen."""
    store = MemoryCandidates(on_event)
    search = Search(problem, verifier, evaluate, store)
    graph, config = build_graph(InMemorySaver()), thread(study, rounds)
    graph.invoke({}, config, context=SynthesisJob(search, proposer, learner, study, rounds, per_round, target_train))
    state = graph.get_state(config).values
    best = None if state.get("best") is None else store.candidates()[state["best"]]
    return SynthesisResult(store.candidates(), best, None if best is None else search.verified(best), state["done"])
