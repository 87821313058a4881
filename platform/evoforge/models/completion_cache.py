"""A model client that answers repeated deterministic calls from a store.

A call is deterministic when its effective temperature is 0, or when it names its sampling seed:
the same model, messages and sampling settings then give the same answer, so evolution (which
asks the same questions of many variants) pays for it once. Other sampled calls always reach
the model.
"""
from __future__ import annotations

import hashlib
import json
from typing import Protocol

from evoforge.models.base import Completion, Message, ModelClient, Sampling
from evoforge.models.options import CallOptions


class CompletionStore(Protocol):
    def get(self, key: str) -> Completion | None: ...

    def put(self, key: str, completion: Completion) -> None: ...


class CachingModel:
    def __init__(self, inner: ModelClient, store: CompletionStore, options: CallOptions):
        self.inner, self.store, self.options = inner, store, options
        self.name = inner.name

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: Sampling | None = None) -> Completion:
        settings = self.options.sampling(sampling)
        if settings.get("temperature", 1.0) != 0 and settings.get("seed") is None:
            return self.inner.complete(messages, contract=contract, sampling=sampling)
        key = cache_key(self.name, messages, settings)
        cached = self.store.get(key)
        if cached is not None:
            return cached
        completion = self.inner.complete(messages, contract=contract, sampling=sampling)
        self.store.put(key, completion)
        return completion


def cache_key(model: str, messages: list[Message], settings: dict[str, object]) -> str:
    text = json.dumps([model, [[m.role, m.content] for m in messages], settings], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
