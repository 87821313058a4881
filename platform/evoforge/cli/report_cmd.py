"""`evoforge report RUN -o DIR`: a finished run's summary table (Markdown and CSV) and its score
plot (PNG): every variant's validation score by generation, the best so far, the seed's and
best variant's held-out test scores, and why the best variant (or `--variant V`) failed each
task it failed."""
from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help="write a run's summary table and score plot (PNG) to a folder")
    report.add_argument("run", help="run id or uid prefix")
    report.add_argument("-o", "--out", required=True, type=Path, help="folder for summary.md, variants.csv, scores.png")
    report.add_argument("--variant", type=int, metavar="V", help="list the failed tasks of V (default: the best variant)")
    report.add_argument("--db", default=None)
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from evoforge.archive import open_archive
    from evoforge.cli.failures import markdown_failures, variant_failures
    from evoforge.evolution.kind import EVOLUTION
    from evoforge.runs.liveness import displayed_status

    archive = open_archive(args.db, create=False)
    run = archive.run(args.run)
    outcome = EVOLUTION.summary(archive, run.id)
    failures = variant_failures(archive, run, args.variant)  # before anything is written: a wrong --variant writes nothing
    variants = archive.variants(run.id)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [{"id": v.id, "parent": v.parent_id, "generation": v.generation, "status": v.status,
             **{split: v.scores.get(split) for split in ("screen", "train", "validation", "test")}, "summary": v.summary[:200]}
            for v in variants]
    with (args.out / "variants.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    cache = archive.cache_stats(run.id)
    lines = [f"# Run {run.id} ({run.uid[:8]}): {displayed_status(run)}", "",
             f"domain `{run.domain}`, model `{run.model}`, {len(variants)} variants, {run.model_calls} model calls "
             f"({cache.hits} more served by the model cache), ${run.cost_usd:.4f}", "",
             "| variant | generation | validation | test | train |", "|---|---|---|---|---|"]
    for label, variant in (("seed", outcome.seed), ("best", outcome.best)):
        if variant is not None:
            lines.append(f"| {label} #{variant.id} | {variant.generation} | {_pct(variant.scores.get('validation'))} "
                         f"| {_pct(variant.scores.get('test'))} | {_pct(variant.scores.get('train'))} |")
    if outcome.best is not None:
        lines += ["", "How the best variant came to be:", ""]
        lines += [f"- #{v.id} (generation {v.generation}): {v.summary[:300]}" for v in archive.ancestors(outcome.best.id, include_self=True)]
    if failures is not None:
        lines += ["", *markdown_failures(failures)]
    (args.out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plot(rows, args.out / "scores.png", f"run {run.id}: validation score by generation")
    print(f"wrote {args.out / 'summary.md'}, {args.out / 'variants.csv'} and {args.out / 'scores.png'}")
    return 0


def _plot(rows: list[dict[str, Any]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scored = [r for r in rows if r["validation"] is not None]
    figure, axis = plt.subplots(figsize=(7, 4))
    axis.scatter([r["generation"] for r in scored], [r["validation"] for r in scored], alpha=0.6, label="variant (validation)")
    best: dict[int, float] = {}
    for row in scored:
        best[row["generation"]] = max(best.get(row["generation"], 0.0), row["validation"])
    so_far, running = [], 0.0
    for generation in sorted(best):
        running = max(running, best[generation])
        so_far.append((generation, running))
    if so_far:
        axis.plot(*zip(*so_far), color="#d62728", marker="o", label="best so far")
    axis.set_xlabel("generation")
    axis.set_ylabel("validation score")
    axis.set_ylim(-0.02, 1.05)
    axis.set_title(title)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"
