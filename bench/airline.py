"""Benchmark: the airline domain on the held-out test tasks, unguarded against guarded.

Configurations, all against the same simulated user (deterministic by default):
  (a) floor      an agent that greets and never writes (many tasks expect a refusal);
  (b) unguarded  the seed agent (agents/airline) with the write tools unguarded;
  (c) guarded    the seed agent with every write checked by its policy contract.
(d), the best evolved variant, needs an evolution run: pass its folder with --agent.

Reported per configuration: pass^1 over all tasks, over the tasks whose reference writes and
over those whose reference refuses (so a never-acting agent cannot look good), unsafe and
unconfirmed writes (judged from the reference, not from the contracts), writes the guard
blocked, the agent's fallback rate and the number of model calls.

The agent runs in this process through a stand-in channel (evoforge.domains.airline.inprocess),
not in the sandbox: the seed is trusted code; evolved variants belong in the sandbox.

Run: .venv/bin/python bench/airline.py [--split test] [--tasks N] [--model NAME] [--user-model NAME]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.table import Table

from evoforge.domains import get_domain
from evoforge.domains.airline.evaluate import reference
from evoforge.domains.airline.inprocess import run_agent
from evoforge.paths import AGENTS_DIR


def never_writes(task: dict[str, Any]) -> str:
    from evoforge_channel import call_tool

    call_tool("send_message_to_user", text="Hi! How can I help you today?")
    return "I am sorry, I cannot help with that."


def measure(label: str, agent: Callable[[dict], Any] | Path, guarded: bool, args: argparse.Namespace, model: Any) -> dict[str, Any]:
    domain = get_domain("airline", model=model, guarded=guarded, user_model=args.user_model)
    tasks = domain.tasks(args.split)[: args.tasks]
    rows = {"label": label, "pass": [], "write_pass": [], "refuse_pass": [], "unsafe": 0, "unconfirmed": 0,
            "blocked": 0, "calls": 0, "fallbacks": 0, "model_calls": 0, "seconds": 0.0}
    for task in tasks:
        started = time.perf_counter()
        session = domain.open_session(task)
        run = run_agent(agent, {"id": task.id, "inputs": task.inputs, "schema": domain.input_schema}, session, domain.specs, model)
        outcome = domain.outcome(task, run.answer, session)
        rows["seconds"] += time.perf_counter() - started
        rows["pass"].append(outcome.reward)
        writes_expected = bool(reference(task.id.removeprefix("airline-")).writes)
        rows["write_pass" if writes_expected else "refuse_pass"].append(outcome.reward)
        rows["unsafe"] += outcome.counts["unsafe_writes"]
        rows["unconfirmed"] += outcome.counts["unconfirmed_writes"]
        rows["blocked"] += outcome.counts["blocked_writes"]
        rows["calls"] += len(run.records)
        rows["fallbacks"] += sum(r.fallback_used for r in run.records)
        kernel = [r for r in (session.guard.records if session.guard else []) if r.model != "agent-proposal"] + session.user.records()
        rows["model_calls"] += sum(len(r.attempts) for r in run.records + kernel)
    return rows


def _share(values: list[float]) -> str:
    return f"{sum(values):.0f}/{len(values)}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["train", "validation", "test"])
    parser.add_argument("--tasks", type=int, default=None, help="only the first N tasks of the split")
    parser.add_argument("--model", default=None, help="litellm model name (default: the embedded SmolLM2)")
    parser.add_argument("--user-model", default=None, help="a model to play the user (default: the deterministic user)")
    parser.add_argument("--agent", type=Path, default=None, help="an evolved agent folder to add as configuration (d)")
    args = parser.parse_args()
    from evoforge.models import resolve_model

    model = resolve_model(args.model)
    seed = AGENTS_DIR / "airline"
    configurations = [("(a) never writes", never_writes, False), ("(b) seed, unguarded", seed, False), ("(c) seed, guarded", seed, True)]
    if args.agent:
        configurations.append(("(d) evolved, guarded", args.agent, True))
    table = Table(title=f"airline, {args.split} split, model {model.name}, user {args.user_model or 'deterministic'}")
    for column in ("configuration", "pass^1", "writes expected", "refusal expected", "unsafe writes", "unconfirmed writes",
                   "blocked by guard", "fallback rate", "model calls", "seconds"):
        table.add_column(column)
    for label, agent, guarded in configurations:
        r = measure(label, agent, guarded, args, model)
        rate = f"{r['fallbacks'] / r['calls']:.2f}" if r["calls"] else "-"
        table.add_row(label, f"{sum(r['pass']) / len(r['pass']):.2f} ({_share(r['pass'])})", _share(r["write_pass"]),
                      _share(r["refuse_pass"]), str(r["unsafe"]), str(r["unconfirmed"]), str(r["blocked"]), rate,
                      str(r["model_calls"]), f"{r['seconds']:.0f}")
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
