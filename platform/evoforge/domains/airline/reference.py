"""A task's reference outcome: its actions replayed once on a fresh database.

tau2 judges a conversation by the database its reference actions produce. The replay keeps
the final database's hash, every state the reference writes give each record, the writes
themselves and what the agent must say (`communicate_info`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evoforge.domains.airline.data import raw_tasks
from evoforge.domains.airline.schema import load_db
from evoforge.domains.airline.toolbox import WRITE_TOOLS, run_tool


@dataclass(frozen=True)
class Reference:
    final_hash: str
    states: dict[tuple[str, str], frozenset[str]]  # record -> every state the reference writes give it
    writes: tuple[dict[str, Any], ...]
    communicate: tuple[str, ...]


def task_record(task_id: str) -> dict[str, Any]:
    for task in raw_tasks():
        if task["id"] == task_id:
            return task
    raise KeyError(f"no airline task with id {task_id!r}")


def reference_writes(task: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """The write actions of a task record's reference, as `{"tool", "arguments"}`."""
    actions = task["evaluation_criteria"].get("actions") or []
    return tuple({"tool": a["name"], "arguments": a["arguments"]} for a in actions if a["name"] in WRITE_TOOLS)


@lru_cache(maxsize=64)
def reference(task_id: str) -> Reference:
    """Replay the task's reference actions on a fresh database; keep the final hash and states."""
    criteria = task_record(task_id)["evaluation_criteria"]
    db = load_db()
    states: dict[tuple[str, str], set[str]] = {}
    for action in criteria.get("actions") or []:
        before = db.record_hashes() if action["name"] in WRITE_TOOLS else {}
        outcome = run_tool(db, action["name"], action["arguments"])
        if action["name"] in WRITE_TOOLS and "result" in outcome:
            for key, digest in db.record_hashes().items():
                if before.get(key) != digest:
                    states.setdefault(key, set()).add(digest)
    return Reference(db.state_hash(), {k: frozenset(v) for k, v in states.items()}, reference_writes(task_record(task_id)),
                     tuple(criteria.get("communicate_info") or []))
