"""The contracts a run may call: those of its spec files, every one proven, or nothing starts."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from evoforge.contracts import SpecSet, load_specs
from evoforge.errors import EvoforgeError


def load_proven_specs(files: Sequence[Path]) -> SpecSet:
    """The contracts of `files`; an error naming every problem unless all are proven."""
    specs = load_specs(dict.fromkeys(files))
    if not specs.all_proven:
        problems = [str(p) for p in specs.problems] + [f"{c.where}: {c.proof.reason}" for c in specs.contracts.values() if c.proof and not c.proof.proven]
        raise EvoforgeError("the run's contracts are not all proven: " + "; ".join(problems))
    return specs
