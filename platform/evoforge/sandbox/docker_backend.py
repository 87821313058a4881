"""The docker backend (default when an engine answers), through the Docker SDK.

Each sandbox is a fresh container of the offline image (see image.py): no network, read-only
root, the host's system folders and Python runtime mounted read-only, a writable workspace
holding only this variant's files, an unprivileged user with no capabilities, and limits on
memory, CPU, processes and output. It is killed at the wall-clock limit and always removed.
"""
from __future__ import annotations

import threading
from typing import Any

from evoforge.sandbox.base import Job, Limits, RunResult, SandboxError
from evoforge.sandbox.channel import CHANNEL_MOUNT, SOCKET_INSIDE
from evoforge.sandbox.image import IMAGE, ensure_image
from evoforge.sandbox.orphans import HOST, is_gone, owner_tag, sweep_folders
from evoforge.sandbox.quota import OPEN_FILES, SCRATCH_MB
from evoforge.sandbox.runtime import INSIDE, INSIDE_MOUNT, PYTHON_PREFIX, SYSTEM_DIRS, WORKSPACE_MOUNT, harness_command
from evoforge.sandbox.service import KernelService
from evoforge.sandbox.slot import Slot, SlotSandbox, from_wrapper


def docker_client() -> Any:
    """A Docker SDK client that answers, or a SandboxError saying how to get one."""
    import docker

    try:
        client = docker.from_env(timeout=30)
        client.ping()
        return client
    except Exception as error:
        raise SandboxError(
            f"no Docker engine answers ({str(error).splitlines()[0][:120]}): start one with "
            "`dockerd --bridge=none --iptables=false &` or use --sandbox local"
        ) from None


class DockerSandbox(SlotSandbox):
    name = "docker"

    def __init__(self, client: Any | None = None):
        self.client = client or docker_client()
        ensure_image(self.client)
        sweep_folders()
        self._sweep_containers()

    def _sweep_containers(self) -> None:
        """Remove the containers of kernel processes on this host that are gone."""
        for container in self.client.containers.list(all=True, filters={"label": "evoforge=sandbox"}):
            host, _, pid = container.labels.get("evoforge.owner", "").rpartition(":")
            if host == HOST and pid.isdigit() and is_gone(int(pid)):
                self._remove(container)

    def describe(self) -> list[str]:
        return [
            "fresh container per sandbox (image built offline), removed afterwards",
            "no network (network mode none), read-only root, system folders and Python mounted read-only",
            "writable workspace with only the variant's files; unprivileged user, all capabilities dropped, no new privileges",
            "limits: memory (no swap), one CPU, CPU seconds, file size, 256 open files, output size; killed at the wall-clock limit",
            f"workspace total capped: /work is a tmpfs of Limits.workspace_mb (counted in the memory limit too), "
            f"/tmp and /dev/shm of {SCRATCH_MB} MiB; nothing the code writes reaches the host's disk",
            "process count capped by the container's pids limit; every process dies with the container",
            "environment emptied: no API keys or database URLs reach the container",
        ]

    def start(self, limits: Limits) -> Slot:
        from docker.types import LogConfig, Ulimit

        slot = Slot(limits)
        volumes = {folder: {"bind": folder, "mode": "ro"} for folder in SYSTEM_DIRS}
        volumes.update({
            str(PYTHON_PREFIX): {"bind": str(PYTHON_PREFIX), "mode": "ro"},
            str(INSIDE): {"bind": INSIDE_MOUNT, "mode": "ro"},
            str(slot.workspace): {"bind": "/job", "mode": "ro"},  # copied into the size-capped /work
            str(slot.channel_dir): {"bind": CHANNEL_MOUNT, "mode": "ro"},
        })
        try:
            container = self.client.containers.run(
                IMAGE, harness_command(INSIDE_MOUNT),
                detach=True, network_mode="none", read_only=True, user="65534:65534", working_dir=WORKSPACE_MOUNT,
                environment={"EVOFORGE_CHANNEL": SOCKET_INSIDE, "EVOFORGE_JOB_FILES": "/job", "HOME": WORKSPACE_MOUNT,
                             "PATH": "/usr/bin:/bin"},
                volumes=volumes, tmpfs={"/tmp": f"size={SCRATCH_MB}m", WORKSPACE_MOUNT: f"size={limits.workspace_mb}m,uid=65534,gid=65534"},
                shm_size=f"{SCRATCH_MB}m", cap_drop=["ALL"], security_opt=["no-new-privileges"],
                mem_limit=f"{limits.memory_mb}m", memswap_limit=f"{limits.memory_mb}m", nano_cpus=1_000_000_000,
                pids_limit=limits.processes, labels={"evoforge": "sandbox", "evoforge.owner": owner_tag()},
                ulimits=[Ulimit(name="cpu", soft=limits.cpu_s, hard=limits.cpu_s),
                         Ulimit(name="fsize", soft=limits.file_mb << 20, hard=limits.file_mb << 20),
                         Ulimit(name="nofile", soft=OPEN_FILES, hard=OPEN_FILES)],
                log_config=LogConfig(type="json-file", config={"max-size": "1m", "max-file": "1"}),
            )
        except Exception as error:
            slot.discard()
            raise SandboxError(f"could not start a sandbox container: {str(error)[:300]}") from None
        slot.handle = container
        threading.Thread(target=self._follow_logs, args=(container, slot), daemon=True).start()
        return slot

    @staticmethod
    def _follow_logs(container: Any, slot: Slot) -> None:
        try:
            for chunk in container.logs(stream=True, follow=True, stdout=True, stderr=True):
                slot.stderr.add(chunk)
        except Exception:  # the container went away: supervision reports that
            return

    def finish(self, slot: Slot, job: Job, service: KernelService) -> RunResult:
        container = slot.handle
        exit_codes: list[int] = []

        def wait() -> None:  # one blocking request instead of polling the engine
            try:
                exit_codes.append(from_wrapper(int(container.wait()["StatusCode"])))
            except Exception:  # the container vanished
                exit_codes.append(-9)

        def kill() -> None:
            try:
                container.kill()
            except Exception:  # already gone
                pass

        threading.Thread(target=wait, name="sandbox-wait", daemon=True).start()
        try:
            result = slot.supervise(job, service, lambda: exit_codes[0] if exit_codes else None, kill)
            if result.exit_code != 0 and self._out_of_memory(container):
                result.killed_reason = f"killed: out of memory (limit {slot.limits.memory_mb} MB)"
            return result
        finally:
            self.stop(slot)

    @staticmethod
    def _out_of_memory(container: Any) -> bool:
        try:
            container.reload()
            return bool(container.attrs["State"].get("OOMKilled"))
        except Exception:  # removed meanwhile: unknown, so no claim
            return False

    def stop(self, slot: Slot) -> None:
        """Remove the container, killing it if it still runs. Removal takes a while and nothing
        waits on it, so it happens in a (non-daemon) thread: the caller goes on at once."""
        threading.Thread(target=self._remove, args=(slot.handle,), name="sandbox-remove").start()

    def kill(self, slot: Slot) -> None:
        slot.handle.kill()

    @staticmethod
    def _remove(container: Any) -> None:
        try:
            container.remove(force=True)
        except Exception:  # already gone
            pass
