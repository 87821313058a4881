"""Plain records the archive takes in (new facts) and hands out (aggregates). Stored rows are
the SQLModel classes in tables.py; these are what has no table of its own."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from evoforge.archive.tables import RunEventKind, Split


@dataclass(frozen=True, slots=True)
class NewEvaluation:
    """One task's result for a variant at one stage of the staged evaluation."""

    task_id: str
    split: Split | str
    stage: str
    score: float
    output: str = ""
    error: str | None = None
    seconds: float = 0.0
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewContractEvent:
    """One guarded call, as the FGGM guard recorded it."""

    contract: str
    attempts: int
    violations: Sequence[str] = ()
    fallback_used: bool = False
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0


@dataclass(frozen=True, slots=True)
class NewUsage:
    """One model call, for accounting."""

    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    ok: bool = True
    error: str | None = None
    contract: str | None = None


@dataclass(frozen=True, slots=True)
class NewEvent:
    kind: RunEventKind | str
    payload: dict[str, Any] = field(default_factory=dict)


class TreeNode(NamedTuple):
    """One variant as the lineage tree needs it (no files): cheap for 10,000 nodes."""

    id: int
    parent_id: int | None
    generation: int
    score: float | None
    status: str
    valid_parent: bool
    proposal_key: str | None = None  # `seed`, `g2-s1`: the variant's place in the run, whatever order children finished in

    @property
    def birth_order(self) -> tuple[int, int, int]:
        """(generation, index in its generation, id): the order the run planned its variants in.
        Parallel children finish (and get ids) in any order; selection and ties read this, so the
        same seed and the same model answers give the same lineage."""
        return (self.generation, proposal_index(self.proposal_key), self.id)


def proposal_index(key: str | None) -> int:
    """A child's index in its generation from its proposal key (`g2-s1` -> 1; the seed -> 0)."""
    _, _, index = (key or "").rpartition("-s")
    return int(index) if index.isdigit() else 0


@dataclass(frozen=True, slots=True)
class GenerationStats:
    generation: int
    variants: int
    valid_variants: int
    best_score: float | None
    mean_score: float | None


@dataclass(frozen=True, slots=True)
class ContractStats:
    """How one contract fared across a run. A call "violated" when any attempt broke it."""

    contract: str
    calls: int
    violated_calls: int
    violations: int
    fallbacks: int
    mean_attempts: float
    cost_usd: float

    @property
    def violation_rate(self) -> float:
        return self.violated_calls / self.calls if self.calls else 0.0

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.calls if self.calls else 0.0


@dataclass(frozen=True, slots=True)
class UsageTotals:
    model: str
    calls: int
    failures: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    latency_s: float


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    change: str  # "added", "removed" or "modified"
    diff: str  # unified diff

