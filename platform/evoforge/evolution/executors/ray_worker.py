"""The worker's side of the Ray executor (ray_executor.py): one Ray task per child.

A task gets the run's `RunSpec` (once per run, through the object store) and one `ChildWork`.
The worker process rebuilds the run's `WorkerContext` from the configuration with its own
sandbox, its own spec files (proved here, and refused if they differ from the driver's), the
run's model with its keys from this node's environment, the run's budget ledger and the model
cache in the archive. The context is kept per worker process and run, so only a process's first
child pays for proofs and model loading.
"""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any

import ray

from evoforge.evolution.agents import agent_folder_if_present
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.worker import ChildOutcome, ChildWork, WorkerContext, make_child
from evoforge.runs.services import ArchiveCompletions, GatewayModels
from evoforge.scale.budget import RemoteBudget
from evoforge.scale.specs import check_same_specs


@dataclass(frozen=True)
class RunSpec:
    """What every worker needs to rebuild a run, and nothing secret: no model key (workers read
    theirs from their own environment) and an archive URL without its password (PGPASSWORD or
    ~/.pgpass on the node supplies it)."""

    token: str  # one per driver connection: a resumed run gets a fresh context on every worker
    run_id: int
    config: dict[str, Any]
    seed_files: dict[str, str]
    spec_digest: str
    archive_url: str | None  # None: the run's model cache is off
    ledger: Any  # the BudgetLedger actor's handle


_contexts: dict[str, WorkerContext] = {}
_lock = threading.Lock()


def worker_context(spec: RunSpec) -> WorkerContext:
    with _lock:
        if spec.token not in _contexts:
            _contexts[spec.token] = _build(spec)
        return _contexts[spec.token]


def _build(spec: RunSpec) -> WorkerContext:
    from evoforge.archive import open_archive
    from evoforge.sandbox import get_sandbox

    settings = EvolutionSettings.from_dict(spec.config)
    cache = ArchiveCompletions(open_archive(spec.archive_url, create=False), spec.run_id) if spec.archive_url else None
    models = GatewayModels(settings.model, settings.random_seed, RemoteBudget(spec.ledger), cache)  # type: ignore[arg-type]  # a Budget by duck type
    context = WorkerContext.build(settings, spec.seed_files, get_sandbox(settings.sandbox.backend), models, agent_folder_if_present(settings.agent))
    node = f"{socket.gethostname()} (Ray node {ray.get_runtime_context().get_node_id()[:8]})"
    check_same_specs(context.specs, spec.spec_digest, node)
    return context


def run_child(spec: RunSpec, work: ChildWork) -> ChildOutcome:
    return make_child(worker_context(spec), work)


child_task = ray.remote(run_child)
