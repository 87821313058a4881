"""Programs in the real sandbox: compiled from their verified form, they compute what the
interpreter computes, reach the model only through the channel, and their shaping options
travel as the channel's options (any other option is refused, never taken for an input)."""
from __future__ import annotations

import json
import random

import pytest
from scripted_model import ScriptedModel
from synthesis_support import CLAMPED, LOOP, CountingDomain, echo_plus, load, write_spec

from evoforge.contracts import load_specs
from evoforge.sandbox import Job, Limits, get_sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.synthesis import LocalEvaluation, VerifiedProgram, Verifier, parse_program
from evoforge.synthesis.language.to_module import agent_files
from evoforge.synthesis.search.sandboxed import SandboxEvaluation

READING = '''
floor = param_int(0, 5)
ratio = param_real(0, 1)
def solve(text):
    r = call("read_ratio", text=text, low=0, high=40)
    best = r.value
    for k in range(3):
        best = best + 1 if best * ratio < 10 else best
    if best // 2 >= floor and len(r.note) <= 20:
        return min(best, 50)
    return floor
'''

PREDICATES = '''
def solve(text):
    r = call("read_ratio", text=text, low=0, high=40)
    if is_identifier(r.note) or parses_python(text):
        return r.value
    return 0
'''


@pytest.fixture(scope="module")
def sandbox():
    return get_sandbox("local")


def verified(source, task, specs):
    program = parse_program(source, task, specs)
    verdict = Verifier().verify(program, task)
    assert verdict.proven, verdict.reason
    return VerifiedProgram(program, verdict)


class TextDomain:
    name, description, input_schema = "texts", "texts", {"text": "str"}

    def __init__(self):
        from evoforge.domains.base import Task

        self._tasks = [Task(f"t{i}", "train", {"text": f"reading {i * 7} of {i}"}) for i in range(4)]

    def tasks(self, split):
        return list(self._tasks)

    def evaluate(self, task, answer):
        from evoforge.domains.base import Score

        return Score(1.0 if answer == 8 else 0.0, f"gave {answer!r}")

    def contract_files(self):
        return []


def reading_reply(messages):
    import re

    number = int(re.findall(r"\d+", messages[-1].content)[0])
    return json.dumps({"value": number, "note": "n" * (number % 25)})  # long notes break the contract: fallback


@pytest.mark.parametrize("case", ["clamped", "loop", "reading", "predicates"])
def test_a_sandboxed_program_computes_what_the_interpreter_computes(tmp_path, sandbox, case):
    specs, tasks = load(tmp_path)
    source, task_name, domain, respond = {
        "clamped": (CLAMPED, "near_plus", CountingDomain(), echo_plus(9)),
        "loop": (LOOP.format(high=3), "near_plus", CountingDomain(), echo_plus(-2)),
        "reading": (READING, "reading", TextDomain(), reading_reply),
        "predicates": (PREDICATES, "reading", TextDomain(), reading_reply),  # computed by the kernel, over the channel
    }[case]
    task = tasks.get(task_name)
    program = verified(source, task, specs)
    rng = random.Random(case)
    for _ in range(3):
        params = {p.name: (rng.choice(p.choices) if p.choices else p.low + (p.high - p.low) * rng.randint(0, 4) / 4)
                  for p in program.program.params}
        local = LocalEvaluation(domain, task, specs, ScriptedModel(respond=respond))(program, params, "train")
        boxed = SandboxEvaluation(domain, task, sandbox, lambda: GuardService(specs, ScriptedModel(respond=respond)))(program, params, "train")
        assert [o.output for o in boxed.outcomes] == [o.output for o in local.outcomes]
        assert [o.detail for o in boxed.outcomes] == [o.detail for o in local.outcomes]
        assert boxed.summary() == local.summary() and boxed.psi_violations == 0


def test_the_program_module_reaches_the_model_only_through_the_channel(tmp_path):
    specs, tasks = load(tmp_path)
    files = agent_files(verified(CLAMPED, tasks.get("near_plus"), specs).program)
    module = files["program_agent.py"]
    assert "from evoforge_channel import generate" in module and "import os" not in module
    assert "generate('near', n=v_n, _prefix=v_style)" in module
    asking = agent_files(verified(PREDICATES, tasks.get("reading"), specs).program)["program_agent.py"]
    assert "return predicate('parses_python', *args)" in asking and "import ast" not in asking


def test_shaping_options_travel_through_the_channel_and_others_are_refused(tmp_path, sandbox):
    specs, _ = load(tmp_path)
    model = ScriptedModel(respond=echo_plus(1))
    agent = {"agent.py": (
        "from evoforge_channel import ChannelError, generate\n"
        "def run(n):\n"
        "    shaped = generate('near', n=n, _prefix='Be {exact}.', _temperature=0.75)\n"
        "    try:\n"
        "        generate('near', n=n, _model='gpt-9')\n"
        "        refused = None\n"
        "    except ChannelError as error:\n"
        "        refused = str(error)\n"
        "    return [shaped, refused]\n")}
    result = sandbox.run(Job(agent, "agent", "run", [[5]]), Limits(wall_s=30, cpu_s=30), GuardService(specs, model))
    shaped, refused = result.outcome(0).value
    assert shaped == 6
    assert "unknown shaping option(s) _model" in refused
    assert len(model.calls) == 1, "a refused option still reached the model"
    assert model.calls[0][-1].content.startswith("Be {exact}.\nGive a number close to 5.")
    assert model.samplings[0].temperature == 0.75


def test_a_contract_input_may_not_look_like_a_shaping_option(tmp_path):
    path = write_spec(tmp_path, '[contracts.x]\ninputs = { _prefix = "str" }\noutput = "int"\nensure = ["result >= 0"]\n'
                                'prompt = "p"\nfallback = "0"\n')
    (problem,) = load_specs([path]).problems
    assert str(problem) == (f"{path}:2: contract 'x': input '_prefix': names starting with '_' are reserved for "
                            "shaping options; rename it")


def test_kernel_predicates_are_answered_over_the_channel_and_bad_requests_refused(tmp_path, sandbox):
    specs, _ = load(tmp_path)
    agent = {"agent.py": (
        "from evoforge_channel import ChannelError, predicate\n"
        "def ask(*args):\n"
        "    try:\n"
        "        return predicate(*args)\n"
        "    except ChannelError as error:\n"
        "        return str(error)\n"
        "def run(n):\n"
        "    return [ask('parses_python', 'x = 1'), ask('parses_python', 'x ='), ask('defines_function', 'def f(): pass', 'f'),\n"
        "            ask('no_such', 'x'), ask('is_json', 'a', 'b'), ask('is_json', 'x' * 300000)]\n")}
    result = sandbox.run(Job(agent, "agent", "run", [[0]]), Limits(wall_s=30, cpu_s=30), GuardService(specs, ScriptedModel()))
    valid, broken, defined, unknown, count, huge = result.outcome(0).value
    assert (valid, broken, defined) == (True, False, True)
    assert "unknown kernel predicate 'no_such'" in unknown and "parses_python" in unknown
    assert "is_json() takes 1 argument(s), not 2" in count
    assert "longer than 200000 characters" in huge
