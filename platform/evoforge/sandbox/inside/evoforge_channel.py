"""The only way sandboxed agent code reaches the kernel (standard library only).

    from evoforge_channel import generate, call_tool
    answer = generate("sum_of_two", a=17, b=25)    # guarded: satisfies the contract
    user = call_tool("get_user_details", user_id="mia_li_3668")   # a domain tool, run by the kernel

Requests travel as JSON lines over the sandbox's channel socket; the kernel answers. Real
numbers arrive as exact `fractions.Fraction` values (see evoforge_wire), so an answer that
satisfies its contract still does when the agent compares it.
"""
import threading

import evoforge_wire

_lock = threading.Lock()
_stream = None  # set by the harness: a binary file object on the channel socket
TRACE_KEPT = 200
_trace = []  # the newest guarded calls of this process: what the model said, for a meta agent to read


class ChannelError(RuntimeError):
    """The kernel refused a request (unknown contract or tool, bad inputs, spent budget...)."""


def _connect(stream):
    global _stream
    _stream = stream


def request(method, params):
    """Ask the kernel; its answer, or a ChannelError with the kernel's reason for refusing."""
    if _stream is None:
        raise ChannelError("no kernel channel: this code must run inside an evoforge sandbox")
    with _lock:
        _stream.write((evoforge_wire.dumps({"type": "request", "method": method, "params": params}) + "\n").encode())
        _stream.flush()
        line = _stream.readline()
    if not line:
        raise ChannelError("the kernel closed the channel")
    reply = evoforge_wire.loads(line)
    error = reply.get("error") or (reply.get("result") or {}).get("error")
    if error:
        raise ChannelError(error)
    return reply["result"]


def generate(contract, **inputs):
    """A guarded model call: the output satisfies `contract` for these inputs.

    Keyword arguments starting with `_` are shaping options, not inputs: `_prefix` (text put
    before the contract's prompt), `_temperature` (0 to 2) and `_seed` (fixes a sampled call).
    They change how the model is asked, never the contract its answer is held to; the kernel
    refuses any other option. Each call's trace (the model's raw replies, why each was
    rejected, whether the fallback answered) is kept for `recent_calls`."""
    options = {k: inputs.pop(k) for k in [k for k in inputs if k.startswith("_")]}
    result = request("generate", {"contract": contract, "inputs": inputs, "options": options})
    _trace.append({"contract": contract, "output": result["output"], **result.get("trace", {})})
    del _trace[:-TRACE_KEPT]
    return result["output"]


def recent_calls(clear=False):
    """The newest guarded calls of this process (at most TRACE_KEPT), oldest first: each with
    `contract`, `output`, `replies` (the model's raw texts), `violations` and `fallback`."""
    calls = list(_trace)
    if clear:
        del _trace[:]
    return calls


def score(task_id, answer):
    """The kernel's evaluator on a *train* task (offered to meta agents only):
    {"score": 0..1, "detail": the evaluator's words}."""
    return request("score", {"task_id": task_id, "answer": answer})["result"]


def call_tool(name, **arguments):
    """Call the domain's tool `name` (run by the kernel); its result, or ChannelError."""
    return request("tool", {"name": name, "arguments": arguments})["result"]


def predicate(name, *args):
    """The kernel predicate `name` (e.g. parses_python) on string arguments, computed by the kernel."""
    return request("predicate", {"name": name, "args": list(args)})["result"]
