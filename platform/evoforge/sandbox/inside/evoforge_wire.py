"""The channel's value encoding, shared by the kernel and the code inside the sandbox
(standard library only).

JSON has no exact rationals, and a float would break the guarantee: a value that satisfies a
contract exactly (`result < price`) can round to one that does not. So a non-integer
`Fraction` travels as {"$real": "numerator/denominator"} and comes back out as the same
`Fraction`. An object whose one key is a tag (a json answer {"$real": "1/2"}, which is a map,
not a number) travels as {"$map": [[key, value]]} and comes back out as that object; everything
else is plain JSON.
"""
import json
from fractions import Fraction

REAL_TAG = "$real"
MAP_TAG = "$map"
TAGS = (REAL_TAG, MAP_TAG)


class WireError(ValueError):
    """A message that is not valid channel JSON (malformed, or a bad "$real")."""


def _encode(value):
    if isinstance(value, Fraction):
        return {REAL_TAG: f"{value.numerator}/{value.denominator}"}
    raise TypeError(f"{type(value).__name__} is not a channel value")


def _escaped(value):
    """`value` with every object that would read as a tag wrapped as {"$map": [[key, value]]}."""
    if isinstance(value, dict):
        items = {key: _escaped(item) for key, item in value.items()}
        if len(items) == 1 and next(iter(items)) in TAGS:
            return {MAP_TAG: [list(pair) for pair in items.items()]}
        return items
    if isinstance(value, (list, tuple)):
        return [_escaped(item) for item in value]
    return value


def _decode(obj):
    if MAP_TAG in obj and len(obj) == 1:
        pairs = obj[MAP_TAG]
        if not (isinstance(pairs, list) and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in pairs)):
            raise WireError(f"{MAP_TAG} must be a list of [key, value] pairs")
        return dict(pairs)
    if REAL_TAG in obj and len(obj) == 1:
        text = obj[REAL_TAG]
        numerator, _, denominator = text.partition("/") if isinstance(text, str) else ("", "", "")
        if not (numerator.lstrip("-").isdigit() and denominator.isdigit() and int(denominator) > 0 and len(text) <= 4000):
            raise WireError(f"{REAL_TAG} must be 'numerator/denominator', got {str(text)[:60]!r}")
        value = Fraction(int(numerator), int(denominator))
        return int(value) if value.denominator == 1 else value
    return obj


def dumps(value, default=None):
    """JSON text of `value`, with Fractions exact; `default` handles other unknown types."""
    def encode(item):
        if isinstance(item, Fraction):
            return _encode(item)
        if default is not None:
            return default(item)
        return _encode(item)
    return json.dumps(_escaped(value), default=encode)


def loads(text):
    """The value of channel JSON text; raises WireError (a ValueError) when it is malformed."""
    try:
        return json.loads(text, object_hook=_decode)
    except WireError:
        raise
    except (ValueError, RecursionError) as error:
        raise WireError(str(error)) from None
