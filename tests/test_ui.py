"""The Streamlit UI, page by page through Streamlit's AppTest, against a real archive built by a
short run (scripted model, local sandbox), plus the launcher's real detached processes."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from loop_support import replay_services, scripted_services
from replay_model import ReplayModel
from streamlit.testing.v1 import AppTest

from evoforge.archive import RunStatus, TreeNode, open_archive
from evoforge.evolution.settings import EvolutionSettings
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.settings import DomainSection, SandboxSection

UI = Path(__file__).resolve().parents[1] / "ui"
sys.path.insert(0, str(UI))

import launcher  # noqa: E402
import lineage  # noqa: E402

SMALL = {"sizes": {"train": 2, "validation": 2, "test": 2}}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("ui") / "archive.db")
    archive = open_archive(path)
    config = EvolutionSettings(domain=DomainSection("arithmetic", SMALL), sandbox=SandboxSection("local", 30.0),
                               generations=2, parallel=2, screen_tasks=2)
    model = ReplayModel()
    execute_run(archive, create_run(archive, config), replay_services(archive, model))
    model.assert_no_misses()
    return path


@pytest.fixture
def app(db: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EVOFORGE_DB", db)

    def open_page(page: str | None = None, **query: str) -> AppTest:
        test = AppTest.from_file(str(UI / "app.py"), default_timeout=120)
        test.run()
        if page is not None:
            test.switch_page(page)
            test.query_params.update(query)
            test.run()
        assert not test.exception, [e.value for e in test.exception]
        return test

    return open_page


def texts(test: AppTest) -> str:
    parts = [m.value for m in (*test.markdown, *test.caption, *test.code, *test.error, *test.info, *test.title, *test.subheader)]
    return "\n".join(str(p) for p in parts) + "\n".join(f"{m.label}={m.value}" for m in test.metric)


def test_runs_page_lists_the_run_and_offers_the_form(app) -> None:
    test = app()
    assert not test.error
    (table,) = [df.value for df in test.dataframe]
    assert list(table["status"]) == ["finished"] and table["made"][0] == "5/5" and list(table["kind"]) == ["evolution"]
    assert {"model", "best score", "cost USD", "calls", "generation"} <= set(table.columns)
    assert [b.label for b in test.button] == ["Stop", "Resume", "Open run", "Start run"]
    assert test.button(key="runs-stop").disabled and test.button(key="runs-resume").disabled  # finished
    assert {"Generations", "Parallel children", "Budget: max model calls (0 = none)"} <= {n.label for n in test.number_input}
    assert test.selectbox[1].label == "Domain" and "arithmetic" in test.selectbox[1].options
    # the same automatic choice as the CLI, which picks docker when an engine answers
    assert test.selectbox(key="launch-sandbox").value == "automatic (docker when an engine answers)"


def test_run_page_shows_progress_scores_and_lineage(app, db: str) -> None:
    test = app("views/run.py", run="1")
    assert not test.error
    page = texts(test)
    assert "status=finished" in page and "variants=5/5" in page
    assert "sandbox: local" in page  # the backend the run used
    charts = [chart.proto.spec for chart in test.get("vega_lite_chart")]
    assert len(charts) == 2
    assert '"name": "node"' in charts[1] or '"name":"node"' in charts[1]
    archive = open_archive(db)
    assert test.selectbox(key="run-variant").options == [str(n.id) for n in archive.tree(1)]
    test.button(key="open-variant").click().run()
    assert test.title[0].value == "Variant"


def test_variant_page_shows_summary_files_diff_evaluations_and_usage(app, db: str) -> None:
    archive = open_archive(db)
    child = next(v for v in archive.variants(1) if v.parent_id is not None)
    test = app("views/variant.py", variant=str(child.id))
    assert not test.error
    page = texts(test)
    assert f"parent=#{child.parent_id}" in page and "What its meta agent changed" in page
    assert child.summary and child.summary in page
    assert set(test.selectbox(key="variant-file").options) == set(archive.files(child.id))
    for change in archive.diff(child.id):
        assert change.diff in page
    assert "screen" in page and "full" in page  # evaluation stages
    assert any(not df.value.empty and "contract" in df.value.columns for df in test.dataframe)


def test_variant_page_reports_a_missing_variant_as_a_message(app) -> None:
    test = app("views/variant.py", variant="9999")
    assert test.error and "9999" in test.error[0].value


def test_contracts_page_shows_proofs_and_run_statistics(app, db: str) -> None:
    test = app("views/contracts.py")
    assert not test.error
    proofs, stats = (df.value for df in test.dataframe)
    assert len(proofs) > 0 and proofs["proven"].all()
    expected = {s.contract for s in open_archive(db).contract_stats(1)}
    assert expected and set(stats["contract"]) == expected and (stats["calls"] > 0).all()


def test_lineage_layout_and_chart_scale_to_thousands_of_nodes() -> None:
    nodes = [TreeNode(1, None, 0, 0.1, "valid", True)]
    for i in range(2, 5001):
        parent = nodes[(i * 7919) % len(nodes)]
        nodes.append(TreeNode(i, parent.id, parent.generation + 1, (i % 100) / 100, "invalid" if i % 9 == 0 else "valid", True))
    started = time.perf_counter()
    y = lineage.layout(nodes)
    spec = lineage.chart(nodes, [1, nodes[1].id]).to_dict()
    assert time.perf_counter() - started < 10
    assert len(y) == len(nodes) and len(spec["datasets"]) == 2
    leaves = {n.id for n in nodes} - {n.parent_id for n in nodes}
    assert sorted(y[i] for i in leaves) == list(range(len(leaves)))  # one row per leaf, no overlap


def test_launcher_starts_a_detached_process_and_stops_it(tmp_path: Path) -> None:
    archive = open_archive(str(tmp_path / "launch.db"))
    config = EvolutionSettings(domain=DomainSection("arithmetic", SMALL), sandbox=SandboxSection("local"), generations=1, parallel=1)
    run_id = launcher.start(archive, config)
    pid = json.loads((launcher.state_dir(archive) / f"run-{run_id}.json").read_text())["pid"]
    assert launcher.recorded_pid(archive, run_id) == pid and launcher.is_alive(archive, run_id)
    deadline = time.time() + 60
    while archive.run(run_id).status != RunStatus.RUNNING and time.time() < deadline:
        time.sleep(0.2)
    assert archive.run(run_id).status == RunStatus.RUNNING, launcher.log_path(archive, run_id).read_text()
    assert launcher.stop(archive, run_id)
    deadline = time.time() + 30
    while launcher.is_alive(archive, run_id) and time.time() < deadline:
        time.sleep(0.2)
    assert not launcher.is_alive(archive, run_id)
    assert archive.run(run_id).status == RunStatus.STOPPED
    assert not launcher.stop(archive, run_id)


def test_the_launch_form_sends_a_run_to_a_ray_cluster_and_resume_keeps_it(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launched = str(tmp_path / "launched.db")
    open_archive(launched)
    monkeypatch.setenv("EVOFORGE_DB", launched)  # a fresh archive: the module's run stays alone in its own
    test = app()
    test.selectbox(key="launch-executor").select("ray (a Ray cluster, docs/scale.md)")
    test.text_input(key="launch-ray-address").input("127.0.0.1:9")  # no cluster answers there
    next(b for b in test.button if b.label == "Start run").click().run()
    assert not test.exception and not test.error, [e.value for e in test.error]
    archive = open_archive(launched)
    (summary,) = archive.runs()
    assert summary.run.config["executor"] == "ray" and summary.run.config["ray_address"] == "127.0.0.1:9"
    deadline = time.time() + 120
    while archive.run(summary.run.id).status != RunStatus.FAILED and time.time() < deadline:
        time.sleep(0.2)
    run = archive.run(summary.run.id)
    assert run.status == RunStatus.FAILED and "no Ray cluster answers at 127.0.0.1:9" in run.error


@pytest.fixture(scope="module")
def synthesis_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from evoforge.synthesis.settings import SynthesisSettings

    path = str(tmp_path_factory.mktemp("ui-synthesis") / "archive.db")
    archive = open_archive(path)
    config = SynthesisSettings(domain=DomainSection("arithmetic", SMALL), sandbox=SandboxSection("local"), rounds=3, per_round=3, trials=1)
    execute_run(archive, create_run(archive, config), scripted_services(archive))
    return path


def test_runs_page_launches_either_kind(app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    test = app()
    assert test.radio(key="launch-kind").options[1].startswith("synthesis")
    assert "Generations" in {n.label for n in test.number_input}
    test.radio(key="launch-kind").set_value(test.radio(key="launch-kind").options[1]).run()
    labels = {n.label for n in test.number_input}
    assert {"Rounds (search and verify)", "Candidates per round", "Learner trials"} <= labels and "Generations" not in labels
    assert test.selectbox(key="launch-proposer").options == ["grammar", "planner"]
    assert test.text_input(key="launch-task").value == ""  # blank: the domain's task; or e.g. airline_conversation


def test_run_page_of_a_synthesis_run_shows_each_program_with_its_proof_beside_its_scores(synthesis_db: str, monkeypatch) -> None:
    monkeypatch.setenv("EVOFORGE_DB", synthesis_db)
    test = AppTest.from_file(str(UI / "app.py"), default_timeout=120)
    test.run()
    test.switch_page("views/run.py")
    test.query_params.update(run="1")
    test.run()
    assert not test.exception and not test.error, [e.value for e in (*test.exception, *test.error)]
    archive = open_archive(synthesis_db)
    candidates = archive.candidates(1)
    (table,) = [df.value for df in test.dataframe if "proof" in df.value.columns]
    assert list(table["#"]) == [c.index for c in candidates]
    assert {"train", "validation", "test", "Psi violations", "params"} <= set(table.columns)
    for row, candidate in zip(table.to_dict("records"), candidates):
        if candidate.status == "counterexample":
            values = {**candidate.counterexample["inputs"], **candidate.counterexample["params"]}
            assert row["proof"].startswith("counterexample: ") and all(f"{k}={v!r}" in row["proof"] for k, v in values.items())
        else:
            assert row["proof"].startswith(candidate.status.replace("ruled_out", "ruled out"))
    (best,) = [c for c in candidates if "learn" in c.evidence]
    assert test.selectbox(key="run-candidate").value == best.index  # the learned program is shown first
    assert [c.value for c in test.code] == [best.source.strip()]
    assert test.success[0].value.startswith("proven: proven on")
    page = texts(test)
    assert "status=finished" in page and f"candidates={len(candidates)}/9" in page
