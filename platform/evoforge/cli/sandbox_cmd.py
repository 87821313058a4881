"""`evoforge sandbox check|build-image`: which sandbox backend runs here and what it isolates."""
from __future__ import annotations

import argparse

from rich.console import Console


def register(subparsers: argparse._SubParsersAction) -> None:
    sandbox = subparsers.add_parser("sandbox", help="inspect or prepare the sandbox")
    actions = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="run a trivial job in a backend and say what it isolates")
    check.add_argument("--sandbox", choices=["docker", "local"], default=None, help="backend (default: docker when an engine answers)")
    check.set_defaults(handler=run_check)
    build = actions.add_parser("build-image", help="build the docker sandbox image offline")
    build.set_defaults(handler=run_build)


def run_check(args: argparse.Namespace) -> int:
    from evoforge.sandbox import Job, Limits, get_sandbox

    console = Console(highlight=False)
    sandbox = get_sandbox(args.sandbox)
    result = sandbox.run(Job({"probe.py": "def main():\n    return 'ok'\n"}, "probe", "main", [[]]), Limits(wall_s=30), lambda m, p: {})
    state = "[green]works[/]" if result.ok and result.outcomes[0].value == "ok" else f"[red]failed[/]: {result.killed_reason or result.stderr_tail[-300:]}"
    console.print(f"sandbox backend [bold]{sandbox.name}[/]: {state} ({result.seconds:.2f} s for a trivial job)")
    for line in sandbox.describe():
        console.print(f"  - {line}")
    return 0 if result.ok else 1


def run_build(args: argparse.Namespace) -> int:
    from evoforge.sandbox.docker_backend import docker_client
    from evoforge.sandbox.image import IMAGE, build_image

    image_id = build_image(docker_client())
    print(f"built {IMAGE} ({image_id[:19]})")
    return 0
