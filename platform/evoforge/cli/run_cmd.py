"""`evoforge run`, `evoforge resume RUN` and `evoforge stop RUN`."""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from evoforge.cli.text import run_hint
from evoforge.errors import EvoforgeError

if TYPE_CHECKING:  # imported lazily at run time: the archive and the loop are slow to import
    from evoforge.archive import Archive
    from evoforge.evolution.kind import EvolutionOutcome
    from evoforge.runs.events import RunObserver
    from evoforge.runs.settings import BudgetSection, RunSettings

SIGNAL_STOP_EXIT = 3  # a run stopped by a signal exits non-zero: it did not finish


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="start an evolution run")
    run.add_argument("--domain", default="arithmetic", help="task domain: a name (see `evoforge domains`) or a folder holding domain.toml")
    run.add_argument("--model", default=None, help="litellm model name (default: the embedded local/smollm2)")
    run.add_argument("--generations", type=int, default=3)
    run.add_argument("--parallel", type=int, default=2, help="children per generation, made concurrently")
    run.add_argument("--budget", default=None, metavar="LIMITS", help="model budget, e.g. calls=200,tokens=100000,cost=0.5")
    run.add_argument("--max-cost", type=float, default=None, dest="max_cost_usd", help="budget in USD (same as --budget cost=X)")
    run.add_argument("--max-tokens", type=int, default=None, help="budget in tokens (same as --budget tokens=N)")
    run.add_argument("--max-calls", type=int, default=None, help="budget in model calls (same as --budget calls=N)")
    run.add_argument("--db", default=None, help="archive: a SQLite path or postgresql:// URL (default: user data dir)")
    run.add_argument("--sandbox", choices=["docker", "local"], default=None, help="default: docker when an engine answers")
    run.add_argument("--seed", type=int, default=0, help="random seed of the run (task splits, selection, meta agents)")
    run.add_argument("--agent", default=None, help="starting hyperagent: a folder (a path, or a name under agents/); "
                     "default: the domain folder's agent/, else seed")
    run.add_argument("--frozen-meta", action="store_true", help="ablation: children keep the seed's meta agent")
    run.add_argument("--no-archive", action="store_true", help="ablation: always extend the latest child")
    run.add_argument("--no-cache", action="store_true", help="ask the model again even for a repeated deterministic call")
    run.add_argument("--specs", nargs="+", default=[], metavar="FILE", help="extra spec files whose contracts the agents may call")
    run.add_argument("--executor", default="local", metavar="local|ray",
                     help="where children are made: in this process (local), or as tasks on a Ray cluster (ray; docs/scale.md)")
    run.add_argument("--ray-address", default=None, metavar="HOST:PORT", help="the Ray cluster's head (default: $RAY_ADDRESS)")
    run.add_argument("--user-model", default=None, metavar="MODEL",
                     help="for a domain with a simulated user (airline): a litellm model to play it, or 'run' for the run's model "
                          "(default: the domain's deterministic user)")
    run.add_argument("--tasks", type=int, nargs=3, metavar=("TRAIN", "VALIDATION", "TEST"), default=None, help="tasks per split")
    run.add_argument("--compare-null", action="store_true",
                     help="then run it again with the null model (every guarded call falls back) and print both")
    run.set_defaults(handler=run_run)
    resume = subparsers.add_parser("resume", help="resume a run that was stopped, interrupted or killed")
    resume.add_argument("run", help="run id or uid prefix (see `evoforge runs`)")
    resume.add_argument("--db", default=None)
    resume.set_defaults(handler=run_resume)
    stop = subparsers.add_parser("stop", help="stop a running run (it finishes no new child; resume continues it)")
    stop.add_argument("run", help="run id or uid prefix")
    stop.add_argument("--db", default=None)
    stop.set_defaults(handler=run_stop)


def run_run(args: argparse.Namespace) -> int:
    from evoforge.domains.registry import seed_agent
    from evoforge.evolution.settings import EvolutionSettings
    from evoforge.runs.settings import BudgetSection

    shared = shared_sections(args, BudgetSection(args.max_cost_usd, args.max_tokens, args.max_calls))
    settings = EvolutionSettings(
        **shared, generations=args.generations, parallel=args.parallel, agent=seed_agent(shared["domain"].name, args.agent),
        frozen_meta=args.frozen_meta, selector="latest" if args.no_archive else "score_child",
        executor=args.executor, ray_address=args.ray_address,
    )
    archive, run_id = create(args, settings, "run")
    code = execute(archive, run_id)
    if code == 0 and args.compare_null:
        from evoforge.cli.null_check import compare_with_null

        return compare_with_null(Console(highlight=False), archive, run_id)
    return code


def shared_sections(args: argparse.Namespace, budget: BudgetSection) -> dict[str, Any]:
    """The shared sections of a run's settings (runs/settings.py) from the flags every run
    command takes: --domain, --model, --budget, --sandbox, --seed, --specs, --tasks, --no-cache."""
    from evoforge.domains.registry import domain_reference
    from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection

    for key, value in parse_budget(args.budget).items():
        setattr(budget, key, value)
    domain = domain_reference(args.domain)
    return {"domain": DomainSection(domain, domain_options(args), [str(Path(f).resolve()) for f in args.specs]),
            "model": ModelSection(args.model, cache=not args.no_cache), "sandbox": SandboxSection(args.sandbox),
            "budget": budget, "random_seed": args.seed}


