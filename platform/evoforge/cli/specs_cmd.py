"""`evoforge specs check PATH...`: load spec files, prove every fallback, report per contract."""
from __future__ import annotations

import argparse

from evoforge.cli.text import paint
from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS


def register(subparsers: argparse._SubParsersAction) -> None:
    specs = subparsers.add_parser("specs", help="work with contract spec files")
    actions = specs.add_subparsers(dest="specs_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check spec files or folders and prove every fallback")
    check.add_argument("paths", nargs="+", metavar="PATH", help="spec files (.toml) or folders of them")
    check.add_argument("--timeout-ms", type=int, default=DEFAULT_TIMEOUT_MS, help="solver time limit per contract")
    check.add_argument("--no-cache", action="store_true", help="prove every file again, even one checked before unchanged")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    from evoforge.contracts.spec_check import check_specs
    from evoforge.contracts.proof_cache import ProofCache

    report = check_specs(args.paths, timeout_ms=args.timeout_ms, cache=None if args.no_cache else ProofCache())
    if report.prover_seconds is not None:  # part of proving, told apart from the proofs themselves
        print(f"prover   loading z3 ({report.prover_seconds * 1000:.1f} ms)")
    for problem in report.problems:
        print(f"{paint('error', 'red')}    {problem}")
    for contract in report.contracts.values():
        proof = contract.proof
        if proof.proven:
            took = "cached" if contract.cached else f"{proof.seconds * 1000:.1f} ms"
            print(f"{paint('proven', 'green')}   {contract.file}:{contract.line}: {contract.name} ({took})")
        else:
            print(f"{paint('rejected', 'red')} {contract.file}:{contract.line}: contract '{contract.name}': {proof.reason}")
    proven = sum(1 for c in report.contracts.values() if c.proof.proven)
    total = len(report.contracts) + len(report.problems)
    print(f"{proven} of {total} contract(s) proven")
    return 0 if report.all_proven and total else 1
