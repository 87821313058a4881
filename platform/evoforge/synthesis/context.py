"""A synthesis run's context: the run's resources (runs/resources.py) and the graph's job
(problem, proposer, verifier, learner and the sandboxed evaluation, built from the stored
settings, so a resumed run gets the same; its candidates in the archive)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evoforge.contracts import SpecSet
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.tasks import TaskSet, TaskSpec, load_tasks
from evoforge.domains import Domain, get_domain
from evoforge.errors import EvoforgeError
from evoforge.models.budget import UsageRecord
from evoforge.runs.resources import RunContext, RunResources
from evoforge.runs.services import RunServices
from evoforge.runs.specs import load_proven_specs
from evoforge.sandbox import Sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.synthesis.archive_store import ArchiveCandidates
from evoforge.synthesis.job import SynthesisJob
from evoforge.synthesis.proposers_by_name import PROPOSERS
from evoforge.synthesis.search.cegis import Search
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.sandboxed import SandboxEvaluation
from evoforge.synthesis.search.verify import Verifier
from evoforge.synthesis.settings import SynthesisSettings


@dataclass
class SynthesisContext(RunContext):
    config: SynthesisSettings
    job: SynthesisJob  # what the graph's nodes work with
    candidates: ArchiveCandidates  # the job's store

    @classmethod
    def build(cls, run_id: int, config: SynthesisSettings, services: RunServices) -> "SynthesisContext":
        resources = RunResources.build(run_id, config, services)
        archive, run = services.archive, services.archive.run(run_id)
        domain, specs, task = load_problem(config, resources.sandbox)
        usage: list[UsageRecord] = []  # model calls made since the last save
        model = resources.models(usage.append)
        calls: list[CallRecord] = []  # guarded calls made since the last save
        evaluate = SandboxEvaluation(domain, task, resources.sandbox, lambda: GuardService(specs, model),
                                     task_timeout_s=config.sandbox.task_timeout_s, keep=calls, stop=services.stop)
        learner = OptunaLearner(archive.url.render_as_string(hide_password=False), trials=config.trials,
                                validate_top=config.validate_top, seed=config.random_seed)
        candidates = ArchiveCandidates(archive, run_id, resources.events, usage, calls)

        def progress(rounds_done: int) -> None:
            archive.update_run(run_id, generation=rounds_done, progress=min(1.0, rounds_done / config.rounds))

        job = SynthesisJob(Search(Problem(task, specs), Verifier(), evaluate, candidates), PROPOSERS[config.proposer](model, calls), learner,
                           f"synthesis-{run.uid}", config.rounds, config.per_round, config.target_train, services.stop, progress)
        return cls(resources, config, job, candidates)


def load_problem(config: SynthesisSettings, sandbox: Sandbox | None = None) -> tuple[Domain, SpecSet, TaskSpec]:
    """The run's domain, its proven contracts and its task specification (errors name the problem)."""
    domain = get_domain(config.domain.name, seed=config.random_seed, sandbox=sandbox, **config.domain.options)
    files = [*domain.contract_files(), *(Path(f).resolve() for f in config.domain.spec_files)]
    return domain, load_proven_specs(files), choose_task(domain, load_tasks(dict.fromkeys(files)), config.task)


def choose_task(domain: Domain, tasks: TaskSet, name: str | None) -> TaskSpec:
    """The task specification named `name`, else the one of the domain's spec files whose inputs
    are exactly the domain's input schema (a domain declares its task by its spec files)."""
    if tasks.problems:
        raise EvoforgeError("the run's task specifications have problems: " + "; ".join(map(str, tasks.problems)))
    if name is not None:
        return tasks.get(name)
    fitting = [t for t in tasks.tasks.values() if set(t.inputs) == set(domain.input_schema)]
    if len(fitting) != 1:
        found = ", ".join(sorted(t.name for t in fitting)) or "none"
        raise EvoforgeError(f"domain '{domain.name}': {len(fitting)} task specification(s) take its inputs "
                            f"({', '.join(sorted(domain.input_schema))}): {found}; declare one as [tasks.NAME] in its spec files "
                            "(docs/synthesis.md) or choose one with --task")
    return fitting[0]
