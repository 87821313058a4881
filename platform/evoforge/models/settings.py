"""Per-model settings from the user's config file: API base, and where the key comes from.

The file is TOML, at $EVOFORGE_MODELS_CONFIG or `models.toml` in the user config folder:

    [models."hosted_vllm/qwen"]
    api_base = "http://gpu-box:8000/v1"
    api_key_env = "VLLM_KEY"        # the name of an environment variable holding the key

Keys come from the environment (litellm's usual variables such as OPENAI_API_KEY, or the one
named by `api_key_env`), never from spec files, and never reach the archive, logs or sandboxes.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from evoforge.models.base import ModelError


@dataclass(frozen=True)
class ModelSettings:
    api_base: str | None = None
    api_key_env: str | None = None

    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else None


def config_path() -> Path:
    return Path(os.environ.get("EVOFORGE_MODELS_CONFIG") or Path(platformdirs.user_config_dir("evoforge")) / "models.toml")


def configured_models() -> dict[str, ModelSettings]:
    path = config_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ModelError(f"cannot read the model config {path}: {error}") from None
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ModelError(f"{path}: [models] must be a table of model name -> settings")
    settings = {}
    for name, table in models.items():
        unknown = set(table) - {"api_base", "api_key_env"} if isinstance(table, dict) else {"?"}
        if unknown:
            raise ModelError(f"{path}: model '{name}' has unknown setting(s) {', '.join(sorted(unknown))}; allowed: api_base, api_key_env")
        settings[name] = ModelSettings(**table)
    return settings
