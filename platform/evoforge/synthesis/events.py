"""The typed events of a synthesis run, beside those every run emits (runs/events.py): stored in
the archive's event log, read by the CLI's progress lines and the UI's event list."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evoforge.archive import RunEventKind
from evoforge.runs.events import RunEvent, percent


@dataclass(frozen=True)
class RoundProposed(RunEvent):
    shown = True
    kind = RunEventKind.ROUND_PROPOSED
    round: int
    candidates: list[int]  # their indices
    proposer: str

    def describe(self) -> str:
        return f"round {self.round}: proposer '{self.proposer}' made {len(self.candidates)} candidate(s)"


@dataclass(frozen=True)
class CandidateClosed(RunEvent):
    shown = advances = True
    kind = RunEventKind.CANDIDATE_CLOSED
    candidate: int
    origin: str
    status: str  # unparsed | ruled_out | proven | counterexample | unknown
    reason: str
    train: float | None = None  # the train score of a proven candidate

    def describe(self) -> str:
        verdict = f"proven, train {percent(self.train)}" if self.status == "proven" else f"{self.status}: {self.reason[:120]}"
        return f"candidate #{self.candidate} ({self.origin}): {verdict}"


@dataclass(frozen=True)
class ParametersLearned(RunEvent):
    shown = True
    kind = RunEventKind.PARAMETERS_LEARNED
    candidate: int
    params: dict[str, Any]
    validation: float
    trials: int
    reproved: bool  # always False: the proof covers every parameter value

    def describe(self) -> str:
        return (f"candidate #{self.candidate}: parameters learned in {self.trials} trial(s) (not re-proven), "
                f"validation {percent(self.validation)}, {self.params}")


@dataclass(frozen=True)
class ScoredOnTest(RunEvent):
    shown = True
    kind = RunEventKind.TEST_SCORED
    candidate: int
    score: float
    psi_violations: int

    def describe(self) -> str:
        return f"candidate #{self.candidate}: test {percent(self.score)}, {self.psi_violations} Psi violation(s)"


# This kind's own events (RunKind.event_types).
SYNTHESIS_EVENTS: tuple[type[RunEvent], ...] = (RoundProposed, CandidateClosed, ParametersLearned, ScoredOnTest)
