"""Hypothesis strategies for random values of contract types (used by several test modules)."""
from __future__ import annotations

from fractions import Fraction
from functools import cache

from hypothesis import strategies as st

from evoforge.contracts.types import (
    BoolType,
    EnumType,
    IntType,
    JsonType,
    ListType,
    MapType,
    OptionalType,
    RealType,
    RecordType,
    StrType,
    Type,
)

# A small alphabet makes equal strings, prefixes and substrings likely, so clauses flip often.
SHORT_TEXT = st.text(alphabet="ab_ x(=)1:", max_size=6)


@cache  # strategies are built once per type: drawing is what a test should spend its time on
def values_of(t: Type, text: st.SearchStrategy[str] = SHORT_TEXT) -> st.SearchStrategy:
    if isinstance(t, BoolType):
        return st.booleans()
    if isinstance(t, IntType):
        return st.integers(-30, 30)
    if isinstance(t, RealType):
        # Quarters are exact in binary, and Fractions are exact anyway: no rounding noise.
        return st.integers(-120, 120).map(lambda n: Fraction(n, 4))
    if isinstance(t, EnumType):
        return st.sampled_from(t.values)
    if isinstance(t, StrType):
        return text
    if isinstance(t, ListType):
        return st.lists(values_of(t.item, text), max_size=t.max_len)
    if isinstance(t, MapType):
        return st.dictionaries(text, values_of(t.value, text), max_size=t.max_len)
    if isinstance(t, OptionalType):
        return st.none() | values_of(t.item, text)
    if isinstance(t, JsonType):
        return json_values(text)
    assert isinstance(t, RecordType)
    return st.fixed_dictionaries({name: values_of(ft, text) for name, ft in t.fields})


def json_values(text: st.SearchStrategy[str] = SHORT_TEXT) -> st.SearchStrategy:
    """JSON values as conformed: None, bools, ints, exact reals (whole ones too), strings, lists, objects."""
    scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.integers(-20, 20).map(lambda n: Fraction(n, 4)) | text
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=6)
