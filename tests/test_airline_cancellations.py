"""The airline cancellation requests as single decisions: the domain, the seed agent answering
them through the domain's contract, and CEGIS synthesizing a program proven for the policy."""
from __future__ import annotations

import json
import re

from scripted_model import ScriptedModel

from evoforge.contracts import load_specs
from evoforge.contracts.tasks import load_tasks
from evoforge.domains import get_domain
from evoforge.domains.airline.data import raw_splits
from evoforge.domains.base import agent_task
from evoforge.evolution.agents import agent_folder, read_agent
from evoforge.evolution.evaluation import read_output, run_tasks
from evoforge.evolution.manifest import AgentManifest
from evoforge.paths import SPECS_DIR
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.local import LocalSandbox
from evoforge.synthesis.in_memory import synthesize
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.search.evaluation import LocalEvaluation
from evoforge.synthesis.search.grammar import GrammarProposer
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.verify import Verdict, VerifiedProgram, Verifier

SPEC = SPECS_DIR / "airline.toml"


def always(answer: str) -> ScriptedModel:
    return ScriptedModel(respond=lambda messages: json.dumps({"result": answer}))


def test_the_decisions_split_as_the_wheel_does_and_are_judged_against_the_reference():
    domain = get_domain("airline-cancellations", seed=0)
    splits = {split: domain.tasks(split) for split in ("train", "validation", "test")}
    ids = [task.id for tasks in splits.values() for task in tasks]
    assert len(ids) == len(set(ids)) == 23 and len(splits["validation"]) == 4
    test_tasks = set(raw_splits()["test"])
    assert all(task.id.split("-")[1] in test_tasks for task in splits["test"])  # held out with their conversations
    assert not any(task.id.split("-")[1] in test_tasks for task in splits["train"] + splits["validation"])
    for task in splits["train"]:
        assert set(task.inputs) == {"case", "request"} and "allowed" not in json.dumps(task.inputs)
        expected = domain.reveal(task)
        right = domain.evaluate(task, expected)
        assert right.value == 1.0 and right.counts == {"unsafe": 0}
        if expected != "proceed":  # proceeding where the reference refused is the unsafe answer
            assert domain.evaluate(task, "proceed").counts == {"unsafe": 1}
    bad = domain.evaluate(splits["test"][0], {"action": "cancel"})
    assert bad.value == 0.0 and "must be one of proceed, refuse, transfer_to_human" in bad.detail
    assert agent_task(domain, splits["test"][0])["contract"] == "cancellation_decision"
    assert agent_task(get_domain("arithmetic"), get_domain("arithmetic").tasks("test")[0])["contract"] == "arithmetic_answer"


def test_the_seed_agent_answers_through_the_domain_contract_and_the_guard_keeps_the_policy(tmp_path):
    domain = get_domain("airline-cancellations", seed=0)
    specs = load_specs([SPEC])
    files = read_agent(agent_folder("seed"))
    train = domain.tasks("train")
    example = repr(json.loads(json.dumps([[train[0].inputs, domain.reveal(train[0])]], default=float)))  # as Python literals
    files["task_agent.py"] = re.sub(r"^EXAMPLES = .*$", lambda _: f"EXAMPLES = {example}", files["task_agent.py"], count=1, flags=re.M)
    model = always("proceed")  # a model that would cancel everything
    tasks = domain.tasks("test")
    result = run_tasks(domain, LocalSandbox(), lambda: GuardService(specs, model), AgentManifest.from_files(files, "seed").task,
                       files, tasks, "test", 60.0)
    answers = {e.task_id: read_output(e.output) for e in result.evaluations}
    for task in tasks:
        policy_allows = domain.reveal(task) == "proceed"
        flown = task.inputs["case"]["any_flown"]
        assert answers[task.id] == ("proceed" if policy_allows else "transfer_to_human" if flown else "refuse"), task.id
    prompts = [next(m.content for m in messages if m.role == "user") for messages in model.calls]
    assert prompts and all(p.startswith("Example: ") for p in prompts)  # the worked example, before the contract's prompt


def test_cegis_repairs_a_constant_answer_into_the_policy_and_beats_the_model(tmp_path):
    specs, tasks = load_specs([SPEC]), load_tasks([SPEC])
    task = tasks.get("cancel_request")
    domain = get_domain("airline-cancellations", seed=0)
    evaluate = LocalEvaluation(domain, task, specs, always("refuse"))  # a model that never cancels
    result = synthesize(
        Problem(task, specs), GrammarProposer(), Verifier(), OptunaLearner(f"sqlite:///{tmp_path}/study.db", trials=1),
        evaluate, study="cancel", rounds=6, per_round=4,
    )
    by_index = {c.index: c for c in result.candidates}
    constant = next(c for c in result.candidates if c.source.endswith("return 'proceed'\n"))
    assert constant.status in {"counterexample", "ruled_out"}  # proceeding always breaks Psi
    best = result.best
    assert best is not None and best.status == "proven"
    line = best
    while line.parent_index is not None:  # its lineage goes back to the constant answer, through repairs
        assert line.origin == "repair"
        line = by_index[line.parent_index]
    assert line.index == constant.index
    assert best.scores["train"] == 1.0
    assert best.psi_violations["test"] == 0
    asking = next(c for c in result.candidates if c.status == "proven" and 'call("cancellation_decision"' in c.source)
    model_only = evaluate(VerifiedProgram(parse_program(asking.source, task, specs), Verdict.from_dict(asking.verdict)), {}, "test")
    assert best.scores["test"] > model_only.score  # the model never cancels; the policy does where it may
