"""Evidence: does the hyperagent loop improve agents *through the model*, and does it beat what a
practitioner would try first?

Arms, for each domain and each seed (all of --seeds, never a chosen subset), with the same
children (generations x parallel) and the same model-call limit for every loop arm:
- full loop: score-and-children parent selection over the archive, the meta agent tunes itself;
- frozen meta agent: children keep the seed's meta level (its agent.toml says which files);
- no archive: always extend the newest variant;
- fixed budget: every child is the seed's (the seed's meta step repeated), the best by validation;
- null model: the full loop with `null/fallback`, which never answers (every guarded call returns
  its fallback): a gain it still shows did not come through the model;
- few-shot: no loop at all; the seed task agent shown `--shots` solved train tasks, once.
Reported per arm: the held-out test score of the best variant (chosen by validation), mean and
95% Student-t interval over seeds, the gain over the seed, model requests (answered by the model
or by the shared store) and wall time; each seed's value too, and a plot of best-so-far
validation against children made.

Common random numbers: the arms of one seed share one store of deterministic model answers, so
a question any arm asked before costs nothing again (its answer would be the same anyway); the
loop arms also share their random streams by seed.

Run: .venv/bin/python bench/evolution.py [--domains arithmetic car-origin] [--seeds 0 .. 9]
     [--generations 2] [--parallel 2] [--tasks 6 8 12] [--max-calls 400] [--shots 4]
     [--agent seed] [--out artifacts/bench-evolution]   (results.json there is read back: a rerun resumes)
"""
from __future__ import annotations

import argparse
import json
import re
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bench_stats import interval
from rich.console import Console
from rich.table import Table

from evoforge.archive import open_archive
from evoforge.evolution.agents import agent_folder, read_agent
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.worker import WorkerContext
from evoforge.models.base import Completion
from evoforge.models.budget import Budget
from evoforge.models.null import NULL_MODEL
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.services import GatewayModels, RunServices
from evoforge.runs.settings import BudgetSection, DomainSection, ModelSection, SandboxSection
from evoforge.sandbox import get_sandbox

LOOP_ARMS = {
    "full loop": {},
    "frozen meta agent": {"frozen_meta": True},
    "no archive": {"selector": "latest"},
    "fixed budget (seed's meta step repeated)": {"selector": "root"},
    "null model (every call falls back)": {"model": ModelSection(NULL_MODEL)},
}
FEW_SHOT = "few-shot prompting (no loop)"


@dataclass
class Measured:
    seed_test: float
    best_test: float
    requests: int  # model requests: answered by the model, or by the shared store
    seconds: float
    curve: list[float] = field(default_factory=list)  # best validation after each child


class SharedAnswers:
    """A `CompletionStore` shared by the arms of one seed, counting what it serves."""

    def __init__(self) -> None:
        self.entries: dict[str, Completion] = {}
        self.served = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Completion | None:
        with self._lock:
            found = self.entries.get(key)
            self.served += found is not None
            return found

    def put(self, key: str, completion: Completion) -> None:
        with self._lock:
            self.entries[key] = completion


def loop_arm(out: Path, name: str, config: EvolutionSettings, store: SharedAnswers) -> Measured:
    path = out / f"{name}.db"
    for stale in out.glob(f"{name}.db*"):
        stale.unlink()
    archive = open_archive(path)
    served, started = store.served, time.monotonic()
    outcome = execute_run(archive, create_run(archive, config), RunServices(archive, completions=store))
    seconds = time.monotonic() - started
    variants = sorted(archive.tree(outcome.run_id), key=lambda v: v.birth_order)
    curve, best = [], variants[0].score or 0.0
    for variant in variants[1:]:
        best = max(best, variant.score or 0.0)
        curve.append(best)
    requests = archive.run(outcome.run_id).model_calls + store.served - served
    return Measured(outcome.seed.scores.get("test", 0.0), outcome.best.scores.get("test", 0.0), requests, seconds, curve)


def few_shot_arm(config: EvolutionSettings, shots: int, store: SharedAnswers) -> Measured:
    """The seed task agent with `shots` solved train tasks in its EXAMPLES, evaluated once."""
    folder = agent_folder(config.agent)
    files = read_agent(folder)
    usage: list = []
    started, served = time.monotonic(), store.served
    models = GatewayModels(config.model, config.random_seed, Budget(max_calls=config.budget.max_calls), store)
    worker = WorkerContext.build(config, files, get_sandbox(config.sandbox.backend), models, folder)
    domain = worker.domain
    train = [task for task in domain.tasks("train") if getattr(domain, "reveal", None)]
    examples = [[task.inputs, domain.reveal(task)] for task in train[:shots]]
    text = re.sub(r"^EXAMPLES = .*$", "EXAMPLES = " + json.dumps(examples, sort_keys=True), files["task_agent.py"], count=1, flags=re.M)
    fields, _ = worker.evaluate({**files, "task_agent.py": text}, None, usage)
    return Measured(float("nan"), fields["scores"].get("test", 0.0), len(usage) + store.served - served, time.monotonic() - started)


