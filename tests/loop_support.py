"""Helpers for the loop's tests: a scripted model plugged into a run, a recorder of the jobs a
run sends to its sandbox, and a driver script so a run can be killed with SIGKILL from the
outside and resumed."""
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


def record_sandbox_jobs(monkeypatch: object) -> list:
    """Every job the runs of this test send to their sandbox, in order (the real sandbox runs them)."""
    from evoforge.evolution import context

    jobs: list = []
    real_build = context.RunContext.build

    def recording_build(*args: object, **kwargs: object) -> context.RunContext:
        ctx = real_build(*args, **kwargs)
        sandbox = ctx.sandbox

        class Recorder:
            name = sandbox.name

            def run(self, job, limits, handler):  # type: ignore[no-untyped-def]
                jobs.append(job)
                return sandbox.run(job, limits, handler)

            def describe(self) -> list[str]:
                return sandbox.describe()

        ctx.sandbox = Recorder()  # type: ignore[assignment]
        return ctx

    monkeypatch.setattr(context.RunContext, "build", recording_build)  # type: ignore[attr-defined]
    return jobs
