"""Parent selection strategies and the arithmetic domain's determinism and evaluator."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from evoforge.domains import get_domain, list_domains
from evoforge.errors import EvoforgeError
from evoforge.evolution.selection import Candidate, LatestSelector, ScoreChildSelector


def test_score_child_selection_favours_high_scores_and_few_children():
    candidates = [Candidate(1, 0.9, 0, 1), Candidate(2, 0.9, 6, 1), Candidate(3, 0.1, 0, 1)]
    counts = Counter(ScoreChildSelector().select(candidates, 3000, random.Random(0)))
    assert counts[1] > counts[2] > 0
    assert counts[1] > counts[3]
    assert sum(counts.values()) == 3000


def test_selection_is_deterministic_for_a_seed():
    candidates = [Candidate(i, i / 10, i % 3, 1) for i in range(8)]
    first = ScoreChildSelector().select(candidates, 5, random.Random(42))
    assert first == ScoreChildSelector().select(candidates, 5, random.Random(42))


def test_latest_selector_is_the_no_archive_ablation():
    candidates = [Candidate(1, 0.9, 0, 0), Candidate(5, 0.0, 0, 2), Candidate(4, 0.5, 0, 2)]
    assert LatestSelector().select(candidates, 2, random.Random(0)) == [5, 5]


def test_arithmetic_domain_is_reproducible_and_splits_are_disjoint():
    first, second = get_domain("arithmetic", seed=3), get_domain("arithmetic", seed=3)
    assert [t.inputs for t in first.tasks("test")] == [t.inputs for t in second.tasks("test")]
    ids = [t.id for split in ("train", "validation", "test") for t in first.tasks(split)]
    assert len(ids) == len(set(ids))
    assert get_domain("arithmetic", seed=4).tasks("train") != first.tasks("train")


def test_arithmetic_evaluator_scores_bad_answers_without_raising():
    domain = get_domain("arithmetic", seed=0)
    task = domain.tasks("train")[0]
    for bad in (None, "seven", 3.5, True, {"value": 1}, "1" * 10000):
        assert domain.evaluate(task, bad).value == 0.0
    label = domain._labels[task.id]["answer"]
    assert domain.evaluate(task, label).value == 1.0
    assert domain.evaluate(task, str(label)).value == 1.0


def test_tasks_carry_no_labels():
    domain = get_domain("arithmetic", seed=0)
    for task in domain.tasks("validation"):
        assert set(task.inputs) == {"question"}


def test_domains_are_listed_and_unknown_names_are_clear():
    assert "arithmetic" in dict(list_domains())
    with pytest.raises(EvoforgeError, match="unknown domain 'nope'"):
        get_domain("nope")
