"""`evoforge domains check PATH`: everything that would stop a folder domain from running,
or make its scores meaningless, found before a run and reported one problem a line."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evoforge.domains.answer import describe_inputs, input_mismatch
from evoforge.domains.data import TaskSet, build_tasks
from evoforge.domains.evaluators import Evaluator
from evoforge.domains.folder import build_evaluator
from evoforge.domains.manifest import Manifest, read_manifest
from evoforge.domains.problems import DomainProblem, describe
from evoforge.splits import SPLITS

if TYPE_CHECKING:
    from evoforge.contracts.loader import SpecSet

CHECKED_TASKS = 200  # the evaluator is tried on this many tasks at most
DATA_TABLES = ("[data]", "[splits]", "[inputs]", "[labels]", "name")  # without them no task can be built
WRONG_ANSWERS: tuple[Any, ...] = (None, "")  # answers every evaluator must score without raising


@dataclass
class CheckReport:
    manifest: Manifest
    problems: list[DomainProblem] = field(default_factory=list)
    tasks: dict[str, int] = field(default_factory=dict)  # split -> number of tasks
    contracts: list[str] = field(default_factory=list)  # proven contract names

    @property
    def ok(self) -> bool:
        return not self.problems


def check_folder(folder: str | Path, sandbox: Any = None) -> CheckReport:
    manifest, problems = read_manifest(Path(folder))
    report = CheckReport(manifest, problems)
    if not manifest.file.is_file() or (problems and not manifest.index.lines):
        return report  # no manifest, or one that does not parse: nothing else can be checked
    evaluator = None
    if "kind" in manifest.evaluator and not any(_about(p, "[labels]") for p in problems):
        evaluator, evaluator_problems = build_evaluator(manifest, sandbox)
        report.problems += evaluator_problems
    if not any(_about(p, *DATA_TABLES) for p in problems):
        task_set = build_tasks(manifest, 0, manifest.sizes)
        report.problems += task_set.problems
        report.tasks = {split: len(task_set.tasks[split]) for split in SPLITS}
        if evaluator is not None and not task_set.problems:
            report.problems += _evaluator_problems(manifest, evaluator, task_set)
    report.problems += _contract_problems(manifest, report)
    report.problems += _agent_problems(manifest)
    return report


def _about(problem: DomainProblem, *fields: str) -> bool:
    """Whether a manifest problem concerns one of `fields` (a table such as "[data]", or a key)."""
    return problem.field is not None and problem.field.split()[0] in fields


def _evaluator_problems(manifest: Manifest, evaluator: Evaluator, task_set: TaskSet) -> list[DomainProblem]:
    """Try the evaluator on every task (up to CHECKED_TASKS) with wrong answers and with the
    answers it must accept. The same failure on many tasks is reported once, with a count."""
    failures: dict[str, list[DomainProblem]] = {}
    tasks = [task for split in SPLITS for task in task_set.tasks[split]][:CHECKED_TASKS]
    for task in tasks:
        row, labels = task_set.origins[task.id], task_set.labels[task.id]
        answer: Any = "reference()"
        try:
            trials = [(answer, False) for answer in WRONG_ANSWERS] + [(answer, True) for answer in evaluator.references(labels)]
            for answer, must_pass in trials:
                score = evaluator.score(answer, labels, task.inputs)
                if must_pass and score.value < 1:
                    failures.setdefault(f"rejects:{score.detail}", []).append(DomainProblem(
                        row.file, row.line, f"the evaluator gives {score.value} to the right answer {answer!r} on task {task.id!r} ({score.detail})",
                        "check the label's type in [labels] and the [evaluator] options (or evaluator.py)"))
        except Exception as error:  # the point of the check: say which task makes it raise
            failures.setdefault(f"raises:{describe(error)}", []).append(DomainProblem(
                row.file, row.line, f"the evaluator raised {describe(error)} on task {task.id!r} with answer {answer!r}",
                "fix the label in this row, or make the evaluator score bad answers 0 instead of raising"))
    problems = []
    for same in failures.values():
        first = same[0]
        more = f" (and on {len(same) - 1} more task(s))" if len(same) > 1 else ""
        problems.append(DomainProblem(first.file, first.line, first.message + more, first.fix))
    return problems


def _contract_problems(manifest: Manifest, report: CheckReport) -> list[DomainProblem]:
    from evoforge.contracts import load_specs

    if not manifest.contracts:
        return []
    specs = load_specs(manifest.contracts)
    problems = [DomainProblem(Path(p.file), p.line, (f"contract {p.contract!r}: " if p.contract else "") + p.message,
                              "fix the spec (see docs/specs.md)") for p in specs.problems]
    for contract in specs.contracts.values():
        if contract.proof and contract.proof.proven:
            report.contracts.append(contract.name)
        else:
            reason = contract.proof.reason if contract.proof else "not proven"
            problems.append(DomainProblem(Path(contract.file), contract.line, f"contract {contract.name!r} is not proven: {reason}",
                                          "change the fallback so it satisfies every ensure clause for every input allowed by require"))
    return problems + _answer_problems(manifest, specs)


def _answer_problems(manifest: Manifest, specs: SpecSet) -> list[DomainProblem]:
    """`answer = "NAME"` must name a contract of the domain's spec files whose inputs are exactly
    [inputs] (names and types): agents call it as `generate(NAME, **task_inputs)`."""
    if manifest.answer is None:
        return []
    contract = specs.contracts.get(manifest.answer)
    if contract is None:
        known = ", ".join(sorted(specs.contracts)) or "none"
        files = ", ".join(path.name for path in manifest.contracts)
        return [manifest.problem(None, "answer", f"answer contract {manifest.answer!r} is not in the domain's spec files ({files})",
                                 f"name one of their contracts ({known}) or add [contracts.{manifest.answer}] to a spec file")]
    mismatch = input_mismatch(contract, manifest.inputs)
    if mismatch is None:
        return []
    return [manifest.problem(None, "answer", f"answer contract {manifest.answer!r} ({contract.file}:{contract.line}) {mismatch}",
                             f"give it exactly the task's inputs: inputs = {describe_inputs(manifest.inputs)}")]


def _agent_problems(manifest: Manifest) -> list[DomainProblem]:
    agent = manifest.agent
    if agent is None:
        return []
    problems = []
    if not (agent / "agent.toml").is_file() and not (agent / "task_agent.py").is_file():
        problems.append(DomainProblem(agent, None, "the agent folder has neither agent.toml nor task_agent.py",
                                      "add task_agent.py with def run(task): ... (or delete the folder to use the generic seed agent)"))
    for source in sorted(agent.rglob("*.py")):
        try:
            ast.parse(source.read_text(encoding="utf-8"), str(source))
        except SyntaxError as error:
            problems.append(DomainProblem(source, error.lineno, f"Python syntax error: {error.msg}", "fix the syntax"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(DomainProblem(source, None, f"cannot read the file ({describe(error)})", "save it as UTF-8 text"))
    return problems
