"""What a task domain is: the `Domain` protocol, its tasks and scores, and tool sessions.

A domain supplies tasks in three splits and a trusted evaluator. The kernel keeps every label:
an agent sees a task's `inputs` only, the meta agent sees train results only, validation
scores decide selection, and test scores are reported but never shown to any agent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from evoforge.splits import Split

if TYPE_CHECKING:
    from evoforge.contracts.guard import CallRecord
    from evoforge.models.base import ModelClient


@dataclass(frozen=True)
class Task:
    """One task as an agent may see it: an id and its inputs, never its label."""

    id: str
    split: Split
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Score:
    """The evaluator's verdict on one answer: a score in [0, 1], a short reason and, for an
    episode, what the evaluator measured in it (e.g. unsafe writes), kept with the evaluation."""

    value: float
    detail: str = ""
    counts: dict[str, Any] = field(default_factory=dict)


def agent_task(domain: "Domain", task: Task) -> dict[str, Any]:
    """What an agent is told about a task: its id, its inputs, their types and, where the domain
    names one, the contract that answers it directly (`answer_contract`)."""
    told = {"id": task.id, "inputs": task.inputs, "schema": dict(domain.input_schema)}
    contract = getattr(domain, "answer_contract", None)
    return {**told, "contract": contract} if contract else told


class Domain(Protocol):
    """A task domain. Promises:

    - `tasks(split)` is deterministic for a given `seed` (set at construction).
    - `input_schema` names every field of a task's `inputs` with its type (`str`, `int`,
      `real`, `bool`, `list`, `dict`): what an agent is told about the tasks it gets.
    - `evaluate` never raises on a bad answer (malformed, wrong type, hostile): it scores it 0
      and says why in `Score.detail`.
    - `contract_files()` lists the spec files whose contracts the domain's agents call.
    - `answer_contract`, optional: the contract that answers a task straight from its inputs,
      told to agents with each task (`agent_task`).
    - `reveal(task)`, optional: the expected answer of a *train* task, which the meta agent may
      read beside its own answer (the kernel never calls it for validation or test tasks).
    """

    name: str
    description: str
    input_schema: dict[str, str]

    def tasks(self, split: Split) -> list[Task]: ...

    def evaluate(self, task: Task, answer: Any) -> Score: ...

    def contract_files(self) -> list[Path]: ...


@runtime_checkable
class ToolSession(Protocol):
    """The kernel-side tools of one task's episode (a per-task copy of the domain's state).

    `call` never raises: a bad name or bad arguments give `{"error": reason}`, a good call
    `{"result": value}`. `records()` lists every tool call made, for the archive;
    `guarded_calls()` the guarded calls the kernel itself made in the episode (policy checks,
    readings of the dialogue, a simulated user), archived as contract events with the variant.
    """

    def names(self) -> list[str]: ...

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]: ...

    def records(self) -> list[dict[str, Any]]: ...

    def guarded_calls(self) -> list[CallRecord]: ...


@runtime_checkable
class ToolDomain(Domain, Protocol):
    """A domain whose agents act through tools: each task runs in its own episode.

    A domain whose episodes make model calls of their own declares `uses_model = True`; the
    evaluation then opens each episode with `open_session(task, model=client)`, the variant's
    client from the run's model factory (its budget, accounting and model cache apply).
    """

    def open_session(self, task: Task) -> ToolSession:
        """A fresh episode for `task` (its own copy of the domain's state)."""
        ...

    def evaluate_session(self, task: Task, answer: Any, session: ToolSession) -> Score:
        """Score the episode: the answer and what the tools recorded; never raises."""
        ...


def open_episode(domain: Domain, task: Task, model: ModelClient) -> ToolSession | None:
    """`task`'s tool session when `domain` has tools (else None); a domain that `uses_model`
    gets `model` for its episode's own calls, so the run's budget and accounting apply."""
    if not isinstance(domain, ToolDomain):
        return None
    if getattr(domain, "uses_model", False):
        return domain.open_session(task, model=model)  # type: ignore[call-arg]
    return domain.open_session(task)
