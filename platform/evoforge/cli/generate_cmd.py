"""`evoforge generate`: one guarded model call from the command line."""
from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from evoforge.cli.text import clip
from evoforge.contracts import Contract, guarded_call, load_specs
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.types import EnumType, StrType, to_plain
from evoforge.errors import EvoforgeError


def register(subparsers: argparse._SubParsersAction) -> None:
    generate = subparsers.add_parser("generate", help="make one guarded model call")
    generate.add_argument("--spec", required=True, help="spec file holding the contract")
    generate.add_argument("--contract", required=True, help="contract name")
    generate.add_argument("--input", action="append", default=[], metavar="NAME=VALUE",
                          help="an input; JSON for numbers, lists and records, plain text for strings")
    generate.add_argument("--model", default=None, help="litellm model name (default: the embedded local/smollm2)")
    generate.add_argument("--json", action="store_true", help="print the output and record as JSON")
    generate.set_defaults(handler=run_generate)


def parse_inputs(contract: Contract, pairs: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise EvoforgeError(f"--input {pair!r} must look like NAME=VALUE")
        expected = contract.inputs.get(name)
        if isinstance(expected, (StrType, EnumType)):
            inputs[name] = text
            continue
        try:
            inputs[name] = json.loads(text)
        except json.JSONDecodeError:
            raise EvoforgeError(f"--input {name}: {text!r} is not valid JSON for type {expected}") from None
    return inputs


def run_generate(args: argparse.Namespace) -> int:
    from evoforge.models import resolve_model  # imports litellm: only when a call is made

    specs = load_specs([args.spec])
    if args.contract not in specs.contracts:
        for problem in specs.problems:
            Console(stderr=True).print(f"[red]error[/] {problem}", highlight=False)
    contract = specs.get(args.contract)
    result = guarded_call(contract, parse_inputs(contract, args.input), resolve_model(args.model))
    if args.json:
        print(json.dumps({"output": to_plain(result.output), "record": result.record.to_dict()}, indent=2))
    else:
        print_result(Console(highlight=False), to_plain(result.output), result.record)
    return 0


def print_result(console: Console, output: Any, record: CallRecord) -> None:
    console.print(f"[bold]output[/] {json.dumps(output)}")
    table = Table("attempt", "answer", "verdict", "tokens", "seconds", title=f"{record.contract} on {record.model}")
    for number, attempt in enumerate(record.attempts, 1):
        verdict = f"[red]{attempt.violation}[/]" if attempt.violation else "[green]accepted[/]"
        table.add_row(str(number), clip(attempt.text, 160), verdict, str(attempt.prompt_tokens + attempt.completion_tokens), f"{attempt.latency_s:.2f}")
    console.print(table)
    source = "[yellow]verified fallback[/]" if record.fallback_used else "[green]model answer[/]"
    console.print(f"returned: {source}; {len(record.attempts)} attempt(s), {len(record.violations)} violation(s), "
                  f"{record.prompt_tokens + record.completion_tokens} tokens, ${record.cost_usd:.4f}, {record.latency_s:.2f} s")
