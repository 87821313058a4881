"""The task agent: answers one task by asking the model, through the contract the domain names
for its answers (`task["contract"]`), and nothing else. It holds no solver, no answer and no
switch that turns one on: whatever a variant knows beyond the model is what a meta agent wrote
into it.

The meta agent edits this file like any code. Its most used handles are the two settings below
and the three small functions after `solve`: `prefix` (what the model reads before the
contract's prompt), `decide` (how many answers to draw and how to pick one) and `finish` (what
to do with the picked answer). Every call goes through `generate`, answered by the kernel's
guard, so each answer satisfies its contract whatever the model says.
"""
import json

from evoforge_channel import generate

INSTRUCTION = ""  # text the model reads before the contract's prompt
EXAMPLES = []  # worked examples, [inputs, answer] pairs, shown before the prompt


def run(task):
    """Entry point for the kernel: one task {"id", "inputs", "schema", "contract"} -> its answer."""
    contract = task.get("contract")
    if not contract:
        raise ValueError("this agent answers through the domain's answer contract, and the task names none "
                         "(a folder domain sets `answer = \"CONTRACT\"` in domain.toml)")
    return solve(task["inputs"], contract)


def solve(inputs, contract):
    return finish(inputs, contract, decide(inputs, contract))


def ask(contract, inputs, **options):
    """One guarded call, the model reading `prefix(inputs)` first unless `_prefix` is given;
    `options` are the kernel's shaping options (_prefix, _temperature, _seed)."""
    text = options.pop("_prefix", None) or prefix(inputs)
    return generate(contract, **inputs, **({"_prefix": text} if text else {}), **options)


def prefix(inputs):
    shown = [f"Example: {json.dumps(example_inputs, sort_keys=True, default=float)} -> {json.dumps(answer, default=float)}"
             for example_inputs, answer in EXAMPLES]
    return "\n".join(part for part in [INSTRUCTION, *shown] if part)


def decide(inputs, contract):
    return ask(contract, inputs)


def finish(inputs, contract, answer):
    return answer
