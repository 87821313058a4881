"""What checking a spec file yields, in a module light enough for `specs check` to use without
the expression compilers or the solver: spec errors, proofs, and the checked contracts.

`model.py` (the compiled contract) and `proof_cache.py` (remembered proofs) both build on it."""
from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Iterable

from evoforge.errors import EvoforgeError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

DEFAULT_TIMEOUT_MS = 10_000  # the solver's time limit per question


class SpecError(EvoforgeError):
    """A problem in a spec file, located by file, line and contract."""

    def __init__(self, file: str, line: int, contract: str | None, message: str, *, kind: str = "contract"):
        self.file, self.line, self.contract, self.message, self.kind = file, line, contract, message, kind
        where = f"{file}:{line}:" + (f" {kind} '{contract}':" if contract else "")
        super().__init__(f"{where} {message}")


# Plain named tuples, neither dataclasses nor typing.NamedTuple: `specs check` starts without
# importing dataclasses or typing.
class Proof(namedtuple("Proof", "proven reason seconds counterexample", defaults=[None])):
    """Outcome of proving `require(x) => ensure(x, fallback(x))` for every x: `proven` (bool),
    `reason` (str), `seconds` (float) and, for a rejected fallback, `counterexample` (the inputs
    that break it, a dict; else None)."""

    __slots__ = ()


class Checked(namedtuple("Checked", "name file line proof cached", defaults=[False])):
    """A contract as `specs check` reports it: its `name`, `file` and `line`, its `proof` (a
    Proof), and `cached`: whether the proof was remembered from an earlier check of the same
    text (see proof_cache.py)."""

    __slots__ = ()


def spec_files(paths: Iterable[str | Path]) -> list[str]:
    """The `.toml` files named by `paths` (folders are searched recursively), each path tidied
    (`os.path.normpath`; pathlib is imported only to search a folder)."""
    files: list[str] = []
    for path in (os.path.normpath(p) for p in paths):
        if os.path.isdir(path):
            from pathlib import Path

            files.extend(map(str, sorted(Path(path).rglob("*.toml"))))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise SpecError(path, 0, None, "no such file or folder")
    return files


def read_spec_text(path: str | Path) -> str:
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
