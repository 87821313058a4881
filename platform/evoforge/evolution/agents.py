"""Where a run's starting agent comes from: a folder (under agents/ or anywhere), read once at
run creation and stored in the archive, so resume never needs the folder again."""
from __future__ import annotations

from pathlib import Path

from evoforge.errors import EvoforgeError
from evoforge.paths import AGENTS_DIR

MAX_AGENT_FILES, MAX_AGENT_BYTES = 200, 5_000_000


def agent_folder(name_or_path: str) -> Path:
    """`seed` (a folder under agents/) or a path to an agent folder."""
    for candidate in (Path(name_or_path).expanduser(), AGENTS_DIR / name_or_path):
        if candidate.is_dir():
            return candidate.resolve()
    raise EvoforgeError(f"no agent folder {name_or_path!r}: --agent takes a folder path or the name of one under {AGENTS_DIR}")


def agent_folder_if_present(name_or_path: str) -> Path | None:
    """The agent's folder, or None when it is gone (since the run was created, or on this node):
    its files are in the archive; only its own spec files are looked for in it."""
    try:
        return agent_folder(name_or_path)
    except EvoforgeError:
        return None


def read_agent(folder: Path) -> dict[str, str]:
    """The agent's text files, path -> text (caches and hidden files left out)."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
            continue
        try:
            files[relative.as_posix()] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as error:
            raise EvoforgeError(f"{path}: agent files must be UTF-8 text ({error})") from None
    if not files or len(files) > MAX_AGENT_FILES or sum(map(len, files.values())) > MAX_AGENT_BYTES:
        raise EvoforgeError(f"{folder}: an agent is 1 to {MAX_AGENT_FILES} text files of at most {MAX_AGENT_BYTES // 1_000_000} MB in all")
    return files
