"""Whole airline conversations as SEVerA programs (docs/synthesis.md, "Conversation programs").

Every airline write is held to its policy contract: a program reads the write's facts tool,
and the verifier proves, for every input, parameter value, tool result and model output, that
each write it makes is one the policy allows (the global Psi). The kernel makes the proof hold
for the real conversation: it re-reads the facts at the write (a fabricated or stale record is
refused) and checks the policy itself. These tests run the real verifier (Z3), the real
airline sessions on the wheel's database, and a synthesis run from the task's starting
program to a proven one, the program then run in the sandbox."""
from __future__ import annotations

import pytest
import z3
from airline_hostile import PermissiveModel
from airline_support import proposal
from openai_server import Provider, answer

from evoforge.archive import open_archive
from evoforge.contracts import load_specs
from evoforge.contracts.tasks import load_tasks
from evoforge.domains import get_domain
from evoforge.models import resolve_model
from evoforge.paths import SPECS_DIR
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.in_memory import synthesize
from evoforge.synthesis.language.guarded import GuardGenerate
from evoforge.synthesis.language.interpret import Interpreter, ProgramFailure
from evoforge.synthesis.language.tools import SessionTools, TypedSession
from evoforge.synthesis.search.evaluation import LocalEvaluation
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.guard_write import decide_write, guard_write
from evoforge.synthesis.search.planner import MAX_TASK, PlannerProposer, describe_task
from evoforge.synthesis.search.refute import refutation
from evoforge.synthesis.search.slicing import cone
from evoforge.synthesis.search.verify import COUNTEREXAMPLE, PROVEN, Verifier
from evoforge.synthesis.settings import SynthesisSettings

SPEC = SPECS_DIR / "airline.toml"
SPECS = load_specs([SPEC])
TASK = load_tasks([SPEC]).get("airline_conversation")

# Ask for the reservation, propose the cancellation, read the facts, cancel on a yes: no policy.
CANCEL_ON_YES = '''
def solve():
    said = tool("send_message_to_user", text="Hi! Which reservation do you want to cancel?")
    reservation_id = ""
    if len(said) <= 6000:
        reservation_id = call("airline_reservation_id", said=said)
    if reservation_id == "":
        return "handed over"
    answer = tool("send_message_to_user", text="Cancel reservation " + reservation_id + "? Please answer yes or no.")
    facts = tool("facts_cancel_reservation", reservation_id=reservation_id)
    if facts.confirmed:
        cancelled = tool("cancel_reservation", reservation_id=reservation_id, facts=facts)
        return "cancelled"
    return "not cancelled"
'''


def verdict(source: str):
    return Verifier().verify(parse_program(source, TASK, SPECS), TASK)


def test_a_write_the_policy_may_forbid_is_a_counterexample_naming_the_clause():
    found = verdict(CANCEL_ON_YES)
    assert found.status == COUNTEREXAMPLE and found.counterexample.kind == "policy"
    clause = found.counterexample.clause
    assert clause in {c.text for c in SPECS.get("policy_cancel_reservation").ensure + SPECS.get("policy_cancel_reservation").require}
    assert "the write at line 12" in found.reason and "policy_cancel_reservation" in found.reason
    # The counterexample replays: the same tool results and model outputs make that write.
    assert refutation(found.counterexample, parse_program(CANCEL_ON_YES, TASK, SPECS), TASK, SPECS) is not None


def test_guarding_the_write_clause_by_clause_converges_to_a_proof():
    source, clauses = CANCEL_ON_YES, []
    for _ in range(12):  # CEGIS on one program: each counterexample's clause becomes a guard
        found = verdict(source)
        if found.status == PROVEN:
            break
        assert found.counterexample.kind == "policy", found.reason
        clauses.append(found.counterexample.clause)
        source = guard_write(source, TASK, SPECS, found.counterexample.clause)
        assert source is not None
    assert found.status == PROVEN, found.reason
    assert len(set(clauses)) == len(clauses) >= 2  # each round a different clause


def test_asking_the_policy_before_the_write_is_proven():
    decided = decide_write(CANCEL_ON_YES, TASK, SPECS)
    assert decided is not None and 'call("policy_cancel_reservation"' in decided.replace("'", '"')
    assert verdict(decided).status == PROVEN


def test_the_starting_program_is_refuted_until_repaired():
    assert TASK.start is not None and "facts_cancel_reservation" in TASK.start
    found = verdict(TASK.start)
    assert found.status == COUNTEREXAMPLE and found.counterexample.kind == "policy"


