"""The settings of one evolution run. Stored in the archive with the run (with a version, and
upgraded on load), so `resume` rebuilds exactly the same run from its id."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from evoforge.errors import EvoforgeError

CONFIG_VERSION = 2


@dataclass
class RunConfig:
    kind: str = "evolution"  # the run kind (evoforge/runkinds.py): this class is the hyperagent loop's
    domain: str = "arithmetic"
    model: str | None = None  # litellm name; None = the embedded local/smollm2
    generations: int = 3
    parallel: int = 2  # children per generation, produced concurrently
    random_seed: int = 0
    sandbox: str | None = None  # "docker" | "local" | None = docker when an engine answers
    agent: str = "seed"  # the starting hyperagent: a folder under agents/, or a path to a folder
    agent_files: dict[str, str] = field(default_factory=dict)  # its files as stored at creation (path -> sha256)
    selector: str = "score_child"  # see evolution/selection.py; "latest" is the no-archive ablation
    frozen_meta: bool = False  # ablation: children keep the seed's meta level (its agent.toml says which)
    domain_options: dict[str, Any] = field(default_factory=dict)  # e.g. {"sizes": {"train": 8}}
    spec_files: list[str] = field(default_factory=list)  # extra contracts agents may call, beside the domain's
    screen_tasks: int = 4  # train tasks of the first evaluation stage
    screen_margin: float = 0.25  # a child is promising if its screen score >= parent's - margin
    max_cost_usd: float | None = None
    max_tokens: int | None = None
    max_calls: int | None = None
    task_timeout_s: float = 60.0  # per task, inside the sandbox
    meta_timeout_s: float = 300.0  # for one run of the meta agent (it stops proposing at half of it)
    temperature: float = 0.0  # the model's default; a contract may ask for its own
    answer_tokens_cap: int | None = None  # no answer gets more tokens; None = 64 on the embedded model
    model_cache: bool = True  # serve repeated deterministic calls from the archive
    executor: str = "local"  # where children are made: see evolution/executor.py
    ray_address: str | None = None
    version: int = CONFIG_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def planned(self) -> int:
        """The variants the run makes when nothing stops it early."""
        return 1 + self.generations * self.parallel

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunConfig":
        data = upgrade(dict(data))
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise EvoforgeError(f"run configuration has unknown setting(s) {', '.join(sorted(unknown))}")
        return cls(**data)

    def validate(self) -> "RunConfig":
        """Check every setting that can be checked without starting anything (no sandbox, no
        archive, no model), so a typo fails before a run exists or a progress bar is drawn."""
        from evoforge.evolution.agents import agent_folder
        from evoforge.evolution.executor import EXECUTORS
        from evoforge.evolution.selection import SELECTORS
        from evoforge.run_settings import check_shared_settings

        check_shared_settings(self)
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


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A stored configuration brought to CONFIG_VERSION (version 1 had no version field)."""
    if data.get("version", 1) == 1:
        if "seed" in data:  # "seed" also named the first variant; the random seed is random_seed now
            data["random_seed"] = data.pop("seed")
        data["version"] = 2
    return data
