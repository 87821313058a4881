"""The root of every error a user can cause and fix.

An `EvoforgeError` carries a message written for a person: it names the file, line or object
involved and what to do. The CLI prints it on one line instead of a traceback.
"""


class EvoforgeError(Exception):
    """A problem the user can act on (bad input, missing service, exhausted budget...)."""
