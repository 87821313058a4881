"""The fingerprint of a run's contracts, so that a worker proves the same specs as the driver.

It hashes the texts of the spec files the contracts came from, in load order, not their paths:
nodes may install evoforge in different folders, but must hold the same contracts.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from evoforge.contracts import SpecSet
from evoforge.errors import EvoforgeError


class SpecsDiffer(EvoforgeError):
    """A worker's spec files are not the driver's: it refuses the work."""


def spec_digest(specs: SpecSet) -> str:
    files = dict.fromkeys(Path(contract.file) for contract in specs.contracts.values())
    digest = hashlib.sha256()
    for file in files:
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def check_same_specs(specs: SpecSet, expected: str, node: str) -> None:
    found = spec_digest(specs)
    if found != expected:
        files = sorted({Path(c.file).name for c in specs.contracts.values()})
        raise SpecsDiffer(f"worker {node} refuses the child: its spec files ({', '.join(files)}) differ from the driver's "
                          f"(digest {found[:12]} here, {expected[:12]} on the driver); install the same specs on every node")
