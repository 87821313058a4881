"""`evoforge domains`: the registered task domains, one per line, name first."""
from __future__ import annotations

import argparse

from evoforge.domains import list_domains


def register(subparsers: argparse._SubParsersAction) -> None:
    domains = subparsers.add_parser("domains", help="list the registered task domains")
    domains.set_defaults(handler=run_domains)


def run_domains(args: argparse.Namespace) -> int:
    for name, description in list_domains():
        print(f"{name}\t{description}")
    return 0
