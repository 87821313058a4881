"""The planner proposer: a capable model writes programs under the `agent_program` contract.

The guard holds the model to bounded Python that defines `solve` (specs/synthesis.toml);
whether the text is a well-typed program and whether it is correct is decided afterwards by
the parser and the verifier, whose verdicts come back to the model as feedback (CEGIS).
"""
from __future__ import annotations

from evoforge.contracts import SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.model import Contract
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.tools import ToolSpec
from evoforge.models.base import ModelClient
from evoforge.synthesis.search.proposing import Feedback, Problem, Proposal

CONTRACT = "agent_program"
FEEDBACK_ITEMS = 4  # the most recent entries of each kind shown to the planner
MAX_FEEDBACK = 7000
MAX_TASK = 8000  # the task with its starting program, under agent_program's require


class PlannerProposer:
    name = "planner"

    def __init__(self, planner_specs: SpecSet, model: ModelClient, records: list[CallRecord] | None = None):
        self.contract = planner_specs.get(CONTRACT)
        self.model = model
        self.records: list[CallRecord] = [] if records is None else records  # its guarded calls, for the archive

    def propose(self, problem: Problem, feedback: Feedback, count: int) -> list[Proposal]:
        inputs = {
            "task": describe_task(problem.task)[:MAX_TASK],
            "contracts": "\n\n".join(describe_contract(c) for c in problem.contracts())[:12000],
            "feedback": describe_feedback(feedback)[:MAX_FEEDBACK],
        }
        seen, out = feedback.seen(), []
        for _ in range(count):
            result = guarded_call(self.contract, inputs, self.model)
            self.records.append(result.record)
            if result.record.fallback_used or result.output in seen:
                break  # the planner has nothing new to say for this feedback
            seen.add(result.output)
            out.append(Proposal(result.output, "planner"))
        return out


def describe_task(task: TaskSpec) -> str:
    lines = [f"task {task.name}: {task.description}".rstrip(": "),
             "inputs: " + ", ".join(f"{n}: {t}" for n, t in task.inputs.items()),
             f"result: {task.result}"]
    lines += [f"require: {c.text}" for c in task.require]
    lines += [f"ensure: {c.text}" for c in task.ensure]
    lines += [f"tool you may use: {t.signature()}" + (f"  ({t.description})" if t.description else "") for t in task.tools.values()]
    lines += [held(t) for t in task.tools.values() if t.policy is not None]
    if task.start is not None:
        lines.append(f"a starting program to improve (the verifier may refute it):\n{task.start}")
    return "\n".join(lines)


def held(tool: ToolSpec) -> str:
    """How a policy-held write must be called: the kernel refuses it unless its policy allows it
    on the facts the program passes, and those are what the facts tool gives at that moment."""
    witnessed = ", ".join(f"{n}= the result of {source} read right before" for n, source in tool.witness.items())
    return (f"{tool.name} runs only when call(\"{tool.policy.contract}\", ...) may answer '{tool.policy.allows}' "
            f"for its arguments (prove it: ask that contract, or check its clauses){'; pass ' + witnessed if witnessed else ''}")


def describe_contract(contract: Contract) -> str:
    lines = [f'call("{contract.name}", ' + ", ".join(f"{n}=<{t}>" for n, t in contract.inputs.items()) + f") -> {contract.output}"]
    if contract.description:
        lines.append(f"  {contract.description}")
    lines += [f"  require: {c.text}" for c in contract.require]
    lines += [f"  ensure: {c.text}" for c in contract.ensure]
    return "\n".join(lines)


def describe_feedback(feedback: Feedback) -> str:
    parts = [f"Program:\n{source}\nRejected by the verifier: {example.describe()}"
             for source, example in feedback.counterexamples[-FEEDBACK_ITEMS:]]
    parts += [f"Program:\n{source}\nDoes not parse: {error}" for source, error in feedback.unparsed[-FEEDBACK_ITEMS:]]
    parts += [f"A proven program scored {f.score} on inputs {f.inputs}: {f.detail}" for f in feedback.failures[-FEEDBACK_ITEMS:]]
    return "\n\n".join(parts) or "none yet"
