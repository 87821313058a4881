"""Reads a domain folder's `domain.toml` into a `Manifest`, collecting every problem with its line.

The format is documented in docs/domains.md ("Reference: domain.toml").
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evoforge.contracts.source import SourceIndex
from evoforge.domains.fields import FIELD_TYPES
from evoforge.domains.problems import DomainProblem
from evoforge.paths import SPECS_DIR
from evoforge.splits import SPLITS, Split
from evoforge.toml_syntax import syntax_error

MANIFEST = "domain.toml"
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
TOP_KEYS = {"name", "description", "contracts", "answer", "agent", "inputs", "labels", "data", "splits", "evaluator"}
TABLE_KEYS = {"data": {"files", "id", "generator"}, "splits": {"ratio", "field", "files", "sizes"}}
DATA_SUFFIXES = {".jsonl", ".csv"}
KERNEL_SPECS = "{evoforge_specs}"  # in `contracts`: the folder of evoforge's own spec files



def is_domain_folder(path: str | Path) -> bool:
    return Path(path).is_dir() and (Path(path) / MANIFEST).is_file()

@dataclass
class Manifest:
    folder: Path
    name: str = ""
    description: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    structured: dict[str, Any] = field(default_factory=dict)  # field -> its contract type, beyond the five simple ones
    data_files: list[Path] = field(default_factory=list)
    generator: Path | None = None
    id_field: str | None = None
    ratio: dict[Split, float] | None = None
    split_field: str | None = None
    split_files: dict[Split, Path] | None = None
    sizes: dict[str, int] = field(default_factory=dict)
    evaluator: dict[str, Any] = field(default_factory=dict)
    contracts: list[Path] = field(default_factory=list)
    answer: str | None = None  # the contract that answers a task from its inputs (`answer = "NAME"`)
    agent: Path | None = None
    index: SourceIndex = field(default_factory=lambda: SourceIndex(""))

    @property
    def file(self) -> Path:
        return self.folder / MANIFEST

    def line(self, table: str | None, key: str | None = None) -> int:
        """The line of `[table]` (or of `key` in it; table None = the top of the file)."""
        start = self.index.table_line(table) if table else 1
        return self.index.key_line(start, key) if key else start

    def problem(self, table: str | None, key: str | None, message: str, fix: str) -> DomainProblem:
        label = f"[{table}] {key}" if table and key else (f"[{table}]" if table else key)
        return DomainProblem(self.file, self.line(table, key), message, fix, label)


def read_manifest(folder: Path) -> tuple[Manifest, list[DomainProblem]]:
    """The folder's manifest and the problems in it (a manifest with problems must not be used)."""
    manifest = Manifest(folder)
    if not manifest.file.is_file():
        return manifest, [DomainProblem(manifest.file, None, "no domain.toml in this folder",
                                        "create it (`evoforge new domain NAME` writes a working example)")]
    text = manifest.file.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message, fix = syntax_error(text, str(error))
        return manifest, [DomainProblem(manifest.file, line, message, fix or "fix the syntax (see docs/domains.md)")]
    manifest.index = SourceIndex(text)
    problems: list[DomainProblem] = []
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(manifest.problem(None, key, f"unknown key {key!r}", f"use only {', '.join(sorted(TOP_KEYS))}"))
    _read_identity(manifest, data, problems)
    _read_contracts(manifest, data.get("contracts", ["specs"]), problems)  # first: field types may name their records
    manifest.inputs = _read_schema(manifest, data, "inputs", problems)
    manifest.labels = _read_schema(manifest, data, "labels", problems)
    for both in sorted(set(manifest.inputs) & set(manifest.labels)):
        problems.append(manifest.problem("labels", both, f"field {both!r} is both an input and a label",
                                         "a label must never be shown to agents: remove it from [inputs]"))
    _read_data(manifest, _table(manifest, data, "data", problems), problems)
    _read_splits(manifest, _table(manifest, data, "splits", problems), problems)
    manifest.evaluator = _table(manifest, data, "evaluator", problems)
    if "evaluator" in data and "kind" not in manifest.evaluator:
        problems.append(manifest.problem("evaluator", None, "the evaluator has no kind", "add kind = \"exact\" (or another kind, see docs/domains.md)"))
    elif "evaluator" not in data:
        problems.append(manifest.problem("evaluator", None, "no [evaluator] table", "add [evaluator] with kind = \"exact\" (see docs/domains.md)"))
    _read_answer(manifest, data.get("answer"), problems)
    agent = folder / str(data.get("agent", "agent"))
    if agent.is_dir():
        manifest.agent = agent
    elif "agent" in data:
        problems.append(manifest.problem(None, "agent", f"no folder {agent}", "create it or remove the key (the generic seed agent is used then)"))
    return manifest, problems


