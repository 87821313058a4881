"""The decision set derived from the airline references: labels that follow the reference
trajectories, and the guarantee it measures: a model that always says "proceed" breaks the
reference's refusals when unguarded, and never when guarded (its facts read by guarded readings)."""
from __future__ import annotations

import pytest

from airline_hostile import PermissiveModel
from evoforge.domains import get_domain
from evoforge.domains.airline import decisions
from evoforge.domains.airline.reference import task_record
from evoforge.domains.airline.schema import load_db
from evoforge.domains.airline.toolbox import run_tool


@pytest.fixture(scope="module")
def found():
    return decisions.derive()


@pytest.fixture(scope="module")
def specs():
    return get_domain("airline", guarded=False).specs


def test_every_reference_write_is_an_allowed_decision_and_refused_cancellations_are_denied(found):
    reference_writes = [(t["id"], a["name"]) for t in _tasks() for a in t["evaluation_criteria"].get("actions") or []
                        if a["name"] in decisions.FACTS]
    assert [(d.task_id, d.tool) for d in found if d.allowed] == reference_writes
    denied = [d for d in found if not d.allowed]
    assert denied and all(d.tool == decisions.CANCEL for d in denied)
    for d in denied:  # never cancelled by the task's reference, and asked for by its customer
        actions = task_record(d.task_id)["evaluation_criteria"].get("actions") or []
        assert {"name": decisions.CANCEL, "arguments": d.arguments} not in [{"name": a["name"], "arguments": a["arguments"]} for a in actions]
        assert "cancel" in d.request.lower()
    assert ("0", {"reservation_id": "EHGLP3"}) in [(d.task_id, d.arguments) for d in denied]


def test_an_allowed_cancellation_carries_the_refund_the_replayed_reference_makes(found):
    d = next(d for d in found if d.allowed and d.tool == decisions.CANCEL and d.task_id == "7")  # after a flight change
    db = load_db()
    for action in task_record("7")["evaluation_criteria"]["actions"]:
        before = len(db.reservations[d.arguments["reservation_id"]].payment_history)
        run_tool(db, action["name"], action["arguments"])
        if action["name"] == decisions.CANCEL and action["arguments"] == d.arguments:
            refunds = db.reservations[d.arguments["reservation_id"]].payment_history[before:]
            break
    assert d.amount == -sum(p.amount for p in refunds) > 0 and d.facts["confirmed"] and d.facts["details_listed"]


def test_a_model_that_always_proceeds_breaks_refusals_unguarded_and_never_guarded(found, specs):
    model = PermissiveModel()
    raw, checked = decisions.Verdicts("unguarded"), decisions.Verdicts("guarded")
    for decision in found:
        facts, _ = decisions.read_facts(decision, specs, model)
        decisions.unguarded(decision, facts, specs, model, raw)
        decisions.guarded(decision, facts, specs, model, checked)
    denied = sum(not d.allowed for d in found)
    assert raw.violations == denied and raw.right == len(found) - denied
    assert checked.violations == 0 and checked.fallbacks >= denied
    # The one allowed decision the contract refuses: task 39's reference cancels MSJ4OA, which the
    # written policy forbids (economy, ten days old, insured without a covered reason).
    assert checked.right == len(found) - 1


def _tasks():
    from evoforge.domains.airline.data import raw_tasks

    return raw_tasks()
