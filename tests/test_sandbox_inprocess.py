"""The in-process adapter measures what a sandbox runs: the same job, kernel service and model
give the same outcomes in this process as in the local sandbox (exact reals, shaping options,
tool calls, refusals), the job's allowance applies, and nothing of the job stays behind. And the
allowance's defaults leave legitimate work alone: model calls are not kernel time, and a meta
agent's full quota of score requests fits."""
from __future__ import annotations

import sys
from dataclasses import replace
from fractions import Fraction

import pytest
from scripted_model import ScriptedModel
from support import price_specs

from evoforge.domains import get_domain
from evoforge.evolution.train_scorer import MAX_SCORES, TrainScorer
from evoforge.sandbox import Job, Limits, Sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.inprocess import InProcessSandbox
from evoforge.sandbox.local import LocalSandbox

LIMITS = Limits(wall_s=30, cpu_s=30)

PRICE_AGENT = '''
from evoforge_channel import ChannelError, generate

def main(price):
    value = generate("below_price", price=price, _prefix="Answer {exactly}.", _temperature=0.5, _seed=7)
    try:
        generate("below_price", price=price, _model="another")
    except ChannelError as error:
        refused = str(error)
    return {"type": type(value).__name__, "below": value < price, "value": value, "refused": refused}
'''

TOOL_AGENT = '''
from evoforge_channel import ChannelError, call_tool

def main(user_id):
    user = call_tool("get_user_details", user_id=user_id)
    try:
        call_tool("no_such_tool")
    except ChannelError as error:
        return {"reservations": user["reservations"], "refused": str(error)}
'''

BACKENDS = {"in-process": InProcessSandbox, "local": lambda: LocalSandbox(use_bubblewrap=False)}


def both(job: Job, service: object, limits: Limits = LIMITS) -> dict[str, list]:
    """Each backend's outcomes of `job`, each with a fresh service from `service()`."""
    found = {}
    for name, backend in BACKENDS.items():
        result = backend().run(job, limits, service())  # type: ignore[operator]
        found[name] = [(o.ok, o.value, o.error) for o in result.outcomes]
    return found


def test_guarded_calls_with_shaping_options_and_exact_reals_as_in_the_sandbox(tmp_path):
    specs = price_specs(tmp_path)
    models: list[ScriptedModel] = []

    def service() -> GuardService:
        models.append(ScriptedModel(['{"result": 4.99999999999999999999}']))
        return GuardService(specs, models[-1])

    found = both(Job({"agent.py": PRICE_AGENT}, "agent", "main", [[5], [Fraction(7, 3)]]), service)
    assert found["in-process"] == found["local"]
    (ok, value, _), (ok_real, value_real, _) = found["in-process"]
    assert ok and value["value"] == Fraction(499999999999999999999, 100000000000000000000) and value["below"] is True
    assert ok_real and value_real["type"] == "Fraction" and value_real["value"] < Fraction(7, 3)  # the fallback, exact
    assert value["refused"] == "unknown shaping option(s) _model; allowed: _prefix, _temperature, _seed"
    for model in models:  # the options reached the model the same way on both backends
        assert model.calls[0][-1].content.startswith("Answer {exactly}.\n")
        assert (model.samplings[0].temperature, model.samplings[0].seed) == (0.5, 7)


def test_tool_calls_and_refusals_as_in_the_sandbox():
    domain = get_domain("airline", guarded=False)
    task = domain.tasks("train")[0]
    found = both(Job({"agent.py": TOOL_AGENT}, "agent", "main", [["mia_li_3668"]]),
                 lambda: GuardService(domain.specs, None, tools=domain.open_session(task)))
    assert found["in-process"] == found["local"]
    ok, value, _ = found["in-process"][0]
    assert ok and "NO6JO3" in value["reservations"] and "no_such_tool" in value["refused"]


def test_an_in_process_job_is_held_to_its_allowance_and_leaves_nothing_behind():
    agent = "from evoforge_channel import predicate\n\ndef main(n):\n    return [predicate('is_json', '[1]') for _ in range(n)]\n"
    modules = set(sys.modules)
    result = InProcessSandbox().run(Job({"agent.py": agent}, "agent", "main", [[3], [10], [1]]), replace(LIMITS, requests=5),
                                    GuardService(None, None))
    assert result.outcome(0).value == [True] * 3
    assert "this job is stopped: more than 5 channel requests (Limits.requests)" in result.outcome(1).error
    assert result.killed_reason == "killed: more than 5 channel requests (Limits.requests)" and not result.outcome(2).ok
    assert set(sys.modules) == modules  # neither the job's module nor its channel client stay


def burning(seconds: float) -> ScriptedModel:
    """A model whose every answer costs `seconds` of CPU in the calling thread (as the embedded one's does)."""
    def respond(messages: list) -> str:
        import time

        started = time.thread_time()
        while time.thread_time() - started < seconds:
            pass
        return '{"result": 1}'

    return ScriptedModel(respond=respond)


@pytest.mark.parametrize("backend", BACKENDS)
def test_model_calls_are_not_charged_to_the_jobs_kernel_time(tmp_path, backend):
    agent = "from evoforge_channel import generate\n\ndef main():\n    return [generate('below_price', price=5) for _ in range(4)]\n"
    limits = replace(LIMITS, kernel_s=0.2)  # less than one model call's CPU
    result = BACKENDS[backend]().run(Job({"agent.py": agent}, "agent", "main", [[]]), limits,
                                     GuardService(price_specs(tmp_path), burning(0.3)))
    assert result.ok and result.outcome(0).value == [1] * 4, result.killed_reason


def test_a_meta_agents_full_quota_of_score_requests_fits_the_default_allowance():
    domain = get_domain("arithmetic")
    train = [task.id for task in domain.tasks("train")]
    agent = ("from evoforge_channel import score\n\ndef main(ids, count):\n"
             "    return sum(score(ids[i % len(ids)], 0)['score'] >= 0 for i in range(count))\n")
    sandbox: Sandbox = LocalSandbox(use_bubblewrap=False)
    result = sandbox.run(Job({"agent.py": agent}, "agent", "main", [[train, MAX_SCORES]]), Limits(wall_s=120, cpu_s=120),
                         GuardService(None, None, scorer=TrainScorer(domain)))
    assert result.ok and result.outcome(0).value == MAX_SCORES, result.killed_reason
