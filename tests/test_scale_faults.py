"""Faults on a real Ray cluster: kill -9 of the worker process making a child (retried, or
archived as failed with the reason; never lost, never twice), and kill -9 of the driver
(`evoforge resume` continues on the same cluster, losing and duplicating nothing)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from loop_support import check_archive_integrity
from scale_support import cluster_config

from evoforge.archive import VariantStatus, open_archive
from evoforge.cli import main
from evoforge.evolution.context import EvolutionContext
from evoforge.evolution.executors.base import RunHandle
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.steps import child_step, seed_step
from evoforge.runs.lifecycle import create_run
from evoforge.runs.services import RunServices

pytestmark = pytest.mark.postgres


def worker_making(key: str, other_than: int | None = None, timeout_s: float = 300) -> int | None:
    """The pid of the Ray worker process running the child `key` (Ray titles it after the task)."""
    title = f"ray::evoforge-child {key}".encode()
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == other_than:
                continue
            try:
                if (entry / "cmdline").read_bytes().startswith(title):
                    return int(entry.name)
            except OSError:
                continue
        time.sleep(0.05)
    return None


def context(archive, address: str, retries: int | None = None) -> EvolutionContext:
    run_id = create_run(archive, cluster_config(address))
    ctx = EvolutionContext.build(run_id, EvolutionSettings.from_dict(archive.run(run_id).config), RunServices(archive))
    if retries is not None:
        from evoforge.evolution.executors.ray_executor import RayExecutor

        ctx.executor.close()
        ctx.executor = RayExecutor.connect(ctx.config, ctx.worker, RunHandle(run_id, archive, ctx.budget, ctx.services.stop), retries)
    return ctx


def kill_worker_mid_child(ctx: EvolutionContext):
    seed_id, _ = seed_step(ctx)
    with ThreadPoolExecutor(1) as pool:
        made = pool.submit(child_step, ctx, 1, 0, seed_id)
        victim = worker_making("g1-s0")
        assert victim is not None, "no Ray worker took the child"
        os.kill(victim, signal.SIGKILL)
        successor = worker_making("g1-s0", other_than=victim, timeout_s=120)
        child_id, _ = made.result(timeout=600)
    return ctx.archive.variant(child_id), successor


def test_a_killed_worker_is_retried_and_the_child_archived_once(ray_address, pg_url):
    archive = open_archive(pg_url)
    ctx = context(archive, ray_address)
    try:
        child, successor = kill_worker_mid_child(ctx)
    finally:
        ctx.executor.close()
    assert successor is not None, "Ray did not run the child again in another worker"
    assert child.status == VariantStatus.VALID and archive.evaluations(child.id), child.summary
    assert [v.proposal_key for v in archive.variants(ctx.run_id)].count("g1-s0") == 1
    archive.engine.dispose()


def test_a_killed_worker_without_retries_is_archived_failed_with_the_reason(ray_address, pg_url):
    archive = open_archive(pg_url)
    ctx = context(archive, ray_address, retries=0)
    try:
        child, _ = kill_worker_mid_child(ctx)
    finally:
        ctx.executor.close()
    assert child.status == VariantStatus.INVALID and not child.valid_parent
    assert "its Ray worker died during the child (tried 1 times)" in child.summary
    assert [v.proposal_key for v in archive.variants(ctx.run_id)].count("g1-s0") == 1
    archive.engine.dispose()


def test_a_killed_driver_resumes_on_the_same_cluster(ray_address, pg_url):
    archive = open_archive(pg_url)
    driver = subprocess.Popen([sys.executable, "-m", "evoforge.cli", "run", "--executor", "ray", "--ray-address", ray_address,
                               "--db", pg_url, "--generations", "2", "--parallel", "2", "--tasks", "2", "2", "2", "--sandbox", "local"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and driver.poll() is None:
        runs = archive.runs()
        if runs and len(archive.variants(runs[0].run.id)) >= 2:  # the seed and a child from the cluster
            break
        time.sleep(0.1)
    assert driver.poll() is None, driver.stderr.read()[-2000:]
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    (summary,) = archive.runs()
    before = {v.proposal_key: v.id for v in archive.variants(summary.run.id)}
    assert main(["resume", str(summary.run.id), "--db", pg_url]) == 0
    check_archive_integrity(archive, summary.run.id, 1 + 2 * 2)
    after = {v.proposal_key: v.id for v in archive.variants(summary.run.id)}
    assert all(after[key] == before[key] for key in before), "a child archived before the kill was made again"
    assert archive.run(summary.run.id).status == "finished"
    archive.engine.dispose()
