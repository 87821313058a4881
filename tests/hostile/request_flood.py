"""Keeps the kernel busy: channel requests (or junk lines) as fast as it answers, for as long as it does."""
import evoforge_channel
from evoforge_channel import predicate


def main(kind, chars):
    text = ("x = 1\n" * (chars // 6 + 1))[:chars]
    while True:
        if kind == "junk":  # not even a request: the kernel still reads and refuses each line
            stream = evoforge_channel._stream
            stream.write(text.encode() + b"\n")
            stream.flush()
            if not stream.readline():
                return "the kernel closed the channel"
        else:
            predicate(kind, text)
