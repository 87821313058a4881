"""Lineage queries on a known tree:

    r ── a ── a1 ── a11
    │    └── a2
    └── b ── b1 (best)
"""
from __future__ import annotations

import pytest

from evoforge.archive import NotFound, TreeNode
from test_archive_backends import archive, archive_url  # noqa: F401 (fixtures)

SHAPE = [("r", None, 0.1), ("a", "r", 0.3), ("b", "r", 0.2), ("a1", "a", 0.4), ("a2", "a", None),
         ("b1", "b", 0.9), ("a11", "a1", 0.5)]


@pytest.fixture
def tree(archive):
    run = archive.create_run("arith", "m")
    ids: dict[str, int] = {}
    for name, parent, score in SHAPE:
        ids[name] = archive.add_variant(run.id, {"name.txt": name}, parent_id=ids.get(parent), score=score).id
    return archive, run, ids


def names(variants, ids) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[v.id] for v in variants]


def test_ancestors_run_from_the_root(tree):
    archive, _, ids = tree
    assert names(archive.ancestors(ids["a11"]), ids) == ["r", "a", "a1"]
    assert names(archive.ancestors(ids["a11"], include_self=True), ids) == ["r", "a", "a1", "a11"]
    assert archive.ancestors(ids["r"]) == []
    with pytest.raises(NotFound):
        archive.ancestors(99999)


def test_descendants_cover_the_whole_subtree(tree):
    archive, _, ids = tree
    assert names(archive.descendants(ids["a"]), ids) == ["a1", "a2", "a11"]
    assert sorted(names(archive.descendants(ids["r"]), ids)) == sorted(n for n, _, _ in SHAPE if n != "r")
    assert archive.descendants(ids["b1"]) == []
    assert names(archive.children(ids["r"]), ids) == ["a", "b"]


def test_the_path_to_the_best_ignores_invalid_variants(tree):
    archive, run, ids = tree
    assert names(archive.path_to_best(run.id), ids) == ["r", "b", "b1"]
    archive.update_variant(ids["b1"], status="invalid")
    assert names(archive.path_to_best(run.id), ids) == ["r", "a", "a1", "a11"]
    empty = archive.create_run("arith", "m")
    assert archive.path_to_best(empty.id) == [] and archive.best_variant(empty.id) is None


def test_the_whole_tree_in_one_call_lists_parents_first(tree):
    archive, run, ids = tree
    nodes = archive.tree(run.id)
    assert all(isinstance(n, TreeNode) for n in nodes) and len(nodes) == len(SHAPE)
    seen: set[int] = set()
    for node in nodes:
        assert node.parent_id is None or node.parent_id in seen
        seen.add(node.id)
    by_id = {n.id: n for n in nodes}
    assert by_id[ids["a11"]] == TreeNode(ids["a11"], ids["a1"], 3, 0.5, "valid", True)
    assert archive.tree(archive.create_run("x", "m").id) == []


def test_a_retired_parent_keeps_its_lineage(tree):
    archive, run, ids = tree
    archive.update_variant(ids["a"], valid_parent=False)
    assert names(archive.ancestors(ids["a11"]), ids) == ["r", "a", "a1"]
    node = {n.id: n for n in archive.tree(run.id)}[ids["a"]]
    assert node.valid_parent is False


def test_a_deep_chain_needs_no_recursion_limit(archive):
    run = archive.create_run("arith", "m")
    parent = None
    for step in range(400):
        parent = archive.add_variant(run.id, {"step.txt": str(step)}, parent_id=parent and parent.id)
    chain = archive.ancestors(parent.id, include_self=True)
    assert [v.generation for v in chain] == list(range(400))
    assert len(archive.descendants(chain[0].id)) == 399
