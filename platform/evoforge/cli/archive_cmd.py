"""`evoforge show | lineage | export | import`: read and move what the archive holds (`runs`: runs_cmd.py)."""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from rich.console import Console
from rich.tree import Tree

from evoforge.archive import Archive, Run, TreeNode, export_run, import_run
from evoforge.cli.archive_option import DB_HELP, open_for_command
from evoforge.cli.failures import print_failures, variant_failures
from evoforge.cli.tables import print_table
from evoforge.cli.text import run_hint
from evoforge.lazy import imported
from evoforge.runs.liveness import displayed_status
from evoforge.runs.registry import run_kind

console = Console(highlight=False)


def register(subparsers: argparse._SubParsersAction) -> None:
    def command(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, help=help, description=help)
        parser.add_argument("--db", metavar="URL", help=DB_HELP)
        parser.set_defaults(handler=handler)
        return parser

    show_parser = command("show", show, "show one run: totals, scores per generation, failed tasks, contracts, usage")
    show_parser.add_argument("run", metavar="RUN", help="run id or uid prefix")
    show_parser.add_argument("--variant", type=int, metavar="V", help="list the failed tasks of V (default: the best variant)")
    lineage_parser = command("lineage", lineage, "draw a run's lineage tree (or one variant's line)")
    lineage_parser.add_argument("run", metavar="RUN", help="run id or uid prefix")
    lineage_parser.add_argument("--variant", type=int, metavar="V", help="only V's ancestors and descendants")
    export_parser = command("export", export, "write one run to a file (gzip JSON lines)")
    export_parser.add_argument("run", metavar="RUN", help="run id or uid prefix")
    export_parser.add_argument("-o", "--output", required=True, metavar="FILE")
    command("import", import_, "add a run written by `evoforge export` to the archive").add_argument(
        "file", metavar="FILE")


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def show(args: argparse.Namespace) -> int:
    with open_for_command(args) as archive:
        run = archive.run(args.run)
        _show_header(run)
        imported(run_kind(run.config).cli_details)(console, archive, run)
        failures = variant_failures(archive, run, args.variant)
        contracts = archive.contract_stats(run.id)
        usage = archive.usage_totals(run.id)
    if failures is not None:
        print_failures(console, failures, f"`{run_hint('report', args.db, run.id)} -o DIR --variant {failures.variant.id}` lists them all")
    print_table(console, "contracts", ["contract", "calls", "violation rate", "fallback rate", "mean attempts", "cost $"],
                 [[c.contract, c.calls, f"{c.violation_rate:.1%}", f"{c.fallback_rate:.1%}", f"{c.mean_attempts:.2f}",
                   f"{c.cost_usd:.4f}"] for c in contracts])
    print_table(console, "model usage", ["model", "calls", "failed", "prompt tokens", "completion tokens", "cost $", "latency s"],
                 [[u.model, u.calls, u.failures, u.prompt_tokens, u.completion_tokens, f"{u.cost_usd:.4f}",
                   f"{u.latency_s:.1f}"] for u in usage])
    return 0


def _show_header(run: Run) -> None:
    console.print(f"[bold]run {run.id}[/] {run.uid}  domain={run.domain} model={run.model}")
    console.print(f"status {displayed_status(run)}, generation {run.generation}, progress {run.progress:.0%}, "
                  f"created {run.created_at:%Y-%m-%d %H:%M:%S}"
                  + (f", finished {run.finished_at:%Y-%m-%d %H:%M:%S}" if run.finished_at else ""))
    if run.error:
        console.print(f"[red]error:[/] {run.error}")
    console.print(f"config {json.dumps(run.config)}  budgets {json.dumps(run.budgets)}")
    console.print(f"{run.model_calls} model calls, {run.prompt_tokens}+{run.completion_tokens} tokens, ${run.cost_usd:.4f}")


def show_generations(out: Console, archive: Archive, run: Run) -> None:
    """An evolution run's part of `evoforge show`: its best variant and its scores per generation."""
    best = archive.best_variant(run.id)
    out.print("best variant: " + (f"{best.id} (score {_score(best.score)}, generation {best.generation})" if best else "none"))
    print_table(out, "scores per generation", ["generation", "variants", "valid", "best", "mean"],
                [[g.generation, g.variants, g.valid_variants, _score(g.best_score), _score(g.mean_score)] for g in archive.generations(run.id)])


def lineage(args: argparse.Namespace) -> int:
    with open_for_command(args) as archive:
        run = archive.run(args.run)
        best = {v.id for v in archive.path_to_best(run.id)}
        if args.variant is None:
            nodes = archive.tree(run.id)
        else:
            variant = archive.run_variant(run.id, args.variant)
            line = archive.ancestors(variant.id, include_self=True) + archive.descendants(variant.id)
            nodes = [TreeNode(v.id, v.parent_id, v.generation, v.score, v.status, v.valid_parent)
                     for v in line]
    console.print(_draw(nodes, best, f"run {run.id} lineage ({len(nodes)} variants, ★ = path to the best)"))
    return 0


def _draw(nodes: list[TreeNode], best: set[int], title: str) -> Tree:
    root = Tree(title)
    branches: dict[int, Tree] = {}
    for node in nodes:  # parents come first: ids grow
        label = f"{'★ ' if node.id in best else ''}{node.id}  gen {node.generation}  score {_score(node.score)}"
        if node.status != "valid":
            label += f"  [red]{node.status}[/]"
        if not node.valid_parent:
            label = f"[dim]{label}  (not a parent)[/]"
        branches[node.id] = branches.get(node.parent_id, root).add(label)
    return root


def export(args: argparse.Namespace) -> int:
    with open_for_command(args) as archive:
        rows = export_run(archive, args.run, args.output)
    console.print(f"exported run {args.run} ({rows} rows) to {args.output}")
    return 0


def import_(args: argparse.Namespace) -> int:
    with open_for_command(args, create=True) as archive:
        run = import_run(archive, args.file)
        console.print(f"imported {args.file} as run {run.id} ({run.uid}) into {archive.where}", soft_wrap=True)
    return 0
