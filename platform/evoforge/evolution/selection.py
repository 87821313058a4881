"""Parent selection strategies, chosen by name (see `SELECTORS`).

A strategy sees only small facts about candidate parents (id, validation score, number of
children, generation) and returns the ids of the parents of the next generation. It must be
deterministic for a given `random.Random`, so a resumed run makes the same choices.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Candidate:
    id: int
    score: float
    children: int
    generation: int
    birth_order: tuple[int, ...] = ()  # (generation, index in it, id): candidates come sorted by it

    @property
    def order(self) -> tuple[int, ...]:
        """Its place in the run's plan (generation and id where no birth order was given)."""
        return self.birth_order or (self.generation, self.id)


class ParentSelector(Protocol):
    def select(self, candidates: list[Candidate], count: int, rng: random.Random) -> list[int]:
        """Ids of `count` parents (repeats allowed) drawn from non-empty `candidates`."""
        ...


class ScoreChildSelector:
    """The Darwin Gödel Machine's rule, as used by its hyperagent extension.

    weight = sigmoid(sharpness * (score - midpoint)) / (1 + children), where the midpoint is the
    mean of the `top_k` best scores: good variants are favoured, and variants that already have
    many children make way for the rest, which keeps exploration open-ended.
    """

    def __init__(self, sharpness: float = 10.0, top_k: int = 3):
        self.sharpness, self.top_k = sharpness, top_k

    def weights(self, candidates: list[Candidate]) -> list[float]:
        best = sorted((c.score for c in candidates), reverse=True)[: self.top_k]
        midpoint = sum(best) / len(best)
        return [
            1.0 / (1.0 + math.exp(-self.sharpness * (c.score - midpoint))) / (1.0 + c.children)
            for c in candidates
        ]

    def select(self, candidates: list[Candidate], count: int, rng: random.Random) -> list[int]:
        return [c.id for c in rng.choices(candidates, weights=self.weights(candidates), k=count)]


class LatestSelector:
    """The 'no archive' ablation: always extend the newest valid variant."""

    def select(self, candidates: list[Candidate], count: int, rng: random.Random) -> list[int]:
        newest = max(candidates, key=lambda c: c.order)
        return [newest.id] * count


class RootSelector:
    """The fixed-budget baseline: every child is the seed's, so the run is the seed's meta step
    repeated (best of N at the same budget), with no lineage to build on."""

    def select(self, candidates: list[Candidate], count: int, rng: random.Random) -> list[int]:
        root = min(candidates, key=lambda c: c.order)
        return [root.id] * count


SELECTORS: dict[str, type] = {"score_child": ScoreChildSelector, "latest": LatestSelector, "root": RootSelector}
