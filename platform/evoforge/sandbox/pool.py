"""A warm pool: sandboxes started ahead of need, each waiting for its job, so a stream of small
evaluations does not pay a process or container start each time. A sandbox serves exactly one
job and is then destroyed: untrusted state never carries over from one job to the next."""
from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from evoforge.sandbox.base import ChannelHandler, Job, Limits, RunResult, SandboxError
from evoforge.sandbox.slot import Slot


class StartableSandbox(Protocol):
    name: str

    def start(self, limits: Limits) -> Slot: ...

    def finish(self, slot: Slot, job: Job, handler: ChannelHandler) -> RunResult: ...

    def stop(self, slot: Slot) -> None: ...


class WarmPool:
    def __init__(self, backend: StartableSandbox, limits: Limits, size: int = 2):
        self.backend, self.limits, self.size = backend, limits, size
        self.name = f"{backend.name} (warm pool of {size})"
        self._ready: queue.Queue[Slot] = queue.Queue()
        self._closed = False
        # One long-lived launcher thread: a sandbox process dies with the thread that started
        # it (bubblewrap's --die-with-parent follows the thread), so starts must not come from
        # short-lived threads.
        self._launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-launcher")
        for _ in range(size):
            self._refill()

    def _refill(self) -> None:
        def start() -> None:
            try:
                slot = self.backend.start(self.limits)
            except SandboxError:
                return  # `run` starts one itself and reports the error there
            if self._closed:
                self.backend.stop(slot)
                slot.discard()
            else:
                self._ready.put(slot)

        self._launcher.submit(start)

    def run(self, job: Job, handler: ChannelHandler) -> RunResult:
        try:
            slot = self._ready.get(timeout=30)
        except queue.Empty:
            slot = self._launcher.submit(self.backend.start, self.limits).result()
        self._refill()
        try:
            slot.write_files(job.files)
            return self.backend.finish(slot, job, handler)
        finally:
            slot.discard()

    def close(self) -> None:
        self._closed = True
        self._launcher.shutdown(wait=True)
        while not self._ready.empty():
            slot = self._ready.get_nowait()
            self.backend.stop(slot)
            slot.discard()
