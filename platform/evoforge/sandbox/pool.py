"""A warm pool: sandboxes started ahead of need, each waiting for its job, so a stream of small
evaluations does not pay a process or container start each time. A sandbox serves exactly one
job and is then destroyed: untrusted state never carries over from one job to the next.

A pool is itself a `Sandbox`: code that takes a sandbox can be handed a pool instead."""
from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from evoforge.sandbox.base import ChannelHandler, Job, Limits, RunResult
from evoforge.sandbox.slot import Slot


class StartableSandbox(Protocol):
    name: str

    def start(self, limits: Limits) -> Slot: ...

    def finish(self, slot: Slot, job: Job, handler: ChannelHandler) -> RunResult: ...

    def stop(self, slot: Slot) -> None: ...

    def run(self, job: Job, limits: Limits, handler: ChannelHandler) -> RunResult: ...

    def describe(self) -> list[str]: ...


class WarmPool:
    def __init__(self, backend: StartableSandbox, limits: Limits, size: int = 2):
        self.backend, self.limits, self.size = backend, limits, size
        self.name = f"{backend.name} (warm pool of {size})"
        # Each start puts exactly one item: a ready slot, or the error that stopped it.
        self._ready: queue.Queue[Slot | Exception] = queue.Queue()
        self._closed = False
        # Long-lived launcher threads, one per slot so starts overlap: a sandbox process dies
        # with the thread that started it (bubblewrap's --die-with-parent follows the thread),
        # so starts must not come from short-lived threads.
        self._launcher = ThreadPoolExecutor(max_workers=size, thread_name_prefix="sandbox-launcher")
        for _ in range(size):
            self._refill()

    def describe(self) -> list[str]:
        return [f"warm pool of {self.size}: sandboxes start ahead of need, each serves one job and is destroyed",
                *self.backend.describe()]

    @property
    def ready(self) -> int:
        """How many sandboxes wait for a job now."""
        return self._ready.qsize()

    def _refill(self) -> None:
        def start() -> None:
            try:
                slot = self.backend.start(self.limits)
            except Exception as error:  # handed to the `run` that takes this item
                self._ready.put(error)
                return
            # Ready means the harness inside is up; one that never connects is still handed out,
            # and its run reports why it failed.
            slot.channel.connected.wait(timeout=30)
            if self._closed:
                self.backend.stop(slot)
                slot.discard()
            else:
                self._ready.put(slot)

        self._launcher.submit(start)

    def run(self, job: Job, limits: Limits, handler: ChannelHandler) -> RunResult:
        """Run the job in a warm sandbox. One started with other memory, CPU, process or file
        limits cannot take it, so then a fresh sandbox is started for it."""
        if limits.fixed_at_start() != self.limits.fixed_at_start():
            return self.backend.run(job, limits, handler)
        item = self._ready.get()
        self._refill()
        if isinstance(item, Exception):
            raise item
        item.adopt(limits)
        try:
            item.write_files(job.files)
            return self.backend.finish(item, job, handler)
        finally:
            item.discard()

    def close(self) -> None:
        self._closed = True
        self._launcher.shutdown(wait=True)
        while not self._ready.empty():
            item = self._ready.get_nowait()
            if isinstance(item, Slot):
                self.backend.stop(item)
                item.discard()
