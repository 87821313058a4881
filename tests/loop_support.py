"""Helpers for the loop's tests: a scripted model plugged into a run, and a driver script so a
run can be killed with SIGKILL from the outside and resumed."""
from __future__ import annotations

import json

from scripted_model import ScriptedModel

from evoforge.models.base import Message


def scripted_answers(messages: list[Message]) -> str:
    """Plausible, cheap answers for each contract the seed agents call."""
    prompt = messages[0].content + messages[-1].content
    if "JSON list of edits" in prompt:
        return "[]"
    if "Which operators" in prompt:
        return '["+", "-"]'
    return json.dumps({"value": 7, "working": "a guess"})


def install_scripted_model(monkeypatch_or_module: object = None) -> None:
    """Make every run in this process use the scripted model instead of the embedded one."""
    from evoforge.evolution import context

    def resolve(name: object = None, **options: object) -> ScriptedModel:
        return ScriptedModel(respond=scripted_answers)

    if monkeypatch_or_module is None:
        context.resolve_model = resolve
    else:
        monkeypatch_or_module.setattr(context, "resolve_model", resolve)  # type: ignore[attr-defined]
