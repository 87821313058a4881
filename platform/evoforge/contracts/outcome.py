"""What checking a spec file yields, in a module light enough for `specs check` to use without
the expression compilers or the solver: spec errors, proofs, and the checked contracts.

`model.py` (the compiled contract) and `proof_cache.py` (remembered proofs) both build on it."""
# No `from __future__ import annotations`: NamedTuple would compile each field's annotation
# from its text, and a process's first compile() costs the command line a millisecond to start.

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from evoforge.errors import EvoforgeError
from evoforge.pathtext import as_pathlib

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_TIMEOUT_MS = 10_000  # the solver's time limit per question


class SpecError(EvoforgeError):
    """A problem in a spec file, located by file, line and contract."""

    def __init__(self, file: str, line: int, contract: str | None, message: str, *, kind: str = "contract"):
        self.file, self.line, self.contract, self.message, self.kind = file, line, contract, message, kind
        where = f"{file}:{line}:" + (f" {kind} '{contract}':" if contract else "")
        super().__init__(f"{where} {message}")


class Proof(NamedTuple):  # tuples, not dataclasses: the dataclasses module costs start-up time
    """Outcome of proving `require(x) => ensure(x, fallback(x))` for every x."""

    proven: bool
    reason: str
    seconds: float
    counterexample: dict[str, Any] | None = None


class Checked(NamedTuple):
    """A contract as `specs check` reports it: where it is and its proof (`cached`: remembered
    from an earlier check of the same text, see proof_cache.py)."""

    name: str
    file: str
    line: int
    proof: Proof
    cached: bool = False


def spec_files(paths: Iterable["str | Path"]) -> list[str]:
    """The `.toml` files named by `paths` (folders are searched recursively), written as pathlib
    writes them (pathlib itself is imported only to search a folder)."""
    files: list[str] = []
    for path in (as_pathlib(os.fspath(p)) for p in paths):
        if os.path.isdir(path):
            from pathlib import Path

            files.extend(map(str, sorted(Path(path).rglob("*.toml"))))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise SpecError(path, 0, None, "no such file or folder")
    return files


def read_spec_text(path: "str | Path") -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(str(path), 0, None, f"cannot read the file ({error})") from None


def gather(items: Iterable[Any], contracts: dict[str, Any], problems: list[SpecError]) -> None:
    """Adds each of a file's `items` where it belongs: an error to `problems`, a contract (a
    `Contract` or a `Checked`) to `contracts` by name, or, when the name is taken, an error."""
    for item in items:
        if isinstance(item, SpecError):
            problems.append(item)
        elif item.name in contracts:
            first = contracts[item.name]
            problems.append(SpecError(item.file, item.line, item.name, f"duplicate contract name (first defined at {first.file}:{first.line})"))
        else:
            contracts[item.name] = item
