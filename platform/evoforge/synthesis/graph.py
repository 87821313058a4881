"""A synthesis run as a LangGraph graph, one CEGIS round per pass:

    search -> verify -> search ... -> learn -> archive -> END

The state holds the round number, candidate indices and the reason the search ended (the
candidates live in the archive); a checkpointer saves it after every step, so a killed run
resumes where it stopped, and every step is idempotent per candidate (synthesis/steps.py). The
run's `SynthesisContext` reaches the nodes through LangGraph's run context.
"""
from __future__ import annotations

from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from evoforge.synthesis.context import SynthesisContext
from evoforge.synthesis.steps import learn_step, score_test_step, search_step, verify_step


class SynthesisState(TypedDict, total=False):
    round: int  # the round being searched
    pending: list[int]  # this round's candidates
    best: int | None  # the learned candidate
    done: str | None  # why the search ended


def search(state: SynthesisState, runtime: Runtime[SynthesisContext]) -> dict[str, Any]:
    ctx, round_ = runtime.context, state.get("round", 0)
    pending = search_step(ctx, round_)
    done = None if pending else f"proposer '{ctx.proposer.name}' has nothing new to propose"
    return {"round": round_, "pending": pending, "done": done}


def verify(state: SynthesisState, runtime: Runtime[SynthesisContext]) -> dict[str, Any]:
    ctx, round_ = runtime.context, state["round"]
    reached = verify_step(ctx)
    ctx.archive.update_run(ctx.run_id, generation=round_ + 1, progress=min(1.0, (round_ + 1) / ctx.config.rounds))
    done = None
    if reached:
        done = f"a proven program reached train score {ctx.config.target_train}"
    elif round_ + 1 >= ctx.config.rounds:
        done = f"{ctx.config.rounds} round(s) done"
    return {"round": round_ + 1, "done": done}


def learn(state: SynthesisState, runtime: Runtime[SynthesisContext]) -> dict[str, Any]:
    best = learn_step(runtime.context)
    return {"best": best, "done": state.get("done") if best is not None else f"{state.get('done')}; no program was proven"}


def archive(state: SynthesisState, runtime: Runtime[SynthesisContext]) -> dict[str, Any]:
    score_test_step(runtime.context, state["best"])  # type: ignore[arg-type]  (routed here only with a best)
    return {}


def after_search(state: SynthesisState) -> str:
    return "learn" if state.get("done") else "verify"


def after_verify(state: SynthesisState) -> str:
    return "learn" if state.get("done") else "search"


def after_learn(state: SynthesisState) -> str:
    return END if state.get("best") is None else "archive"


def build_graph(checkpointer: Any) -> Any:
    graph = StateGraph(SynthesisState, context_schema=SynthesisContext)
    for name, node in (("search", search), ("verify", verify), ("learn", learn), ("archive", archive)):
        graph.add_node(name, node)
    graph.add_edge(START, "search")
    graph.add_conditional_edges("search", after_search, ["verify", "learn"])
    graph.add_conditional_edges("verify", after_verify, ["search", "learn"])
    graph.add_conditional_edges("learn", after_learn, ["archive", END])
    graph.add_edge("archive", END)
    return graph.compile(checkpointer=checkpointer)
