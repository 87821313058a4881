"""Benchmark: children per minute with the local executor, and with Ray on one and on two worker
nodes of a real local cluster, as ratios to the local executor measured in the same run; plus
Ray's per-task overhead in ms.

Two workloads, each a hyperagent whose meta agent copies its files (no model call) and whose task
agent either burns CPU (`cpu`: the machine's cores are the limit) or asks a slow OpenAI-protocol
server on 127.0.0.1 once per task (`io`: a hosted model's latency dominates, so parallel children
should scale near-linearly). Every configuration makes the same children from 2 driver threads
(as `--parallel 2` does) after one untimed round that lets each worker build its run context.
The cluster's head takes no children (0 CPUs); each worker node takes one at a time (1 CPU).

Run: .venv/bin/python bench/scale.py [--children N] [--cpu-s S] [--latency-s S]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from openai_server import Provider, answer

from evoforge.archive import open_archive
from evoforge.evolution.context import EvolutionContext
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.worker import ChildWork
from evoforge.runs.lifecycle import create_run
from evoforge.runs.services import RunServices
from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection

CLUSTER = ROOT / "scripts" / "ray-cluster.sh"
META = '''def improve(context):
    return {"files": dict(context["files"]), "summary": "an unchanged copy"}
'''
TASK_AGENTS = {
    "cpu": '''import time

def run(task):
    end = time.process_time() + {cpu_s}
    n = 0
    while time.process_time() < end:
        n += 1
    return 0
''',
    "io": '''from evoforge_channel import generate

def run(task):
    return generate("sum_of_two", a=1, b=2)
''',
}
MANIFEST = '''name = "bench-{kind}"
description = "benchmark agent"
[entry]
task = "task_agent:run"
meta = "meta_agent:improve"
[meta]
files = ["meta_agent.py"]
'''


def write_agent(folder: Path, kind: str, cpu_s: float) -> Path:
    folder.mkdir(parents=True)
    (folder / "agent.toml").write_text(MANIFEST.format(kind=kind))
    (folder / "meta_agent.py").write_text(META)
    (folder / "task_agent.py").write_text(TASK_AGENTS[kind].replace("{cpu_s}", str(cpu_s)))
    return folder


def children_per_minute(archive, config: EvolutionSettings, children: int) -> float:
    run_id = create_run(archive, config)
    ctx = EvolutionContext.build(run_id, EvolutionSettings.from_dict(archive.run(run_id).config), RunServices(archive))
    try:
        def work(index: int) -> ChildWork:
            return ChildWork(f"g1-s{index}", 1, 0, dict(ctx.worker.seed_files), None, [], index)

        def make(index: int) -> None:
            outcome = ctx.executor.run_child(work(index))
            if outcome.fields.get("error"):
                raise SystemExit(f"a child failed: {outcome.fields['error']}")

        with ThreadPoolExecutor(config.parallel) as pool:
            list(pool.map(make, range(config.parallel)))  # untimed: workers build their run context
            started = time.perf_counter()
            list(pool.map(make, range(children)))
            return 60 * children / (time.perf_counter() - started)
    finally:
        ctx.executor.close()


def task_overhead_ms(samples: int = 50) -> float:
    import ray

    @ray.remote(num_cpus=1)
    def noop() -> int:
        return 0

    ray.get(noop.remote())
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        ray.get(noop.remote())
        times.append(time.perf_counter() - started)
    return 1000 * median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--children", type=int, default=6, help="children timed per configuration")
    parser.add_argument("--cpu-s", type=float, default=0.3, help="CPU seconds per task of the cpu workload")
    parser.add_argument("--latency-s", type=float, default=0.4, help="the slow server's answer time")
    args = parser.parse_args()
    console = Console(highlight=False)
    work_dir = Path(tempfile.mkdtemp(prefix="evoforge-bench-scale-"))
    server = Provider(respond=lambda body: answer(20, 5, json.dumps({"result": 3})), hold_s=args.latency_s)
    models = work_dir / "models.toml"
    models.write_text(f'[models."openai/gpt-4o-mini"]\napi_base = "{server.base}"\n')
    # The workers' environment is the nodes' environment: the models file and a dummy key.
    os.environ.update(EVOFORGE_MODELS_CONFIG=str(models), OPENAI_API_KEY="sk-bench-dummy")
    archive = open_archive(work_dir / "archive.db")  # one machine: every node shares this folder
    agents = {kind: write_agent(work_dir / kind, kind, args.cpu_s) for kind in TASK_AGENTS}
    sizes = {"sizes": {"train": 4, "validation": 2, "test": 2}}

    def config(kind: str, **overrides) -> EvolutionSettings:
        return EvolutionSettings(domain=DomainSection("arithmetic", sizes), model=ModelSection("openai/gpt-4o-mini", cache=False),
                                 sandbox=SandboxSection("local"), generations=1, parallel=2, agent=str(agents[kind]), screen_tasks=2,
                                 **overrides)

    rates: dict[tuple[str, str], float] = {}
    for kind in TASK_AGENTS:
        rates[(kind, "local")] = children_per_minute(archive, config(kind), args.children)
    cluster = Path(tempfile.mkdtemp(prefix="efr-"))  # short: Ray's unix socket paths live under it
    address = subprocess.run([str(CLUSTER), "start", str(cluster), "2", "0"], check=True, capture_output=True, text=True).stdout.strip()
    try:
        import ray

        for nodes in (1, 2):
            if nodes == 2:
                subprocess.run([str(CLUSTER), "add", str(cluster)], check=True, capture_output=True)
                ray.shutdown()  # a fresh driver connection sees the new node's CPU at once
            for kind in TASK_AGENTS:
                rates[(kind, f"ray{nodes}")] = children_per_minute(archive, config(kind, executor="ray", ray_address=address), args.children)
        overhead = task_overhead_ms()
    finally:
        subprocess.run([str(CLUSTER), "stop", str(cluster)], check=False)
        server.close()
    table = Table("workload", "local (children/min)", "ray, 1 worker node", "ray, 2 worker nodes", "2 nodes / 1 node",
                  title=f"children per minute, ratios to the local executor ({args.children} children each)")
    for kind in TASK_AGENTS:
        local, one, two = (rates[(kind, k)] for k in ("local", "ray1", "ray2"))
        table.add_row(kind, f"{local:.1f}", f"{one:.1f} ({one / local:.2f}x)", f"{two:.1f} ({two / local:.2f}x)", f"{two / one:.2f}x")
    console.print(table)
    console.print(f"Ray per-task overhead (a no-op task's round trip, median of 50): {overhead:.1f} ms")


if __name__ == "__main__":
    main()
