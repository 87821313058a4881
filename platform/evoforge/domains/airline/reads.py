"""The read tools: look up users, reservations and flights, search flights, calculate.

Every tool takes the task's own database first; a lookup that fails raises `ToolError` with
a sentence the agent can act on (the toolbox turns it into an error result).
"""
from __future__ import annotations

import ast
import operator
from datetime import date, timedelta

from evoforge.domains.airline.schema import Date, Flight, FlightDate, FlightDB, Reservation, User

AIRPORTS = {
    "SFO": "San Francisco", "JFK": "New York", "LAX": "Los Angeles", "ORD": "Chicago", "DFW": "Dallas",
    "DEN": "Denver", "SEA": "Seattle", "ATL": "Atlanta", "MIA": "Miami", "BOS": "Boston",
    "PHX": "Phoenix", "IAH": "Houston", "LAS": "Las Vegas", "MCO": "Orlando", "EWR": "Newark",
    "CLT": "Charlotte", "MSP": "Minneapolis", "DTW": "Detroit", "PHL": "Philadelphia", "LGA": "LaGuardia",
}


class ToolError(Exception):
    """A tool refused its arguments or found nothing; the message is shown to the agent."""


def user(db: FlightDB, user_id: str) -> User:
    found = db.users.get(user_id.strip())
    if found is None:
        raise ToolError(f"user '{user_id}' not found")
    return found


def reservation(db: FlightDB, reservation_id: str) -> Reservation:
    found = db.reservations.get(reservation_id.strip().upper())
    if found is None:
        raise ToolError(f"reservation '{reservation_id}' not found")
    return found


def flight(db: FlightDB, flight_number: str) -> Flight:
    found = db.flights.get(flight_number.strip().upper())
    if found is None:
        raise ToolError(f"flight '{flight_number}' not found")
    return found


def flight_on(db: FlightDB, flight_number: str, day: str) -> FlightDate:
    dated = flight(db, flight_number).dates.get(day)
    if dated is None:
        raise ToolError(f"flight '{flight_number}' does not fly on {day}")
    return dated


def get_user_details(db: FlightDB, user_id: str) -> dict:
    """The user's profile: name, address, payment methods, membership and reservation ids."""
    return user(db, user_id).model_dump(mode="json", exclude_none=True)


def get_reservation_details(db: FlightDB, reservation_id: str) -> dict:
    """A reservation: flights, passengers, payments, cabin, baggage, insurance, creation time."""
    return reservation(db, reservation_id).model_dump(mode="json", exclude_none=True)


def get_flight_status(db: FlightDB, flight_number: str, date: Date) -> str:
    """The status of a flight on a date: available, on time, delayed, flying, landed or cancelled."""
    return flight_on(db, flight_number, date).status


def list_all_airports(db: FlightDB) -> list[dict]:
    """Every airport served, as IATA code and city."""
    return [{"iata": code, "city": city} for code, city in AIRPORTS.items()]


def _available(db: FlightDB, day: str, origin: str | None, destination: str | None, leave_after: str | None = None) -> list[dict]:
    found = []
    for candidate in db.flights.values():
        dated = candidate.dates.get(day)
        if dated is None or dated.status != "available":
            continue
        if origin is not None and candidate.origin != origin:
            continue
        if destination is not None and candidate.destination != destination:
            continue
        if leave_after is not None and candidate.scheduled_departure_time_est < leave_after:
            continue
        found.append({
            "flight_number": candidate.flight_number, "origin": candidate.origin, "destination": candidate.destination,
            "date": day, "status": "available",
            "scheduled_departure_time_est": candidate.scheduled_departure_time_est,
            "scheduled_arrival_time_est": candidate.scheduled_arrival_time_est,
            "available_seats": dated.available_seats, "prices": dated.prices,
        })
    return found


def search_direct_flight(db: FlightDB, origin: str, destination: str, date: Date) -> list[dict]:
    """Bookable direct flights from origin to destination (IATA codes) on a date (YYYY-MM-DD)."""
    return _available(db, date, origin.upper(), destination.upper())


def search_onestop_flight(db: FlightDB, origin: str, destination: str, date: Date) -> list[list[dict]]:
    """Bookable pairs of flights via one connecting airport; the second leg leaves after the
    first arrives (on the next day when the first arrives after midnight, marked '+1')."""
    pairs = []
    for first in _available(db, date, origin.upper(), None):
        arrival = first["scheduled_arrival_time_est"]
        next_day = "+1" in arrival
        day = (_day(date) + timedelta(days=1)).isoformat() if next_day else date
        leave_after = arrival.replace("+1", "")
        for second in _available(db, day, first["destination"], destination.upper(), leave_after):
            pairs.append([first, second])
    return pairs


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def calculate(db: FlightDB, expression: str) -> str:
    """The value of an arithmetic expression of numbers, + - * /, parentheses; rounded to 2 places."""
    if len(expression) > 200 or not set(expression) <= set("0123456789+-*/(). "):
        raise ToolError("the expression may hold only numbers, + - * /, parentheses and spaces (at most 200 characters)")
    try:
        value = _evaluate(ast.parse(expression, mode="eval").body)
    except (SyntaxError, ZeroDivisionError, ValueError) as error:
        raise ToolError(f"cannot calculate {expression!r}: {error}") from None
    return str(round(value, 2))


def _evaluate(node: ast.expr) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    raise ValueError("not an arithmetic expression")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ToolError(f"'{text}' is not a date in the form YYYY-MM-DD") from None
