"""`evoforge runs | show | lineage | export | import`, driven through evoforge.cli.main."""
from __future__ import annotations

import pytest
from cli_probe import probe

from evoforge.archive import NewEvaluation, open_archive
from evoforge.cli import main
from test_archive_backends import archive_url, other_url  # noqa: F401 (fixtures)


@pytest.fixture
def filled(archive_url):
    with open_archive(archive_url) as archive:
        run = archive.create_run("arith", "smollm2")
        root = archive.add_variant(run.id, {"agent.py": "1\n"}, score=0.25)
        good = archive.add_variant(run.id, {"agent.py": "2\n"}, parent_id=root.id, score=0.75,
                                   evaluations=[NewEvaluation("t", "train", "full", 0.75)])
        bad = archive.add_variant(run.id, {"agent.py": "3\n"}, parent_id=root.id, status="invalid")
        archive.update_variant(bad.id, valid_parent=False)
        archive.add_contract_event(run.id, "sum", attempts=2, violations=["ensure failed"], fallback_used=True)
        archive.add_model_usage(run.id, "smollm2", prompt_tokens=11, completion_tokens=4, cost_usd=0.5)
        archive.update_run(run.id, status="running", generation=1, progress=0.5)
    return archive_url, run, root, good, bad


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_runs_lists_status_progress_best_and_cost(filled, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    url, run, *_ = filled
    code, out, _ = cli(capsys, "runs", "--db", url)
    assert code == 0
    row = next(line for line in out.splitlines() if "arith" in line and "smollm2" in line)
    for cell in (str(run.id), "arith", "smollm2", "running", "50%", "2/3", "0.750", "0.5000"):
        assert cell in row


def test_show_prints_totals_generations_contracts_and_usage(filled, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    url, run, _, good, _ = filled
    code, out, _ = cli(capsys, "show", run.uid[:8], "--db", url)
    assert code == 0
    assert f"best variant: {good.id} (score 0.750, generation 1)" in out
    assert "1 model calls, 11+4 tokens, $0.5000" in out
    assert "100.0%" in next(line for line in out.splitlines() if "sum" in line)  # violation and fallback rate
    assert "scores per generation" in out and "model usage" in out


def test_lineage_draws_the_tree_and_marks_the_best_path(filled, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    url, run, root, good, bad = filled
    code, out, _ = cli(capsys, "lineage", str(run.id), "--db", url)
    assert code == 0
    assert f"run {run.id} lineage (3 variants" in out
    assert f"★ {root.id}  gen 0" in out and f"★ {good.id}  gen 1" in out
    assert f"{bad.id}  gen 1  score -  invalid  (not a parent)" in out
    code, out, _ = cli(capsys, "lineage", str(run.id), "--variant", str(good.id), "--db", url)
    assert code == 0 and "(2 variants" in out and f" {bad.id}  gen" not in out


def test_export_then_import_into_another_archive(filled, other_url, tmp_path, capsys):
    url, run, *_ = filled
    path = tmp_path / "run.jsonl.gz"
    code, out, _ = cli(capsys, "export", str(run.id), "-o", str(path), "--db", url)
    assert code == 0 and "exported run" in out and path.is_file()
    code, out, _ = cli(capsys, "import", str(path), "--db", other_url)
    assert code == 0 and f"({run.uid})" in out
    with open_archive(other_url) as target:
        (summary,) = target.runs()
        assert (summary.run.uid, summary.variants, summary.best_score) == (run.uid, 3, 0.75)
    code, _, err = cli(capsys, "import", str(path), "--db", other_url)
    assert code == 2 and "is already in archive" in err


def test_user_errors_are_one_line_without_traceback(filled, tmp_path, capsys):
    url, run, _, good, _ = filled
    code, _, err = cli(capsys, "show", "4242", "--db", url)
    assert code == 2 and "run '4242' is not in archive" in err and "Traceback" not in err
    missing = tmp_path / "nowhere.db"
    code, _, err = cli(capsys, "runs", "--db", str(missing))
    assert code == 2 and f"{missing} does not exist" in err
    assert not missing.exists()
    code, _, err = cli(capsys, "lineage", "1", "--variant", "999", "--db", url)
    assert code == 2 and "variant 999 is not in archive" in err
    with open_archive(url) as archive:
        other = archive.create_run("arith", "m")
    code, _, err = cli(capsys, "lineage", str(other.id), "--variant", str(good.id), "--db", url)
    assert code == 2 and f"variant {good.id} belongs to run {run.id}, not run {other.id}" in err


TRACEBACK = ('Traceback (most recent call last):\n  File "/job/task_agent.py", line 24, in run\n'
             '    raise ValueError("no answer contract")\nValueError: no answer contract\n')


@pytest.fixture
def failing(archive_url):
    """Two runs: one whose seed raised on every task (nothing scored), and one whose best child
    got 23 of 25 tasks wrong, with the evaluator's words for each."""
    with open_archive(archive_url) as archive:
        crashed = archive.create_run("task", "null/fallback")
        seed = archive.add_variant(crashed.id, {"agent.py": "1\n"}, status="invalid", valid_parent=False, evaluations=[
            NewEvaluation(f"t{n}", "train", "screen", 0.0, "", TRACEBACK) for n in range(3)])
        run = archive.create_run("arith", "smollm2")
        root = archive.add_variant(run.id, {"agent.py": "1\n"}, score=0.0, evaluations=[NewEvaluation("q0", "train", "full", 0.0, "0", "wrong: gave 0")])
        best = archive.add_variant(run.id, {"agent.py": "2\n"}, parent_id=root.id, score=0.08, evaluations=[
            NewEvaluation(f"q{n}", "validation" if n % 2 else "test", "full", *((1.0, str(n), None) if n < 2 else (0.0, str(n), f"wrong: gave {n} | {n}")))
            for n in range(25)])
        archive.add_variant(run.id, {"agent.py": "3\n"}, parent_id=root.id, status="invalid", valid_parent=False)  # its meta agent failed
    return archive_url, crashed, seed, run, root, best


def test_show_lists_why_the_best_variant_failed_each_task(failing, capsys):
    url, crashed, seed, run, root, best = failing
    code, out, _ = probe("show", str(run.id), "--db", url)
    assert code == 0
    lines = out.splitlines()
    start = lines.index(f"failed tasks of the best variant #{best.id}: 23 of 25")
    assert lines[start + 1:start + 3] == ["  q2 (test, score 0.00): wrong: gave 2 | 2", "  q3 (validation, score 0.00): wrong: gave 3 | 3"]
    assert lines[start + 21] == f"  ... and 3 more: `evoforge report {run.id} --db {url} -o DIR --variant {best.id}` lists them all"
    code, out, _ = probe("show", str(run.id), "--variant", str(root.id), "--db", url)
    assert code == 0 and f"failed tasks of variant #{root.id}: 1 of 1\n  q0 (train, score 0.00): wrong: gave 0\n" in out
    code, out, _ = probe("show", str(crashed.id), "--db", url)  # nothing scored: the seed's reasons, what its agent raised
    assert code == 0 and (f"failed tasks of the seed #{seed.id} (no variant is scored): 3 of 3\n"
                          "  t0 (train, score 0.00): ValueError: no answer contract\n") in out
    code, out, _ = cli(capsys, "show", str(run.id), "--variant", str(best.id + 1), "--db", url)
    assert code == 0 and f"variant #{best.id + 1} was evaluated on no task" in out


def test_report_lists_every_failed_task_in_the_summary(failing, tmp_path, capsys):
    url, crashed, seed, run, root, best = failing
    code, out, _ = probe("report", str(run.id), "-o", str(tmp_path / "best"), "--db", url)
    assert code == 0 and "summary.md" in out
    summary = (tmp_path / "best" / "summary.md").read_text()
    table = summary.split(f"## Failed tasks of the best variant #{best.id}: 23 of 25\n\n", 1)[1].splitlines()
    assert table[:3] == ["| task | split | score | reason |", "|---|---|---|---|", "| q2 | test | 0.00 | wrong: gave 2 \\| 2 |"]
    assert len(table) == 2 + 23 and table[-1] == "| q24 | test | 0.00 | wrong: gave 24 \\| 24 |"
    code, _, _ = probe("report", str(run.id), "-o", str(tmp_path / "root"), "--variant", str(root.id), "--db", url)
    assert code == 0 and f"## Failed tasks of variant #{root.id}: 1 of 1" in (tmp_path / "root" / "summary.md").read_text()
    code, _, err = cli(capsys, "report", str(run.id), "-o", str(tmp_path / "other"), "--variant", str(seed.id), "--db", url)
    assert code == 2 and f"variant {seed.id} belongs to run {crashed.id}, not run {run.id}" in err and "Traceback" not in err
    assert not (tmp_path / "other").exists()
