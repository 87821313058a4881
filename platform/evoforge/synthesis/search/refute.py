"""Whether a counterexample found for one program also refutes another, checked concretely.

The other program runs on the counterexample's inputs and parameter values; each of its calls
gets the model output the counterexample recorded for the same contract and inputs (or else
the contract's proven fallback), so every output it sees satisfies its contract, and each tool
call the recorded result or some value of the tool's type (`ReplayTools`). If it then breaks a
call's `require` or the task's Psi, that is a real counterexample for it too, and the verifier
need not be asked: the CEGIS loop counts it as ruled out. `refutation` gives that
counterexample as the program itself met it (its path, its calls, its broken clause), which is
what the repair move of a ruled-out candidate needs.
"""
from __future__ import annotations

from typing import Any

from evoforge.contracts import SpecSet
from evoforge.contracts.guard import check_inputs
from evoforge.contracts.model import Clause, PreconditionViolation
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.tools import ToolSpec, policy_breach
from evoforge.contracts.types import conform, some_value, to_plain
from evoforge.synthesis.language.interpret import Interpreter, ProgramFailure, check_params
from evoforge.synthesis.language.program import Program
from evoforge.synthesis.search.verify import Counterexample


class _Replay:
    def __init__(self, specs: SpecSet, example: Counterexample):
        self.specs = specs
        self.recorded = [(c["contract"], c["inputs"], c["output"]) for c in example.calls]

    def __call__(self, contract: str, inputs: dict[str, Any], shaping: dict[str, Any]) -> Any:
        chosen = self.specs.get(contract)
        values = check_inputs(chosen, inputs)  # a broken require refutes the program
        plain = to_plain(values)
        for name, recorded_inputs, output in self.recorded:
            if name == contract and recorded_inputs == plain:
                value = conform(output, chosen.output)
                if chosen.violated_ensure(values, value) is None:
                    return value
        return chosen.fallback_for(values)


class PolicyBreach(Exception):
    """A replayed write its policy forbids: `clause` is the text of the clause it breaks."""

    def __init__(self, tool: str, clause: Clause):
        super().__init__(f"tool {tool}: {clause.describe()}")
        self.clause = clause


class ReplayTools:
    """A counterexample's tool results replayed: the recorded result for the same tool and
    arguments, else some value of the declared type. Either is a result the proof had to cover,
    since it assumes nothing of a tool but its type. A write its policy forbids is a breach."""

    def __init__(self, example: Counterexample, signatures: dict[str, ToolSpec], specs: SpecSet):
        self.recorded = [(t["tool"], t["inputs"], t["output"]) for t in example.tools]
        self.signatures, self.specs = signatures, specs

    def __call__(self, name: str, arguments: dict[str, Any]) -> Any:
        plain = to_plain(arguments)
        policy = self.signatures[name].policy
        if policy is not None:
            clause = policy_breach(policy.allows, self.specs.get(policy.contract), arguments)
            if clause is not None:
                raise PolicyBreach(name, clause)
        for tool, inputs, output in self.recorded:
            if tool == name and inputs == plain:
                return output
        return some_value(self.signatures[name].output)


def refutes(example: Counterexample, program: Program, task: TaskSpec, specs: SpecSet) -> bool:
    """True when `example` (found for some program) makes `program` break its obligations."""
    return refutation(example, program, task, specs) is not None


def refutation(example: Counterexample, program: Program, task: TaskSpec, specs: SpecSet) -> Counterexample | None:
    """`example` replayed on `program`: the counterexample as `program` meets it, or None when
    `program` keeps its obligations there."""
    params = {}
    for param in program.params:  # the example's value where this program allows it, else the default
        if param.name in example.params:
            try:
                check_params(program, {param.name: example.params[param.name]})
            except ProgramFailure:
                continue
            params[param.name] = example.params[param.name]
    try:
        trace = Interpreter(program).run(example.inputs, params, _Replay(specs, example), ReplayTools(example, task.tools, specs))
    except PolicyBreach as breach:
        return Counterexample(example.inputs, params, [], [], "policy", 0, str(breach), clause=breach.clause.text)
    except PreconditionViolation as error:
        return Counterexample(example.inputs, params, [], [], "require", 0, f"require of a call: {error}")
    except ProgramFailure:
        return None
    values = {n: conform(example.inputs[n], t) for n, t in task.inputs.items()}
    broken = task.violated_ensure(values, trace.output)
    if broken is None:
        return None
    return Counterexample(example.inputs, params, trace.path, trace.calls, "ensure", 0, broken.describe(),
                          to_plain(trace.output), broken.text, trace.tools)
