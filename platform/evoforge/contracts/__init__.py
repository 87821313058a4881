"""Formal contracts for generative-model calls (FGGM): spec loading, Z3 proofs, the guard.

The names below are imported on first use: loading and proving specs never imports the model
stack, which only the guard needs."""
from evoforge.lazy import lazy_exports

_EXPORTS = {
    "evoforge.contracts.guard": ["CallRecord", "GuardedResult", "guarded_call"],
    "evoforge.contracts.loader": ["SpecSet", "load_specs"],
    "evoforge.contracts.model": ["Contract", "ContractUnavailable", "PreconditionViolation"],
    "evoforge.contracts.outcome": ["SpecError"],
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
