"""Where evoforge finds the files that ship beside the kernel (specs, seed agents)."""
from __future__ import annotations

import os
from pathlib import Path

# platform/evoforge/paths.py -> the project root, two folders above the package.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = Path(os.environ.get("EVOFORGE_SPECS_DIR", PROJECT_ROOT / "specs"))
AGENTS_DIR = Path(os.environ.get("EVOFORGE_AGENTS_DIR", PROJECT_ROOT / "agents"))
