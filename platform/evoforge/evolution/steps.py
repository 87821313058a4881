"""The work of each graph node on the driver: evaluate the seed, get a child made, pick parents.

Each step is idempotent: a variant carries a proposal key (`seed`, `g3-s1`, ...), so a step
re-run after a crash finds the variant it already archived instead of making a twin.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from evoforge.archive import NewContractEvent, NewUsage, Variant, VariantStatus
from evoforge.domains.base import agent_task
from evoforge.evolution.context import EvolutionContext
from evoforge.evolution.evaluation import read_output
from evoforge.evolution.events import VariantArchived, VariantEvaluated, VariantProposed
from evoforge.evolution.selection import Candidate
from evoforge.evolution.worker import ChildOutcome, ChildWork
from evoforge.models import UsageRecord
from evoforge.runs.events import BudgetReached
from evoforge.runs.stopping import Stop, StopReason, StopRequested

SEED_KEY = "seed"


def archive_variant(ctx: EvolutionContext, key: str, parent: Variant | None, generation: int, outcome: ChildOutcome) -> tuple[Variant, Stop | None]:
    fields, result = dict(outcome.fields), outcome.result
    error = fields.pop("error", None)
    contract_events = [
        NewContractEvent(r.contract, len(r.attempts), r.violations, r.fallback_used, r.model,
                         r.prompt_tokens, r.completion_tokens, r.cost_usd, r.latency_s)
        for r in result.records
    ]
    usage = [NewUsage(u.model, u.prompt_tokens, u.completion_tokens, u.cost_usd, u.latency_s, u.ok, u.error, u.contract) for u in outcome.usage]
    archived = VariantArchived(0, key, parent.id if parent else None, generation, fields["score"], str(fields["status"]),
                               outcome.summary[:300], error)
    # One transaction: a crash leaves either the variant with all its evidence, or nothing.
    variant = ctx.archive.add_variant(
        ctx.run_id, outcome.files, parent_id=parent.id if parent else None, generation=generation, summary=outcome.summary,
        proposal_key=key, evaluations=result.evaluations, events=[archived.stored()],
        contract_events=contract_events, usage=usage, **fields,
    )
    ctx.events.notify(dataclasses.replace(archived, variant_id=variant.id))
    if result.budget_exceeded:
        ctx.events.emit(BudgetReached(result.budget_exceeded))
        return variant, Stop(StopReason.BUDGET, result.budget_exceeded)
    return variant, None


def seed_step(ctx: EvolutionContext) -> tuple[int, Stop | None]:
    """Evaluate and archive the seed hyperagent (once). Returns its id and any budget stop."""
    existing = ctx.archive.find_proposal(ctx.run_id, SEED_KEY)
    if existing is not None:
        return existing.id, None
    usage: list[UsageRecord] = []
    worker = ctx.worker
    fields, result = worker.evaluate(worker.seed_files, None, usage)
    if ctx.services.stop.requested:  # its sandboxes may have been cut short: evaluate it again on resume
        raise StopRequested(ctx.services.stop.detail)
    ctx.events.emit(VariantEvaluated(SEED_KEY, fields["scores"], fields["valid_parent"]))
    variant, stop = archive_variant(ctx, SEED_KEY, None, 0, ChildOutcome(worker.seed_files, "the seed hyperagent", fields, result, usage))
    return variant.id, stop


def child_step(ctx: EvolutionContext, generation: int, index: int, parent_id: int) -> tuple[int, Stop | None]:
    """Have the parent's meta agent make a child (on the run's executor), archive it (once per key)."""
    key = f"g{generation}-s{index}"
    existing = ctx.archive.find_proposal(ctx.run_id, key)
    if existing is not None:
        return existing.id, None
    if ctx.services.stop.requested:
        raise StopRequested(ctx.services.stop.detail)
    parent = ctx.archive.variant(parent_id)
    ctx.events.emit(VariantProposed(key, parent_id))
    work = ChildWork(key, generation, parent_id, ctx.archive.files(parent_id), parent.scores.get("screen"),
                     eval_log(ctx, parent_id), ctx.worker.rng("child", generation, index).randrange(2**31))
    outcome = ctx.executor.run_child(work)
    if ctx.services.stop.requested:  # its sandboxes may have been cut short: make it again on resume
        raise StopRequested(ctx.services.stop.detail)
    ctx.events.emit(VariantEvaluated(key, outcome.fields.get("scores", {}), bool(outcome.fields.get("valid_parent"))))
    variant, stop = archive_variant(ctx, key, parent, generation, outcome)
    return variant.id, stop


def eval_log(ctx: EvolutionContext, variant_id: int) -> list[dict[str, Any]]:
    """The variant's train results, as its meta agent may see them (never validation or test)."""
    domain = ctx.worker.domain
    train = {task.id: task for task in domain.tasks("train")}
    reveal = getattr(domain, "reveal", None)  # optional: a domain may keep even train answers to itself
    log = []
    for evaluation in ctx.archive.evaluations(variant_id):
        task = train.get(evaluation.task_id)
        if evaluation.split != "train" or task is None:
            continue
        told = agent_task(domain, task)
        log.append({"task_id": evaluation.task_id, **{k: v for k, v in told.items() if k != "id"},
                    "expected": reveal(task) if reveal else None, "answer": read_output(evaluation.output),
                    "score": evaluation.score, "detail": evaluation.error or "correct"})
    return log


def select_parents(ctx: EvolutionContext, generation: int) -> list[int]:
    variants = ctx.archive.tree(ctx.run_id)  # ids, scores and flags only: no files
    children: dict[int, int] = {}
    for variant in variants:
        if variant.parent_id is not None:
            children[variant.parent_id] = children.get(variant.parent_id, 0) + 1
    # In plan order, not id order: ids follow which parallel child finished first.
    candidates = [Candidate(v.id, v.score, children.get(v.id, 0), v.generation, v.birth_order)
                  for v in sorted(variants, key=lambda v: v.birth_order)
                  if v.valid_parent and v.status == VariantStatus.VALID and v.score is not None]
    if not candidates:
        return []
    return ctx.selector.select(candidates, ctx.config.parallel, ctx.worker.rng("select", generation))


def best_score(ctx: EvolutionContext) -> float | None:
    scores = [v.score for v in ctx.archive.tree(ctx.run_id) if v.score is not None]
    return max(scores) if scores else None
