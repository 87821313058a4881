"""Benchmark: a synthesized, proven program against the model called unguarded, on held-out tests.

On the arithmetic domain's `word_answer` task (Psi: the answer is an integer in [-1000, 1000]):
- **unguarded**: one raw model call per test task with the `word_problem` prompt, its answer
  parsed but never checked or retried; a Psi violation is an answer that is not a valid result;
- **synthesized**: the offline grammar proposer, the verifier and the Optuna learner, run on
  train/validation; the chosen program scored on test with the real guard.
Also measured in the same run: verification time per candidate against the time Z3 takes to
prove the task's fallback (a ratio, not a wall-clock claim).

The hyperagent loop's best is not in this table yet (it needs the lead's `evoforge synthesize`
wiring to run both at equal budget).

Run: PYTHONPATH=platform .venv/bin/python bench/synthesis.py [--model NAME] [--tasks 6 6 12]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evoforge.contracts import load_specs
from evoforge.contracts.parsing import OutputParseError, parse_output
from evoforge.contracts.prompt import render
from evoforge.contracts.tasks import load_tasks
from evoforge.domains.arithmetic import ArithmeticDomain
from evoforge.models import resolve_model
from evoforge.models.base import Message
from evoforge.synthesis import GrammarProposer, LocalEvaluation, OptunaLearner, Problem, Verifier, synthesize

SPEC = Path(__file__).resolve().parent.parent / "specs" / "arithmetic.toml"


def unguarded(domain: ArithmeticDomain, specs, task, model) -> tuple[float, int, int]:
    """Mean test score, Psi violations and model calls of the raw model, no guard."""
    contract = specs.get("word_problem")
    scores, violations = [], 0
    for item in domain.tasks("test"):
        inputs = {"question": item.inputs["question"], "low": -1000, "high": 1000}
        text = model.complete([Message("system", contract.system or ""), Message("user", render(contract.prompt, inputs))]).text
        try:
            value = parse_output(text, contract.output, contract.parse)["value"]
        except (OutputParseError, KeyError, TypeError):
            value = None
        if value is None or task.violated_ensure(item.inputs, value) is not None:
            violations += 1
        scores.append(domain.evaluate(item, value).value)
    return statistics.mean(scores), violations, len(scores)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--tasks", nargs=3, type=int, default=[6, 6, 12], metavar=("TRAIN", "VALIDATION", "TEST"))
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    specs, tasks = load_specs([SPEC]), load_tasks([SPEC])
    task = tasks.get("word_answer")
    domain = ArithmeticDomain(seed=0, sizes=dict(zip(("train", "validation", "test"), args.tasks)))
    model = resolve_model(args.model, max_tokens=48)

    raw_score, raw_violations, raw_calls = unguarded(domain, specs, task, model)
    calls: list[int] = []
    counting = LocalEvaluation(domain, task, specs, model)
    verify_times: list[float] = []

    class TimedVerifier(Verifier):
        def verify(self, program, task_spec):
            started = time.perf_counter()
            verdict = super().verify(program, task_spec)
            verify_times.append(time.perf_counter() - started)
            return verdict

    def evaluate(verified, params, split):
        report = counting(verified, params, split)
        calls.append(sum(o.attempts for o in report.outcomes))
        return report

    with tempfile.TemporaryDirectory() as folder:
        result = synthesize(Problem(task, specs), GrammarProposer(), TimedVerifier(),
                            OptunaLearner(f"sqlite:///{folder}/study.db", trials=args.trials), evaluate,
                            study="bench", rounds=2, per_round=6)
    console = Console()
    table = Table(title=f"word_answer on arithmetic, model {model.name}, {args.tasks[2]} test tasks")
    for column in ("agent", "test score", "Psi violations on test", "model calls (all splits)"):
        table.add_column(column)
    table.add_row("unguarded model call", f"{raw_score:.3f}", str(raw_violations), str(raw_calls))
    if result.test is not None:
        table.add_row("synthesized (proven)", f"{result.test.score:.3f}", str(result.test.psi_violations), str(sum(calls)))
    console.print(table)
    proven = sum(c.status == "proven" for c in result.candidates)
    ruled = sum(len(e.ruled_out) for e in result.counterexamples)
    console.print(f"candidates {len(result.candidates)}, proven {proven}, counterexamples {len(result.counterexamples)}, ruled out by replay {ruled}")
    if result.best is not None:
        console.print(f"chosen program (params {result.learned.params}):\n{result.best.program.source}")
    fallback_proof = task.fallback_proof.seconds if task.fallback_proof else float("nan")
    console.print(f"verification: median {statistics.median(verify_times) * 1000:.1f} ms per candidate, "
                  f"{statistics.median(verify_times) / fallback_proof:.1f}x the task fallback's proof")


if __name__ == "__main__":
    main()
