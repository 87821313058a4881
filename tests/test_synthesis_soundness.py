"""Wrong programs are never proven: where Z3 and Python could read a program differently, the
verifier reads it as Python runs it, or the parser refuses the construct naming its line.

Every program here is wrong on the airline `cancel_request` task: run in Python it proceeds even
after a flown segment, which the task's Psi forbids. A verifier that read any of them otherwise
than Python would prove it.
"""
from __future__ import annotations

import pytest

from evoforge.contracts import load_specs
from evoforge.contracts.tasks import load_tasks
from evoforge.paths import SPECS_DIR
from evoforge.synthesis.language.interpret import run_program
from evoforge.synthesis.language.parser import ProgramError, parse_program
from evoforge.synthesis.search.refute import refutes
from evoforge.synthesis.search.verify import COUNTEREXAMPLE, PROVEN, Verifier

FLOWN = {"case": {"cabin": "economy", "minutes_since_booking": 5000, "has_insurance": False, "any_flown": True,
                  "airline_cancelled": False}, "request": "cancel it"}


@pytest.fixture(scope="module")
def airline():
    path = SPECS_DIR / "airline.toml"
    specs, tasks = load_specs([path]), load_tasks([path])
    return specs, tasks.get("cancel_request")


def program(condition: str) -> str:
    return f'''
def solve(case, request):
    if {condition}:
        return "proceed"
    return "transfer_to_human" if case.any_flown else "refuse"
'''


def assert_rejected(airline, condition: str) -> None:
    """Python proceeds after a flown segment, and the verifier finds that very case."""
    specs, task = airline
    parsed = parse_program(program(condition), task, specs)
    assert run_program(parsed, FLOWN, {}, generate=lambda *args: None).output == "proceed"  # wrong, as Python runs it
    verdict = Verifier().verify(parsed, task)
    assert verdict.status == COUNTEREXAMPLE, verdict.reason
    assert verdict.counterexample.result == "proceed"
    assert refutes(verdict.counterexample, parsed, task, specs)  # the counterexample replays in Python


def assert_refused(airline, condition: str, *words: str) -> None:
    specs, task = airline
    with pytest.raises(ProgramError) as raised:
        parse_program(program(condition), task, specs)
    message = str(raised.value)
    assert message.startswith("program line 3: ") and "\n" not in message, message
    assert all(word in message for word in words), message


# The example and its two siblings: string literals mean in Z3 what they mean in Python.

def test_escape_text_in_a_literal_is_six_characters_not_one(airline):
    assert_rejected(airline, 'len("\\\\u0041") == 6')
    assert_rejected(airline, 'len("\\\\u{41}") == 6 and "\\\\u{41}" != "A"')


def test_a_literal_beyond_the_last_z3_character_is_refused_naming_the_line(airline):
    assert_refused(airline, 'len("\\U00030000") == 1', "U+30000", "U+2FFFF")


def test_a_kernel_predicate_on_a_ground_string_sees_the_python_string(airline):
    assert_rejected(airline, 'not is_identifier("\\\\u0041")')  # a backslash: not an identifier
    specs, task = airline  # and the kernel's fact is handed to Z3: the program that never proceeds is proven
    assert Verifier().verify(parse_program(program('is_identifier("\\\\u0041")'), task, specs), task).status == PROVEN
    assert_refused(airline, 'is_identifier("\\U00030000")', "U+30000")


def test_a_parameter_choice_is_the_string_written(airline):
    specs, task = airline
    source = '''
word = param_choice("\\\\u0041", "A")
def solve(case, request):
    if word == "A" or len(word) == 6:
        return "proceed"
    return "transfer_to_human" if case.any_flown else "refuse"
'''
    assert Verifier().verify(parse_program(source, task, specs), task).status == COUNTEREXAMPLE
    with pytest.raises(ProgramError, match="program line 2: param_choice\\(\\): .*U\\+30000"):
        parse_program(source.replace("\\\\u0041", "\\U00030000"), task, specs)


# Other places where Z3 and Python could part ways.

def test_floor_division_and_modulo_by_negatives_and_by_zero_are_pythons(airline):
    assert_rejected(airline, "7 // -2 == -4 and -7 // 2 == -4 and 7 % -2 == -1 and -7 % 2 == 1")
    # SMT-LIB's Euclidean `mod` is never negative; Python's `%` takes the divisor's sign.
    assert_rejected(airline, "case.minutes_since_booking % -2 <= 0 and (case.minutes_since_booking + 1) // -1 <= -1")
    assert_rejected(airline, "case.minutes_since_booking // 0 == 0 and case.minutes_since_booking % 0 == case.minutes_since_booking")


def test_reals_are_exact_as_at_run_time(airline):
    assert_rejected(airline, "0.1 + 0.2 == 0.3 and 1 / 3 * 3 == 1 and 7 / 0 == 0")
    assert_rejected(airline, "1 == 1.0 and max(2, 2.5) == 2.5")


def test_a_number_too_large_for_a_float_is_refused(airline):
    assert_refused(airline, "1e400 > case.minutes_since_booking", "not a finite number")
    specs, task = airline
    with pytest.raises(ProgramError, match="^program line 2: inf is not a finite number"):
        parse_program("\nlimit = param_real(0, 1e400)\n" + program("case.minutes_since_booking < limit"), task, specs)


def test_indexing_and_slicing_strings_are_refused(airline):
    assert_refused(airline, 'request[0] == "x"', "cannot index a value of type str", "use startswith, endswith or contains")
    assert_refused(airline, 'request[10:] == ""', "slices are not part of the contract language")


def test_comparisons_of_mixed_types_are_refused(airline):
    assert_refused(airline, "case.any_flown == 1", "cannot compare bool with int")
    assert_refused(airline, 'request == 0', "cannot compare str with int")
    assert_refused(airline, 'request < "b"', "ordering comparison needs numbers")
    assert_refused(airline, "case.any_flown + 1 > 0", "arithmetic needs numbers")
