"""The null model, `null/fallback`: it never answers (every request fails), so every guarded
call returns its verified fallback.

It is the ablation an evolution claim must survive: whatever a run still gains with it did not
come through the model. It goes through litellm and the gateway like any model (budget, usage,
accounting, cache; its provider is in provider.py), so a run with it differs from a real run in
the answers only.
"""
from __future__ import annotations

PROVIDER = "null"
NULL_MODEL = f"{PROVIDER}/fallback"
CONTEXT_TOKENS = 2048  # as the embedded model's, so a null run asks the same questions


def is_null(name: str) -> bool:
    return name.startswith(f"{PROVIDER}/")
