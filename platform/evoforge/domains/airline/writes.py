"""The write tools: book, cancel, change flights / baggage / passengers, send a certificate.

As in tau2, these tools check only what the database itself needs (records exist, seats and
balances suffice, payments add up); the policy's rules are not checked here but by the write
guard (guard.py). Each tool checks everything before it changes anything, so a refused call
leaves the database exactly as it was.
"""
from __future__ import annotations

from evoforge.domains.airline.reads import ToolError, flight, flight_on, reservation, user
from evoforge.domains.airline.schema import (
    NOW, Cabin, Certificate, FlightDB, FlightInfo, FlightType, Passenger, Payment, Reservation,
    ReservationFlight, User, YesNo,
)

NEW_RESERVATION_IDS = ("HATHAT", "HATHAU", "HATHAV")
NEW_CERTIFICATE_IDS = ("certificate_3221322", "certificate_3221323", "certificate_3221324")
BAG_FEE, INSURANCE_FEE = 50, 30


def _bags(total: int, nonfree: int) -> None:
    if not 0 <= nonfree <= total:
        raise ToolError("baggage counts must satisfy 0 <= nonfree_baggages <= total_baggages")


def _bookable(db: FlightDB, info: FlightInfo, cabin: Cabin, seats: int) -> ReservationFlight:
    known = flight(db, info.flight_number)
    dated = flight_on(db, known.flight_number, info.date)
    if dated.status != "available" or dated.prices is None or dated.available_seats is None:
        raise ToolError(f"flight {known.flight_number} on {info.date} is {dated.status}, not available for booking")
    if dated.available_seats[cabin] < seats:
        raise ToolError(f"flight {known.flight_number} on {info.date} has only {dated.available_seats[cabin]} {cabin} seat(s) left")
    return ReservationFlight(flight_number=known.flight_number, origin=known.origin, destination=known.destination,
                             date=info.date, price=dated.prices[cabin])


def _open(db: FlightDB, reservation_id: str) -> Reservation:
    found = reservation(db, reservation_id)
    if found.status == "cancelled":
        raise ToolError(f"reservation {found.reservation_id} is cancelled and cannot be changed")
    return found


def _check_update_payment(owner: User, payment_id: str, price: int) -> None:
    method = owner.payment_methods.get(payment_id)
    if method is None:
        raise ToolError(f"payment method '{payment_id}' is not in the profile of {owner.user_id}")
    if method.source == "certificate":
        raise ToolError("a certificate cannot pay for a change to a reservation")
    if method.source == "gift_card" and method.amount < price:
        raise ToolError(f"gift card {payment_id} holds {method.amount}, less than the {price} due")


def _pay_for_change(found: Reservation, owner: User, payment_id: str, price: int) -> None:
    """Check, then take `price` (negative: refund) from one method and record it on the reservation."""
    _check_update_payment(owner, payment_id, price)
    method = owner.payment_methods[payment_id]
    if method.source == "gift_card":
        method.amount = method.amount - price
    if price != 0:
        found.payment_history = [*found.payment_history, Payment(payment_id=payment_id, amount=price)]


def book_reservation(db: FlightDB, user_id: str, origin: str, destination: str, flight_type: FlightType, cabin: Cabin,
                     flights: list[FlightInfo], passengers: list[Passenger], payment_methods: list[Payment],
                     total_baggages: int, nonfree_baggages: int, insurance: YesNo) -> dict:
    """Book a new reservation for a user, paid by methods in their profile; the amounts must add
    up to the price (flights x passengers, 30 per passenger for insurance, 50 per non-free bag)."""
    owner = user(db, user_id)
    if not flights or not passengers:
        raise ToolError("a reservation needs at least one flight and one passenger")
    _bags(total_baggages, nonfree_baggages)
    new_id = next((i for i in NEW_RESERVATION_IDS if i not in db.reservations), None)
    if new_id is None:
        raise ToolError("no more reservations can be booked in this conversation")
    legs = [_bookable(db, info, cabin, len(passengers)) for info in flights]
    if len({(leg.flight_number, leg.date) for leg in legs}) != len(legs):
        raise ToolError("the same flight on the same date is listed twice")
    price = sum(leg.price for leg in legs) * len(passengers) + BAG_FEE * nonfree_baggages
    price += INSURANCE_FEE * len(passengers) if insurance == "yes" else 0
    if len({p.payment_id for p in payment_methods}) != len(payment_methods):
        raise ToolError("each payment method may appear once")
    for payment in payment_methods:
        method = owner.payment_methods.get(payment.payment_id)
        if method is None:
            raise ToolError(f"payment method '{payment.payment_id}' is not in the profile of {owner.user_id}")
        if payment.amount < 0:
            raise ToolError("payment amounts cannot be negative")
        if method.source != "credit_card" and method.amount < payment.amount:
            raise ToolError(f"{payment.payment_id} holds {method.amount}, less than {payment.amount}")
    paid = sum(p.amount for p in payment_methods)
    if paid != price:
        raise ToolError(f"the payments add up to {paid} but the price is {price}")
    booked = Reservation(
        reservation_id=new_id, user_id=owner.user_id, origin=origin, destination=destination, flight_type=flight_type,
        cabin=cabin, flights=legs, passengers=passengers, payment_history=payment_methods, created_at=NOW,
        total_baggages=total_baggages, nonfree_baggages=nonfree_baggages, insurance=insurance,
    )
    for payment in payment_methods:
        method = owner.payment_methods[payment.payment_id]
        if method.source == "gift_card":
            method.amount = method.amount - payment.amount
        elif method.source == "certificate":
            del owner.payment_methods[payment.payment_id]  # what is left of a certificate is not refunded
    for leg in legs:
        seats = db.flights[leg.flight_number].dates[leg.date].available_seats
        seats[cabin] -= len(passengers)
    db.reservations[new_id] = booked
    owner.reservations.append(new_id)
    return booked.model_dump(mode="json", exclude_none=True)


