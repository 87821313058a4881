"""What sandboxed code may ask of the kernel: the `KernelService` behind the channel.

The channel (`channel.py`) reads one request per line from the sandbox and turns it into one
call of a `KernelService` method; `REQUESTS` lists the request kinds, one method each. A
service answers every request with a reply dict, `{"output" | "result": value}` or
`{"error": reason}`, and never raises because of what the sandbox sent.

Implementations: `GuardService` (guard_service.py: guarded model calls, a domain's tools and,
for a meta agent, the evaluator on train tasks)
and `NoService` (for sandboxes that must not reach the kernel, such as answer checking).
One request needs no service: `predicate` evaluates a kernel predicate (contracts/predicates.py)
on string arguments, so a synthesized program's glue computes in the sandbox what its proof is
about; predicates are pure and total, and their arguments are capped in size.
"""
from __future__ import annotations

from typing import Any, Callable, Protocol

Reply = dict[str, Any]


class KernelService(Protocol):
    def generate(self, contract: str, inputs: dict[str, Any], options: dict[str, Any] | None = None) -> Reply:
        """A guarded model call under `contract`: `{"output": value}` satisfying it, or an error.
        `options` are shaping options (contracts/shaping.py: `_prefix`, `_temperature`); any
        other key is refused with an error reply."""
        ...

    def tool(self, name: str, arguments: dict[str, Any]) -> Reply:
        """A call of the domain tool `name`: `{"result": value}` or an error."""
        ...

    def score(self, task_id: str, answer: Any) -> Reply:
        """The domain's evaluator on a train task: `{"result": {"score", "detail"}}`, or an
        error (for any other task, or a service that offers no scoring)."""
        ...


class NoService:
    """The service of a sandbox with no kernel access: every request is refused."""

    def generate(self, contract: str, inputs: dict[str, Any], options: dict[str, Any] | None = None) -> Reply:
        return {"error": "this sandbox has no kernel channel"}

    def tool(self, name: str, arguments: dict[str, Any]) -> Reply:
        return {"error": "this sandbox has no kernel channel"}

    def score(self, task_id: str, answer: Any) -> Reply:
        return {"error": "this sandbox has no kernel channel"}


def _generate(service: KernelService, params: dict[str, Any]) -> Reply:
    contract, inputs, options = params.get("contract"), params.get("inputs"), params.get("options", {})
    if not isinstance(contract, str) or not isinstance(inputs, dict) or not isinstance(options, dict):
        return {"error": "generate needs {'contract': NAME, 'inputs': {...}, 'options': {...} (optional)}"}
    return service.generate(contract, inputs, options)


def _tool(service: KernelService, params: dict[str, Any]) -> Reply:
    name, arguments = params.get("name"), params.get("arguments")
    if not isinstance(name, str) or not isinstance(arguments, dict):
        return {"error": "tool needs {'name': TOOL, 'arguments': {...}}"}
    return service.tool(name, arguments)


def _score(service: KernelService, params: dict[str, Any]) -> Reply:
    task_id = params.get("task_id")
    if not isinstance(task_id, str) or "answer" not in params:
        return {"error": "score needs {'task_id': ID, 'answer': value}"}
    return service.score(task_id, params["answer"])


MAX_PREDICATE_CHARS = 200_000  # per call, all arguments together: a predicate parses its text


def _predicate(service: KernelService, params: dict[str, Any]) -> Reply:
    from evoforge.contracts.predicates import PREDICATES

    name, args = params.get("name"), params.get("args")
    if not isinstance(name, str) or not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        return {"error": "predicate needs {'name': PREDICATE, 'args': [text, ...]}"}
    chosen = PREDICATES.get(name)
    if chosen is None:
        return {"error": f"unknown kernel predicate {name[:60]!r} (known: {', '.join(sorted(PREDICATES))})"}
    if len(args) != len(chosen.arg_types):
        return {"error": f"{name}() takes {len(chosen.arg_types)} argument(s), not {len(args)}"}
    if sum(map(len, args)) > MAX_PREDICATE_CHARS:
        return {"error": f"{name}(): arguments longer than {MAX_PREDICATE_CHARS} characters"}
    return {"result": chosen.function(*args)}


# Request kind -> how its params become a service call (or, for predicates, an answer).
REQUESTS: dict[str, Callable[[KernelService, dict[str, Any]], Reply]] = {
    "generate": _generate, "tool": _tool, "predicate": _predicate, "score": _score,
}


def answer(service: KernelService, method: str, params: dict[str, Any]) -> Reply:
    """The reply to one request; an unknown kind or a service bug becomes an error reply."""
    request = REQUESTS.get(method)
    if request is None:
        return {"error": f"unknown method {method[:60]!r}; the channel offers: {', '.join(REQUESTS)}"}
    try:
        return request(service, params)
    except Exception as error:  # a kernel service bug must not take the orchestrator down
        return {"error": f"the kernel failed to answer {method}: {error}"}
