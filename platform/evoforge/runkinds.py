"""The kinds of run the archive holds, and who creates, executes and summarises each.

A run's kind is stored in its configuration (`config["kind"]`; runs made before kinds existed
are evolution runs). `evoforge resume`, `evoforge show`, the UI's launcher and `evoforge runs` dispatch through
this table, never on a name. Entries are import paths, so choosing a kind imports only its code.
"""
from __future__ import annotations

import importlib
from collections import namedtuple
from collections.abc import Callable

from evoforge.errors import EvoforgeError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Any

DEFAULT_KIND = "evolution"


# A plain named tuple (neither a dataclass nor typing.NamedTuple): `evoforge runs` names kinds
# and starts without importing dataclasses or typing.
class RunKind(namedtuple("RunKind", "config create execute summary details unit")):
    """Who does what for one kind of run, each part a "module:name" import path: `config`, the
    class of the stored configuration (from_dict, to_dict, validate); `create`, (archive,
    config) -> run id; `execute`, (archive, run_id, services) -> outcome with .stop; `summary`,
    the CLI summary, (console, archive, outcome, seconds) -> None; `details`, its own part of
    `evoforge show`, (console, archive, run) -> None. `unit`: what its progress counts."""

    __slots__ = ()

    def load(self, part: str) -> Callable[..., Any]:
        module, _, name = getattr(self, part).partition(":")
        return getattr(importlib.import_module(module), name)


RUN_KINDS: dict[str, RunKind] = {
    "evolution": RunKind("evoforge.evolution.config:RunConfig", "evoforge.evolution.runner:create_run",
                         "evoforge.evolution.runner:execute_run", "evoforge.cli.run_cmd:print_summary",
                         "evoforge.cli.archive_cmd:show_generations", "variants"),
    "synthesis": RunKind("evoforge.synthesis.config:SynthesisConfig", "evoforge.synthesis.runner:create_synthesis_run",
                         "evoforge.synthesis.runner:execute_synthesis_run", "evoforge.cli.synthesize_cmd:print_summary",
                         "evoforge.cli.synthesize_cmd:show_candidates", "candidates"),
}


def kind_name(config: dict[str, Any]) -> str:
    return str(config.get("kind", DEFAULT_KIND))


def stored_config(config: dict[str, Any]) -> Any:
    """The configuration object of a stored run (a RunConfig, a SynthesisConfig...)."""
    return run_kind(config).load("config").from_dict(config)


def run_kind(config: dict[str, Any]) -> RunKind:
    """The kind of the run whose stored configuration is `config`."""
    name = kind_name(config)
    if name not in RUN_KINDS:
        raise EvoforgeError(f"run kind {name!r} is unknown to this evoforge (known: {', '.join(RUN_KINDS)}); upgrade evoforge to resume it")
    return RUN_KINDS[name]
