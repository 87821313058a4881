"""Aggregates the UI and the CLI show: scores per generation, per-contract behaviour and model
usage. Each is one grouped query, computed by the database."""
from __future__ import annotations

from sqlalchemy import case, func, select

from evoforge.archive.base import ArchiveBase
from evoforge.archive.records import ContractStats, GenerationStats, UsageTotals
from evoforge.archive.tables import ContractEvent, ModelUsage, Variant, VariantStatus


def _count_if(condition: object) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class RunStats(ArchiveBase):
    def generations(self, run_id: int) -> list[GenerationStats]:
        """Score over generations: counts, best and mean score of the valid variants."""
        valid = Variant.status == VariantStatus.VALID
        query = (
            select(
                Variant.generation, func.count(), _count_if(valid),
                func.max(case((valid, Variant.score))), func.avg(case((valid, Variant.score))),
            )
            .where(Variant.run_id == run_id)
            .group_by(Variant.generation)
            .order_by(Variant.generation)
        )
        with self._read() as session:
            return [GenerationStats(g, n, int(ok), best, None if mean is None else float(mean))
                    for g, n, ok, best, mean in session.execute(query)]

    def contract_stats(self, run_id: int) -> list[ContractStats]:
        """Per contract: calls, calls with any violation, violation messages, fallbacks."""
        violations = func.json_array_length(ContractEvent.violations)
        query = (
            select(
                ContractEvent.contract, func.count(), _count_if(violations > 0),
                func.coalesce(func.sum(violations), 0), _count_if(ContractEvent.fallback_used),
                func.avg(ContractEvent.attempts), func.coalesce(func.sum(ContractEvent.cost_usd), 0.0),
            )
            .where(ContractEvent.run_id == run_id)
            .group_by(ContractEvent.contract)
            .order_by(ContractEvent.contract)
        )
        with self._read() as session:
            return [ContractStats(name, calls, int(violated), int(messages), int(fallbacks), float(attempts), float(cost))
                    for name, calls, violated, messages, fallbacks, attempts, cost in session.execute(query)]

    def usage_totals(self, run_id: int) -> list[UsageTotals]:
        """Model usage per model: calls, failed calls, tokens, cost and total latency."""
        query = (
            select(
                ModelUsage.model, func.count(), _count_if(ModelUsage.ok.is_(False)),
                func.sum(ModelUsage.prompt_tokens), func.sum(ModelUsage.completion_tokens),
                func.sum(ModelUsage.cost_usd), func.sum(ModelUsage.latency_s),
            )
            .where(ModelUsage.run_id == run_id)
            .group_by(ModelUsage.model)
            .order_by(ModelUsage.model)
        )
        with self._read() as session:
            return [UsageTotals(model, calls, int(failed), int(pt), int(ct), float(cost), float(lat))
                    for model, calls, failed, pt, ct, cost, lat in session.execute(query)]
