"""A domain a user writes as a folder: `domain.toml`, data (or a generator), `specs/`, and
optionally `agent/`. Labels stay in this object, in the kernel; agents get `Task.inputs`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from evoforge.domains.base import Score, Split, Task
from evoforge.domains.data import build_tasks
from evoforge.domains.evaluators import KINDS, Evaluator, EvaluatorSetup, OptionError
from evoforge.domains.manifest import Manifest, read_manifest
from evoforge.domains.problems import DomainFolderError, DomainProblem, describe


def build_evaluator(manifest: Manifest, sandbox: Any) -> tuple[Evaluator | None, list[DomainProblem]]:
    """The evaluator `[evaluator]` describes, or the problem with it. `sandbox` is the run's
    (None: the default backend, made only when a kind runs code)."""
    kind_name = manifest.evaluator.get("kind")
    if kind_name not in KINDS:
        return None, [manifest.problem("evaluator", "kind", f"unknown evaluator kind {kind_name!r}", f"use one of {', '.join(sorted(KINDS))}")]
    made: list[Any] = [sandbox]

    def run_sandbox() -> Any:
        if made[0] is None:
            from evoforge.sandbox import get_sandbox

            made[0] = get_sandbox(None)
        return made[0]

    setup = EvaluatorSetup(manifest.folder, dict(manifest.labels), run_sandbox)
    try:
        return KINDS[kind_name][0](dict(manifest.evaluator), setup), []
    except OptionError as error:
        return None, [manifest.problem("evaluator", error.key, error.message, error.fix)]


class FolderDomain:
    """Implements `Domain` for a folder; see docs/domains.md for the format."""

    def __init__(self, folder: str | Path, seed: int = 0, sizes: dict[str, int] | None = None, sandbox: Any = None):
        self.folder = Path(folder)
        manifest, problems = read_manifest(self.folder)
        evaluator = None
        if not problems:
            evaluator, problems = build_evaluator(manifest, sandbox)
        if not problems:
            task_set = build_tasks(manifest, seed, {**manifest.sizes, **(sizes or {})})
            problems = task_set.problems
        if problems:
            raise DomainFolderError(self.folder, problems)
        assert evaluator is not None
        self.manifest, self.evaluator = manifest, evaluator
        self.name, self.description = manifest.name, manifest.description
        self.input_schema = dict(manifest.inputs)
        self.answer_contract = manifest.answer  # told to agents with each task (base.agent_task)
        self.uses_sandbox = evaluator.uses_sandbox
        self._tasks, self._labels = task_set.tasks, task_set.labels

    def tasks(self, split: Split) -> list[Task]:
        return list(self._tasks[split])

    def evaluate(self, task: Task, answer: Any) -> Score:
        try:
            return self.evaluator.score(answer, self._labels[task.id], task.inputs)
        except Exception as error:  # the domain's own fault (user evaluator, bad label): score 0, say why
            return Score(0.0, f"the evaluator failed: {describe(error)}")

    def reveal(self, task: Task) -> Any:
        """A train task's label(s), for the meta agent: the value when there is one label field."""
        labels = self._labels[task.id]
        return next(iter(labels.values())) if len(labels) == 1 else dict(labels)

    def contract_files(self) -> list[Path]:
        return list(self.manifest.contracts)

    def agent_folder(self) -> Path | None:
        """The domain's own seed agent (`agent/`), if it has one."""
        return self.manifest.agent
