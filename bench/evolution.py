"""Evidence: the full hyperagent loop against its two ablations, on the embedded model.

Three runs with the same seed, domain, sizes and generation budget:
- full: score-and-children parent selection over the archive, the meta agent may edit itself;
- frozen meta: children keep the seed's meta agent and meta settings;
- no archive: always extend the latest child.
Prints the seed's test score and each run's best variant (chosen by validation) test score.

Run: .venv/bin/python bench/evolution.py [--generations N] [--parallel K] [--tasks T V S] [--db FILE]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evoforge.archive import open_archive
from evoforge.evolution.config import RunConfig
from evoforge.evolution.runner import create_run, execute_run

VARIANTS = {
    "full loop": {},
    "frozen meta agent": {"frozen_meta": True},
    "no archive": {"selector": "latest"},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generations", type=int, default=4)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--tasks", type=int, nargs=3, default=[6, 6, 12])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sandbox", default=None)
    parser.add_argument("--db", default=str(Path(tempfile.mkdtemp()) / "bench-evolution.db"))
    args = parser.parse_args()
    archive = open_archive(args.db)
    console = Console()
    table = Table("run", "seed test", "best test", "best validation", "variants", "best variant",
                  title=f"arithmetic, embedded model, {args.generations} generations x {args.parallel}, seed {args.seed}")
    for label, overrides in VARIANTS.items():
        config = RunConfig(domain="arithmetic", generations=args.generations, parallel=args.parallel, seed=args.seed,
                           sandbox=args.sandbox, domain_options={"sizes": dict(zip(("train", "validation", "test"), args.tasks))},
                           **overrides)
        console.print(f"[bold]{label}[/] ...")
        summary = execute_run(archive, create_run(archive, config))
        seed, best = summary.seed, summary.best
        table.add_row(label, _pct(seed.scores.get("test") if seed else None), _pct(best.scores.get("test") if best else None),
                      _pct(best.score if best else None), str(summary.variants),
                      f"#{best.id} gen {best.generation}: {best.summary[:60]}" if best else "-")
    console.print(table)
    console.print(f"archive: {args.db}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


if __name__ == "__main__":
    main()
