"""One task's conversation: the tools over a private copy of the database, the simulated user,
and (when guarded) the write guard. It implements the kernel's `ToolSession`:
`names()`, `call(name, arguments)` (never raises), `records()` (every tool call, for the
archive) and `guarded_calls()` (the kernel's own: policy checks, readings, a model-played user).

The agent talks to the user through the tool `send_message_to_user(text)`, whose result is
the user's reply; the reply `###STOP###` means the user has ended the conversation.

For each write `W` there is a read tool `facts_W` taking W's arguments: the facts the write's
policy contract would be checked on now, as the guard reads them (a guarded session only). An
agent program reads them to decide, and the kernel checks its write against them (witness).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from evoforge.contracts.guard import CallRecord
from evoforge.domains.airline.dialogue import STOP, Dialogue
from evoforge.domains.airline.facts import FACTS
from evoforge.domains.airline.guard import WriteGuard
from evoforge.domains.airline.reads import ToolError
from evoforge.domains.airline.schema import FlightDB, load_db
from evoforge.domains.airline.toolbox import TOOLS, BadArguments, find
from evoforge.domains.airline.users import User
from evoforge.models.base import BudgetExceeded

MESSAGE_TOOL = "send_message_to_user"
MAX_MESSAGE = 4000
KEPT = 2000  # characters of each argument and result kept in the records
FACTS_TOOLS = {f"facts_{write}": write for write in FACTS}  # the facts tool of each write


@dataclass
class Write:
    """A write that changed the database: what changed, and the user's last word before it."""

    tool: str
    arguments: dict[str, Any]
    changed: dict[tuple[str, str], str]  # record -> its hash after the write
    last_user_reply: str | None  # the user's reply to the agent's latest message, if it replied


class AirlineSession:
    def __init__(self, scenario_user: User, guard: WriteGuard | None = None, max_calls: int = 80, db: FlightDB | None = None):
        self.db = db if db is not None else load_db()
        self.user, self.guard, self.max_calls = scenario_user, guard, max_calls
        self.dialogue = Dialogue()
        self.writes: list[Write] = []
        self.blocked: list[dict[str, Any]] = []  # writes the guard refused, with the clause
        self.ended: str | None = None  # "user" (said ###STOP###), "limit" (too many calls), "budget"
        self._events: list[dict[str, Any]] = []

    def names(self) -> list[str]:
        return [*TOOLS, MESSAGE_TOOL, *FACTS_TOOLS]

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        if self.ended:
            reply = {"error": f"the conversation has ended ({self.ended}); return your final answer"}
        elif len(self._events) >= self.max_calls:
            self.ended = "limit"
            reply = {"error": f"the limit of {self.max_calls} tool calls is reached; the conversation has ended"}
        else:
            try:
                reply = self._message(arguments) if name == MESSAGE_TOOL else self._tool(name, arguments)
            except BudgetExceeded as error:
                self.ended = "budget"
                reply = {"error": str(error)}
        self._events.append({"tool": str(name)[:100], "arguments": _clip(arguments), **{k: _clip(v) for k, v in reply.items()}})
        return reply

    def _message(self, arguments: Any) -> dict[str, Any]:
        text = arguments.get("text") if isinstance(arguments, dict) and set(arguments) == {"text"} else None
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE:
            return {"error": f"{MESSAGE_TOOL} takes one argument, text: a message of 1 to {MAX_MESSAGE} characters"}
        self.dialogue.say("agent", text)
        answer = self.user.reply(self.dialogue)
        if STOP in answer:
            self.ended = "user"
            return {"result": STOP}
        self.dialogue.say("user", answer)
        return {"result": answer}

    def _tool(self, name: str, arguments: Any) -> dict[str, Any]:
        write = FACTS_TOOLS.get(name) if isinstance(name, str) else None
        try:
            tool = find(write or name)
            parsed = tool.parse(arguments)
        except BadArguments as error:
            return {"error": f"{name}: bad arguments: {error}" if name in TOOLS or write else str(error)}
        if write is not None:
            return self._facts(name, write, parsed.model_dump(mode="json"))
        if tool.kind != "write":
            try:
                return {"result": tool.run(self.db, parsed)}
            except ToolError as error:
                return {"error": f"{name}: {error}"}
        plain = parsed.model_dump(mode="json")
        try:
            if self.guard is not None:
                verdict = self.guard.check(name, self.db, plain, self.dialogue, self._changed())
                if not verdict.allowed:
                    self.blocked.append({"tool": name, "arguments": plain, "decision": verdict.decision, "reason": verdict.reason})
                    return {"error": f"{name} refused by policy: {verdict.reason} (the write was not made; {verdict.decision})"}
            before = self.db.record_hashes()
            result = tool.run(self.db, parsed)
        except ToolError as error:
            return {"error": f"{name}: {error}"}
        after = self.db.record_hashes()
        changed = {key: digest for key, digest in after.items() if before.get(key) != digest}
        exchange = self.dialogue.last_exchange()
        self.writes.append(Write(name, plain, changed, exchange[1] if exchange else None))
        return {"result": result}

    def _facts(self, name: str, write: str, plain: dict[str, Any]) -> dict[str, Any]:
        if self.guard is None:
            return {"error": f"{name}: policy facts are read by the write guard, and this conversation is unguarded"}
        try:
            return {"result": self.guard.facts(write, self.db, plain, self.dialogue, self._changed())}
        except ToolError as error:
            return {"error": f"{name}: {error}"}

    def _changed(self) -> set[str]:
        """The reservations written in this conversation."""
        return {w.arguments.get("reservation_id") for w in self.writes}

    def agent_said(self) -> list[str]:
        return self.dialogue.agent_messages()

    def records(self) -> list[dict[str, Any]]:
        """Every tool call in order."""
        return list(self._events)

    def guarded_calls(self) -> list[CallRecord]:
        """The kernel's own guarded calls in this conversation: the write guard's, then the user's."""
        return [*(self.guard.records if self.guard else []), *self.user.records()]


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        return value[:KEPT]
    text = json.dumps(value, default=str)
    return value if len(text) <= KEPT else text[:KEPT] + "..."
