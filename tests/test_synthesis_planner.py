"""The planner proposer against a real OpenAI-protocol server serving recorded planner answers:
its programs must parse, type-check and verify, and the verifier's verdicts go back to it."""
from __future__ import annotations

import pytest
from openai_server import Provider, answer
from scripted_model import ScriptedModel
from synthesis_support import CountingDomain, echo_plus, load

from evoforge.contracts import load_specs
from evoforge.models import resolve_model
from evoforge.paths import SPECS_DIR
from evoforge.synthesis.in_memory import synthesize
from evoforge.synthesis.search.evaluation import LocalEvaluation
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.planner import PlannerProposer
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.verify import Verifier

TRUSTING = '''Here is a program:
```python
def solve(n):
    x = call("guess", n=n)
    return x
```'''
NOT_A_PROGRAM = '''```python
def solve(n):
    x = n
    while x > 2 * n:
        x = x - 1
    return x
```'''
GUARDED = '''```python
def solve(n):
    x = call("guess", n=n, _prefix="Reply with one number.")
    if x <= 2 * n:
        return x
    return n
```'''


@pytest.fixture
def provider():
    server = Provider(answer(300, 40, TRUSTING), answer(300, 40, NOT_A_PROGRAM), answer(300, 40, GUARDED))
    yield server
    server.close()


def test_the_planner_converges_through_the_verifiers_feedback(tmp_path, provider):
    specs, tasks = load(tmp_path)
    task = tasks.get("bounded_guess")
    planner = PlannerProposer(load_specs([SPECS_DIR / "synthesis.toml"]), resolve_model("hosted_vllm/planner", api_base=provider.base))
    evaluate = LocalEvaluation(CountingDomain(offset=4), task, specs, ScriptedModel(respond=echo_plus(4)))
    result = synthesize(Problem(task, specs), planner, Verifier(), OptunaLearner(f"sqlite:///{tmp_path}/s.db", trials=1),
                        evaluate, study="planner", rounds=3, per_round=1)
    statuses = [c.status for c in result.candidates]
    assert statuses == ["counterexample", "unparsed", "proven"]
    assert "While" in result.candidates[1].reason and result.candidates[1].reason.startswith("program line 3:")
    assert result.best is not None and "x <= 2 * n" in result.best.source
    assert result.best.psi_violations["test"] == 0 and result.best.scores["test"] == 1.0
    prompts = [r["body"]["messages"][-1]["content"] for r in provider.requests]
    assert "Feedback on earlier programs:\nnone yet" in prompts[0]
    assert "Rejected by the verifier" in prompts[1] and "result <= 2 * n" in prompts[1]
    assert "Does not parse: program line 3" in prompts[2]
    assert 'call("guess", n=<int>) -> int' in prompts[0] and "ensure: result >= 0" in prompts[0]


def test_shaping_options_reach_the_provider_but_not_the_contract(tmp_path, provider):
    """`_prefix` goes before the prompt and `_temperature` into the request; the guard still
    holds the answer to the contract (the scripted planner text is no number: fallback)."""
    from evoforge.synthesis.language.guarded import GuardGenerate

    specs, _ = load(tmp_path)
    model = resolve_model("hosted_vllm/planner", api_base=provider.base, temperature=0.2)
    generate = GuardGenerate(specs, model)
    output = generate("near", {"n": 7}, {"_prefix": "Use {braces} freely.", "_temperature": 0.9})
    body = provider.requests[-1]["body"]
    assert body["temperature"] == 0.9
    assert body["messages"][0]["content"].startswith("Use {braces} freely.\nGive a number close to 7.")
    assert output == 7 and generate.take_records()[0].fallback_used


WORD_PROGRAM = '''```python
def solve(question):
    x = call("word_problem", question=question, low=-1000, high=1000)
    return x.value
```'''


def test_a_planner_run_archives_the_planners_guarded_calls_with_its_candidates(tmp_path):
    """The planner's own model calls are guarded calls of the run: counted, archived, budgeted."""
    from evoforge.archive import open_archive
    from evoforge.runs.lifecycle import create_run, execute_run
    from evoforge.runs.services import RunServices
    from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection
    from evoforge.synthesis.settings import SynthesisSettings

    def respond(body):
        planner = "Feedback on earlier programs" in body["messages"][-1]["content"]
        return answer(300, 40, WORD_PROGRAM if planner else '{"value": 3, "working": "1 + 2"}')

    provider = Provider(respond=respond)
    try:
        archive = open_archive(tmp_path / "archive.db")
        config = SynthesisSettings(domain=DomainSection("arithmetic", {"sizes": {"train": 2, "validation": 2, "test": 2}}),
                                   model=ModelSection("hosted_vllm/planner"), sandbox=SandboxSection("local"),
                                   proposer="planner", rounds=1, per_round=1, trials=1)
        services = RunServices(archive, models=lambda on_usage: resolve_model("hosted_vllm/planner", api_base=provider.base, on_usage=on_usage))
        outcome = execute_run(archive, create_run(archive, config), services)
    finally:
        provider.close()
    (candidate,) = archive.candidates(outcome.run_id)
    assert candidate.origin == "planner" and candidate.status == "proven"
    stats = {c.contract: c for c in archive.contract_stats(outcome.run_id)}
    assert stats["agent_program"].calls == 1 and stats["word_problem"].calls >= 2
    run = archive.run(outcome.run_id)
    assert run.model_calls == len(provider.requests)  # every request the server saw is counted in the run
