"""The settings of one evolution run: the shared sections (runs/settings.py) and the hyperagent
loop's own. Stored in the archive with the run (with a version, and upgraded on load), so
`resume` rebuilds exactly the same run from its id."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from evoforge.errors import EvoforgeError
from evoforge.runs.settings import RunSettings, sectioned


@dataclass
class EvolutionSettings(RunSettings):
    KIND: ClassVar[str] = "evolution"
    VERSION: ClassVar[int] = 3

    generations: int = 3
    parallel: int = 2  # children per generation, produced concurrently
    agent: str = "seed"  # the starting hyperagent: a folder under agents/, or a path to a folder
    agent_files: dict[str, str] = field(default_factory=dict)  # its files as stored at creation (path -> sha256)
    selector: str = "score_child"  # see evolution/selection.py; "latest" is the no-archive ablation
    frozen_meta: bool = False  # ablation: children keep the seed's meta level (its agent.toml says which)
    screen_tasks: int = 4  # train tasks of the first evaluation stage
    screen_margin: float = 0.25  # a child is promising if its screen score >= parent's - margin
    meta_timeout_s: float = 300.0  # for one run of the meta agent (it stops proposing at half of it)
    executor: str = "local"  # where children are made: see evolution/executors/
    ray_address: str | None = None

    def planned(self) -> int:
        """The variants the run makes when nothing stops it early."""
        return 1 + self.generations * self.parallel

    @classmethod
    def upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Version 1 had no version field; 1 and 2 had no sections."""
        if data.get("version", 1) == 1:
            if "seed" in data:  # "seed" also named the first variant; the random seed is random_seed now
                data["random_seed"] = data.pop("seed")
            data["version"] = 2
        if data["version"] == 2:
            data = {**sectioned(data), "version": 3}
        return data

    def validate(self) -> EvolutionSettings:
        from evoforge.evolution.agents import agent_folder
        from evoforge.evolution.executors import EXECUTORS
        from evoforge.evolution.selection import SELECTORS

        super().validate()
        if self.selector not in SELECTORS:
            raise EvoforgeError(f"unknown selector {self.selector!r} (choose {', '.join(SELECTORS)})")
        if self.executor not in EXECUTORS:
            raise EvoforgeError(f"unknown executor {self.executor!r} (choose {', '.join(EXECUTORS)})")
        agent_folder(self.agent)
        if self.generations < 1 or self.parallel < 1:
            raise EvoforgeError("--generations and --parallel must be at least 1")
        if self.screen_tasks < 1:
            raise EvoforgeError("screen_tasks must be at least 1")
        return self
