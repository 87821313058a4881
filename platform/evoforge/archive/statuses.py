"""The statuses a run, a variant and a synthesis candidate can have, in a module without SQLAlchemy: `evoforge runs`
and the liveness check name them without loading the ORM (tables.py re-exports them)."""
from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    CREATED = "created"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    STOPPED = "stopped"


class VariantStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"


class CandidateStatus(StrEnum):
    """A synthesis candidate's status: `proposed` until the search closes it, then final."""

    PROPOSED = "proposed"
    PROVEN = "proven"
    COUNTEREXAMPLE = "counterexample"
    RULED_OUT = "ruled_out"  # an earlier candidate's counterexample breaks it too, no proof attempt
    UNPARSED = "unparsed"  # not a program of the language (the reason names the line)
    UNKNOWN = "unknown"  # the solver could not decide (never counted as proven)

    @classmethod
    def closed(cls) -> list["CandidateStatus"]:
        """The final statuses, in the order summaries list them."""
        return [status for status in cls if status is not cls.PROPOSED]
