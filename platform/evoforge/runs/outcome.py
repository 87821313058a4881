"""How a run stands when its lifecycle returns: what every kind's outcome holds (a kind's
outcome adds what it made: evolution's seed and best variant, synthesis's learned candidate)."""
from __future__ import annotations

from dataclasses import dataclass

from evoforge.runs.stopping import Stop


@dataclass
class RunOutcome:
    run_id: int
    uid: str
    status: str
    stop: Stop | None  # None when summarised without running (e.g. `evoforge report`)
