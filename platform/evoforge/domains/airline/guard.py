"""The write guard: an agent's proposed write runs only if its policy contract holds.

For a write tool `T` the kernel computes the facts (facts.py) and makes the guarded call
`policy_T` on the agent's proposal, "proceed" (`guarded_value`). When the
proposal breaks a clause, the guard returns the contract's proven fallback (refuse, or transfer
to a human) and the clause's message, which the agent receives as the tool's error.
Facts read from the dialogue go through their own guarded calls with the run's model.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evoforge.contracts import PreconditionViolation, SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord, guarded_value
from evoforge.domains.airline.dialogue import Dialogue
from evoforge.domains.airline.facts import SaidFacts, facts_for
from evoforge.domains.airline.schema import FlightDB
from evoforge.models.base import ModelClient

PROCEED = "proceed"


@dataclass
class Verdict:
    allowed: bool
    decision: str  # "proceed", or the fallback: "refuse" / "transfer_to_human"
    reason: str
    facts: dict[str, Any] = field(default_factory=dict)


class WriteGuard:
    def __init__(self, specs: SpecSet, model: ModelClient):
        self.specs, self.model = specs, model
        self.records: list[CallRecord] = []
        self._readings: dict[tuple[Any, ...], Any] = {}  # one reading per question and dialogue state

    def facts(self, tool: str, db: FlightDB, args: dict[str, Any], dialogue: Dialogue, changed: set[str]) -> dict[str, Any]:
        """The facts `policy_<tool>` is checked on now; raises `ToolError` when the arguments name
        nothing real. The same dialogue gives the same facts: each reading is made once."""
        return facts_for(tool, db, args, self._said(dialogue, changed))

    def check(self, tool: str, db: FlightDB, args: dict[str, Any], dialogue: Dialogue, changed: set[str]) -> Verdict:
        """Raises `ToolError` when the arguments name nothing real (no write can happen then)."""
        facts = self.facts(tool, db, args, dialogue, changed)
        try:
            result = guarded_value(self.specs.get(f"policy_{tool}"), {"facts": facts}, PROCEED, source="agent-proposal")
        except PreconditionViolation as error:
            return Verdict(False, "refuse", f"the facts are outside the policy's scope: {error}", facts)
        self.records.append(result.record)
        if result.output == PROCEED:
            return Verdict(True, PROCEED, "the policy allows it", facts)
        return Verdict(False, str(result.output), result.record.attempts[0].violation or "refused", facts)

    def _said(self, dialogue: Dialogue, changed: set[str]) -> SaidFacts:
        exchange = dialogue.last_exchange()
        turn = len(dialogue.turns)
        confirmed = exchange is not None and bool(self._ask(turn, "airline_confirmation", agent_message=exchange[0][-4000:], user_reply=exchange[1][-4000:]))
        return SaidFacts(
            confirmed_message=exchange[0] if exchange and confirmed else None,
            reason=lambda: self._ask(turn, "airline_cancel_reason", user_said=dialogue.user_said()),
            asked_compensation=lambda: self._ask(turn, "airline_compensation_asked", user_said=dialogue.user_said()),
            changed=changed,
        )

    def _ask(self, turn: int, contract: str, **inputs: Any) -> Any:
        """A reading of the dialogue as it stands at `turn`, made once however many writes (and
        facts reads) follow it."""
        key = (turn, contract)
        if key not in self._readings:
            self._readings[key] = self._read(contract, inputs)
        return self._readings[key]

    def _read(self, contract: str, inputs: dict[str, Any]) -> Any:
        result = guarded_call(self.specs.get(contract), inputs, self.model)
        self.records.append(result.record)
        return result.output
