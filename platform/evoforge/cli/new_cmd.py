"""`evoforge new domain NAME`: scaffold a domain folder with a small working example."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    new = subparsers.add_parser("new", help="create a new domain folder from a working example")
    kinds = new.add_subparsers(dest="new_kind", metavar="KIND", required=True)
    domain = kinds.add_parser("domain", help="a domain folder: domain.toml, data, a contract, a seed agent")
    domain.add_argument("name", help="the domain's name, also the folder's (letters, digits, - and _)")
    domain.add_argument("--parent", default=".", help="where to create the folder (default: here)")
    domain.set_defaults(handler=run_new_domain)


def run_new_domain(args: argparse.Namespace) -> int:
    from evoforge.cli.domains_cmd import as_path
    from evoforge.domains.scaffold import new_domain

    folder = new_domain(args.name, args.parent)
    print(f"created {folder}/ (domain.toml, data.jsonl, specs/sentiment.toml, agent/): a review-sentiment example to edit")
    print(f"next: `evoforge domains check {folder}` then `evoforge run --domain {as_path(str(folder))} --generations 1`")
    return 0
