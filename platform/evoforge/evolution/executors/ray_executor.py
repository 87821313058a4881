"""`--executor ray`: each child of an evolution run is made by a Ray task on a cluster node
(the cluster's own plumbing, which knows no run kind, is in scale/).

The driver keeps the graph, selection and the archive writes; a task only makes and evaluates a
child and returns its `ChildOutcome`. A worker process killed mid-child makes Ray run the task
again (up to `retries` times); after that, or when the worker refuses (its specs differ), the
child comes back as a failed outcome with the reason, which the driver archives once under its
proposal key like any other child.
"""
from __future__ import annotations

import threading
import uuid

import ray
from ray.exceptions import RayError, RayTaskError, TaskCancelledError
from sqlalchemy.engine import URL

from evoforge.archive import VariantStatus
from evoforge.errors import EvoforgeError
from evoforge.evolution.evaluation import StageResult
from evoforge.evolution.executors.base import RunHandle
from evoforge.evolution.executors.ray_worker import RunSpec, child_task
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.worker import ChildOutcome, ChildWork, WorkerContext
from evoforge.runs.services import GatewayModels
from evoforge.scale.budget import BudgetLedger, DriverSpending
from evoforge.scale.cluster import check_shared_file, connect
from evoforge.scale.specs import spec_digest

CHILD_RETRIES = 2  # a child whose worker died is made again this often before it counts as failed


class RayExecutor:
    def __init__(self, spec: RunSpec, driver_spending: DriverSpending, retries: int = CHILD_RETRIES):
        self.spec, self.driver_spending, self.retries = spec, driver_spending, retries
        self.spec_ref = ray.put(spec)
        self._in_flight: set[ray.ObjectRef] = set()
        self._lock = threading.Lock()

    @classmethod
    def connect(cls, settings: EvolutionSettings, worker: WorkerContext, run: RunHandle, retries: int = CHILD_RETRIES) -> RayExecutor:
        if not isinstance(worker.models, GatewayModels):
            raise EvoforgeError("--executor ray builds the run's model on every worker from the run's configuration; "
                                "a model factory given to RunServices only exists on the driver: use the local executor")
        connect(settings.ray_address)
        url = run.archive.url
        if url.get_backend_name() == "sqlite":
            check_shared_file(url.database)
        budget = run.budget
        ledger = BudgetLedger.remote((budget.max_cost_usd, budget.max_tokens, budget.max_calls),
                                     (budget.calls, budget.tokens, budget.cost_usd))
        archive_url = without_password(url) if settings.model.cache else None
        spec = RunSpec(uuid.uuid4().hex, run.run_id, settings.to_dict(), worker.seed_files, spec_digest(worker.specs), archive_url, ledger)
        executor = cls(spec, DriverSpending(budget, ledger), retries)
        run.stop.on_request(executor.cancel_all)
        return executor

    def run_child(self, work: ChildWork) -> ChildOutcome:
        self.driver_spending.push()
        ref = child_task.options(name=f"evoforge-child {work.proposal_key}", num_cpus=1, max_retries=self.retries).remote(self.spec_ref, work)
        with self._lock:
            self._in_flight.add(ref)
        try:
            return ray.get(ref)
        except TaskCancelledError:
            return failed(work, "cancelled: the run is stopping")
        except RayTaskError as error:  # the task raised: the worker refused or could not build the run
            return failed(work, str(error.cause) if error.cause is not None else str(error).splitlines()[-1])
        except RayError as error:  # the worker (or its node) died, and every retry too
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            return failed(work, f"its Ray worker died during the child (tried {1 + self.retries} times): {first_line}")
        finally:
            with self._lock:
                self._in_flight.discard(ref)

    def cancel_all(self) -> None:
        with self._lock:
            refs = list(self._in_flight)
        for ref in refs:
            ray.cancel(ref, force=True)

    def close(self) -> None:
        self.cancel_all()
        ray.kill(self.spec.ledger)


def without_password(url: URL) -> str:
    """The archive's URL for workers: they take the password from their own environment."""
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def failed(work: ChildWork, reason: str) -> ChildOutcome:
    """A child that could not be made: archived as invalid with the reason, never selected."""
    fields = {"status": VariantStatus.INVALID, "valid_parent": False, "score": None, "scores": {}, "error": reason}
    return ChildOutcome(work.parent_files, reason, fields, StageResult())
