"""A folder domain's tasks: rows read from JSONL/CSV files or made by a generator, typed by the
declared schema, split, and separated into what agents see (inputs) and what stays in the
kernel (labels)."""
from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evoforge.domains.base import Task
from evoforge.domains.fields import a_type, typed_value
from evoforge.domains.manifest import Manifest
from evoforge.domains.problems import DomainProblem, describe
from evoforge.domains.usercode import UserCodeError, load_function
from evoforge.splits import SPLITS, Split

MAX_PROBLEMS_PER_FILE = 10  # a systematic mistake is reported a few times, then summarised
GENERATOR_FUNCTION = "generate"


@dataclass
class Row:
    file: Path
    line: int | None
    values: dict[str, Any]
    from_text: bool  # CSV cells are text and get converted to the declared types


@dataclass
class TaskSet:
    tasks: dict[Split, list[Task]] = field(default_factory=lambda: {split: [] for split in SPLITS})
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[str, Row] = field(default_factory=dict)  # where each task came from, for reports
    problems: list[DomainProblem] = field(default_factory=list)


def build_tasks(manifest: Manifest, seed: int, sizes: dict[str, int]) -> TaskSet:
    """The tasks of every split, deterministic for `seed`; `sizes` caps (or, for a generator,
    sets) the number of tasks per split."""
    result = TaskSet()
    rows = _rows(manifest, seed, sizes, result.problems)
    typed: list[tuple[Row, str, Split | None, dict[str, Any], dict[str, Any]]] = []
    seen: dict[str, Row] = {}
    per_file: dict[Path, int] = {}
    for number, row in enumerate(rows, 1):
        row_problems: list[DomainProblem] = []
        inputs = _typed_fields(manifest, row, manifest.inputs, "input", "inputs", row_problems)
        labels = _typed_fields(manifest, row, manifest.labels, "label", "labels", row_problems)
        split = _row_split(manifest, row, row_problems)
        task_id = str(row.values.get(manifest.id_field, "")) if manifest.id_field else f"{manifest.name}-{number}"
        if manifest.id_field and not task_id:
            row_problems.append(_row_problem(row, f"row has no id field {manifest.id_field!r}", "add it to every row, or remove id from [data]"))
        elif task_id in seen:
            row_problems.append(_row_problem(row, f"id {task_id!r} was already used at line {seen[task_id].line}", "give every row its own id"))
        seen.setdefault(task_id, row)
        if row_problems:
            per_file[row.file] = per_file.get(row.file, 0) + 1
            if per_file[row.file] <= MAX_PROBLEMS_PER_FILE:
                result.problems.extend(row_problems)
            continue
        typed.append((row, task_id, split, inputs, labels))
    for path, count in per_file.items():
        if count > MAX_PROBLEMS_PER_FILE:
            result.problems.append(DomainProblem(path, None, f"{count - MAX_PROBLEMS_PER_FILE} more row(s) have problems like the above", "fix those rows too"))
    if manifest.ratio is not None:
        random.Random(f"{manifest.name}:{seed}").shuffle(typed)
        typed = [(row, task_id, split, inputs, labels) for split, (row, task_id, _, inputs, labels) in zip(_ratio_splits(manifest.ratio, len(typed)), typed)]
    for row, task_id, split, inputs, labels in typed:
        assert split is not None
        if len(result.tasks[split]) < sizes.get(split, len(typed)):
            result.tasks[split].append(Task(task_id, split, inputs))
            result.labels[task_id] = labels
            result.origins[task_id] = row
    for split in SPLITS:
        if not result.tasks[split] and not result.problems:
            result.problems.append(DomainProblem(manifest.file, manifest.line("splits"), f"split '{split}' has no tasks",
                                                 f"add rows for {split} (or raise its share in [splits] ratio)", "[splits]"))
    return result


