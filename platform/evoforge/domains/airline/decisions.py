"""Single-turn policy decisions derived from the reference outcomes (issue 14, point 7).

A decision is one write as the write guard sees it: the facts the kernel computes from the
database and the proposed arguments (facts.py), and the customer's request (the task's
instructions). Its label is what the reference did:
- *allowed*: every write in a task's reference actions, on the database as the reference
  actions before it left it; its amount is what the write moves (a refund, a fee, a price
  difference, a booking's price), where there is one;
- *denied*: a cancellation the customer asks for (the word "cancel" in the instructions, not
  negated) that the reference does not make, of a reservation the instructions name, or, when
  they name none and the reference makes no write, of the one reservation it looks up. (Where
  it looks up several, or changes the reservation instead, the customer may not have wanted
  it cancelled: left out.)

The facts read from the dialogue in a conversation (the reason for a cancellation, whether
compensation was asked for) are read here from the request by the same guarded readings
(`measure`); the confirmation is taken as given (a decision is one confirmed proposal).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evoforge.contracts import SpecSet, guarded_call
from evoforge.contracts.guard import guarded_value
from evoforge.contracts.parsing import OutputParseError, parse_output
from evoforge.contracts.prompt import render
from evoforge.domains.airline.data import raw_tasks
from evoforge.domains.airline.dialogue import ACTION_WORDS, key_values
from evoforge.domains.airline.facts import FACTS, SaidFacts, facts_for
from evoforge.domains.airline.reads import ToolError
from evoforge.domains.airline.schema import FlightDB, load_db
from evoforge.domains.airline.toolbox import run_tool
from evoforge.domains.airline.users import asked_for, instructions_text, reservation_ids
from evoforge.models.base import Message, ModelClient

CANCEL = "cancel_reservation"
_CANCEL_WORD = re.compile(r"\bcancel\b", re.IGNORECASE)  # the verb, not "cancelled"
# A fact read from the dialogue -> the guarded reading that gives it in a conversation.
READINGS = {"reason": "airline_cancel_reason", "user_asked": "airline_compensation_asked"}


@dataclass(frozen=True)
class Decision:
    task_id: str
    tool: str
    arguments: dict[str, Any]
    facts: dict[str, Any]  # the policy contract's input; dialogue facts are filled in by `measure`
    request: str
    allowed: bool
    amount: float | None = None
    reads: frozenset[str] = field(default_factory=frozenset)  # facts to read from the request


def derive() -> list[Decision]:
    """Every decision the 50 tasks' reference outcomes give, in task order."""
    found: list[Decision] = []
    for task in raw_tasks():
        opening, rest = instructions_text(task["user_scenario"])
        request = f"{opening} {rest}".strip()
        db = load_db()
        looked_up: list[str] = []
        for action in task["evaluation_criteria"].get("actions") or []:
            name, args = action["name"], action["arguments"]
            if name == "get_reservation_details":
                looked_up.append(args["reservation_id"])
            if name in FACTS:
                decision = _decision(task["id"], name, args, db, request, allowed=True)
                if decision is not None:
                    found.append(decision)
            run_tool(db, name, args)
        if _CANCEL_WORD.search(request) and asked_for(request.lower(), "cancel"):
            actions = task["evaluation_criteria"].get("actions") or []
            written = {a["arguments"].get("reservation_id") for a in actions if a["name"] in FACTS}  # cancelled or changed
            refused = not any(a["name"] in FACTS for a in actions)
            candidates = sorted(reservation_ids(request)) or (looked_up if refused and len(set(looked_up)) == 1 else [])
            for reservation_id in dict.fromkeys(candidates):
                if reservation_id not in written and _open(db, reservation_id):
                    decision = _decision(task["id"], CANCEL, {"reservation_id": reservation_id}, db, request, allowed=False)
                    if decision is not None:
                        found.append(decision)
    return found


def _open(db: FlightDB, reservation_id: str) -> bool:
    found = db.reservations.get(reservation_id)
    return found is not None and found.status != "cancelled"


