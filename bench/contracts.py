"""Benchmark: the cost of checking one concrete output, and the proof time per contract.

For each contract of the example specs it measures, in one run:
- the compiled checker (to_python.py) against a hand-written Python predicate for the same
  contract (goal: at most 3x);
- the compiled checker against the same check done by a Z3 solver on constants (expected:
  hundreds of times faster);
- the time to prove the fallback at load.

Run: .venv/bin/python bench/contracts.py
"""
from __future__ import annotations

import timeit
from pathlib import Path
from statistics import median
from typing import Any, Callable

import z3
from rich.console import Console
from rich.table import Table

from evoforge.contracts import load_specs
from evoforge.contracts.model import RESULT, Contract
from evoforge.contracts.parsing import parse_output
from evoforge.contracts.predicates import PREDICATES
from evoforge.contracts.to_z3 import Compiler
from evoforge.contracts.z3_values import constant
from evoforge.contracts.types import conform

SPECS = Path(__file__).resolve().parent.parent / "specs"
parses_python = PREDICATES["parses_python"].function
defines_function = PREDICATES["defines_function"].function
is_relative_path = PREDICATES["is_relative_path"].function


# Hand-written predicates: what a careful engineer would write for each contract's `ensure`.
def _sum_of_two(x: dict, result: int) -> bool:
    return result == x["a"] + x["b"]


def _bounded_estimate(x: dict, result: int) -> bool:
    a, b = x["a"], x["b"]
    return result >= 0 and abs(result - a * b) * 10 <= a * b


def _word_problem(x: dict, result: dict) -> bool:
    return x["low"] <= result["value"] <= x["high"] and len(result["working"]) <= 400


def _operator_plan(x: dict, result: list) -> bool:
    return len(result) >= 1 and ("*" not in result or len(result) <= 2)


def _python_function(x: dict, result: str) -> bool:
    return (len(result) <= 4000 and parses_python(result) and defines_function(result, "solution")
            and "import os" not in result and "subprocess" not in result)


def _module_edits(x: dict, result: list) -> bool:
    max_chars = x["max_chars"]
    return (all(is_relative_path(e["path"]) and e["path"].endswith(".py") for e in result)
            and all(parses_python(e["content"]) for e in result)
            and all(len(e["content"]) <= max_chars for e in result))


def _cancellation(x: dict, result: dict) -> bool:
    booking = x["booking"]
    full = result["action"] == "cancel_full_refund"
    return (0 <= result["refund"] <= booking["price"]
            and (full or result["refund"] == 0)
            and (not full or result["refund"] == booking["price"])
            and (not full or (booking["flight_status"] != "flown" and (
                booking["hours_since_booking"] <= 24 or booking["cabin"] == "business"
                or booking["has_insurance"] or booking["flight_status"] == "cancelled")))
            and len(result["reason"]) <= 300)


def _delay_compensation(x: dict, result: Any) -> bool:
    booking = x["booking"]
    status = booking["flight_status"]
    return (result >= 0
            and (status not in ("scheduled", "flown") or result == 0)
            and (not (booking["cabin"] == "basic_economy" and not booking["has_insurance"]) or result == 0)
            and (status != "delayed" or result <= 50 * booking["passengers"])
            and (status != "cancelled" or result <= 100 * booking["passengers"]))


HAND_WRITTEN: dict[str, Callable[..., bool]] = {
    "sum_of_two": _sum_of_two, "bounded_estimate": _bounded_estimate, "word_problem": _word_problem,
    "operator_plan": _operator_plan, "python_function": _python_function, "module_edits": _module_edits,
    "cancellation": _cancellation, "delay_compensation": _delay_compensation,
}

# A plausible accepted model answer per contract (as text, parsed the way the guard parses it).
ANSWERS = {
    "sum_of_two": '{"result": 42}',
    "bounded_estimate": '{"result": 130}',
    "word_problem": '{"value": 10, "working": "3 * 4 - 2 = 10"}',
    "operator_plan": '["*", "-"]',
    "python_function": "```python\ndef solution(a, b):\n    return a if a > b else b\n```",
    "module_edits": '[{"path": "task_agent.py", "content": "def solve(q):\\n    \\"\\"\\"Solve.\\"\\"\\"\\n    return q\\n"}]',
    "cancellation": '{"action": "cancel_full_refund", "refund": 320, "reason": "booked within 24 hours"}',
    "delay_compensation": '{"result": 100}',
}


def per_call(function: Callable[[], Any], budget_s: float = 0.2) -> float:
    """Median seconds per call over several timed batches."""
    number = max(1, int(budget_s / max(timeit.timeit(function, number=1), 1e-7) / 5))
    return median(timeit.repeat(function, number=number, repeat=5)) / number


def z3_check(contract: Contract, inputs: dict, output: Any) -> Callable[[], bool]:
    def check() -> bool:
        env = {n: constant(inputs[n], t) for n, t in contract.inputs.items()}
        env[RESULT] = constant(output, contract.output)
        solver = z3.Solver()
        solver.add(z3.Not(z3.And([Compiler(env).term(c.node) for c in contract.ensure])))
        return solver.check() == z3.unsat

    return check


def main() -> None:
    specs = load_specs([SPECS])
    table = Table("contract", "proof (ms)", "compiled (µs)", "hand-written (µs)", "compiled / hand", "Z3 (µs)", "Z3 / compiled",
                  title="Checking one concrete output")
    ratios_hand, ratios_z3 = [], []
    for contract in specs.contracts.values():
        inputs = contract.examples[0]
        output = parse_output(ANSWERS[contract.name], contract.output, contract.parse)
        assert contract.violated_ensure(inputs, output) is None, contract.name
        hand = HAND_WRITTEN[contract.name]
        assert hand(inputs, output), contract.name
        compiled_s = per_call(lambda: contract.violated_ensure(inputs, output))
        hand_s = per_call(lambda: hand(inputs, output))
        z3_s = per_call(z3_check(contract, inputs, output), budget_s=0.5)
        ratios_hand.append(compiled_s / hand_s)
        ratios_z3.append(z3_s / compiled_s)
        table.add_row(contract.name, f"{contract.proof.seconds * 1000:.1f}", f"{compiled_s * 1e6:.2f}", f"{hand_s * 1e6:.2f}",
                      f"{compiled_s / hand_s:.2f}x", f"{z3_s * 1e6:.0f}", f"{z3_s / compiled_s:.0f}x")
    console = Console()
    console.print(table)
    console.print(f"compiled / hand-written: median {median(ratios_hand):.2f}x, worst {max(ratios_hand):.2f}x (goal: at most 3x)")
    console.print(f"Z3 / compiled: median {median(ratios_z3):.0f}x, least {min(ratios_z3):.0f}x")


if __name__ == "__main__":
    main()