def _rows(manifest: Manifest, seed: int, sizes: dict[str, int], problems: list[DomainProblem]) -> list[Row]:
    if manifest.generator is not None:
        return _generated_rows(manifest, seed, sizes, problems)
    if manifest.split_files is not None:
        rows = []
        for split, path in manifest.split_files.items():
            for row in _file_rows(path, problems):
                row.values["\0split"] = split  # the file decides the split; no row field can clash
                rows.append(row)
        return rows
    return [row for path in manifest.data_files for row in _file_rows(path, problems)]


def _file_rows(path: Path, problems: list[DomainProblem]) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(DomainProblem(path, None, f"cannot read the file ({describe(error)})", "save it as UTF-8 text"))
        return []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        rows = []
        for values in reader:
            rows.append(Row(path, reader.line_num, {k: v for k, v in values.items() if k is not None and v is not None}, True))
        return rows
    rows = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            values = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.append(DomainProblem(path, line, f"not valid JSON ({error.msg})", "write one JSON object per line"))
            continue
        if not isinstance(values, dict):
            problems.append(DomainProblem(path, line, "the line is not a JSON object", "write one object per line, e.g. {\"question\": \"...\", \"answer\": \"...\"}"))
            continue
        rows.append(Row(path, line, values, False))
    return rows


def _generated_rows(manifest: Manifest, seed: int, sizes: dict[str, int], problems: list[DomainProblem]) -> list[Row]:
    assert manifest.generator is not None
    path = manifest.generator
    missing = [split for split in SPLITS if split not in sizes]
    if missing:
        problems.append(manifest.problem("splits", "sizes", f"a generator needs a size for every split (missing {', '.join(missing)})",
                                         "write sizes = { train = 12, validation = 12, test = 24 }"))
        return []
    try:
        generate = load_function(path, GENERATOR_FUNCTION)
        made = list(generate(seed, dict(sizes)))
    except UserCodeError as error:
        problems.append(DomainProblem(path, None, str(error), f"define {GENERATOR_FUNCTION}(seed, sizes) returning rows (see docs/domains.md)"))
        return []
    except Exception as error:  # the generator is the user's code
        problems.append(DomainProblem(path, None, f"{GENERATOR_FUNCTION}() raised {describe(error)}", "fix the generator"))
        return []
    rows = []
    for index, values in enumerate(made):
        if not isinstance(values, dict):
            problems.append(DomainProblem(path, None, f"row {index} from {GENERATOR_FUNCTION}() is not a dict", "yield one dict per task"))
            return []
        rows.append(Row(path, None, dict(values), False))
    return rows


def _typed_fields(manifest: Manifest, row: Row, schema: dict[str, str], kind: str, table: str, problems: list[DomainProblem]) -> dict[str, Any]:
    values = {}
    for name, type_name in schema.items():
        if name not in row.values:
            problems.append(_row_problem(row, f"row has no {kind} field {name!r}", f"add it to every row, or remove {name!r} from [{table}] in domain.toml"))
            continue
        try:
            values[name] = typed_value(row.values[name], type_name, row.from_text, manifest.structured.get(name))
        except ValueError as error:
            problems.append(_row_problem(row, f"{kind} field {name!r}: {error}", f"give {a_type(type_name)}, or change its type in [{table}]"))
    return values


def _row_split(manifest: Manifest, row: Row, problems: list[DomainProblem]) -> Split | None:
    if manifest.ratio is not None:
        return None
    key = "\0split" if manifest.split_files is not None else manifest.split_field
    value = row.values.get(key) if key else None
    if value not in SPLITS:
        problems.append(_row_problem(row, f"split field {key!r} is {value!r}", f"set it to one of {', '.join(SPLITS)}"))
        return None
    return value  # type: ignore[return-value]


def _ratio_splits(ratio: dict[Split, float], count: int) -> list[Split]:
    """`count` split names in order, train first, by the ratio (test takes the rounding rest)."""
    train, validation = int(count * ratio["train"]), int(count * ratio["validation"])
    return ["train"] * train + ["validation"] * validation + ["test"] * (count - train - validation)


def _row_problem(row: Row, message: str, fix: str) -> DomainProblem:
    return DomainProblem(row.file, row.line, message, fix)
