"""An agent folder's declaration of itself (`agent.toml`): entry points, the contracts its meta
level calls, and which files and parameters are its meta level.

The kernel reads the manifest of the run's starting agent (never an evolved variant's copy),
so a variant cannot grant itself contracts or move its meta level out of the ablation's reach.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evoforge.errors import EvoforgeError
from evoforge.paths import SPECS_DIR
from evoforge.toml_syntax import one_line

MANIFEST = "agent.toml"


@dataclass(frozen=True)
class EntryPoint:
    module: str
    function: str

    @classmethod
    def parse(cls, text: Any, where: str) -> "EntryPoint":
        module, _, function = text.partition(":") if isinstance(text, str) else ("", "", "")
        if not module.isidentifier() or not function.isidentifier():
            raise EvoforgeError(f"{where}: an entry point is 'module:function' (e.g. 'task_agent:run'), got {text!r}")
        return cls(module, function)


@dataclass(frozen=True)
class AgentManifest:
    name: str
    task: EntryPoint
    meta: EntryPoint
    meta_files: tuple[str, ...] = ()
    meta_params: tuple[str, str] | None = None  # (JSON file, top-level key) holding meta settings
    specs: tuple[str, ...] = ()  # spec files the meta level calls, beside the manifest or in specs/

    @classmethod
    def from_files(cls, files: dict[str, str], where: str) -> "AgentManifest":
        """The manifest among an agent's `files`; `where` names the agent in errors."""
        if MANIFEST not in files:
            raise EvoforgeError(f"{where}: no {MANIFEST}; an agent folder declares its entry points there (see docs/evolution.md)")
        try:
            data = tomllib.loads(files[MANIFEST])
        except tomllib.TOMLDecodeError as error:
            line, message = one_line(files[MANIFEST], str(error))
            raise EvoforgeError(f"{where}/{MANIFEST}:{line or 1}: {message}") from None
        where = f"{where}/{MANIFEST}"
        entry, meta = data.get("entry", {}), data.get("meta", {})
        params = meta.get("params")
        if params is not None and not (isinstance(params, dict) and isinstance(params.get("file"), str) and isinstance(params.get("key"), str)):
            raise EvoforgeError(f"{where}: [meta] params is {{ file = \"params.json\", key = \"meta\" }}")
        manifest = cls(
            name=str(data.get("name", "agent")), task=EntryPoint.parse(entry.get("task"), f"{where} [entry] task"),
            meta=EntryPoint.parse(entry.get("meta"), f"{where} [entry] meta"),
            meta_files=tuple(meta.get("files", ())), specs=tuple(meta.get("specs", ())),
            meta_params=(params["file"], params["key"]) if params else None,
        )
        for path in (*manifest.meta_files, f"{manifest.task.module}.py", f"{manifest.meta.module}.py"):
            if path not in files:
                raise EvoforgeError(f"{where}: names {path}, which is not in the agent's files")
        return manifest

    def spec_paths(self, folder: Path | None) -> list[Path]:
        """The spec files of `specs`, found beside the manifest (in `folder`) or in specs/."""
        paths = []
        for name in self.specs:
            candidates = ([folder / name] if folder is not None else []) + [SPECS_DIR / name]
            found = next((p for p in candidates if p.is_file()), None)
            if found is None:
                raise EvoforgeError(f"{MANIFEST}: spec file {name!r} is neither beside the agent nor in {SPECS_DIR}")
            paths.append(found.resolve())
        return paths

    def freeze_meta(self, child: dict[str, str], seed: dict[str, str]) -> dict[str, str]:
        """The frozen-meta ablation: the child keeps the seed's meta files and meta settings."""
        files = {**child, **{path: seed[path] for path in self.meta_files}}
        if self.meta_params is not None:
            name, key = self.meta_params
            try:
                params, seed_params = json.loads(files[name]), json.loads(seed[name])
                params[key] = seed_params[key]
                files[name] = json.dumps(params, indent=2, sort_keys=True) + "\n"
            except (KeyError, ValueError, TypeError):
                files[name] = seed[name]
        return files
