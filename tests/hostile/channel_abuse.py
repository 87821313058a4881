import json

import evoforge_channel
from evoforge_channel import ChannelError, generate


def raw(line):
    """Send one raw line on the channel and return the kernel's raw reply."""
    stream = evoforge_channel._stream
    stream.write(line)
    stream.flush()
    return json.loads(stream.readline())


def main():
    seen = {}
    try:
        generate("no_such_contract", x=1)
    except ChannelError as error:
        seen["unknown contract"] = str(error)
    try:
        evoforge_channel.request("no_such_method", {})
    except ChannelError as error:
        seen["unknown method"] = str(error)
    try:
        evoforge_channel.request("score", {"answer": 1})
    except ChannelError as error:
        seen["score without a task"] = str(error)
    try:
        evoforge_channel.score("train-0", 1)
    except ChannelError as error:
        seen["score from a task agent"] = str(error)
    seen["not json"] = raw(b"this is not json\n")
    seen["not an object"] = raw(b"[1, 2, 3]\n")
    seen["bad request"] = raw(b'{"type": "request", "method": 5}\n')
    seen["unknown type"] = raw(b'{"type": "shutdown"}\n')
    seen["outcome flood"] = [raw(json.dumps({"type": "outcome", "index": i, "ok": True}).encode() + b"\n") for i in (7, 10**9, -1, "0")]
    seen["still works"] = generate("double", x=4)
    return seen
