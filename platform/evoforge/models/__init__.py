"""Model access for the kernel: the client protocol, the litellm gateway, the embedded model."""
from evoforge.models.base import BudgetExceeded, Completion, Message, ModelClient, ModelError, Sampling
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.embedded import DEFAULT_MODEL
from evoforge.models.options import CallOptions
from evoforge.models.resolve import resolve_model

__all__ = [
    "Budget", "BudgetExceeded", "CallOptions", "Completion", "DEFAULT_MODEL", "Message", "ModelClient",
    "ModelError", "UsageRecord", "resolve_model",
]
