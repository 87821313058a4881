"""The hyperagent loop as a LangGraph graph.

    seed -> select -(Send per parent)-> child ... child -> close_generation -> select | END

The state holds ids and small facts only (files live in the archive), and a checkpointer
saves it after every step, so a killed run resumes where it stopped. The run's context
(`EvolutionContext`: resources, worker, archive, events) reaches every node through LangGraph's run
context, never through a closure.
"""
from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from evoforge.evolution.context import EvolutionContext
from evoforge.evolution.events import GenerationClosed
from evoforge.evolution.steps import best_score, child_step, seed_step, select_parents
from evoforge.runs.stopping import Stop, StopReason, first_stop


def _first(existing: dict[str, str] | None, new: dict[str, str] | None) -> dict[str, str] | None:
    return existing or new


class LoopState(TypedDict, total=False):
    seed_id: int
    generation: int  # the generation being made (0 = only the seed so far)
    parents: list[int]
    children: Annotated[list[int], operator.add]
    stop: Annotated[dict[str, str] | None, _first]  # a Stop, as plain data


class ChildTask(TypedDict):
    generation: int
    index: int  # the child's position in its generation
    parent_id: int


def _state(stop: Stop | None) -> dict[str, str] | None:
    return stop.to_state() if stop else None


def seed(state: LoopState, runtime: Runtime[EvolutionContext]) -> dict[str, Any]:
    seed_id, stop = seed_step(runtime.context)
    return {"seed_id": seed_id, "generation": 0, "stop": _state(stop)}


def select(state: LoopState, runtime: Runtime[EvolutionContext]) -> dict[str, Any]:
    generation = state["generation"] + 1
    parents = select_parents(runtime.context, generation)
    stop = None if parents else Stop(StopReason.NO_PARENT, "no valid parent left to extend")
    return {"generation": generation, "parents": parents, "stop": _state(stop)}


def fan_out(state: LoopState) -> list[Send] | str:
    if state.get("stop"):
        return END
    return [Send("child", ChildTask(generation=state["generation"], index=index, parent_id=parent))
            for index, parent in enumerate(state["parents"])]


def child(task: ChildTask, runtime: Runtime[EvolutionContext]) -> dict[str, Any]:
    child_id, stop = child_step(runtime.context, task["generation"], task["index"], task["parent_id"])
    return {"children": [child_id], "stop": _state(stop)}


def close_generation(state: LoopState, runtime: Runtime[EvolutionContext]) -> dict[str, Any]:
    ctx, generation = runtime.context, state["generation"]
    ctx.archive.update_run(ctx.run_id, generation=generation, progress=min(1.0, generation / ctx.config.generations))
    ctx.events.emit(GenerationClosed(generation, best_score(ctx)))
    return {"stop": _state(first_stop(ctx.stop_conditions, generation))}


def next_generation(state: LoopState) -> str:
    return END if state.get("stop") else "select"


def build_graph(checkpointer: Any) -> Any:
    graph = StateGraph(LoopState, context_schema=EvolutionContext)
    graph.add_node("seed", seed)
    graph.add_node("select", select)
    graph.add_node("child", child)
    graph.add_node("close_generation", close_generation)
    graph.add_edge(START, "seed")
    graph.add_conditional_edges("seed", next_generation, ["select", END])
    graph.add_conditional_edges("select", fan_out, ["child", END])
    graph.add_edge("child", "close_generation")
    graph.add_conditional_edges("close_generation", next_generation, ["select", END])
    return graph.compile(checkpointer=checkpointer)
