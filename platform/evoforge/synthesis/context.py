"""A synthesis run's context: the graph's job (problem, proposer, verifier, learner and the
sandboxed evaluation, built from the stored configuration, so a resumed run gets the same; its
candidates in the archive) and what the run writes to (archive, events, budget)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evoforge.archive import Archive
from evoforge.contracts import SpecSet
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.tasks import TaskSet, TaskSpec, load_tasks
from evoforge.domains import Domain, get_domain
from evoforge.errors import EvoforgeError
from evoforge.evolution.events import RunEvents, SandboxChosen
from evoforge.evolution.services import ArchiveCompletions, GatewayModels, RunServices, sandbox_for
from evoforge.evolution.worker import load_proven_specs
from evoforge.models.budget import Budget, UsageRecord
from evoforge.sandbox import Sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.slot import SlotSandbox
from evoforge.synthesis.archive_store import ArchiveCandidates
from evoforge.synthesis.config import SynthesisConfig
from evoforge.synthesis.job import SynthesisJob
from evoforge.synthesis.proposers_by_name import PROPOSERS
from evoforge.synthesis.search.cegis import Search
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.proposing import Problem
from evoforge.synthesis.search.sandboxed import SandboxEvaluation
from evoforge.synthesis.search.verify import Verifier


@dataclass
class SynthesisContext:
    run_id: int
    config: SynthesisConfig
    services: RunServices
    job: SynthesisJob  # what the graph's nodes work with
    candidates: ArchiveCandidates  # the job's store
    events: RunEvents
    budget: Budget

    @property
    def archive(self) -> Archive:
        return self.services.archive

    @classmethod
    def build(cls, run_id: int, config: SynthesisConfig, services: RunServices) -> "SynthesisContext":
        archive = services.archive
        run = archive.run(run_id)
        config.validate()
        budget = Budget(config.max_cost_usd, config.max_tokens, config.max_calls)
        budget.calls, budget.tokens, budget.cost_usd = run.model_calls, run.prompt_tokens + run.completion_tokens, run.cost_usd
        sandbox = sandbox_for(config, services)  # type: ignore[arg-type]  (it reads .sandbox only)
        if isinstance(sandbox, SlotSandbox):
            services.stop.on_request(sandbox.stop_all)
        domain, specs, task = load_problem(config, sandbox)
        usage: list[UsageRecord] = []  # model calls made since the last save
        cache = ArchiveCompletions(archive, run_id) if config.model_cache else None
        model = (services.models or GatewayModels(config, budget, cache))(usage.append)
        events = RunEvents(archive, run_id, services.observers)
        events.emit(SandboxChosen(sandbox.name, sandbox.describe()))
        calls: list[CallRecord] = []  # guarded calls made since the last save
        evaluate = SandboxEvaluation(domain, task, sandbox, lambda: GuardService(specs, model),
                                     task_timeout_s=config.task_timeout_s, keep=calls, stop=services.stop)
        learner = OptunaLearner(archive.url.render_as_string(hide_password=False), trials=config.trials,
                                validate_top=config.validate_top, seed=config.random_seed)
        candidates = ArchiveCandidates(archive, run_id, events, usage, calls)

        def progress(rounds_done: int) -> None:
            archive.update_run(run_id, generation=rounds_done, progress=min(1.0, rounds_done / config.rounds))

        job = SynthesisJob(Search(Problem(task, specs), Verifier(), evaluate, candidates), PROPOSERS[config.proposer](model, calls), learner,
                           f"synthesis-{run.uid}", config.rounds, config.per_round, config.target_train, services.stop, progress)
        return cls(run_id, config, services, job, candidates, events, budget)


def load_problem(config: SynthesisConfig, sandbox: Sandbox | None = None) -> tuple[Domain, SpecSet, TaskSpec]:
    """The run's domain, its proven contracts and its task specification (errors name the problem)."""
    domain = get_domain(config.domain, seed=config.random_seed, sandbox=sandbox, **config.domain_options)
    files = [*domain.contract_files(), *(Path(f).resolve() for f in config.spec_files)]
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
