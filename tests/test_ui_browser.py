"""End to end in a real browser: Debian's chromium driven by Playwright against `evoforge ui`.
Starts a run from the form, waits for it to finish, opens the lineage tree and a variant's diff,
and saves screenshots."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import support

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, f"evoforge ui exited:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"evoforge ui did not answer within {timeout} s:\n{log.read_text()}")


@pytest.fixture
def ui(tmp_path: Path):
    if not Path(CHROMIUM).exists():
        support.service_unavailable(f"{CHROMIUM} is not installed")
    pytest.importorskip("playwright.sync_api")
    url, log = f"http://127.0.0.1:{free_port()}", tmp_path / "ui.log"
    evoforge = Path(sys.executable).parent / "evoforge"
    with log.open("wb") as out:
        process = subprocess.Popen([str(evoforge), "ui", "--port", url.rsplit(":", 1)[1], "--db", str(tmp_path / "archive.db")],
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_start_a_run_watch_it_finish_and_review_a_diff(ui: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)
            page.goto(ui)
            expect(page.get_by_text("Start a run")).to_be_visible()
            for label, value in (("Generations", "1"), ("Parallel children", "1"), ("Train tasks", "2"),
                                 ("Validation tasks", "2"), ("Test tasks", "2")):
                field = page.get_by_label(label, exact=True)
                field.fill(value)
                field.press("Tab")
            page.get_by_role("button", name="Start run").click()
            expect(page.get_by_text("Started run 1")).to_be_visible()
            page.screenshot(path=str(shots / "1-runs.png"), full_page=True)
            page.get_by_text("Watch run 1").click()
            expect(page.get_by_text("Lineage", exact=True)).to_be_visible()
            expect(page.get_by_test_id("stMetricValue").filter(has_text="finished")).to_be_visible(timeout=300_000)
            expect(page.get_by_test_id("stMetricValue").filter(has_text="2/2")).to_be_visible()
            page.wait_for_timeout(1500)  # let the charts draw
            page.screenshot(path=str(shots / "2-run-lineage.png"), full_page=True)
            page.get_by_label("Variant", exact=True).click()
            page.keyboard.type("2")
            page.keyboard.press("Enter")
            page.get_by_role("button", name="Open variant").click()
            expect(page.get_by_text("What its meta agent changed")).to_be_visible()
            page.get_by_role("tab", name="Diff vs parent").click()
            diff = page.get_by_role("tabpanel", name="Diff vs parent")
            expect(diff.get_by_text("@@").first.or_(diff.get_by_text("No file differs."))).to_be_visible()
            page.screenshot(path=str(shots / "3-variant-diff.png"), full_page=True)
        finally:
            browser.close()
    assert sorted(path.name for path in shots.iterdir()) == ["1-runs.png", "2-run-lineage.png", "3-variant-diff.png"]
