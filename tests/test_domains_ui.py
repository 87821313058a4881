"""The web UI launches runs on folder domains: the path field is checked like `evoforge domains
check` before anything starts; a broken folder shows its problems and starts nothing."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from evoforge.archive import open_archive
from evoforge.cli import main

UI = Path(__file__).resolve().parents[1] / "ui"
sys.path.insert(0, str(UI))

import launcher  # noqa: E402


@pytest.fixture
def runs_page(tmp_path, monkeypatch):
    db = str(tmp_path / "archive.db")
    monkeypatch.setenv("EVOFORGE_DB", db)
    test = AppTest.from_file(str(UI / "app.py"), default_timeout=120)
    test.run()
    return test, open_archive(db)


def launch_with_folder(test: AppTest, folder: Path) -> AppTest:
    test.text_input(key="domain-folder").set_value(str(folder))
    next(b for b in test.button if b.label == "Start run").click()
    test.run()
    assert not test.exception, [e.value for e in test.exception]
    return test


def test_a_broken_folder_shows_its_problems_and_starts_nothing(tmp_path, runs_page):
    test, archive = runs_page
    assert main(["new", "domain", "broken", "--parent", str(tmp_path)]) == 0
    (tmp_path / "broken" / "data.jsonl").write_text('{"review": "no label"}\n')
    launch_with_folder(test, tmp_path / "broken")
    errors = [e.value for e in test.error]
    assert any("data.jsonl:1: row has no label field 'sentiment'" in e for e in errors), errors
    assert archive.runs() == []


def test_a_good_folder_launches_a_run_on_it_with_its_own_agent(tmp_path, runs_page):
    test, archive = runs_page
    assert main(["new", "domain", "reviews", "--parent", str(tmp_path)]) == 0
    launch_with_folder(test, tmp_path / "reviews")
    assert not test.error, [e.value for e in test.error]
    (summary,) = archive.runs()
    run_id = summary.run.id
    try:
        config = archive.run(run_id).config
        assert config["domain"]["name"] == str((tmp_path / "reviews").resolve())
        assert config["agent"] == str((tmp_path / "reviews" / "agent").resolve())
    finally:
        launcher.stop(archive, run_id)
        deadline = time.time() + 60
        while launcher.is_alive(archive, run_id) and time.time() < deadline:
            time.sleep(0.2)
    assert not launcher.is_alive(archive, run_id)
