"""`evoforge domains [list [PATH...]]` and `evoforge domains check PATH...`."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    domains = subparsers.add_parser("domains", help="list task domains, or check a domain folder")
    domains.set_defaults(handler=run_list, paths=[])
    actions = domains.add_subparsers(dest="domains_command", metavar="ACTION")
    listing = actions.add_parser("list", help="built-in and installed domains, and the folders given (the default action)")
    listing.add_argument("paths", nargs="*", metavar="PATH", help="domain folders (holding domain.toml) to list too")
    listing.set_defaults(handler=run_list)
    check = actions.add_parser("check", help="validate domain folders: every problem on one line, with its fix")
    check.add_argument("paths", nargs="+", metavar="PATH", help="domain folders (holding domain.toml)")
    check.add_argument("--sandbox", choices=["docker", "local"], default=None,
                       help="for the seed agent's trial and evaluators that run code (default: docker when an engine answers)")
    check.set_defaults(handler=run_check)


def run_list(args: argparse.Namespace) -> int:
    from evoforge.domains import domain_entries

    entries = domain_entries(args.paths)
    width = max(len(e.name) for e in entries)
    source_width = max(len(e.source) for e in entries)
    for entry in entries:
        print(f"{entry.name:<{width}}  {entry.source:<{source_width}}  {entry.description}  [{entry.where}]")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from evoforge.domains.checks import check_folder
    from evoforge.evolution.trial import try_seed_agent
    from evoforge.sandbox import get_sandbox

    sandbox = get_sandbox(args.sandbox)  # for evaluators that run code, and for the seed agent's trial
    failed = 0
    for path in args.paths:
        report = check_folder(path, sandbox=sandbox)
        trial = try_seed_agent(path, sandbox) if report.ok else None  # only a folder a run would accept
        if trial is not None:
            report.problems += trial.problems
        for problem in report.problems:
            print(f"error  {problem}")
        if report.ok and trial is not None:
            manifest = report.manifest
            tasks = ", ".join(f"{count} {split}" for split, count in report.tasks.items())
            print(f"ok     {path}: domain '{manifest.name}', {tasks} tasks, evaluator {manifest.evaluator['kind']}, "
                  f"contracts proven: {', '.join(report.contracts)}{f' (answer: {manifest.answer})' if manifest.answer else ''}; "
                  f"{trial.described} answered {len(trial.tasks)} task(s), one per split (null model, {sandbox.name} sandbox); "
                  f"run it with `evoforge run --domain {as_path(path)}`")
        else:
            failed += 1
            print(f"{len(report.problems)} problem(s) in {path}")
    return 1 if failed else 0


def as_path(path: str) -> str:
    """`path` written so that `--domain` reads it as a folder, never as a domain name."""
    return path if path.startswith(("/", ".")) else f"./{path}"
