"""Benchmark: the embedded model's latency and speed, and the guard's own overhead.

Measured in one run:
- median latency and tokens/second of a short completion on local/smollm2;
- the gateway's own overhead: (completion latency - time inside llama.cpp) / time inside
  llama.cpp, i.e. what litellm and the gateway add around the embedded engine;
- the FGGM guard's overhead: (guarded call time - time inside the model) / time inside the
  model, over guarded calls of specs/arithmetic.toml's sum_of_two (goal: under 1%).

Run: .venv/bin/python bench/models.py [--calls N]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from statistics import median

from rich.console import Console
from rich.table import Table

from evoforge.contracts import guarded_call, load_specs
from evoforge.models import Message, resolve_model
from evoforge.models.embedded import ENGINE, threads

SPECS = Path(__file__).resolve().parent.parent / "specs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=8)
    args = parser.parse_args()
    model = resolve_model(None, max_tokens=32, temperature=0.0)
    model.complete([Message("user", "warm up")])  # loads the weights once

    latencies, speeds, gateway = [], [], []
    for i in range(args.calls):
        inside = ENGINE.busy_s
        completion = model.complete([Message("user", f"Name a colour. ({i})")])
        inside = ENGINE.busy_s - inside
        latencies.append(completion.latency_s)
        speeds.append(completion.completion_tokens / completion.latency_s)
        gateway.append((completion.latency_s - inside) / inside)

    contract = load_specs([SPECS / "arithmetic.toml"]).get("sum_of_two")
    overheads = []
    for i in range(args.calls):
        started = time.perf_counter()
        result = guarded_call(contract, {"a": 17 + i, "b": 25}, model)
        total = time.perf_counter() - started
        overheads.append((total - result.record.model_latency_s) / result.record.model_latency_s)

    table = Table("measure", "value", title=f"embedded model local/smollm2 ({threads()} llama.cpp thread(s))")
    table.add_row("median latency, short completion (≤32 tokens)", f"{median(latencies) * 1000:.0f} ms")
    table.add_row("median completion speed", f"{median(speeds):.1f} tokens/s")
    table.add_row("gateway + litellm overhead / llama.cpp time (median)", f"{median(gateway) * 100:.2f}%")
    table.add_row("guard overhead / model time (median)", f"{median(overheads) * 100:.3f}%")
    table.add_row("guard overhead / model time (worst)", f"{max(overheads) * 100:.3f}%")
    Console().print(table)


if __name__ == "__main__":
    main()
