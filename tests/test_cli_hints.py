"""A command the CLI tells the user to type next carries the --db it needs. Every resume or stop
hint is written by one function (`cli.text.run_hint`): the source is read for any other string
naming `evoforge resume` or `evoforge stop`, and `stop` is run to see the hints it prints."""
from __future__ import annotations

import ast
import re
import socket
import subprocess
from pathlib import Path

from evoforge.archive import RunStatus, open_archive
from evoforge.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "platform" / "evoforge").rglob("*.py"), *(ROOT / "ui").rglob("*.py")])
COMMAND = re.compile(r"evoforge (resume|stop)\b")


def strings_naming_a_command(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each string in `path` (f-string parts too, docstrings not) that names
    `evoforge resume` or `evoforge stop`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings and COMMAND.search(node.value)]


def test_no_hint_names_resume_or_stop_but_through_run_hint():
    assert len(SOURCES) > 100 and any(path.name == "run_cmd.py" for path in SOURCES)
    found = [f"{path.relative_to(ROOT)}:{line}: {text}" for path in SOURCES for line, text in strings_naming_a_command(path)]
    assert not found, "print these with evoforge.cli.text.run_hint, which adds the --db:\n" + "\n".join(found)


def test_the_source_reader_finds_a_hint_written_by_hand(tmp_path):
    source = tmp_path / "hand.py"
    source.write_text('"""`evoforge resume RUN` in a docstring is no hint."""\nrun = 1\nprint(f"`evoforge resume {run}` continues it")\n')
    assert strings_naming_a_command(source) == [(3, "`evoforge resume ")]


def test_stop_prints_its_hints_with_the_db_it_was_given(tmp_path, capsys):
    db = tmp_path / "runs.db"
    with open_archive(db) as archive:
        here, elsewhere = archive.create_run("arithmetic", "m"), archive.create_run("arithmetic", "m")
        gone = subprocess.Popen(["true"])
        gone.wait()  # a pid with no process behind it
        archive.update_run(here.id, status=RunStatus.RUNNING, process=(socket.gethostname(), gone.pid))
        archive.update_run(elsewhere.id, status=RunStatus.RUNNING, process=("another-host", 1))
    assert main(["stop", str(here.id), "--db", str(db)]) == 0
    assert f"marked stopped. `evoforge resume {here.id} --db {db}` continues it" in capsys.readouterr().out
    assert main(["stop", str(elsewhere.id), "--db", str(db)]) == 2
    assert f"stop it there (`evoforge stop {elsewhere.id} --db {db}`)" in capsys.readouterr().err
