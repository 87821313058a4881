"""Normal work in the sandbox on every backend: tasks and the channel round trip, the
workspace, results too large for the channel, broken agents, the local
backend's honest account of itself, and `evoforge sandbox`. Hostile variants: test_sandbox_hostile.py."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import ALL, FAST, double_service, job, open_backend, sandbox  # noqa: F401

from evoforge.cli import main as cli
from evoforge.sandbox import Job, Limits
from evoforge.sandbox.local import LocalSandbox, bubblewrap_problem

LIST_WORKSPACE = """
import os
from pkg.util import VALUE

def main():
    found = []
    for folder, subfolders, files in os.walk("."):
        found += [os.path.relpath(os.path.join(folder, name)) for name in files]
    return {"files": sorted(found), "value": VALUE}
"""


def test_normal_tasks_and_channel_round_trip(sandbox):
    result = sandbox.run(job("double", [3], [-1], [5]), FAST, double_service)
    assert result.ok and result.killed_reason is None and result.exit_code == 0
    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert result.outcome(0).value == {"double": 6} and result.outcome(2).value == {"double": 10}
    assert "ValueError: negative" in result.outcome(1).error


def test_workspace_holds_only_the_variants_files(sandbox):
    files = {"agent.py": LIST_WORKSPACE, "pkg/__init__.py": "", "pkg/util.py": "VALUE = 41\n"}
    result = sandbox.run(Job(files, "agent", "main", [[]]), FAST, double_service)
    value = result.outcome(0).value
    assert value["files"] == sorted(files) and value["value"] == 41


def test_a_result_too_large_for_the_channel_fails_only_that_call(sandbox):
    body = "def main(n):\n    return 'y' * n\n"
    limits = Limits(wall_s=8, cpu_s=8, memory_mb=256, processes=32, message_bytes=10_000)
    result = sandbox.run(Job({"agent.py": body}, "agent", "main", [[50_000], [10]]), limits, double_service)
    assert result.ok and not result.outcome(0).ok and "fit in a channel message" in result.outcome(0).error
    assert result.outcome(1).value == "y" * 10


def test_a_broken_agent_module_is_a_failed_run_with_its_error(sandbox):
    result = sandbox.run(Job({"agent.py": "def main(:\n"}, "agent", "main", [[], []]), FAST, double_service)
    assert not result.ok and result.killed_reason == "the agent could not be loaded"
    assert "SyntaxError" in result.outcome(1).error


KILLED_KERNEL = """
import json, os, sys
from hostile import FAST, open_backend
slot = open_backend(sys.argv[1]).start(FAST)
handle = slot.handle
print(json.dumps({"folder": str(slot.root), "container": getattr(handle, "id", None),
                  "cgroup": str(handle[1].path) if isinstance(handle, tuple) and handle[1].path else None}), flush=True)
os.kill(os.getpid(), 9)
"""


@pytest.mark.parametrize("name", ALL)
def test_what_a_killed_kernel_leaves_is_swept_by_the_next_one(name):
    sandbox = open_backend(name)
    tests = Path(__file__).parent
    child = subprocess.run([sys.executable, "-c", KILLED_KERNEL, name], capture_output=True, text=True, cwd=tests,
                           env={"PYTHONPATH": str(tests), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert child.returncode == -9, child.stderr
    left = json.loads(child.stdout)
    assert Path(left["folder"]).exists() and (left["cgroup"] is None or Path(left["cgroup"]).exists())
    type(sandbox)(*([] if name != "local-plain" else [False]))  # a later kernel opens the backend
    assert not Path(left["folder"]).exists() and (left["cgroup"] is None or not Path(left["cgroup"]).exists())
    if left["container"]:
        assert not sandbox.client.containers.list(all=True, filters={"id": left["container"]})


def test_local_backend_without_bubblewrap_says_what_it_does_not_isolate():
    plain = LocalSandbox(use_bubblewrap=False)
    assert any(line.startswith("NOT ISOLATED (bubblewrap turned off): network access") for line in plain.describe())
    # ...and the report is true: the process reaches a host socket
    with socket.create_server(("127.0.0.1", 0)) as listener:
        result = plain.run(job("network", [listener.getsockname()[1]]), FAST, double_service)
    assert result.outcome(0).value == ["127.0.0.1"]


def test_unusable_bubblewrap_is_detected_with_its_reason():
    assert bubblewrap_problem("/bin/false") == "exit code 1"
    assert "No such file" in bubblewrap_problem("/nonexistent/bwrap")


def test_cli_check_reports_backends_and_isolation(capsys):
    assert cli(["sandbox", "check", "--sandbox", "local"]) == 0
    out = capsys.readouterr().out
    assert "chosen backend local: works" in out and "environment emptied" in out
    assert "docker: available" in out or "docker: unavailable" in out


def test_cli_builds_the_image_offline(capsys):
    docker = open_backend("docker")
    assert cli(["sandbox", "build-image"]) == 0
    assert "built evoforge-sandbox:1" in capsys.readouterr().out
    assert docker.run(job("double", [2]), FAST, double_service).outcome(0).value == {"double": 4}