def test_the_planner_is_shown_the_starting_program_and_how_writes_are_held():
    shown = describe_task(TASK)
    assert len(shown) <= MAX_TASK and TASK.start.strip() in shown
    assert ('cancel_reservation runs only when call("policy_cancel_reservation", ...) may answer \'proceed\'' in shown
            and "pass facts= the result of facts_cancel_reservation read right before" in shown)


def test_the_planner_repairs_a_conversation_program_through_the_verifiers_feedback(tmp_path):
    """A planner (a real OpenAI-protocol server with recorded answers) first writes the program
    that cancels on a yes, is told the policy clause it breaks, then asks the policy first."""
    server = Provider(answer(900, 300, f"```python{CANCEL_ON_YES}```"),
                      answer(900, 300, f"```python\n{decide_write(CANCEL_ON_YES, TASK, SPECS)}```"))
    try:
        planner = PlannerProposer(load_specs([SPECS_DIR / "synthesis.toml"]), resolve_model("hosted_vllm/planner", api_base=server.base))
        model = resolve_model("null/fallback")
        domain = get_domain("airline", model=model, sizes={"train": 1, "validation": 1, "test": 1})
        result = synthesize(Problem(TASK, SPECS), planner, Verifier(), OptunaLearner(f"sqlite:///{tmp_path}/s.db", trials=1),
                            LocalEvaluation(domain, TASK, SPECS, model), study="planner-conversation", rounds=2, per_round=1)
        prompts = [r["body"]["messages"][-1]["content"] for r in server.requests]
    finally:
        server.close()
    assert [c.status for c in result.candidates] == ["counterexample", "proven"]
    assert "a starting program to improve" in prompts[0] and "pass facts= the result of facts_cancel_reservation" in prompts[0]
    assert "Rejected by the verifier" in prompts[1] and "which breaks policy policy_cancel_reservation" in prompts[1]
    assert result.best is not None and result.best.psi_violations["test"] == 0


def test_the_cone_keeps_only_what_shares_a_variable_with_the_seed():
    a, b, c, d = z3.Ints("a b c d")
    constraints = [a > 0, a < b, c > 5, d == c + 1, z3.BoolVal(False)]
    kept = cone(constraints, [b > 3])
    assert sorted(str(k) for k in kept) == ["False", "a < b", "a > 0"]  # c and d share nothing with b


@pytest.fixture
def session():
    """Task 14 (train): the customer cancels K1NW8N, which the reference cancels; readings from a
    model that says yes to everything (the guard's worst case)."""
    domain = get_domain("airline", model=PermissiveModel())
    (task,) = [t for split in ("train", "validation") for t in domain.tasks(split) if t.id == "airline-14"]
    return domain.open_session(task), domain


def test_the_kernel_refuses_a_write_on_fabricated_facts_and_makes_it_on_the_real_ones(session):
    raw, domain = session
    typed = TypedSession(raw, TASK.tools, domain.specs)
    typed.call("send_message_to_user", {"text": "Hi! How can I help you today?"})
    typed.call("send_message_to_user", {"text": proposal("cancel_reservation", {"reservation_id": "K1NW8N"})})
    facts = typed.call("facts_cancel_reservation", {"reservation_id": "K1NW8N"})["result"]
    fabricated = {**facts, "cabin": "business", "minutes_since_booking": 10, "has_insurance": True}
    refused = typed.call("cancel_reservation", {"reservation_id": "K1NW8N", "facts": fabricated})
    assert "is not what facts_cancel_reservation gives now" in refused["error"] and not raw.writes
    made = typed.call("cancel_reservation", {"reservation_id": "K1NW8N", "facts": facts})
    assert "result" in made, made
    assert [w.arguments for w in raw.writes] == [{"reservation_id": "K1NW8N"}]  # the facts never reach the tool


def test_the_kernel_checks_the_policy_itself_on_the_facts(session):
    raw, domain = session
    typed = TypedSession(raw, TASK.tools, domain.specs)
    typed.call("send_message_to_user", {"text": "Hi! How can I help you today?"})  # no proposal listed, so no confirmation
    facts = typed.call("facts_cancel_reservation", {"reservation_id": "K1NW8N"})["result"]
    assert facts["details_listed"] is False
    refused = typed.call("cancel_reservation", {"reservation_id": "K1NW8N", "facts": facts})
    assert "refused: policy policy_cancel_reservation" in refused["error"] and not raw.writes


