"""The airline tools by name: their kind (read, write, generic), their typed arguments, and one
`run_tool` that validates arguments and turns every failure into an error result.

`run_tool` never raises: bad arguments, unknown tools and refused requests all come back as
`{"error": "<one line>"}`, so hostile agent code cannot break the kernel through a tool.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from evoforge.domains.airline import reads, writes
from evoforge.domains.airline.reads import ToolError
from evoforge.domains.airline.schema import FlightDB

Kind = Literal["read", "write", "generic"]


class BadArguments(Exception):
    """The arguments do not fit the tool's signature; the message names the first problem."""


@dataclass(frozen=True)
class Tool:
    name: str
    kind: Kind
    function: Callable[..., Any]
    arguments: type[BaseModel]

    @property
    def description(self) -> str:
        return " ".join((self.function.__doc__ or "").split())

    def parse(self, arguments: Any) -> BaseModel:
        """The arguments, validated against the tool's signature (raises `BadArguments`)."""
        if not isinstance(arguments, dict) or not all(isinstance(k, str) for k in arguments):
            raise BadArguments("arguments must be an object of named values")
        try:
            return self.arguments.model_validate(arguments)
        except ValidationError as error:
            raise BadArguments(_first_problem(error)) from None

    def run(self, db: FlightDB, parsed: BaseModel) -> Any:
        return self.function(db, **{name: getattr(parsed, name) for name in type(parsed).model_fields})


def _tool(function: Callable[..., Any], kind: Kind) -> Tool:
    hints = inspect.get_annotations(function, eval_str=True)
    parameters = list(inspect.signature(function).parameters.values())[1:]  # the first is the database
    fields = {p.name: (hints[p.name], ... if p.default is inspect.Parameter.empty else p.default) for p in parameters}
    model = create_model(f"{function.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
    return Tool(function.__name__, kind, function, model)


TOOLS: dict[str, Tool] = {t.name: t for t in [
    _tool(reads.get_user_details, "read"),
    _tool(reads.get_reservation_details, "read"),
    _tool(reads.get_flight_status, "read"),
    _tool(reads.search_direct_flight, "read"),
    _tool(reads.search_onestop_flight, "read"),
    _tool(reads.list_all_airports, "read"),
    _tool(reads.calculate, "generic"),
    _tool(writes.book_reservation, "write"),
    _tool(writes.cancel_reservation, "write"),
    _tool(writes.update_reservation_flights, "write"),
    _tool(writes.update_reservation_baggages, "write"),
    _tool(writes.update_reservation_passengers, "write"),
    _tool(writes.send_certificate, "write"),
    _tool(writes.transfer_to_human_agents, "generic"),
]}
WRITE_TOOLS = frozenset(name for name, t in TOOLS.items() if t.kind == "write")


def find(name: Any) -> Tool:
    tool = TOOLS.get(name) if isinstance(name, str) else None
    if tool is None:
        raise BadArguments(f"unknown tool {name!r}; the tools are: {', '.join(TOOLS)}")
    return tool


def run_tool(db: FlightDB, name: Any, arguments: Any) -> dict[str, Any]:
    """Run tool `name` on `db`: `{"result": value}` or `{"error": "<why>"}`, never an exception."""
    try:
        tool = find(name)
        return {"result": tool.run(db, tool.parse(arguments))}
    except BadArguments as error:
        return {"error": f"{name}: bad arguments: {error}" if name in TOOLS else str(error)}
    except ToolError as error:
        return {"error": f"{name}: {error}"}


def _first_problem(error: ValidationError) -> str:
    problems = error.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "arguments"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def describe() -> list[dict[str, Any]]:
    """The tools as an agent sees them: name, what it does, its arguments' JSON schema."""
    return [{"name": t.name, "description": t.description, "parameters": t.arguments.model_json_schema()} for t in TOOLS.values()]
