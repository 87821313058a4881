"""Helpers for the loop's tests: run services with a scripted model, and a driver script so a
run can be killed with SIGKILL from the outside and resumed."""
from __future__ import annotations

import json
from typing import Any

from scripted_model import ScriptedModel

from evoforge.archive import VariantStatus
from evoforge.evolution.services import RunServices
from evoforge.models.base import Message


def scripted_answers(messages: list[Message]) -> str:
    """Plausible, cheap answers for each contract the seed agents call."""
    prompt = messages[0].content + messages[-1].content
    if "JSON list of edits" in prompt:
        return "[]"
    if "Which operators" in prompt:
        return '["+", "-"]'
    return json.dumps({"value": 7, "working": "a guess"})


def scripted_models(on_usage: Any) -> ScriptedModel:
    return ScriptedModel(respond=scripted_answers)


def scripted_services(archive: Any, **overrides: Any) -> RunServices:
    """Run services whose model is the scripted one (a test fixture, never a default)."""
    return RunServices(archive, models=scripted_models, **overrides)


def check_archive_integrity(archive, run_id, expected):
    variants = archive.variants(run_id)
    keys = [v.proposal_key for v in variants]
    assert len(keys) == len(set(keys)) == expected, keys
    ids = {v.id for v in variants}
    assert all(v.parent_id in ids for v in variants if v.parent_id is not None)
    tree = archive.tree(run_id)
    assert len(tree) == expected and sum(1 for node in tree if node.parent_id is None) == 1
    for variant in variants:
        if variant.status == VariantStatus.VALID:
            assert archive.evaluations(variant.id), f"variant {variant.id} has no evaluations"