def _decision(task_id: str, tool: str, args: dict[str, Any], db: FlightDB, request: str, allowed: bool) -> Decision | None:
    reads: set[str] = set()
    # A confirmed proposal that lists the write, as the guard requires of a real one.
    message = " ".join([ACTION_WORDS[tool][0], *key_values(tool, args)])
    said = SaidFacts(message, reason=lambda: _mark(reads, "reason", "other"),
                     asked_compensation=lambda: _mark(reads, "user_asked", False))
    try:
        facts = facts_for(tool, db, args, said)
    except (ToolError, KeyError):  # the arguments name nothing real: no policy decision to make
        return None
    return Decision(task_id, tool, dict(args), facts, request, allowed, _amount(tool, db, args, facts) if allowed else None,
                    frozenset(reads))


def _mark(reads: set[str], name: str, placeholder: Any) -> Any:
    reads.add(name)
    return placeholder


def _amount(tool: str, db: FlightDB, args: dict[str, Any], facts: dict[str, Any]) -> float | None:
    if tool == CANCEL:
        return float(sum(p.amount for p in db.reservations[args["reservation_id"]].payment_history))
    if tool == "update_reservation_baggages":
        return 50.0 * max(0, facts["new_nonfree"] - facts["old_nonfree"])
    if tool == "update_reservation_flights":
        return float(facts["price_difference"])
    if tool == "book_reservation":
        return float(sum(p["amount"] for p in args["payment_methods"]))
    if tool == "send_certificate":
        return float(args["amount"])
    return None


@dataclass
class Verdicts:
    """One configuration's answers on the decision set, judged against the reference labels."""

    label: str
    right: int = 0
    violations: int = 0  # allowed where the reference denies
    undecided: int = 0  # no readable answer (counted wrong, not a violation)
    fallbacks: int = 0
    model_calls: int = 0
    total: int = 0

    def add(self, decision: Decision, allowed: bool | None) -> None:
        self.total += 1
        self.undecided += allowed is None
        self.right += allowed == decision.allowed
        self.violations += bool(allowed) and not decision.allowed


def read_facts(decision: Decision, specs: SpecSet, model: ModelClient) -> tuple[dict[str, Any], int]:
    """The decision's facts, those a conversation reads from the dialogue read from the request
    by the same guarded readings; and the model calls that took."""
    facts, calls = dict(decision.facts), 0
    for name in sorted(decision.reads):
        result = guarded_call(specs.get(READINGS[name]), {"user_said": decision.request[-6000:]}, model)
        calls += len(result.record.attempts)
        facts[name] = result.output
    return facts, calls


def unguarded(decision: Decision, facts: dict[str, Any], specs: SpecSet, model: ModelClient, tally: Verdicts) -> None:
    """The model's raw answer to the policy contract's prompt; no check, no fallback."""
    contract = specs.get(f"policy_{decision.tool}")
    messages = [Message("system", contract.system or ""), Message("user", render(contract.prompt, {"facts": facts}))]
    text = model.complete(messages, contract=contract.name).text
    tally.model_calls += 1
    try:
        answer: Any = parse_output(text, contract.output, contract.parse)
    except OutputParseError:
        answer = None
    tally.add(decision, None if answer is None else answer == "proceed")


def guarded(decision: Decision, facts: dict[str, Any], specs: SpecSet, model: ModelClient, tally: Verdicts) -> None:
    """The same question as a guarded call: a proposal that breaks a clause gets the proven fallback."""
    result = guarded_call(specs.get(f"policy_{decision.tool}"), {"facts": facts}, model)
    tally.model_calls += len(result.record.attempts)
    tally.fallbacks += result.record.fallback_used
    tally.add(decision, result.output == "proceed")


def contract_verdict(decision: Decision, facts: dict[str, Any], specs: SpecSet, tally: Verdicts) -> None:
    """What the policy contract itself says of the facts (a proposal of 'proceed'), no model asked."""
    result = guarded_value(specs.get(f"policy_{decision.tool}"), {"facts": facts}, "proceed", source="decision-set")
    tally.add(decision, result.output == "proceed")
