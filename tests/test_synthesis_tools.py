"""Domain tools in agent programs: typed signatures in spec files, `x = tool("NAME", ...)` in
programs, proofs that hold for every result of the declared type, counterexamples that name
the tool result, and runs (interpreter and real sandbox) where a result outside the declared
type fails the task instead of giving a wrong answer."""
from __future__ import annotations

import pytest
from scripted_model import ScriptedModel
from synthesis_support import SPEC as CONTRACTS
from synthesis_support import echo_plus

from evoforge.contracts import load_specs
from evoforge.contracts.tasks import load_tasks
from evoforge.domains.base import Score, Task, ToolDomain
from evoforge.sandbox import get_sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.synthesis import LocalEvaluation, VerifiedProgram, Verifier, parse_program
from evoforge.synthesis.language.guarded import GuardGenerate
from evoforge.synthesis.language.interpret import Interpreter, ProgramFailure
from evoforge.synthesis.language.parser import ProgramError
from evoforge.synthesis.language.to_module import agent_files
from evoforge.synthesis.language.tools import SessionTools
from evoforge.synthesis.search.grammar import enumerate_programs
from evoforge.synthesis.search.planner import describe_task
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.refute import refutation
from evoforge.synthesis.search.sandboxed import SandboxEvaluation
from evoforge.synthesis.search.verify import COUNTEREXAMPLE, PROVEN

TOOLS = '''
[types.Account]
balance = "int"
tier = "enum['basic', 'gold']"

[tools.account]
description = "The account of a customer."
inputs = { customer = "str" }
output = "Account"

[tools.history]
description = "The customer's last payments, at most three."
inputs = { customer = "str" }
output = "list[int, 3]"

[tasks.credit]
description = "A credit score from 0 to 100."
inputs = { customer = "str" }
result = "int"
require = ["len(customer) <= 20"]
ensure = ["0 <= result <= 100"]
fallback = "0"
contracts = ["near"]
tools = ["account", "history"]

[tasks.tier_of]
inputs = { customer = "str" }
result = "enum['basic', 'gold']"
ensure = ["result == 'basic' or result == 'gold'"]
contracts = []
tools = ["account"]

[tasks.plain]
inputs = { customer = "str" }
result = "int"
ensure = ["result == 0"]
contracts = []
'''

# Proven: whatever the account says, the call's require holds and the answer stays in 0..100.
SCORED = '''
def solve(customer):
    acct = tool("account", customer=customer)
    if 0 <= acct.balance <= 97:
        x = call("near", n=acct.balance)
        return min(max(x, 0), 100)
    return 0
'''

# Proven by the list's bound alone: at most three payments give at most 90.
PAYMENTS = '''
def solve(customer):
    paid = tool("history", customer=customer)
    return len(paid) * 30
'''

# Wrong: it trusts the balance to be a score.
TRUSTING = '''
def solve(customer):
    acct = tool("account", customer=customer)
    return acct.balance
'''


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "tools.toml"
    path.write_text(CONTRACTS + TOOLS)  # the `near` contract of the shared spec, and tools
    specs, tasks = load_specs([path]), load_tasks([path])
    assert specs.all_proven and not tasks.problems, (specs.problems, tasks.problems)
    return specs, tasks


def parsed(kit, source, task="credit"):
    specs, tasks = kit
    return parse_program(source, tasks.get(task), specs)


def verified(kit, source, task="credit"):
    program = parsed(kit, source, task)
    verdict = Verifier().verify(program, kit[1].get(task))
    assert verdict.status == PROVEN, verdict.reason
    return VerifiedProgram(program, verdict)


class Session:
    """One task's episode: a lookup table of the task's own customer, every call recorded."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def names(self):
        return sorted(self.table)

    def call(self, name, arguments):
        self.calls.append({"name": name, "arguments": dict(arguments)})
        rows = self.table.get(name)
        if rows is None:
            return {"error": f"unknown tool {name!r}"}
        if arguments.get("customer") not in rows:
            return {"error": f"no customer {arguments.get('customer')!r}"}
        return {"result": rows[arguments["customer"]]}

    def records(self):
        return list(self.calls)

    def guarded_calls(self):
        return []


class Accounts:
    """A domain with tools: each task's customer, its account and payments, and the expected score."""

    name, description, input_schema = "accounts", "score customers from their accounts", {"customer": "str"}

    def __init__(self, rows):
        self.rows = {f"t{i}": row for i, row in enumerate(rows)}
        self._tasks = [Task(task_id, "train", {"customer": row[0]}) for task_id, row in self.rows.items()]

    def tasks(self, split):
        return list(self._tasks)

    def evaluate(self, task, answer):
        return Score(0.0, "an episode is scored with its session")

    def open_session(self, task):
        customer, account, payments, _ = self.rows[task.id]
        return Session({"account": {customer: account}, "history": {customer: payments}})

    def evaluate_session(self, task, answer, session):
        expected = self.rows[task.id][3]
        looked_up = any(c["arguments"].get("customer") == task.inputs["customer"] for c in session.records())
        return Score(1.0 if answer == expected and looked_up else 0.0, f"gave {answer!r}")

    def contract_files(self):
        return []


