"""Producing a child: the parent's own meta agent runs in the sandbox and returns new files.

The kernel checks the answer's shape (a mapping of safe relative paths to text, within size
limits, and a short text summary) and nothing else: whether the child works is for evaluation
to find out.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from evoforge.contracts.guard import CallRecord
from evoforge.evolution.manifest import EntryPoint
from evoforge.sandbox import Job, Limits, Sandbox
from evoforge.sandbox.guard_service import GuardService

MAX_FILES, MAX_FILE_CHARS, MAX_SUMMARY_CHARS = 50, 200_000, 2000


@dataclass
class Proposal:
    files: dict[str, str] | None
    summary: str = ""
    error: str | None = None
    records: list[CallRecord] = field(default_factory=list)


def propose_child(sandbox: Sandbox, guard: GuardService, entry: EntryPoint, parent_files: dict[str, str],
                  eval_log: list[dict[str, Any]], random_seed: int, timeout_s: float, model: dict[str, Any]) -> Proposal:
    """Run the parent's meta agent on `{"files", "eval_log", "random_seed", "model", "time_s"}`:
    `model` says what the run's model can read and write (`ModelLimits`), so the agent sizes its
    requests; `time_s` is its time limit, so it can stop testing proposals in time."""
    context = {"files": parent_files, "eval_log": eval_log, "random_seed": random_seed, "model": model, "time_s": timeout_s}
    result = sandbox.run(Job(parent_files, entry.module, entry.function, [[context]]),
                         Limits(wall_s=timeout_s, cpu_s=int(timeout_s)), guard)
    records = guard.take_records()
    outcome = result.outcome(0)
    if not outcome.ok:
        return Proposal(None, error=f"the meta agent failed: {(outcome.error or '')[-1500:]}", records=records)
    problem = _shape_problem(outcome.value)
    if problem:
        return Proposal(None, error=f"the meta agent returned {problem}", records=records)
    summary = outcome.value.get("summary", "")
    summary = summary if isinstance(summary, str) else repr(summary)
    return Proposal(dict(outcome.value["files"]), summary[:MAX_SUMMARY_CHARS], records=records)


def _shape_problem(value: Any) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("files"), dict):
        return "no {'files': {path: text}} mapping"
    files = value["files"]
    if not files or len(files) > MAX_FILES:
        return f"{len(files)} files (1 to {MAX_FILES} allowed)"
    for path, text in files.items():
        normal = posixpath.normpath(path) if isinstance(path, str) else ""
        if not normal or normal.startswith(("/", "..")) or normal != path or len(path) > 200 or "\0" in path:
            return f"an unsafe path {str(path)[:80]!r}"
        if not isinstance(text, str) or len(text) > MAX_FILE_CHARS:
            return f"file {path!r} that is not text or longer than {MAX_FILE_CHARS} characters"
    return None
