"""Helpers for the loop's tests: run services with a scripted model, and a driver script so a
run can be killed with SIGKILL from the outside and resumed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from scripted_model import ScriptedModel

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


def driver(db: Any, *args: str) -> subprocess.Popen:
    """loop_driver.py in its own process, importing this tree's evoforge (whatever is installed)."""
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tests), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, str(tests / "loop_driver.py"), str(db), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
