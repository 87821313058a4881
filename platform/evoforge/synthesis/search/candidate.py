"""A synthesis candidate, as the search works on it and as a run stores it: one record.

Its fields are the columns of the archive's `synthesis_candidates` rows, so the archive keeps a
candidate as it is and gives it back the same (a resumed search continues from exactly what an
uninterrupted one held). `parent_index` and `ruled_out_by` name other candidates of the same run
by index; `ruled_out_by` is the candidate whose counterexample refuted this one without a proof
attempt, and lists it in its own `ruled_out`.

The search reads candidates through a `CandidateStore`: `MemoryCandidates` (a run in this
process, `synthesize`) or the archive (`ArchiveCandidates`, a run that resumes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Protocol, Sequence

from evoforge.archive.statuses import CandidateStatus

if TYPE_CHECKING:
    from evoforge.runs.events import RunEvent


@dataclass
class Candidate:
    index: int
    round: int
    origin: str  # how the proposer made it: enumerate, repair, mutate:..., planner
    source: str
    status: CandidateStatus = CandidateStatus.PROPOSED
    parent_index: int | None = None
    reason: str = ""
    verdict: dict[str, Any] | None = None  # the verifier's Verdict, as Verdict.to_dict gives it
    counterexample: dict[str, Any] | None = None  # the verdict's counterexample, when it has one
    ruled_out: list[int] = field(default_factory=list)  # candidates its counterexample refuted
    ruled_out_by: int | None = None
    params: dict[str, Any] = field(default_factory=dict)  # learned parameter values (empty until learned)
    scores: dict[str, float] = field(default_factory=dict)  # train / validation / test
    psi_violations: dict[str, int] = field(default_factory=dict)  # per split, checked by the kernel on real results
    evidence: dict[str, Any] = field(default_factory=dict)  # split summaries, train failures, the learner's record

    @property
    def train(self) -> dict[str, Any] | None:
        """The train summary of a proven candidate (EvalReport.summary), None before it is scored."""
        return self.evidence.get("train")


class CandidateStore(Protocol):
    def candidates(self) -> list[Candidate]:
        """Every candidate kept so far, in index order (the records themselves, not copies)."""
        ...

    def save(self, changed: Sequence[Candidate], events: Sequence[RunEvent]) -> None:
        """Keep new and changed candidates with the events that say what happened to them, at once."""
        ...


class MemoryCandidates:
    """Candidates kept in this process; each saved event goes to `on_event`."""

    def __init__(self, on_event: Callable[[RunEvent], None] | None = None):
        self._kept: dict[int, Candidate] = {}
        self.on_event = on_event or (lambda event: None)

    def candidates(self) -> list[Candidate]:
        return [self._kept[index] for index in sorted(self._kept)]

    def save(self, changed: Sequence[Candidate], events: Sequence[RunEvent]) -> None:
        self._kept.update((candidate.index, candidate) for candidate in changed)
        for event in events:
            self.on_event(event)
