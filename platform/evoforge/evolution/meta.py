"""Producing a child: the parent's own meta agent runs in the sandbox and returns new files.

The kernel checks the answer's shape (a mapping of safe relative paths to text, within size
limits) and nothing else: whether the child works is for evaluation to find out.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

from evoforge.contracts.guard import CallRecord
from evoforge.evolution.guard_service import GuardService
from evoforge.sandbox import Job, Limits, Sandbox

META_MODULE, META_FUNCTION = "meta_agent", "improve"
MAX_FILES, MAX_FILE_CHARS = 50, 200_000


@dataclass
class Proposal:
    files: dict[str, str] | None
    summary: str = ""
    error: str | None = None
    records: list[CallRecord] = field(default_factory=list)


def propose_child(sandbox: Sandbox, guard: GuardService, parent_files: dict[str, str],
                  eval_log: list[dict[str, Any]], seed: int, timeout_s: float) -> Proposal:
    context = {"files": parent_files, "eval_log": eval_log, "seed": seed}
    result = sandbox.run(Job(parent_files, META_MODULE, META_FUNCTION, [[context]]),
                         Limits(wall_s=timeout_s, cpu_s=int(timeout_s)), guard)
    records = guard.take_records()
    outcome = result.outcome(0)
    if not outcome.ok:
        return Proposal(None, error=f"the meta agent failed: {(outcome.error or '')[-1500:]}", records=records)
    problem = _shape_problem(outcome.value)
    if problem:
        return Proposal(None, error=f"the meta agent returned {problem}", records=records)
    return Proposal(dict(outcome.value["files"]), str(outcome.value.get("summary", ""))[:2000], records=records)


def _shape_problem(value: Any) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("files"), dict):
        return "no {'files': {path: text}} mapping"
    files = value["files"]
    if not files or len(files) > MAX_FILES:
        return f"{len(files)} files (1 to {MAX_FILES} allowed)"
    for path, text in files.items():
        normal = posixpath.normpath(path) if isinstance(path, str) else ""
        if not normal or normal.startswith(("/", "..")) or normal != path:
            return f"an unsafe path {path!r}"
        if not isinstance(text, str) or len(text) > MAX_FILE_CHARS:
            return f"file {path!r} that is not text or longer than {MAX_FILE_CHARS} characters"
    return None


def freeze_meta(child_files: dict[str, str], seed_files: dict[str, str]) -> dict[str, str]:
    """The frozen-meta ablation: the child keeps the seed's meta agent and meta settings."""
    files = {**child_files, "meta_agent.py": seed_files["meta_agent.py"]}
    try:
        params, seed_params = json.loads(files["params.json"]), json.loads(seed_files["params.json"])
        params["meta"] = seed_params["meta"]
        files["params.json"] = json.dumps(params, indent=2, sort_keys=True) + "\n"
    except (KeyError, ValueError, TypeError):
        files["params.json"] = seed_files["params.json"]
    return files
