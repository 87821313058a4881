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
        self._confirmations: dict[int, bool] = {}

    def check(self, tool: str, db: FlightDB, args: dict[str, Any], dialogue: Dialogue, changed: set[str]) -> Verdict:
        """Raises `ToolError` when the arguments name nothing real (no write can happen then)."""
        facts = facts_for(tool, db, args, self._said(dialogue, changed))
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
        confirmed = exchange is not None and self._confirmed(len(dialogue.turns), *exchange)
        return SaidFacts(
            confirmed_message=exchange[0] if exchange and confirmed else None,
            reason=lambda: self._ask("airline_cancel_reason", user_said=dialogue.user_said()),
            asked_compensation=lambda: self._ask("airline_compensation_asked", user_said=dialogue.user_said()),
            changed=changed,
        )

    def _confirmed(self, turn: int, agent_message: str, user_reply: str) -> bool:
        if turn not in self._confirmations:  # one reading per exchange, however many writes follow it
            self._confirmations[turn] = bool(self._ask("airline_confirmation", agent_message=agent_message[-4000:], user_reply=user_reply[-4000:]))
        return self._confirmations[turn]

    def _ask(self, contract: str, **inputs: Any) -> Any:
        result = guarded_call(self.specs.get(contract), inputs, self.model)
        self.records.append(result.record)
        return result.output
