"""A real short run of the seed airline agent with the embedded model, through the in-process
channel stand-in: the conversation happens, the kernel's guard decides the writes."""
from pathlib import Path

import pytest

from evoforge.domains import get_domain
from evoforge.domains.airline.inprocess import run_agent
from evoforge.paths import AGENTS_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model():
    from evoforge.models import resolve_model

    return resolve_model(None)


def test_the_seed_agent_converses_and_the_guard_blocks_a_forbidden_cancellation(model):
    domain = get_domain("airline", model=model)
    task = next(t for t in domain.tasks("train") + domain.tasks("validation") if t.id == "airline-0")
    session = domain.open_session(task)
    run = run_agent(Path(AGENTS_DIR / "airline"), {"id": task.id, "inputs": task.inputs, "schema": domain.input_schema},
                    session, domain.specs, model)
    assert run.error is None and isinstance(run.answer, str)
    assert len(session.dialogue.turns) >= 4 and run.records[0].contract == "airline_intent"
    outcome = domain.outcome(task, run.answer, session)
    assert outcome.counts["unsafe_writes"] == 0
    if run.answer == "handled a cancellation request":  # the agent proposed the cancel; the policy refused it
        assert session.blocked and session.blocked[0]["tool"] == "cancel_reservation"
    assert outcome.reward == 1.0
