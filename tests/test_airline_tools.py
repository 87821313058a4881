"""Each airline tool against a hand-made database: what it returns, what it changes, and how it
refuses bad arguments (an error result, the database untouched, never an exception)."""
import pytest

from airline_support import tiny_db
from evoforge.domains.airline.toolbox import TOOLS, WRITE_TOOLS, run_tool


def test_reads_find_records_and_say_clearly_when_nothing_matches():
    db = tiny_db()
    assert run_tool(db, "get_user_details", {"user_id": "ann_lee_1"})["result"]["membership"] == "gold"
    assert run_tool(db, "get_reservation_details", {"reservation_id": "aaa111"})["result"]["cabin"] == "economy"
    assert run_tool(db, "get_flight_status", {"flight_number": "HAT002", "date": "2024-05-23"}) == {"result": "cancelled"}
    assert run_tool(db, "get_user_details", {"user_id": "nobody"}) == {"error": "get_user_details: user 'nobody' not found"}
    assert "does not fly on 2024-05-30" in run_tool(db, "get_flight_status", {"flight_number": "HAT001", "date": "2024-05-30"})["error"]
    assert {a["iata"] for a in run_tool(db, "list_all_airports", {})["result"]} >= {"JFK", "ORD", "LGA"}


def test_searches_list_only_bookable_flights_and_connections():
    db = tiny_db()
    direct = run_tool(db, "search_direct_flight", {"origin": "JFK", "destination": "ORD", "date": "2024-05-20"})["result"]
    assert [f["flight_number"] for f in direct] == ["HAT001"] and direct[0]["prices"]["economy"] == 100
    assert run_tool(db, "search_direct_flight", {"origin": "ORD", "destination": "JFK", "date": "2024-05-23"}) == {"result": []}
    assert run_tool(db, "search_onestop_flight", {"origin": "JFK", "destination": "JFK", "date": "2024-05-20"}) == {"result": []}


def test_calculate_is_arithmetic_only():
    db = tiny_db()
    assert run_tool(db, "calculate", {"expression": "2 * ((350 - 122) + (499 - 127))"}) == {"result": "1200.0"}
    assert "only numbers" in run_tool(db, "calculate", {"expression": "__import__('os')"})["error"]
    assert "cannot calculate" in run_tool(db, "calculate", {"expression": "1 / 0"})["error"]


def test_booking_charges_exactly_and_updates_seats_balances_and_the_user():
    db = tiny_db()
    args = {"user_id": "ann_lee_1", "origin": "JFK", "destination": "JFK", "flight_type": "round_trip", "cabin": "economy",
            "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}, {"flight_number": "HAT002", "date": "2024-05-22"}],
            "passengers": [{"first_name": "Ann", "last_name": "Lee", "dob": "1980-01-01"}],
            "payment_methods": [{"payment_id": "gift_card_1", "amount": 100}, {"payment_id": "credit_card_1", "amount": 180}],
            "total_baggages": 1, "nonfree_baggages": 1, "insurance": "yes"}  # 200 flights + 30 insurance + 50 bag
    booked = run_tool(db, "book_reservation", args)["result"]
    assert booked["reservation_id"] == "HATHAT" and db.users["ann_lee_1"].reservations[-1] == "HATHAT"
    assert db.users["ann_lee_1"].payment_methods["gift_card_1"].amount == 20
    assert db.flights["HAT001"].dates["2024-05-20"].available_seats["economy"] == 4
    short = {**args, "payment_methods": [{"payment_id": "credit_card_1", "amount": 100}]}
    assert "add up to 100 but the price is 280" in run_tool(db, "book_reservation", short)["error"]


def test_cancel_refunds_every_payment_once():
    db = tiny_db()
    result = run_tool(db, "cancel_reservation", {"reservation_id": "AAA111"})["result"]
    assert result["status"] == "cancelled" and [p["amount"] for p in result["payment_history"]] == [100, -100]
    assert "is cancelled and cannot be changed" in run_tool(db, "cancel_reservation", {"reservation_id": "AAA111"})["error"]


