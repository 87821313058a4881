"""Formal contracts for generative-model calls (FGGM): spec loading, Z3 proofs, the guard."""
from evoforge.contracts.guard import CallRecord, GuardedResult, guarded_call
from evoforge.contracts.loader import SpecSet, load_specs
from evoforge.contracts.model import Contract, ContractUnavailable, PreconditionViolation, SpecError

__all__ = [
    "CallRecord", "Contract", "ContractUnavailable", "GuardedResult", "PreconditionViolation",
    "SpecError", "SpecSet", "guarded_call", "load_specs",
]
