"""Shaping options: what a caller may change about how a model is asked, never what it is held to.

`_prefix` is text put before the contract's prompt (prompt variants, few-shot examples);
`_temperature` is the sampling temperature of this call (0 to 2); `_seed` (a whole number) fixes
its sampling, so votes over samples repeat from run to run. They change the request only: the guard still checks every answer against the contract's `ensure` and falls back to
its proven fallback, so a shaped call satisfies the same contract as a plain one. The names
start with `_` because contract inputs may not (the spec loader refuses them), so an option can
never be taken for an input, nor an input for an option.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from evoforge.contracts.model import Contract, PreconditionViolation

PREFIX, TEMPERATURE, SEED = "_prefix", "_temperature", "_seed"
SHAPING_KEYS = (PREFIX, TEMPERATURE, SEED)
MAX_PREFIX_CHARS = 4000


def check_shaping(options: dict[str, Any]) -> dict[str, Any]:
    """The options, checked: known keys only, a string prefix, a temperature from 0 to 2."""
    unknown = sorted(set(options) - set(SHAPING_KEYS))
    if unknown:
        raise PreconditionViolation(f"unknown shaping option(s) {', '.join(unknown)}; allowed: {', '.join(SHAPING_KEYS)}")
    prefix, temperature = options.get(PREFIX), options.get(TEMPERATURE)
    if prefix is not None and (not isinstance(prefix, str) or len(prefix) > MAX_PREFIX_CHARS):
        raise PreconditionViolation(f"{PREFIX} must be text of at most {MAX_PREFIX_CHARS} characters")
    if temperature is not None:
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float, Fraction)) or not 0 <= temperature <= 2:
            raise PreconditionViolation(f"{TEMPERATURE} must be a number from 0 to 2")
    seed = options.get(SEED)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31):
        raise PreconditionViolation(f"{SEED} must be a whole number from 0 to 2**31 - 1")
    return {k: v for k, v in options.items() if v is not None}


def shaped(contract: Contract, options: dict[str, Any]) -> Contract:
    """`contract` with its request shaped by `options` (checked first); same clauses, same fallback."""
    options = check_shaping(options)
    prefix, temperature, seed = options.get(PREFIX), options.get(TEMPERATURE), options.get(SEED)
    if prefix:
        # Braces are escaped so the prefix is text, never a placeholder.
        contract = replace(contract, prompt=prefix.replace("{", "{{").replace("}", "}}") + "\n" + contract.prompt)
    if temperature is not None:
        contract = replace(contract, sampling=replace(contract.sampling, temperature=float(temperature)))
    if seed is not None:
        contract = replace(contract, sampling=replace(contract.sampling, seed=seed))
    return contract