ROWS = [
    ("ann", {"balance": 40, "tier": "gold"}, [10, 20], 41),
    ("bob", {"balance": 99, "tier": "basic"}, [], 0),
    ("cy", {"balance": -5, "tier": "basic"}, [5, 5, 5], 0),
]
# Tool answers outside the declared types: a tier that is not a member, four payments.
BROKEN_ROWS = [
    ("dee", {"balance": 40, "tier": "platinum"}, [1, 2, 3, 4], 0),
    ("eve", {"balance": 40}, [1, "x"], 0),
]


def test_tool_signatures_load_and_tasks_list_their_tools(kit):
    _, tasks = kit
    credit = tasks.get("credit")
    assert list(credit.tools) == ["account", "history"]
    assert credit.tools["history"].signature() == 'tool("history", customer=<str>) -> list[int, 3]'
    assert tasks.get("plain").tools == {}
    assert 'tool you may use: tool("account", customer=<str>) -> Account  (The account of a customer.)' in describe_task(credit)


def test_a_program_is_proven_when_psi_holds_for_every_tool_result(kit):
    for source in (SCORED, PAYMENTS):
        program = parsed(kit, source)
        verdict = Verifier().verify(program, kit[1].get("credit"))
        assert verdict.status == PROVEN, verdict.reason


def test_relying_on_a_particular_tool_answer_is_rejected_naming_the_tool_result(kit):
    specs, tasks = kit
    task = tasks.get("credit")
    program = parsed(kit, TRUSTING)
    verdict = Verifier().verify(program, task)
    assert verdict.status == COUNTEREXAMPLE
    example = verdict.counterexample
    (used,) = example.tools
    assert used["tool"] == "account" and used["line"] == 3 and used["inputs"] == {"customer": example.inputs["customer"]}
    assert not 0 <= used["output"]["balance"] <= 100 and used["output"]["balance"] == example.result
    assert f"when tool account (line 3) returned {used['output']!r}" in verdict.reason
    # Replayed with the recorded tool result, the counterexample is real for the program itself.
    assert refutation(example, program, task, specs) is not None
    # A program asking for another customer gets no recorded result: any value of the type is a
    # result its proof had to cover, and balance 0 breaks `0 <= result`.
    other = parsed(kit, 'def solve(customer):\n    acct = tool("account", customer="zed")\n    return acct.balance - 1\n')
    replayed = refutation(example, other, task, specs)
    assert replayed is not None and replayed.result == -1
    assert replayed.tools == [{"line": 2, "tool": "account", "inputs": {"customer": "zed"}, "output": {"balance": 0, "tier": "basic"}}]
    # A proven program is not refuted by it.
    assert refutation(example, parsed(kit, SCORED), task, specs) is None


@pytest.fixture(scope="module")
def sandbox():
    return get_sandbox("local")


def evaluations(kit, sandbox, source, rows):
    specs, tasks = kit
    program, domain = verified(kit, source), Accounts(rows)
    assert isinstance(domain, ToolDomain)

    def model():
        return ScriptedModel(respond=echo_plus(1))

    local = LocalEvaluation(domain, tasks.get("credit"), specs, model())(program, {}, "train")
    boxed = SandboxEvaluation(domain, tasks.get("credit"), sandbox, lambda: GuardService(specs, model()))(program, {}, "train")
    return local, boxed


@pytest.mark.parametrize("source", [SCORED, PAYMENTS])
def test_the_interpreter_and_the_sandbox_give_the_same_outputs_for_a_tool_program(kit, sandbox, source):
    local, boxed = evaluations(kit, sandbox, source, ROWS)
    expected = [41, 0, 0] if source == SCORED else [60, 0, 90]
    assert [o.output for o in local.outcomes] == [o.output for o in boxed.outcomes] == expected
    assert [o.detail for o in local.outcomes] == [o.detail for o in boxed.outcomes]
    assert local.summary() == boxed.summary()
    if source == SCORED:  # scored by the domain from the episode: the right answers, looked up
        assert local.score == 1.0 and [o.calls for o in local.outcomes] == [1, 0, 0]


