"""The proposers a synthesis run can use, by the name its configuration stores."""
from __future__ import annotations

from typing import Callable

from evoforge.contracts.guard import CallRecord
from evoforge.models.base import ModelClient
from evoforge.synthesis.search.grammar import GrammarProposer
from evoforge.synthesis.search.proposing import Proposer


def _planner(model: ModelClient, keep: list[CallRecord]) -> Proposer:
    from evoforge.contracts import load_specs
    from evoforge.paths import SPECS_DIR
    from evoforge.synthesis.search.planner import PlannerProposer

    return PlannerProposer(load_specs([SPECS_DIR / "synthesis.toml"]), model, keep)


# name -> a proposer, given the run's model (which only the planner calls) and the list its
# guarded calls go to (the run archives them with the round's candidates).
PROPOSERS: dict[str, Callable[[ModelClient, list[CallRecord]], Proposer]] = {
    "grammar": lambda model, keep: GrammarProposer(), "planner": _planner,
}
