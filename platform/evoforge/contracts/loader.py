"""Loads spec files: TOML -> typed, compiled contracts, each with its fallback proof.

A spec with any error is reported (file, line, contract, what is wrong) and never used; a
contract whose fallback is not proven is kept only for reporting and refused by `SpecSet.get`.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from evoforge.contracts.expressions import ExprError, as_type, parse_expression
from evoforge.contracts.model import RESULT, Clause, Contract, ContractUnavailable
from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS, SpecError, gather, read_spec_text, spec_files
from evoforge.contracts.parsing import PARSERS
from evoforge.contracts.prompt import placeholders
from evoforge.contracts.source import SourceIndex
from evoforge.contracts.to_python import compile_clauses, compile_value
from evoforge.contracts.type_syntax import TypeSyntaxError, parse_type
from evoforge.contracts.types import (
    EnumType,
    RecordType,
    Type,
    ValueTypeError,
    assignable,
    conform,
)
from evoforge.models.base import Sampling
from evoforge.toml_syntax import one_line

CONTRACT_KEYS = {
    "description", "inputs", "output", "require", "ensure", "prompt", "system",
    "parse", "attempts", "fallback", "examples", "max_tokens", "temperature",
}
MAX_ATTEMPTS = 20
MAX_TOKENS = 32_000


@dataclass
class SpecSet:
    """The contracts loaded from some spec files, and every problem found in them."""

    contracts: dict[str, Contract] = field(default_factory=dict)
    problems: list[SpecError] = field(default_factory=list)

    def get(self, name: str) -> Contract:
        """A proven contract by name; anything else is a `ContractUnavailable` error."""
        contract = self.contracts.get(name)
        if contract is None:
            known = ", ".join(sorted(self.contracts)) or "none loaded"
            raise ContractUnavailable(f"no contract named '{name}' (known: {known})")
        if contract.proof is None or not contract.proof.proven:
            reason = contract.proof.reason if contract.proof else "not yet proven"
            raise ContractUnavailable(f"{contract.where} is rejected and cannot be used: {reason}")
        return contract

    @property
    def all_proven(self) -> bool:
        return not self.problems and all(c.proof and c.proof.proven for c in self.contracts.values())


def load_specs(paths: Iterable[str | Path], *, check_proofs: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> SpecSet:
    specs = SpecSet()
    for file in spec_files(paths):
        try:
            items = load_text(str(file), read_spec_text(file))
        except SpecError as error:
            items = [error]
        gather(items, specs.contracts, specs.problems)
    if check_proofs:
        from evoforge.contracts.proof import prove  # z3: only to prove (specs check times loading it)

        for contract in specs.contracts.values():
            contract.proof = prove(contract, timeout_ms)
    return specs


def read_spec_file(path: Path) -> tuple[dict[str, Any], SourceIndex, dict[str, RecordType]]:
    """A spec file's TOML data, its line index and its record types; a `SpecError` if unreadable."""
    return parse_spec_text(str(path), read_spec_text(path))


