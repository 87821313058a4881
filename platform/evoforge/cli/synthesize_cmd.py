"""`evoforge synthesize`: a SEVerA synthesis run (docs/synthesis.md), resumed like any run with
`evoforge resume RUN`."""
from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from evoforge.archive import Archive, Run, SynthesisCandidate
    from evoforge.synthesis.kind import SynthesisOutcome


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("synthesize", help="synthesize an agent program proven for every input and parameter",
                                description="Search, verify and learn a program for the domain's task specification (docs/synthesis.md).")
    cmd.add_argument("--domain", default="arithmetic", help="task domain: a name (see `evoforge domains`) or a folder holding domain.toml")
    cmd.add_argument("--task", default=None, help="task specification [tasks.NAME] (default: the domain's, whose inputs are its schema)")
    cmd.add_argument("--model", default=None, help="litellm model name (default: the embedded local/smollm2)")
    cmd.add_argument("--proposer", default="grammar", help="grammar (offline, any model) or planner (a capable model writes programs)")
    cmd.add_argument("--rounds", type=int, default=4, help="CEGIS rounds of search and verification")
    cmd.add_argument("--per-round", type=int, default=6, help="candidates proposed per round")
    cmd.add_argument("--trials", type=int, default=4, help="Optuna trials to tune the best program's parameters")
    cmd.add_argument("--target-train", type=float, default=1.0, help="stop searching once a proven program reaches this train score")
    cmd.add_argument("--budget", default=None, metavar="LIMITS", help="model budget, e.g. calls=200,tokens=100000,cost=0.5")
    cmd.add_argument("--db", default=None, help="archive: a SQLite path or postgresql:// URL (default: user data dir)")
    cmd.add_argument("--sandbox", choices=["docker", "local"], default=None, help="default: docker when an engine answers")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (task splits, the learner)")
    cmd.add_argument("--specs", nargs="+", default=[], metavar="FILE", help="extra spec files: contracts and task specifications")
    cmd.add_argument("--tasks", type=int, nargs=3, metavar=("TRAIN", "VALIDATION", "TEST"), default=None, help="tasks per split")
    cmd.add_argument("--no-cache", action="store_true", help="ask the model again even for a repeated deterministic call")
    cmd.set_defaults(handler=run_synthesize)


def run_synthesize(args: argparse.Namespace) -> int:
    from evoforge.cli.run_cmd import create, execute, shared_sections
    from evoforge.runs.settings import BudgetSection
    from evoforge.synthesis.settings import SynthesisSettings

    settings = SynthesisSettings(**shared_sections(args, BudgetSection()), task=args.task, proposer=args.proposer, rounds=args.rounds,
                                 per_round=args.per_round, trials=args.trials, target_train=args.target_train)
    archive, run_id = create(args, settings, "synthesis run")
    return execute(archive, run_id)


def print_summary(console: Console, archive: Archive, outcome: SynthesisOutcome, seconds: float) -> None:
    from evoforge.archive.statuses import CandidateStatus

    run = archive.run(outcome.run_id)
    candidates = archive.candidates(outcome.run_id)
    counts = {status: sum(c.status == status for c in candidates) for status in CandidateStatus.closed()}
    console.print(f"[bold]synthesis run {outcome.run_id}: {outcome.status}[/]" + (f" ({outcome.stop.detail})" if outcome.stop else ""))
    console.print(f"{outcome.candidates} candidate(s): " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n))
    _print_best(console, outcome.best, str(run.status))
    ruled = sum(len(c.ruled_out) for c in candidates)
    console.print(f"{len([c for c in candidates if c.counterexample])} counterexample(s) ruled out {ruled} other candidate(s) without a proof attempt")
    console.print(f"{run.model_calls} model call(s), {run.prompt_tokens + run.completion_tokens} tokens, ${run.cost_usd:.4f}, {seconds:.0f} s")


def show_candidates(console: Console, archive: Archive, run: Run) -> None:
    """A synthesis run's part of `evoforge show`: every candidate with its proof status beside its
    scores, then the learned program with its proof."""
    from evoforge.cli.tables import print_table
    from evoforge.runs.events import percent
    from evoforge.synthesis.kind import learned_candidate

    candidates = archive.candidates(run.id)
    rows = [[f"#{c.index}", c.round, c.origin.removeprefix("mutate:"), "" if c.parent_index is None else f"#{c.parent_index}", c.status.replace("_", " "),
             *(percent(c.scores.get(split)) for split in ("train", "validation", "test")), c.psi_violations.get("test", "-"),
             len(c.ruled_out) or ""] for c in candidates]
    # "refutes": how many other candidates its counterexample ruled out without a proof attempt
    print_table(console, "candidates", ["#", "round", "origin", "from", "proof", "train", "val", "test", "Psi test", "refutes"], rows)
    _print_best(console, learned_candidate(candidates), str(run.status))


def _print_best(console: Console, best: SynthesisCandidate | None, status: str) -> None:
    from evoforge.runs.events import percent

    if best is None:
        console.print("no program was proven and learned" + ("" if status != "finished" else ": nothing to answer with"))
        return
    verdict = best.verdict or {}
    console.print(f"best program: candidate #{best.index} ({best.origin}, round {best.round})")
    console.print(best.source.strip(), markup=False, soft_wrap=True)
    console.print(f"proof: {verdict.get('status')}: {verdict.get('reason')}", soft_wrap=True, markup=False)
    if verdict.get("params_shaping_only"):
        console.print(f"  parameters that only shape model input (not in the proof): {', '.join(verdict['params_shaping_only'])}")
    learn = best.evidence.get("learn", {})
    console.print(f"learned parameters: {json.dumps(best.params)} ({learn.get('trials', 0)} trial(s), none re-proven)", markup=False)
    console.print("scores: " + ", ".join(f"{split} {percent(best.scores.get(split))}" for split in ("train", "validation", "test")))
    console.print("Psi violations (kernel check on real results): "
                  + ", ".join(f"{split} {best.psi_violations.get(split, '-')}" for split in ("train", "validation", "test")))
