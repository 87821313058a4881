"""The seed meta agent's edit blocks (agents/seed/edits.py): parsed robustly from what a coding
model writes, applied exactly, and every block that does not apply said why."""
from __future__ import annotations

import importlib.util

from evoforge.paths import AGENTS_DIR

spec = importlib.util.spec_from_file_location("seed_edits", AGENTS_DIR / "seed" / "edits.py")
edits = importlib.util.module_from_spec(spec)
spec.loader.exec_module(edits)

FILE = 'INSTRUCTION = ""\n\n\ndef decide(inputs, contract):\n    return ask(contract, inputs)\n'


def apply(reply: str, files: dict[str, str] | None = None):
    return edits.apply_blocks(files or {"task_agent.py": FILE}, edits.parse_blocks(reply, "task_agent.py"), lambda path: path != "notes.json")


def test_a_search_replace_block_applies_exactly():
    done = apply('FILE: task_agent.py\n<<<<<<< SEARCH\nINSTRUCTION = ""\n=======\nINSTRUCTION = "Be exact."\n>>>>>>> REPLACE\n')
    assert done.changed == ["task_agent.py"] and not done.problems
    assert done.files["task_agent.py"].startswith('INSTRUCTION = "Be exact."\n')


def test_blocks_in_fences_with_windows_line_ends_other_marker_lengths_and_no_file_line_still_parse():
    reply = ("Here is my change:\r\n```\r\n<<<<<<<<< SEARCH\r\nINSTRUCTION = \"\"\r\n=====\r\nINSTRUCTION = \"x\"\r\n"
             ">>>>>>> REPLACE\r\n```\r\n")
    done = apply(reply)
    assert not done.problems and 'INSTRUCTION = "x"' in done.files["task_agent.py"]


def test_a_search_text_off_only_in_indentation_matches_and_keeps_the_file_s_indentation():
    reply = "<<<<<<< SEARCH\nreturn ask(contract, inputs)\n=======\nanswer = ask(contract, inputs)\nreturn answer\n>>>>>>> REPLACE\n"
    done = apply(reply)
    assert not done.problems
    assert "    answer = ask(contract, inputs)\n    return answer\n" in done.files["task_agent.py"]


def test_a_whole_file_block_replaces_or_creates_a_file():
    reply = "FILE: helpers.py\n```python\ndef twice(x):\n    return 2 * x\n```\n"
    done = apply(reply)
    assert done.changed == ["helpers.py"] and done.files["helpers.py"] == "def twice(x):\n    return 2 * x\n"


def test_every_block_that_does_not_apply_is_reported_with_its_reason():
    reply = ("FILE: task_agent.py\n<<<<<<< SEARCH\nSAMPLES = 1\n=======\nSAMPLES = 3\n>>>>>>> REPLACE\n"
             "FILE: task_agent.py\n<<<<<<< SEARCH\nINSTRUCTION = \"\"\n=======\nINSTRUCTION = (\n>>>>>>> REPLACE\n"
             "FILE: notes.json\n```\n{}\n```\n"
             "FILE: missing.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n")
    done = apply(reply)
    assert not done.changed and done.files["task_agent.py"] == FILE
    reasons = "\n".join(done.problems)
    assert len(done.problems) == 4
    assert "block 1" in reasons and "'SAMPLES = 1' is not there" in reasons
    assert "block 2" in reasons and "would not parse" in reasons
    assert "block 3" in reasons and "may not be edited" in reasons
    assert "block 4" in reasons and "no file missing.py" in reasons


def test_a_search_text_that_occurs_twice_is_refused_rather_than_guessed():
    files = {"task_agent.py": "x = 1\nx = 1\n"}
    done = apply("<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n", files)
    assert not done.changed and "occurs 2 times" in done.problems[0]


def test_text_without_blocks_gives_no_edit():
    assert edits.parse_blocks("I would change the instruction to be clearer.", "task_agent.py") == []
