"""Runs inside the sandbox: connects to the kernel, receives the job, calls the agent's
function once per call, and reports each outcome. Standard library only."""
import os
import shutil
import socket
import sys
import time
import traceback

# Started with `python -I` (no script folder on sys.path): find the channel client beside us.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evoforge_channel  # noqa: E402
import evoforge_wire  # noqa: E402

ENVELOPE_BYTES = 200  # an outcome message around its value: type, index, seconds


def send(stream, message):
    stream.write((evoforge_wire.dumps(message) + "\n").encode())
    stream.flush()


def copy_job_files(source):
    """The workspace is a size-capped file system of its own: copy the job's files in (their
    contents only; the folders keep the sandbox user as owner)."""
    for folder, _, names in os.walk(source):
        target = os.path.normpath(os.path.join(os.getcwd(), os.path.relpath(folder, source)))
        os.makedirs(target, exist_ok=True)
        for name in names:
            shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))


def main():
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(os.environ["EVOFORGE_CHANNEL"])
    stream = connection.makefile("rwb")
    job = evoforge_wire.loads(stream.readline())
    evoforge_channel._connect(stream)
    # Agent prints go to stderr; stdout belongs to nobody (the channel is the socket).
    sys.stdout = sys.stderr
    sys.path.insert(1, os.getcwd())
    try:
        if os.environ.get("EVOFORGE_JOB_FILES"):
            copy_job_files(os.environ["EVOFORGE_JOB_FILES"])
        function = getattr(__import__(job["module"]), job["function"])
    except BaseException:
        send(stream, {"type": "fatal", "error": "cannot load the agent: " + traceback.format_exc(limit=3)[-2000:]})
        return 1
    max_value = job["message_bytes"] - ENVELOPE_BYTES
    for index, args in enumerate(job["calls"]):
        started = time.perf_counter()
        try:
            value = function(*args)
            size = len(evoforge_wire.dumps(value))  # ASCII: characters are bytes
            if size > max_value:
                raise ValueError(f"the result is {size} bytes of JSON; at most {max_value} fit in a channel message")
            outcome = {"ok": True, "value": value}
        except BaseException:
            outcome = {"ok": False, "error": traceback.format_exc(limit=3)[-2000:]}
        send(stream, {"type": "outcome", "index": index, "seconds": time.perf_counter() - started, **outcome})
    send(stream, {"type": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
