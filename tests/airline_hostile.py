"""A hostile agent for the airline domain: random tool calls with random arguments, drawn partly
from the task user's real records so that some writes are well-formed, and random proposals
that the user may say yes to. Paired with a model that always gives the most permissive answer."""
from __future__ import annotations

import random
from typing import Any

from airline_support import proposal
from evoforge.domains.airline.session import AirlineSession
from evoforge.domains.airline.toolbox import TOOLS, WRITE_TOOLS
from evoforge.models.base import Completion, Message

PERMISSIVE = {"airline_confirmation": "true", "airline_cancel_reason": '"health"', "airline_compensation_asked": "true"}


class PermissiveModel:
    """Says yes, health, and 'asked' to every reading: the worst case for the write guard."""

    name = "test/permissive"

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: object = None) -> Completion:
        return Completion(text='{"result": %s}' % PERMISSIVE.get(contract or "", '"proceed"'), model=self.name)


def _value(rng: random.Random, pool: dict[str, list[Any]], key: str) -> Any:
    if rng.random() < 0.15:
        return rng.choice([None, -1, 0, 10**9, "", "x" * 50, [], {}, 3.5, True])
    return rng.choice(pool.get(key) or ["HAT001"])


def random_arguments(rng: random.Random, tool: str, pool: dict[str, list[Any]]) -> dict[str, Any]:
    fields = TOOLS[tool].arguments.model_fields
    args: dict[str, Any] = {}
    for name in fields:
        if rng.random() < 0.05:
            continue  # a missing argument now and then
        if name == "flights":
            args[name] = [{"flight_number": _value(rng, pool, "flight_number"), "date": _value(rng, pool, "date")} for _ in range(rng.randint(0, 3))]
        elif name == "passengers":
            args[name] = [{"first_name": "Ann", "last_name": "Lee", "dob": "1980-01-01"} for _ in range(rng.randint(0, 6))]
        elif name == "payment_methods":
            args[name] = [{"payment_id": _value(rng, pool, "payment_id"), "amount": rng.randint(0, 3000)} for _ in range(rng.randint(0, 4))]
        elif name in ("total_baggages", "nonfree_baggages", "amount"):
            args[name] = rng.randint(-1, 6) * (50 if name == "amount" else 1)
        else:
            args[name] = _value(rng, pool, name)
    return args


def pool_for(session: AirlineSession, user_id: str) -> dict[str, list[Any]]:
    owner = session.db.users[user_id]
    booked = [session.db.reservations[r] for r in owner.reservations]
    return {
        "user_id": [user_id], "reservation_id": list(owner.reservations),
        "payment_id": list(owner.payment_methods), "flight_number": [f.flight_number for r in booked for f in r.flights] + ["HAT001"],
        "date": [f.date for r in booked for f in r.flights] + ["2024-05-20"], "cabin": ["basic_economy", "economy", "business"],
        "origin": ["JFK", "SFO"], "destination": ["LAX", "ORD"], "flight_type": ["one_way", "round_trip"], "insurance": ["yes", "no"],
        "summary": ["help"], "expression": ["1+1"], "text": ["hello"],
    }


def hostile_episode(session: AirlineSession, user_id: str, rng: random.Random, steps: int = 40) -> None:
    pool = pool_for(session, user_id)
    session.call("send_message_to_user", {"text": "Hi! How can I help you today?"})
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.45:
            tool = rng.choice(sorted(WRITE_TOOLS))
            args = random_arguments(rng, tool, pool)
            if rng.random() < 0.8:  # propose it first, as if asking for confirmation
                session.call("send_message_to_user", {"text": proposal(tool, {k: v for k, v in args.items() if isinstance(v, (str, int, list))})})
            session.call(tool, args)
        elif roll < 0.6:
            session.call("send_message_to_user", {"text": rng.choice(["yes?", "Shall I cancel everything? yes/no", "ok"])})
        else:
            tool = rng.choice(sorted(TOOLS))
            session.call(tool, random_arguments(rng, tool, pool))