def test_the_program_module_calls_tools_through_the_channel(kit):
    module = agent_files(verified(kit, SCORED).program)["program_agent.py"]
    assert "from evoforge_channel import call_tool" in module
    assert "v_acct = call_tool('account', customer=v_customer)" in module


def test_a_tool_result_outside_its_declared_type_fails_the_task_never_a_wrong_answer(kit, sandbox):
    for source in (SCORED, PAYMENTS):
        local, boxed = evaluations(kit, sandbox, source, BROKEN_ROWS)
        for report in (local, boxed):
            for outcome in report.outcomes:
                assert outcome.output is None and outcome.score == 0.0 and outcome.psi_ok
                assert "outside its declared type" in outcome.detail
    local, boxed = evaluations(kit, sandbox, PAYMENTS, BROKEN_ROWS)
    assert "has 4 items; at most 3 are allowed" in local.outcomes[0].detail
    assert "has 4 items; at most 3 are allowed" in boxed.outcomes[0].detail
    local, boxed = evaluations(kit, sandbox, SCORED, BROKEN_ROWS)
    assert "result of tool account.tier is 'platinum'" in local.outcomes[0].detail
    assert all("lacks field(s) tier" in report.outcomes[1].detail for report in (local, boxed))
    # The interpreter holds a raw session's result to the type itself: 4 payments would score 120.
    specs, _ = kit
    program = parsed(kit, PAYMENTS)
    raw = SessionTools(Session({"history": {"dee": [1, 2, 3, 4]}}))
    with pytest.raises(ProgramFailure, match=r"line 3: the result of tool history has 4 items"):
        Interpreter(program).run({"customer": "dee"}, {}, GuardGenerate(specs, ScriptedModel()), raw)
    with pytest.raises(ProgramFailure, match=r"line 3: tool 'history': this run has no tools"):
        Interpreter(program).run({"customer": "dee"}, {}, GuardGenerate(specs, ScriptedModel()))


def test_the_grammar_binds_a_tool_result_and_returns_its_field(kit):
    specs, tasks = kit
    first = next(enumerate_programs(Problem(tasks.get("tier_of"), specs)))
    assert first == 'def solve(customer):\n    info = tool("account", customer=customer)\n    return info.tier\n'
    verified(kit, first, "tier_of")
    credit = list(enumerate_programs(Problem(tasks.get("credit"), specs)))
    assert any('answer = call("near", n=info.balance)' in source for source in credit)
    assert not any("tool(" in source for source in enumerate_programs(Problem(tasks.get("plain"), specs)))


@pytest.mark.parametrize("body, message", [
    ('    a = tool("refund", customer=customer)\n    return 0',
     "program line 3: task 'credit' allows the tool(s) account, history, not 'refund'"),
    ('    a = tool("account")\n    return 0',
     "program line 3: tool 'account': missing input(s) customer (it takes customer)"),
    ('    a = tool("account", customer=customer, extra=1)\n    return 0',
     "program line 3: tool 'account': unknown input(s) extra (it takes customer)"),
    ('    a = tool("account", customer=5)\n    return 0',
     "program line 3: tool 'account': customer needs str, got int"),
    ('    return tool("history", customer=customer)[0]',
     "program line 3: tool() must be the whole right-hand side of an assignment: NAME = tool(...)"),
    ('    a = tool(customer)\n    return 0',
     'program line 3: tool() takes the tool name as a string, then keyword inputs: tool("NAME", x=...)'),
    ('    a = tool("account", customer=customer)\n    b = a + 1\n    return 0',
     "program line 4: "),
])
def test_tool_parse_errors_name_the_line(kit, body, message):
    with pytest.raises(ProgramError) as caught:
        parsed(kit, "\ndef solve(customer):\n" + body + "\n")
    assert str(caught.value).startswith(message)


def test_a_task_without_tools_may_not_use_one(kit):
    with pytest.raises(ProgramError, match=r"program line 2: task 'plain' lists no tools, so 'account' cannot be used"):
        parsed(kit, 'def solve(customer):\n    a = tool("account", customer=customer)\n    return 0\n', "plain")


