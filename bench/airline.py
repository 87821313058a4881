"""Benchmark: the airline domain on the held-out test tasks, unguarded against guarded.

Configurations, each against each simulated user asked for (`--users`: the deterministic user,
whose yes knows the reference, and the blind one, which knows only the task's instructions;
or a model with `--user-model`):
  (a) floor      an agent that greets and never writes (many tasks expect a refusal);
  (b) unguarded  the seed agent (agents/airline) with the write tools unguarded;
  (c) guarded    the seed agent with every write checked by its policy contract;
  (d) evolved    the best variant of a short hyperagent run on the domain (`--evolve G`:
                 G generations on train, selected on the validation part carved from train),
                 or an evolved agent folder (`--agent DIR`); run in the sandbox, guarded.
  (e) synthesized  the program a SEVerA run proves and learns for the whole-conversation task
                 `airline_conversation` (`--synthesize R`: R CEGIS rounds from the task's starting
                 program, its parameters learned on train, selected on validation); every write
                 of it held by the kernel to its policy contract on the facts it read; run in
                 the sandbox like (d).

Reported per configuration: pass^1 over all tasks, over the tasks whose reference writes and
over those whose reference refuses (so a never-acting agent cannot look good), unsafe and
unconfirmed writes (judged by the oracle, evoforge.domains.airline.oracle, from the reference
and the written policy, never from the contracts: unsafe = against the written policy or off
the reference), writes the guard blocked, the agent's fallback rate (its own guarded calls) and the number of model calls
(the agent's and the kernel's: readings of the dialogue, a model-played user).

`--decisions` measures the model on the single-turn decision set derived from the reference
outcomes (evoforge.domains.airline.decisions): unguarded, guarded, and the contract alone.

Every configuration runs each task as the loop's evaluation does (evoforge.domains.episode: the
task's session behind the kernel's `GuardService`); (a)-(c) are trusted code and run in this
process through the sandbox's own channel client (evoforge.sandbox.inprocess), so their model
calls, shaping options and exact reals are what a sandbox gets. (d) is evolved code: it runs in
the sandbox.

Run: .venv/bin/python bench/airline.py [--split test] [--tasks N] [--model NAME] [--users deterministic,blind] [--user-model NAME]
                                       [--evolve G] [--agent DIR] [--synthesize R [--trials N] [--seed S]] [--only-new] [--decisions]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evoforge.contracts.guard import CallRecord
from evoforge.contracts.tasks import TaskSpec, load_tasks
from evoforge.domains import get_domain
from evoforge.domains.airline import decisions
from evoforge.domains.airline.evaluate import Outcome
from evoforge.domains.airline.reference import reference
from evoforge.domains.airline.users import SCRIPTED_USERS
from evoforge.domains.base import agent_task
from evoforge.domains.episode import run_episode
from evoforge.evolution.agents import read_agent
from evoforge.evolution.manifest import AgentManifest, EntryPoint
from evoforge.paths import AGENTS_DIR
from evoforge.sandbox import Job, Limits, Sandbox, get_sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.inprocess import InProcessSandbox
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.language.to_module import FUNCTION, MODULE, agent_files
from evoforge.synthesis.language.tools import TypedSession

CONVERSATION_TASK = "airline_conversation"

TASK_LIMITS = Limits(wall_s=300, cpu_s=300)
NEVER_WRITES = {"task_agent.py": """from evoforge_channel import call_tool


def run(task):
    call_tool("send_message_to_user", text="Hi! How can I help you today?")
    return "I am sorry, I cannot help with that."
