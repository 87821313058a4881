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
import os
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from evoforge.domains.base import Domain
from evoforge.domains.catalog import BUILTIN_MODULES, ENTRY_POINT_GROUP, DomainEntry
from evoforge.domains.manifest import MANIFEST, is_domain_folder, read_manifest
from evoforge.domains.problems import describe
from evoforge.errors import EvoforgeError

BUILTIN_FOLDERS = Path(__file__).resolve().parent / "builtin"  # folder domains shipped with evoforge
GENERIC_SEED = "seed"  # the agent under agents/ that a run starts from when its domain has none of its own
READER_SOURCES = sorted(Path(__file__).parent.glob("*.py"))  # the code that reads and checks a manifest


def installed_entry(name: str, value: str, distribution: str) -> DomainEntry:
    """The listing of the installed domain `name` (entry point `value` of package `distribution`)."""
    try:
        description = _describe(EntryPoint(name, value, ENTRY_POINT_GROUP).load())
    except Exception as error:  # a broken package must not hide the other domains
        description = f"cannot be loaded: {describe(error)}"
    return DomainEntry(name, description, f"package {distribution}", value)


def folder_entry(path: str | os.PathLike[str]) -> DomainEntry:
    """The listing of the domain folder at `path`."""
    folder = Path(path)
    name = read_manifest(folder)[0].name or folder.name
    return DomainEntry(name, folder_description(folder), "folder", str(folder.resolve()))


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
    under agents/; without it, the folder domain's own agent/ (absolute), else GENERIC_SEED."""
    if argument is None:
        shipped = read_manifest(Path(reference))[0].agent if is_domain_folder(reference) else None
        return str(shipped.resolve()) if shipped else GENERIC_SEED
    return str(Path(argument).resolve()) if _looks_like_path(argument) else argument


def _known_names() -> set[str]:
    return {*BUILTIN_MODULES, *builtin_folders(), *(p.name for p in installed_points())}


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
    folders = builtin_folders()
    if text in folders:
        return _folder_domain(folders[text], sandbox, options)
    for point in installed_points():
        if point.name == text:
            return _build_installed(point, sandbox, options)
    raise _unknown(text, _known_names())


def _folder_domain(folder: str | Path, sandbox: Any, options: dict[str, Any]) -> Domain:
    from evoforge.domains.folder import FolderDomain  # its evaluators and data readers: only when used

    return FolderDomain(folder, sandbox=sandbox, **options)


def check_options(name: str | Path, options: dict[str, Any]) -> None:
    """One clear line when the domain `name` takes some of `options` not (a flag meant for another domain)."""
    text = str(name)
    if is_domain_folder(text) or text in builtin_folders():
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
        raise EvoforgeError(f"domain '{point.name}' of package {distribution(point)} cannot be loaded ({describe(error)}); "
                            f"reinstall the package or fix its entry point {point.value!r}") from None
    if isinstance(target, (str, Path)):
        if not is_domain_folder(target):
            raise EvoforgeError(f"domain '{point.name}' of package {distribution(point)} names {target}, which holds no {MANIFEST}")
        return _folder_domain(target, sandbox, options)
    return _build(target, sandbox, options)


def builtin_factory(name: str) -> Any:
    """The class of the built-in module domain `name`, its module imported now."""
    module, attribute = BUILTIN_MODULES[name][0].split(":")
    return getattr(importlib.import_module(module), attribute)


def builtin_folders() -> dict[str, Path]:
    """Each built-in folder domain by name."""
    folders = {}
    for manifest_file in sorted(BUILTIN_FOLDERS.glob(f"*/{MANIFEST}")):
        manifest, _ = read_manifest(manifest_file.parent)
        folders[manifest.name or manifest_file.parent.name] = manifest_file.parent
    return folders


def installed_points() -> list[EntryPoint]:
    """The entry points of installed domains, by name (this reads every distribution on sys.path)."""
    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name)


def distribution(point: EntryPoint) -> str:
    return point.dist.name if point.dist is not None else "(unknown)"


def _describe(target: Any) -> str:
    if isinstance(target, (str, Path)):
        return folder_description(Path(target))
    doc = (getattr(target, "__doc__", None) or "").strip()
    return str(getattr(target, "description", "") or doc.split("\n")[0])


def folder_description(folder: Path) -> str:
    manifest, problems = read_manifest(folder)
    return manifest.description if not problems else f"has problems: run `evoforge domains check {folder}`"
