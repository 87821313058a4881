"""The settings every kind of run shares, in four sections (model, budget, sandbox, domain), and
how a stored configuration becomes settings again.

A kind's settings class extends `RunSettings` with its own fields (evolution/settings.py,
synthesis/settings.py). The settings are stored with the run, with the kind's name and a version,
so `resume` rebuilds exactly the same run; a configuration stored by an older evoforge is
upgraded on load (`upgrade`). Every level refuses a key it does not know, in one line naming it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from evoforge.errors import EvoforgeError

Settings = TypeVar("Settings", bound="RunSettings")


@dataclass
class ModelSection:
    name: str | None = None  # litellm name; None = the embedded local/smollm2
    temperature: float = 0.0  # the model's default; a contract may ask for its own
    answer_tokens_cap: int | None = None  # no answer gets more tokens; None = 64 on the embedded model
    cache: bool = True  # serve repeated deterministic calls from the archive


@dataclass
class BudgetSection:
    max_cost_usd: float | None = None
    max_tokens: int | None = None
    max_calls: int | None = None

    def limits(self) -> dict[str, float | int]:
        """The limits set, as the archive keeps them with the run."""
        return {name: value for name, value in asdict(self).items() if value is not None}


@dataclass
class SandboxSection:
    backend: str | None = None  # "docker" | "local" | None = docker when an engine answers
    task_timeout_s: float = 60.0  # per task, inside the sandbox


@dataclass
class DomainSection:
    name: str = "arithmetic"  # a domain's name, or the path of a domain folder
    options: dict[str, Any] = field(default_factory=dict)  # e.g. {"sizes": {"train": 8}}
    spec_files: list[str] = field(default_factory=list)  # extra spec files, beside the domain's


# The settings of configurations stored before sections existed, and where each went.
FLAT_NAMES = {
    "model": ("model", "name"), "temperature": ("model", "temperature"), "answer_tokens_cap": ("model", "answer_tokens_cap"),
    "model_cache": ("model", "cache"), "max_cost_usd": ("budget", "max_cost_usd"), "max_tokens": ("budget", "max_tokens"),
    "max_calls": ("budget", "max_calls"), "sandbox": ("sandbox", "backend"), "task_timeout_s": ("sandbox", "task_timeout_s"),
    "domain": ("domain", "name"), "domain_options": ("domain", "options"), "spec_files": ("domain", "spec_files"),
}


def sectioned(flat: dict[str, Any]) -> dict[str, Any]:
    """A configuration stored before sections existed, with its shared settings in their sections."""
    data: dict[str, Any] = {}
    for key, value in flat.items():
        if key in FLAT_NAMES:
            section, name = FLAT_NAMES[key]
            data.setdefault(section, {})[name] = value
        else:
            data[key] = value
    return data


@dataclass
class RunSettings(ABC):
    """What every run kind's settings hold; a kind's class adds its own fields (all with defaults)."""

    KIND: ClassVar[str]  # the run kind's name (runs/registry.py)
    VERSION: ClassVar[int]  # of the stored form; `upgrade` brings older ones to it
    SECTIONS: ClassVar[dict[str, type]] = {"model": ModelSection, "budget": BudgetSection, "sandbox": SandboxSection,
                                           "domain": DomainSection}

    model: ModelSection = field(default_factory=ModelSection)
    budget: BudgetSection = field(default_factory=BudgetSection)
    sandbox: SandboxSection = field(default_factory=SandboxSection)
    domain: DomainSection = field(default_factory=DomainSection)
    random_seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.KIND, "version": self.VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls: type[Settings], data: dict[str, Any]) -> Settings:
        """The settings of a stored configuration (upgraded first when an older evoforge stored it)."""
        data = cls.upgrade(dict(data))
        kind, version = data.pop("kind", cls.KIND), data.pop("version", None)
        if kind != cls.KIND:
            raise EvoforgeError(f"run settings of kind {kind!r} cannot be read as {cls.KIND} settings")
        if version != cls.VERSION:
            raise EvoforgeError(f"{cls.KIND} run settings of version {version} are unknown to this evoforge "
                                f"(it reads up to version {cls.VERSION}): upgrade evoforge")
        return cls(**_known(cls, data, cls.KIND, cls.SECTIONS))

    @classmethod
    def upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """A stored configuration brought to VERSION; a kind whose stored form changed overrides it."""
        return data

    @abstractmethod
    def planned(self) -> int:
        """The items (variants, candidates...) the run makes when nothing stops it early."""

    def validate(self: Settings) -> Settings:
        """Check every setting that can be checked without starting anything (no sandbox, no
        archive, no model), so a typo fails before a run exists or a progress bar is drawn. The
        shared ones here; a kind checks its own after calling this."""
        from evoforge.domains import list_domains
        from evoforge.sandbox import BACKENDS

        domains = [name for name, _ in list_domains()]
        if self.domain.name not in domains and not Path(self.domain.name).is_dir():
            raise EvoforgeError(f"unknown domain {self.domain.name!r} (available: {', '.join(domains)}); see `evoforge domains`")
        if self.sandbox.backend not in (None, *BACKENDS):
            raise EvoforgeError(f"unknown sandbox {self.sandbox.backend!r}: choose {' or '.join(BACKENDS)}, or none for the automatic choice")
        missing = [file for file in self.domain.spec_files if not Path(file).is_file()]
        if missing:
            raise EvoforgeError(f"spec file {missing[0]} does not exist: check --specs")
        if not 0 <= self.model.temperature <= 2:
            raise EvoforgeError("temperature must be between 0 and 2")
        return self


def _known(cls: type, data: dict[str, Any], where: str, sections: dict[str, type]) -> dict[str, Any]:
    """`data` as keyword arguments of `cls`, each section made its class; an unknown key, or a
    section that is not a table, is one line naming it."""
    known = [f.name for f in fields(cls) if f.init]
    for key in data:
        if key not in known:
            raise EvoforgeError(f"{where} settings: unknown key {key!r} (known: {', '.join(known)})")
    values = dict(data)
    for name, section in sections.items():
        if name in values:
            if not isinstance(values[name], dict):
                raise EvoforgeError(f"{where} settings: {name!r} must be a table of settings, not {values[name]!r}")
            values[name] = section(**_known(section, values[name], f"{where}.{name}", {}))
    return values
