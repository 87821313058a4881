"""Making one child, wherever it runs: the parent's meta agent proposes, the child is evaluated
in stages. Pure work (no archive writes), so an executor can run it on any node; the driver
archives the outcome.

`ChildWork` holds everything a worker needs and nothing it must not see: files and train
evidence, never a label of validation or test.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from evoforge.archive import VariantStatus
from evoforge.contracts import SpecSet
from evoforge.domains import Domain, get_domain
from evoforge.evolution.evaluation import StagePlan, StageResult, run_tasks
from evoforge.evolution.manifest import AgentManifest
from evoforge.evolution.meta import propose_child
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.train_scorer import TrainScorer
from evoforge.models.budget import UsageRecord
from evoforge.models.limits import model_limits
from evoforge.runs.services import ModelFactory
from evoforge.runs.specs import load_proven_specs
from evoforge.sandbox import Sandbox
from evoforge.sandbox.guard_service import GuardService


@dataclass(frozen=True)
class ChildWork:
    proposal_key: str
    generation: int
    parent_id: int
    parent_files: dict[str, str]
    parent_screen: float | None
    eval_log: list[dict[str, Any]]  # the parent's train results, as its meta agent may see them
    meta_seed: int  # the random seed handed to the meta agent


@dataclass
class ChildOutcome:
    files: dict[str, str]  # the child's files (the parent's, when the meta agent failed)
    summary: str
    fields: dict[str, Any]  # status, valid_parent, score, scores and maybe error, for the archive
    result: StageResult
    usage: list[UsageRecord] = field(default_factory=list)


def load_run_specs(domain: Domain, manifest: AgentManifest, agent_folder: Path | None, extra: Sequence[str] = ()) -> SpecSet:
    return load_proven_specs([*domain.contract_files(), *manifest.spec_paths(agent_folder), *(Path(f).resolve() for f in extra)])


@dataclass
class WorkerContext:
    """What making and evaluating a child needs; built the same way on the driver and on workers."""

    config: EvolutionSettings
    domain: Domain
    sandbox: Sandbox
    specs: SpecSet
    models: ModelFactory
    manifest: AgentManifest
    seed_files: dict[str, str]
    plan: StagePlan

    @classmethod
    def build(cls, config: EvolutionSettings, seed_files: dict[str, str], sandbox: Sandbox, models: ModelFactory,
              agent_folder: Path | None = None) -> "WorkerContext":
        domain = get_domain(config.domain.name, seed=config.random_seed, sandbox=sandbox, **config.domain.options)
        manifest = AgentManifest.from_files(seed_files, config.agent)
        return cls(config, domain, sandbox, load_run_specs(domain, manifest, agent_folder, config.domain.spec_files), models,
                   manifest, seed_files, StagePlan.for_domain(domain, config.screen_tasks))

    def guard(self, usage: list[UsageRecord], scorer: TrainScorer | None = None) -> GuardService:
        """A guard service whose model calls count against the run's budget and land in `usage`
        (an episode's tools and the domain's own calls in it share its client: run_tasks); a
        meta agent's also scores train answers (`scorer`)."""
        return GuardService(self.specs, self.models(usage.append), scorer=scorer)

    def rng(self, *key: object) -> random.Random:
        """A random stream fixed by the run's seed and `key`, so a resumed step repeats its choices."""
        return random.Random(":".join(map(str, (self.config.random_seed, *key))))

    def evaluate(self, files: dict[str, str], parent_screen: float | None, usage: list[UsageRecord]) -> tuple[dict[str, Any], StageResult]:
        """Screen on a few train tasks; if promising, evaluate on the rest. Returns variant fields."""
        def stage(tasks: list, name: str) -> StageResult:
            return run_tasks(self.domain, self.sandbox, lambda: self.guard(usage), self.manifest.task,
                             files, tasks, name, self.config.sandbox.task_timeout_s)

        result = stage(self.plan.screen, "screen")
        screen = result.mean("train") or 0.0
        broken = result.crashed or all(e.error and not e.output for e in result.evaluations)
        if broken:
            reason = result.crashed or "every screening task raised an error"
            return {"status": VariantStatus.INVALID, "valid_parent": False, "score": None, "scores": {"screen": 0.0}, "error": reason}, result
        promising = parent_screen is None or screen >= parent_screen - self.config.screen_margin
        if not promising or result.budget_exceeded:
            return {"status": VariantStatus.VALID, "valid_parent": False, "score": None, "scores": {"screen": screen}}, result
        result.extend(stage(self.plan.full, "full"))
        scores = {"screen": screen, **{split: result.mean(split) for split in ("train", "validation", "test")}}
        scores = {k: v for k, v in scores.items() if v is not None}
        return {"status": VariantStatus.VALID, "valid_parent": True, "score": scores.get("validation"), "scores": scores}, result


def make_child(ctx: WorkerContext, work: ChildWork) -> ChildOutcome:
    """The parent's meta agent makes a child, which is then evaluated in stages."""
    usage: list[UsageRecord] = []
    limits = model_limits(ctx.config.model.name, ctx.config.model.answer_tokens_cap).to_dict()
    proposal = propose_child(ctx.sandbox, ctx.guard(usage, TrainScorer(ctx.domain)), ctx.manifest.meta, work.parent_files,
                             work.eval_log, work.meta_seed, ctx.config.meta_timeout_s, limits)
    if proposal.files is None:
        fields = {"status": VariantStatus.INVALID, "valid_parent": False, "score": None, "scores": {}, "error": proposal.error}
        return ChildOutcome(work.parent_files, proposal.error or "", fields, StageResult(records=proposal.records), usage)
    files, summary = proposal.files, proposal.summary
    if ctx.config.frozen_meta:
        files = ctx.manifest.freeze_meta(files, ctx.seed_files)
        summary += " (meta agent frozen: its own edits were reverted)"
    fields, result = ctx.evaluate(files, work.parent_screen, usage)
    result.records[:0] = proposal.records
    return ChildOutcome(files, summary, fields, result, usage)
