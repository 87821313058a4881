"""What a task domain is, and the decorator that registers a domain written as a module.

A domain supplies tasks in three splits and a trusted evaluator. The kernel keeps every label:
an agent sees a task's `inputs` only, the meta agent sees train results only, validation
scores decide selection, and test scores are reported but never shown to any agent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Protocol

Split = Literal["train", "validation", "test"]
SPLITS: tuple[Split, ...] = ("train", "validation", "test")


@dataclass(frozen=True)
class Task:
    """One task as an agent may see it: an id and its inputs, never its label."""

    id: str
    split: Split
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Score:
    """The evaluator's verdict on one answer: a score in [0, 1] and a short reason."""

    value: float
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Domain(Protocol):
    """A task domain. Promises:

    - `tasks(split)` is deterministic for a given `seed` (set at construction).
    - `evaluate` never raises on a bad answer (malformed, wrong type, hostile): it scores it 0
      and says why in `Score.detail`.
    - `contract_files()` lists the spec files whose contracts the domain's agents call.
    - `input_schema` maps each input field to its type name; agents receive it with each task.
    """

    name: str
    description: str
    input_schema: dict[str, str]

    def tasks(self, split: Split) -> list[Task]: ...

    def evaluate(self, task: Task, answer: Any) -> Score: ...

    def contract_files(self) -> list[Path]: ...


DomainFactory = Callable[..., Domain]
DOMAINS: dict[str, tuple[DomainFactory, str]] = {}


def register_domain(name: str, description: str) -> Callable[[DomainFactory], DomainFactory]:
    """Class decorator: make a domain module's class available to `evoforge run --domain NAME`
    (folder domains and installed packages are found by `evoforge.domains.registry`)."""

    def register(factory: DomainFactory) -> DomainFactory:
        DOMAINS[name] = (factory, description)
        return factory

    return register
