"""The work of each node of the synthesis graph: propose a round, verify it, learn, score test.

Every step rebuilds the search from the archived candidates, does its work, and saves what it
changed in one transaction (with its model usage, guarded calls and events). Each first checks
the archive for its own finished work, so a step re-run after a crash (kill -9 between its save
and the checkpoint) adds nothing twice.
"""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, Sequence

from evoforge.archive import CandidateFacts, NewContractEvent, NewEvent, NewUsage, SynthesisCandidate
from evoforge.evolution.steps import StopRequested
from evoforge.synthesis.context import SynthesisContext
from evoforge.synthesis.events import CandidateClosed, ParametersLearned, RoundProposed, ScoredOnTest
from evoforge.synthesis.loop import PROPOSED, CandidateRecord, Search
from evoforge.synthesis.parser import parse_program
from evoforge.synthesis.verify import Verdict, VerifiedProgram


def restore(ctx: SynthesisContext) -> tuple[Search, dict[int, SynthesisCandidate]]:
    rows = {row.index: row for row in ctx.archive.candidates(ctx.run_id)}
    # The archive names the candidate whose counterexample ruled another out; the search, the counterexample.
    example_of = {index: n for n, index in enumerate(i for i, row in sorted(rows.items()) if row.counterexample is not None)}
    records = [
        CandidateRecord(row.index, row.source, row.origin, row.parent_index, row.round, row.status, row.reason, row.verdict,
                        None if row.ruled_out_by is None else example_of[row.ruled_out_by],
                        row.evidence.get("train"), list(row.evidence.get("failures", [])))
        for row in rows.values()
    ]
    return Search.restore(ctx.problem, ctx.verifier, ctx.evaluate, records), rows


def _facts(search: Search, record: CandidateRecord, row: SynthesisCandidate | None) -> CandidateFacts:
    example = next((e for e in search.examples if e.candidate == record.index), None)
    kept: dict[str, Any] = {"params": {}, "scores": {}, "psi_violations": {}, "evidence": {}}
    if row is not None:
        kept = {"params": row.params, "scores": dict(row.scores), "psi_violations": dict(row.psi_violations), "evidence": dict(row.evidence)}
    if record.train is not None:
        kept["scores"]["train"] = record.train["score"]
        kept["psi_violations"]["train"] = record.train["psi_violations"]
        kept["evidence"].update(train=record.train, failures=record.failures)
    return CandidateFacts(
        record.index, record.round, record.origin, record.source, record.status, parent_index=record.parent,
        reason=record.reason, verdict=record.verdict, counterexample=asdict(example.example) if example else None,
        ruled_out=list(example.ruled_out) if example else [],
        ruled_out_by=None if record.ruled_out_by is None else search.examples[record.ruled_out_by].candidate, **kept,
    )


def _save(ctx: SynthesisContext, facts: Sequence[CandidateFacts], events: Sequence[Any]) -> None:
    usage, calls = ctx.usage[:], ctx.calls[:]
    del ctx.usage[:len(usage)], ctx.calls[:len(calls)]
    ctx.archive.save_candidates(
        ctx.run_id, facts, events=[NewEvent(e.kind, e.payload()) for e in events],
        usage=[NewUsage(u.model, u.prompt_tokens, u.completion_tokens, u.cost_usd, u.latency_s, u.ok, u.error, u.contract) for u in usage],
        contract_events=[NewContractEvent(r.contract, len(r.attempts), r.violations, r.fallback_used, r.model, r.prompt_tokens,
                                          r.completion_tokens, r.cost_usd, r.latency_s) for r in calls],
    )
    for event in events:
        ctx.events.notify(event)


def flush(ctx: SynthesisContext) -> None:
    """Archive the model calls made since the last save (a step cut short by a spent budget or a
    stop made them too, and the run's totals must count them)."""
    if ctx.usage or ctx.calls:
        _save(ctx, [], [])


def search_step(ctx: SynthesisContext, round_: int) -> list[int]:
    """Propose round `round_`'s candidates (once); their indices, [] when the proposer has none."""
    search, _ = restore(ctx)
    done = [r.index for r in search.candidates if r.round == round_]
    if done:
        return done
    if ctx.services.stop.requested:
        raise StopRequested(ctx.services.stop.detail)
    records = search.propose(ctx.proposer, round_, ctx.config.per_round)
    if records:
        _save(ctx, [_facts(search, r, None) for r in records], [RoundProposed(round_, [r.index for r in records], ctx.proposer.name)])
    return [r.index for r in records]


def verify_step(ctx: SynthesisContext) -> bool:
    """Close every pending candidate, one saved transaction each; whether one reached the target."""
    search, rows = restore(ctx)
    for record in search.pending():
        if record.status != PROPOSED:  # ruled out by an earlier one's counterexample
            continue
        if ctx.services.stop.requested:
            raise StopRequested(ctx.services.stop.detail)
        changed = search.verify(record)
        owners = {search.examples[r.ruled_out_by].candidate for r in changed if r.ruled_out_by is not None}
        changed += [search.candidates[i] for i in owners if all(r.index != i for r in changed)]
        events = [CandidateClosed(r.index, r.origin, r.status, r.reason[:500], r.train["score"] if r.train else None)
                  for r in changed if r.status != PROPOSED and r.index not in owners - {record.index}]
        _save(ctx, [_facts(search, r, rows.get(r.index)) for r in changed], events)
    return search.reached(ctx.config.target_train)


def _verified(row: SynthesisCandidate, ctx: SynthesisContext) -> VerifiedProgram:
    assert row.verdict is not None
    return VerifiedProgram(parse_program(row.source, ctx.problem.task, ctx.problem.specs), Verdict.from_dict(row.verdict))


def learn_step(ctx: SynthesisContext) -> int | None:
    """Tune the best proven candidate's parameters (once); its index, None when none is proven."""
    search, rows = restore(ctx)
    chosen = search.best()
    if chosen is None:
        return None
    best, index = chosen
    row = rows[index]
    if "learn" in row.evidence:
        return index
    learned = ctx.learner.learn(best, ctx.evaluate, ctx.study)
    validation = learned.validation
    learn = {"study": learned.study, "trials": learned.trials, "new_trials": learned.new_trials, "reproved": learned.reproved,
             "train_loss": learned.train_loss, "stop_reason": learned.stop_reason, "shortlist": learned.shortlist}
    facts = CandidateFacts(**{**_row_facts(row), "params": learned.params,
                              "scores": {**row.scores, "validation": validation.score},
                              "psi_violations": {**row.psi_violations, "validation": validation.psi_violations},
                              "evidence": {**row.evidence, "learn": learn, "validation": validation.summary()}})
    _save(ctx, [facts], [ParametersLearned(index, learned.params, validation.score, learned.trials, learned.reproved)])
    return index


def score_test_step(ctx: SynthesisContext, index: int) -> None:
    """Score the learned program once on test."""
    row = next(r for r in ctx.archive.candidates(ctx.run_id) if r.index == index)
    if "test" in row.scores:
        return
    report = ctx.evaluate(_verified(row, ctx), dict(row.params), "test")
    facts = CandidateFacts(**{**_row_facts(row), "scores": {**row.scores, "test": report.score},
                              "psi_violations": {**row.psi_violations, "test": report.psi_violations},
                              "evidence": {**row.evidence, "test": report.summary()}})
    _save(ctx, [facts], [ScoredOnTest(index, report.score, report.psi_violations)])


def _row_facts(row: SynthesisCandidate) -> dict[str, Any]:
    return {name: getattr(row, name) for name in (f.name for f in fields(CandidateFacts))}
