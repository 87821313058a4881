"""The settings of one synthesis run, stored with the run (its `kind` tells `resume` which
runner continues it), so a resumed run rebuilds exactly the same problem, proposer and learner."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from evoforge.errors import EvoforgeError

KIND = "synthesis"
SYNTHESIS_CONFIG_VERSION = 1


@dataclass
class SynthesisConfig:
    kind: str = KIND
    domain: str = "arithmetic"
    task: str | None = None  # the task specification; None = the domain's (the one whose inputs are its schema)
    model: str | None = None  # litellm name; None = the embedded local/smollm2
    proposer: str = "grammar"  # see synthesis/proposers_by_name.py
    rounds: int = 4
    per_round: int = 6
    target_train: float = 1.0  # search stops once a proven program reaches it on train
    trials: int = 4  # Optuna trials of the learner
    validate_top: int = 2
    random_seed: int = 0
    sandbox: str | None = None  # "docker" | "local" | None = docker when an engine answers
    domain_options: dict[str, Any] = field(default_factory=dict)
    spec_files: list[str] = field(default_factory=list)  # extra spec files: contracts and task specifications
    max_cost_usd: float | None = None
    max_tokens: int | None = None
    max_calls: int | None = None
    task_timeout_s: float = 60.0
    temperature: float = 0.0
    answer_tokens_cap: int | None = None
    model_cache: bool = True
    version: int = SYNTHESIS_CONFIG_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def planned(self) -> int:
        """The candidates the run proposes when nothing stops it early."""
        return self.rounds * self.per_round

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SynthesisConfig":
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise EvoforgeError(f"synthesis run configuration has unknown setting(s) {', '.join(sorted(unknown))}")
        return cls(**data)

    def validate(self) -> "SynthesisConfig":
        """Every check that needs nothing started, so a typo fails before a run exists."""
        from evoforge.run_settings import check_shared_settings
        from evoforge.synthesis.proposers_by_name import PROPOSERS

        check_shared_settings(self)
        if self.proposer not in PROPOSERS:
            raise EvoforgeError(f"unknown proposer {self.proposer!r} (choose {', '.join(PROPOSERS)})")
        if self.rounds < 1 or self.per_round < 1 or self.trials < 1 or self.validate_top < 1:
            raise EvoforgeError("--rounds, --per-round, --trials and validate_top must be at least 1")
        if not 0 <= self.target_train <= 1:
            raise EvoforgeError("--target-train must be between 0 and 1")
        return self
