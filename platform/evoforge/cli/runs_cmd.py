"""`evoforge runs`: list the runs in the archive, as a table on a terminal, plain lines otherwise.

It reads the archive without the ORM where it can (archive/listing.py), and opens the Archive
only where that cannot answer (an archive to migrate, a URL only SQLAlchemy reads, an error to
explain), so listing runs starts about as fast as the interpreter."""
from __future__ import annotations

import argparse
import sys

from evoforge.archive.listing import RunSummary, read_runs
from evoforge.cli.archive_option import DB_HELP
from evoforge.runs.liveness import displayed_status
from evoforge.runs.registry import kind_name

COLUMNS = ("id", "kind", "domain", "model", "status", "gen", "done", "valid", "best", "cost $")
LEFT = {"kind", "domain", "model", "status"}  # the other columns are numbers, right-aligned


def register(subparsers: argparse._SubParsersAction) -> None:
    help = "list the runs in the archive"
    parser = subparsers.add_parser("runs", help=help, description=help)
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    parser.set_defaults(handler=runs)


def runs(args: argparse.Namespace) -> int:
    listed = read_runs(args.db)
    if listed is None:  # only the Archive can answer: it migrates, or explains what is wrong
        from evoforge.cli.archive_option import open_for_command

        with open_for_command(args) as archive:
            listed = archive.where, archive.runs()
    where, summaries = listed
    if not summaries:
        print(f"no runs in {where}")
    elif sys.stdout.isatty():
        _print_table(where, summaries)
    else:
        print(f"runs in {where}")
        print(_aligned([list(COLUMNS), *map(cells, summaries)]))
    return 0


def cells(summary: RunSummary) -> list[str]:
    """A run's cells, in the order of COLUMNS: "valid" counts valid variants, or proven
    candidates of a synthesis run (a run has one or the other)."""
    run = summary.run
    best = "-" if summary.best_score is None else f"{summary.best_score:.3f}"
    valid = summary.valid_variants + summary.proven_candidates
    return [str(run.id), kind_name(run.config), run.domain, run.model, displayed_status(run), str(run.generation),
            f"{run.progress:.0%}", f"{valid}/{summary.variants + summary.candidates}", best, f"{run.cost_usd:.4f}"]


def _aligned(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) if column in LEFT else cell.rjust(width)
                               for cell, width, column in zip(row, widths, COLUMNS)).rstrip() for row in rows)


def _print_table(where: str, summaries: list[RunSummary]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"runs in {where}", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in LEFT else "right")
    for summary in summaries:
        table.add_row(*cells(summary))
    Console(highlight=False).print(table)
