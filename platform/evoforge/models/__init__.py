"""Model access for the kernel: the client protocol, the litellm gateway, the embedded model."""
from evoforge.models.base import BudgetExceeded, Completion, Message, ModelClient, ModelError
from evoforge.models.budget import Budget, UsageRecord
from evoforge.models.resolve import resolve_model

__all__ = ["Budget", "BudgetExceeded", "Completion", "Message", "ModelClient", "ModelError", "UsageRecord", "resolve_model"]
