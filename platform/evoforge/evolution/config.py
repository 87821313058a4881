"""The settings of one evolution run. Stored in the archive with the run, so `resume` rebuilds
exactly the same run from its id."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from evoforge.errors import EvoforgeError


@dataclass
class RunConfig:
    domain: str = "arithmetic"
    model: str | None = None  # litellm name; None = the embedded local/smollm2
    generations: int = 3
    parallel: int = 2  # children per generation, produced concurrently
    seed: int = 0
    sandbox: str | None = None  # "docker" | "local" | None = docker when an engine answers
    agent: str = "seed"  # folder under agents/ holding the starting hyperagent
    selector: str = "score_child"  # see evolution/selection.py; "latest" is the no-archive ablation
    frozen_meta: bool = False  # ablation: children keep the seed's meta agent and meta settings
    domain_options: dict[str, Any] = field(default_factory=dict)  # e.g. {"sizes": {"train": 8}}
    spec_files: list[str] = field(default_factory=list)  # extra contracts agents may call, beside the domain's
    screen_tasks: int = 4  # train tasks of the first evaluation stage
    screen_margin: float = 0.25  # a child is promising if its screen score >= parent's - margin
    max_cost_usd: float | None = None
    max_tokens: int | None = None
    max_calls: int | None = None
    task_timeout_s: float = 60.0  # per task, inside the sandbox
    meta_timeout_s: float = 180.0  # for one run of the meta agent

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise EvoforgeError(f"run configuration has unknown setting(s) {', '.join(sorted(unknown))}")
        return cls(**data)

    def validate(self) -> "RunConfig":
        """Check every setting that can be checked without starting anything (no sandbox, no
        archive, no model), so a typo fails before a run exists or a progress bar is drawn."""
        from evoforge.domains import list_domains
        from evoforge.evolution.selection import SELECTORS
        from evoforge.paths import agent_folder
        from evoforge.sandbox import BACKENDS

        domains = [name for name, _ in list_domains()]
        if self.domain not in domains:
            raise EvoforgeError(f"unknown domain {self.domain!r} (available: {', '.join(domains)}); see `evoforge domains`")
        if self.sandbox not in (None, *BACKENDS):
            raise EvoforgeError(f"unknown sandbox {self.sandbox!r}: choose {' or '.join(BACKENDS)}, or none for the automatic choice")
        if self.selector not in SELECTORS:
            raise EvoforgeError(f"unknown selector {self.selector!r} (choose {', '.join(SELECTORS)})")
        agent_folder(self.agent)
        missing = [file for file in self.spec_files if not Path(file).is_file()]
        if missing:
            raise EvoforgeError(f"spec file {missing[0]} does not exist: check --specs")
        if self.generations < 1 or self.parallel < 1:
            raise EvoforgeError("--generations and --parallel must be at least 1")
        if self.screen_tasks < 1:
            raise EvoforgeError("screen_tasks must be at least 1")
        return self
