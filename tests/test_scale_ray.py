"""`--executor ray` against a real two-node Ray cluster and a real PostgreSQL archive: a short
evolution on the embedded model, one budget across workers, no secret in what travels, workers
that refuse other specs, clear errors for an unreachable cluster or a custom model."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys

import pytest
from loop_support import check_archive_integrity, scripted_services
from ray import cloudpickle
from scale_support import cluster_config

from evoforge.archive import VariantStatus, open_archive
from evoforge.cli import main
from evoforge.errors import EvoforgeError
from evoforge.evolution.context import EvolutionContext
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.steps import child_step, seed_step
from evoforge.evolution.worker import ChildWork
from evoforge.runs.lifecycle import create_run
from evoforge.runs.services import RunServices
from evoforge.paths import SPECS_DIR

pytestmark = pytest.mark.postgres


def built(archive, config: EvolutionSettings) -> EvolutionContext:
    run_id = create_run(archive, config)
    return EvolutionContext.build(run_id, EvolutionSettings.from_dict(archive.run(run_id).config), RunServices(archive))


def test_a_short_evolution_on_the_cluster_archives_every_child_once(ray_address, pg_url, capsys):
    args = ["run", "--executor", "ray", "--ray-address", ray_address, "--db", pg_url, "--generations", "1", "--parallel", "2",
            "--tasks", "2", "2", "2", "--sandbox", "local", "--seed", "5"]
    assert main(args) == 0
    assert "finished" in capsys.readouterr().out
    archive = open_archive(pg_url)
    (summary,) = archive.runs()
    run = summary.run
    check_archive_integrity(archive, run.id, 3)
    assert run.config["executor"] == "ray" and run.config["ray_address"] == ray_address  # so resume uses them
    children = [v for v in archive.variants(run.id) if v.generation == 1]
    assert {v.proposal_key for v in children} == {"g1-s0", "g1-s1"}
    assert all(v.status == VariantStatus.VALID and archive.evaluations(v.id) for v in children), [v.error for v in children]
    assert run.model_calls > 0 and archive.contract_stats(run.id)
    # The workers used the run's model cache in PostgreSQL: the children ask what the seed asked.
    assert archive.cache_stats(run.id).hits > 0
    assert main(["resume", str(run.id), "--db", pg_url]) == 0  # a finished run: resumes on the same cluster, adds nothing
    check_archive_integrity(archive, run.id, 3)
    archive.engine.dispose()


def test_the_budget_holds_for_all_workers_together(ray_address, pg_url):
    archive = open_archive(pg_url)
    assert main(["run", "--executor", "ray", "--ray-address", ray_address, "--db", pg_url, "--generations", "3", "--parallel", "2",
                 "--tasks", "2", "2", "2", "--sandbox", "local", "--no-cache", "--budget", "calls=14"]) == 0
    (summary,) = archive.runs()
    run = summary.run
    assert run.status == "stopped" and "budget_reached" in {e.kind for e in archive.events(run.id)}
    assert run.model_calls <= 14  # calls are reserved before they are made: never past the limit
    assert any(v.generation >= 1 for v in archive.variants(run.id)), "no child was made on the cluster"
    archive.engine.dispose()


def test_no_secret_travels_with_the_work(ray_address, pg_url, monkeypatch):
    secret = "sk-test-never-in-a-payload-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    archive = open_archive(pg_url)
    ctx = built(archive, cluster_config(ray_address, model="openai/gpt-4o-mini"))
    try:
        spec = ctx.executor.spec
        work = ChildWork("g1-s0", 1, 1, dict(ctx.worker.seed_files), None, [], 7)
        payload = cloudpickle.dumps(spec) + cloudpickle.dumps(work)
        assert secret.encode() not in payload
        password = archive.url.password
        assert password and f":{password}@".encode() not in payload, "the archive's password travelled"
        assert spec.archive_url and "@" in spec.archive_url  # the archive's address does travel, for the model cache
    finally:
        ctx.executor.close()
        archive.engine.dispose()


def test_a_worker_whose_specs_differ_refuses_and_the_child_is_archived_failed(ray_address, pg_url, tmp_path):
    extra = tmp_path / "extra.toml"
    shutil.copy(SPECS_DIR / "airline.toml", extra)
    archive = open_archive(pg_url)
    ctx = built(archive, cluster_config(ray_address, spec_files=(str(extra),)))
    try:
        seed_id, _ = seed_step(ctx)
        extra.write_text(extra.read_text() + "\n# edited on this node after the driver loaded it\n")
        child_id, _ = child_step(ctx, 1, 0, seed_id)
    finally:
        ctx.executor.close()
    child = archive.variant(child_id)
    assert child.status == VariantStatus.INVALID and not child.valid_parent
    assert "differ from the driver's" in child.summary and "install the same specs on every node" in child.summary
    (archived,) = [e for e in archive.events(ctx.run_id) if e.kind == "variant_archived" and e.payload.get("variant_id") == child_id]
    assert "differ from the driver's" in archived.payload["error"]
    archive.engine.dispose()


def test_an_unreachable_cluster_is_one_clear_line(tmp_path):
    with socket.socket() as probe:  # a port nobody serves
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # In a process of its own, as a user runs it (this one may already be joined to the test cluster).
    done = subprocess.run([sys.executable, "-m", "evoforge.cli", "run", "--executor", "ray", "--ray-address", f"127.0.0.1:{port}",
                           "--db", str(tmp_path / "a.db"), "--generations", "1", "--tasks", "2", "2", "2", "--sandbox", "local"],
                          capture_output=True, text=True, timeout=120, check=False)
    err = done.stderr
    assert done.returncode != 0 and len(err.strip().splitlines()) == 1, err
    assert f"127.0.0.1:{port}" in err and "ray start --head" in err and "Traceback" not in err


def test_a_model_factory_given_to_the_driver_is_refused_on_the_cluster(ray_address, pg_url):
    archive = open_archive(pg_url)
    run_id = create_run(archive, cluster_config(ray_address))
    with pytest.raises(EvoforgeError, match="only exists on the driver"):
        EvolutionContext.build(run_id, EvolutionSettings.from_dict(archive.run(run_id).config), scripted_services(archive))
    archive.engine.dispose()


def test_a_sqlite_archive_every_node_can_read_is_accepted(ray_address, tmp_path):
    # Every node of the test cluster runs on this machine, so the file's folder is shared.
    archive = open_archive(tmp_path / "archive.db")
    ctx = built(archive, cluster_config(ray_address))
    ctx.executor.close()
    assert not list(tmp_path.glob(".evoforge-shared-probe-*")), "the probe file was left behind"
