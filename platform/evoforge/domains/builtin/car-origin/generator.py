"""Car names and their makers' origins from the `vega_datasets` wheel's cars data (never vendored
here): one row per distinct name, dealt into splits reproducibly from the run's seed. The data's
origins (USA, Europe, Japan) are labelled as the adjectives a small model says itself ("a Japanese
car"): American, European, Japanese."""
from __future__ import annotations

import importlib.resources
import json
import random
from typing import Iterator

SPLITS = ("train", "validation", "test")
ORIGINS = {"USA": "American", "Europe": "European", "Japan": "Japanese"}  # the data's word -> the label


def distinct_cars() -> list[tuple[str, str]]:
    """(name, origin label) of every distinct car name, sorted by name (the data repeats a name
    across model years; a name never has two origins)."""
    rows = json.loads((importlib.resources.files("vega_datasets") / "_data" / "cars.json").read_text(encoding="utf-8"))
    origins: dict[str, str] = {}
    for row in rows:
        origins.setdefault(" ".join(row["Name"].split()), ORIGINS[row["Origin"]])
    return sorted(origins.items())


def generate(seed: int, sizes: dict[str, int]) -> Iterator[dict]:
    cars = distinct_cars()
    random.Random(f"car-origin:{seed}").shuffle(cars)
    start = 0
    for split in SPLITS:
        for index, (car, origin) in enumerate(cars[start:start + sizes[split]]):
            yield {"id": f"car-{split}-{index}", "split": split, "car": car, "origin": origin}
        start += sizes[split]
