"""The only way sandboxed agent code reaches the kernel (standard library only).

    from evoforge_channel import generate
    answer = generate("sum_of_two", a=17, b=25)   # guarded: satisfies the contract

Requests travel as JSON lines over the sandbox's channel socket; the kernel answers.
"""
import json
import threading

_lock = threading.Lock()
_stream = None  # set by the harness: a binary file object on the channel socket


class ChannelError(Exception):
    """The kernel refused a request (unknown contract, bad inputs, spent budget...)."""


def _connect(stream):
    global _stream
    _stream = stream


def request(method, params):
    """Ask the kernel; its answer, or a ChannelError with the kernel's reason for refusing."""
    if _stream is None:
        raise ChannelError("no kernel channel: this code must run inside an evoforge sandbox")
    with _lock:
        _stream.write((json.dumps({"type": "request", "method": method, "params": params}) + "\n").encode())
        _stream.flush()
        line = _stream.readline()
    if not line:
        raise ChannelError("the kernel closed the channel")
    reply = json.loads(line)
    error = reply.get("error") or (reply.get("result") or {}).get("error")
    if error:
        raise ChannelError(error)
    return reply["result"]


def generate(contract, **inputs):
    """A guarded model call: the output satisfies `contract` for these inputs."""
    return request("generate", {"contract": contract, "inputs": inputs})["output"]
