"""Differential test: proven programs, run with the real guard on random inputs, random parameter
values and a model answering at random (often outside its contracts), always satisfy Psi."""
from __future__ import annotations

import json
import random

import pytest
from scripted_model import ScriptedModel
from synthesis_support import CLAMPED, LOOP, load

from evoforge.contracts.types import EnumType, IntType, RealType
from evoforge.synthesis.language.guarded import GuardGenerate
from evoforge.synthesis.language.interpret import Interpreter
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.search.verify import Verifier

PROGRAMS = [
    ("near_plus", CLAMPED),
    ("near_plus", LOOP.format(high=3)),
    ("bounded_guess", '''
cap = param_real(0.5, 2.0)
def solve(n):
    x = call("guess", n=n)
    if x <= cap * n:
        return x
    return n // 2
'''),
    ("reading", '''
high = param_int(0, 50)
use_model = param_bool(default=True)
def solve(text):
    if use_model:
        r = call("read_ratio", text=text, low=0, high=high)
        return r.value
    return high // 2
'''),
]


def _random_answer(rng: random.Random) -> str:
    value = rng.choice([rng.randint(-20, 220), rng.randint(0, 60)])
    if rng.random() < 0.5:
        return json.dumps({"value": value, "note": "n" * rng.randint(0, 30)})
    return json.dumps({"result": value}) if rng.random() < 0.9 else "no idea"


def _random_params(rng: random.Random, program) -> dict:
    values = {}
    for param in program.params:
        if isinstance(param.type, IntType):
            values[param.name] = rng.randint(param.low, param.high)
        elif isinstance(param.type, RealType):
            values[param.name] = round(rng.uniform(float(param.low), float(param.high)), 3)
        elif isinstance(param.type, EnumType):
            values[param.name] = rng.choice(param.choices)
        else:
            values[param.name] = rng.random() < 0.5
    return values


@pytest.mark.parametrize("index", range(len(PROGRAMS)))
def test_proven_programs_meet_psi_on_real_runs(tmp_path, index):
    specs, tasks = load(tmp_path)
    name, source = PROGRAMS[index]
    task = tasks.get(name)
    program = parse_program(source, task, specs)
    assert Verifier().verify(program, task).proven
    rng = random.Random(index)
    model = ScriptedModel(respond=lambda messages: _random_answer(rng))
    generate = GuardGenerate(specs, model)
    interpreter = Interpreter(program)
    fallbacks = 0
    for _ in range(60):
        inputs = {"n": rng.randint(0, 100)} if "n" in task.inputs else {"text": "t" * rng.randint(0, 200)}
        trace = interpreter.run(inputs, _random_params(rng, program), generate)
        assert task.violated_ensure(inputs, trace.output) is None, (inputs, trace)
        fallbacks += sum(r.fallback_used for r in generate.take_records())
    assert model.calls  # the model really was asked
    assert fallbacks > 0  # and answered outside its contracts often enough to reach the fallback


def test_a_counterexample_replays_as_a_real_violation_through_the_guard(tmp_path):
    """The verifier's counterexample, fed to the real guard as the model's answers, breaks Psi."""
    specs, tasks = load(tmp_path)
    task = tasks.get("near_plus")
    program = parse_program('''
margin = param_int(0, 20)
def solve(n):
    x = call("near", n=n)
    return x + margin
''', task, specs)
    example = Verifier().verify(program, task).counterexample
    answers = [json.dumps({"result": c["output"]}) for c in example.calls]
    generate = GuardGenerate(specs, ScriptedModel(answers))
    trace = Interpreter(program).run(example.inputs, example.params, generate)
    assert trace.output == example.result
    assert task.violated_ensure(example.inputs, trace.output) is not None
    assert not any(r.fallback_used for r in generate.take_records())  # the guard accepted those answers
