"""Every airline tool has a typed signature (specs/airline.toml) with the tau2 records it
returns, and the kernel holds each result to it: every reference action of the wheel's 50 tasks,
and every read over the wheel's whole database, answered through `TypedSession` on the real data.
Agent programs can then rely on those records: proven when they guard what may be absent."""
from __future__ import annotations

from dataclasses import replace
from itertools import product

import pytest

from evoforge.contracts import load_specs
from evoforge.contracts.tasks import load_tasks
from evoforge.domains import get_domain
from evoforge.domains.airline.data import raw_tasks
from evoforge.domains.airline.evaluate import reference
from evoforge.domains.airline.schema import load_db
from evoforge.domains.airline.session import FACTS_TOOLS, MESSAGE_TOOL, AirlineSession
from evoforge.domains.airline.toolbox import TOOLS, WRITE_TOOLS
from evoforge.domains.airline.users import DeterministicUser
from evoforge.paths import SPECS_DIR
from evoforge.synthesis.language.interpret import Interpreter, ProgramFailure
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.language.tools import SessionTools, TypedSession
from evoforge.synthesis.search.verify import COUNTEREXAMPLE, PROVEN, Verifier

TOOL_SPEC = SPECS_DIR / "airline.toml"
SIGNATURES = load_tasks([TOOL_SPEC]).tools
# The reference actions carry no policy facts: their writes are replayed with the signatures'
# types only (the policy and its witness are tested in test_conversation_programs.py).
UNHELD = {name: replace(spec, policy=None, witness={}, inputs={n: t for n, t in spec.inputs.items() if n not in spec.witness})
          for name, spec in SIGNATURES.tools.items()}


DB = load_db()


def typed_session(task: dict | None = None) -> TypedSession:
    """A conversation over a fresh copy of the wheel's database, its tools held to their signatures."""
    task = task or raw_tasks()[0]
    session = AirlineSession(DeterministicUser(task["user_scenario"]), guard=None, max_calls=100_000)
    return TypedSession(session, UNHELD)


def test_every_tool_of_the_session_has_a_signature_with_its_arguments():
    assert not SIGNATURES.problems, SIGNATURES.problems
    assert set(SIGNATURES.tools) == {*TOOLS, MESSAGE_TOOL, *FACTS_TOOLS}
    for name, tool in TOOLS.items():
        assert list(UNHELD[name].inputs) == list(tool.arguments.model_fields), name
    for name, write in FACTS_TOOLS.items():  # each write is held to its policy, on the facts its facts tool reads
        assert SIGNATURES.tools[write].witness == {"facts": name} and SIGNATURES.tools[write].policy is not None
        assert list(SIGNATURES.tools[name].inputs) == list(TOOLS[write].arguments.model_fields)
    assert get_domain("airline").contract_files()[-1] == TOOL_SPEC  # the domain's tasks may list them


def writing_tasks(each: int = 3) -> list[dict]:
    """The wheel's first tasks whose reference actions use every write tool `each` times (or all it has)."""
    chosen, seen = [], {name: 0 for name in WRITE_TOOLS}
    for task in raw_tasks():
        writes = [a["name"] for a in task["evaluation_criteria"].get("actions") or [] if a["name"] in WRITE_TOOLS]
        if any(seen[name] < each for name in writes):
            chosen.append(task)
            for name in writes:
                seen[name] += 1
    return chosen


def test_the_reference_actions_of_the_wheels_tasks_that_write_get_results_of_their_declared_types():
    answered, used = 0, set()
    for task in writing_tasks():
        typed = typed_session(task)
        for action in task["evaluation_criteria"].get("actions") or []:
            reply = typed.call(action["name"], action["arguments"])
            refused = reply.get("error", "")  # by the typed layer: an argument or a result off its type
            assert not ("outside its declared type" in refused or refused.startswith(f"tool {action['name']!r}: argument")), (task["id"], action, reply)
            answered += "result" in reply
            used.add(action["name"])
        # Held to its types, the replay leaves the database exactly as the reference's does.
        assert typed.session.db.state_hash() == reference(task["id"]).final_hash, task["id"]
    assert used >= {"book_reservation", "cancel_reservation", "update_reservation_flights", "update_reservation_baggages",
                    "update_reservation_passengers", "get_user_details", "get_reservation_details"} and answered > 25


