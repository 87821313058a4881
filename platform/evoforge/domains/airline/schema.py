"""The airline database as typed models: flights with per-date status, users, reservations.

The models follow the fields of the wheel's `db.json`. Values are validated when the database
is loaded and when a tool builds a new record, so a tool never stores a malformed one.
`state_hash` is the fingerprint the evaluator compares, as tau2 compares database hashes.
"""
from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Cabin = Literal["basic_economy", "economy", "business"]
FlightType = Literal["one_way", "round_trip"]
YesNo = Literal["yes", "no"]
Membership = Literal["regular", "silver", "gold"]
Date = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
NOW = "2024-05-15T15:00:00"  # the policy's "current time" (EST)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Name(_Model):
    first_name: str
    last_name: str


class Address(_Model):
    address1: str
    address2: str | None = None
    city: str
    country: str
    state: str
    zip: str


class Passenger(_Model):
    first_name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    last_name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    dob: Date


class Payment(_Model):
    """One entry of a reservation's payment history (negative amounts are refunds)."""

    payment_id: str
    amount: int


class CreditCard(_Model):
    source: Literal["credit_card"]
    id: str
    brand: str
    last_four: str


class GiftCard(_Model):
    source: Literal["gift_card"]
    id: str
    amount: float


class Certificate(_Model):
    source: Literal["certificate"]
    id: str
    amount: float


PaymentMethod = Annotated[Union[CreditCard, GiftCard, Certificate], Field(discriminator="source")]


class FlightDate(_Model):
    """A flight on one date. Only `available` dates have seats and prices and can be booked."""

    status: Literal["available", "landed", "cancelled", "delayed", "flying", "on time"]
    available_seats: dict[Cabin, int] | None = None
    prices: dict[Cabin, int] | None = None
    actual_departure_time_est: str | None = None
    actual_arrival_time_est: str | None = None
    estimated_departure_time_est: str | None = None
    estimated_arrival_time_est: str | None = None


class Flight(_Model):
    flight_number: str
    origin: str
    destination: str
    scheduled_departure_time_est: str
    scheduled_arrival_time_est: str
    dates: dict[str, FlightDate]


class ReservationFlight(_Model):
    flight_number: str
    origin: str
    destination: str
    date: Date
    price: int


class User(_Model):
    user_id: str
    name: Name
    address: Address
    email: str
    dob: str
    payment_methods: dict[str, PaymentMethod]
    saved_passengers: list[Passenger]
    membership: Membership
    reservations: list[str]


class Reservation(_Model):
    reservation_id: str
    user_id: str
    origin: str
    destination: str
    flight_type: FlightType
    cabin: Cabin
    flights: list[ReservationFlight]
    passengers: list[Passenger]
    payment_history: list[Payment]
    created_at: str
    total_baggages: int
    nonfree_baggages: int
    insurance: YesNo
    status: Literal["cancelled"] | None = None


class FlightDB(_Model):
    flights: dict[str, Flight]
    users: dict[str, User]
    reservations: dict[str, Reservation]

    def plain(self) -> dict:
        return self.model_dump(mode="json", exclude_none=True)

    def state_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.plain(), sort_keys=True).encode()).hexdigest()

    def record_hashes(self) -> dict[tuple[str, str], str]:
        """A fingerprint per record (`("reservations", "ZFA04Y")` -> hash), to see what a write changed."""
        plain = self.plain()
        return {
            (table, key): hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
            for table, records in plain.items() for key, value in records.items()
        }


def load_db() -> FlightDB:
    """A fresh, private copy of the initial database (each task gets its own)."""
    from evoforge.domains.airline.data import raw_db

    return FlightDB.model_validate(raw_db())


class FlightInfo(_Model):
    """A flight an agent asks for: its number and date."""

    flight_number: str
    date: Date