def create(args: argparse.Namespace, settings: RunSettings, what: str) -> tuple[Archive, int]:
    """Checks the settings (before the archive is opened or anything drawn), creates the run and
    says how to resume it."""
    from evoforge.archive import open_archive
    from evoforge.runs.lifecycle import create_run

    settings.validate()
    archive = open_archive(args.db)
    run_id = create_run(archive, settings)
    Console(highlight=False).print(f"{what} {run_id} ({archive.run(run_id).uid[:8]}) in {archive.where}; resume with `{resume_hint(args.db, run_id)}`")
    return archive, run_id


def resume_hint(db: str | None, run_id: int) -> str:
    """The command that resumes `run_id`, with the --db it needs."""
    return run_hint("resume", db, run_id)


def domain_options(args: argparse.Namespace) -> dict[str, Any]:
    """The domain options the flags give, checked against the domain now (before a run exists)."""
    from evoforge.domains.registry import check_options

    options: dict[str, Any] = {}
    if args.tasks:
        options["sizes"] = dict(zip(("train", "validation", "test"), args.tasks))
    if getattr(args, "user_model", None):  # a flag of `evoforge run` only
        options["user_model"] = args.user_model
    check_options(args.domain, options)
    return options


BUDGET_KEYS = {"calls": ("max_calls", int), "tokens": ("max_tokens", int), "cost": ("max_cost_usd", float)}


def parse_budget(text: str | None) -> dict[str, float | int]:
    """`calls=200,tokens=100000,cost=0.5` -> BudgetSection fields."""
    limits: dict[str, float | int] = {}
    for part in filter(None, (text or "").split(",")):
        key, _, value = part.partition("=")
        if key.strip() not in BUDGET_KEYS:
            raise EvoforgeError(f"--budget: unknown limit {key.strip()!r} (use {', '.join(BUDGET_KEYS)}, e.g. calls=200,cost=0.5)")
        field, kind = BUDGET_KEYS[key.strip()]
        try:
            limits[field] = kind(value)
        except ValueError:
            raise EvoforgeError(f"--budget: {key.strip()}={value!r} is not a number") from None
    return limits


def run_resume(args: argparse.Namespace) -> int:
    from evoforge.archive import open_archive

    archive = open_archive(args.db, create=False)
    return execute(archive, archive.run(args.run).id)


def run_stop(args: argparse.Namespace) -> int:
    from evoforge.archive import RunStatus, open_archive
    from evoforge.runs.liveness import process_alive

    archive = open_archive(args.db, create=False)
    run = archive.run(args.run)
    if run.status != RunStatus.RUNNING:
        raise EvoforgeError(f"run {run.id} is {run.status}, not running: nothing to stop")
    alive = process_alive(run)
    if alive is None:
        raise EvoforgeError(f"run {run.id} runs on host {run.host}: stop it there (`{run_hint('stop', args.db, run.id)}`)")
    if alive:
        os.kill(run.pid, signal.SIGTERM)  # the lifecycle stops it cleanly and marks the run stopped
        print(f"asked run {run.id} (process {run.pid}) to stop; `{resume_hint(args.db, run.id)}` continues it")
    else:
        archive.update_run(run.id, status=RunStatus.STOPPED, error="stopped: its process was gone")
        print(f"run {run.id} had no live process; marked stopped. `{resume_hint(args.db, run.id)}` continues it")
    return 0


def execute(archive: Archive, run_id: int) -> int:
    """Run or resume a run of any kind (runs/registry.py) with progress, then its kind's summary."""
    from evoforge.lazy import imported
    from evoforge.runs.lifecycle import execute_run
    from evoforge.runs.registry import run_kind
    from evoforge.runs.services import RunServices
    from evoforge.runs.stopping import StopReason

    kind = run_kind(archive.run(run_id).config)
    console = Console(highlight=False)
    started = time.monotonic()
    with _progress(console, kind.unit) as observer:
        outcome = execute_run(archive, run_id, RunServices(archive, observers=[observer]))
    imported(kind.cli_summary)(console, archive, outcome, time.monotonic() - started)
    return SIGNAL_STOP_EXIT if outcome.stop is not None and outcome.stop.reason == StopReason.SIGNAL else 0


@contextlib.contextmanager
def _progress(console: Console, unit: str) -> Iterator[RunObserver]:
    from evoforge.cli.progress import PlainLines, ProgressBar

    if console.is_terminal:
        with ProgressBar(console, unit) as bar:
            yield bar
    else:
        yield PlainLines()


def print_summary(console: Console, archive: Archive, outcome: EvolutionOutcome, seconds: float) -> None:
    table = Table("variant", "generation", "validation", "test", "train", title=f"run {outcome.run_id}: {outcome.status}")
    for label, variant in (("seed", outcome.seed), ("best", outcome.best)):
        if variant is None:
            continue
        scores = variant.scores
        table.add_row(f"{label} #{variant.id}", str(variant.generation), _pct(scores.get("validation")), _pct(scores.get("test")), _pct(scores.get("train")))
    console.print(table)
    if outcome.stop is not None and not outcome.stop.reason.completes_run:
        console.print(f"stopped early ({outcome.stop.reason}): {outcome.stop.detail}")
    run, cache = archive.run(outcome.run_id), archive.cache_stats(outcome.run_id)
    console.print(f"{outcome.variants} variant(s) archived, {run.model_calls} model call(s) "
                  f"({cache.hits} more answered by the run's model cache), {seconds:.0f} s")
    if outcome.best is not None and outcome.best.parent_id is not None:
        console.print(f"how the best variant #{outcome.best.id} came to be:")
        for step in archive.ancestors(outcome.best.id, include_self=True)[1:]:
            console.print(f"  #{step.id} (generation {step.generation}, validation {_pct(step.score)}): {step.summary[:300]}")
    console.print(f"`evoforge lineage {outcome.run_id}` shows the tree")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"
