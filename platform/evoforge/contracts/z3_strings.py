"""Python strings in Z3, code point for code point: the one place that decides how.

`z3.StringVal` is not used: it reads `\\u{..}` and `\\uXXXX` in its argument as escapes (the six
characters `\\u0041` become the one "A") and writes a character beyond Z3's last one as escape
text (U+30000 becomes nine characters); `as_string()` escapes on the way back (a backslash before
`u` returns as `\\u{5c}`). So a string goes to Z3 as its code points (`Z3_mk_u32string`) and
comes back as them (`Z3_get_string_contents`).

Z3's characters stop at MAX_CHAR (its default "unicode" encoding; tests/test_z3_strings.py holds
the solver to that number). A constant holding a later character cannot be said in Z3, so it is
refused where it is written: the expression reader (expressions.py), enum types and the program parser call
`unrepresentable`. Symbolic strings lose nothing by the limit: the language tells characters apart
only by equality (no ordering, no character classes), so a proof over Z3's alphabet covers every
Python string.

z3 is imported on first use, so the expression reader can call `unrepresentable` without loading the solver.
"""
from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import z3

MAX_CHAR = 0x2FFFF
_LAST = chr(MAX_CHAR)


def unrepresentable(*texts: str) -> str | None:
    """Why Z3 cannot hold one of `texts` exactly (its first character beyond MAX_CHAR), or None."""
    for text in texts:
        if text and max(text) > _LAST:
            index, char = next((i, c) for i, c in enumerate(text) if c > _LAST)
            shown = ascii(text if len(text) <= 40 else text[:37] + "...")  # escaped: the character may not display
            return (f"the string {shown} holds U+{ord(char):X} (at index {index}), beyond U+{MAX_CHAR:X}, the last "
                    "character the prover can represent; leave that character out")
    return None


def encode(text: str) -> z3.SeqRef:
    """The Z3 string with exactly the code points of `text`."""
    import z3

    problem = unrepresentable(text)
    if problem is not None:  # literals are refused where written, so this is a kernel bug
        raise ValueError(problem)
    points = (ctypes.c_uint * len(text))(*map(ord, text))
    context = z3.main_ctx()
    return z3.SeqRef(z3.Z3_mk_u32string(context.ref(), len(text), points), context)


def decode(value: z3.SeqRef) -> str:
    """The Python string of a Z3 string value (from a model, or a simplified ground term)."""
    import z3

    size = z3.Z3_get_string_length(value.ctx_ref(), value.as_ast())
    points = (ctypes.c_uint * size)()
    z3.Z3_get_string_contents(value.ctx_ref(), value.as_ast(), size, points)
    return "".join(map(chr, points))