def test_flight_change_charges_the_difference_and_keeps_kept_segments_at_their_price():
    db = tiny_db()
    moved = run_tool(db, "update_reservation_flights", {"reservation_id": "AAA111", "cabin": "business",
                     "flights": [{"flight_number": "HAT001", "date": "2024-05-21"}], "payment_id": "credit_card_1"})["result"]
    assert moved["cabin"] == "business" and moved["payment_history"][-1] == {"payment_id": "credit_card_1", "amount": 200}
    refused = run_tool(db, "update_reservation_flights", {"reservation_id": "AAA111", "cabin": "business",
                       "flights": [{"flight_number": "HAT002", "date": "2024-05-23"}], "payment_id": "credit_card_1"})
    assert "is cancelled, not available" in refused["error"]
    assert "certificate cannot pay" in run_tool(db, "update_reservation_flights", {"reservation_id": "AAA111", "cabin": "business",
        "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}], "payment_id": "certificate_1"})["error"]


def test_baggage_passengers_and_certificates():
    db = tiny_db()
    bags = run_tool(db, "update_reservation_baggages", {"reservation_id": "AAA111", "total_baggages": 3, "nonfree_baggages": 2,
                                                        "payment_id": "gift_card_1"})["result"]
    assert bags["payment_history"][-1]["amount"] == 100 and db.users["ann_lee_1"].payment_methods["gift_card_1"].amount == 20
    assert "holds 20.0, less than the 50 due" in run_tool(db, "update_reservation_baggages", {"reservation_id": "AAA111",
        "total_baggages": 4, "nonfree_baggages": 3, "payment_id": "gift_card_1"})["error"]
    two = [{"first_name": "Ann", "last_name": "Lee", "dob": "1980-01-01"}] * 2
    assert "number cannot change" in run_tool(db, "update_reservation_passengers", {"reservation_id": "AAA111", "passengers": two})["error"]
    assert "certificate_3221322 of 100" in run_tool(db, "send_certificate", {"user_id": "bob_ray_2", "amount": 100})["result"]
    assert run_tool(db, "transfer_to_human_agents", {"summary": "wants a refund"}) == {"result": "Transfer successful"}


BAD = [
    ("get_user_details", {"user_id": 3}, "user_id: Input should be a valid string"),
    ("get_user_details", {}, "user_id: Field required"),
    ("cancel_reservation", {"reservation_id": "AAA111", "extra": 1}, "extra: Extra inputs are not permitted"),
    ("get_flight_status", {"flight_number": "HAT001", "date": "May 20"}, "date: String should match pattern"),
    ("update_reservation_baggages", {"reservation_id": "AAA111", "total_baggages": 1, "nonfree_baggages": 2, "payment_id": "credit_card_1"}, "0 <= nonfree_baggages <= total_baggages"),
    ("book_reservation", {"user_id": "ann_lee_1"}, "bad arguments"),
    ("send_certificate", {"user_id": "ann_lee_1", "amount": -5}, "between 1 and 10000"),
    ("no_such_tool", {}, "unknown tool 'no_such_tool'"),
    ("get_user_details", ["ann_lee_1"], "arguments must be an object"),
]


@pytest.mark.parametrize("name, arguments, message", BAD)
def test_bad_arguments_give_one_clear_error_and_change_nothing(name, arguments, message):
    db = tiny_db()
    before = db.state_hash()
    reply = run_tool(db, name, arguments)
    assert set(reply) == {"error"} and message in reply["error"] and "\n" not in reply["error"]
    assert db.state_hash() == before


def test_every_tool_is_listed_with_its_kind():
    assert WRITE_TOOLS == {"book_reservation", "cancel_reservation", "update_reservation_flights", "update_reservation_baggages",
                           "update_reservation_passengers", "send_certificate"}
    assert len(TOOLS) == 14
