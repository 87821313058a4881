"""Run a *trusted* agent's `run(task)` in this process against a session, for benches and tests.

It installs a stand-in `evoforge_channel` module whose `generate` makes the guarded call and
whose `call_tool` goes to the session (raising RuntimeError with the tool's error), the same
two methods the sandbox's channel offers. Evolved (untrusted) code must run in the sandbox,
never through this module.
"""
from __future__ import annotations

import contextlib
import importlib.util
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from evoforge.contracts import SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.types import to_plain
from evoforge.domains.airline.session import AirlineSession
from evoforge.errors import EvoforgeError
from evoforge.models.base import ModelClient


@dataclass
class AgentRun:
    answer: Any
    error: str | None
    records: list[CallRecord] = field(default_factory=list)  # the agent's own guarded calls


def channel(specs: SpecSet, model: ModelClient, session: AirlineSession, records: list[CallRecord]) -> types.ModuleType:
    module = types.ModuleType("evoforge_channel")

    def generate(contract: str, **inputs: Any) -> Any:
        try:
            result = guarded_call(specs.get(contract), inputs, model)
        except EvoforgeError as error:
            raise RuntimeError(str(error)) from None
        records.append(result.record)
        return to_plain(result.output)

    def call_tool(name: str, **arguments: Any) -> Any:
        reply = session.call(name, arguments)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    module.generate, module.call_tool = generate, call_tool
    return module


def load_entry(folder: Path, module_name: str = "task_agent", function: str = "run") -> Callable[[dict], Any]:
    spec = importlib.util.spec_from_file_location(f"airline_agent_{abs(hash(str(folder)))}", folder / f"{module_name}.py")
    if spec is None or spec.loader is None:
        raise EvoforgeError(f"{folder}: no {module_name}.py to run")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)


def run_agent(entry: Callable[[dict], Any] | Path, task: dict[str, Any], session: AirlineSession,
              specs: SpecSet, model: ModelClient) -> AgentRun:
    """Run one conversation; an agent that raises gets its error recorded, not propagated."""
    records: list[CallRecord] = []
    previous = sys.modules.get("evoforge_channel")
    sys.modules["evoforge_channel"] = channel(specs, model, session, records)
    try:
        folder = entry.resolve() if isinstance(entry, Path) else None
        with contextlib.chdir(folder) if folder else contextlib.nullcontext():
            function = load_entry(folder) if folder else entry
            return AgentRun(function(task), None, records)
    except Exception as error:  # the agent's bug: recorded as its outcome, as the sandbox would
        return AgentRun(None, f"{type(error).__name__}: {error}", records)
    finally:
        if previous is None:
            sys.modules.pop("evoforge_channel", None)
        else:
            sys.modules["evoforge_channel"] = previous
