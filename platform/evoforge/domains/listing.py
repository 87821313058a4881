"""What `evoforge domains` lists: built-in module and folder domains, the domains of installed
packages (entry point group `evoforge.domains`), and folders a user names.

Listing is cheap to start: the built-in modules are described by their table (their modules pull
in pydantic and data wheels), and the two slow findings are remembered in the cache folder until a
file they were read from changes (lookup_cache.py): the installed packages' entry points (importlib
reads every distribution on sys.path to find them) and the built-in folders' manifests. Only an
installed domain's own description needs its package imported, and only when there is one."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import evoforge
from evoforge.lookup_cache import remembered
from evoforge.domains.catalog import BUILTIN_MODULES, DomainEntry


def domain_entries(paths: Iterable[str | os.PathLike[str]] = ()) -> list[DomainEntry]:
    """Built-in and installed domains, then the folders in `paths`."""
    entries = [DomainEntry(name, description, "built-in", reference.split(":")[0]) for name, (reference, description) in BUILTIN_MODULES.items()]
    # The specs folder the built-in manifests name can be moved ($EVOFORGE_SPECS_DIR): part of the key.
    folders = remembered("builtin-domain-folders", [evoforge.__version__, os.environ.get("EVOFORGE_SPECS_DIR", "")], _builtin_folders)
    entries += [DomainEntry(name, description, "built-in", where) for name, description, where in folders]  # type: ignore[attr-defined]
    # A finder other than the standard one that finds distributions (rare) keys by its repr: never cached.
    finders = [repr(finder) for finder in sys.meta_path if hasattr(finder, "find_distributions")]
    installed = remembered("installed-domains", [*_search_path(), *finders], _installed)
    paths = list(paths)
    if installed or paths:
        from evoforge.domains import registry  # describing them imports the package, or reads the folder

        entries += [registry.installed_entry(name, value, distribution) for name, value, distribution in installed]  # type: ignore[attr-defined]
        entries += [registry.folder_entry(path) for path in paths]
    return entries


def list_domains() -> list[tuple[str, str]]:
    """(name, description) of every built-in and installed domain, by name."""
    return sorted({(e.name, e.description) for e in domain_entries()})


def _search_path() -> list[str]:
    """Where importlib looks for distributions: every sys.path entry ('' is the current folder)."""
    return [os.path.abspath(entry or ".") for entry in sys.path]


def _installed() -> tuple[list[list[str]], list[str]]:
    """[name, entry point, distribution] of each installed domain, and the paths that tell:
    installing or removing a package changes its sys.path folder."""
    from evoforge.domains import registry

    return [[point.name, point.value, registry.distribution(point)] for point in registry.installed_points()], _search_path()


def _builtin_folders() -> tuple[list[list[str]], list[str]]:
    """[name, description, folder] of each built-in folder domain, and the paths its manifest
    reading looked at: the folders' files, the spec files they name, and the reader's code."""
    from evoforge.domains import registry
    from evoforge.paths import SPECS_DIR

    rows = [[name, registry.folder_description(folder), str(folder)] for name, folder in registry.builtin_folders().items()]
    read = [str(path) for path in (registry.BUILTIN_FOLDERS, SPECS_DIR, *SPECS_DIR.glob("*"), *registry.BUILTIN_FOLDERS.rglob("*"),
                                   *registry.READER_SOURCES) if "__pycache__" not in path.parts]
    return rows, read