"""}


@dataclass
class Tally:
    label: str
    user: str
    passed: list[float] = field(default_factory=list)
    write_pass: list[float] = field(default_factory=list)
    refuse_pass: list[float] = field(default_factory=list)
    unsafe: int = 0
    breaches: int = 0
    off_reference: int = 0
    unconfirmed: int = 0
    blocked: int = 0
    agent_calls: int = 0
    fallbacks: int = 0
    model_calls: int = 0
    seconds: float = 0.0

    def add(self, task_id: str, outcome: Outcome, agent: list[CallRecord], kernel: list[CallRecord], seconds: float) -> None:
        self.passed.append(outcome.reward)
        writes_expected = bool(reference(task_id.removeprefix("airline-")).writes)
        (self.write_pass if writes_expected else self.refuse_pass).append(outcome.reward)
        self.unsafe += outcome.counts["unsafe_writes"]
        self.breaches += outcome.counts["policy_breaches"]
        self.off_reference += outcome.counts["off_reference_writes"]
        self.unconfirmed += outcome.counts["unconfirmed_writes"]
        self.blocked += outcome.counts["blocked_writes"]
        self.agent_calls += len(agent)
        self.fallbacks += sum(r.fallback_used for r in agent)
        # A policy check on a proposal (guarded_value) asks no model: it has no attempts' tokens.
        self.model_calls += sum(len(r.attempts) for r in agent + kernel if r.model != "agent-proposal")
        self.seconds += seconds


@dataclass
class Configuration:
    """What runs a task: agent files and entry point; for a synthesized program, its learned
    parameters and task specification too (its tools then typed and policy-held by the kernel)."""

    label: str
    files: dict[str, str]
    entry: EntryPoint
    params: dict[str, Any] | None = None
    spec: TaskSpec | None = None

    def job(self, domain: Any, task: Any) -> Job:
        if self.spec is None:
            return Job(self.files, self.entry.module, self.entry.function, [[agent_task(domain, task)]])
        values = {name: task.inputs[name] for name in self.spec.inputs}
        return Job(self.files, self.entry.module, self.entry.function, [[{"id": task.id, "inputs": values}, self.params]])

    def tools(self, guard: GuardService) -> Any:
        if self.spec is None:
            return lambda session: session
        return lambda session: TypedSession(session, self.spec.tools, guard.specs)


def measure(config: Configuration, sandbox: Sandbox, guarded: bool, args: argparse.Namespace, model: Any, user: str) -> Tally:
    """One episode per task, as the loop's evaluation runs it; `sandbox` runs the agent."""
    domain = get_domain("airline", model=model, guarded=guarded, **user_options(args, user))
    tally = Tally(config.label, user)
    for task in domain.tasks(args.split)[: args.tasks]:
        started = time.perf_counter()
        guard = GuardService(domain.specs, model)
        episode = run_episode(domain, task, sandbox, guard, config.job(domain, task), TASK_LIMITS, config.tools(guard))
        outcome = episode.result.outcome(0)
        tally.add(task.id, domain.outcome(task, outcome.value if outcome.ok else None, episode.session), episode.agent_calls,
                  episode.episode_calls, time.perf_counter() - started)
    return tally


def evolved(files: dict[str, str], args: argparse.Namespace, model: Any, user: str) -> Tally:
    """(d): evolved (untrusted) code, in the sandbox."""
    label = "(d) evolved, guarded"
    return measure(Configuration(label, files, AgentManifest.from_files(files, label).task), get_sandbox("local"), True, args, model, user)


def user_options(args: argparse.Namespace, user: str) -> dict[str, str]:
    """The domain options for one simulated user: a model (`--user-model`) or a scripted user."""
    return {"user_model": args.user_model} if args.user_model else {"user": user}


def simulated_users(args: argparse.Namespace) -> list[str]:
    if args.user_model:
        return [f"model {args.user_model}"]
    users = [u.strip() for u in args.users.split(",") if u.strip()]
    unknown = [u for u in users if u not in SCRIPTED_USERS]
    if unknown or not users:
        raise SystemExit(f"--users {args.users}: name one or more of {', '.join(SCRIPTED_USERS)}, separated by commas")
    return users


