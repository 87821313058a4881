"""Integer word problems, generated reproducibly from a seed.

Each problem combines two or three small integers through one of several story templates.
`generate` returns rows with the question (what agents see) and the exact answer (the label).
"""
from __future__ import annotations

import random
from typing import Callable, Iterator, NamedTuple

SPLITS = ("train", "validation", "test")


class Template(NamedTuple):
    text: str
    answer: Callable[[int, int, int], int]


TEMPLATES = [
    Template("Tom has {a} apples and buys {b} more. How many apples does he have?", lambda a, b, c: a + b),
    Template("A shelf holds {a} books. {b} are taken away. How many books are left?", lambda a, b, c: a - b),
    Template("There are {a} boxes with {b} pens in each. How many pens are there?", lambda a, b, c: a * b),
    Template("Ana saves {a} coins a day for {b} days, then spends {c}. How many coins are left?", lambda a, b, c: a * b - c),
    Template("A bus has {a} riders. {b} get off and {c} get on. How many riders are on the bus?", lambda a, b, c: a - b + c),
    Template("A farm has {a} hens and {b} ducks. Each bird lays {c} eggs. How many eggs in all?", lambda a, b, c: (a + b) * c),
]


def generate(seed: int, sizes: dict[str, int]) -> Iterator[dict]:
    """`sizes[split]` problems per split, all drawn from one random stream fixed by `seed`."""
    rng = random.Random(f"arithmetic:{seed}")
    for split in SPLITS:
        for index in range(sizes[split]):
            template = rng.choice(TEMPLATES)
            a, b, c = rng.randint(2, 30), rng.randint(2, 12), rng.randint(1, 9)
            if "taken away" in template.text or "get off" in template.text:
                a = max(a, b + 1)  # keep counts of things non-negative
            yield {"id": f"arith-{split}-{index}", "split": split,
                   "question": template.text.format(a=a, b=b, c=c), "answer": template.answer(a, b, c)}