def cancel_reservation(db: FlightDB, reservation_id: str) -> dict:
    """Cancel a whole reservation; every payment is refunded to its method."""
    found = _open(db, reservation_id)
    found.payment_history = [*found.payment_history,
                             *(Payment(payment_id=p.payment_id, amount=-p.amount) for p in found.payment_history)]
    found.status = "cancelled"
    return found.model_dump(mode="json", exclude_none=True)


def update_reservation_flights(db: FlightDB, reservation_id: str, cabin: Cabin, flights: list[FlightInfo], payment_id: str) -> dict:
    """Replace a reservation's flights (list every flight of the new itinerary, kept ones too)
    and cabin; the price difference is charged to, or refunded on, one payment method."""
    found = _open(db, reservation_id)
    owner = user(db, found.user_id)
    if not flights:
        raise ToolError("the new itinerary needs at least one flight")
    legs = []
    for info in flights:
        number = flight(db, info.flight_number).flight_number
        kept = next((leg for leg in found.flights if leg.flight_number == number and leg.date == info.date
                     and cabin == found.cabin), None)
        legs.append(kept or _bookable(db, info, cabin, len(found.passengers)))
    price = (sum(leg.price for leg in legs) - sum(leg.price for leg in found.flights)) * len(found.passengers)
    _pay_for_change(found, owner, payment_id, price)
    found.flights = legs
    found.cabin = cabin
    return found.model_dump(mode="json", exclude_none=True)


def update_reservation_baggages(db: FlightDB, reservation_id: str, total_baggages: int, nonfree_baggages: int, payment_id: str) -> dict:
    """Set a reservation's checked bags; each added non-free bag costs 50, paid by one method."""
    found = _open(db, reservation_id)
    owner = user(db, found.user_id)
    _bags(total_baggages, nonfree_baggages)
    price = BAG_FEE * max(0, nonfree_baggages - found.nonfree_baggages)
    _pay_for_change(found, owner, payment_id, price)
    found.total_baggages = total_baggages
    found.nonfree_baggages = nonfree_baggages
    return found.model_dump(mode="json", exclude_none=True)


def update_reservation_passengers(db: FlightDB, reservation_id: str, passengers: list[Passenger]) -> dict:
    """Replace the passengers' details; their number cannot change."""
    found = _open(db, reservation_id)
    if len(passengers) != len(found.passengers):
        raise ToolError(f"the reservation has {len(found.passengers)} passenger(s); their number cannot change")
    found.passengers = passengers
    return found.model_dump(mode="json", exclude_none=True)


def send_certificate(db: FlightDB, user_id: str, amount: int) -> str:
    """Add a travel certificate of `amount` dollars to a user's payment methods."""
    owner = user(db, user_id)
    if not 0 < amount <= 10000:
        raise ToolError("a certificate amount must be between 1 and 10000")
    new_id = next((i for i in NEW_CERTIFICATE_IDS if i not in owner.payment_methods), None)
    if new_id is None:
        raise ToolError("no more certificates can be sent in this conversation")
    owner.payment_methods[new_id] = Certificate(source="certificate", id=new_id, amount=amount)
    return f"certificate {new_id} of {amount} added to user {owner.user_id}"


def transfer_to_human_agents(db: FlightDB, summary: str) -> str:
    """Hand the user to a human agent with a summary of their issue (changes no record)."""
    return "Transfer successful"
