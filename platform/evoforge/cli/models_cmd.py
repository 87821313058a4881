"""`evoforge models`: the embedded model and the models configured by the user."""
from __future__ import annotations

import argparse
import os

from rich.console import Console
from rich.table import Table


def register(subparsers: argparse._SubParsersAction) -> None:
    models = subparsers.add_parser("models", help="list the embedded and configured models")
    models.set_defaults(handler=run_models)


def run_models(args: argparse.Namespace) -> int:
    from evoforge.models import embedded
    from evoforge.models.base import ModelError
    from evoforge.models.settings import config_path, configured_models

    table = Table("model", "kind", "details", title="models")
    try:
        weights = f"weights {embedded.weights_path()}"
    except ModelError as error:
        weights = f"[red]{error}[/]"
    for name, description in embedded.EMBEDDED_MODELS.items():
        default = " (default)" if f"{embedded.PROVIDER}/{name}" == embedded.DEFAULT_MODEL else ""
        table.add_row(f"{embedded.PROVIDER}/{name}{default}", "embedded, offline", f"{description}; {weights}")
    for name, settings in configured_models().items():
        key = "no key needed"
        if settings.api_key_env:
            key = f"key from ${settings.api_key_env}: " + ("set" if os.environ.get(settings.api_key_env) else "[red]missing[/]")
        table.add_row(name, "configured", f"api_base {settings.api_base or 'provider default'}; {key}")
    console = Console(highlight=False)
    console.print(table)
    console.print(f"Any litellm model name also works (keys from the environment). Config file: {config_path()}")
    return 0