def _table(manifest: Manifest, data: dict[str, Any], name: str, problems: list[DomainProblem]) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        problems.append(manifest.problem(None, name, f"{name} must be a table", f"write it as [{name}] followed by key = value lines"))
        return {}
    for key in sorted(set(table) - TABLE_KEYS.get(name, set(table))):
        problems.append(manifest.problem(name, key, f"unknown key {key!r}", f"use only {', '.join(sorted(TABLE_KEYS[name]))}"))
    return table


def _read_identity(manifest: Manifest, data: dict[str, Any], problems: list[DomainProblem]) -> None:
    name, description = data.get("name"), data.get("description")
    if not isinstance(name, str) or not NAME.match(name):
        problems.append(manifest.problem(None, "name", f"name {name!r} is missing or not a plain name",
                                         "set name = \"my_task\" (a letter, then letters, digits, - or _)"))
    else:
        manifest.name = name
    if not isinstance(description, str) or not description.strip():
        problems.append(manifest.problem(None, "description", "description is missing", "add description = \"one line on what the task is\""))
    else:
        manifest.description = description.strip()


def _read_schema(manifest: Manifest, data: dict[str, Any], table: str, problems: list[DomainProblem]) -> dict[str, str]:
    schema = _table(manifest, data, table, problems)
    if not schema:
        what = "agents see" if table == "inputs" else "only the evaluator sees"
        problems.append(manifest.problem(table, None, f"no [{table}] fields", f"add [{table}] with field = \"type\" lines: the fields {what}"))
    known: dict[str, str] = {}
    for key, type_name in schema.items():
        if isinstance(type_name, str) and type_name in FIELD_TYPES:
            known[key] = type_name
            continue
        try:
            parsed = _contract_type(manifest, type_name)
        except ValueError as error:
            problems.append(manifest.problem(table, key, str(error),
                                             f"use one of {', '.join(FIELD_TYPES)} or a contract type such as list[T, N] or a record of the spec files"))
            continue
        known[key] = str(parsed)
        manifest.structured[key] = parsed
    return known


def _contract_type(manifest: Manifest, text: Any) -> Any:
    """A field type beyond the simple ones, in the contract language, with the record types of
    the domain's spec files (read only for such a field); a ValueError says why it is not one."""
    from evoforge.contracts.loader import read_spec_file
    from evoforge.contracts.outcome import SpecError
    from evoforge.contracts.type_syntax import parse_type

    if not isinstance(text, str):
        raise ValueError("a type is written as text")
    records: dict[str, Any] = {}
    for path in manifest.contracts:
        try:
            records.update(read_spec_file(path)[2])
        except SpecError:
            continue  # reported with the contracts by `domains check`
    return parse_type(text, records)


def _read_data(manifest: Manifest, table: dict[str, Any], problems: list[DomainProblem]) -> None:
    files, generator = table.get("files"), table.get("generator")
    manifest.id_field = table.get("id")
    if generator is not None:
        manifest.generator = manifest.folder / str(generator)
        if not manifest.generator.is_file():
            problems.append(manifest.problem("data", "generator", f"no file {manifest.generator}", "create it, or name the data files with files = [...]"))
    if files is None:
        return
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        problems.append(manifest.problem("data", "files", "files must be a list of file names", "write files = [\"data.jsonl\"]"))
        return
    manifest.data_files = [manifest.folder / f for f in files]
    problems.extend(_data_file_problems(manifest, "data", "files", manifest.data_files))


def _data_file_problems(manifest: Manifest, table: str, key: str, paths: list[Path]) -> list[DomainProblem]:
    problems = []
    for path in paths:
        if path.suffix.lower() not in DATA_SUFFIXES:
            problems.append(manifest.problem(table, key, f"{path.name} is neither .jsonl nor .csv", "convert it to JSONL (one JSON object a line) or CSV with a header"))
        elif not path.is_file():
            problems.append(manifest.problem(table, key, f"no file {path}", "create it or fix the name"))
    return problems


