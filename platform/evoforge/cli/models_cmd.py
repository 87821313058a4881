"""`evoforge models`: the embedded model, the models configured by the user, and the
providers whose keys are in the environment."""
from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table


def register(subparsers: argparse._SubParsersAction) -> None:
    models = subparsers.add_parser("models", help="list the embedded, configured and keyed models")
    models.set_defaults(handler=run_models)


def run_models(args: argparse.Namespace) -> int:
    from evoforge.models import DEFAULT_MODEL  # imports litellm: only when this command runs
    from evoforge.models.catalog import list_models
    from evoforge.models.settings import config_path

    table = Table("model", "kind", "ready", "details", title="models")
    for entry in list_models():
        name = f"{entry.name} (default)" if entry.name == DEFAULT_MODEL else entry.name
        table.add_row(name, entry.kind, "[green]yes[/]" if entry.ready else "[red]no[/]", entry.details)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"Any litellm model name works, e.g. --model openai/gpt-4o-mini. Config file: {config_path()}")
    return 0
