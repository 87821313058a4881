"""The evidence behind a variant and a run: evaluations per task and stage, guarded contract
calls, and model usage (which also keeps the run's totals current)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select, update
from sqlmodel import Session

from evoforge.archive.base import ArchiveBase
from evoforge.archive.records import NewContractEvent, NewEvaluation, NewUsage
from evoforge.archive.tables import ContractEvent, Evaluation, ModelUsage, Run, Split, Variant, utcnow


class EvidenceStore(ArchiveBase):
    def add_evaluations(self, variant_id: int, evaluations: Sequence[NewEvaluation]) -> list[Evaluation]:
        with self._write() as session:
            self._get(session, Variant, variant_id, "variant")
            return self._add_evaluations(session, variant_id, evaluations)

    def _add_evaluations(
        self, session: Session, variant_id: int | None, evaluations: Iterable[NewEvaluation]
    ) -> list[Evaluation]:
        rows = [
            Evaluation(
                variant_id=variant_id, task_id=e.task_id, split=Split(e.split), stage=e.stage,
                score=e.score, output=e.output, error=e.error, seconds=e.seconds, tool_calls=list(e.tool_calls),
            )
            for e in evaluations
        ]
        session.add_all(rows)
        return rows

    def evaluations(self, variant_id: int, *, stage: str | None = None) -> list[Evaluation]:
        query = select(Evaluation).where(Evaluation.variant_id == variant_id)
        if stage is not None:
            query = query.where(Evaluation.stage == stage)
        with self._read() as session:
            return list(session.scalars(query.order_by(Evaluation.id)))

    def add_contract_event(
        self,
        run_id: int,
        contract: str,
        *,
        attempts: int,
        violations: Sequence[str] = (),
        fallback_used: bool = False,
        model: str = "",
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        cost_usd: float = 0.0,
        latency_s: float = 0.0,
        variant_id: int | None = None,
    ) -> ContractEvent:
        """Records one guarded call (the FGGM guard's record). Its tokens and cost are not added
        to the run's totals: the model-usage rows of the same calls carry those."""
        record = NewContractEvent(contract, attempts, violations, fallback_used, model,
                                  prompt_tokens, completion_tokens, cost_usd, latency_s)
        with self._write() as session:
            self._get(session, Run, run_id, "run")
            (event,) = self._add_contract_events(session, run_id, variant_id, [record])
        return event

    def _add_contract_events(
        self, session: Session, run_id: int, variant_id: int | None, records: Iterable[NewContractEvent]
    ) -> list[ContractEvent]:
        rows = [
            ContractEvent(
                run_id=run_id, variant_id=variant_id, contract=r.contract, attempts=r.attempts,
                violations=list(r.violations), fallback_used=r.fallback_used, model=r.model,
                prompt_tokens=r.prompt_tokens, completion_tokens=r.completion_tokens,
                cost_usd=r.cost_usd, latency_s=r.latency_s,
            )
            for r in records
        ]
        session.add_all(rows)
        return rows

    def contract_events(self, run_id: int, *, contract: str | None = None, variant_id: int | None = None) -> list[ContractEvent]:
        query = select(ContractEvent).where(ContractEvent.run_id == run_id)
        if contract is not None:
            query = query.where(ContractEvent.contract == contract)
        if variant_id is not None:
            query = query.where(ContractEvent.variant_id == variant_id)
        with self._read() as session:
            return list(session.scalars(query.order_by(ContractEvent.id)))

    def add_model_usage(
        self,
        run_id: int,
        model: str,
        *,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        cost_usd: float = 0.0,
        latency_s: float = 0.0,
        ok: bool = True,
        error: str | None = None,
        contract: str | None = None,
        variant_id: int | None = None,
    ) -> ModelUsage:
        """Records one model call and adds it to the run's totals in the same transaction."""
        record = NewUsage(model, prompt_tokens, completion_tokens, cost_usd, latency_s, ok, error, contract)
        with self._write() as session:
            self._get(session, Run, run_id, "run")
            (usage,) = self._add_usage(session, run_id, variant_id, [record])
        return usage

    def _add_usage(self, session: Session, run_id: int, variant_id: int | None, records: Sequence[NewUsage]) -> list[ModelUsage]:
        rows = [
            ModelUsage(
                run_id=run_id, variant_id=variant_id, model=r.model, contract=r.contract,
                prompt_tokens=r.prompt_tokens, completion_tokens=r.completion_tokens,
                cost_usd=r.cost_usd, latency_s=r.latency_s, ok=r.ok, error=r.error,
            )
            for r in records
        ]
        if rows:
            session.add_all(rows)
            # Relative update: concurrent writers add up instead of overwriting each other.
            session.execute(
                update(Run).where(Run.id == run_id).values(
                    model_calls=Run.model_calls + len(rows),
                    prompt_tokens=Run.prompt_tokens + sum(r.prompt_tokens for r in records),
                    completion_tokens=Run.completion_tokens + sum(r.completion_tokens for r in records),
                    cost_usd=Run.cost_usd + sum(r.cost_usd for r in records),
                    updated_at=utcnow(),
                )
            )
        return rows

    def model_usage(self, run_id: int) -> list[ModelUsage]:
        with self._read() as session:
            return list(session.scalars(select(ModelUsage).where(ModelUsage.run_id == run_id).order_by(ModelUsage.id)))