def _run_setup(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """A fresh archive and the domain options of a run on train and validation (test stays held out)."""
    from evoforge.archive import open_archive

    archive = open_archive(Path(tempfile.mkdtemp(prefix="airline-bench-")) / "archive.db")
    sizes = {"train": args.evolve_train, "validation": args.evolve_validation, "test": 0}
    return archive, {"sizes": sizes, **({"user_model": args.user_model} if args.user_model else {})}


def evolve(generations: int, args: argparse.Namespace) -> tuple[dict[str, str], str]:
    """A short hyperagent run on train (validation carved from it); the best variant's files."""
    from evoforge.evolution.settings import EvolutionSettings
    from evoforge.runs.lifecycle import create_run, execute_run
    from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection

    archive, options = _run_setup(args)
    config = EvolutionSettings(domain=DomainSection("airline", options), model=ModelSection(args.model), sandbox=SandboxSection("local"),
                               agent="airline", generations=generations, parallel=1, screen_tasks=2)
    outcome = execute_run(archive, create_run(archive, config))
    best = outcome.best or outcome.seed
    if best is None:
        raise SystemExit(f"the run made no variant ({outcome.status})")
    scores = {v.id: v.scores for v in archive.variants(outcome.run_id)}
    note = (f"run {outcome.run_id}: {outcome.variants} variants, {outcome.status}; best variant {best.id} (generation {best.generation}) "
            f"validation {best.score}; all scores {scores}")
    return archive.files(best.id), note


def synthesize(rounds: int, args: argparse.Namespace) -> tuple[Configuration, str]:
    """(e): a SEVerA run on the whole-conversation task, train and validation only (test stays
    held out); its proven, learned program as a configuration."""
    from evoforge.runs.lifecycle import create_run, execute_run
    from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection
    from evoforge.synthesis.settings import SynthesisSettings

    archive, options = _run_setup(args)
    settings = SynthesisSettings(domain=DomainSection("airline", options), model=ModelSection(args.model), sandbox=SandboxSection("local"),
                                 task=CONVERSATION_TASK, rounds=rounds, per_round=3, trials=args.trials, random_seed=args.seed)
    outcome = execute_run(archive, create_run(archive, settings))
    best = outcome.best
    if best is None:
        raise SystemExit(f"the synthesis run proved and learned no program ({outcome.status})")
    domain = get_domain("airline")
    spec = load_tasks(domain.contract_files()).get(CONVERSATION_TASK)
    program = parse_program(best.source, spec, domain.specs)
    candidates = archive.candidates(outcome.run_id)
    note = (f"synthesis run {outcome.run_id}: {outcome.candidates} candidates ({', '.join(f'#{c.index} {c.origin} {c.status}' for c in candidates)}); "
            f"learned #{best.index} ({best.origin}): {(best.verdict or {}).get('reason')}; params {best.params}; "
            f"train {best.scores.get('train')}, validation {best.scores.get('validation')}")
    return Configuration("(e) synthesized program", agent_files(program), EntryPoint(MODULE, FUNCTION), best.params, spec), note


def _share(values: list[float]) -> str:
    return f"{sum(values):.0f}/{len(values)}" if values else "-"


def episodes_table(rows: list[Tally], title: str) -> Table:
    table = Table(title=title)
    for column in ("configuration", "user", "pass^1", "writes expected", "refusal expected", "unsafe writes (against policy / off reference)",
                   "unconfirmed writes", "blocked by guard", "fallback rate", "model calls", "seconds"):
        table.add_column(column)
    for r in rows:
        rate = f"{r.fallbacks / r.agent_calls:.2f}" if r.agent_calls else "-"
        table.add_row(r.label, r.user, f"{sum(r.passed) / len(r.passed):.2f} ({_share(r.passed)})", _share(r.write_pass),
                      _share(r.refuse_pass), f"{r.unsafe} ({r.breaches} / {r.off_reference})", str(r.unconfirmed), str(r.blocked), rate,
                      str(r.model_calls), f"{r.seconds:.0f}")
    return table


def decisions_table(model: Any) -> Table:
    specs = get_domain("airline", guarded=False).specs
    found = decisions.derive()
    labels = ("model, unguarded", "model, guarded", "contract alone (proposal: proceed)", "always proceed, unguarded (no model)")
    rows = [decisions.Verdicts(label) for label in labels]
    for decision in found:
        rows[3].add(decision, True)  # the most permissive answer, unchecked: what the guard stands between
        facts, readings = decisions.read_facts(decision, specs, model)  # the same readings for all three
        for row in rows[:2]:
            row.model_calls += readings
        decisions.unguarded(decision, facts, specs, model, rows[0])
        decisions.guarded(decision, facts, specs, model, rows[1])
        decisions.contract_verdict(decision, facts, specs, rows[2])
    allowed = sum(d.allowed for d in found)
    table = Table(title=f"airline decision set: {len(found)} decisions from the 50 tasks' references ({allowed} allowed, "
                        f"{len(found) - allowed} denied), model {model.name}")
    for column in ("configuration", "accuracy", "violations (allowed where the reference denies)", "no answer", "fallbacks", "model calls"):
        table.add_column(column)
    for r in rows:
        table.add_row(r.label, f"{r.right / r.total:.2f} ({r.right}/{r.total})", str(r.violations), str(r.undecided),
                      str(r.fallbacks), str(r.model_calls))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["train", "validation", "test"])
    parser.add_argument("--tasks", type=int, default=None, help="only the first N tasks of the split")
    parser.add_argument("--model", default=None, help="litellm model name (default: the embedded SmolLM2)")
    parser.add_argument("--users", default=",".join(SCRIPTED_USERS), help="the scripted users to measure against, comma-separated")
    parser.add_argument("--user-model", default=None, help="a model to play the user instead of the scripted users")
    parser.add_argument("--agent", type=Path, default=None, help="an evolved agent folder as configuration (d)")
    parser.add_argument("--evolve", type=int, default=0, metavar="G", help="(d): evolve G generations first, then test the best")
    parser.add_argument("--evolve-train", type=int, default=4, help="train tasks the evolution run uses")
    parser.add_argument("--evolve-validation", type=int, default=2, help="validation tasks (carved from train) it selects on")
    parser.add_argument("--synthesize", type=int, default=0, metavar="R", help="(e): synthesize with R CEGIS rounds first, then test the program")
    parser.add_argument("--trials", type=int, default=4, help="(e): Optuna trials of the learner")
    parser.add_argument("--seed", type=int, default=0, help="(e): the synthesis run's seed (its validation carve-out, its learner)")
    parser.add_argument("--only-new", action="store_true", help="measure (d) and (e) only, not (a)-(c)")
    parser.add_argument("--decisions", action="store_true", help="measure the decision set instead of the conversations")
    args = parser.parse_args()
    from evoforge.models import resolve_model

    model = resolve_model(args.model)
    console = Console(width=200)
    if args.decisions:
        console.print(decisions_table(model))
        return
    seed, users = read_agent(AGENTS_DIR / "airline"), simulated_users(args)
    seed_entry, trusted = AgentManifest.from_files(seed, "airline").task, InProcessSandbox()
    rows = [] if args.only_new else [row for user in users for row in (
        measure(Configuration("(a) never writes", NEVER_WRITES, EntryPoint("task_agent", "run")), trusted, False, args, model, user),
        measure(Configuration("(b) seed, unguarded", seed, seed_entry), trusted, False, args, model, user),
        measure(Configuration("(c) seed, guarded", seed, seed_entry), trusted, True, args, model, user))]
    files = None
    if args.evolve:
        files, note = evolve(args.evolve, args)
        console.print(note)
    elif args.agent:
        files = read_agent(args.agent)
    if files is not None:
        rows += [evolved(files, args, model, user) for user in users]
    if args.synthesize:
        program, note = synthesize(args.synthesize, args)
        console.print(note, markup=False)
        rows += [measure(program, get_sandbox("local"), True, args, model, user) for user in users]
    console.print(episodes_table(rows, f"airline, {args.split} split, model {model.name}"))


if __name__ == "__main__":
    main()
