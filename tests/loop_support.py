"""Helpers for the loop's tests: run services with a scripted or a replayed model, and a
recording sandbox."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from replay_model import ReplayModel
from scripted_model import ScriptedModel

from evoforge.archive import VariantStatus
from evoforge.paths import AGENTS_DIR
from evoforge.runs.services import RunServices

WRONG_ANSWER = json.dumps({"value": 7, "working": "a guess"})  # wrong for nearly every task
# What the kernel hands an agent (docs/domains.md, "What your agent is given"): a task, the meta
# agent's context, and each entry of that context's eval_log.
TASK_KEYS = {"id", "inputs", "schema", "contract"}
META_CONTEXT_KEYS = {"files", "eval_log", "random_seed", "model", "time_s"}
EVAL_LOG_KEYS = {"task_id", "inputs", "schema", "contract", "expected", "answer", "score", "detail"}


def scripted_models(on_usage: Any) -> ScriptedModel:
    """A model that gives the same (mostly wrong) answer to every prompt: a fixed point for tests
    about the loop's mechanics, never about what a real model says (see replay_model.py)."""
    return ScriptedModel([WRONG_ANSWER])


class RecordingSandbox:
    """A real sandbox, given to a run as a service, that keeps every job it is handed."""

    def __init__(self, sandbox: Any):
        self.sandbox, self.name, self.jobs = sandbox, sandbox.name, []

    def run(self, job: Any, limits: Any, service: Any) -> Any:
        self.jobs.append(job)
        return self.sandbox.run(job, limits, service)

    def describe(self) -> list[str]:
        return self.sandbox.describe()


def scripted_services(archive: Any, **overrides: Any) -> RunServices:
    """Run services whose model is the scripted one (a test fixture, never a default)."""
    return RunServices(archive, models=scripted_models, **overrides)


def replay_services(archive: Any, model: ReplayModel, **overrides: Any) -> RunServices:
    """Run services whose model answers from the recording of the real embedded model."""
    return RunServices(archive, models=lambda on_usage: model, **overrides)


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


def driver(db: Any, *args: str) -> subprocess.Popen:
    """loop_driver.py in its own process, importing this tree's evoforge (whatever is installed)."""
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tests), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, str(tests / "loop_driver.py"), str(db), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def seed_with_moves(folder: Path, weights: dict[str, float]) -> Path:
    """A copy of the seed agent in `folder` whose meta agent proposes only by `weights`' moves."""
    shutil.copytree(AGENTS_DIR / "seed", folder)
    meta = folder / "meta_agent.py"
    text = meta.read_text()
    line = next(l for l in text.splitlines() if l.startswith("MOVE_WEIGHTS = "))
    meta.write_text(text.replace(line, f"MOVE_WEIGHTS = {json.dumps(weights)}"))
    return folder
