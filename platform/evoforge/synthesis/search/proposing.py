"""Search: what a proposer is given and what it returns.

A proposer turns a synthesis problem and the feedback so far (the verifier's counterexamples,
programs that did not parse, train failures of verified programs) into candidate program
texts. It never decides whether a candidate is correct: the verifier does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from evoforge.contracts import SpecSet
from evoforge.contracts.model import Contract
from evoforge.contracts.tasks import TaskSpec
from evoforge.synthesis.search.verify import Counterexample


@dataclass(frozen=True)
class Problem:
    """One synthesis problem: the task's global contract and the contracts a program may call."""

    task: TaskSpec
    specs: SpecSet

    def contracts(self) -> list[Contract]:
        """The proven contracts a program for this task may call, in a stable order."""
        names = self.task.contracts if self.task.contracts is not None else sorted(self.specs.contracts)
        usable = []
        for name in names:
            contract = self.specs.contracts.get(name)
            if contract is not None and contract.proof is not None and contract.proof.proven:
                usable.append(contract)
        return usable


@dataclass(frozen=True)
class Proposal:
    """A program text a proposer offers; the search numbers it and makes it a `Candidate`."""

    source: str
    origin: str  # how it was made: "enumerate", "mutate:<move>", "repair", "planner"
    parent: str | None = None  # the source it was derived from, if any


@dataclass(frozen=True)
class TrainFailure:
    """A verified program's poor answer on a train task (never a validation or test task)."""

    task_id: str
    inputs: dict[str, Any]
    output: Any
    score: float
    detail: str
    source: str


@dataclass
class Feedback:
    counterexamples: list[tuple[str, Counterexample]] = field(default_factory=list)  # (source, cex)
    unparsed: list[tuple[str, str]] = field(default_factory=list)  # (source, error)
    failures: list[TrainFailure] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)  # sources already proven
    tried: list[str] = field(default_factory=list)  # every source proposed so far, whatever became of it

    def seen(self) -> set[str]:
        return {s for s, _ in self.counterexamples} | {s for s, _ in self.unparsed} | set(self.verified) | set(self.tried)


class Proposer(Protocol):
    """Proposes up to `count` new programs; may return fewer (or none, when exhausted)."""

    name: str

    def propose(self, problem: Problem, feedback: Feedback, count: int) -> list[Proposal]: ...
