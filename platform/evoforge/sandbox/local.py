"""The local backend: a separate process with resource limits, inside bubblewrap namespaces
when `bwrap` is installed (no network, no host files but the Python runtime, its own PID
namespace), and in a cgroup that caps its processes when the cgroup `pids` controller is
writable. `describe()` says plainly what is and is not isolated on this machine."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from evoforge.sandbox.base import ChannelHandler, Job, Limits, RunResult
from evoforge.sandbox.cgroups import PidsCgroup
from evoforge.sandbox.slot import INSIDE, Slot, SlotSandbox, pump

PYTHON_PREFIX = Path(sys.base_prefix)
PYTHON = PYTHON_PREFIX / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
SYSTEM_DIRS = ["/usr", "/lib", "/lib64", "/bin"]


class LocalSandbox(SlotSandbox):
    name = "local"

    def __init__(self) -> None:
        self.bwrap = shutil.which("bwrap")

    def describe(self) -> list[str]:
        lines = ["separate process with limits on memory (RLIMIT_AS), CPU time, file size and open files; killed at the wall-clock limit",
                 "environment emptied: no API keys or database URLs reach the process"]
        if self.bwrap:
            lines += ["bubblewrap: no network (own network namespace), own PID namespace (cannot see or signal the kernel), "
                      "read-only system folders and Python runtime, writable workspace only, no other host files"]
        else:
            lines += ["NOT ISOLATED (bubblewrap missing; apt-get install bubblewrap): network access, reading host files, "
                      "writing anywhere the user may, signalling other processes of the same user"]
        if PidsCgroup.available():
            lines += ["process count capped by the cgroup pids controller"]
        else:
            lines += ["NOT LIMITED: process count (no writable cgroup pids controller); a fork bomb runs until the wall-clock kill"]
        return lines

    def start(self, limits: Limits) -> Slot:
        """Start a sandbox that waits for its job (used directly by the warm pool)."""
        slot = Slot(limits)
        cgroup = PidsCgroup(limits.processes)

        def prepare_child() -> None:
            os.setsid()
            cgroup.enter()
            memory = limits.memory_mb * 1024 * 1024
            for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, limits.cpu_s),
                                 (resource.RLIMIT_FSIZE, limits.file_mb * 1024 * 1024), (resource.RLIMIT_NOFILE, 256),
                                 (resource.RLIMIT_CORE, 0)):
                resource.setrlimit(limit, (value, value))

        process = subprocess.Popen(
            self._command(slot), cwd=slot.workspace, env=self._environment(slot), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=prepare_child, close_fds=True,
        )
        pump(process.stdout, slot.stdout)
        pump(process.stderr, slot.stderr)
        slot.handle = (process, cgroup)
        return slot

    def finish(self, slot: Slot, job: Job, handler: ChannelHandler) -> RunResult:
        process, cgroup = slot.handle  # type: ignore[misc]
        try:
            return slot.supervise(job, handler, process.poll, lambda: self._kill(process.pid, cgroup))
        finally:
            self.stop(slot)

    def stop(self, slot: Slot) -> None:
        """Kill whatever is left of the sandbox's processes."""
        process, cgroup = slot.handle  # type: ignore[misc]
        self._kill(process.pid, cgroup)
        cgroup.remove()
        process.wait(timeout=10)

    @staticmethod
    def _kill(pid: int, cgroup: PidsCgroup) -> None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        cgroup.kill_all()

    def _command(self, slot: Slot) -> list[str]:
        harness = [str(PYTHON), "-I", "-X", "utf8"]
        if not self.bwrap:
            return [*harness, str(INSIDE / "evoforge_harness.py")]
        mounts = []
        for folder in SYSTEM_DIRS:
            mounts += ["--ro-bind-try", folder, folder]
        return [
            self.bwrap, "--unshare-all", "--die-with-parent", "--new-session",
            *mounts, "--ro-bind", str(PYTHON_PREFIX), str(PYTHON_PREFIX), "--ro-bind", str(INSIDE), "/opt/evoforge",
            "--bind", str(slot.workspace), "/work", "--bind", str(slot.channel_dir), "/channel",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", "/work",
            "--uid", "65534", "--gid", "65534", "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work",
            "--setenv", "EVOFORGE_CHANNEL", "/channel/channel.sock",
            *harness, "/opt/evoforge/evoforge_harness.py",
        ]

    def _environment(self, slot: Slot) -> dict[str, str]:
        if self.bwrap:
            return {"PATH": "/usr/bin:/bin"}
        return {"PATH": "/usr/bin:/bin", "HOME": str(slot.workspace), "EVOFORGE_CHANNEL": str(slot.channel_dir / "channel.sock")}
