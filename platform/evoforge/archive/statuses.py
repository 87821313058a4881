"""The statuses a run and a variant can have, in a module without SQLAlchemy: `evoforge runs`
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
