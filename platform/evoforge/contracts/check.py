"""`specs check`: every contract of some spec files with its proof, and every problem in them.

A file whose outcome is in the proof cache is reported from there; only the others are parsed
and proven, so checking unchanged files needs neither the compilers nor z3."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS, Checked, SpecError, gather, read_spec_text, spec_files
from evoforge.contracts.proof_cache import ProofCache

if TYPE_CHECKING:
    from pathlib import Path


class CheckReport(NamedTuple):
    contracts: dict[str, Checked]
    problems: list[SpecError]

    @property
    def all_proven(self) -> bool:
        return not self.problems and all(c.proof.proven for c in self.contracts.values())


def check_specs(paths: Iterable[str | Path], *, timeout_ms: int = DEFAULT_TIMEOUT_MS, cache: ProofCache | None = None) -> CheckReport:
    report = CheckReport({}, [])
    for path in spec_files(paths):
        gather(check_file(path, timeout_ms, cache), report.contracts, report.problems)
    return report


def check_file(file: str, timeout_ms: int, cache: ProofCache | None) -> list[Checked | SpecError]:
    """One file's contracts, each with its proof, and its errors, in the order written."""
    try:
        text = read_spec_text(file)
    except SpecError as error:
        return [error]
    key = cache.key(text, timeout_ms) if cache is not None else ""
    cached = cache.get(key, file) if cache is not None else None
    if cached is not None:
        return cached
    from evoforge.contracts.loader import load_text  # the compilers and z3: only for a miss
    from evoforge.contracts.proof import prove

    items = [item if isinstance(item, SpecError) else Checked(item.name, item.file, item.line, prove(item, timeout_ms))
             for item in load_text(file, text)]
    if cache is not None:
        cache.put(key, items)
    return items
