"""What an evaluator is, and the registry of evaluator kinds that `[evaluator] kind` names.

An evaluator runs in the kernel and scores one answer against one task's labels; agents never
see it or the labels. A new kind is a new module with a class registered by `@evaluator_kind`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from evoforge.domains.base import Score


class Evaluator(Protocol):
    """Promises: `score` never raises because of the answer (malformed, wrong type, hostile); it
    may raise for a fault of the domain (a label that is not a valid pattern, the user's own
    evaluator.py), which the folder domain scores 0 with the reason and `domains check` reports.
    `references(labels)` lists answers that must score 1 (for `evoforge domains check`), or []."""

    uses_sandbox: bool

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score: ...

    def references(self, labels: dict[str, Any]) -> list[Any]: ...


@dataclass(frozen=True)
class EvaluatorSetup:
    """What a kind may use to build itself: the folder, the label schema, the run's sandbox."""

    folder: Path
    labels: dict[str, str]
    sandbox: Callable[[], Any]  # returns the run's sandbox; called only by kinds that run code


class OptionError(Exception):
    """A bad `[evaluator]` option: the key, what is wrong, and the fix."""

    def __init__(self, key: str | None, message: str, fix: str):
        super().__init__(message)
        self.key, self.message, self.fix = key, message, fix


EvaluatorKind = Callable[[dict[str, Any], EvaluatorSetup], Evaluator]
KINDS: dict[str, tuple[EvaluatorKind, str]] = {}


def evaluator_kind(name: str, summary: str) -> Callable[[EvaluatorKind], EvaluatorKind]:
    """Class decorator: make `kind = NAME` available in domain.toml."""

    def register(kind: EvaluatorKind) -> EvaluatorKind:
        KINDS[name] = (kind, summary)
        return kind

    return register


def label_field(options: dict[str, Any], setup: EvaluatorSetup, types: set[str] | None = None) -> str:
    """The label field the evaluator compares with: `label = ...`, or the only label field."""
    name = options.get("label")
    if name is None:
        if len(setup.labels) != 1:
            raise OptionError("label", "the domain has several label fields and the evaluator names none",
                              f"add label = one of {', '.join(sorted(setup.labels))}")
        name = next(iter(setup.labels))
    if name not in setup.labels:
        raise OptionError("label", f"label {name!r} is not a field of [labels]", f"use one of {', '.join(sorted(setup.labels)) or '(none declared)'}")
    if types is not None and setup.labels[name] not in types:
        raise OptionError("label", f"label {name!r} is a {setup.labels[name]}, this kind needs {' or '.join(sorted(types))}",
                          "change the label's type in [labels] or choose another kind")
    return str(name)


def known_options(options: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(options) - allowed - {"kind"})
    if unknown:
        raise OptionError(unknown[0], f"unknown option {unknown[0]!r} for this kind", f"use only {', '.join(sorted(allowed))}")


def shown(answer: Any) -> str:
    """An answer quoted briefly for a Score detail."""
    return repr(answer)[:60]
