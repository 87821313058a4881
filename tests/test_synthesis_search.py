"""Search: CEGIS with the offline grammar proposer, counterexamples ruling out candidates, repair."""
from __future__ import annotations

from scripted_model import ScriptedModel
from synthesis_support import CountingDomain, echo_plus, load

from evoforge.archive import RunEventKind, open_archive
from evoforge.archive.statuses import CandidateStatus
from evoforge.runs.events import RunEvents
from evoforge.synthesis.archive_store import ArchiveCandidates
from evoforge.synthesis.in_memory import synthesize
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.search.evaluation import LocalEvaluation
from evoforge.synthesis.search.grammar import GrammarProposer
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.repair import guard_clause
from evoforge.synthesis.search.verify import Verifier


def test_cegis_converges_to_a_proven_program_through_counterexamples(tmp_path):
    specs, tasks = load(tmp_path)
    task = tasks.get("bounded_guess")
    model = ScriptedModel(respond=echo_plus(4))  # guess answers n + 4: within its contract, not always within Psi
    evaluate = LocalEvaluation(CountingDomain(offset=4), task, specs, model)
    events = []
    result = synthesize(
        Problem(task, specs), GrammarProposer(), Verifier(), OptunaLearner(f"sqlite:///{tmp_path}/study.db", trials=2),
        evaluate, study="cegis", rounds=4, per_round=4, on_event=events.append,
    )
    first = result.candidates[0]
    assert first.status == CandidateStatus.COUNTEREXAMPLE and "result <= 2 * n" in first.reason  # guess alone can exceed 2n
    assert result.best is not None and result.best.status == CandidateStatus.PROVEN and result.program.verdict.proven
    repaired = [c for c in result.candidates if c.origin == "repair"]
    assert repaired and repaired[0].parent_index == 0 and repaired[0].status == CandidateStatus.PROVEN
    assert result.best.psi_violations["test"] == 0
    assert result.best.scores["test"] == 1.0  # test n >= 70: n + 4 <= 2n, so the model's answer is kept
    assert result.stop_reason == "a proven program reached train score 1.0"
    kinds = [e.kind for e in events]
    assert {RunEventKind.ROUND_PROPOSED, RunEventKind.CANDIDATE_CLOSED, RunEventKind.PARAMETERS_LEARNED, RunEventKind.TEST_SCORED} == set(kinds)
    assert kinds.count(RunEventKind.CANDIDATE_CLOSED) == len(result.candidates) and kinds[-1] == RunEventKind.TEST_SCORED


def test_each_counterexample_records_the_candidates_it_ruled_out(tmp_path):
    specs, tasks = load(tmp_path)
    task = tasks.get("reading")
    evaluate = LocalEvaluation(CountingDomain(), task, specs, ScriptedModel(['{"value": 1, "note": ""}']))
    result = synthesize(
        Problem(task, specs), GrammarProposer(), Verifier(), OptunaLearner(f"sqlite:///{tmp_path}/study.db", trials=1),
        evaluate, study="ruled", rounds=3, per_round=25, target_train=2.0,
    )
    ruled = [c for c in result.candidates if c.status == CandidateStatus.RULED_OUT]
    assert ruled, [c.status for c in result.candidates]
    assert sum(len(c.ruled_out) for c in result.candidates) == len(ruled)
    for candidate in ruled:  # ruled out without a proof attempt, by a counterexample found earlier
        owner = result.candidates[candidate.ruled_out_by]
        assert candidate.verdict is None and owner.index < candidate.index and candidate.index in owner.ruled_out
        assert owner.counterexample is not None
        # and rightly: the verifier rejects it too
        program = parse_program(candidate.source, task, specs)
        assert not Verifier().verify(program, task).proven


def test_the_repair_guards_the_violated_clause_with_the_proven_fallback(tmp_path):
    specs, tasks = load(tmp_path)
    task = tasks.get("bounded_guess")
    source = 'def solve(n):\n    x = call("guess", n=n)\n    return x\n'
    repaired = guard_clause(source, task, "result <= 2 * n")
    assert repaired == 'def solve(n):\n    x = call(\'guess\', n=n)\n    result = x\n    if result <= 2 * n:\n        return result\n    return n\n'
    assert Verifier().verify(parse_program(repaired, task, specs), task).proven
    # A second clause joins the same check rather than nesting a second guard.
    again = guard_clause(repaired, task, "result >= 0")
    assert "if result <= 2 * n and result >= 0:" in again


def test_the_archive_keeps_each_candidate_as_the_search_holds_it(tmp_path):
    """One record: a search's candidates, saved in the archive and read back, are equal field by field."""
    specs, tasks = load(tmp_path)
    task = tasks.get("bounded_guess")
    evaluate = LocalEvaluation(CountingDomain(offset=4), task, specs, ScriptedModel(respond=echo_plus(4)))
    result = synthesize(Problem(task, specs), GrammarProposer(), Verifier(), OptunaLearner(f"sqlite:///{tmp_path}/study.db", trials=1),
                        evaluate, study="kept", rounds=3, per_round=4)
    archive = open_archive(tmp_path / "archive.db")
    run = archive.create_run("counting", "scripted", config={"kind": "synthesis"})
    ArchiveCandidates(archive, run.id, RunEvents(archive, run.id), [], []).save(result.candidates, [])
    kept = ArchiveCandidates(archive, run.id, RunEvents(archive, run.id), [], []).candidates()
    assert kept == result.candidates
    assert {CandidateStatus.COUNTEREXAMPLE, CandidateStatus.RULED_OUT, CandidateStatus.PROVEN} <= {c.status for c in kept}
    assert all(type(c.status) is CandidateStatus for c in kept) and "test" in kept[result.best.index].evidence
