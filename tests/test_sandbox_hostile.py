"""Hostile variants on every backend (real engine, real processes): each is contained and
reported, and afterwards the orchestrator (this test process) still runs a normal task.

`isolating` runs on docker and local-with-bubblewrap; `sandbox` adds local-plain (no
bubblewrap), which promises only limits, so it meets only the hostile programs limits contain.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import time
from dataclasses import replace

import pytest
from hostile import FAST, assert_healthy, double_service, host_processes_running, isolating, job, sandbox  # noqa: F401

from evoforge.sandbox import Limits, RunResult, Sandbox


@pytest.fixture(autouse=True)
def orchestrator_stays_healthy(request: pytest.FixtureRequest):
    yield
    used = request.node.funcargs.get("sandbox") or request.node.funcargs.get("isolating")
    if used is not None:
        assert_healthy(used)


def claims(sandbox: Sandbox, words: str) -> bool:
    return any(words in line for line in sandbox.describe())


def test_network_is_unreachable(isolating):
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    with listener:
        result = isolating.run(job("network", [listener.getsockname()[1]]), FAST, double_service)
        assert result.outcome(0).ok and result.outcome(0).value == []
        with pytest.raises(socket.timeout):
            listener.accept()


def test_writes_outside_the_workspace_fail(isolating, tmp_path):
    target = tmp_path / "host-file.txt"
    target.write_text("original")
    result = isolating.run(job("write_outside", [str(target)]), FAST, double_service)
    assert result.outcome(0).ok and result.outcome(0).value == []
    assert target.read_text() == "original"


def test_host_environment_is_invisible(sandbox, monkeypatch):
    planted = "sk-planted-" + secrets.token_hex(8)
    monkeypatch.setenv("OPENAI_API_KEY", planted)
    result = sandbox.run(job("read_env"), FAST, double_service)
    assert result.outcome(0).ok
    assert "OPENAI_API_KEY" not in result.outcome(0).value["environ"]
    assert planted not in json.dumps(result.outcome(0).value) + result.stdout_tail + result.stderr_tail


def test_host_files_are_invisible(isolating, tmp_path, monkeypatch):
    planted = "sk-planted-" + secrets.token_hex(8)
    monkeypatch.setenv("OPENAI_API_KEY", planted)
    secret = tmp_path / "secret.env"
    secret.write_text(f"OPENAI_API_KEY={planted}\n")
    paths = [str(secret), f"/proc/{os.getpid()}/environ", "/proc/1/environ", "/etc/shadow"]
    result = isolating.run(job("read_host_files", [paths, str(tmp_path)]), FAST, double_service)
    assert result.outcome(0).ok
    seen = result.outcome(0).value
    assert planted not in json.dumps(seen) and "listing" not in seen and str(secret) not in seen


def test_fork_bomb_is_contained(sandbox):
    if not claims(sandbox, "process count capped"):
        assert claims(sandbox, "NOT LIMITED: process count")  # said plainly; not run on this machine
        return
    result = sandbox.run(job("fork_bomb"), Limits(wall_s=3, cpu_s=8, memory_mb=256, processes=32), double_service)
    assert not result.ok and not result.outcomes and "timed out" in result.killed_reason


@pytest.mark.parametrize("program", ["fork_count", "thread_count"])  # a thread counts as a process
def test_process_count_is_capped(sandbox, program):
    if not claims(sandbox, "process count capped"):
        assert claims(sandbox, "NOT LIMITED: process count")
        return
    result = sandbox.run(job(program, [500]), FAST, double_service)
    assert result.outcome(0).ok and 0 < result.outcome(0).value < FAST.processes


def test_memory_bomb_is_contained(sandbox):
    result = sandbox.run(job("memory_bomb"), FAST, double_service)
    outcome = result.outcome(0)
    assert not outcome.ok
    # docker's cgroup kills the container; RLIMIT_AS makes the allocation fail instead
    assert "out of memory" in (result.killed_reason or "") or "MemoryError" in outcome.error


def test_infinite_loop_is_killed_at_the_deadline(sandbox):
    result = sandbox.run(job("busy_loop"), Limits(wall_s=2, cpu_s=30, memory_mb=256, processes=32), double_service)
    assert result.killed_reason == "killed: timed out after 2 s"
    assert "timed out" in result.outcome(0).error


def test_cpu_time_limit_kills_a_busy_loop(sandbox):
    result = sandbox.run(job("busy_loop"), Limits(wall_s=120, cpu_s=1, memory_mb=256, processes=32), double_service)
    assert not result.outcome(0).ok
    assert result.killed_reason.startswith("killed by SIGKILL") or result.killed_reason.startswith("killed by SIGXCPU")


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_flood_is_killed(sandbox, stream):
    result = sandbox.run(job("output_flood", [stream]), FAST, double_service)
    assert result.killed_reason == f"killed: output flood (more than {FAST.output_bytes} bytes)"
    assert len(result.stdout_tail) + len(result.stderr_tail) <= 16_000  # only the tails are kept


def test_channel_abuse_gets_error_replies(sandbox):
    result = sandbox.run(job("channel_abuse"), FAST, double_service)
    assert result.ok, result.stderr_tail
    seen = result.outcome(0).value
    assert seen["unknown contract"] == "unknown contract 'no_such_contract'"
    assert seen["unknown method"] == "unknown method 'no_such_method'; the channel offers: generate, tool, predicate, score"
    assert seen["score without a task"].startswith("score needs {'task_id'")
    assert seen["score from a task agent"] == "scoring is offered to a meta agent's run only"
    assert "malformed message" in seen["not json"]["error"] and "malformed message" in seen["not an object"]["error"]
    assert "needs 'method'" in seen["bad request"]["error"] and "unknown message type 'shutdown'" in seen["unknown type"]["error"]
    assert all("is not a call of this job" in reply["error"] for reply in seen["outcome flood"])
    assert seen["still works"] == 8


@pytest.mark.parametrize("kind", ["is_json", "junk"])
def test_a_flood_of_channel_messages_is_stopped_at_the_jobs_request_bound(sandbox, kind):
    result = sandbox.run(job("request_flood", [kind, 60]), replace(FAST, requests=300), double_service)
    assert result.killed_reason == "killed: more than 300 channel requests (Limits.requests)"
    assert not result.outcome(0).ok and result.seconds < FAST.wall_s  # stopped at the bound, not at the deadline


def test_heavy_channel_requests_are_stopped_at_the_jobs_kernel_time(sandbox):
    # parses_python on 150,000 characters costs the kernel a good part of a CPU second each time.
    result = sandbox.run(job("request_flood", ["parses_python", 150_000]), replace(FAST, wall_s=30, kernel_s=1), double_service)
    assert result.killed_reason == "killed: more than 1 s of kernel CPU answering its requests (Limits.kernel_s)"
    assert not result.outcome(0).ok and result.seconds < 30


def test_oversized_channel_message_is_refused(sandbox):
    limits = Limits(wall_s=8, cpu_s=8, memory_mb=256, processes=32, message_bytes=10_000)
    result = sandbox.run(job("oversized_message", [50_000]), limits, double_service)
    assert result.ok and result.outcome(0).value == "message longer than 10000 bytes; refused"


def test_killing_its_own_parent_hurts_only_itself(isolating):
    result = isolating.run(job("kill_parent", [os.getpid()]), FAST, double_service)
    # Its parent and the kernel are outside its PID namespace: the signals reach the sandbox
    # itself at most (a container's PID 1 even ignores them). This process is still here.
    assert result.outcome(0).ok or result.killed_reason.startswith("killed by SIGKILL")


def test_a_daemon_cannot_outlive_its_sandbox(sandbox):
    if claims(sandbox, "NOT CONTAINED: a process that leaves its session"):
        return  # said plainly; leaving a daemon on this machine would prove nothing more
    marker = f"86{secrets.randbelow(1000):03d}.{secrets.randbelow(10**6):06d}"  # a day-long `sleep`
    result = sandbox.run(job("survivor", [marker]), FAST, double_service)
    assert result.outcome(0).value == "left a daemon"
    survivors = wait_until_gone(marker)
    for pid in survivors:  # never leave one behind, even when the test fails
        os.kill(pid, 9)
    assert survivors == []


def wait_until_gone(marker: str, patience_s: float = 15) -> list[int]:
    """Processes die a moment after their sandbox (a container's PID 1 exiting takes its
    namespace down asynchronously); wait for that, boundedly."""
    give_up = time.monotonic() + patience_s
    while (found := host_processes_running(marker)) and time.monotonic() < give_up:
        time.sleep(0.1)
    return found


def test_parallel_hostile_and_normal_runs(isolating):
    results: dict[str, RunResult] = {}
    limits = Limits(wall_s=3, cpu_s=8, memory_mb=256, processes=32)

    def work(name: str, program: str, calls: list) -> None:
        results[name] = isolating.run(job(program, *calls), limits, double_service)

    threads = [threading.Thread(target=work, args=args) for args in
               [("loop", "busy_loop", []), ("bomb", "fork_bomb", []), ("normal", "double", [[5]])]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not results["loop"].ok and not results["bomb"].ok
    assert results["normal"].ok and results["normal"].outcome(0).value == {"double": 10}


FILLING = Limits(wall_s=20, cpu_s=10, memory_mb=256, processes=32, file_mb=8, workspace_mb=24)


def largest_written(result: RunResult) -> int:
    """The most bytes fill_folder said it had written (it says so after each MiB)."""
    return max((int(line.split()[1]) for line in result.stderr_tail.splitlines() if line.startswith("written ")), default=0)


def test_workspace_total_size_is_capped(sandbox):
    # 40 files of 8 MiB, each under the file limit, 320 MiB in all against a 24 MiB workspace
    result = sandbox.run(job("fill_folder", [None, 8, 40]), FILLING, double_service)
    assert not result.ok and not result.outcome(0).ok
    assert "workspace over 24 MiB" in result.killed_reason
    if claims(sandbox, "workspace total capped"):  # a size-capped file system: not one byte more
        assert largest_written(result) <= 24 << 20


@pytest.mark.parametrize("folder", ["/tmp", "/dev/shm", "/dev"])
def test_scratch_folders_are_capped_too(isolating, folder):
    result = isolating.run(job("fill_folder", [folder, 8, 40]), FILLING, double_service)
    assert not result.outcome(0).ok
    assert largest_written(result) <= 64 << 20


def test_open_files_are_capped(sandbox):
    result = sandbox.run(job("open_files", [5000]), FAST, double_service)
    assert result.outcome(0).ok and result.outcome(0).value < 256