def parse_spec_text(file: str, text: str) -> tuple[dict[str, Any], SourceIndex, dict[str, RecordType]]:
    """`read_spec_file` for the text of `file`, already read."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = one_line(text, str(error))
        raise SpecError(file, line or 1, None, message) from None
    index = SourceIndex(text)
    unknown = set(data) - {"types", "contracts", "tasks", "tools"}
    if unknown:
        raise SpecError(file, 1, None, f"unknown top-level table(s) {', '.join(sorted(unknown))}; use [types.NAME], [contracts.NAME], [tasks.NAME] and [tools.NAME]")
    return data, index, _record_types(data.get("types", {}), file, index)


def load_text(file: str, text: str) -> list[Contract | SpecError]:
    """The contracts (unproven) and errors of spec file `file`, whose text is `text`."""
    try:
        data, index, records = parse_spec_text(file, text)
    except SpecError as error:
        return [error]
    contracts = data.get("contracts", {})
    if not contracts and "tasks" not in data and "tools" not in data:  # tasks.py and tools.py read those
        return [SpecError(file, 1, None, "no contracts: declare at least one [contracts.NAME] table")]
    results: list[Contract | SpecError] = []
    for name, table in contracts.items():
        try:
            results.append(_ContractBuilder(file, index, name, table, records).build())
        except SpecError as error:
            results.append(error)
    return results


def _record_types(tables: dict[str, Any], file: str, index: SourceIndex) -> dict[str, RecordType]:
    """Record declarations, in any order; a record may use records declared elsewhere in the file."""
    records: dict[str, RecordType] = {}
    pending = dict(tables)
    while pending:
        progressed = False
        for name, fields in list(pending.items()):
            line = index.table_line("types", name)
            if not isinstance(fields, dict) or not fields:
                raise SpecError(file, line, None, f"record type '{name}' needs fields: NAME = \"TYPE\"")
            try:
                parsed = tuple((f, parse_type(str(t), records, field=True)) for f, t in fields.items())
            except TypeSyntaxError as error:
                if any(re.search(rf"\b{re.escape(other)}\b", str(t)) for t in fields.values() for other in pending if other != name):
                    continue  # refers to a record not built yet; retry next round
                raise SpecError(file, line, None, f"record type '{name}': {error}") from None
            records[name] = RecordType(name, parsed)
            del pending[name]
            progressed = True
        if not progressed:
            names = ", ".join(sorted(pending))
            raise SpecError(file, index.table_line("types", next(iter(pending))), None, f"record types refer to each other in a cycle or to unknown types: {names}")
    return records


class _ContractBuilder:
    table_name = "contracts"  # the TOML table it reads; tasks.py reuses the builder for [tasks]

    def __init__(self, file: str, index: SourceIndex, name: str, table: Any, records: dict[str, RecordType]):
        self.file, self.index, self.name, self.table, self.records = file, index, name, table, records
        self.line = index.table_line(self.table_name, name)

    def error(self, message: str, line: int | None = None) -> SpecError:
        return SpecError(self.file, line or self.line, self.name, message, kind=self.table_name[:-1])

    def key_line(self, key: str) -> int:
        return self.index.key_line(self.line, key)

    def checked_table(self, allowed: set[str], required: tuple[str, ...]) -> dict[str, Any]:
        """The table being built, when it is a table with only `allowed` keys and all `required` ones."""
        table = self.table
        if not isinstance(table, dict):
            raise self.error(f"must be a table: [{self.table_name}.NAME]")
        unknown = set(table) - allowed
        if unknown:
            raise self.error(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed))}", self.key_line(sorted(unknown)[0]))
        for key in required:
            if key not in table:
                raise self.error(f"missing required key '{key}'")
        return table

    def build(self) -> Contract:
        table = self.checked_table(CONTRACT_KEYS, ("inputs", "output", "ensure", "prompt", "fallback"))
        inputs = self._inputs()
        output = self._type(table["output"], "output")
        scope = dict(inputs)
        require = self._clauses("require", scope)
        ensure = self._clauses("ensure", {**scope, RESULT: output})
        fallback = self._fallback(scope, output)
        prompt, system = self._text("prompt"), self._optional_text("system")
        for template_key, template in (("prompt", prompt), ("system", system or "")):
            for dotted in placeholders(template):
                if dotted.split(".")[0] not in inputs:
                    raise self.error(f"{template_key} refers to {{{dotted}}}, which is not an input (inputs: {', '.join(inputs) or 'none'})", self.key_line(template_key))
        parse = table.get("parse", "json")
        if parse not in PARSERS:
            raise self.error(f"unknown parse mode {parse!r} (choose one of {', '.join(PARSERS)})", self.key_line("parse"))
        if parse == "choice" and not isinstance(output, EnumType):
            raise self.error(f"parse = \"choice\" needs an enum output, not {output}", self.key_line("parse"))
        attempts = table.get("attempts", 3)
        if type(attempts) is not int or not 1 <= attempts <= MAX_ATTEMPTS:
            raise self.error(f"attempts must be an integer from 1 to {MAX_ATTEMPTS}", self.key_line("attempts"))
        params = list(inputs)
        max_tokens, temperature = table.get("max_tokens"), table.get("temperature")
        if max_tokens is not None and (type(max_tokens) is not int or not 1 <= max_tokens <= MAX_TOKENS):
            raise self.error(f"max_tokens must be an integer from 1 to {MAX_TOKENS}", self.key_line("max_tokens"))
        if temperature is not None and (type(temperature) not in (int, float) or not 0 <= temperature <= 2):
            raise self.error("temperature must be a number from 0 to 2", self.key_line("temperature"))
        contract = Contract(
            name=self.name, file=self.file, line=self.line, description=str(table.get("description", "")),
            inputs=inputs, output=output, require=require, ensure=ensure, prompt=prompt, system=system,
            parse=parse, attempts=attempts, fallback=fallback, examples=self._examples(inputs),
            sampling=Sampling(max_tokens, None if temperature is None else float(temperature)),
            require_check=compile_clauses(f"{self.name}.require", params, [c.node for c in require]),
            ensure_check=compile_clauses(f"{self.name}.ensure", params, [c.node for c in ensure]),
            fallback_value=compile_value(f"{self.name}.fallback", params, fallback.node),
        )
        return contract

    def _type(self, text: Any, key: str) -> Type:
        if not isinstance(text, str):
            raise self.error(f"the type of {key} must be a string such as \"int\" or \"list[str, 5]\"", self.key_line(key.split(".")[0]))
        try:
            return parse_type(text, self.records)
        except TypeSyntaxError as error:
            raise self.error(f"{key}: {error}", self.key_line(key.split(".")[0])) from None

    def _inputs(self) -> dict[str, Type]:
        raw = self.table["inputs"]
        if not isinstance(raw, dict):
            raise self.error("inputs must be a table of NAME = \"TYPE\"", self.key_line("inputs"))
        if RESULT in raw:
            raise self.error(f"'{RESULT}' is reserved for the output; rename that input", self.key_line("inputs"))
        reserved = sorted(name for name in raw if name.startswith("_"))
        if reserved:  # names starting with _ are shaping options (contracts/shaping.py)
            raise self.error(f"input '{reserved[0]}': names starting with '_' are reserved for shaping options; rename it", self.key_line("inputs"))
        return {name: self._type(t, f"inputs.{name}") for name, t in raw.items()}

    def _entries(self, key: str) -> list[tuple[str, str | None]]:
        raw = self.table.get(key, [])
        if isinstance(raw, (str, dict)):
            raw = [raw]
        if not isinstance(raw, list):
            raise self.error(f"{key} must be a list of expressions", self.key_line(key))
        entries = []
        for item in raw:
            if isinstance(item, str):
                entries.append((item, None))
            elif isinstance(item, dict) and isinstance(item.get("check"), str) and set(item) <= {"check", "message"}:
                entries.append((item["check"], item.get("message")))
            else:
                raise self.error(f"each {key} entry is an expression string or {{ check = \"...\", message = \"...\" }}", self.key_line(key))
        return entries

    def _clauses(self, key: str, scope: dict[str, Type]) -> list[Clause]:
        key_line = self.key_line(key)
        return [self._expression(text, scope, key, key_line, message=message) for text, message in self._entries(key)]

    def _expression(self, text: str, scope: dict[str, Type], key: str, key_line: int, *, expected: Type | None = None, message: str | None = None) -> Clause:
        line = self.index.text_line(key_line, text)
        try:
            node = parse_expression(text, scope, expected)
        except ExprError as error:
            raise self.error(f"{key} `{text.strip()}`: {error} (column {error.col})", line + error.line - 1) from None
        return Clause(text.strip(), node, line, message)

    def _fallback(self, scope: dict[str, Type], output: Type) -> Clause:
        text = self.table["fallback"]
        if not isinstance(text, str):
            raise self.error("fallback must be an expression string (use a record literal {\"field\": ...} for records)", self.key_line("fallback"))
        clause = self._expression(text, scope, "fallback", self.key_line("fallback"), expected=None)
        if not assignable(clause.node.type, output, loose=True):
            raise self.error(f"fallback has type {clause.node.type}, but the output is {output}", clause.line)
        return replace(clause, node=as_type(clause.node, output))

    def _text(self, key: str) -> str:
        value = self.table[key]
        if not isinstance(value, str):
            raise self.error(f"{key} must be a string", self.key_line(key))
        return value

    def _optional_text(self, key: str) -> str | None:
        return self._text(key) if key in self.table else None

    def _examples(self, inputs: dict[str, Type]) -> list[dict[str, Any]]:
        raw = self.table.get("examples", [])
        if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
            raise self.error("examples must be a list of input tables", self.key_line("examples"))
        examples = []
        for example in raw:
            if set(example) != set(inputs):
                raise self.error(f"each example must give exactly the inputs {', '.join(inputs)}", self.key_line("examples"))
            try:
                examples.append({n: conform(example[n], t, n) for n, t in inputs.items()})
            except ValueTypeError as error:
                raise self.error(f"example: {error}", self.key_line("examples")) from None
        return examples
