"""The CEGIS search over a store's candidates: propose, then close each candidate.

    propose -> parse -> (ruled out by a known counterexample?) -> verify
       ^                                                          |
       +---- counterexamples, unparsed programs, train failures --+

Each new counterexample is replayed on every candidate not yet verified (refute.py); those it
refutes are ruled out without a solver call and listed in its `ruled_out`. Proven programs are
scored on train, and their failures feed back to the proposer.

The search keeps nothing but caches: it reads the candidates from its `CandidateStore`, and the
proposers' feedback is derived from those alone, so a search over an archived run's candidates
(a resumed run) continues exactly as the original would have. It changes candidates but never
saves them: the run's steps (synthesis/steps.py) save what changed, with the events that say so.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import NamedTuple

from evoforge.archive.statuses import CandidateStatus
from evoforge.synthesis.language.parser import ProgramError, parse_program
from evoforge.synthesis.language.program import Program
from evoforge.synthesis.search.candidate import Candidate, CandidateStore
from evoforge.synthesis.search.evaluation import EvalReport, Evaluate
from evoforge.synthesis.search.proposing import Feedback, Problem, Proposer, TrainFailure
from evoforge.synthesis.search.refute import refutation, refutes
from evoforge.synthesis.search.verify import Counterexample, Verdict, VerifiedProgram, Verifier


class Verified(NamedTuple):
    """What closing one candidate changed."""

    closed: list[Candidate]  # it, and those its new counterexample ruled out or found unparsable
    extended: list[Candidate]  # an earlier candidate whose counterexample ruled it out (its `ruled_out` grew)


class Search:
    """The CEGIS state of one synthesis problem, read from `store`."""

    def __init__(self, problem: Problem, verifier: Verifier, evaluate: Evaluate, store: CandidateStore):
        self.problem, self.verifier, self.evaluate, self.store = problem, verifier, evaluate, store
        self._programs: dict[int, Program] = {}
        self._examples: dict[int, Counterexample] = {}

    def candidates(self) -> list[Candidate]:
        return self.store.candidates()

    def of_round(self, round_: int) -> list[Candidate]:
        return [c for c in self.candidates() if c.round == round_]

    def pending(self) -> list[Candidate]:
        return [c for c in self.candidates() if c.status == CandidateStatus.PROPOSED]

    def feedback(self) -> Feedback:
        """What the proposers see, derived from the candidates in order (the same after a resume)."""
        feedback = Feedback()
        candidates = self.candidates()
        for candidate in candidates:
            feedback.tried.append(candidate.source)
            if candidate.status == CandidateStatus.UNPARSED:
                feedback.unparsed.append((candidate.source, candidate.reason))
            elif candidate.status == CandidateStatus.COUNTEREXAMPLE and candidate.counterexample is not None:
                feedback.counterexamples.append((candidate.source, self._example(candidate)))
            elif candidate.status == CandidateStatus.RULED_OUT and candidate.ruled_out_by is not None:
                example = self._example(candidates[candidate.ruled_out_by])
                feedback.counterexamples.append((candidate.source, self._refutation(candidate, example)))
            elif candidate.status == CandidateStatus.PROVEN:
                feedback.verified.append(candidate.source)
                feedback.failures += [TrainFailure(**failure) for failure in candidate.evidence.get("failures", [])]
        return feedback

    def propose(self, proposer: Proposer, round_: int, count: int) -> list[Candidate]:
        """New candidates (proposed, not yet kept) of the proposer's next batch; [] when it has none."""
        earlier = self.candidates()
        new: list[Candidate] = []
        for proposal in proposer.propose(self.problem, self.feedback(), count):
            parent = next((c.index for c in [*earlier, *new] if c.source == proposal.parent), None)
            new.append(Candidate(len(earlier) + len(new), round_, proposal.origin, proposal.source, parent_index=parent))
        return new

    def verify(self, candidate: Candidate) -> Verified:
        """Close one pending candidate: parse, replay known counterexamples, prove, score on train."""
        program = self._program(candidate)
        if program is None:
            return Verified([candidate], [])
        for owner in self._owners():
            if refutes(self._example(owner), program, self.problem.task, self.problem.specs):
                self._rule_out(candidate, owner)
                return Verified([candidate], [owner])
        verdict = self.verifier.verify(program, self.problem.task)
        # Scored before anything changes: a spent budget or a stop leaves the candidate pending.
        train = self.evaluate(VerifiedProgram(program, verdict), program.defaults(), "train") if verdict.proven else None
        candidate.verdict = verdict.to_dict()
        candidate.counterexample = asdict(verdict.counterexample) if verdict.counterexample is not None else None
        self._close(candidate, CandidateStatus(verdict.status), verdict.reason)
        if train is not None:
            self._score_train(candidate, train)
        if candidate.counterexample is None:
            return Verified([candidate], [])
        closed = [candidate]
        for other in self.pending():
            other_program = self._program(other)
            if other_program is None:
                closed.append(other)
            elif refutes(self._example(candidate), other_program, self.problem.task, self.problem.specs):
                self._rule_out(other, candidate)
                closed.append(other)
        return Verified(closed, [])

    def verified(self, candidate: Candidate) -> VerifiedProgram:
        """A proven candidate's program with its proof."""
        program = self._program(candidate)
        assert program is not None and candidate.verdict is not None, f"candidate #{candidate.index} is not proven"
        return VerifiedProgram(program, Verdict.from_dict(candidate.verdict))

    def best(self) -> Candidate | None:
        """Best train score first; among equals the one whose calls the guard rejects least (a
        program that pins a call's output leaves the model no room), then most parameters, then earliest."""
        scored = [c for c in self.candidates() if c.status == CandidateStatus.PROVEN and c.train is not None]
        if not scored:
            return None
        return max(scored, key=lambda c: (c.train["score"], -(c.train["fallback_rate"] + c.train["rejection_rate"]),
                                          len(self.verified(c).program.params), -c.index))

    def reached(self, target_train: float) -> bool:
        return any(c.train is not None and c.train["score"] >= target_train
                   for c in self.candidates() if c.status == CandidateStatus.PROVEN)

    def _owners(self) -> list[Candidate]:
        """The candidates whose counterexamples are known, in the order they were found."""
        return [c for c in self.candidates() if c.counterexample is not None]

    def _example(self, owner: Candidate) -> Counterexample:
        if owner.index not in self._examples:
            assert owner.counterexample is not None
            self._examples[owner.index] = Counterexample(**owner.counterexample)
        return self._examples[owner.index]

    def _program(self, candidate: Candidate) -> Program | None:
        """The candidate's parsed program; an unparsable one is closed as unparsed."""
        if candidate.index not in self._programs:
            try:
                self._programs[candidate.index] = parse_program(candidate.source, self.problem.task, self.problem.specs)
            except ProgramError as error:
                self._close(candidate, CandidateStatus.UNPARSED, str(error))
                return None
        return self._programs[candidate.index]

    @staticmethod
    def _close(candidate: Candidate, status: CandidateStatus, reason: str) -> None:
        candidate.status, candidate.reason = status, reason

    def _refutation(self, candidate: Candidate, example: Counterexample) -> Counterexample:
        """`example` as the ruled-out candidate met it (its own result and broken clause)."""
        program = self._program(candidate)
        own = program and refutation(example, program, self.problem.task, self.problem.specs)
        return own or example

    def _rule_out(self, candidate: Candidate, owner: Candidate) -> None:
        number = [c.index for c in self._owners()].index(owner.index)  # the counterexamples' numbering, as shown
        owner.ruled_out.append(candidate.index)
        candidate.ruled_out_by = owner.index
        self._close(candidate, CandidateStatus.RULED_OUT, f"refuted by counterexample {number}: {self._example(owner).describe()}")

    @staticmethod
    def _score_train(candidate: Candidate, report: EvalReport) -> None:
        candidate.scores["train"] = report.score
        candidate.psi_violations["train"] = report.psi_violations
        failures = [TrainFailure(o.task_id, o.inputs, o.output, o.score, o.detail, candidate.source) for o in report.outcomes if o.score < 1.0]
        candidate.evidence.update(train=report.summary(), failures=[asdict(f) for f in failures])
