"""The work of each node of the synthesis graph: propose a round, verify it, learn, score test.

Every step reads the candidates through the job's search (its store), changes what it closes,
and saves what changed with the events that say so in one `save` (an archived run: one
transaction, with the step's model usage and guarded calls). Each first looks among the
candidates for its own finished work, so a step re-run after a crash (kill -9 between its save
and the checkpoint) adds nothing twice.
"""
from __future__ import annotations

from evoforge.archive.statuses import CandidateStatus
from evoforge.synthesis.events import CandidateClosed, ParametersLearned, RoundProposed, ScoredOnTest
from evoforge.synthesis.job import SynthesisJob


def propose_round(job: SynthesisJob, round_: int) -> list[int]:
    """Propose round `round_`'s candidates (once); their indices, [] when the proposer has none."""
    done = job.search.of_round(round_)
    if done:
        return [c.index for c in done]
    job.check_stop()
    new = job.search.propose(job.proposer, round_, job.per_round)
    if new:
        job.store.save(new, [RoundProposed(round_, [c.index for c in new], job.proposer.name)])
    return [c.index for c in new]


def verify_round(job: SynthesisJob) -> bool:
    """Close every pending candidate, one save each; whether one reached the target."""
    for candidate in job.search.pending():
        if candidate.status != CandidateStatus.PROPOSED:  # ruled out by an earlier one's counterexample
            continue
        job.check_stop()
        closed, extended = job.search.verify(candidate)
        events = [CandidateClosed(c.index, c.origin, c.status, c.reason[:500], c.train["score"] if c.train else None) for c in closed]
        job.store.save([*closed, *extended], events)
    return job.search.reached(job.target_train)


def learn_best(job: SynthesisJob) -> int | None:
    """Tune the best proven candidate's parameters (once); its index, None when none is proven."""
    best = job.search.best()
    if best is None:
        return None
    if "learn" in best.evidence:
        return best.index
    learned = job.learner.learn(job.search.verified(best), job.search.evaluate, job.study)
    validation = learned.validation
    best.params = learned.params
    best.scores["validation"], best.psi_violations["validation"] = validation.score, validation.psi_violations
    best.evidence.update(learn={"study": learned.study, "trials": learned.trials, "new_trials": learned.new_trials,
                                "reproved": learned.reproved, "train_loss": learned.train_loss,
                                "stop_reason": learned.stop_reason, "shortlist": learned.shortlist},
                         validation=validation.summary())
    job.store.save([best], [ParametersLearned(best.index, learned.params, validation.score, learned.trials, learned.reproved)])
    return best.index


def score_test(job: SynthesisJob, index: int) -> None:
    """Score the learned program once on test."""
    learned = job.search.candidates()[index]
    if "test" in learned.scores:
        return
    report = job.search.evaluate(job.search.verified(learned), dict(learned.params), "test")
    learned.scores["test"], learned.psi_violations["test"] = report.score, report.psi_violations
    learned.evidence["test"] = report.summary()
    job.store.save([learned], [ScoredOnTest(index, report.score, report.psi_violations)])
