"""Per-model settings from the user's config file: API base, and where the key comes from.

The file is TOML, at $EVOFORGE_MODELS_CONFIG or `models.toml` in the user config folder
(`evoforge models` prints its path):

    [models."hosted_vllm/qwen"]
    api_base = "http://gpu-box:8000/v1"
    api_key_env = "VLLM_KEY"        # the name of an environment variable holding the key

    [models."anthropic/*"]          # every model of a provider
    api_key = "sk-ant-..."          # allowed only in a file no one else can read (chmod 600)

Keys come from the environment (litellm's usual variables such as OPENAI_API_KEY, or the one
named by `api_key_env`) or from this file; never from spec files or run configurations, and
they never reach the archive, logs or sandboxes.
"""
from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from evoforge.models.base import ModelError

ALLOWED = ("api_base", "api_key_env", "api_key")


@dataclass(frozen=True)
class ModelSettings:
    api_base: str | None = None
    api_key_env: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed, never recorded

    def key(self) -> str | None:
        """The key to send: the one written in the config file, else the named variable's."""
        if self.api_key:
            return self.api_key
        return os.environ.get(self.api_key_env) if self.api_key_env else None

    def key_source(self) -> str:
        """Where the key comes from, for people (never the key itself)."""
        if self.api_key:
            return "key in the config file"
        if self.api_key_env:
            return f"key from ${self.api_key_env}: " + ("set" if os.environ.get(self.api_key_env) else "missing")
        return "key from the provider's usual variable"


def config_path() -> Path:
    explicit = os.environ.get("EVOFORGE_MODELS_CONFIG")
    return Path(explicit) if explicit else Path(platformdirs.user_config_dir("evoforge")) / "models.toml"


def configured_models() -> dict[str, ModelSettings]:
    """Every entry of the config file by model name (or `provider/*`); {} when there is no file."""
    path = config_path()
    if not path.exists():
        if os.environ.get("EVOFORGE_MODELS_CONFIG"):
            raise ModelError(f"EVOFORGE_MODELS_CONFIG names {path}, which does not exist: fix the path or unset it")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ModelError(f"cannot read the model config {path}: {error}") from None
    models = data.get("models", {})
    if not isinstance(models, dict) or set(data) - {"models"}:
        raise ModelError(f"{path}: the file must hold only [models.\"NAME\"] tables")
    settings = {name: _entry(path, name, table) for name, table in models.items()}
    if any(s.api_key for s in settings.values()):
        _check_private(path)
    return settings


def settings_for(name: str) -> ModelSettings:
    """The config entry for `name`, else for its provider (`provider/*`), else defaults."""
    models = configured_models()
    provider = name.split("/", 1)[0]
    return models.get(name) or models.get(f"{provider}/*") or ModelSettings()


def _entry(path: Path, name: str, table: object) -> ModelSettings:
    if not isinstance(table, dict):
        raise ModelError(f"{path}: model '{name}' must be a table with {', '.join(ALLOWED)}")
    unknown = sorted(set(table) - set(ALLOWED))
    if unknown:
        raise ModelError(f"{path}: model '{name}' has unknown setting(s) {', '.join(unknown)}; allowed: {', '.join(ALLOWED)}")
    wrong = [k for k, v in table.items() if not isinstance(v, str) or not v.strip()]
    if wrong:
        raise ModelError(f"{path}: model '{name}': {', '.join(wrong)} must be a non-empty string")
    return ModelSettings(**table)


def _check_private(path: Path) -> None:
    # An API key in a file others can read is a leaked key; refuse it as ssh does.
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ModelError(f"{path} holds an API key but other users can read it: run `chmod 600 {path}`")