def _read_splits(manifest: Manifest, table: dict[str, Any], problems: list[DomainProblem]) -> None:
    modes = [key for key in ("ratio", "field", "files") if key in table]
    has_files, has_generator = bool(manifest.data_files), manifest.generator is not None
    if has_generator:
        manifest.split_field = str(table.get("field", "split"))  # a generator names each row's split
        for key in sorted({"ratio", "files"} & set(table)):
            problems.append(manifest.problem("splits", key, f"{key} does not apply to a generator, which names each row's split",
                                             "remove it; give sizes = { train = ..., validation = ..., test = ... }"))
    elif len(modes) != 1:
        problems.append(manifest.problem("splits", None, f"[splits] must give exactly one of ratio, field, files (found {', '.join(modes) or 'none'})",
                                         "e.g. ratio = { train = 0.5, validation = 0.25, test = 0.25 }"))
    elif modes == ["ratio"]:
        ratio = table["ratio"]
        if not isinstance(ratio, dict) or set(ratio) != set(SPLITS) or not all(isinstance(v, (int, float)) and v > 0 for v in ratio.values()) \
                or abs(sum(ratio.values()) - 1) > 1e-6:
            problems.append(manifest.problem("splits", "ratio", f"ratio {ratio!r} is not three positive shares of 1",
                                             "write ratio = { train = 0.5, validation = 0.25, test = 0.25 }"))
        else:
            manifest.ratio = {split: float(ratio[split]) for split in SPLITS}
    elif modes == ["field"]:
        manifest.split_field = str(table["field"])
    else:
        files = table["files"]
        if not isinstance(files, dict) or set(files) != set(SPLITS) or not all(isinstance(v, str) for v in files.values()):
            problems.append(manifest.problem("splits", "files", "files must name one file for each of train, validation, test",
                                             "write files = { train = \"train.jsonl\", validation = \"validation.jsonl\", test = \"test.jsonl\" }"))
        else:
            manifest.split_files = {split: manifest.folder / files[split] for split in SPLITS}
            problems.extend(_data_file_problems(manifest, "splits", "files", list(manifest.split_files.values())))
    sources = sum([has_files, has_generator, manifest.split_files is not None])
    if sources != 1 and not (sources == 0 and "files" in modes):
        problems.append(manifest.problem("data", None, "give the tasks one way: [data] files, [data] generator, or [splits] files",
                                         "keep exactly one of them"))
    sizes = table.get("sizes", {})
    if not isinstance(sizes, dict) or not set(sizes) <= set(SPLITS) or not all(isinstance(v, int) and v >= 1 for v in sizes.values()):
        problems.append(manifest.problem("splits", "sizes", f"sizes {sizes!r} is not a count per split", "write sizes = { train = 8, validation = 8, test = 16 }"))
    else:
        manifest.sizes = dict(sizes)


def _read_answer(manifest: Manifest, answer: Any, problems: list[DomainProblem]) -> None:
    """`answer = "NAME"`: the contract agents may call with a task's inputs to answer it (optional;
    whether the spec files hold it, with the inputs of [inputs], is checked by `domains check`)."""
    if answer is None:
        return
    if not isinstance(answer, str) or not answer.isidentifier():
        problems.append(manifest.problem(None, "answer", f"answer {answer!r} is not a contract name",
                                         "write answer = \"NAME\", naming a [contracts.NAME] of the domain's spec files"))
        return
    manifest.answer = answer


def _read_contracts(manifest: Manifest, entries: Any, problems: list[DomainProblem]) -> None:
    if isinstance(entries, str):
        entries = [entries]
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        problems.append(manifest.problem(None, "contracts", "contracts must be a list of spec files or folders", "write contracts = [\"specs\"]"))
        return
    missing = 0
    for entry in entries:
        path = Path(entry.replace(KERNEL_SPECS, str(SPECS_DIR)))
        path = path if path.is_absolute() else manifest.folder / path
        if path.is_dir():
            manifest.contracts.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            manifest.contracts.append(path)
        else:
            missing += 1
            problems.append(manifest.problem(None, "contracts", f"no spec file or folder {path}",
                                             "create specs/NAME.toml with the contracts agents may call (see docs/specs.md)"))
    if not manifest.contracts and not missing:
        problems.append(manifest.problem(None, "contracts", "the domain has no contracts", "add specs/NAME.toml with at least one [contracts.NAME] table (see docs/specs.md)"))
