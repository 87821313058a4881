"""The facts a write's policy contract is checked on, computed by the kernel from the task's
database, the proposed arguments and the dialogue, never taken from the agent.

`facts_for(tool, db, args, said)` returns the record the contract `policy_<tool>` expects
(specs/airline.toml). Facts read from the dialogue (the confirmation, the reason for a
cancellation, whether compensation was asked for) come from `said`, which reads them through
guarded calls: the guarantee is consistency with those readings, not their truth.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from evoforge.domains.airline.dialogue import lists_write
from evoforge.domains.airline.reads import ToolError, flight, reservation, user
from evoforge.domains.airline.schema import NOW, FlightDB, Reservation, User

FLOWN = {"landed", "flying"}


@dataclass
class SaidFacts:
    """What the dialogue shows, as the write guard reads it (lazily: only what a rule needs)."""

    confirmed_message: str | None  # the agent message the user said yes to, if the last reply was a yes
    reason: Callable[[], str]
    asked_compensation: Callable[[], bool]
    changed: set[str] = field(default_factory=set)  # reservations written in this conversation

    def common(self, tool: str, args: dict[str, Any]) -> dict[str, bool]:
        message = self.confirmed_message
        return {"confirmed": message is not None, "details_listed": message is not None and lists_write(message, tool, args)}


def _statuses(db: FlightDB, booked: Reservation) -> list[str]:
    found = []
    for leg in booked.flights:
        dated = db.flights.get(leg.flight_number)
        status = dated.dates.get(leg.date) if dated else None
        found.append(status.status if status else "unknown")
    return found


def _payment(owner: User, payment_id: str) -> tuple[str, float]:
    method = owner.payment_methods.get(payment_id)
    if method is None:
        raise ToolError(f"payment method '{payment_id}' is not in the profile of {owner.user_id}")
    return method.source, float(getattr(method, "amount", 0.0))


def _cancel(db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    booked = reservation(db, args["reservation_id"])
    statuses = _statuses(db, booked)
    minutes = int((datetime.fromisoformat(NOW) - datetime.fromisoformat(booked.created_at)).total_seconds() // 60)
    insured = booked.insurance == "yes"
    return {
        "cabin": booked.cabin, "minutes_since_booking": max(0, minutes), "has_insurance": insured,
        "any_flown": any(s in FLOWN for s in statuses), "airline_cancelled": "cancelled" in statuses,
        "reason": said.reason() if insured else "other",  # the reason matters only with insurance
        **said.common("cancel_reservation", args),
    }


def _baggage(db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    booked = reservation(db, args["reservation_id"])
    owner = user(db, booked.user_id)
    source, balance = _payment(owner, args["payment_id"])
    return {
        "membership": owner.membership, "cabin": booked.cabin, "passengers": len(booked.passengers),
        "old_total": booked.total_baggages, "old_nonfree": booked.nonfree_baggages,
        "new_total": args["total_baggages"], "new_nonfree": args["nonfree_baggages"],
        "payment_source": source, "payment_balance": balance, **said.common("update_reservation_baggages", args),
    }


def route_kept(origin: str, destination: str, round_trip: bool, legs: list[tuple[str, str]]) -> bool:
    """Whether the legs chain from origin to destination (and back to origin for a round trip)."""
    if not legs or any(a[1] != b[0] for a, b in zip(legs, legs[1:])) or legs[0][0] != origin:
        return False
    if not round_trip:
        return legs[-1][1] == destination
    return legs[-1][1] == origin and any(leg[1] == destination for leg in legs[:-1])


def _flights(db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    booked = reservation(db, args["reservation_id"])
    owner = user(db, booked.user_id)
    source, balance = _payment(owner, args["payment_id"])
    wanted = [(flight(db, f["flight_number"]), f["date"]) for f in args["flights"]]
    before = {(leg.flight_number, leg.date): leg.price for leg in booked.flights}
    new_total = 0
    for known, day in wanted:
        kept = before.get((known.flight_number, day)) if args["cabin"] == booked.cabin else None
        dated = known.dates.get(day)
        new_total += kept if kept is not None else ((dated.prices or {}).get(args["cabin"], 0) if dated else 0)
    changed = {(k.flight_number, d) for k, d in wanted} != set(before)
    return {
        "cabin_before": booked.cabin, "cabin_after": args["cabin"], "flights_changed": changed,
        "route_kept": route_kept(booked.origin, booked.destination, booked.flight_type == "round_trip",
                                 [(k.origin, k.destination) for k, _ in wanted]),
        "any_flown": any(s in FLOWN for s in _statuses(db, booked)),
        "price_difference": (new_total - sum(before.values())) * len(booked.passengers),
        "payment_source": source, "payment_balance": balance, **said.common("update_reservation_flights", args),
    }


def _passengers(db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    booked = reservation(db, args["reservation_id"])
    return {"old_count": len(booked.passengers), "new_count": len(args["passengers"]),
            **said.common("update_reservation_passengers", args)}


def _book(db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    owner = user(db, args["user_id"])
    sources = [owner.payment_methods[p["payment_id"]].source for p in args["payment_methods"] if p["payment_id"] in owner.payment_methods]
    legs = [(k.origin, k.destination) for k in (flight(db, f["flight_number"]) for f in args["flights"])]
    return {
        "membership": owner.membership, "cabin": args["cabin"], "passengers": len(args["passengers"]),
        "total_baggages": args["total_baggages"], "nonfree_baggages": args["nonfree_baggages"],
        "certificates": sources.count("certificate"), "credit_cards": sources.count("credit_card"),
        "gift_cards": sources.count("gift_card"),
        "route_ok": route_kept(args["origin"], args["destination"], args["flight_type"] == "round_trip", legs),
        **said.common("book_reservation", args),
    }


def _certificate(db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    owner = user(db, args["user_id"])
    message = (said.confirmed_message or "").upper()
    named = next((db.reservations[r] for r in owner.reservations if r in message and r in db.reservations), None)
    statuses = _statuses(db, named) if named else []
    return {
        "membership": owner.membership, "user_asked": said.asked_compensation(), "named_reservation": named is not None,
        "cabin": named.cabin if named else "basic_economy", "has_insurance": bool(named and named.insurance == "yes"),
        "passengers": len(named.passengers) if named else 0, "any_cancelled": "cancelled" in statuses,
        "any_delayed": "delayed" in statuses, "changed_in_session": bool(named and named.reservation_id in said.changed),
        "amount": args["amount"], **said.common("send_certificate", args),
    }


FACTS: dict[str, Callable[[FlightDB, dict[str, Any], SaidFacts], dict[str, Any]]] = {
    "cancel_reservation": _cancel,
    "update_reservation_baggages": _baggage,
    "update_reservation_flights": _flights,
    "update_reservation_passengers": _passengers,
    "book_reservation": _book,
    "send_certificate": _certificate,
}


def facts_for(tool: str, db: FlightDB, args: dict[str, Any], said: SaidFacts) -> dict[str, Any]:
    """The facts for `policy_<tool>`; raises `ToolError` when the arguments name nothing real."""
    return FACTS[tool](db, args, said)
