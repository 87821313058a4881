"""The `evoforge` command line. Each command group lives in its own module with a
`register(subparsers)` function; this module only assembles them and turns user errors
into one-line messages.

Start-up stays fast because only the module of the command being run is imported: the
others appear in `--help` through the table below (a test checks it matches the modules)."""
from __future__ import annotations

import argparse
import importlib
import sys

from evoforge.errors import EvoforgeError

# Command name -> (module under evoforge.cli that registers it, one-line help), in help order.
COMMANDS: dict[str, tuple[str, str]] = {
    "specs": ("specs_cmd", "work with contract spec files"),
    "generate": ("generate_cmd", "make one guarded model call"),
    "demo": ("demo_cmd", "run the example calls of the spec files through the guard"),
    "models": ("models_cmd", "list the embedded, configured and keyed models"),
    "run": ("run_cmd", "start an evolution run"),
    "synthesize": ("synthesize_cmd", "synthesize an agent program proven for every input and parameter"),
    "resume": ("run_cmd", "resume a run that was stopped, interrupted or killed"),
    "stop": ("run_cmd", "stop a running run (it finishes no new child; resume continues it)"),
    "domains": ("domains_cmd", "list task domains, or check a domain folder"),
    "new": ("new_cmd", "create a new domain folder from a working example"),
    "runs": ("runs_cmd", "list the runs in the archive"),
    "show": ("archive_cmd", "show one run: totals, scores per generation, failed tasks, contracts, usage"),
    "lineage": ("archive_cmd", "draw a run's lineage tree (or one variant's line)"),
    "report": ("report_cmd", "write a run's summary table and score plot (PNG) to a folder"),
    "export": ("archive_cmd", "write one run to a file (gzip JSON lines)"),
    "import": ("archive_cmd", "add a run written by `evoforge export` to the archive"),
    "sandbox": ("sandbox_cmd", "inspect or prepare the sandbox"),
    "ui": ("ui_cmd", "web UI: launch runs, watch them, review lineage"),
}


def build_parser(command: str | None = None, *, others: bool = True) -> argparse.ArgumentParser:
    """The parser, with `command`'s module imported to add its real subcommands; every other
    command is a one-line entry (enough for `--help` and for "invalid choice"), or, without
    `others`, absent."""
    parser = argparse.ArgumentParser(
        prog="evoforge",
        description="Self-evolving agents that cannot break their contracts.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    loaded = COMMANDS[command][0] if command in COMMANDS else None
    if loaded is not None:
        importlib.import_module(f"evoforge.cli.{loaded}").register(subparsers)
    for name, (module_name, help) in COMMANDS.items():
        if others and module_name != loaded:
            subparsers.add_parser(name, help=help)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    # A known command given first needs no entries for the others: they serve only `evoforge
    # --help` and the error for an unknown command, and building them is a ms of every start.
    parser = build_parser(command, others=not argv or argv[0] != command or command not in COMMANDS)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except EvoforgeError as error:
        _print_error(f"[bold red]error:[/] {error}")
        return 2
    except KeyboardInterrupt:
        _print_error("[yellow]interrupted[/]")
        return 130


def _print_error(markup: str) -> None:
    from rich.console import Console  # only on the error path: rich costs start-up time

    Console(stderr=True).print(markup, highlight=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
