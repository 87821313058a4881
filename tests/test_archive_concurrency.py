"""Several processes writing one archive at once, and a writer killed mid-transaction.
Processes are spawned (not forked) so each opens its own connections, as real ones would."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import event, func, select
from sqlmodel import Session

from evoforge.archive import NewEvaluation, open_archive
from evoforge.archive.revision import VERSION_TABLE
from evoforge.archive.tables import Blob, Evaluation, Variant
from test_archive_backends import archive, archive_url  # noqa: F401 (fixtures)

spawn = multiprocessing.get_context("spawn")
WORKERS, STEPS = 4, 12
SHARED = "def helper():\n    return 'same in every variant'\n"


def run_all(target, argument_lists) -> None:
    processes = [spawn.Process(target=target, args=args) for args in argument_lists]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * len(processes)


def write_many(url: str, run_id: int, root_id: int, worker: int, start) -> None:
    start.wait()
    with open_archive(url) as archive:
        parent = root_id
        for step in range(STEPS):
            parent = archive.add_variant(
                run_id, {"shared.py": SHARED, "own.py": f"worker {worker} step {step}\n"}, parent_id=parent,
                evaluations=[NewEvaluation(f"t{step}", "train", "screen", 1.0)],
            ).id
            archive.add_model_usage(run_id, "m", prompt_tokens=1, completion_tokens=2, cost_usd=0.5)
            # Every worker proposes the same keyed children: each key must exist exactly once.
            archive.add_variant(run_id, {"own.py": f"keyed {step % 3}\n"}, parent_id=root_id,
                                proposal_key=f"shared-{step % 3}")


def test_concurrent_writers_lose_and_duplicate_nothing(archive, archive_url):
    run = archive.create_run("arith", "m")
    root = archive.add_variant(run.id, {"shared.py": SHARED})
    start = spawn.Barrier(WORKERS)
    run_all(write_many, [(archive_url, run.id, root.id, worker, start) for worker in range(WORKERS)])
    variants = archive.variants(run.id)
    assert len(variants) == 1 + WORKERS * STEPS + 3
    assert sorted(v.proposal_key for v in variants if v.proposal_key) == ["shared-0", "shared-1", "shared-2"]
    totals = archive.run(run.id)
    calls = WORKERS * STEPS
    assert (totals.model_calls, totals.prompt_tokens, totals.completion_tokens) == (calls, calls, 2 * calls)
    assert totals.cost_usd == 0.5 * WORKERS * STEPS
    with archive._read() as session:
        assert session.scalar(select(func.count()).select_from(Blob)) == 1 + WORKERS * STEPS + 3
        assert session.scalar(select(func.count()).select_from(Evaluation)) == WORKERS * STEPS
    leaves = [v for v in variants if v.generation == STEPS]
    assert len(leaves) == WORKERS
    for leaf in leaves:  # each worker's chain is whole
        assert [v.generation for v in archive.ancestors(leaf.id)] == list(range(STEPS))


def open_fresh(url: str, start) -> None:
    start.wait()
    with open_archive(url) as archive:
        archive.create_run("arith", "m")


def test_processes_opening_a_fresh_archive_at_once_migrate_it_once(archive_url):
    start = spawn.Barrier(WORKERS)
    run_all(open_fresh, [(archive_url, start)] * WORKERS)
    with open_archive(archive_url) as archive:
        assert len(archive.runs()) == WORKERS
        with archive.engine.connect() as connection:
            assert connection.exec_driver_sql(f"SELECT count(*) FROM {VERSION_TABLE}").scalar() == 1


def hang_mid_variant(url: str, run_id: int, parent_id: int, ready) -> None:
    """Adds a variant but freezes right after its row is written, inside the transaction."""
    @event.listens_for(Session, "after_flush")
    def freeze(session, _context):
        if any(isinstance(row, Variant) for row in session.new):
            ready.set()
            time.sleep(600)

    with open_archive(url) as archive:
        archive.add_variant(run_id, {"agent.py": "half-written child\n"}, parent_id=parent_id,
                            evaluations=[NewEvaluation("t", "train", "screen", 1.0)])


def test_a_writer_killed_mid_variant_leaves_no_trace(archive, archive_url):
    run = archive.create_run("arith", "m")
    root = archive.add_variant(run.id, {"agent.py": "root\n"})
    ready = spawn.Event()
    writer = spawn.Process(target=hang_mid_variant, args=(archive_url, run.id, root.id, ready))
    writer.start()
    try:
        assert ready.wait(timeout=120), "the writer never reached the middle of its transaction"
        assert [v.id for v in archive.variants(run.id)] == [root.id]  # not visible while in flight
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
    assert writer.exitcode == -signal.SIGKILL
    with open_archive(archive_url) as reopened:
        assert [v.id for v in reopened.variants(run.id)] == [root.id]
        with reopened._read() as session:
            assert session.scalar(select(func.count()).select_from(Evaluation)) == 0
            assert session.scalar(select(func.count()).select_from(Blob)) == 1
        # The dead writer's lock is gone: the archive takes new variants at once.
        child = reopened.add_variant(run.id, {"agent.py": "next\n"}, parent_id=root.id)
        assert [v.id for v in reopened.descendants(root.id)] == [child.id]


def test_threads_may_share_one_archive(archive):
    run = archive.create_run("arith", "m")
    root = archive.add_variant(run.id, {"a.py": "root\n"})

    def work(thread: int) -> None:
        for step in range(10):
            archive.add_variant(run.id, {"a.py": f"{thread}/{step}\n"}, parent_id=root.id)
            archive.add_model_usage(run.id, "m", prompt_tokens=1)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))
    assert len(archive.children(root.id)) == 40 and archive.run(run.id).prompt_tokens == 40
