"""What one job may make the kernel do: `Limits.requests` channel messages and `Limits.kernel_s`
seconds of kernel CPU spent answering them.

The sandbox's own limits bound what its code computes. Every message it sends makes the kernel
compute too (read it, answer a predicate, a tool call, a score, the guard's checks), and no limit
of the sandbox's process sees that; without a bound per job, a sandbox could keep the kernel busy
for its whole wall-clock time. So each job gets an `Allowance`: the message past `requests` is
not answered, nor any message once `kernel_s` is spent, and the job is stopped with the bound
that stopped it as its `killed_reason`.

Kernel time is CPU time of the thread answering (so waiting for a hosted model, a nested sandbox
or a lock costs nothing), with model calls aside: the run's model budget counts those. The
embedded model computes in the calling thread, so `MeteredModel` notes the CPU each call takes
there and the allowance leaves it out.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from evoforge.models.base import Completion, Message, ModelClient, Sampling
from evoforge.sandbox.base import Limits

_thread = threading.local()


def model_cpu_s() -> float:
    """CPU seconds this thread has spent in metered model calls so far."""
    return getattr(_thread, "model_cpu_s", 0.0)


class MeteredModel:
    """A model client that adds the CPU each call takes in the calling thread to `model_cpu_s`."""

    def __init__(self, inner: ModelClient):
        self.inner = inner

    @property
    def name(self) -> str:
        return self.inner.name

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: Sampling | None = None) -> Completion:
        started = time.thread_time()
        try:
            return self.inner.complete(messages, contract=contract, sampling=sampling)
        finally:
            _thread.model_cpu_s = model_cpu_s() + time.thread_time() - started


def metered(model: ModelClient) -> ModelClient:
    """`model`, metered once (a service with no model, None, keeps none)."""
    return model if model is None or isinstance(model, MeteredModel) else MeteredModel(model)


class Allowance:
    """One job's count of channel messages and kernel CPU seconds, against its limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.requests = 0
        self.kernel_s = 0.0
        self.spent: str | None = None  # the bound that stopped the job, once one has

    def admit(self) -> bool:
        """Count one more message; False (and `spent` says why) when it must not be answered."""
        if self.spent is None and self.requests >= self.limits.requests:
            self.spent = f"more than {self.limits.requests} channel requests (Limits.requests)"
        if self.spent is not None:
            return False
        self.requests += 1
        return True

    @contextmanager
    def metered(self) -> Iterator[None]:
        """Charge the kernel CPU of the enclosed work (this thread's, model calls aside) to the job."""
        cpu, model = time.thread_time(), model_cpu_s()
        try:
            yield
        finally:
            self.kernel_s += max(0.0, time.thread_time() - cpu - (model_cpu_s() - model))
            if self.spent is None and self.kernel_s > self.limits.kernel_s:
                self.spent = f"more than {self.limits.kernel_s:g} s of kernel CPU answering its requests (Limits.kernel_s)"
