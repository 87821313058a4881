"""A real short run of the seed airline agent with the embedded model, as the loop's evaluation
runs an episode (the kernel's guard service behind the sandbox's channel client, in this
process): the conversation happens, the kernel's guard decides the writes."""
import pytest

from evoforge.domains import get_domain
from evoforge.domains.base import agent_task
from evoforge.domains.episode import run_episode
from evoforge.evolution.agents import read_agent
from evoforge.evolution.manifest import AgentManifest
from evoforge.paths import AGENTS_DIR
from evoforge.sandbox import Job, Limits
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.inprocess import InProcessSandbox

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model():
    from evoforge.models import resolve_model

    return resolve_model(None)


def test_the_seed_agent_converses_and_the_guard_blocks_a_forbidden_cancellation(model):
    domain = get_domain("airline", model=model)
    task = next(t for t in domain.tasks("train") + domain.tasks("validation") if t.id == "airline-0")
    files = read_agent(AGENTS_DIR / "airline")
    entry = AgentManifest.from_files(files, "airline").task
    job = Job(files, entry.module, entry.function, [[agent_task(domain, task)]])
    episode = run_episode(domain, task, InProcessSandbox(), GuardService(domain.specs, model), job, Limits(wall_s=300))
    outcome, session = episode.result.outcome(0), episode.session
    assert outcome.ok and isinstance(outcome.value, str), outcome.error
    assert len(session.dialogue.turns) >= 4 and episode.agent_calls[0].contract == "airline_intent"
    verdict = domain.outcome(task, outcome.value, session)
    assert verdict.counts["unsafe_writes"] == 0
    if outcome.value == "handled a cancellation request":  # the agent proposed the cancel; the policy refused it
        assert session.blocked and session.blocked[0]["tool"] == "cancel_reservation"
    assert verdict.reward == 1.0
