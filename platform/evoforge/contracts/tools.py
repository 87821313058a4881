"""Typed signatures of domain tools, read from `[tools.NAME]`.

A tool is run by the kernel (a domain's `ToolSession`), never by a model, so it has no
contract to prove: its signature says what it takes and what it gives, in the contracts' type
language, and an agent program may rely on nothing more than that type (docs/synthesis.md).

    [tools.lookup_user]
    description = "The account of a user id."
    inputs = { user_id = "str" }
    output = "User"
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evoforge.contracts.loader import _ContractBuilder
from evoforge.contracts.outcome import SpecError
from evoforge.contracts.source import SourceIndex
from evoforge.contracts.types import RecordType, Type

TOOL_KEYS = {"description", "inputs", "output"}


@dataclass(frozen=True)
class ToolSpec:
    name: str
    file: str
    line: int
    description: str
    inputs: dict[str, Type]
    output: Type

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
        return ToolSpec(self.name, self.file, self.line, str(table.get("description", "")),
                        self._inputs(), self._type(table["output"], "output"))


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
