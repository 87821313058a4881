"""How much a model can read and write, for code that sizes its requests (a meta agent that
shows a model files and failing tasks must know what fits)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from evoforge.models import embedded, null

UNKNOWN_CONTEXT_TOKENS = 8192  # a hosted model litellm's table does not know: assume a modest window
EMBEDDED_ANSWER_TOKENS = 64  # short answers keep a run on the small embedded model quick (JSON answers need ~20)


@dataclass(frozen=True)
class ModelLimits:
    name: str
    context_tokens: int  # prompt and answer together
    answer_tokens: int | None  # the cap on every answer of the run (None: each contract's own)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def answer_cap(model: str | None, cap: int | None) -> int | None:
    """A run's cap on every answer: its own, else 64 tokens on the embedded model."""
    if cap is None and embedded.is_embedded(model or embedded.DEFAULT_MODEL):
        return EMBEDDED_ANSWER_TOKENS
    return cap


def model_limits(model: str | None, cap: int | None) -> ModelLimits:
    name = model or embedded.DEFAULT_MODEL
    return ModelLimits(name, context_tokens(name), answer_cap(name, cap))


def context_tokens(name: str) -> int:
    if embedded.is_embedded(name):
        return embedded.CONTEXT_TOKENS
    if null.is_null(name):
        return null.CONTEXT_TOKENS
    import litellm  # only where a hosted model is named: importing it costs seconds

    try:
        info = litellm.get_model_info(name)
    except Exception:  # not in litellm's table (self-hosted, very new)
        return UNKNOWN_CONTEXT_TOKENS
    return int(info.get("max_input_tokens") or info.get("max_tokens") or UNKNOWN_CONTEXT_TOKENS)
