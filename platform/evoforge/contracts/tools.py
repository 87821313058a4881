"""Typed signatures of domain tools, read from `[tools.NAME]`.

A tool is run by the kernel (a domain's `ToolSession`), never by a model, so it has no
contract to prove: its signature says what it takes and what it gives, in the contracts' type
language, and an agent program may rely on nothing more than that type (docs/synthesis.md).

    [tools.lookup_user]
    description = "The account of a user id."
    inputs = { user_id = "str" }
    output = "User"

A write tool can be held to a policy: `policy = { contract = "NAME", allows = "VALUE" }` says
every call must be one the contract allows (its `require`, and its `ensure` with `result` set to
VALUE, over the tool's inputs of the same names); a program's verifier proves that at every
call site. `witness = { INPUT = "FACTS_TOOL" }` says INPUT is not the program's to choose: the
kernel re-reads FACTS_TOOL (with the write's arguments of the same names) at the call and
refuses the write unless INPUT is what it gives, so a proof over INPUT is a proof over the facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evoforge.contracts.loader import _ContractBuilder
from evoforge.contracts.model import Clause, Contract
from evoforge.contracts.outcome import SpecError
from evoforge.contracts.source import SourceIndex
from evoforge.contracts.types import RecordType, Type, conform

TOOL_KEYS = {"description", "inputs", "output", "policy", "witness"}


@dataclass(frozen=True)
class ToolPolicy:
    """The contract every call of a write tool must satisfy, with `result` set to `allows`."""

    contract: str
    allows: str


def policy_breach(allows: str, contract: Contract, arguments: dict[str, Any]) -> Clause | None:
    """The first clause of `contract` a write with these arguments breaks (its require, or its
    ensure with `result` = `allows`), or None when the policy allows it. Raises `ValueTypeError`
    when an argument is not of the contract's input type."""
    values = {n: conform(arguments[n], t, n) for n, t in contract.inputs.items()}
    return contract.violated_require(values) or contract.violated_ensure(values, conform(allows, contract.output))


@dataclass(frozen=True)
class ToolSpec:
    name: str
    file: str
    line: int
    description: str
    inputs: dict[str, Type]
    output: Type
    policy: ToolPolicy | None = None
    witness: dict[str, str] = field(default_factory=dict)  # input -> the tool whose result it must equal

    def chosen_inputs(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments the domain's tool receives: all but the witnessed ones (those are the kernel's check)."""
        return {n: v for n, v in arguments.items() if n not in self.witness}

    def signature(self) -> str:
        """The tool as a program writes it: `tool("NAME", a=<T>) -> T`."""
        arguments = ", ".join(f"{n}=<{t}>" for n, t in self.inputs.items())
        return f'tool("{self.name}"{", " if arguments else ""}{arguments}) -> {self.output}'


@dataclass
class ToolSet:
    tools: dict[str, ToolSpec] = field(default_factory=dict)
    problems: list[SpecError] = field(default_factory=list)


class _ToolBuilder(_ContractBuilder):
    table_name = "tools"

    def build_tool(self) -> ToolSpec:
        table = self.checked_table(TOOL_KEYS, ("inputs", "output"))
        inputs = self._inputs()
        return ToolSpec(self.name, self.file, self.line, str(table.get("description", "")),
                        inputs, self._type(table["output"], "output"), self._policy(), self._witness(inputs))

    def _policy(self) -> ToolPolicy | None:
        raw = self.table.get("policy")
        if raw is None:
            return None
        if not (isinstance(raw, dict) and set(raw) == {"contract", "allows"} and all(isinstance(v, str) for v in raw.values())):
            raise self.error('policy must be { contract = "CONTRACT", allows = "VALUE" }', self.key_line("policy"))
        return ToolPolicy(raw["contract"], raw["allows"])

    def _witness(self, inputs: dict[str, Type]) -> dict[str, str]:
        raw = self.table.get("witness", {})
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise self.error('witness must be a table of INPUT = "FACTS_TOOL"', self.key_line("witness"))
        unknown = [n for n in raw if n not in inputs]
        if unknown:
            raise self.error(f"witness names {unknown[0]!r}, which is not one of the inputs ({', '.join(inputs)})", self.key_line("witness"))
        return dict(raw)


def add_tools(found: ToolSet, file: str, data: dict[str, Any], index: SourceIndex, records: dict[str, RecordType]) -> None:
    """The `[tools.NAME]` tables of one parsed spec file, added to `found` (errors included)."""
    for name, table in data.get("tools", {}).items():
        try:
            tool = _ToolBuilder(file, index, name, table, records).build_tool()
        except SpecError as error:
            found.problems.append(error)
            continue
        if name in found.tools:
            first = found.tools[name]
            found.problems.append(SpecError(file, tool.line, name, f"duplicate tool name (first defined at {first.file}:{first.line})", kind="tool"))
        else:
            found.tools[name] = tool


def check_witnesses(found: ToolSet) -> None:
    """Each witness names a declared tool whose result has the witnessed input's type and whose
    inputs the write also takes (so the kernel can re-read it from the write's arguments)."""
    for tool in list(found.tools.values()):
        for name, source in tool.witness.items():
            facts = found.tools.get(source)
            problem = None
            if facts is None:
                problem = f"witness {name}: no tool {source!r} is declared"
            elif facts.output != tool.inputs[name]:
                problem = f"witness {name}: tool {source!r} gives {facts.output}, but {name} is {tool.inputs[name]}"
            elif any(tool.inputs.get(n) != t for n, t in facts.inputs.items()):
                problem = f"witness {name}: tool {source!r} takes {', '.join(facts.inputs)}, which {tool.name!r} must take with the same types"
            if problem is not None:
                found.problems.append(SpecError(tool.file, tool.line, tool.name, problem, kind="tool"))
                del found.tools[tool.name]
                break
