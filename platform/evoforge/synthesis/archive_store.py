"""A synthesis run's candidates kept in the archive (its `CandidateStore`).

They are read from the archive once, when the run starts or resumes; then each save writes the
changed candidates in one transaction with the events and the model calls made since the last
save (usage and guarded calls, from the run's sinks), and tells the run's observers once stored.
"""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Sequence

from evoforge.archive import Archive, NewContractEvent, NewUsage, SynthesisCandidate
from evoforge.archive.statuses import CandidateStatus
from evoforge.contracts.guard import CallRecord
from evoforge.models.budget import UsageRecord
from evoforge.runs.events import RunEvent, RunEvents
from evoforge.synthesis.search.candidate import Candidate, MemoryCandidates


class ArchiveCandidates(MemoryCandidates):
    def __init__(self, archive: Archive, run_id: int, events: RunEvents, usage: list[UsageRecord], calls: list[CallRecord]):
        super().__init__(events.notify)
        self.archive, self.run_id, self.usage, self.calls = archive, run_id, usage, calls
        super().save([_candidate(row) for row in archive.candidates(run_id)], [])

    def save(self, changed: Sequence[Candidate], events: Sequence[RunEvent]) -> None:
        usage, calls = self.usage[:], self.calls[:]
        del self.usage[:len(usage)], self.calls[:len(calls)]
        self.archive.save_candidates(
            self.run_id, [SynthesisCandidate(**asdict(c)) for c in changed], events=[e.stored() for e in events],
            usage=[NewUsage(u.model, u.prompt_tokens, u.completion_tokens, u.cost_usd, u.latency_s, u.ok, u.error, u.contract) for u in usage],
            contract_events=[NewContractEvent(r.contract, len(r.attempts), r.violations, r.fallback_used, r.model, r.prompt_tokens,
                                              r.completion_tokens, r.cost_usd, r.latency_s) for r in calls],
        )
        super().save(changed, events)

    def flush(self) -> None:
        """Archive the model calls made since the last save (a step cut short by a spent budget or
        a stop made them too, and the run's totals must count them)."""
        if self.usage or self.calls:
            self.save([], [])


def _candidate(row: SynthesisCandidate) -> Candidate:
    values = {f.name: getattr(row, f.name) for f in fields(Candidate)}
    return Candidate(**{**values, "status": CandidateStatus(row.status)})