# Proven: the policy allows the write on the facts it passes. But they are another reservation's.
BORROWED_FACTS = '''
def solve():
    said = tool("send_message_to_user", text="Hi! How can I help you today?")
    answer = tool("send_message_to_user", text="I will cancel: K1NW8N. Do you confirm (yes/no)?")
    facts = tool("facts_cancel_reservation", reservation_id="K1NW8N")
    if facts.minutes_since_booking >= 0:
        decision = call("policy_cancel_reservation", facts=facts)
        if decision == "proceed":
            done = tool("cancel_reservation", reservation_id=TARGET, facts=facts)
            return "cancelled"
    return "not cancelled"
'''


@pytest.mark.parametrize("target", ["K1NW8N", "OTHER"])
def test_a_proven_program_cannot_write_one_reservation_on_anothers_facts(session, target):
    """The proof is over the facts the program passes; the witness makes them the write's own."""
    raw, domain = session
    other = next(r for r in raw.db.reservations.values() if r.created_at < "2024-05-01" and r.status is None).reservation_id
    source = BORROWED_FACTS.replace("TARGET", repr("K1NW8N" if target == "K1NW8N" else other))
    program = parse_program(source, TASK, SPECS)
    assert Verifier().verify(program, TASK).status == PROVEN
    tools = SessionTools(TypedSession(raw, TASK.tools, domain.specs))
    generate = GuardGenerate(domain.specs, PermissiveModel())  # the policy call answers "proceed", held to its ensure
    if target == "K1NW8N":
        assert Interpreter(program).run({}, {}, generate, tools).output == "cancelled"
        assert [w.arguments for w in raw.writes] == [{"reservation_id": "K1NW8N"}]
        return
    with pytest.raises(ProgramFailure, match="facts is not what facts_cancel_reservation gives now"):
        Interpreter(program).run({}, {}, generate, tools)
    assert not raw.writes and raw.db.reservations[other].status is None


def test_a_write_witnessed_by_an_undeclared_or_ill_typed_tool_is_one_clear_problem(tmp_path):
    spec = tmp_path / "tools.toml"
    spec.write_text('''
[types.Facts]
ok = "bool"

[tools.read_facts]
inputs = { key = "int" }
output = "Facts"

[tools.write_it]
inputs = { key = "str", facts = "Facts" }
output = "str"
witness = { facts = "read_facts" }

[tools.write_other]
inputs = { key = "str", facts = "Facts" }
output = "str"
witness = { facts = "nowhere" }

[tools.write_bad]
inputs = { key = "str" }
output = "str"
witness = { receipt = "read_facts" }
''')
    problems = sorted(str(p) for p in load_tasks([spec]).problems)
    assert len(problems) == 3
    assert any("write_it" in p and "witness facts: tool 'read_facts' takes key, which 'write_it' must take with the same types" in p for p in problems)
    assert any("write_other" in p and "no tool 'nowhere' is declared" in p for p in problems)
    assert any("witness names 'receipt', which is not one of the inputs (key)" in p for p in problems)


def test_a_synthesis_run_repairs_the_starting_program_into_a_proven_one(tmp_path):
    """Round 0 proposes the start (refuted: a forbidden write); round 1 asks the policy before the
    write (proven); the learner tunes its parameters and the program runs in the sandbox on
    real conversations. The null model answers nothing, so every reading is its fallback."""
    archive = open_archive(tmp_path / "archive.db")
    settings = SynthesisSettings(domain=DomainSection("airline", {"sizes": {"train": 2, "validation": 1, "test": 1}}),
                                 model=ModelSection("null/fallback"), sandbox=SandboxSection("local", 60.0),
                                 task="airline_conversation", rounds=2, per_round=1, trials=1)
    outcome = execute_run(archive, create_run(archive, settings))
    start, repaired = archive.candidates(outcome.run_id)
    assert (start.origin, start.status, start.counterexample["kind"]) == ("start", "counterexample", "policy")
    assert (repaired.origin, repaired.status, repaired.parent_index) == ("repair:ask the policy", "proven", 0)
    assert outcome.best is not None and outcome.best.index == repaired.index
    assert set(outcome.best.params) == {"ASK_TURNS", "GREETING", "ASK_USER_ID", "ASK_RESERVATION"}
    assert outcome.best.psi_violations == {"train": 0, "validation": 0, "test": 0}
