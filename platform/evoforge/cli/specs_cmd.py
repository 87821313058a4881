"""`evoforge specs check PATH...`: load spec files, prove every fallback, report per contract."""
from __future__ import annotations

import argparse

from rich.console import Console

from evoforge.contracts.loader import load_specs
from evoforge.contracts.proof import DEFAULT_TIMEOUT_MS


def register(subparsers: argparse._SubParsersAction) -> None:
    specs = subparsers.add_parser("specs", help="work with contract spec files")
    actions = specs.add_subparsers(dest="specs_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check spec files or folders and prove every fallback")
    check.add_argument("paths", nargs="+", metavar="PATH", help="spec files (.toml) or folders of them")
    check.add_argument("--timeout-ms", type=int, default=DEFAULT_TIMEOUT_MS, help="solver time limit per contract")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    console = Console(highlight=False, soft_wrap=True)
    specs = load_specs(args.paths, timeout_ms=args.timeout_ms)
    for problem in specs.problems:
        console.print(f"[red]error[/]    {problem}")
    for contract in specs.contracts.values():
        proof = contract.proof
        assert proof is not None
        if proof.proven:
            console.print(f"[green]proven[/]   {contract.file}:{contract.line}: {contract.name} ({proof.seconds * 1000:.1f} ms)")
        else:
            console.print(f"[red]rejected[/] {contract.where}: {proof.reason}")
    proven = sum(1 for c in specs.contracts.values() if c.proof and c.proof.proven)
    total = len(specs.contracts) + len(specs.problems)
    console.print(f"{proven} of {total} contract(s) proven")
    return 0 if specs.all_proven and total else 1
