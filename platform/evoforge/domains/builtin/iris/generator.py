"""Fisher's iris measurements from the `vega_datasets` wheel (data, never vendored here), dealt
into splits reproducibly from the run's seed."""
from __future__ import annotations

import importlib.resources
import json
import random
from typing import Iterator

SPLITS = ("train", "validation", "test")
FIELDS = {"sepalLength": "sepal_length", "sepalWidth": "sepal_width", "petalLength": "petal_length", "petalWidth": "petal_width"}


def generate(seed: int, sizes: dict[str, int]) -> Iterator[dict]:
    rows = json.loads((importlib.resources.files("vega_datasets") / "_data" / "iris.json").read_text(encoding="utf-8"))
    random.Random(f"iris:{seed}").shuffle(rows)
    start = 0
    for split in SPLITS:
        for index, row in enumerate(rows[start:start + sizes[split]]):
            yield {"id": f"iris-{split}-{index}", "split": split, "species": row["species"],
                   **{ours: row[theirs] for theirs, ours in FIELDS.items()}}
        start += sizes[split]
