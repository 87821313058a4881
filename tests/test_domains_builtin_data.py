"""The built-in data domains: arithmetic's phrasings are held out between splits, car-origin's
cars come from the installed vega_datasets wheel, deduplicated and split by the seed."""
from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import pytest

from evoforge.domains import get_domain
from evoforge.domains.registry import BUILTIN_FOLDERS
from evoforge.splits import SPLITS

SEEDS = range(5)
WORD = re.compile(r"[a-z]+")
FUNCTION_WORDS = {"a", "an", "the", "and", "of", "to", "in", "on", "for", "he", "she", "it", "its", "there", "had", "has", "have",
                  "is", "are", "was", "were", "how", "many", "does", "do", "did", "with", "then", "but", "at", "now", "still"}


def generator(domain: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"builtin_{domain.replace('-', '_')}", BUILTIN_FOLDERS / domain / "generator.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def story_pattern(story: str) -> re.Pattern[str]:
    return re.compile(re.escape(story).replace(r"\{a\}", r"\d+").replace(r"\{b\}", r"\d+").replace(r"\{c\}", r"\d+") + "$")


def content_words(text: str) -> set[str]:
    return set(WORD.findall(text.lower())) - FUNCTION_WORDS


def test_arithmetic_splits_ask_the_same_operations_with_disjoint_stories():
    stories = generator("arithmetic").STORIES
    assert all(set(stories[split]) == set(stories["train"]) for split in SPLITS)  # the same six operations
    told = {split: {text for texts in stories[split].values() for text in texts} for split in SPLITS}
    assert all(not told[a] & told[b] for a in SPLITS for b in SPLITS if a < b)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_arithmetic_question_is_told_with_a_story_of_its_own_split_only(seed):
    stories = generator("arithmetic").STORIES
    patterns = {split: [story_pattern(text) for texts in stories[split].values() for text in texts] for split in SPLITS}
    domain = get_domain("arithmetic", seed=seed)
    assert {split: len(domain.tasks(split)) for split in SPLITS} == {"train": 12, "validation": 12, "test": 24}
    for split in SPLITS:
        for task in domain.tasks(split):
            matches = {other for other in SPLITS if any(p.match(task.inputs["question"]) for p in patterns[other])}
            assert matches == {split}, (task.inputs["question"], matches)


def test_no_word_that_marks_an_operation_on_train_appears_in_validation_or_test():
    """A word -> operation table learned on train (each operation's words no other operation's
    train stories use) finds none of its words in the held-out stories."""
    train = generator("arithmetic").STORIES["train"]
    held_out = generator("arithmetic").STORIES
    for operation, texts in train.items():
        own = set().union(*map(content_words, texts))
        others = set().union(*(content_words(t) for other, ts in train.items() if other != operation for t in ts))
        cues = own - others
        assert cues, operation.name
        for split in ("validation", "test"):
            for text in (t for ts in held_out[split].values() for t in ts):
                assert not cues & content_words(text), (operation.name, split, text, cues & content_words(text))


@pytest.mark.parametrize("seed", SEEDS)
def test_arithmetic_answers_are_the_operations_on_the_numbers(seed):
    rows = list(generator("arithmetic").generate(seed, {"train": 12, "validation": 12, "test": 24}))
    operations = {op.name: op for op in generator("arithmetic").OPERATIONS}
    for row in rows:
        assert row["answer"] >= 0, row  # counts of things stay non-negative
    assert len({row["operation"] for row in rows}) >= 4 and all(row["operation"] in operations for row in rows)


def test_car_origin_reads_the_wheels_cars_one_row_per_distinct_name():
    cars = generator("car-origin").distinct_cars()
    names = [name for name, _ in cars]
    assert len(cars) == 311 and len(set(names)) == len(names)
    assert {origin for _, origin in cars} == {"American", "European", "Japanese"}
    assert ("toyota corolla 1200", "Japanese") in cars


@pytest.mark.parametrize("seed", SEEDS)
def test_car_origin_splits_are_reproducible_disjoint_and_follow_the_seed(seed):
    first, again = get_domain("car-origin", seed=seed), get_domain("car-origin", seed=seed)
    assert {split: len(first.tasks(split)) for split in SPLITS} == {"train": 16, "validation": 12, "test": 36}
    assert all(first.tasks(split) == again.tasks(split) for split in SPLITS)
    names = [task.inputs["car"] for split in SPLITS for task in first.tasks(split)]
    assert len(set(names)) == len(names)
    assert [t.inputs for t in get_domain("car-origin", seed=seed + 100).tasks("test")] != [t.inputs for t in first.tasks("test")]
    task = first.tasks("train")[0]
    assert set(task.inputs) == {"car"} and first.evaluate(task, first.reveal(task)).value == 1.0
    assert first.evaluate(task, first.reveal(task).lower()).value == 1.0  # case does not matter
    assert first.evaluate(task, None).value == 0.0
