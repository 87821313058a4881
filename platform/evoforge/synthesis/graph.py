"""The synthesis graph, the one driver of every synthesis, one CEGIS round per pass:

    search -> verify -> search ... -> learn -> archive -> END

The state holds the round number, candidate indices and the reason the search ended (the
candidates live in the job's store); a checkpointer saves it after every step, so a run whose
store and checkpoints are archived resumes where it stopped, and every step is idempotent per
candidate (synthesis/steps.py). The `SynthesisJob` reaches the nodes through LangGraph's run
context. A run in this process (`synthesize`) uses LangGraph's in-memory checkpointer.
"""
from __future__ import annotations

from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from evoforge.synthesis.job import SynthesisJob
from evoforge.synthesis.steps import learn_best, propose_round, score_test, verify_round


class SynthesisState(TypedDict, total=False):
    round: int  # the round being searched
    pending: list[int]  # this round's candidates
    best: int | None  # the learned candidate
    done: str | None  # why the search ended


def search(state: SynthesisState, runtime: Runtime[SynthesisJob]) -> dict[str, Any]:
    job, round_ = runtime.context, state.get("round", 0)
    pending = propose_round(job, round_)
    done = None if pending else f"proposer '{job.proposer.name}' has nothing new to propose"
    return {"round": round_, "pending": pending, "done": done}


def verify(state: SynthesisState, runtime: Runtime[SynthesisJob]) -> dict[str, Any]:
    job, round_ = runtime.context, state["round"]
    reached = verify_round(job)
    job.on_round(round_ + 1)
    done = None
    if reached:
        done = f"a proven program reached train score {job.target_train}"
    elif round_ + 1 >= job.rounds:
        done = f"{job.rounds} round(s) done"
    return {"round": round_ + 1, "done": done}


def learn(state: SynthesisState, runtime: Runtime[SynthesisJob]) -> dict[str, Any]:
    best = learn_best(runtime.context)
    return {"best": best, "done": state.get("done") if best is not None else f"{state.get('done')}; no program was proven"}


def archive(state: SynthesisState, runtime: Runtime[SynthesisJob]) -> dict[str, Any]:
    score_test(runtime.context, state["best"])  # type: ignore[arg-type]  (routed here only with a best)
    return {}


def after_search(state: SynthesisState) -> str:
    return "learn" if state.get("done") else "verify"


def after_verify(state: SynthesisState) -> str:
    return "learn" if state.get("done") else "search"


def after_learn(state: SynthesisState) -> str:
    return END if state.get("best") is None else "archive"


def build_graph(checkpointer: Any) -> Any:
    graph = StateGraph(SynthesisState, context_schema=SynthesisJob)
    for name, node in (("search", search), ("verify", verify), ("learn", learn), ("archive", archive)):
        graph.add_node(name, node)
    graph.add_edge(START, "search")
    graph.add_conditional_edges("search", after_search, ["verify", "learn"])
    graph.add_conditional_edges("verify", after_verify, ["search", "learn"])
    graph.add_conditional_edges("learn", after_learn, ["archive", END])
    graph.add_edge("archive", END)
    return graph.compile(checkpointer=checkpointer)


def thread(thread_id: str, rounds: int) -> dict[str, Any]:
    """The graph's run configuration: its checkpoint thread, and room for `rounds` rounds."""
    return {"configurable": {"thread_id": thread_id}, "recursion_limit": 10 + 3 * rounds}
