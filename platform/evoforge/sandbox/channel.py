"""The transport of the sandbox channel: JSON lines over a unix socket.

The kernel listens on a socket file inside a folder that the sandbox mounts; the in-sandbox
harness connects, receives the job, sends requests (each answered by a `KernelService`
method, see service.py) and one outcome per call. Values travel in the `evoforge_wire`
encoding (exact reals). Anything malformed gets an error reply; nothing the other side sends
can raise in the kernel. What the job may make the kernel do in all is its `Allowance`
(allowance.py): past it, the conversation ends and the job is stopped.
"""
from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

from evoforge.sandbox.allowance import Allowance
from evoforge.sandbox.base import CallOutcome, Job, Limits
from evoforge.sandbox.inside import evoforge_wire as wire
from evoforge.sandbox.service import KernelService, answer

SOCKET_NAME = "channel.sock"
CHANNEL_MOUNT = "/channel"  # where an isolating backend mounts the socket's folder
SOCKET_INSIDE = f"{CHANNEL_MOUNT}/{SOCKET_NAME}"  # the socket path as sandboxed code sees it


def reply_to(service: KernelService, message: dict[str, Any]) -> dict[str, Any]:
    """The reply message to one request message (the channel's, and the in-process adapter's)."""
    method, params = message.get("method"), message.get("params")
    if not isinstance(method, str) or not isinstance(params, dict):
        return {"type": "reply", "error": "a request needs 'method' (string) and 'params' (object)"}
    return {"type": "reply", "result": answer(service, method, params)}


def encode(message: dict[str, Any]) -> bytes:
    """One line of the channel; default=str: a service answering with a non-JSON value must not
    kill the conversation."""
    return (wire.dumps(message, default=str) + "\n").encode()


class ChannelServer:
    def __init__(self, folder: Path, limits: Limits):
        self.path = folder / SOCKET_NAME
        self.limits = limits
        self.job: Job | None = None
        self.service: KernelService | None = None
        self.allowance = Allowance(limits)
        self._assigned = threading.Event()
        self.outcomes: dict[int, CallOutcome] = {}
        self.fatal: str | None = None
        self._finished = threading.Event()  # the conversation ended with "done" or "fatal"
        self.connected = threading.Event()  # the harness inside has started and is waiting
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.path))
        self.path.chmod(0o777)  # the sandboxed process may run as another user
        self._listener.listen(1)
        self._thread = threading.Thread(target=self._serve, name="sandbox-channel", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def assign(self, job: Job, service: KernelService) -> None:
        """Give the waiting sandbox its job and the service that answers its requests."""
        self.job, self.service, self.allowance = job, service, Allowance(self.limits)
        self._assigned.set()

    def close(self) -> None:
        """Stop listening (waking a pending accept) and wait for the conversation to end."""
        self._assigned.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        try:
            connection, _ = self._listener.accept()
        except OSError:  # closed before the sandbox connected
            return
        self.connected.set()
        try:
            with connection, connection.makefile("rwb") as stream:
                self._converse(stream)
        except OSError:  # the sandbox died mid-conversation (its result says why); closing may fail too
            return

    def _converse(self, stream: Any) -> None:
        self._assigned.wait()
        if self.job is None:  # closed without a job (a warm sandbox never used)
            return
        self._send(stream, {"type": "job", "module": self.job.module, "function": self.job.function,
                            "calls": self.job.calls, "message_bytes": self.limits.message_bytes})
        while True:
            line = stream.readline(self.limits.message_bytes + 1)
            if not line:
                return
            if not self.allowance.admit():
                return self._refuse(stream, f"this job is stopped: {self.allowance.spent}")
            with self.allowance.metered():
                ended = self._read(stream, line) == "done"
            if ended:
                self._finished.set()
                return
            if self.allowance.spent:
                return self._refuse(stream, f"this job is stopped: {self.allowance.spent}")

    def _read(self, stream: Any, line: bytes) -> str | None:
        if len(line) > self.limits.message_bytes:
            while line and not line.endswith(b"\n"):  # drop the rest unread into memory
                line = stream.readline(65536)
            return self._refuse(stream, f"message longer than {self.limits.message_bytes} bytes; refused")
        return self._handle(stream, line)

    def _handle(self, stream: Any, line: bytes) -> str | None:
        try:
            message = wire.loads(line)
            kind = message["type"]
        except (ValueError, KeyError, TypeError):
            return self._refuse(stream, "malformed message: send one JSON object per line with a 'type'")
        if kind == "request":
            assert self.service is not None
            self._send(stream, reply_to(self.service, message))
        elif kind == "outcome":
            return self._record_outcome(stream, message)
        elif kind == "fatal":
            self.fatal = str(message.get("error"))[:4000]
            return "done"
        elif kind == "done":
            return "done"
        else:
            return self._refuse(stream, f"unknown message type {str(kind)[:100]!r}")
        return None

    def _record_outcome(self, stream: Any, message: dict[str, Any]) -> None:
        """Keep one outcome per call of the job: other indices are refused, so a flood of
        outcomes cannot grow the kernel's memory beyond the job's size."""
        index, seconds = message.get("index"), message.get("seconds")
        assert self.job is not None
        if type(index) is not int or not 0 <= index < len(self.job.calls) or index in self.outcomes:
            return self._refuse(stream, f"outcome index {str(index)[:40]} is not a call of this job still waiting for its outcome")
        error = message.get("error")
        self.outcomes[index] = CallOutcome(
            ok=message.get("ok") is True, value=message.get("value"), error=None if error is None else str(error)[:4000],
            seconds=float(seconds) if isinstance(seconds, (int, float)) else 0.0,
        )
        return None

    def _refuse(self, stream: Any, error: str) -> None:
        self._send(stream, {"type": "reply", "error": error})

    @staticmethod
    def _send(stream: Any, message: dict[str, Any]) -> None:
        stream.write(encode(message))
        stream.flush()

    def announced_exit(self) -> int | None:
        """The exit code the harness is about to give, once it said it is done (1 after a fatal
        error, 0 after every call's outcome); None while it is not done. A "done" sent early by
        the agent itself does not count: calls are still missing."""
        if not self._finished.is_set():
            return None
        if self.fatal:
            return 1
        return 0 if self.job is not None and len(self.outcomes) == len(self.job.calls) else None

    def ordered_outcomes(self, count: int) -> list[CallOutcome]:
        """Outcomes of calls 0, 1, ... up to the first one missing."""
        outcomes = []
        for index in range(count):
            if index not in self.outcomes:
                break
            outcomes.append(self.outcomes[index])
        return outcomes
