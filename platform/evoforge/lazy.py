"""Lazy package exports (PEP 562): a package lists what it offers and the module each name
lives in, and that module is imported the first time the name is used. So `import
evoforge.contracts` (or any submodule of it) does not pull in the model stack, and a command
line that only lists runs does not pay for litellm."""
from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Any, Callable

    Exports = tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]


def lazy_exports(package: str, exports: dict[str, list[str]]) -> Exports:
    """`__all__`, `__getattr__` and `__dir__` for `package`, which exports the names listed under
    each module: `__all__, __getattr__, __dir__ = lazy_exports(__name__, {"package.module": ["name"]})`."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        setattr(sys.modules[package], name, value)  # found directly from now on
        return value

    def __dir__() -> list[str]:
        return sorted(set(where) | set(vars(sys.modules[package])))

    return sorted(where), __getattr__, __dir__


def imported(reference: str) -> Any:
    """The object a "module:name" reference names, its module imported now (a table of such
    references names what only the chosen entry needs to load)."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)
