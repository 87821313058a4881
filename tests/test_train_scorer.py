"""The kernel's evaluator as a meta agent may use it (the channel's `score`): train tasks only,
a bounded number of times per meta run, the verdict and the evaluator's words."""
from __future__ import annotations

from evoforge.domains import get_domain
from evoforge.evolution.train_scorer import TrainScorer
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.service import NoService, answer

SIZES = {"sizes": {"train": 3, "validation": 3, "test": 3}}


def test_a_train_answer_is_scored_by_the_domain_s_evaluator_with_its_words():
    domain = get_domain("arithmetic", seed=0, **SIZES)
    task = domain.tasks("train")[0]
    scorer = TrainScorer(domain)
    assert scorer(task.id, domain.reveal(task)) == {"result": {"score": 1.0, "detail": "correct"}}
    wrong = scorer(task.id, domain.reveal(task) + 1)["result"]
    assert wrong["score"] == 0.0 and "wrong" in wrong["detail"]


def test_validation_and_test_tasks_are_never_scored():
    domain = get_domain("arithmetic", seed=0, **SIZES)
    scorer = TrainScorer(domain)
    for split in ("validation", "test"):
        reply = scorer(domain.tasks(split)[0].id, 0)
        assert "train tasks only" in reply["error"]


def test_score_requests_are_bounded_per_meta_run():
    domain = get_domain("arithmetic", seed=0, **SIZES)
    task = domain.tasks("train")[0]
    scorer = TrainScorer(domain, limit=2)
    assert "result" in scorer(task.id, 1) and "result" in scorer(task.id, 2)
    assert "used its 2 score requests" in scorer(task.id, 3)["error"]


def test_the_channel_offers_scoring_only_where_a_scorer_is_given():
    assert "no kernel channel" in answer(NoService(), "score", {"task_id": "x", "answer": 1})["error"]
    service = GuardService(specs=None, model=None)  # a task agent's service: no scorer
    assert "meta agent's run only" in answer(service, "score", {"task_id": "x", "answer": 1})["error"]
    assert "score needs" in answer(service, "score", {"answer": 1})["error"]
