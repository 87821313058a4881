"""The typed events of an evolution run, beside those every run emits (runs/events.py): a child
proposed, evaluated and archived, a generation closed."""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.archive import RunEventKind
from evoforge.runs.events import RunEvent, percent


@dataclass(frozen=True)
class VariantProposed(RunEvent):
    kind = RunEventKind.VARIANT_PROPOSED
    proposal_key: str
    parent_id: int

    text = "{proposal_key}: the meta agent of #{parent_id} is making a child"


@dataclass(frozen=True)
class VariantEvaluated(RunEvent):
    kind = RunEventKind.VARIANT_EVALUATED
    proposal_key: str
    scores: dict[str, float]
    promising: bool  # went on to the full evaluation

    def describe(self) -> str:
        return f"{self.proposal_key}: evaluated, screen {percent(self.scores.get('screen'))}" + ("" if self.promising else " (not promising: screened only)")


@dataclass(frozen=True)
class VariantArchived(RunEvent):
    shown = advances = True
    kind = RunEventKind.VARIANT_ARCHIVED
    variant_id: int
    proposal_key: str
    parent_id: int | None
    generation: int
    score: float | None
    status: str
    summary: str
    error: str | None = None

    def describe(self) -> str:
        parent = f" from #{self.parent_id}" if self.parent_id else ""
        verdict = f"validation {percent(self.score)}" if self.status == "valid" else f"{self.status}: {(self.error or '')[:80]}"
        return f"variant #{self.variant_id} ({self.proposal_key}, generation {self.generation}{parent}): {verdict}; {self.summary[:100]}"


@dataclass(frozen=True)
class GenerationClosed(RunEvent):
    shown = True
    kind = RunEventKind.GENERATION_CLOSED
    generation: int
    best_score: float | None

    def describe(self) -> str:
        return f"generation {self.generation} closed; best validation so far {percent(self.best_score)}"


# This kind's own events (RunKind.event_types).
EVOLUTION_EVENTS: tuple[type[RunEvent], ...] = (VariantProposed, VariantEvaluated, VariantArchived, GenerationClosed)
