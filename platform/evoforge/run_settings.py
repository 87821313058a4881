"""The checks every kind of run makes of its settings before anything starts: the domain exists,
the sandbox backend is known, the extra spec files are there, the temperature is in range.
Each configuration (evolution/config.py, synthesis/config.py) adds its own after these."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from evoforge.errors import EvoforgeError


class SharedSettings(Protocol):
    domain: str
    sandbox: str | None
    spec_files: list[str]
    temperature: float


def check_shared_settings(settings: SharedSettings) -> None:
    """One clear line for the first shared setting that is wrong; nothing is started."""
    from evoforge.domains import list_domains
    from evoforge.sandbox import BACKENDS

    domains = [name for name, _ in list_domains()]
    if settings.domain not in domains and not Path(settings.domain).is_dir():
        raise EvoforgeError(f"unknown domain {settings.domain!r} (available: {', '.join(domains)}); see `evoforge domains`")
    if settings.sandbox not in (None, *BACKENDS):
        raise EvoforgeError(f"unknown sandbox {settings.sandbox!r}: choose {' or '.join(BACKENDS)}, or none for the automatic choice")
    missing = [file for file in settings.spec_files if not Path(file).is_file()]
    if missing:
        raise EvoforgeError(f"spec file {missing[0]} does not exist: check --specs")
    if not 0 <= settings.temperature <= 2:
        raise EvoforgeError("temperature must be between 0 and 2")
