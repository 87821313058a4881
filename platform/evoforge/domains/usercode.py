"""Loads the trusted Python a user puts in a domain folder (an evaluator, a generator).

This code runs in the kernel: it is the domain author's own code, like a built-in domain's
module, never an agent's. Failures come back as one line naming the file and the fix.
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import Any, Callable

from evoforge.domains.problems import describe


class UserCodeError(Exception):
    """The file cannot be imported, or lacks the function; the message says which and why."""


def load_function(path: Path, name: str) -> Callable[..., Any]:
    """Function `name` of the Python file `path`, imported under a name unique to that file."""
    module_name = "evoforge_user_" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UserCodeError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's code may raise anything while importing
        del sys.modules[module_name]
        raise UserCodeError(f"importing {path.name} raised {describe(error)}") from None
    function = getattr(module, name, None)
    if not callable(function):
        raise UserCodeError(f"{path.name} defines no function {name}()")
    return function