@pytest.mark.parametrize("extra, message", [
    ('[tasks.t]\ninputs = { n = "int" }\nresult = "int"\nensure = ["result == 0"]\ntools = ["nope"]\n',
     "{path}:5: task 't': unknown tool 'nope' (declared tools: ok); declare it as [tools.nope] in a spec file"),
    ('[tools.bad]\ninputs = { n = "int" }\noutput = "Foo"\n',
     "{path}:3: tool 'bad': output: unknown type 'Foo'"),
    ('[tools.bad]\noutput = "int"\n',
     "{path}:1: tool 'bad': missing required key 'inputs'"),
    ('[tools.bad]\ninputs = { n = "int" }\noutput = "int"\nensure = ["result > 0"]\n',
     "{path}:4: tool 'bad': unknown key(s) ensure; allowed: description, inputs, output"),
])
def test_bad_tool_specs_are_one_line_naming_file_and_line(tmp_path, extra, message):
    path = tmp_path / "bad.toml"
    path.write_text(extra + '\n[tools.ok]\ninputs = { n = "int" }\noutput = "int"\n')
    problems = load_tasks([path]).problems
    assert len(problems) == 1 and str(problems[0]).startswith(message.format(path=path)), problems


PROFILE = '''
[types.Profile]
name = "str"
nickname = "optional[str]"
limits = "map[str, int, 3]"
payments = "list[int, 3]"

[tools.profile]
description = "A customer's profile."
inputs = { customer = "str" }
output = "Profile"

[tasks.card_limit]
inputs = { customer = "str" }
result = "int"
ensure = ["0 <= result <= 100"]
contracts = []
tools = ["profile"]
'''


@pytest.fixture(scope="module")
def profiles(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "profile.toml"
    path.write_text(CONTRACTS + PROFILE)
    specs, tasks = load_specs([path]), load_tasks([path])
    assert specs.all_proven and not tasks.problems, (specs.problems, tasks.problems)
    return specs, tasks


@pytest.mark.parametrize("read, fragment", [
    ('p.limits["card"]', "line 3 reads `p.limits['card']` when its key is not in the map"),
    ("p.payments[-1]", "line 3 reads `p.payments[-1]` when its index is out of range"),
    ("len(p.nickname)", "line 3 reads `p.nickname` when the field is absent"),
])
def test_a_program_reading_a_tool_results_map_list_or_optional_field_unguarded_is_rejected(profiles, read, fragment):
    source = f'def solve(customer):\n    p = tool("profile", customer=customer)\n    x = {read}\n    return min(max(x, 0), 100)\n'
    verdict = Verifier().verify(parsed(profiles, source, "card_limit"), profiles[1].get("card_limit"))
    assert verdict.status == COUNTEREXAMPLE and verdict.counterexample.kind == "defined"
    assert fragment in verdict.reason and "when tool profile (line 2) returned" in verdict.reason


GUARDED_READS = '''
def solve(customer):
    p = tool("profile", customer=customer)
    if "card" in p.limits and len(p.payments) > 0:
        return min(max(p.limits["card"] + p.payments[-1], 0), 100)
    if p.nickname is not None:
        return min(len(p.nickname), 100)
    return len([k for k in p.limits if p.limits[k] > 0]) * 10
'''


def test_guarded_reads_are_proven_and_run_alike_in_the_interpreter_and_the_sandbox(profiles, sandbox):
    specs, tasks = profiles
    task = tasks.get("card_limit")
    program = VerifiedProgram(parsed(profiles, GUARDED_READS, "card_limit"), Verifier().verify(parsed(profiles, GUARDED_READS, "card_limit"), task))
    rows = [("ann", {"name": "Ann", "limits": {"card": 40}, "payments": [5, 7]}, 47),
            ("bob", {"name": "Bob", "nickname": "bobby", "limits": {}, "payments": []}, 5),
            ("cy", {"name": "Cy", "nickname": None, "limits": {"a": 1, "b": 0, "c": 3}, "payments": [1]}, 20)]

    class Profiles(Accounts):
        def open_session(self, task):
            customer, profile, _ = self.rows[task.id]
            return Session({"profile": {customer: profile}})

        def evaluate_session(self, task, answer, session):
            return Score(float(answer == self.rows[task.id][2]), f"gave {answer!r}")

    domain = Profiles(rows)
    local = LocalEvaluation(domain, task, specs, ScriptedModel())(program, {}, "train")
    boxed = SandboxEvaluation(domain, task, sandbox, lambda: GuardService(specs, ScriptedModel()))(program, {}, "train")
    assert [o.output for o in local.outcomes] == [o.output for o in boxed.outcomes] == [47, 5, 20]
    assert local.score == boxed.score == 1.0
