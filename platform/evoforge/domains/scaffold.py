"""`evoforge new domain NAME`: a new domain folder holding a small working example (review
sentiment: data, a contract, an evaluator kind and a seed agent) to edit into your own."""
from __future__ import annotations

import shutil
from pathlib import Path

from evoforge.domains.manifest import MANIFEST, NAME
from evoforge.errors import EvoforgeError

TEMPLATE = Path(__file__).resolve().parent / "scaffold"


def new_domain(name: str, parent: str | Path = ".") -> Path:
    """Write the example domain into `parent/name` and return that folder."""
    if not NAME.match(name):
        raise EvoforgeError(f"domain name {name!r}: use a letter, then letters, digits, - or _ (e.g. my_task)")
    folder = Path(parent) / name
    if folder.exists() and any(folder.iterdir()):
        raise EvoforgeError(f"{folder} already exists and is not empty: choose another name or remove it")
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = folder / MANIFEST
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('name = "NAME"', f'name = "{name}"'), encoding="utf-8")
    return folder
