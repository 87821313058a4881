"""BFCL's `simple_python` tasks from the installed `bfcl-eval` wheel, dealt into splits by the seed.

The wheel's data files are found through its distribution metadata and read as JSON lines:
`bfcl_eval` itself is never imported (its dependencies are large, and none is needed to read
data). Each function declaration becomes the answer contract's `Function` record: its
parameters by name (type, description, and the enum and array item type when declared) and
its required parameters.
"""
from __future__ import annotations

import json
import random
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

DISTRIBUTION = "bfcl-eval"
QUESTIONS = "bfcl_eval/data/BFCL_v4_simple_python.json"
ANSWERS = "bfcl_eval/data/possible_answer/BFCL_v4_simple_python.json"
SPLITS = ("train", "validation", "test")


def data_file(name: str) -> Path:
    """A data file of the installed wheel, by its path inside the wheel."""
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise RuntimeError(f"the bfcl domain needs the '{DISTRIBUTION}' wheel: pip install --no-deps {DISTRIBUTION} "
                           "(scripts/bootstrap.sh does)") from None
    path = Path(distribution.locate_file(name))
    if not path.is_file():
        raise RuntimeError(f"'{DISTRIBUTION}' {distribution.version} holds no {name}; install a version that does")
    return path


def _lines(name: str) -> dict[str, dict[str, Any]]:
    rows = (json.loads(line) for line in data_file(name).read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["id"]: row for row in rows}


def function(declaration: dict[str, Any]) -> dict[str, Any]:
    """A BFCL function declaration as the contract's `Function` record."""
    parameters = declaration["parameters"]
    return {
        "name": declaration["name"],
        "description": declaration.get("description", ""),
        "parameters": {name: _parameter(spec) for name, spec in parameters.get("properties", {}).items()},
        "required": list(parameters.get("required", [])),
    }


def _parameter(spec: dict[str, Any]) -> dict[str, Any]:
    record = {"type": spec["type"], "description": spec.get("description", "")}
    if "enum" in spec:
        record["enum"] = [str(value) for value in spec["enum"]]
    if "items" in spec and "type" in spec["items"]:
        record["items"] = spec["items"]["type"]
    return record


def generate(seed: int, sizes: dict[str, int]) -> Iterator[dict[str, Any]]:
    questions, answers = _lines(QUESTIONS), _lines(ANSWERS)
    ids = sorted(questions, key=lambda task_id: int(task_id.rsplit("_", 1)[1]))
    random.Random(f"bfcl:{seed}").shuffle(ids)
    start = 0
    for split in SPLITS:
        for task_id in ids[start:start + sizes[split]]:
            task = questions[task_id]
            yield {"id": task_id, "split": split, "question": task["question"][0][-1]["content"],
                   "functions": [function(f) for f in task["function"]], "ground_truth": answers[task_id]["ground_truth"]}
        start += sizes[split]
