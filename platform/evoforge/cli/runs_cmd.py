"""`evoforge runs`: list the runs in the archive, as a table on a terminal, plain lines otherwise.

It reads the archive without the ORM where it can (archive/listing.py), and opens the Archive
only where that cannot answer (an archive to migrate, a URL only SQLAlchemy reads, an error to
explain), so listing runs starts about as fast as the interpreter."""
from __future__ import annotations

import argparse
import sys

from evoforge.archive.listing import RunLine

COLUMNS = ("id", "kind", "domain", "model", "status", "gen", "done", "valid", "best", "cost $")
LEFT = {"kind", "domain", "model", "status"}  # the other columns are numbers, right-aligned
DB_HELP = "archive file or URL (default: $EVOFORGE_DB or the user data dir)"


def register(subparsers: argparse._SubParsersAction) -> None:
    help = "list the runs in the archive"
    parser = subparsers.add_parser("runs", help=help, description=help)
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    parser.set_defaults(handler=runs)


def runs(args: argparse.Namespace) -> int:
    from evoforge.archive.listing import read_runs, summary_line

    listed = read_runs(args.db)
    if listed is None:  # only the Archive can answer: it migrates, or explains what is wrong
        from evoforge.cli.archive_cmd import open_for_command

        with open_for_command(args) as archive:
            listed = archive.where, [summary_line(s) for s in archive.runs()]
    where, lines = listed
    if not lines:
        print(f"no runs in {where}")
    elif sys.stdout.isatty():
        _print_table(where, lines)
    else:
        print(f"runs in {where}")
        print(_aligned([list(COLUMNS), *map(cells, lines)]))
    return 0


def cells(line: RunLine) -> list[str]:
    """A run's cells, in the order of COLUMNS."""
    best = "-" if line.best is None else f"{line.best:.3f}"
    return [str(line.id), line.kind, line.domain, line.model, line.status, str(line.generation), f"{line.progress:.0%}",
            f"{line.valid}/{line.total}", best, f"{line.cost_usd:.4f}"]


def _aligned(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) if column in LEFT else cell.rjust(width)
                               for cell, width, column in zip(row, widths, COLUMNS)).rstrip() for row in rows)


def _print_table(where: str, lines: list[RunLine]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"runs in {where}", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in LEFT else "right")
    for line in lines:
        table.add_row(*cells(line))
    Console(highlight=False).print(table)
