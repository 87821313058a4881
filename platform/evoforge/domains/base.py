"""What a task domain is, and the registry that finds domains by name.

A domain supplies tasks in three splits and a trusted evaluator. The kernel keeps every label:
an agent sees a task's `inputs` only, the meta agent sees train results only, validation
scores decide selection, and test scores are reported but never shown to any agent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Protocol

from evoforge.errors import EvoforgeError

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
    """

    name: str
    description: str

    def tasks(self, split: Split) -> list[Task]: ...

    def evaluate(self, task: Task, answer: Any) -> Score: ...

    def contract_files(self) -> list[Path]: ...


DomainFactory = Callable[..., Domain]
DOMAINS: dict[str, tuple[DomainFactory, str]] = {}


def register_domain(name: str, description: str) -> Callable[[DomainFactory], DomainFactory]:
    """Class decorator: make a domain available to `evoforge run --domain NAME`."""

    def register(factory: DomainFactory) -> DomainFactory:
        DOMAINS[name] = (factory, description)
        return factory

    return register


def get_domain(name: str, *, sandbox: Any = None, **options: Any) -> Domain:
    """The domain `name` built with `options`. A domain whose evaluator runs untrusted code
    declares `uses_sandbox = True` and is handed `sandbox` (the run's); others never see it."""
    _load_builtin_domains()
    if name not in DOMAINS:
        raise EvoforgeError(f"unknown domain '{name}' (available: {', '.join(sorted(DOMAINS))}); see `evoforge domains`")
    factory = DOMAINS[name][0]
    if getattr(factory, "uses_sandbox", False) and sandbox is not None:
        options["sandbox"] = sandbox
    return factory(**options)


def list_domains() -> list[tuple[str, str]]:
    _load_builtin_domains()
    return sorted((name, description) for name, (_, description) in DOMAINS.items())


def _load_builtin_domains() -> None:
    # Importing the modules runs their @register_domain decorators.
    from evoforge.domains import arithmetic, humaneval  # noqa: F401
    from evoforge.domains.airline import domain  # noqa: F401
