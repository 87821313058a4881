"""Where an evolution run's children are made, chosen by `EvolutionSettings.executor`: `local`
(the default) in the driver's process, `ray` as tasks on a Ray cluster (docs/scale.md). Either
way the driver keeps the graph, selection and archive writes (base.py says what an executor is).

Each entry is a "module:name" reference to a class with `connect(settings, worker, run)`, so
that checking a run's settings imports no executor, and ray only a run that chooses it. A new
engine is one module here and one line below.
"""
from __future__ import annotations

EXECUTORS: dict[str, str] = {
    "local": "evoforge.evolution.executors.base:LocalExecutor",
    "ray": "evoforge.evolution.executors.ray_executor:RayExecutor",  # ray is the `scale` extra, and slow to import
}
