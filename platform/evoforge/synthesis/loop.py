"""The synthesis loop: search and verify in a CEGIS loop, then learn, then report test.

    propose -> parse -> (ruled out by a known counterexample?) -> verify
       ^                                                          |
       +---- counterexamples, unparsed programs, train failures --+

Each new counterexample is replayed on every candidate not yet verified (refute.py); those it
refutes are ruled out without a solver call, and the counterexample records how many it ruled
out. Verified programs are scored on train (their failures feed back to the proposer); the best
is learned (parameters tuned on train, chosen by validation) and scored once on test.

`Search` holds the loop's state as plain candidate records, and the proposers' feedback is
derived from those records alone, so a search rebuilt from archived records (`Search.restore`,
a resumed run) continues exactly as the original would have. `synthesize` runs it in memory;
the LangGraph graph (graph.py) runs the same steps with checkpoints.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Callable

from evoforge.synthesis.evaluation import EvalReport, Evaluate
from evoforge.synthesis.learn import Learner, LearnResult
from evoforge.synthesis.parser import ProgramError, parse_program
from evoforge.synthesis.program import Program
from evoforge.synthesis.propose import Candidate, Feedback, Problem, Proposer, TrainFailure
from evoforge.synthesis.refute import refutation, refutes
from evoforge.synthesis.verify import Counterexample, Verdict, VerifiedProgram, Verifier

PROPOSED = "proposed"  # not yet verified; every other status is final


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
    status: str = PROPOSED  # unparsed | ruled_out | proven | counterexample | unknown
    reason: str = ""
    verdict: dict[str, Any] | None = None
    ruled_out_by: int | None = None  # the counterexample's index
    train: dict[str, Any] | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)  # train failures (TrainFailure fields)


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


class Search:
    """The CEGIS state of one synthesis problem: its candidates and counterexamples."""

    def __init__(self, problem: Problem, verifier: Verifier, evaluate: Evaluate,
                 emit: Callable[[SynthesisEvent], None] | None = None):
        self.problem, self.verifier, self.evaluate = problem, verifier, evaluate
        self.emit = emit or (lambda event: None)
        self.candidates: list[CandidateRecord] = []
        self.examples: list[CounterexampleRecord] = []
        self._programs: dict[int, Program] = {}

    @classmethod
    def restore(cls, problem: Problem, verifier: Verifier, evaluate: Evaluate, records: list[CandidateRecord],
                emit: Callable[[SynthesisEvent], None] | None = None) -> "Search":
        """The search as it stood after `records` (in index order), without re-verifying any."""
        search = cls(problem, verifier, evaluate, emit)
        for record in sorted(records, key=lambda r: r.index):
            search.candidates.append(record)
            if record.status == "counterexample" and record.verdict and record.verdict.get("counterexample"):
                example = Verdict.from_dict(record.verdict).counterexample
                assert example is not None
                search.examples.append(CounterexampleRecord(len(search.examples), record.index, example))
            elif record.status == "ruled_out" and record.ruled_out_by is not None:
                search.examples[record.ruled_out_by].ruled_out.append(record.index)
        return search

    def feedback(self) -> Feedback:
        """What the proposers see, derived from the records in order (the same after a resume)."""
        feedback = Feedback()
        for record in self.candidates:
            feedback.tried.append(record.source)
            if record.status == "unparsed":
                feedback.unparsed.append((record.source, record.reason))
            elif record.status == "counterexample" and record.verdict:
                example = Verdict.from_dict(record.verdict).counterexample
                if example is not None:
                    feedback.counterexamples.append((record.source, example))
            elif record.status == "ruled_out" and record.ruled_out_by is not None:
                feedback.counterexamples.append((record.source, self._refutation(record, self.examples[record.ruled_out_by].example)))
            elif record.status == "proven":
                feedback.verified.append(record.source)
                feedback.failures += [TrainFailure(**failure) for failure in record.failures]
        return feedback

    def propose(self, proposer: Proposer, round_: int, count: int) -> list[CandidateRecord]:
        """New records (status `proposed`) for the proposer's next batch; [] when it has none."""
        batch = proposer.propose(self.problem, self.feedback(), count)
        return [self._record(candidate, round_) for candidate in batch]

    def pending(self) -> list[CandidateRecord]:
        return [record for record in self.candidates if record.status == PROPOSED]

    def verify(self, record: CandidateRecord) -> list[CandidateRecord]:
        """Close one pending record: parse, replay known counterexamples, prove, score on train.
        Returns every record this changed (a new counterexample may rule out later ones)."""
        program = self._program(record)
        if program is None:
            return [record]
        for example in self.examples:
            if refutes(example.example, program, self.problem.task, self.problem.specs):
                self._rule_out(record, example)
                return [record]
        verdict = self.verifier.verify(program, self.problem.task)
        record.verdict = verdict.to_dict()
        self._close(record, verdict.status, verdict.reason)
        if verdict.proven:
            self._train(record, VerifiedProgram(program, verdict))
            return [record]
        if verdict.counterexample is None:
            return [record]
        example = CounterexampleRecord(len(self.examples), record.index, verdict.counterexample)
        self.examples.append(example)
        changed = [record]
        for other in self.pending():
            other_program = self._program(other)
            if other_program is not None and refutes(example.example, other_program, self.problem.task, self.problem.specs):
                self._rule_out(other, example)
                changed.append(other)
            elif other_program is None:
                changed.append(other)
        return changed

    def verified(self) -> list[tuple[VerifiedProgram, dict[str, Any], int]]:
        """Proven candidates with their train summaries and indices."""
        out = []
        for record in self.candidates:
            if record.status == "proven" and record.verdict is not None and record.train is not None:
                program = parse_program(record.source, self.problem.task, self.problem.specs)
                out.append((VerifiedProgram(program, Verdict.from_dict(record.verdict)), record.train, record.index))
        return out

    def best(self) -> tuple[VerifiedProgram, int] | None:
        """Best train score first; among equals the one whose calls the guard rejects least (a
        program that pins a call's output leaves the model no room), then most parameters, then earliest."""
        verified = self.verified()
        if not verified:
            return None
        best, _, index = max(verified, key=lambda v: (
            v[1]["score"], -(v[1]["fallback_rate"] + v[1]["rejection_rate"]), len(v[0].program.params), -v[2]))
        return best, index

    def reached(self, target_train: float) -> bool:
        return any(r.train is not None and r.train["score"] >= target_train for r in self.candidates if r.status == "proven")

    def _record(self, candidate: Candidate, round_: int) -> CandidateRecord:
        parent = next((c.index for c in self.candidates if c.source == candidate.parent), None)
        record = CandidateRecord(len(self.candidates), candidate.source, candidate.origin, parent, round_)
        self.candidates.append(record)
        self.emit(SynthesisEvent(EventKind.PROPOSED, {"candidate": record.index, "origin": record.origin, "parent": parent}))
        return record

    def _program(self, record: CandidateRecord) -> Program | None:
        """The record's parsed program; an unparsable one is closed as `unparsed`."""
        if record.index not in self._programs:
            try:
                self._programs[record.index] = parse_program(record.source, self.problem.task, self.problem.specs)
            except ProgramError as error:
                self._close(record, "unparsed", str(error))
                return None
        return self._programs[record.index]

    def _close(self, record: CandidateRecord, status: str, reason: str) -> None:
        record.status, record.reason = status, reason
        kind = {"unparsed": EventKind.UNPARSED, "ruled_out": EventKind.RULED_OUT}.get(status, EventKind.VERIFIED)
        self.emit(SynthesisEvent(kind, {"candidate": record.index, "status": status, "reason": reason}))

    def _refutation(self, record: CandidateRecord, example: Counterexample) -> Counterexample:
        """`example` as the ruled-out candidate met it (its own result and broken clause)."""
        program = self._program(record)
        own = program and refutation(example, program, self.problem.task, self.problem.specs)
        return own or example

    def _rule_out(self, record: CandidateRecord, example: CounterexampleRecord) -> None:
        example.ruled_out.append(record.index)
        record.ruled_out_by = example.index
        self._close(record, "ruled_out", f"refuted by counterexample {example.index}: {example.example.describe()}")

    def _train(self, record: CandidateRecord, verified: VerifiedProgram) -> None:
        report = self.evaluate(verified, verified.program.defaults(), "train")
        record.train = report.summary()
        record.failures = [asdict(TrainFailure(o.task_id, o.inputs, o.output, o.score, o.detail, record.source))
                           for o in report.outcomes if o.score < 1.0]
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
    search = Search(problem, verifier, evaluate, emit)
    stop = f"{rounds} round(s) done"
    for round_ in range(rounds):
        if not search.propose(proposer, round_, per_round):
            stop = f"proposer '{proposer.name}' has nothing new to propose"
            break
        for record in search.pending():
            if record.status == PROPOSED:  # an earlier one's counterexample may have ruled it out
                search.verify(record)
        if search.reached(target_train):
            stop = f"a proven program reached train score {target_train}"
            break
    chosen = search.best()
    if chosen is None:
        return SynthesisResult(search.candidates, search.examples, None, None, None, stop + "; no program was proven")
    best, index = chosen
    learned = learner.learn(best, evaluate, study)
    emit(SynthesisEvent(EventKind.LEARNED, {"candidate": index, "params": learned.params, "validation": learned.validation.summary(),
                                            "trials": learned.trials, "reproved": learned.reproved}))
    test = evaluate(best, learned.params, "test")
    emit(SynthesisEvent(EventKind.TESTED, {"candidate": index, **test.summary()}))
    return SynthesisResult(search.candidates, search.examples, best, learned, test, stop)
