"""What the synthesis graph's nodes work with, whoever runs the graph: `synthesize` in this
process (in_memory.py), or a run that the archive keeps and that resumes (context.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from evoforge.runs.stopping import StopRequested, StopSignal
from evoforge.synthesis.search.candidate import CandidateStore
from evoforge.synthesis.search.cegis import Search
from evoforge.synthesis.search.learn import Learner
from evoforge.synthesis.search.proposing import Proposer


@dataclass
class SynthesisJob:
    search: Search  # the problem, verifier, train evaluation and the candidates' store
    proposer: Proposer
    learner: Learner
    study: str  # the learner's Optuna study
    rounds: int  # CEGIS rounds at most
    per_round: int  # candidates proposed per round
    target_train: float  # the search stops once a proven program reaches it on train
    stop: StopSignal = field(default_factory=StopSignal)
    on_round: Callable[[int], None] = lambda rounds_done: None  # after each round is verified (a run's progress)

    @property
    def store(self) -> CandidateStore:
        return self.search.store

    def check_stop(self) -> None:
        """Raises StopRequested when a stop was asked for: the step ends before starting new work."""
        if self.stop.requested:
            raise StopRequested(self.stop.detail)
