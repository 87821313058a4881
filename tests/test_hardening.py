"""Found as a user and as an attacker would: values as the agent receives them, hostile answers
that reach the kernel's control flow, runs whose process died."""
from __future__ import annotations

import json
import shutil
from fractions import Fraction

from loop_support import scripted_services
from scripted_model import ScriptedModel
from support import price_specs

from evoforge.archive import RunStatus, open_archive
from evoforge.evolution.evaluation import read_output, stored_output
from evoforge.evolution.settings import EvolutionSettings
from evoforge.paths import AGENTS_DIR
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.liveness import INTERRUPTED, displayed_status
from evoforge.runs.settings import DomainSection, SandboxSection
from evoforge.sandbox import Job, Limits
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.local import LocalSandbox

AGENT = '''
from fractions import Fraction
from evoforge_channel import generate

def main(price):
    value = generate("below_price", price=price)
    return {"type": type(value).__name__, "below": value < price, "value": value}
'''


def test_a_real_answer_satisfies_its_contract_as_the_agent_receives_it(tmp_path):
    specs = price_specs(tmp_path)
    # The model answers with more digits than a float holds: still exact when delivered.
    for reply in ('{"result": 4.99999999999999999999}', "no answer"):
        guard = GuardService(specs, ScriptedModel([reply]))
        result = LocalSandbox(use_bubblewrap=False).run(Job({"agent.py": AGENT}, "agent", "main", [[5], [Fraction(7, 3)]]),
                                                        Limits(wall_s=20), guard)
        for index, price in enumerate((5, Fraction(7, 3))):
            outcome = result.outcome(index)
            assert outcome.ok, outcome.error
            assert outcome.value["type"] in ("Fraction", "int") and outcome.value["below"] is True
            assert outcome.value["value"] < price  # and as the kernel receives it back


def test_an_oversized_answer_is_stored_as_valid_json_and_the_run_goes_on(tmp_path):
    huge = "7" * 5000
    stored = stored_output(huge)
    assert len(stored) < 5000 and read_output(stored)["$truncated"].startswith('"777')
    agent = tmp_path / "agent"
    shutil.copytree(AGENTS_DIR / "seed", agent)
    (agent / "task_agent.py").write_text(f"def run(task):\n    return {huge!r}\n")
    archive = open_archive(tmp_path / "a.db")
    config = EvolutionSettings(domain=DomainSection(options={"sizes": {"train": 2, "validation": 2, "test": 2}}),
                               sandbox=SandboxSection("local", 20.0), agent=str(agent), generations=1, parallel=1, screen_tasks=2)
    run_id = create_run(archive, config)
    outcome = execute_run(archive, run_id, scripted_services(archive))
    assert outcome.status == "finished" and outcome.variants == 2
    evaluation = archive.evaluations(outcome.seed.id)[0]
    assert json.loads(evaluation.output)["chars"] == len(json.dumps(huge))


def test_a_run_whose_process_died_shows_as_interrupted(tmp_path):
    archive = open_archive(tmp_path / "a.db")
    run = archive.create_run("arithmetic", "m")
    archive.update_run(run.id, status=RunStatus.RUNNING, process=("no-such-host-" + "x", 1))
    assert displayed_status(archive.run(run.id)) == "running"  # another host: unknown, left as is
    import socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout
    archive.update_run(run.id, process=(socket.gethostname(), int(gone)))
    assert displayed_status(archive.run(run.id)) == INTERRUPTED
