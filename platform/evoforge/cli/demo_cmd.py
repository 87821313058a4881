"""`evoforge demo`: run every example in the spec files through the guard, offline by default."""
from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from evoforge.cli.text import clip
from evoforge.contracts import guarded_call, load_specs
from evoforge.contracts.types import to_plain


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="run the example calls of the spec files through the guard")
    demo.add_argument("--specs", nargs="+", default=["specs"], metavar="PATH", help="spec files or folders (default: specs)")
    demo.add_argument("--model", default=None, help="litellm model name (default: the embedded local/smollm2)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from evoforge.models import resolve_model  # imports litellm: only when a call is made

    console = Console(highlight=False)
    specs = load_specs(args.specs)
    for problem in specs.problems:
        console.print(f"[red]skipped[/] {problem}")
    model = resolve_model(args.model)
    calls = [(c, example) for c in specs.contracts.values() if c.proof and c.proof.proven for example in c.examples]
    table = Table("contract", "inputs", "output", "attempts", "returned", title=f"guarded calls on {model.name}")
    fallbacks = violations = 0
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("guarded calls", total=len(calls))
        for contract, example in calls:
            result = guarded_call(contract, example, model)
            record = result.record
            fallbacks += record.fallback_used
            violations += len(record.violations)
            table.add_row(
                contract.name, clip(json.dumps(to_plain(example)), 60), clip(json.dumps(to_plain(result.output)), 60),
                str(len(record.attempts)), "[yellow]fallback[/]" if record.fallback_used else "[green]model[/]",
            )
            progress.advance(task)
    console.print(table)
    console.print(f"{len(calls)} guarded call(s): {len(calls) - fallbacks} answered by the model, {fallbacks} by the verified "
                  f"fallback; {violations} contract violation(s) caught and retried. Every output satisfies its contract.")
    return 0

