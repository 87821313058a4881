"""`evoforge sandbox check|build-image`: which sandbox backends run here, what they isolate,
and building the docker backend's image offline."""
from __future__ import annotations

import argparse

from rich.console import Console

from evoforge.sandbox import BACKENDS, Job, Limits, SandboxError, get_sandbox
from evoforge.sandbox.local import LocalSandbox

PROBE = Job({"probe.py": "def main():\n    return 'ok'\n"}, "probe", "main", [[]])


def register(subparsers: argparse._SubParsersAction) -> None:
    sandbox = subparsers.add_parser("sandbox", help="inspect or prepare the sandbox")
    actions = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="say which backends are available, run a trivial job, say what it isolates")
    check.add_argument("--sandbox", choices=BACKENDS, default=None, help="backend (default: docker when an engine answers)")
    check.set_defaults(handler=run_check)
    build = actions.add_parser("build-image", help="build the docker sandbox image offline")
    build.set_defaults(handler=run_build)


def run_check(args: argparse.Namespace) -> int:
    console = Console(highlight=False)
    try:
        get_sandbox("docker")
        console.print("docker: [green]available[/]")
    except SandboxError as error:
        console.print(f"docker: [yellow]unavailable[/]: {error}")
    local = LocalSandbox()
    console.print("local: [green]available[/], " + ("inside bubblewrap" if local.bwrap else f"[yellow]without bubblewrap[/]: {local.without_bwrap}"))
    sandbox = get_sandbox(args.sandbox)
    result = sandbox.run(PROBE, Limits(wall_s=30), lambda method, params: {"error": "the probe has no channel"})
    works = result.ok and result.outcome(0).value == "ok"
    state = "[green]works[/]" if works else f"[red]failed[/]: {result.killed_reason or result.stderr_tail[-300:]}"
    console.print(f"chosen backend [bold]{sandbox.name}[/]: {state} ({result.seconds:.2f} s for a trivial job)")
    for line in sandbox.describe():
        console.print(f"  - {line}")
    return 0 if works else 1


def run_build(args: argparse.Namespace) -> int:
    from evoforge.sandbox.docker_backend import docker_client
    from evoforge.sandbox.image import IMAGE, build_image

    image_id = build_image(docker_client())
    print(f"built {IMAGE} ({image_id[:19]})")
    return 0
