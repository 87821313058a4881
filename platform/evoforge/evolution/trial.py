"""`evoforge domains check`'s last step: the domain folder's seed agent (its own agent/, else the
generic seed) runs in the sandbox as a run runs it, on the first task of each split, with the
null model (`null/fallback`: every guarded call is answered by its proven fallback, so the trial
is offline, quick and free). An agent that raises, or that a run could not start, is a problem;
a wrong answer is not (making answers right is what a run is for)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evoforge.domains import get_domain
from evoforge.domains.problems import DomainProblem
from evoforge.domains.registry import GENERIC_SEED, seed_agent
from evoforge.errors import EvoforgeError
from evoforge.evolution.agents import agent_folder, read_agent
from evoforge.evolution.evaluation import error_line, run_tasks
from evoforge.evolution.manifest import AgentManifest
from evoforge.evolution.worker import load_run_specs
from evoforge.models.null import NULL_MODEL
from evoforge.runs.settings import SandboxSection
from evoforge.sandbox import Sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.splits import SPLITS

FRAME = re.compile(r'File "(?:[^"]*/)?([^"/]+)", line (\d+)')  # a traceback's frame: its file's name and line
OWN_AGENT_FIX = "fix the agent: run(task) gets {\"id\", \"inputs\", \"schema\", \"contract\"} (docs/domains.md, \"What your agent is given\")"
SEED_FIX = ("the generic seed answers with generate(task[\"contract\"], **task[\"inputs\"]): name the answer contract "
            "with answer = \"CONTRACT\" in domain.toml, or give the domain an agent/ folder of its own")


@dataclass(frozen=True)
class TrialTask:
    task_id: str
    split: str
    answer: str  # the answer as a run stores it (JSON); "" when the agent failed
    error: str | None  # the agent's error in one line; None when it answered
    raised_at: tuple[str, int] | None = None  # the agent's file (relative) and line that raised, when the traceback names one


@dataclass
class AgentTrial:
    folder: Path  # the domain's
    agent: Path  # the folder of the agent that ran
    own: bool  # the domain's own agent/, not the generic seed
    tasks: list[TrialTask] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)  # the contracts of its guarded calls, in order
    problems: list[DomainProblem] = field(default_factory=list)

    @property
    def described(self) -> str:
        return f"the domain's seed agent ({self.agent.name}/)" if self.own else "the generic seed agent"

    @property
    def fix(self) -> str:
        return OWN_AGENT_FIX if self.own else SEED_FIX

    def blamed(self, raised_at: tuple[str, int] | None = None) -> tuple[Path, int | None]:
        """Where a problem of the agent is fixed: the line of the domain's own agent that raised,
        or, for the generic seed (evoforge's code), the domain's manifest."""
        if not self.own:
            return self.folder / "domain.toml", None
        return (self.agent / raised_at[0], raised_at[1]) if raised_at else (self.agent, None)


def try_seed_agent(folder: str | Path, sandbox: Sandbox) -> AgentTrial:
    """Run the seed agent a run on `folder` would start from on one task of each split."""
    from evoforge.models import resolve_model  # litellm: only once the folder is worth trying

    reference = str(Path(folder).resolve())
    name = seed_agent(reference)
    agent = agent_folder(name)
    trial = AgentTrial(Path(reference), agent, own=name != GENERIC_SEED)
    try:
        files = read_agent(agent)
        manifest = AgentManifest.from_files(files, str(agent))
        domain = get_domain(reference, sandbox=sandbox)
        specs = load_run_specs(domain, manifest, agent)
    except EvoforgeError as error:
        trial.problems.append(DomainProblem(*trial.blamed(), f"a run could not start {trial.described}: {error}", trial.fix))
        return trial
    tasks = [task for split in SPLITS for task in domain.tasks(split)[:1]]
    model = resolve_model(NULL_MODEL)
    result = run_tasks(domain, sandbox, lambda: GuardService(specs, model), manifest.task, files, tasks, "check",
                       SandboxSection().task_timeout_s)  # a run's default
    trial.contracts = [record.contract for record in result.records]
    for task, evaluation in zip(tasks, result.evaluations):
        if evaluation.error is not None and not evaluation.output:  # a wrong answer is stored; a failure is not
            trial.tasks.append(TrialTask(task.id, task.split, "", error_line(evaluation.error), raised_at(evaluation.error, files)))
        else:
            trial.tasks.append(TrialTask(task.id, task.split, evaluation.output, None))
    trial.problems += _failures(trial)
    return trial


def _failures(trial: AgentTrial) -> list[DomainProblem]:
    """One problem per distinct error, at the agent's line that raised it where the traceback names one."""
    failed: dict[str, list[TrialTask]] = {}
    for task in trial.tasks:
        if task.error is not None:
            failed.setdefault(task.error, []).append(task)
    problems = []
    for error, same in failed.items():
        first = same[0]
        more = f" (and on {len(same) - 1} more task(s))" if len(same) > 1 else ""
        problems.append(DomainProblem(*trial.blamed(first.raised_at), f"{trial.described} raised {error} on {first.split} task {first.task_id!r}{more}", trial.fix))
    return problems


def raised_at(traceback: str, files: dict[str, str]) -> tuple[str, int] | None:
    """The innermost frame of `traceback` in one of the agent's `files` (path -> text), as (path, line)."""
    by_name = {Path(path).name: path for path in files}
    frames = [(by_name[name], int(line)) for name, line in FRAME.findall(traceback) if name in by_name]
    return frames[-1] if frames else None

