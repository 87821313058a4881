"""The kinds of run evoforge knows: one line each, naming the kind's `RunKind` (runs/kind.py).

A run's kind is stored in its configuration (`config["kind"]`; runs made before kinds existed
are evolution runs). Creating, resuming, stopping, `evoforge show`, `evoforge runs`, the UI's
launcher and run page all dispatch through this table, never on a name. Entries are "module:name"
references, so choosing a kind imports only its code, and `evoforge runs` (which only reads
`kind_name`) imports none.
"""
from __future__ import annotations

from evoforge.errors import EvoforgeError
from evoforge.lazy import imported

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from typing import Any

    from evoforge.runs.kind import RunKind
    from evoforge.runs.settings import RunSettings

DEFAULT_KIND = "evolution"

RUN_KINDS: dict[str, str] = {
    "evolution": "evoforge.evolution.kind:EVOLUTION",
    "synthesis": "evoforge.synthesis.kind:SYNTHESIS",
}


def kind_name(config: dict[str, Any]) -> str:
    return str(config.get("kind", DEFAULT_KIND))


def kind_named(name: str) -> RunKind:
    if name not in RUN_KINDS:
        raise EvoforgeError(f"run kind {name!r} is unknown to this evoforge (known: {', '.join(RUN_KINDS)}); upgrade evoforge to resume it")
    kind: RunKind = imported(RUN_KINDS[name])
    return kind


def run_kind(config: dict[str, Any]) -> RunKind:
    """The kind of the run whose stored configuration is `config`."""
    return kind_named(kind_name(config))


def all_kinds() -> list[RunKind]:
    return [kind_named(name) for name in RUN_KINDS]


def stored_settings(config: dict[str, Any]) -> RunSettings:
    """The settings of a stored run (an EvolutionSettings, a SynthesisSettings...), upgraded if older."""
    return run_kind(config).settings.from_dict(config)
