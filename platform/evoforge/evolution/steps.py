"""The work of each graph node: evaluate the seed, make one child, pick parents.

Each step is idempotent: a variant carries a proposal key (`seed`, `g3-s1`, ...), so a step
re-run after a crash finds the variant it already archived instead of making a twin.
"""
from __future__ import annotations

import json
from typing import Any

from evoforge.archive import NewContractEvent, NewEvent, NewUsage, RunEventKind, Variant, VariantStatus
from evoforge.evolution.context import RunContext
from evoforge.evolution.evaluation import StageResult, run_tasks
from evoforge.evolution.meta import Proposal, freeze_meta, propose_child
from evoforge.evolution.selection import Candidate
from evoforge.models import UsageRecord


def evaluate_variant(ctx: RunContext, files: dict[str, str], parent_screen: float | None, usage: list[UsageRecord]) -> tuple[dict[str, Any], StageResult]:
    """Screen on a few train tasks; if promising, evaluate on the rest. Returns variant fields."""
    plan, timeout = ctx.plan, ctx.config.task_timeout_s
    result = run_tasks(ctx.domain, ctx.sandbox, ctx.new_guard(usage), files, plan.screen, "screen", timeout)
    screen = result.mean("train") or 0.0
    broken = result.crashed or all(e.error and not e.output for e in result.evaluations)
    if broken:
        reason = result.crashed or "every screening task raised an error"
        return {"status": VariantStatus.INVALID, "valid_parent": False, "score": None, "scores": {"screen": 0.0}, "error": reason}, result
    promising = parent_screen is None or screen >= parent_screen - ctx.config.screen_margin
    if not promising or result.budget_exceeded:
        return {"status": VariantStatus.VALID, "valid_parent": False, "score": None, "scores": {"screen": screen}}, result
    result.extend(run_tasks(ctx.domain, ctx.sandbox, ctx.new_guard(usage), files, plan.full, "full", timeout))
    scores = {"screen": screen, **{split: result.mean(split) for split in ("train", "validation", "test")}}
    scores = {k: v for k, v in scores.items() if v is not None}
    return {"status": VariantStatus.VALID, "valid_parent": True, "score": scores.get("validation"), "scores": scores}, result


def archive_variant(ctx: RunContext, key: str, files: dict[str, str], parent: Variant | None, generation: int,
                    fields: dict[str, Any], result: StageResult, usage: list[UsageRecord], summary: str) -> Variant:
    error = fields.pop("error", None)
    payload = {"proposal_key": key, "parent_id": parent.id if parent else None, "generation": generation,
               "score": fields["score"], "status": str(fields["status"]), **({"error": error} if error else {})}
    contract_events = [
        NewContractEvent(r.contract, len(r.attempts), r.violations, r.fallback_used, r.model,
                         r.prompt_tokens, r.completion_tokens, r.cost_usd, r.latency_s)
        for r in result.records
    ]
    calls = [NewUsage(u.model, u.prompt_tokens, u.completion_tokens, u.cost_usd, u.latency_s, u.ok, u.error, u.contract) for u in usage]
    # One transaction: a crash leaves either the variant with all its evidence, or nothing.
    variant = ctx.archive.add_variant(
        ctx.run_id, files, parent_id=parent.id if parent else None, generation=generation, summary=summary,
        proposal_key=key, evaluations=result.evaluations, events=[NewEvent(RunEventKind.VARIANT_ARCHIVED, payload)],
        contract_events=contract_events, usage=calls, **fields,
    )
    if result.budget_exceeded:
        ctx.archive.add_event(ctx.run_id, RunEventKind.BUDGET_REACHED, {"reason": result.budget_exceeded})
    ctx.on_variant(variant.id)
    return variant


def seed_step(ctx: RunContext) -> tuple[int, str | None]:
    """Evaluate and archive the seed hyperagent (once). Returns its id and any budget stop."""
    existing = ctx.archive.find_proposal(ctx.run_id, "seed")
    if existing is not None:
        return existing.id, None
    usage: list[UsageRecord] = []
    fields, result = evaluate_variant(ctx, ctx.seed_files, None, usage)
    variant = archive_variant(ctx, "seed", ctx.seed_files, None, 0, fields, result, usage, "the seed hyperagent")
    return variant.id, result.budget_exceeded


def child_step(ctx: RunContext, generation: int, slot: int, parent_id: int) -> tuple[int, str | None]:
    """Let the parent's meta agent make a child, evaluate it, archive it (once per key)."""
    key = f"g{generation}-s{slot}"
    existing = ctx.archive.find_proposal(ctx.run_id, key)
    if existing is not None:
        return existing.id, None
    parent = ctx.archive.variant(parent_id)
    parent_files = ctx.archive.files(parent_id)
    ctx.archive.add_event(ctx.run_id, RunEventKind.VARIANT_PROPOSED, {"proposal_key": key, "parent_id": parent_id})
    usage: list[UsageRecord] = []
    seed = ctx.rng("child", generation, slot).randrange(2**31)
    proposal = propose_child(ctx.sandbox, ctx.new_guard(usage), parent_files, eval_log(ctx, parent_id), seed, ctx.config.meta_timeout_s)
    if proposal.files is None:
        return _archive_failed_proposal(ctx, key, parent, parent_files, generation, proposal, usage), None
    files, summary = proposal.files, proposal.summary
    if ctx.config.frozen_meta:
        files = freeze_meta(files, ctx.seed_files)
        summary += " (meta agent frozen: its own edits were reverted)"
    fields, result = evaluate_variant(ctx, files, parent.scores.get("screen"), usage)
    result.records[:0] = proposal.records
    variant = archive_variant(ctx, key, files, parent, generation, fields, result, usage, summary)
    return variant.id, result.budget_exceeded


def _archive_failed_proposal(ctx: RunContext, key: str, parent: Variant, parent_files: dict[str, str], generation: int,
                             proposal: Proposal, usage: list[UsageRecord]) -> int:
    """A meta agent that crashed still leaves a (broken) child in the lineage, never selected."""
    fields = {"status": VariantStatus.INVALID, "valid_parent": False, "score": None, "scores": {}, "error": proposal.error}
    result = StageResult(records=proposal.records)
    return archive_variant(ctx, key, parent_files, parent, generation, fields, result, usage, proposal.error or "").id


def eval_log(ctx: RunContext, variant_id: int) -> list[dict[str, Any]]:
    """The variant's train results, as its meta agent may see them (never validation or test)."""
    inputs = {task.id: task.inputs for task in ctx.domain.tasks("train")}
    log = []
    for evaluation in ctx.archive.evaluations(variant_id):
        if evaluation.split != "train":
            continue
        answer = json.loads(evaluation.output) if evaluation.output else None
        log.append({"task_id": evaluation.task_id, "inputs": inputs.get(evaluation.task_id, {}), "answer": answer,
                    "score": evaluation.score, "detail": evaluation.error or "correct"})
    return log


def select_parents(ctx: RunContext, generation: int) -> list[int]:
    variants = ctx.archive.tree(ctx.run_id)  # ids, scores and flags only: no files
    children: dict[int, int] = {}
    for variant in variants:
        if variant.parent_id is not None:
            children[variant.parent_id] = children.get(variant.parent_id, 0) + 1
    candidates = [Candidate(v.id, v.score, children.get(v.id, 0), v.generation)
                  for v in variants if v.valid_parent and v.status == VariantStatus.VALID and v.score is not None]
    if not candidates:
        return []
    return ctx.selector.select(candidates, ctx.config.parallel, ctx.rng("select", generation))
