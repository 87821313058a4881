"""Benchmark: the seed agent unguarded, the hyperagent loop's best and a synthesized, proven
program, at equal model budget, on held-out test tasks of two built-in domains.

Per domain (arithmetic: `word_answer`; humaneval: `function_from_docstring`; airline-cancellations:
`cancel_request`), with the same
model, task splits and model-call budget B:
- **seed, unguarded**: the seed agent in the sandbox, its model calls answered by the model once
  with the contract's prompt, parsed but never checked, retried or replaced (`UncheckedService`);
  its calls are checked only after the fact (how often a contract's ensure would have failed),
  and its answers against the task's Psi;
- **seed, guarded** and **loop best**: a hyperagent run (`evoforge run`) with budget B: its seed
  and its best variant by validation;
- **synthesized**: a synthesis run (`evoforge synthesize`) with budget B: the learned program.
Psi violations on test are counted by the kernel on the real answers, for every row alike.

Run: PYTHONPATH=platform .venv/bin/python bench/synthesis.py [--domains arithmetic humaneval airline-cancellations]
     [--calls 150 60 150] [--rounds 4] [--seeds 0 1 2]
With several seeds, each test score is the mean with its 95% Student-t interval and each seed's value.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from bench_stats import interval
from rich.console import Console
from rich.table import Table

from evoforge.archive import Archive, CandidateStatus, open_archive
from evoforge.contracts.guard import check_inputs
from evoforge.contracts.parsing import OutputParseError, parse_output
from evoforge.contracts.prompt import render
from evoforge.contracts.shaping import shaped
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.types import ValueTypeError, conform
from evoforge.evolution.agents import agent_folder, read_agent
from evoforge.evolution.evaluation import read_output, run_tasks
from evoforge.evolution.manifest import AgentManifest
from evoforge.evolution.settings import EvolutionSettings
from evoforge.models.base import BudgetExceeded, Message
from evoforge.models.budget import Budget
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.services import GatewayModels
from evoforge.runs.settings import BudgetSection, DomainSection, SandboxSection
from evoforge.sandbox import get_sandbox
from evoforge.synthesis.context import load_problem
from evoforge.synthesis.settings import SynthesisSettings

SIZES = {"arithmetic": (4, 4, 8), "humaneval": (2, 2, 3), "airline-cancellations": (13, 4, 6)}


class UncheckedService:
    """The channel without the guard: one model call per request (shaped by its options, as the
    guard's would be), its answer parsed and passed on unchecked. Each answer is checked against
    its contract only after the fact, for the count."""

    def __init__(self, specs: Any, model: Any):
        self.specs, self.model = specs, model
        self.calls = self.broken = 0
        self.budget_exceeded: str | None = None

    def generate(self, contract: str, inputs: dict[str, Any], options: dict[str, Any] | None = None) -> dict[str, Any]:
        chosen = shaped(self.specs.get(contract), options or {})
        values = check_inputs(chosen, inputs)
        messages = ([Message("system", chosen.system)] if chosen.system else []) + [Message("user", render(chosen.prompt, values))]
        try:
            text = self.model.complete(messages, contract=contract, sampling=chosen.sampling).text
        except BudgetExceeded as error:
            self.budget_exceeded = str(error)
            return {"error": str(error)}
        self.calls += 1
        try:
            output = parse_output(text, chosen.output, chosen.parse)
        except OutputParseError as error:
            self.broken += 1
            return {"error": f"unreadable answer: {error}"}
        self.broken += chosen.violated_ensure(values, output) is not None
        return {"output": output}

    def tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return {"error": "no tools"}

    def take_records(self) -> list:
        return []


def psi_violations(task: TaskSpec, tasks: dict[str, Any], evaluations: list) -> str:
    """Test answers that break the task's Psi, checked by the kernel; answers that are no valid
    result (the agent failed, or answered outside the result type) are counted beside them."""
    broken = unanswered = 0
    for evaluation in evaluations:
        inputs = {n: conform(tasks[evaluation.task_id].inputs[n], t, n) for n, t in task.inputs.items()}
        try:
            result = conform(read_output(evaluation.output), task.result, "result")
        except ValueTypeError:
            unanswered += 1
            continue
        broken += task.violated_ensure(inputs, result) is not None
    return f"{broken}" + (f" ({unanswered} no valid answer)" if unanswered else "")


def unguarded_seed(domain_name: str, sizes: dict[str, int], calls: int, sandbox: Any, seed: int) -> dict[str, Any]:
    config = SynthesisSettings(domain=DomainSection(domain_name, {"sizes": sizes}), random_seed=seed)
    domain, specs, task = load_problem(config, sandbox)
    files = read_agent(agent_folder("seed"))
    entry = AgentManifest.from_files(files, "seed").task
    service = UncheckedService(specs, GatewayModels(config.model, config.random_seed, Budget(max_calls=calls), None)(lambda usage: None))
    tests = domain.tasks("test")
    result = run_tasks(domain, sandbox, lambda: service, entry, files, tests, "bench", 120.0)  # type: ignore[arg-type, return-value]
    return {"score": result.mean("test") or 0.0, "psi": psi_violations(task, {t.id: t for t in tests}, result.evaluations),
            "calls": service.calls, "note": f"{service.broken} of {service.calls} call(s) broke their contract"}


def loop_rows(archive: Archive, domain_name: str, sizes: dict[str, int], calls: int, sandbox: str | None,
              seed: int) -> list[tuple[str, dict[str, Any]]]:
    config = EvolutionSettings(domain=DomainSection(domain_name, {"sizes": sizes}), sandbox=SandboxSection(sandbox),
                               budget=BudgetSection(max_calls=calls), random_seed=seed, generations=2, parallel=1)
    outcome = execute_run(archive, create_run(archive, config))
    domain, _, task = load_problem(SynthesisSettings(domain=DomainSection(domain_name, {"sizes": sizes}), random_seed=seed))
    tests = {t.id: t for t in domain.tasks("test")}
    run = archive.run(outcome.run_id)
    rows = []
    for label, variant in (("seed, guarded (loop's seed)", outcome.seed), ("hyperagent loop's best", outcome.best)):
        if variant is None or "test" not in variant.scores:
            rows.append((label, {"score": None, "psi": None, "calls": run.model_calls, "note": f"not scored on test ({outcome.stop.detail if outcome.stop else ''})"}))
            continue
        evaluations = [e for e in archive.evaluations(variant.id) if e.split == "test"]
        rows.append((label, {"score": variant.scores["test"], "psi": psi_violations(task, tests, evaluations), "calls": run.model_calls,
                             "note": f"variant #{variant.id}, {outcome.variants} variant(s), {outcome.stop.reason if outcome.stop else ''}"}))
    return rows


def synthesized(archive: Archive, domain_name: str, sizes: dict[str, int], calls: int, sandbox: str | None, rounds: int,
                seed: int) -> dict[str, Any]:
    config = SynthesisSettings(domain=DomainSection(domain_name, {"sizes": sizes}), sandbox=SandboxSection(sandbox),
                               budget=BudgetSection(max_calls=calls), random_seed=seed, rounds=rounds, per_round=4, trials=2)
    outcome = execute_run(archive, create_run(archive, config))
    run, best = archive.run(outcome.run_id), outcome.best
    candidates = archive.candidates(outcome.run_id)
    proven = sum(c.status == CandidateStatus.PROVEN for c in candidates)
    note = f"{len(candidates)} candidate(s), {proven} proven; {outcome.stop.detail if outcome.stop else ''}"
    if best is None or "test" not in best.scores:
        return {"score": None, "psi": None, "calls": run.model_calls, "note": note + "; no program scored on test"}
    return {"score": best.scores["test"], "psi": best.psi_violations["test"], "calls": run.model_calls,
            "note": note + f"; #{best.index} ({best.origin}) params {best.params}"}


def rows_for(archive: Archive, domain_name: str, sizes: dict[str, int], calls: int, args: argparse.Namespace,
             seed: int) -> list[tuple[str, dict[str, Any]]]:
    """One seed's rows: the unguarded seed, the loop's seed and best, the synthesized program."""
    rows = [("seed, unguarded", unguarded_seed(domain_name, sizes, calls, get_sandbox(args.sandbox), seed))]
    rows += loop_rows(archive, domain_name, sizes, calls, args.sandbox, seed)
    rows.append(("synthesized (proven)", synthesized(archive, domain_name, sizes, calls, args.sandbox, args.rounds, seed)))
    return rows


def summarize(per_seed: list[list[tuple[str, dict[str, Any]]]]) -> list[tuple[str, str, str, str, str]]:
    """(agent, test score, Psi violations, model calls, notes) per agent: the score as mean ± 95%
    interval over the seeds with each seed's value, the rest per seed."""
    out = []
    for label in dict.fromkeys(label for rows in per_seed for label, _ in rows):
        found = [row for rows in per_seed for name, row in rows if name == label]
        scores = [row["score"] for row in found if row["score"] is not None]
        if not scores:
            score = "-"
        elif len(found) == 1:
            score = f"{scores[0]:.3f}"
        else:
            mean, half = interval(scores)
            score = f"{mean:.3f} ± {half:.3f} ({' / '.join(f'{v:.3f}' for v in scores)})"
        psi = " / ".join("-" if row["psi"] is None else str(row["psi"]) for row in found)
        calls = " / ".join(str(row["calls"]) for row in found)
        out.append((label, score, psi, calls, found[0]["note"] if len(found) == 1 else " | ".join(row["note"] for row in found)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", nargs="+", default=["arithmetic", "humaneval", "airline-cancellations"])
    parser.add_argument("--calls", nargs="+", type=int, default=[150, 60, 150], help="model-call budget per domain")
    parser.add_argument("--rounds", type=int, default=4, help="CEGIS rounds of 4 candidates")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0], help="random seeds (task splits, selection); one run each")
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--db", default=str(Path(tempfile.mkdtemp()) / "bench-synthesis.db"))
    args = parser.parse_args()
    archive, console = open_archive(args.db), Console(width=200)
    table = Table("domain", "agent", "test score", "Psi violations on test", "model calls", "notes",
                  title=f"seed unguarded vs hyperagent loop vs synthesized program, equal model-call budget, embedded model, seeds {args.seeds}")
    for domain_name, calls in zip(args.domains, args.calls):
        sizes = dict(zip(("train", "validation", "test"), SIZES.get(domain_name, (4, 4, 8))))
        per_seed = []
        for seed in args.seeds:
            console.print(f"[bold]{domain_name}[/]: sizes {sizes}, budget {calls} calls, seed {seed}")
            per_seed.append(rows_for(archive, domain_name, sizes, calls, args, seed))
        for label, score, psi, used, note in summarize(per_seed):
            table.add_row(f"{domain_name} ({sizes['test']} test)", label, score, psi, used, note)
    console.print(table)
    console.print(f"archive: {args.db}")


if __name__ == "__main__":
    main()
