"""Export and import of a run: a round trip keeps everything, between any two backends."""
from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import func, select

from evoforge.archive import ArchiveError, NewEvaluation, NewEvent, export_run, import_run, open_archive
from evoforge.archive.tables import Run
from test_archive_backends import archive, archive_url, other_url  # noqa: F401 (fixtures)


def build_run(archive):
    run = archive.create_run("arith", "smollm2", config={"children": 2}, budgets={"usd": 3})
    archive.add_event(run.id, "run_started")
    root = archive.add_variant(run.id, {"agent.py": "a = 1\n", "meta.py": "m\n"}, score=0.5,
                               evaluations=[NewEvaluation("t1", "train", "screen", 0.5, output="1")])
    kids = [archive.add_variant(run.id, {"agent.py": f"a = {i}\n", "meta.py": "m\n"}, parent_id=root.id,
                                score=0.1 * i, proposal_key=f"g1/{i}", summary=f"try {i}",
                                events=[NewEvent("variant_archived", {"note": i})],
                                evaluations=[NewEvaluation("t1", "validation", "full", 0.1 * i, error="e" if i else None)])
            for i in range(3)]
    grandchild = archive.add_variant(run.id, {"agent.py": "a = 9\n"}, parent_id=kids[2].id, score=0.9)
    archive.update_variant(kids[0].id, valid_parent=False, status="invalid")
    archive.add_contract_event(run.id, "sum", attempts=2, violations=["ensure"], variant_id=grandchild.id, cost_usd=0.1)
    archive.add_model_usage(run.id, "smollm2", prompt_tokens=7, completion_tokens=3, cost_usd=0.2, variant_id=kids[1].id)
    archive.update_run(run.id, status="finished", generation=2, progress=1.0)
    return run


def snapshot(archive, run_id: int) -> dict:
    """Everything about a run that must survive a move, with ids replaced by positions."""
    variants = archive.variants(run_id)
    position = {v.id: index for index, v in enumerate(variants)}
    run = archive.run(run_id)
    return {
        "run": run.model_dump(exclude={"id"}),
        "variants": [(v.model_dump(exclude={"id", "run_id", "parent_id"}), position.get(v.parent_id),
                      archive.files(v.id), [e.model_dump(exclude={"id", "variant_id"}) for e in archive.evaluations(v.id)])
                     for v in variants],
        "tree": [(position[n.id], position.get(n.parent_id), n.score) for n in archive.tree(run_id)],
        "events": [(e.kind, {k: position[v] if k == "variant_id" else v for k, v in e.payload.items()}, e.created_at)
                   for e in archive.events(run_id)],
        "contracts": [(e.model_dump(exclude={"id", "run_id", "variant_id"}), position.get(e.variant_id))
                      for e in archive.contract_events(run_id)],
        "usage": [(u.model_dump(exclude={"id", "run_id", "variant_id"}), position.get(u.variant_id))
                  for u in archive.model_usage(run_id)],
        "stats": (archive.contract_stats(run_id), archive.usage_totals(run_id), archive.generations(run_id)),
    }


def test_a_run_moves_between_backends_intact(archive, other_url, tmp_path):
    run = build_run(archive)
    archive.create_run("other", "m")  # a bystander that must not travel
    path = tmp_path / "run.jsonl.gz"
    assert export_run(archive, run.id, path) > 10
    with open_archive(other_url) as target:
        target.create_run("arith", "m")  # so the imported run gets a different id
        imported = import_run(target, path)
        assert imported.id != run.id and imported.uid == run.uid
        assert snapshot(target, imported.id) == snapshot(archive, run.id)
        assert [s.run.uid for s in target.runs()][0] == run.uid


def test_importing_the_same_run_twice_is_refused(archive, tmp_path):
    run = build_run(archive)
    path = tmp_path / "run.jsonl.gz"
    export_run(archive, run.uid[:6], path)
    with pytest.raises(ArchiveError, match=f"run {run.uid} from .* is already in archive .* as run {run.id}"):
        import_run(archive, path)


def rewrite(path, edit) -> None:
    with gzip.open(path, "rt") as lines:
        records = [json.loads(line) for line in lines]
    with gzip.open(path, "wt") as out:
        out.writelines(json.dumps(r) + "\n" for r in edit(records))


def test_a_tampered_or_incomplete_export_imports_nothing(archive, tmp_path):
    run = build_run(archive)
    path = tmp_path / "run.jsonl.gz"
    export_run(archive, run.id, path)
    with open_archive(tmp_path / "target.db") as target:
        rewrite(path, lambda rs: [{**r, "text": "evil"} if r.get("type") == "blob" else r for r in rs])
        with pytest.raises(ArchiveError, match="is corrupt: blob .* does not match its content"):
            import_run(target, path)
        export_run(archive, run.id, path)
        rewrite(path, lambda rs: [r for r in rs if r.get("type") != "blob"])
        with pytest.raises(ArchiveError, match="is incomplete: it lacks blob"):
            import_run(target, path)
        with target._read() as session:
            assert session.scalar(select(func.count()).select_from(Run)) == 0


@pytest.mark.parametrize("content, words", [
    (b"plain text, not gzip", "is not an evoforge run export .gzip JSON lines."),
    (gzip.compress(b'{"format": "something-else"}\n'), "is not an evoforge run export"),
    (gzip.compress(b'{"format": "evoforge-run", "version": 99}\n'), "is export format 99; this evoforge reads 1"),
    (gzip.compress(b'{"format": "evoforge-run", "version": 1}\n{oops\n'), r":2: not JSON"),
    (gzip.compress(b'{"format": "evoforge-run", "version": 1}\n'), "must hold exactly one run"),
])
def test_files_that_are_not_exports_are_refused_clearly(tmp_path, content, words):
    path = tmp_path / "bad.gz"
    path.write_bytes(content)
    with open_archive(tmp_path / "a.db") as target, pytest.raises(ArchiveError, match=words):
        import_run(target, path)
    with open_archive(tmp_path / "a.db") as target, pytest.raises(ArchiveError, match="does not exist"):
        import_run(target, tmp_path / "missing.gz")


def test_export_of_an_unknown_run_writes_nothing(archive, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(ArchiveError, match="run 404 is not in archive"):
        export_run(archive, 404, out / "x.gz")
    assert list(out.iterdir()) == []


def test_an_unwritable_export_path_is_a_clear_error(archive, tmp_path):
    run = archive.create_run("arith", "m")
    with pytest.raises(ArchiveError, match="cannot write export .*/no/such/dir/x.gz: No such file or directory"):
        export_run(archive, run.id, tmp_path / "no" / "such" / "dir" / "x.gz")
