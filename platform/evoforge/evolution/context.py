"""Everything a run's steps need that is not graph state: archive, domain, sandbox, contracts,
model budget. Built from the run's stored configuration, so a resumed run gets the same one."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from evoforge.archive import Archive
from evoforge.contracts import SpecSet, load_specs
from evoforge.domains import Domain, get_domain
from evoforge.errors import EvoforgeError
from evoforge.evolution.config import RunConfig
from evoforge.evolution.evaluation import StagePlan
from evoforge.evolution.guard_service import GuardService
from evoforge.evolution.selection import SELECTORS, ParentSelector
from evoforge.models import Budget, UsageRecord, resolve_model
from evoforge.paths import AGENTS_DIR, SPECS_DIR
from evoforge.sandbox import Sandbox, get_sandbox

META_SPECS = [SPECS_DIR / "python_code.toml"]  # the contracts the seed meta agent calls
MODEL_MAX_TOKENS = 64  # short answers keep a run on the small embedded model quick (JSON answers need ~20)


def agent_files(name: str) -> dict[str, str]:
    """The files of the starting agent: an absolute folder path, or a folder name under agents/."""
    folder = Path(name) if Path(name).is_absolute() else AGENTS_DIR / name
    if not folder.is_dir():
        raise EvoforgeError(f"no agent folder {folder}: --agent names a folder (a path, or a name under {AGENTS_DIR})")
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def load_run_specs(domain: Domain, extra: Sequence[str] = ()) -> SpecSet:
    files: list[Path] = [*domain.contract_files(), *META_SPECS, *(Path(f).resolve() for f in extra)]
    specs = load_specs(dict.fromkeys(files))
    if not specs.all_proven:
        problems = [str(p) for p in specs.problems] + [f"{c.where}: {c.proof.reason}" for c in specs.contracts.values() if c.proof and not c.proof.proven]
        raise EvoforgeError("the run's contracts are not all proven: " + "; ".join(problems))
    return specs


@dataclass
class RunContext:
    run_id: int
    config: RunConfig
    archive: Archive
    domain: Domain
    sandbox: Sandbox
    specs: SpecSet
    budget: Budget
    seed_files: dict[str, str]
    plan: StagePlan
    selector: ParentSelector
    on_variant: Callable[[int], None] = field(default=lambda variant_id: None)

    @classmethod
    def build(cls, run_id: int, config: RunConfig, archive: Archive) -> "RunContext":
        sandbox = get_sandbox(config.sandbox)
        domain = get_domain(config.domain, seed=config.seed, sandbox=sandbox, **config.domain_options)
        run = archive.run(run_id)
        budget = Budget(config.max_cost_usd, config.max_tokens, config.max_calls)
        # A resumed run starts from what it already spent.
        budget.calls, budget.tokens, budget.cost_usd = run.model_calls, run.prompt_tokens + run.completion_tokens, run.cost_usd
        if config.selector not in SELECTORS:
            raise EvoforgeError(f"unknown selector {config.selector!r} (choose {', '.join(SELECTORS)})")
        return cls(
            run_id=run_id, config=config, archive=archive, domain=domain, sandbox=sandbox,
            specs=load_run_specs(domain, config.spec_files), budget=budget, seed_files=agent_files(config.agent),
            plan=StagePlan.for_domain(domain, config.screen_tasks), selector=SELECTORS[config.selector](),
        )

    def new_guard(self, usage: list[UsageRecord]) -> GuardService:
        """A guard service whose model calls count against the run's budget and land in `usage`."""
        model = resolve_model(self.config.model, budget=self.budget, on_usage=usage.append,
                              max_tokens=MODEL_MAX_TOKENS, seed=self.config.seed)
        return GuardService(self.specs, model)

    def rng(self, *key: object) -> random.Random:
        """A random stream fixed by the run's seed and `key`, so a resumed step repeats its choices."""
        return random.Random(":".join(map(str, (self.config.seed, *key))))
