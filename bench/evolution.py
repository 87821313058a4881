"""Evidence: the full hyperagent loop against its two ablations, over several seeds, at equal budget.

Arms (same domain, sizes, generations x children and model-call limit for every arm and seed):
- full loop: score-and-children parent selection over the archive, the meta agent may tune itself;
- frozen meta agent: children keep the seed's meta level (its agent.toml says which);
- no archive: always extend the newest variant.
For each arm it prints the mean and 95% interval (Student t over seeds) of the best variant's held-out
test score (the best is chosen by validation), the seed's test score and the gain, with model calls
and wall time; with --cache-check it also runs the full loop without the model cache and reports
the calls and time the cache saved. A plot of best-so-far validation against children made (mean
with a 95% band per arm) is written as PNG.

Run: .venv/bin/python bench/evolution.py [--seeds 0 1 2 3 4] [--generations 3] [--parallel 2]
     [--tasks 4 4 16] [--max-calls 600] [--out artifacts/bench-evolution] [--cache-check]
"""
from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_stats import interval
from rich.console import Console
from rich.table import Table

from evoforge.archive import open_archive
from evoforge.evolution.config import RunConfig
from evoforge.evolution.runner import create_run, execute_run

ARMS = {
    "full loop": {},
    "frozen meta agent": {"frozen_meta": True},
    "no archive": {"selector": "latest"},
}


@dataclass
class Measured:
    seed_test: float
    best_test: float
    calls: int
    cached: int
    seconds: float
    curve: list[float] = field(default_factory=list)  # best validation after each child


def run_once(out: Path, name: str, config: RunConfig) -> Measured:
    path = out / f"{name}.db"
    for stale in out.glob(f"{name}.db*"):
        stale.unlink()
    archive = open_archive(path)
    started = time.monotonic()
    outcome = execute_run(archive, create_run(archive, config))
    seconds = time.monotonic() - started
    run = archive.run(outcome.run_id)
    variants = sorted(archive.variants(outcome.run_id), key=lambda v: v.id)
    curve, best = [], 0.0
    for variant in variants[1:]:  # children in the order they were made
        best = max(best, variant.score or 0.0, variants[0].score or 0.0)
        curve.append(best)
    return Measured(outcome.seed.scores.get("test", 0.0), outcome.best.scores.get("test", 0.0), run.model_calls,
                    archive.cache_stats(outcome.run_id).hits, seconds, curve)


def plot(results: dict[str, list[Measured]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    for arm, runs in results.items():
        length = min(len(r.curve) for r in runs)
        points = [[r.curve[i] for r in runs] for i in range(length)]
        means = [interval(p)[0] for p in points]
        halves = [0.0 if len(p) < 2 else interval(p)[1] for p in points]
        xs = list(range(1, length + 1))
        axis.plot(xs, means, marker="o", label=arm)
        axis.fill_between(xs, [m - h for m, h in zip(means, halves)], [m + h for m, h in zip(means, halves)], alpha=0.15)
    axis.set_xlabel("children made")
    axis.set_ylabel("best validation score so far")
    axis.set_ylim(0, 1.05)
    axis.set_title(f"best-so-far validation, mean and 95% band over {len(next(iter(results.values())))} seeds")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--tasks", type=int, nargs=3, default=[4, 4, 16])
    parser.add_argument("--max-calls", type=int, default=600, help="the same model-call limit for every arm")
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--out", type=Path, default=Path("artifacts/bench-evolution"))
    parser.add_argument("--cache-check", action="store_true", help="also run the full loop without the model cache")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    console = Console()
    arms = dict(ARMS)
    if args.cache_check:
        arms["full loop, no model cache"] = {"model_cache": False}
    results: dict[str, list[Measured]] = {arm: [] for arm in arms}
    for seed in args.seeds:
        for arm, overrides in arms.items():
            config = RunConfig(domain="arithmetic", generations=args.generations, parallel=args.parallel, random_seed=seed,
                               sandbox=args.sandbox, max_calls=args.max_calls,
                               domain_options={"sizes": dict(zip(("train", "validation", "test"), args.tasks))}, **overrides)
            measured = run_once(args.out, f"{arm.replace(' ', '_').replace(',', '')}-seed{seed}", config)
            results[arm].append(measured)
            console.print(f"seed {seed} {arm}: seed test {measured.seed_test:.0%}, best test {measured.best_test:.0%}, "
                          f"{measured.calls} calls (+{measured.cached} cached), {measured.seconds:.0f} s")
    table = Table("arm", "best test (mean ± 95%)", "seed test", "gain (mean ± 95%)", "model calls (mean)", "cached (mean)",
                  "wall s (mean)", title=f"arithmetic, embedded model, {args.generations}x{args.parallel} children, "
                  f"tasks {args.tasks}, max {args.max_calls} calls, seeds {args.seeds}")
    for arm, runs in results.items():
        best, half = interval([r.best_test for r in runs])
        gain, gain_half = interval([r.best_test - r.seed_test for r in runs])
        table.add_row(arm, f"{best:.1%} ± {half:.1%}", f"{statistics.fmean(r.seed_test for r in runs):.1%}",
                      f"{gain:+.1%} ± {gain_half:.1%}", f"{statistics.fmean(r.calls for r in runs):.0f}",
                      f"{statistics.fmean(r.cached for r in runs):.0f}", f"{statistics.fmean(r.seconds for r in runs):.0f}")
    console.print(table)
    plot({arm: runs for arm, runs in results.items() if arm in ARMS}, args.out / "best_so_far.png")
    console.print(f"plot: {args.out / 'best_so_far.png'}; archives in {args.out}")


if __name__ == "__main__":
    main()
