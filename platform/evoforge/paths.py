"""Where evoforge finds the files that ship beside the kernel (specs, seed agents)."""
from __future__ import annotations

import os
from pathlib import Path

# platform/evoforge/paths.py -> the project root, two folders above the package.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = Path(os.environ.get("EVOFORGE_SPECS_DIR", PROJECT_ROOT / "specs"))
AGENTS_DIR = Path(os.environ.get("EVOFORGE_AGENTS_DIR", PROJECT_ROOT / "agents"))


def agent_folder(name: str) -> Path:
    """The folder of the hyperagent `name` (what `--agent` names), which must exist."""
    from evoforge.errors import EvoforgeError

    folder = AGENTS_DIR / name
    if not folder.is_dir():
        raise EvoforgeError(f"no agent folder {folder}: --agent names a folder under {AGENTS_DIR}")
    return folder
