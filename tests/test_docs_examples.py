"""The documentation's examples work as written: every fenced ```toml block of docs/*.md and
README.md parses, and a block that is a spec file (only [types], [contracts], [tasks] and
[tools] tables) loads through the kernel's loaders with every fallback proven by a real Z3. A
block meant as a part of a file says so on the line before its fence: `<!-- fragment: why -->`.
Also: docs/domains.md says what the kernel hands an agent, key for key."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from loop_support import EVAL_LOG_KEYS, META_CONTEXT_KEYS, TASK_KEYS

from evoforge.contracts import load_specs
from evoforge.contracts.loader import parse_spec_text
from evoforge.contracts.tasks import load_tasks
from evoforge.toml_syntax import one_line

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
FRAGMENT = "<!-- fragment"
SPEC_TABLES = {"types", "contracts", "tasks", "tools"}


@dataclass(frozen=True)
class Block:
    file: Path
    line: int  # the line of its opening fence
    text: str
    fragment: bool

    def __str__(self) -> str:
        return f"{self.file.name}:{self.line}"

    def data(self) -> dict:
        """The parsed TOML; a failure names the document's line and says how to fix it."""
        try:
            return tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            line, message = one_line(self.text, str(error))
            pytest.fail(f"{self.file}:{self.line + (line or 1)}: {message}")


def toml_blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, index = [], 0
    while index < len(lines):
        if lines[index].strip() == "```toml":
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip().startswith("```"))
            fragment = index > 0 and lines[index - 1].strip().startswith(FRAGMENT)
            blocks.append(Block(path, index + 1, "\n".join(lines[index + 1:end]) + "\n", fragment))
            index = end
        index += 1
    return blocks


BLOCKS = [block for path in DOCUMENTS for block in toml_blocks(path)]
WHOLE = [block for block in BLOCKS if not block.fragment]


def is_spec(block: Block) -> bool:
    """Whether the block is a whole spec file (one that does not parse is left to the parse test)."""
    try:
        return set(tomllib.loads(block.text)) <= SPEC_TABLES
    except tomllib.TOMLDecodeError:
        return False


def spec_file(block: Block, folder: Path) -> Path:
    path = folder / f"{block.file.stem}_{block.line}.toml"
    path.write_text(block.text, encoding="utf-8")
    return path


def test_the_collector_finds_the_blocks_and_their_fragment_marks(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('text\n\n```toml\na = 1\n```\n\n<!-- fragment: only the inputs -->\n```toml\ninputs = {\n```\n'
                    '```bash\nls\n```\n', encoding="utf-8")
    assert [(b.line, b.text, b.fragment) for b in toml_blocks(page)] == [(3, "a = 1\n", False), (8, "inputs = {\n", True)]
    assert len(WHOLE) >= 9 and sum(map(is_spec, WHOLE)) >= 4  # the docs' own blocks are found


@pytest.mark.parametrize("block", WHOLE, ids=str)
def test_every_toml_block_parses(block):
    assert isinstance(block.data(), dict)


@pytest.mark.parametrize("block", [b for b in WHOLE if is_spec(b)], ids=str)
def test_every_spec_block_loads_and_its_fallbacks_are_proven(block, tmp_path):
    path = spec_file(block, tmp_path)
    data, _, records = parse_spec_text(str(path), block.text)  # record types: a SpecError if one is wrong
    specs, tasks = load_specs([path]), load_tasks([path])
    problems = [str(p) for p in [*specs.problems, *tasks.problems]]
    problems += [f"{c.where}: {c.proof.reason}" for c in specs.contracts.values() if not (c.proof and c.proof.proven)]
    problems += [f"{t.where}: {t.fallback_proof.reason}" for t in tasks.tasks.values() if t.fallback and not t.proven_fallback]
    assert not problems, f"{block.file}:{block.line}: " + "; ".join(problems)
    assert len(specs.contracts) == len(data.get("contracts", {})) and len(tasks.tasks) == len(data.get("tasks", {}))
    assert set(tasks.tools.tools) == set(data.get("tools", {})) and set(records) == set(data.get("types", {}))


def test_the_worked_example_is_a_proven_contract_with_its_sample_input(tmp_path):
    (block,) = [b for b in WHOLE if b.file.name == "specs.md" and "[contracts.cancellation]" in b.text]
    contract = load_specs([spec_file(block, tmp_path)]).get("cancellation")  # raises unless proven
    assert contract.examples == [{"request": "Cancel please", "booking": {
        "cabin": "economy", "price": 320, "hours_since_booking": 1, "has_insurance": False, "flight_status": "scheduled", "passengers": 1}}]
    assert [c.message for c in contract.ensure][:2] == ["the refund must be between 0 and the price paid",
                                                        "only a full-refund cancellation may refund money"]


def test_domains_md_says_what_the_kernel_hands_an_agent():
    text = (ROOT / "docs" / "domains.md").read_text(encoding="utf-8")
    section = text.split("## What your agent is given", 1)[1].split("\n## ", 1)[0]
    missing = sorted(key for key in TASK_KEYS | META_CONTEXT_KEYS | EVAL_LOG_KEYS if f'"{key}"' not in section)
    assert not missing, f"docs/domains.md, 'What your agent is given', does not name {missing}"
