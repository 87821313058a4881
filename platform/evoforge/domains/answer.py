"""A domain's answer contract must fit its tasks: the generic seed agent calls it as
`generate(contract, **task_inputs)`, so its inputs are exactly the domain's input fields, with
the same types. This module says, in words, how a contract differs from an input schema."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evoforge.contracts.model import Contract


def input_mismatch(contract: Contract, input_schema: dict[str, str]) -> str | None:
    """How `contract`'s inputs differ from `input_schema` (field -> type name), or None when
    they are the same names with the same types."""
    theirs = {name: str(kind) for name, kind in contract.inputs.items()}
    differences = []
    if missing := sorted(set(input_schema) - set(theirs)):
        differences.append(f"lacks input(s) {', '.join(missing)}")
    if extra := sorted(set(theirs) - set(input_schema)):
        differences.append(f"has input(s) {', '.join(extra)} that the tasks do not have")
    for name in sorted(set(theirs) & set(input_schema)):
        if theirs[name] != input_schema[name]:
            differences.append(f"takes {name} as {theirs[name]}, the tasks give {input_schema[name]}")
    return "; ".join(differences) or None


def describe_inputs(input_schema: dict[str, str]) -> str:
    """`{ a = "int", b = "str" }`: the inputs line a spec file needs for these fields."""
    return "{ " + ", ".join(f'{name} = "{kind}"' for name, kind in input_schema.items()) + " }"
