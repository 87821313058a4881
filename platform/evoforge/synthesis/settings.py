"""The settings of one synthesis run: the shared sections (runs/settings.py) and the search's,
verifier's and learner's own. Stored with the run (its `kind` tells `resume` which kind
continues it), so a resumed run rebuilds exactly the same problem, proposer and learner."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from evoforge.errors import EvoforgeError
from evoforge.runs.settings import RunSettings, sectioned


@dataclass
class SynthesisSettings(RunSettings):
    KIND: ClassVar[str] = "synthesis"
    VERSION: ClassVar[int] = 2

    task: str | None = None  # the task specification; None = the domain's (the one whose inputs are its schema)
    proposer: str = "grammar"  # see synthesis/proposers_by_name.py
    rounds: int = 4
    per_round: int = 6
    target_train: float = 1.0  # search stops once a proven program reaches it on train
    trials: int = 4  # Optuna trials of the learner
    validate_top: int = 2

    def planned(self) -> int:
        """The candidates the run proposes when nothing stops it early."""
        return self.rounds * self.per_round

    @classmethod
    def upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Version 1 had no sections."""
        if data.get("version", 1) == 1:
            data = {**sectioned(data), "version": 2}
        return data

    def validate(self) -> SynthesisSettings:
        from evoforge.synthesis.proposers_by_name import PROPOSERS

        super().validate()
        if self.proposer not in PROPOSERS:
            raise EvoforgeError(f"unknown proposer {self.proposer!r} (choose {', '.join(PROPOSERS)})")
        if self.rounds < 1 or self.per_round < 1 or self.trials < 1 or self.validate_top < 1:
            raise EvoforgeError("--rounds, --per-round, --trials and validate_top must be at least 1")
        if not 0 <= self.target_train <= 1:
            raise EvoforgeError("--target-train must be between 0 and 1")
        return self