def plot(domain: str, results: dict[str, list[Measured]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    for arm, runs in results.items():
        if not runs or not runs[0].curve:
            continue
        length = min(len(r.curve) for r in runs)
        points = [[r.curve[i] for r in runs] for i in range(length)]
        means = [interval(p)[0] for p in points]
        halves = [0.0 if len(p) < 2 else interval(p)[1] for p in points]
        xs = list(range(1, length + 1))
        axis.plot(xs, means, marker="o", label=arm)
        axis.fill_between(xs, [m - h for m, h in zip(means, halves)], [m + h for m, h in zip(means, halves)], alpha=0.12)
    axis.set_xlabel("children made")
    axis.set_ylabel("best validation score so far")
    axis.set_ylim(0, 1.05)
    axis.set_title(f"{domain}: best-so-far validation, mean and 95% band over seeds")
    axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def table(console: Console, domain: str, results: dict[str, list[Measured]], seeds: list[int], title: str) -> None:
    shown = Table("arm", "best test (mean ± 95%)", "gain over seed", "per seed", "requests", "wall s", title=f"{domain}: {title}")
    seed_tests = [m.seed_test for m in results["full loop"]]
    for arm, runs in results.items():
        if not runs:
            continue
        best, half = interval([r.best_test for r in runs])
        gains = [r.best_test - s for r, s in zip(runs, seed_tests)]
        gain, gain_half = interval(gains) if gains else (float("nan"), float("nan"))
        shown.add_row(arm, f"{best:.1%} ± {half:.1%}", f"{gain:+.1%} ± {gain_half:.1%}", " ".join(f"{r.best_test:.2f}" for r in runs),
                      f"{sum(r.requests for r in runs) / len(runs):.0f}", f"{sum(r.seconds for r in runs) / len(runs):.0f}")
    best, half = interval(seed_tests)
    shown.add_row("seed (no change)", f"{best:.1%} ± {half:.1%}", "", " ".join(f"{s:.2f}" for s in seed_tests), "", "")
    console.print(shown)
    console.print(f"seeds {seeds}; n = {len(seed_tests)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--domains", nargs="+", default=["arithmetic", "car-origin"])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    parser.add_argument("--generations", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--tasks", type=int, nargs=3, default=[6, 8, 12])
    parser.add_argument("--max-calls", type=int, default=400, help="the same model-call limit for every loop arm")
    parser.add_argument("--shots", type=int, default=4, help="solved train tasks the few-shot baseline shows")
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--agent", default="seed", help="the starting hyperagent (a copy keeps a long bench safe from edits)")
    parser.add_argument("--out", type=Path, default=Path("artifacts/bench-evolution"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    console = Console()
    saved = args.out / "results.json"
    done: dict[str, dict] = json.loads(saved.read_text()) if saved.exists() else {}
    title = (f"embedded SmolLM2-135M, {args.generations}x{args.parallel} children, tasks {args.tasks}, "
             f"max {args.max_calls} calls per loop arm, {args.shots}-shot baseline")
    for domain in args.domains:
        results: dict[str, list[Measured]] = {arm: [] for arm in [*LOOP_ARMS, FEW_SHOT]}
        for seed in args.seeds:
            store = SharedAnswers()
            base = EvolutionSettings(domain=DomainSection(domain, {"sizes": dict(zip(("train", "validation", "test"), args.tasks))}),
                                     sandbox=SandboxSection(args.sandbox), budget=BudgetSection(max_calls=args.max_calls), random_seed=seed,
                                     agent=args.agent, generations=args.generations, parallel=args.parallel)
            for arm in results:
                key = f"{domain}|{seed}|{arm}"
                if key not in done:
                    overrides = LOOP_ARMS.get(arm)
                    config = replace(base, **(overrides or {}))
                    name = f"{domain}-{re.sub(r'[^a-z]+', '_', arm)}-seed{seed}"
                    measured = few_shot_arm(config, args.shots, store) if overrides is None else loop_arm(args.out, name, config, store)
                    done[key] = asdict(measured)
                    saved.write_text(json.dumps(done, indent=1))
                measured = Measured(**done[key])
                results[arm].append(measured)
                console.print(f"{domain} seed {seed} {arm}: best test {measured.best_test:.0%} (seed {measured.seed_test:.0%}), "
                              f"{measured.requests} requests, {measured.seconds:.0f} s")
        table(console, domain, results, args.seeds, title)
        plot(domain, results, args.out / f"best_so_far-{domain}.png")
    console.print(f"results: {saved}; plots and archives in {args.out}")


if __name__ == "__main__":
    main()
