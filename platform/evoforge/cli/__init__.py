"""The `evoforge` command line. Each command group lives in its own module with a
`register(subparsers)` function; this module only assembles them and turns user errors
into one-line messages."""
from __future__ import annotations

import argparse
import importlib
import sys

from rich.console import Console

from evoforge.errors import EvoforgeError

# Modules under evoforge.cli that contribute subcommands, in help order.
COMMAND_MODULES = ["specs_cmd", "generate_cmd", "demo_cmd", "models_cmd", "run_cmd", "domains_cmd", "new_cmd", "archive_cmd", "sandbox_cmd", "ui_cmd"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evoforge",
        description="Self-evolving agents that cannot break their contracts.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(f"evoforge.cli.{module_name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except EvoforgeError as error:
        Console(stderr=True).print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        Console(stderr=True).print("[yellow]interrupted[/]")
        return 130


if __name__ == "__main__":
    sys.exit(main())
