"""The local backend: a separate process with resource limits, inside bubblewrap namespaces
when `bwrap` is installed and works here (no network, no host files but the system folders and
Python runtime, its own PID namespace), and in a cgroup that caps its processes when the cgroup
`pids` controller is writable. `describe()` says plainly what is and is not isolated here."""
from __future__ import annotations

import functools
import os
import resource
import shutil
import signal
import subprocess
import threading

from evoforge.sandbox.base import Job, Limits, RunResult
from evoforge.sandbox.cgroups import PidsCgroup
from evoforge.sandbox.channel import CHANNEL_MOUNT, SOCKET_INSIDE, SOCKET_NAME
from evoforge.sandbox.orphans import sweep_folders
from evoforge.sandbox.quota import OPEN_FILES, SCRATCH_MB, FolderWatch
from evoforge.sandbox.runtime import INSIDE, INSIDE_MOUNT, PYTHON_PREFIX, SYSTEM_DIRS, WORKSPACE_MOUNT, harness_command
from evoforge.sandbox.service import KernelService
from evoforge.sandbox.slot import Slot, SlotSandbox, from_wrapper, pump


@functools.cache
def bubblewrap_problem(bwrap: str) -> str | None:
    """Why bubblewrap cannot sandbox here (user namespaces disabled, seccomp...), or None."""
    try:
        probe = subprocess.run([bwrap, "--unshare-all", "--ro-bind", "/", "/", "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if probe.returncode == 0:
        return None
    return probe.stderr.decode(errors="replace").strip()[:200] or f"exit code {probe.returncode}"


def processes_of(uid: int) -> int:
    """How many processes `uid` owns now (RLIMIT_NPROC counts them all, not only the sandbox's)."""
    count = 0
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += 1
        except OSError:  # exited while we looked
            pass
    return count


class LocalSandbox(SlotSandbox):
    name = "local"

    def __init__(self, use_bubblewrap: bool = True) -> None:
        sweep_folders()
        PidsCgroup.sweep()
        found = shutil.which("bwrap") if use_bubblewrap else None
        problem = bubblewrap_problem(found) if found else None
        self.bwrap = None if problem else found
        if not use_bubblewrap:
            self.without_bwrap = "bubblewrap turned off"
        elif not found:
            self.without_bwrap = "bubblewrap is not installed: apt-get install bubblewrap"
        else:
            self.without_bwrap = f"bubblewrap cannot create its namespaces here ({problem})"

    def describe(self) -> list[str]:
        lines = ["separate process in its own session with limits on memory (RLIMIT_AS), CPU time, file size and open files; "
                 "killed at the wall-clock limit",
                 "environment emptied: no API keys or database URLs reach the process"]
        if self.bwrap:
            lines += ["bubblewrap: no network (own network namespace), own PID namespace (cannot see or signal the kernel), "
                      "read-only system folders and Python runtime, writable workspace only, no other host files",
                      f"workspace total capped: /work is a tmpfs of Limits.workspace_mb, /tmp and /dev/shm tmpfs of {SCRATCH_MB} MiB, "
                      "/dev read-only; nothing the code writes reaches the host's disk"]
        else:
            lines += [f"NOT ISOLATED ({self.without_bwrap}): network access, reading host files and other processes' "
                      "environments, writing anywhere the kernel's user may, signalling the kernel's processes",
                      "workspace total checked, not capped: the folder is measured every 0.25 s and at the end, and over "
                      "Limits.workspace_mb the sandbox is killed; between measurements it can write more (at disk speed), "
                      "and files written outside the workspace are NOT LIMITED in total"]
        if PidsCgroup.available():
            lines += ["process count capped by the cgroup pids controller, which also kills every process at the end"]
        elif os.getuid() != 0:
            lines += [f"process count capped by RLIMIT_NPROC (counted over all processes of uid {os.getuid()})"]
        else:
            lines += ["NOT LIMITED: process count (root without a writable cgroup pids controller; RLIMIT_NPROC does not bind root): "
                      "a fork bomb runs until the wall-clock kill"]
        if not self.bwrap and not PidsCgroup.available():
            lines += ["NOT CONTAINED: a process that leaves its session can outlive the sandbox"]
        return lines

    def start(self, limits: Limits) -> Slot:
        """Start a sandbox that waits for its job (used directly by the warm pool)."""
        slot = Slot(limits)
        cgroup = PidsCgroup.create(limits.processes)
        rlimits = [(resource.RLIMIT_AS, limits.memory_mb << 20), (resource.RLIMIT_CPU, limits.cpu_s),
                   (resource.RLIMIT_FSIZE, limits.file_mb << 20), (resource.RLIMIT_NOFILE, OPEN_FILES), (resource.RLIMIT_CORE, 0)]
        if cgroup.path is None and os.getuid() != 0:  # the fallback process cap (root ignores it)
            rlimits.append((resource.RLIMIT_NPROC, processes_of(os.getuid()) + limits.processes))

        def prepare_child() -> None:
            os.setsid()
            cgroup.enter()
            for limit, value in rlimits:
                resource.setrlimit(limit, (value, value))

        process = subprocess.Popen(
            self._command(slot), cwd=slot.workspace, env=self._environment(slot), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=prepare_child, close_fds=True,
        )
        pump(process.stdout, slot.stdout)
        pump(process.stderr, slot.stderr)
        slot.handle = (process, cgroup)
        return slot

    def finish(self, slot: Slot, job: Job, service: KernelService) -> RunResult:
        process, cgroup = slot.handle  # type: ignore[misc]
        try:
            poll = (lambda: from_wrapper(process.poll())) if self.bwrap else process.poll
            watch = None if self.bwrap else FolderWatch(slot.workspace, slot.limits)  # bubblewrap's /work is capped
            return slot.supervise(job, service, poll, lambda: self._kill(process.pid, cgroup), watch)
        finally:
            # Kill now; reaping and removing the cgroup (which waits for the members to exit)
            # happen off the caller's path.
            self._kill(process.pid, cgroup)
            threading.Thread(target=self.stop, args=(slot,), name="sandbox-stop").start()

    def stop(self, slot: Slot) -> None:
        """Kill whatever is left of the sandbox's processes, reap them, remove the cgroup."""
        process, cgroup = slot.handle  # type: ignore[misc]
        self._kill(process.pid, cgroup)
        cgroup.remove()
        process.wait(timeout=10)

    def kill(self, slot: Slot) -> None:
        process, cgroup = slot.handle  # type: ignore[misc]
        self._kill(process.pid, cgroup)

    @staticmethod
    def _kill(pid: int, cgroup: PidsCgroup) -> None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        cgroup.kill_all()

    def _command(self, slot: Slot) -> list[str]:
        if not self.bwrap:
            return harness_command(str(INSIDE))
        mounts = []
        for folder in SYSTEM_DIRS:
            mounts += ["--ro-bind-try", folder, folder]
        workspace, scratch = str(slot.limits.workspace_mb << 20), str(SCRATCH_MB << 20)
        return [
            self.bwrap, "--unshare-all", "--die-with-parent", "--new-session",
            *mounts, "--ro-bind", str(PYTHON_PREFIX), str(PYTHON_PREFIX), "--ro-bind", str(INSIDE), INSIDE_MOUNT,
            # The job's files are copied from /job into a size-capped /work; /dev would be an
            # uncapped tmpfs writable by the sandbox's user, so it is made read-only.
            "--ro-bind", str(slot.workspace), "/job", "--size", workspace, "--tmpfs", WORKSPACE_MOUNT,
            "--ro-bind", str(slot.channel_dir), CHANNEL_MOUNT, "--proc", "/proc", "--dev", "/dev",
            "--size", scratch, "--tmpfs", "/dev/shm", "--remount-ro", "/dev", "--size", scratch, "--tmpfs", "/tmp",
            "--remount-ro", "/", "--chdir", WORKSPACE_MOUNT,
            "--uid", "65534", "--gid", "65534", "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", WORKSPACE_MOUNT,
            "--setenv", "EVOFORGE_CHANNEL", SOCKET_INSIDE, "--setenv", "EVOFORGE_JOB_FILES", "/job",
            *harness_command(INSIDE_MOUNT),
        ]

    def _environment(self, slot: Slot) -> dict[str, str]:
        if self.bwrap:
            return {"PATH": "/usr/bin:/bin"}
        return {"PATH": "/usr/bin:/bin", "HOME": str(slot.workspace), "EVOFORGE_CHANNEL": str(slot.channel_dir / SOCKET_NAME)}
