"""Hand-made airline databases and a reference-following agent for the airline tests."""
from __future__ import annotations

from typing import Any

from evoforge.domains.airline.dialogue import ACTION_WORDS, key_values
from evoforge.domains.airline.schema import FlightDB

OPEN = {"status": "available", "available_seats": {"basic_economy": 5, "economy": 5, "business": 2},
        "prices": {"basic_economy": 50, "economy": 100, "business": 300}}


def tiny_db() -> FlightDB:
    """Two flights JFK->ORD->JFK, one gold and one regular user, three reservations."""
    return FlightDB.model_validate({
        "flights": {
            "HAT001": {"flight_number": "HAT001", "origin": "JFK", "destination": "ORD",
                       "scheduled_departure_time_est": "08:00:00", "scheduled_arrival_time_est": "10:00:00",
                       "dates": {"2024-05-20": OPEN, "2024-05-21": OPEN, "2024-05-10": {"status": "landed",
                                 "actual_departure_time_est": "2024-05-10T08:00:00", "actual_arrival_time_est": "2024-05-10T10:00:00"}}},
            "HAT002": {"flight_number": "HAT002", "origin": "ORD", "destination": "JFK",
                       "scheduled_departure_time_est": "12:00:00", "scheduled_arrival_time_est": "14:00:00",
                       "dates": {"2024-05-22": OPEN, "2024-05-23": {"status": "cancelled"}}},
        },
        "users": {
            "ann_lee_1": {"user_id": "ann_lee_1", "name": {"first_name": "Ann", "last_name": "Lee"},
                          "address": {"address1": "1 Main St", "city": "Boston", "country": "USA", "state": "MA", "zip": "02101"},
                          "email": "ann@example.com", "dob": "1980-01-01", "membership": "gold", "saved_passengers": [],
                          "payment_methods": {"credit_card_1": {"source": "credit_card", "id": "credit_card_1", "brand": "visa", "last_four": "1111"},
                                              "gift_card_1": {"source": "gift_card", "id": "gift_card_1", "amount": 120.0},
                                              "certificate_1": {"source": "certificate", "id": "certificate_1", "amount": 500.0}},
                          "reservations": ["AAA111", "BBB222"]},
            "bob_ray_2": {"user_id": "bob_ray_2", "name": {"first_name": "Bob", "last_name": "Ray"},
                          "address": {"address1": "2 Side St", "city": "Austin", "country": "USA", "state": "TX", "zip": "73301"},
                          "email": "bob@example.com", "dob": "1990-02-02", "membership": "regular", "saved_passengers": [],
                          "payment_methods": {"credit_card_2": {"source": "credit_card", "id": "credit_card_2", "brand": "visa", "last_four": "2222"}},
                          "reservations": ["CCC333"]},
        },
        "reservations": {
            "AAA111": _reservation("AAA111", "ann_lee_1", "economy", "2024-05-01T10:00:00", [("HAT001", "JFK", "ORD", "2024-05-20", 100)]),
            "BBB222": _reservation("BBB222", "ann_lee_1", "basic_economy", "2024-05-15T10:00:00", [("HAT001", "JFK", "ORD", "2024-05-21", 50)]),
            "CCC333": _reservation("CCC333", "bob_ray_2", "economy", "2024-05-01T10:00:00", [("HAT001", "JFK", "ORD", "2024-05-10", 100)]),
        },
    })


def _reservation(rid: str, uid: str, cabin: str, created: str, legs: list[tuple]) -> dict[str, Any]:
    return {"reservation_id": rid, "user_id": uid, "origin": legs[0][1], "destination": legs[-1][2], "flight_type": "one_way",
            "cabin": cabin, "flights": [{"flight_number": n, "origin": o, "destination": d, "date": day, "price": p} for n, o, d, day, p in legs],
            "passengers": [{"first_name": "Ann", "last_name": "Lee", "dob": "1980-01-01"}],
            "payment_history": [{"payment_id": "credit_card_1" if uid == "ann_lee_1" else "credit_card_2", "amount": legs[0][4]}],
            "created_at": created, "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}


def proposal(tool: str, arguments: dict[str, Any]) -> str:
    """A confirmation request that lists the write, as a careful agent would send it."""
    return f"I will {ACTION_WORDS[tool][0]}: {' '.join(key_values(tool, arguments))}. Do you confirm (yes/no)?"


def follow_reference(session, actions: list[dict[str, Any]]) -> None:
    """Greet, hear the user out, then make each reference action, asking for a yes before each write."""
    session.call("send_message_to_user", {"text": "Hi! How can I help you today?"})
    session.call("send_message_to_user", {"text": "Is there anything else I should know?"})
    for action in actions:
        if action["name"] in ACTION_WORDS:
            session.call("send_message_to_user", {"text": proposal(action["name"], action["arguments"])})
        session.call(action["name"], action["arguments"])
