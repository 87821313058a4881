"""evoforge's cache folder, where the proof cache (contracts/proof_cache.py) and the remembered
lookups (lookup_cache.py) keep their entries: $EVOFORGE_CACHE_DIR, else the user's cache folder
(platformdirs). An entry is written atomically, and one that cannot be written only means no cache."""
from __future__ import annotations

import os

CACHE_ENV = "EVOFORGE_CACHE_DIR"  # a cache folder instead of the user's (platformdirs)


def cache_folder(part: str) -> str:
    """The folder `part` of evoforge's cache (it may not exist yet)."""
    base = os.environ.get(CACHE_ENV)
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("evoforge")
    return os.path.join(base, part)


def write_atomically(file: str | os.PathLike[str], text: str) -> None:
    """Writes `text` to `file` (and its folder) so that readers see the old file or the whole new
    one; a folder that cannot be written only means no cache."""
    import tempfile

    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(file), suffix=".tmp", delete=False, encoding="utf-8") as out:
            out.write(text)
        os.replace(out.name, file)
    except OSError:
        pass
