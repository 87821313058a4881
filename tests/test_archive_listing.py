"""Listing runs (archive/listing.py): every run with its counts, newest first, read through the
Archive or, at the newest schema, with the database's own driver (no ORM), on SQLite and on
PostgreSQL; anywhere else the reading is left to the Archive (which migrates, or explains in one
line). Also `evoforge runs`' two outputs: plain lines when piped, rich's table on a terminal."""
from __future__ import annotations

import os
import pty
import re
import socket
import subprocess
import sys

import pytest
import sqlalchemy as sa
from cli_probe import PLATFORM, imported_by
from test_archive_backends import archive_url  # noqa: F401 (fixture)
from test_archive_schema import make_first_schema_archive

from evoforge.archive import SynthesisCandidate, open_archive
from evoforge.archive.listing import read_runs
from evoforge.archive.revision import VERSION_TABLE
from evoforge.cli import main


def dead_pid() -> int:
    """The id of a process of this host that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def fill(url: str) -> dict[str, int]:
    """Runs of every shape `runs` shows: evolution runs with valid and invalid variants, one
    without variants, one whose variants are all invalid, synthesis runs with candidates, and
    running runs whose process is alive, dead, or on another host."""
    with open_archive(url) as archive:
        evolution = archive.create_run("arith", "smollm2", config={"generations": 3})
        root = archive.add_variant(evolution.id, {"agent.py": "1\n"}, score=0.25)
        archive.add_variant(evolution.id, {"agent.py": "2\n"}, parent_id=root.id, score=0.75)
        archive.add_variant(evolution.id, {"agent.py": "3\n"}, parent_id=root.id, status="invalid", score=0.9)
        archive.add_model_usage(evolution.id, "smollm2", prompt_tokens=11, completion_tokens=4, cost_usd=0.5)
        archive.update_run(evolution.id, status="running", generation=1, progress=0.5, process=(socket.gethostname(), os.getpid()))
        empty = archive.create_run("iris", "m")
        invalid = archive.create_run("arith", "m", status="finished")
        archive.add_variant(invalid.id, {"agent.py": "x\n"}, status="invalid")
        archive.update_run(invalid.id, status="running", process=(socket.gethostname(), dead_pid()))
        synthesis = archive.create_run("arithmetic", "smollm2", config={"kind": "synthesis", "rounds": 2})
        archive.save_candidates(synthesis.id, [
            SynthesisCandidate(index=0, round=0, origin="enumerate", source="def f(n): return n", status="proven"),
            SynthesisCandidate(index=1, round=0, origin="model", source="def f(n): return 2", status="counterexample"),
            SynthesisCandidate(index=2, round=1, origin="repair", source="def f(n): return n + 0", status="proven", parent_index=1),
        ])
        archive.update_run(synthesis.id, status="finished", generation=2, progress=1.0)
        elsewhere = archive.create_run("arith", "m", config={"kind": "synthesis"})
        archive.update_run(elsewhere.id, status="running", process=("another-host.invalid", 1))
    return {"evolution": evolution.id, "empty": empty.id, "invalid": invalid.id, "synthesis": synthesis.id, "elsewhere": elsewhere.id}


def through_the_archive(url: str):
    with open_archive(url, create=False) as archive:
        return archive.runs()


def without_the_orm(url: str):
    listed = read_runs(url)
    assert listed is not None, "an archive at the newest schema is read without the ORM"
    return listed[1]


@pytest.mark.parametrize("listing", [through_the_archive, without_the_orm])
def test_each_run_is_listed_with_its_counts_newest_first(listing, archive_url):
    ids = fill(archive_url)
    summaries = listing(archive_url)
    assert [s.run.id for s in summaries] == sorted(ids.values(), reverse=True)
    by_id = {s.run.id: s for s in summaries}
    counts = {name: (by_id[i].variants, by_id[i].valid_variants, by_id[i].best_score, by_id[i].candidates, by_id[i].proven_candidates)
              for name, i in ids.items()}
    assert counts == {"evolution": (3, 2, 0.75, 0, 0), "empty": (0, 0, None, 0, 0), "invalid": (1, 0, None, 0, 0),
                      "synthesis": (0, 0, None, 3, 2), "elsewhere": (0, 0, None, 0, 0)}
    evolution, synthesis = by_id[ids["evolution"]].run, by_id[ids["synthesis"]].run
    assert (evolution.domain, evolution.model, evolution.status, evolution.generation, evolution.progress, evolution.cost_usd) == (
        "arith", "smollm2", "running", 1, 0.5, 0.5)
    assert synthesis.config == {"kind": "synthesis", "rounds": 2} and by_id[ids["invalid"]].run.pid is not None


def test_every_way_of_naming_a_sqlite_archive_reads_that_file_named_as_the_archive_names_it(tmp_path, monkeypatch):
    file = tmp_path / "archive.db"
    ids = fill(str(file))
    monkeypatch.chdir(tmp_path)
    names = {str(file): str(file), "archive.db": str(file), "./archive.db": str(file), "~/archive.db": str(file),
             f"sqlite:///{file}": str(file), "sqlite:///archive.db": "archive.db"}  # a URL's path is kept as written
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, where in names.items():
        listed = read_runs(name)
        assert listed is not None and listed[0] == where == open_archive(name, create=False).where, name
        assert len(listed[1]) == len(ids), name
    monkeypatch.setenv("EVOFORGE_DB", "archive.db")
    assert read_runs(None)[0] == str(file)


def test_an_older_archive_is_left_to_the_archive_which_upgrades_it(archive_url, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # the upgrade message on one line
    make_first_schema_archive(archive_url)
    assert read_runs(archive_url) is None
    assert main(["runs", "--db", archive_url]) == 0
    out = capsys.readouterr().out
    assert "upgraded archive" in out and "from schema 0001" in out
    assert re.search(r"^\s*1\s+evolution\s+arith\s+m\s+finished\s+1\s+100%\s+2/2\s+0\.750\s+0\.1250$", out, re.M)
    assert [s.best_score for s in without_the_orm(archive_url)] == [0.75]  # at the newest schema now


def test_a_newer_or_unversioned_archive_is_left_to_the_archive_which_refuses_it(archive_url, capsys):
    fill(archive_url)
    engine = sa.create_engine(archive_url if "://" in archive_url else f"sqlite:///{archive_url}")
    with engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    assert read_runs(archive_url) is None
    assert main(["runs", "--db", archive_url]) == 2
    assert "newer than this evoforge knows" in capsys.readouterr().err
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP TABLE {VERSION_TABLE}"))
    engine.dispose()
    assert read_runs(archive_url) is None
    assert main(["runs", "--db", archive_url]) == 2
    assert f"no {VERSION_TABLE} table" in capsys.readouterr().err


def test_what_is_not_an_archive_is_left_to_the_archive_which_explains(tmp_path, capsys):
    missing = tmp_path / "nowhere.db"
    assert read_runs(str(missing)) is None and not missing.exists()
    garbage = tmp_path / "garbage.db"
    garbage.write_text("not a database\n" * 100)
    assert read_runs(str(garbage)) is None
    assert main(["runs", "--db", str(garbage)]) == 2
    err = capsys.readouterr().err
    assert f"cannot open archive {garbage}" in err and "Traceback" not in err
    assert read_runs("sqlite:///") is None and read_runs(f"sqlite:///{tmp_path}/a.db?mode=ro") is None


def test_reading_leaves_no_files_behind(tmp_path):
    file = tmp_path / "archive.db"
    fill(str(file))
    before = sorted(tmp_path.iterdir())
    assert read_runs(str(file)) is not None
    assert sorted(tmp_path.iterdir()) == before


def test_piped_runs_prints_plain_aligned_lines(tmp_path, capsys):
    file = tmp_path / "archive.db"
    ids = fill(str(file))
    assert main(["runs", "--db", str(file)]) == 0
    title, header, *rows = capsys.readouterr().out.splitlines()
    assert title == f"runs in {file}"
    assert header.split() == ["id", "kind", "domain", "model", "status", "gen", "done", "valid", "best", "cost", "$"]
    by_id = {int(row.split()[0]): row.split()[1:] for row in rows}
    assert list(by_id) == sorted(ids.values(), reverse=True)
    assert by_id[ids["evolution"]] == ["evolution", "arith", "smollm2", "running", "1", "50%", "2/3", "0.750", "0.5000"]
    assert by_id[ids["invalid"]][3:7] == ["interrupted", "0", "0%", "0/1"]  # its process died
    assert by_id[ids["synthesis"]][:7] == ["synthesis", "arithmetic", "smollm2", "finished", "2", "100%", "2/3"]
    assert by_id[ids["elsewhere"]][3] == "running"  # another host's process: not known dead
    assert all(row[header.index("kind"):].startswith(("evolution ", "synthesis ")) for row in rows)  # the columns line up
    empty = tmp_path / "empty.db"
    open_archive(str(empty)).close()
    assert main(["runs", "--db", str(empty)]) == 0
    assert capsys.readouterr().out == f"no runs in {empty}\n"


def test_runs_on_a_terminal_draws_the_table(tmp_path):
    file = tmp_path / "archive.db"
    ids = fill(str(file))
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(PLATFORM), "COLUMNS": "200", "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "evoforge.cli", "runs", "--db", str(file)], stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode())
    assert f"runs in {file}" in out and "─" in out  # rich's title and its SIMPLE_HEAD rule
    row = next(line for line in out.splitlines() if line.split()[:1] == [str(ids["synthesis"])])
    assert row.split() == [str(ids["synthesis"]), "synthesis", "arithmetic", "smollm2", "finished", "2", "100%", "2/3", "-", "0.0000"]


def test_runs_at_the_newest_schema_imports_neither_the_orm_nor_rich(tmp_path):
    file = tmp_path / "archive.db"
    fill(str(file))
    modules = imported_by("runs", "--db", str(file))
    assert [name for name in ("sqlalchemy", "sqlmodel", "alembic", "rich", "psycopg") if name in modules] == []


@pytest.mark.parametrize("url", ["postgresql://u@h/db?sslmode=require", "postgresql://u:p%40ss@h/db", "mysql://u@h/db"])
def test_urls_only_sqlalchemy_reads_are_left_to_the_archive(url):
    assert read_runs(url) is None