def test_every_read_of_the_wheels_database_fits_its_declared_type():
    typed, db = typed_session(), DB
    for user_id in db.users:
        assert "result" in typed.call("get_user_details", {"user_id": user_id}), user_id
    for reservation_id in db.reservations:
        assert "result" in typed.call("get_reservation_details", {"reservation_id": reservation_id}), reservation_id
    for flight in db.flights.values():
        for day in flight.dates:
            assert "result" in typed.call("get_flight_status", {"flight_number": flight.flight_number, "date": day})
    airports = typed.call("list_all_airports", {})["result"]
    days = sorted({day for flight in db.flights.values() for day in flight.dates})
    longest = 0
    for (origin, destination), day in product(product([a["iata"] for a in airports], repeat=2), days[::5]):
        for search in ("search_direct_flight", "search_onestop_flight"):
            reply = typed.call(search, {"origin": origin, "destination": destination, "date": day})
            assert "result" in reply, (search, origin, destination, day, reply)
            longest = max(longest, len(reply["result"]))
    assert longest > 10  # the searches were not all empty
    user_id = next(iter(db.users))
    for name, arguments in [("calculate", {"expression": "(350 - 122) * 2"}), ("send_certificate", {"user_id": user_id, "amount": 100}),
                            ("transfer_to_human_agents", {"summary": "wants a refund"}), (MESSAGE_TOOL, {"text": "Hello, how can I help?"})]:
        assert isinstance(typed.call(name, arguments)["result"], str), name
    assert typed.call("get_user_details", {"user_id": user_id})["result"]["payment_methods"]["certificate_3221322"]["amount"] == 100


def test_a_result_outside_the_signature_is_an_error_not_a_value():
    typed = typed_session()
    user_id = next(iter(DB.users))
    typed.session.db.users[user_id].reservations.extend(f"R{i:05d}" for i in range(40))  # 32 at most are declared
    reply = typed.call("get_user_details", {"user_id": user_id})
    assert "result" not in reply and "outside its declared type User" in reply["error"] and "at most 32 are allowed" in reply["error"]
    assert "calculate" in typed.names() and typed.call("calculate", {"expression": 2})["error"] == "tool 'calculate': argument expression should be str, got int 2"


PASSENGERS_TASK = '''
[tasks.seats_to_move]
description = "Ten per passenger of an open reservation, plus one per flight over 500."
inputs = { reservation_id = "str" }
result = "int"
ensure = ["0 <= result <= 88"]
contracts = []
tools = ["get_reservation_details", "get_user_details"]
'''

SEATS = '''
def solve(reservation_id):
    r = tool("get_reservation_details", reservation_id=reservation_id)
    if r.status is not None:
        return 0
    return len(r.passengers) * 10 + len([f for f in r.flights if f.price > 500])
'''

SECOND_ADDRESS_LINE = '''
def solve(reservation_id):
    r = tool("get_reservation_details", reservation_id=reservation_id)
    u = tool("get_user_details", user_id=r.user_id)
    return min(len(u.address.address2), 88)
'''


@pytest.fixture(scope="module")
def seats_task(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "seats.toml"
    path.write_text(PASSENGERS_TASK)
    tasks = load_tasks([TOOL_SPEC, path])
    assert not tasks.problems, tasks.problems
    return load_specs([path]), tasks.get("seats_to_move")


def test_a_program_over_tau2_records_is_proven_and_runs_on_the_real_data(seats_task):
    specs, task = seats_task
    program = parse_program(SEATS, task, specs)
    assert Verifier().verify(program, task).status == PROVEN
    db, typed = DB, typed_session()
    for reservation_id in list(db.reservations)[:40]:
        found = db.reservations[reservation_id]
        expected = 0 if found.status else len(found.passengers) * 10 + sum(f.price > 500 for f in found.flights)
        trace = Interpreter(program).run({"reservation_id": reservation_id}, {}, lambda *a: None, SessionTools(typed))
        assert trace.output == expected, reservation_id
    with pytest.raises(ProgramFailure, match="reservation 'NOPE' not found"):
        Interpreter(program).run({"reservation_id": "NOPE"}, {}, lambda *a: None, SessionTools(typed))


def test_reading_an_optional_tau2_field_unguarded_is_a_counterexample(seats_task):
    specs, task = seats_task
    verdict = Verifier().verify(parse_program(SECOND_ADDRESS_LINE, task, specs), task)
    assert verdict.status == COUNTEREXAMPLE
    assert "line 5 reads `u.address.address2` when the field is absent" in verdict.reason
