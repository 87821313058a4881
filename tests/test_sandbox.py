"""Hostile variants on both sandbox backends (real engine, real processes): each is contained
and reported, and the orchestrator (this test process) stays healthy."""
from __future__ import annotations

import json
import os
import socket
import textwrap
import threading

import pytest
from support import service_unavailable

from evoforge.sandbox import Job, Limits, SandboxError, WarmPool, get_sandbox

FAST = Limits(wall_s=8, cpu_s=8, memory_mb=256, processes=32, output_bytes=100_000)


@pytest.fixture(scope="module", params=["local", "docker"])
def sandbox(request):
    try:
        return get_sandbox(request.param)
    except SandboxError as error:
        service_unavailable(str(error))


def echo_handler(method, params):
    if method == "generate" and params["contract"] == "double":
        return {"output": params["inputs"]["x"] * 2}
    return {"error": f"unknown contract {params.get('contract')!r}"}


def run(sandbox, body, calls=([],), limits=FAST, handler=echo_handler):
    source = textwrap.dedent(body)
    return sandbox.run(Job({"agent.py": source}, "agent", "main", [list(c) for c in calls]), limits, handler)


def assert_healthy(sandbox):
    result = run(sandbox, """
        from evoforge_channel import generate
        def main(x):
            return generate("double", x=x) + 1
    """, calls=([20],))
    assert result.ok and result.outcomes[0].value == 41


def test_normal_task_and_channel_round_trip(sandbox):
    result = run(sandbox, """
        from evoforge_channel import generate
        def main(x):
            if x < 0:
                raise ValueError("negative")
            return {"double": generate("double", x=x)}
    """, calls=([3], [-1], [5]))
    assert result.ok
    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert result.outcomes[0].value == {"double": 6} and "negative" in result.outcomes[1].error


def test_network_is_unreachable(sandbox):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    result = run(sandbox, f"""
        import socket
        def main():
            for host in ("127.0.0.1", "10.0.2.2", "8.8.8.8"):
                try:
                    socket.create_connection((host, {port}), timeout=2).close()
                    return "connected to " + host
                except OSError as error:
                    pass
            return "no network"
    """)
    assert result.outcomes[0].value == "no network"
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_writes_outside_the_workspace_fail(sandbox, tmp_path):
    target = tmp_path / "host-file.txt"
    target.write_text("original")
    result = run(sandbox, f"""
        def main():
            written = []
            for path in ({str(target)!r}, "/usr/evil", "/etc/evil", "/evil", "/opt/evoforge/evoforge_channel.py"):
                try:
                    with open(path, "w") as handle:
                        handle.write("owned")
                    written.append(path)
                except OSError:
                    pass
            with open("inside.txt", "w") as handle:
                handle.write("fine")
            return written
    """)
    assert result.outcomes[0].ok and result.outcomes[0].value == []
    assert target.read_text() == "original"


def test_host_secrets_are_invisible(sandbox, tmp_path, monkeypatch):
    planted = "sk-planted-" + os.urandom(6).hex()
    monkeypatch.setenv("OPENAI_API_KEY", planted)
    secret_file = tmp_path / "secret.env"
    secret_file.write_text(f"OPENAI_API_KEY={planted}\n")
    result = run(sandbox, f"""
        import os
        def main():
            found = [dict(os.environ)]
            for path in ({str(secret_file)!r}, "/proc/1/environ", "/root/.config/evoforge/models.toml"):
                try:
                    found.append(open(path, errors="replace").read())
                except OSError:
                    pass
            return found
    """)
    assert result.outcomes[0].ok
    assert planted not in json.dumps(result.outcomes[0].value) + result.stdout_tail + result.stderr_tail


def test_fork_bomb_is_contained(sandbox):
    result = run(sandbox, """
        import os
        def main():
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
    """)
    assert not result.ok and not result.outcomes
    assert_healthy(sandbox)


def test_memory_bomb_is_contained(sandbox):
    result = run(sandbox, """
        def main():
            hoard = []
            while True:
                hoard.append(bytearray(50 * 1024 * 1024))
    """)
    assert not result.outcome(0).ok
    assert_healthy(sandbox)


def test_infinite_loop_is_killed_at_the_deadline(sandbox):
    result = run(sandbox, """
        def main():
            while True:
                pass
    """, limits=Limits(wall_s=2, cpu_s=30, memory_mb=256, processes=32))
    assert result.killed_reason and "timed out after 2 s" in result.killed_reason
    assert "timed out" in result.outcome(0).error


def test_output_flood_is_killed(sandbox):
    result = run(sandbox, """
        import sys
        def main():
            while True:
                sys.stderr.write("x" * 65536)
    """)
    assert result.killed_reason and "output flood" in result.killed_reason


def test_unknown_contract_and_malformed_messages_get_error_replies(sandbox):
    result = run(sandbox, """
        import evoforge_channel
        from evoforge_channel import ChannelError, generate
        def main():
            seen = []
            try:
                generate("no_such_contract", x=1)
            except ChannelError as error:
                seen.append(str(error))
            stream = evoforge_channel._stream
            stream.write(b"this is not json\\n")
            stream.flush()
            seen.append(stream.readline().decode())
            stream.write(b'{"type": "request", "method": 5}\\n')
            stream.flush()
            seen.append(stream.readline().decode())
            seen.append(generate("double", x=4))
            return seen
    """)
    seen = result.outcomes[0].value
    assert "unknown contract 'no_such_contract'" in seen[0]
    assert "malformed message" in seen[1] and "needs 'method'" in seen[2]
    assert seen[3] == 8


def test_killing_its_own_parent_hurts_only_itself(sandbox):
    result = run(sandbox, """
        import os, signal
        def main():
            os.kill(os.getppid() or 1, signal.SIGKILL)
            os.kill(0, signal.SIGKILL)
            return "still here"
    """)
    # Its parent is outside its PID namespace: the signals reach the sandbox itself at most
    # (a container's PID 1 even ignores them); the kernel process is untouched.
    assert result.outcome(0).value in (None, "still here")
    assert_healthy(sandbox)


def test_a_broken_agent_module_is_a_failed_run_with_its_error(sandbox):
    result = sandbox.run(Job({"agent.py": "def main(:\n"}, "agent", "main", [[]]), FAST, echo_handler)
    assert not result.ok and "could not be loaded" in result.killed_reason
    assert "SyntaxError" in result.outcome(0).error or "SyntaxError" in result.stderr_tail


def test_warm_pool_runs_many_jobs_each_in_a_fresh_sandbox(sandbox):
    pool = WarmPool(sandbox, FAST, size=2)
    try:
        body = "import os\nSTATE = []\ndef main(x):\n    STATE.append(x)\n    open('mark', 'a').write('x')\n    return [len(STATE), len(open('mark').read())]\n"
        results = [pool.run(Job({"agent.py": body}, "agent", "main", [[i]]), echo_handler) for i in range(4)]
    finally:
        pool.close()
    assert [r.outcomes[0].value for r in results] == [[1, 1]] * 4


def test_orchestrator_threads_survive_parallel_hostile_runs(sandbox):
    results = []
    bodies = ["def main():\n    while True:\n        pass\n", "def main():\n    return 7\n"]

    def work(body):
        results.append(sandbox.run(Job({"agent.py": body}, "agent", "main", [[]]), Limits(wall_s=2), echo_handler))

    threads = [threading.Thread(target=work, args=(b,)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.ok for r in results) == [False, True]
