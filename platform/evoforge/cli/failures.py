"""Why a variant's tasks failed, for `evoforge show` and `evoforge report`: each failed task with
the evaluator's words for it, or what the agent raised, as the archive keeps them with the
variant's evaluations. The variant is the one asked for (`--variant V`), else the run's best,
else its seed, so a run whose every variant failed still says why."""
from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

from evoforge.archive import Archive, Run, Variant

SHOWN = 20  # failed tasks `show` lists; `report` lists them all


@dataclass(frozen=True)
class FailedTask:
    task_id: str
    split: str
    score: float
    reason: str  # one line


@dataclass(frozen=True)
class Failures:
    variant: Variant
    label: str  # how the variant was chosen: "the best variant #7", "variant #3"...
    tasks: list[FailedTask]
    evaluated: int  # tasks the variant was evaluated on

    @property
    def heading(self) -> str:
        if not self.evaluated:
            return f"{self.label} was evaluated on no task"
        return f"failed tasks of {self.label}: {len(self.tasks)} of {self.evaluated}"


def variant_failures(archive: Archive, run: Run, variant_id: int | None = None) -> Failures | None:
    """The failed tasks of variant `variant_id` (which must be `run`'s), else of the run's best
    variant, else of its seed; None when the run has no variant (a synthesis run)."""
    from evoforge.evolution.evaluation import error_line

    if variant_id is not None:
        variant, label = archive.run_variant(run.id, variant_id), f"variant #{variant_id}"
    elif (best := archive.best_variant(run.id)) is not None:
        variant, label = best, f"the best variant #{best.id}"
    else:
        tree = archive.tree(run.id)  # ids only: no files
        if not tree:
            return None
        variant, label = archive.variant(tree[0].id), f"the seed #{tree[0].id} (no variant is scored)"
    evaluations = archive.evaluations(variant.id)
    failed = [FailedTask(e.task_id, e.split, e.score, error_line(e.error)) for e in evaluations if e.error is not None]
    return Failures(variant, label, failed, len(evaluations))


def print_failures(out: Console, failures: Failures, more_hint: str) -> None:
    """The first SHOWN failed tasks, one a line; `more_hint` says where the rest are."""
    lines = [failures.heading, *(f"  {t.task_id} ({t.split}, score {t.score:.2f}): {t.reason}" for t in failures.tasks[:SHOWN])]
    if len(failures.tasks) > SHOWN:
        lines.append(f"  ... and {len(failures.tasks) - SHOWN} more: {more_hint}")
    for line in lines:  # as written: a reason may hold [brackets], and a long one stays on its line
        out.print(line, markup=False, highlight=False, soft_wrap=True)


def markdown_failures(failures: Failures) -> list[str]:
    """Every failed task as the rows of a Markdown table, under a heading."""
    lines = [f"## {failures.heading[0].upper()}{failures.heading[1:]}", ""]
    if failures.tasks:
        lines += ["| task | split | score | reason |", "|---|---|---|---|"]
        lines += [f"| {_cell(t.task_id)} | {t.split} | {t.score:.2f} | {_cell(t.reason)} |" for t in failures.tasks]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
