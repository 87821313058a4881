"""Record and replay of model calls for tests whose prompts come from real agents.

`ReplayModel` answers each call from a recording file keyed by the call's model name, messages
and sampling settings. A call that is not in the recording is not answered with a default: it is
kept in `misses` and the test fails (see `assert_no_misses`), naming the switch that records it.

One switch re-records against the real embedded model: `EVOFORGE_RECORD=1 bash scripts/test.sh
tests/test_loop.py tests/test_ui.py` (new answers are added to the file; commit it).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from pathlib import Path

from evoforge.models.base import Completion, Message, Sampling

RECORDINGS = Path(__file__).resolve().parent / "recordings" / "models.json"
RECORD_SWITCH = "EVOFORGE_RECORD"
MODEL = "local/smollm2"  # what the recording holds: the embedded model at temperature 0


def recording() -> bool:
    return os.environ.get(RECORD_SWITCH) == "1"


class ReplayModel:
    name = MODEL

    def __init__(self, path: Path = RECORDINGS):
        self.path, self.misses = path, []
        self._lock = threading.Lock()
        self._real = None

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: Sampling | None = None) -> Completion:
        key = _key(messages, sampling)
        entries = _load(self.path)
        if key in entries:
            return Completion(text=entries[key]["text"], model=self.name)
        if not recording():
            with self._lock:
                self.misses.append(f"{contract}: {messages[-1].content[:120]!r}")
            return Completion(text="", model=self.name)  # the test fails on the miss; this answer is never used as evidence
        completion = self._record_model().complete(messages, contract=contract, sampling=sampling)
        _store(self.path, key, {"contract": contract, "prompt": messages[-1].content[:200], "text": completion.text})
        return completion

    def _record_model(self):  # the real embedded model, as runs use it
        with self._lock:
            if self._real is None:
                from evoforge.models import resolve_model

                self._real = resolve_model(None, temperature=0.0, max_tokens_cap=64, seed=0)
            return self._real

    def assert_no_misses(self) -> None:
        assert not self.misses, (f"{len(self.misses)} model call(s) not in {self.path.name}; re-record with "
                                 f"{RECORD_SWITCH}=1: " + "; ".join(self.misses[:3]))


def _key(messages: list[Message], sampling: Sampling | None) -> str:
    settings = [sampling.max_tokens, sampling.temperature] if sampling else None
    if sampling is not None and sampling.seed is not None:  # a seeded sample is its own answer
        settings.append(sampling.seed)
    text = json.dumps([MODEL, [[m.role, m.content] for m in messages], settings])
    return hashlib.sha256(text.encode()).hexdigest()


def _load(path: Path) -> dict[str, dict[str, str]]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _store(path: Path, key: str, entry: dict[str, str | None]) -> None:
    """Add one answer, safely across the processes of a recording session."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        entries = _load(path)
        entries[key] = entry
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(path)
