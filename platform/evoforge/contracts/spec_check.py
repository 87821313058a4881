"""`specs check`: every contract of some spec files with its proof, and every problem in them.

A file whose outcome is in the proof cache is reported from there; only the others are parsed
and proven, so checking unchanged files needs neither the compilers nor z3. The time loading
the prover (z3) takes is part of proving, and told apart from start-up (`prover_seconds`)."""
from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Callable, Iterable

from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS, Checked, Proof, SpecError, gather, read_spec_text, spec_files
from evoforge.contracts.proof_cache import ProofCache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from pathlib import Path

    from evoforge.contracts.model import Contract


class CheckReport(namedtuple("CheckReport", "contracts problems prover_seconds", defaults=[None])):
    """The `contracts` checked (a dict name -> Checked), the `problems` found (SpecErrors) and
    `prover_seconds`: how long loading the prover took, None when no file had to be proven."""

    __slots__ = ()

    @property
    def all_proven(self) -> bool:
        return not self.problems and all(c.proof.proven for c in self.contracts.values())


class _Prover:
    """`prove`, imported when the first contract is to be proven; `seconds`: how long importing
    it took (z3 and the compiler to it), None while it was not needed."""

    def __init__(self) -> None:
        self.seconds: float | None = None
        self._prove: Callable[[Contract, int], Proof] | None = None

    def __call__(self, contract: Contract, timeout_ms: int) -> Proof:
        if self._prove is None:
            started = time.perf_counter()
            from evoforge.contracts.proof import prove

            self._prove, self.seconds = prove, time.perf_counter() - started
        return self._prove(contract, timeout_ms)


def check_specs(paths: Iterable[str | Path], *, timeout_ms: int = DEFAULT_TIMEOUT_MS, cache: ProofCache | None = None) -> CheckReport:
    contracts: dict[str, Checked] = {}
    problems: list[SpecError] = []
    prover = _Prover()
    for path in spec_files(paths):
        gather(check_file(path, timeout_ms, cache, prover), contracts, problems)
    return CheckReport(contracts, problems, prover.seconds)


def check_file(file: str, timeout_ms: int, cache: ProofCache | None, prove: Callable[[Contract, int], Proof]) -> list[Checked | SpecError]:
    """One file's contracts, each with its proof, and its errors, in the order written."""
    try:
        text = read_spec_text(file)
    except SpecError as error:
        return [error]
    key = cache.key(text, timeout_ms) if cache is not None else ""
    cached = cache.get(key, file) if cache is not None else None
    if cached is not None:
        return cached
    from evoforge.contracts.loader import load_text  # the compilers: only for a miss

    items = [item if isinstance(item, SpecError) else Checked(item.name, item.file, item.line, prove(item, timeout_ms))
             for item in load_text(file, text)]
    if cache is not None:
        cache.put(key, items)
    return items
