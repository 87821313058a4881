"""Domain tools for agent programs: a task's tool session held to the tools' declared types.

The verifier assumes of a tool's result only its declared output type (`[tools.NAME]`,
contracts/tools.py), so the kernel must make that true: `TypedSession` wraps a domain's
`ToolSession` and answers a call only with a result conformed to the declared type (and only
for the task's declared tools, with arguments of their declared types); a result that does
not fit becomes an error reply, so the program fails instead of computing on it. It serves
the sandbox channel (`GuardService.tools`) and, through `SessionTools`, the interpreter.

A write held to a policy (`policy`, `witness` in `[tools.NAME]`) runs only when each witnessed
argument is what its facts tool gives now (so the facts the proof reasoned about are the
kernel's, not the program's) and the policy contract allows it; the witnessed arguments are the
kernel's check, never passed on to the domain's tool.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evoforge.contracts.model import ContractUnavailable
from evoforge.contracts.tools import ToolSpec, policy_breach
from evoforge.contracts.types import ValueTypeError, conform, to_plain
from evoforge.synthesis.language.interpret import ProgramFailure

if TYPE_CHECKING:
    from evoforge.contracts import SpecSet
    from evoforge.contracts.guard import CallRecord
    from evoforge.domains.base import ToolSession


class TypedSession:
    """A `ToolSession` that calls only `signatures`' tools and returns only conforming results."""

    def __init__(self, session: ToolSession, signatures: dict[str, ToolSpec], specs: SpecSet | None = None):
        self.session, self.signatures, self.specs = session, signatures, specs

    def names(self) -> list[str]:
        return [n for n in self.session.names() if n in self.signatures]

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        spec = self.signatures.get(name)
        if spec is None:
            return {"error": f"no tool {name!r} for this task (its tools: {', '.join(self.signatures) or 'none'})"}
        if set(arguments) != set(spec.inputs):
            return {"error": f"tool {name!r} takes exactly {', '.join(spec.inputs) or 'no arguments'}"}
        try:  # as plain values: a domain's tools take what a JSON tool call would give them
            plain = {n: to_plain(conform(arguments[n], t, f"argument {n}")) for n, t in spec.inputs.items()}
        except ValueTypeError as error:
            return {"error": f"tool {name!r}: {error}"}
        refused = self._witnessed(spec, plain) or self._allowed(spec, plain)
        if refused is not None:
            return {"error": f"tool {name!r} refused: {refused} (the write was not made)"}
        reply = self.session.call(name, spec.chosen_inputs(plain))
        if "error" in reply:
            return {"error": f"tool {name!r}: {reply['error']}"}
        try:
            return {"result": conform(reply.get("result"), spec.output, f"the result of tool {name}")}
        except ValueTypeError as error:
            return {"error": f"tool {name!r} gave a result outside its declared type {spec.output}: {error}"}

    def _witnessed(self, spec: ToolSpec, plain: dict[str, Any]) -> str | None:
        """Why a witnessed argument is not the kernel's facts now, or None when each one is."""
        for name, source in spec.witness.items():
            facts_tool = self.signatures[source]
            reply = self.session.call(source, {n: plain[n] for n in facts_tool.inputs})
            if "error" in reply:
                return f"its facts could not be read ({reply['error']})"
            try:
                now = to_plain(conform(reply.get("result"), facts_tool.output, f"the result of tool {source}"))
            except ValueTypeError as error:
                return str(error)
            if now != plain[name]:
                return f"{name} is not what {source} gives now; read the facts again right before the write"
        return None

    def _allowed(self, spec: ToolSpec, plain: dict[str, Any]) -> str | None:
        """Why the write's policy forbids it, or None (also when no policy or no specs are known)."""
        if spec.policy is None or self.specs is None:
            return None
        try:
            contract = self.specs.get(spec.policy.contract)
            clause = policy_breach(spec.policy.allows, contract, plain)
        except (ContractUnavailable, ValueTypeError) as error:
            return str(error)
        return None if clause is None else f"policy {contract.name}: {clause.describe()}"

    def records(self) -> list[dict[str, Any]]:
        return self.session.records()

    def guarded_calls(self) -> list[CallRecord]:
        return self.session.guarded_calls()


class SessionTools:
    """A tool session as the interpreter's `Tools`: the result, or a `ProgramFailure`."""

    def __init__(self, session: ToolSession):
        self.session = session

    def __call__(self, name: str, arguments: dict[str, Any]) -> Any:
        reply = self.session.call(name, arguments)
        if "error" in reply:
            raise ProgramFailure(str(reply["error"]))
        return reply.get("result")
