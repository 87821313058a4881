"""Task specifications: the global contract of a whole agent program, read from `[tasks.NAME]`.

A task declares its inputs, its result type, a precondition Phi (`require`) on the inputs and a
postcondition Psi (`ensure`) on inputs and `result`, in the same TOML and expression language
as call contracts (docs/specs.md). An optional `fallback` is an answer Z3 proves satisfies Psi
for every input satisfying Phi; the synthesizer's repair move falls back to it. An optional
`start` names a program file (relative to the spec file) the search proposes first: a starting
point, proven or refuted like any other candidate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from evoforge.contracts.loader import _ContractBuilder, read_spec_file
from evoforge.contracts.model import RESULT, Clause, ClauseChecks, Contract
from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS, Proof, SpecError, spec_files
from evoforge.contracts.proof import prove
from evoforge.contracts.safety import check_safety
from evoforge.contracts.to_python import compile_clauses, compile_value
from evoforge.contracts.tools import ToolSet, ToolSpec, add_tools, check_witnesses
from evoforge.contracts.types import Type
from evoforge.errors import EvoforgeError

TASK_KEYS = {"description", "inputs", "result", "require", "ensure", "fallback", "contracts", "tools", "start"}


@dataclass
class TaskSpec(ClauseChecks):
    name: str
    file: str
    line: int
    description: str
    inputs: dict[str, Type]
    result: Type
    require: list[Clause]  # Phi
    ensure: list[Clause]  # Psi
    require_check: Callable[..., int] = field(repr=False)
    ensure_check: Callable[..., int] = field(repr=False)
    fallback: Clause | None = None
    fallback_value: Callable[..., Any] | None = field(default=None, repr=False)
    contracts: tuple[str, ...] | None = None  # the contracts a program may call; None: any of the run's
    fallback_proof: Proof | None = None
    tools: dict[str, ToolSpec] = field(default_factory=dict)  # the domain tools a program may use
    start: str | None = None  # a starting program's text, proposed first

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}: task '{self.name}'"

    @property
    def proven_fallback(self) -> bool:
        return self.fallback_proof is not None and self.fallback_proof.proven


@dataclass
class TaskSet:
    tasks: dict[str, TaskSpec] = field(default_factory=dict)
    problems: list[SpecError] = field(default_factory=list)  # the tools' problems included
    tools: ToolSet = field(default_factory=ToolSet)

    def get(self, name: str) -> TaskSpec:
        if name not in self.tasks:
            known = ", ".join(sorted(self.tasks)) or "none loaded"
            raise EvoforgeError(f"no task specification named '{name}' (known: {known}); declare it as [tasks.{name}] in a spec file")
        return self.tasks[name]


class _TaskBuilder(_ContractBuilder):
    table_name = "tasks"

    def build_task(self, timeout_ms: int, tools: ToolSet) -> TaskSpec:
        table = self.checked_table(TASK_KEYS, ("inputs", "result", "ensure"))
        inputs = self._inputs()
        result = self._type(table["result"], "result")
        require = self._clauses("require", dict(inputs))
        ensure = self._clauses("ensure", {**inputs, RESULT: result})
        params = list(inputs)
        task = TaskSpec(
            name=self.name, file=self.file, line=self.line, description=str(table.get("description", "")),
            inputs=inputs, result=result, require=require, ensure=ensure,
            require_check=compile_clauses(f"task {self.name}.require", params, [c.node for c in require]),
            ensure_check=compile_clauses(f"task {self.name}.ensure", params, [c.node for c in ensure]),
            contracts=self._contract_names(), tools=self._tools(tools), start=self._start(),
        )
        if "fallback" in table:
            task.fallback = self._fallback(dict(inputs), result)
            task.fallback_value = compile_value(f"task {self.name}.fallback", params, task.fallback.node)
        unsafe = check_safety(inputs, require, result, ensure, task.fallback, timeout_ms)
        if unsafe is not None:  # its checks could fail at run time: the task cannot be used
            raise self.error(unsafe.reason)
        if task.fallback is not None:
            task.fallback_proof = prove(self._as_contract(task), timeout_ms)
        return task

    def _contract_names(self) -> tuple[str, ...] | None:
        raw = self.table.get("contracts")
        if raw is None:
            return None
        if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
            raise self.error("contracts must be a list of contract names", self.key_line("contracts"))
        return tuple(raw)

    def _start(self) -> str | None:
        raw = self.table.get("start")
        if raw is None:
            return None
        path = Path(self.file).parent / str(raw)
        if not isinstance(raw, str) or not path.is_file():
            raise self.error(f"start: no program file {raw!r} next to this spec file (give a path relative to it)", self.key_line("start"))
        return path.read_text(encoding="utf-8")

    def _tools(self, declared: ToolSet) -> dict[str, ToolSpec]:
        raw = self.table.get("tools", [])
        if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
            raise self.error("tools must be a list of tool names", self.key_line("tools"))
        unknown = [n for n in raw if n not in declared.tools]
        if unknown:
            known = ", ".join(sorted(declared.tools)) or "none"
            raise self.error(f"unknown tool '{unknown[0]}' (declared tools: {known}); declare it as [tools.{unknown[0]}] in a spec file", self.key_line("tools"))
        chosen = {n: declared.tools[n] for n in raw}
        unlisted = sorted({f for t in chosen.values() for f in t.witness.values()} - set(chosen))
        if unlisted:  # the program must be able to read the facts its writes are checked against
            raise self.error(f"tools: a listed write is witnessed by {unlisted[0]!r}; list it too", self.key_line("tools"))
        return chosen

    def _as_contract(self, task: TaskSpec) -> Contract:
        """The task as a prompt-less contract, so the fallback proof is the contracts' own."""
        assert task.fallback is not None and task.fallback_value is not None
        return Contract(
            name=task.name, file=task.file, line=task.line, description=task.description,
            inputs=task.inputs, output=task.result, require=task.require, ensure=task.ensure,
            prompt="", system=None, parse="json", attempts=1, fallback=task.fallback,
            require_check=task.require_check, ensure_check=task.ensure_check, fallback_value=task.fallback_value,
        )


def load_tasks(paths: Iterable[str | Path], *, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> TaskSet:
    """The `[tasks.NAME]` tables of the spec files under `paths`, each with its fallback proof and
    the signatures of its tools (`[tools.NAME]`, declared in any of the files)."""
    found, files = TaskSet(), []
    for path in spec_files(paths):
        try:
            data, index, records = read_spec_file(path)
        except SpecError as error:
            found.problems.append(error)
            continue
        add_tools(found.tools, str(path), data, index, records)
        files.append((path, data, index, records))
    check_witnesses(found.tools)
    found.problems += found.tools.problems
    for path, data, index, records in files:
        for name, table in data.get("tasks", {}).items():
            try:
                task = _TaskBuilder(str(path), index, name, table, records).build_task(timeout_ms, found.tools)
            except SpecError as error:
                found.problems.append(error)
                continue
            if name in found.tasks:
                first = found.tasks[name]
                found.problems.append(SpecError(task.file, task.line, name, f"duplicate task name (first defined at {first.file}:{first.line})", kind="task"))
            else:
                found.tasks[name] = task
    return found
