"""The helpers compiled expressions call (arithmetic, the kind of a json value): standard library only.

The kernel's compiled clauses (to_python.py) use them, and the sandbox gets this very file as
`evoforge_runtime.py` for programs compiled to run there (synthesis/language/to_module.py), so an
expression means the same in both places, and the same as in its Z3 translation.
"""
from fractions import Fraction


def _div(a, b):
    # Division by zero is defined as 0, exactly as in the Z3 translation.
    return Fraction(a) / b if b else Fraction(0)


def _floordiv(a, b):
    return a // b if b else 0


def _mod(a, b):
    return a % b if b else a


def _kind(value):
    """What a json value is, as contracts name it; a whole number is an int however written."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Fraction)):
        return "int" if value == int(value) else "real"
    if isinstance(value, str):
        return "str"
    return "list" if isinstance(value, list) else "map"
