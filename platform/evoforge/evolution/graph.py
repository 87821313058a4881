"""The hyperagent loop as a LangGraph graph.

    seed -> select -(Send per parent)-> child ... child -> close_generation -> select | END

The state holds ids and small numbers only (files live in the archive), and a checkpointer
saves it after every step, so a killed run resumes where it stopped.
"""
from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from evoforge.archive import RunEventKind
from evoforge.evolution.context import RunContext
from evoforge.evolution.steps import child_step, seed_step, select_parents


def _first(existing: str | None, new: str | None) -> str | None:
    return existing or new


class LoopState(TypedDict, total=False):
    seed_id: int
    generation: int  # the generation being made (0 = only the seed so far)
    parents: list[int]
    children: Annotated[list[int], operator.add]
    stop_reason: Annotated[str | None, _first]


class ChildTask(TypedDict):
    generation: int
    slot: int
    parent_id: int


def build_graph(ctx: RunContext, checkpointer: Any) -> Any:
    def seed(state: LoopState) -> dict[str, Any]:
        seed_id, stop = seed_step(ctx)
        return {"seed_id": seed_id, "generation": 0, "stop_reason": stop}

    def select(state: LoopState) -> dict[str, Any]:
        generation = state["generation"] + 1
        parents = select_parents(ctx, generation)
        stop = None if parents else "no valid parent left to extend"
        return {"generation": generation, "parents": parents, "stop_reason": stop}

    def fan_out(state: LoopState) -> list[Send] | str:
        if state.get("stop_reason"):
            return END
        return [Send("child", ChildTask(generation=state["generation"], slot=slot, parent_id=parent))
                for slot, parent in enumerate(state["parents"])]

    def child(task: ChildTask) -> dict[str, Any]:
        child_id, stop = child_step(ctx, task["generation"], task["slot"], task["parent_id"])
        return {"children": [child_id], "stop_reason": stop}

    def close_generation(state: LoopState) -> dict[str, Any]:
        generation = state["generation"]
        ctx.archive.update_run(ctx.run_id, generation=generation, progress=min(1.0, generation / ctx.config.generations))
        ctx.archive.add_event(ctx.run_id, RunEventKind.VARIANT_EVALUATED, {"generation_closed": generation})
        return {}

    def next_step(state: LoopState) -> str:
        if state.get("stop_reason") or state["generation"] >= ctx.config.generations:
            return END
        return "select"

    graph = StateGraph(LoopState)
    graph.add_node("seed", seed)
    graph.add_node("select", select)
    graph.add_node("child", child)
    graph.add_node("close_generation", close_generation)
    graph.add_edge(START, "seed")
    graph.add_conditional_edges("seed", lambda s: END if s.get("stop_reason") else "select", ["select", END])
    graph.add_conditional_edges("select", fan_out, ["child", END])
    graph.add_edge("child", "close_generation")
    graph.add_conditional_edges("close_generation", next_step, ["select", END])
    return graph.compile(checkpointer=checkpointer)
