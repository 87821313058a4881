"""The synthesis loop: search and verify in a CEGIS loop, then learn, then report test.

    propose -> parse -> (ruled out by a known counterexample?) -> verify
       ^                                                          |
       +---- counterexamples, unparsed programs, train failures --+

Each new counterexample is replayed on every candidate not yet verified (refute.py); those it
refutes are ruled out without a solver call, and the counterexample records how many it ruled
out. Verified programs are scored on train (their failures feed back to the proposer); the best
is learned (parameters tuned on train, chosen by validation) and scored once on test.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable

from evoforge.synthesis.evaluation import EvalReport, Evaluate
from evoforge.synthesis.learn import Learner, LearnResult
from evoforge.synthesis.parser import ProgramError, parse_program
from evoforge.synthesis.program import Program
from evoforge.synthesis.propose import Candidate, Feedback, Problem, Proposer, TrainFailure
from evoforge.synthesis.refute import refutes
from evoforge.synthesis.verify import Counterexample, VerifiedProgram, Verifier


class EventKind(str, Enum):
    PROPOSED = "candidate_proposed"
    UNPARSED = "candidate_unparsed"
    RULED_OUT = "candidate_ruled_out"
    VERIFIED = "candidate_verified"  # data["status"]: proven | counterexample | unknown
    TRAINED = "candidate_train_scored"
    LEARNED = "parameters_learned"
    TESTED = "test_scored"


@dataclass(frozen=True)
class SynthesisEvent:
    kind: EventKind
    data: dict[str, Any]


@dataclass
class CandidateRecord:
    index: int
    source: str
    origin: str
    parent: int | None
    round: int
    status: str = "proposed"  # unparsed | ruled_out | proven | counterexample | unknown
    reason: str = ""
    verdict: dict[str, Any] | None = None
    ruled_out_by: int | None = None  # the counterexample's index
    train: dict[str, Any] | None = None


@dataclass
class CounterexampleRecord:
    index: int
    candidate: int
    example: Counterexample
    ruled_out: list[int] = field(default_factory=list)  # candidates it refuted without a proof attempt


@dataclass
class SynthesisResult:
    candidates: list[CandidateRecord]
    counterexamples: list[CounterexampleRecord]
    best: VerifiedProgram | None
    learned: LearnResult | None
    test: EvalReport | None
    stop_reason: str


@dataclass
class _Search:
    problem: Problem
    verifier: Verifier
    evaluate: Evaluate
    emit: Callable[[SynthesisEvent], None]
    feedback: Feedback = field(default_factory=Feedback)
    candidates: list[CandidateRecord] = field(default_factory=list)
    examples: list[CounterexampleRecord] = field(default_factory=list)
    verified: list[tuple[VerifiedProgram, EvalReport, int]] = field(default_factory=list)  # (program, train report, index)

    def consider(self, batch: list[Candidate], round_: int) -> None:
        parsed: list[tuple[CandidateRecord, Program]] = []
        for candidate in batch:
            record = self._record(candidate, round_)
            try:
                program = parse_program(candidate.source, self.problem.task, self.problem.specs)
            except ProgramError as error:
                self._close(record, "unparsed", str(error))
                self.feedback.unparsed.append((candidate.source, str(error)))
                continue
            parsed.append((record, program))
        for position, (record, program) in enumerate(parsed):
            if record.status == "ruled_out" or self._ruled_out(record, program):
                continue
            verdict = self.verifier.verify(program, self.problem.task)
            record.verdict = verdict.to_dict()
            self._close(record, verdict.status, verdict.reason)
            if verdict.proven:
                self._train(record, VerifiedProgram(program, verdict))
            elif verdict.counterexample is not None:
                self._new_example(record, verdict.counterexample, parsed[position + 1:])

    def _record(self, candidate: Candidate, round_: int) -> CandidateRecord:
        parent = next((c.index for c in self.candidates if c.source == candidate.parent), None)
        record = CandidateRecord(len(self.candidates), candidate.source, candidate.origin, parent, round_)
        self.candidates.append(record)
        self.emit(SynthesisEvent(EventKind.PROPOSED, {"candidate": record.index, "origin": record.origin, "parent": parent}))
        return record

    def _close(self, record: CandidateRecord, status: str, reason: str) -> None:
        record.status, record.reason = status, reason
        kind = {"unparsed": EventKind.UNPARSED, "ruled_out": EventKind.RULED_OUT}.get(status, EventKind.VERIFIED)
        self.emit(SynthesisEvent(kind, {"candidate": record.index, "status": status, "reason": reason}))

    def _ruled_out(self, record: CandidateRecord, program: Program) -> bool:
        for example in self.examples:
            if refutes(example.example, program, self.problem.task, self.problem.specs):
                self._rule_out(record, example)
                return True
        return False

    def _rule_out(self, record: CandidateRecord, example: CounterexampleRecord) -> None:
        example.ruled_out.append(record.index)
        record.ruled_out_by = example.index
        self._close(record, "ruled_out", f"refuted by counterexample {example.index}: {example.example.describe()}")
        self.feedback.counterexamples.append((record.source, example.example))

    def _new_example(self, record: CandidateRecord, example: Counterexample, pending: list[tuple[CandidateRecord, Program]]) -> None:
        entry = CounterexampleRecord(len(self.examples), record.index, example)
        self.examples.append(entry)
        self.feedback.counterexamples.append((record.source, example))
        for other, program in pending:
            if other.status == "proposed" and refutes(example, program, self.problem.task, self.problem.specs):
                self._rule_out(other, entry)

    def _train(self, record: CandidateRecord, verified: VerifiedProgram) -> None:
        report = self.evaluate(verified, verified.program.defaults(), "train")
        record.train = report.summary()
        self.verified.append((verified, report, record.index))
        self.feedback.verified.append(record.source)
        self.feedback.failures += [
            TrainFailure(o.task_id, o.inputs, o.output, o.score, o.detail, record.source) for o in report.outcomes if o.score < 1.0
        ]
        self.emit(SynthesisEvent(EventKind.TRAINED, {"candidate": record.index, **report.summary()}))


def synthesize(
    problem: Problem,
    proposer: Proposer,
    verifier: Verifier,
    learner: Learner,
    evaluate: Evaluate,
    *,
    study: str,
    rounds: int = 6,
    per_round: int = 6,
    target_train: float = 1.0,
    on_event: Callable[[SynthesisEvent], None] | None = None,
) -> SynthesisResult:
    """Search and verify for up to `rounds` rounds of `per_round` candidates (stopping early once a
    proven program reaches `target_train` on train), then learn the best proven program's
    parameters in the Optuna study `study` and score it once on test."""
    emit = on_event or (lambda event: None)
    search = _Search(problem, verifier, evaluate, emit)
    stop = f"{rounds} round(s) done"
    for round_ in range(rounds):
        batch = proposer.propose(problem, search.feedback, per_round)
        if not batch:
            stop = f"proposer '{proposer.name}' has nothing new to propose"
            break
        search.consider(batch, round_)
        if any(report.score >= target_train for _, report, _ in search.verified):
            stop = f"a proven program reached train score {target_train}"
            break
    if not search.verified:
        return SynthesisResult(search.candidates, search.examples, None, None, None, stop + "; no program was proven")
    # Best train score first; among equals the one whose calls the guard rejects least (a program
    # that pins a call's output leaves the model no room), then most parameters, then earliest.
    best, _, index = max(search.verified, key=lambda v: (
        v[1].score, -(v[1].fallback_rate + v[1].rejection_rate), len(v[0].program.params), -v[2]))
    learned = learner.learn(best, evaluate, study)
    emit(SynthesisEvent(EventKind.LEARNED, {"candidate": index, "params": learned.params, "validation": learned.validation.summary(),
                                            "trials": learned.trials, "reproved": learned.reproved}))
    test = evaluate(best, learned.params, "test")
    emit(SynthesisEvent(EventKind.TESTED, {"candidate": index, **test.summary()}))
    return SynthesisResult(search.candidates, search.examples, best, learned, test, stop)
