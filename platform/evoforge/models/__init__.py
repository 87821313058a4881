"""Model access for the kernel: the client protocol, the litellm gateway, the embedded model.

The names below are imported on first use, so importing a light part (the budget, the
message types) does not import litellm."""
from evoforge.lazy import lazy_exports

_EXPORTS = {
    "evoforge.models.base": ["BudgetExceeded", "Completion", "Message", "ModelClient", "ModelError", "Sampling"],
    "evoforge.models.budget": ["Budget", "UsageRecord"],
    "evoforge.models.embedded": ["DEFAULT_MODEL"],
    "evoforge.models.options": ["CallOptions"],
    "evoforge.models.resolve": ["resolve_model"],
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
