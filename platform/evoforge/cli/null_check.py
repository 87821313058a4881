"""`evoforge run --compare-null`: the same run again with the null model (`null/fallback`, which
never answers, so every guarded call returns its verified fallback), and both side by side.

A gain the null run shows too did not come through the model: it came from the fallbacks, the
evaluator or luck in the split. What is left after subtracting it is what the model contributed.
"""
from __future__ import annotations

from dataclasses import replace

from rich.console import Console
from rich.table import Table

from evoforge.archive import Archive
from evoforge.runs.events import percent


def compare_with_null(console: Console, archive: Archive, run_id: int) -> int:
    """Run the null twin of `run_id` (same settings, seed and archive) and print the comparison."""
    from evoforge.evolution.settings import EvolutionSettings
    from evoforge.models.null import NULL_MODEL
    from evoforge.runs.lifecycle import create_run, execute_run
    from evoforge.runs.services import RunServices

    settings = EvolutionSettings.from_dict(archive.run(run_id).config)
    twin = create_run(archive, replace(settings, model=replace(settings.model, name=NULL_MODEL), agent_files={}))
    console.print(f"the same run with the null model ({NULL_MODEL}: every guarded call returns its fallback): run {twin}")
    execute_run(archive, twin, RunServices(archive))
    rows = [(settings.model.name or "local/smollm2", run_id), (NULL_MODEL, twin)]
    table = Table("model", "run", "seed test", "best test", "gain", "best validation", title="what the model contributed")
    gains = []
    for model, run in rows:
        seed, best = archive.variants(run)[0], archive.best_variant(run)
        seed_test, best_test = seed.scores.get("test", 0.0), (best or seed).scores.get("test", 0.0)
        gains.append(best_test - seed_test)
        table.add_row(model, str(run), percent(seed_test), percent(best_test), f"{100 * gains[-1]:+.0f} points",
                      percent(best.score if best else None))
    console.print(table)
    console.print(f"gain through the model (real gain minus null gain): {100 * (gains[0] - gains[1]):+.0f} points of test score "
                  "on this one seed; bench/evolution.py measures it over seeds 0-9 with intervals")
    return 0
