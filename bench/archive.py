"""Archive benchmark: insert N variants of a small program through the public API (one
transaction per variant, as the evolution loop does), then time the lineage queries.

    .venv/bin/python bench/archive.py [--variants 100000] [--backends sqlite,postgresql]

Reports the content-addressed blob store's size against storing every file of every variant,
and the median time of the whole-tree query and of the ancestor query of the deepest variant.
PostgreSQL runs in a scratch database made from $EVOFORGE_TEST_PG_URL (skipped if unset).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from evoforge.archive import Archive, open_archive
from evoforge.archive.tables import Blob

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the scratch-database helper
from scratch_db import scratch_database  # noqa: E402

console = Console()
AGENT = "".join(f"def step_{i}(state):\n    return state + {i}  # tuned\n\n" for i in range(40))
META = "".join(f"# strategy line {i}: mutate one function, keep the rest\n" for i in range(30))
PROMPT = "You improve agents. Change one thing at a time and explain why.\n" * 10


def program(seed: int, parent: dict[str, str] | None) -> dict[str, str]:
    """A child edits one line of one file of its parent, as a meta agent typically does."""
    if parent is None:
        return {"agent.py": AGENT, "meta.py": META, "prompts/meta.txt": PROMPT}
    rng = random.Random(seed)
    path = rng.choice(["agent.py", "agent.py", "meta.py"])
    lines = parent[path].splitlines(keepends=True)
    lines[rng.randrange(len(lines))] = f"# edit {seed}\n"
    return {**parent, path: "".join(lines)}


def fill(archive: Archive, count: int, progress: Progress) -> tuple[int, int, int]:
    """Adds `count` variants; returns (run id, deepest variant id, naive bytes)."""
    run = archive.create_run("bench", "none", name=f"bench {count}")
    rng = random.Random(0)
    recent: list[tuple[int, dict[str, str], int]] = []  # (id, files, depth), a sliding population
    deepest, naive = (0, -1), 0
    task = progress.add_task(f"{archive.engine.dialect.name}: inserting", total=count)
    for index in range(count):
        parent = rng.choice(recent) if recent else None
        files = program(index, parent[1] if parent else None)
        variant = archive.add_variant(run.id, files, parent_id=parent and parent[0], score=rng.random())
        depth = parent[2] + 1 if parent else 0
        recent = (recent + [(variant.id, files, depth)])[-50:]
        deepest = max(deepest, (depth, variant.id))
        naive += sum(len(text.encode()) for text in files.values())
        progress.advance(task)
    return run.id, deepest[1], naive


def median_seconds(query: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        query()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def scratch(backend: str) -> Iterator[str | None]:
    """A throwaway archive location for one backend (None: backend unavailable)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield os.path.join(folder, "bench.db")
        return
    base = os.environ.get("EVOFORGE_TEST_PG_URL")
    if not base:
        console.print("[yellow]PostgreSQL skipped: EVOFORGE_TEST_PG_URL is not set[/]")
        yield None
        return
    with scratch_database(base, prefix="evoforge_bench") as url:
        yield url


def storage_bytes(archive: Archive, url: str) -> tuple[int, int, int]:
    """(distinct file bytes, their compressed bytes, the whole database on disk)."""
    with archive.engine.connect() as connection:
        distinct, compressed = connection.execute(
            sa.select(sa.func.sum(Blob.size), sa.func.sum(sa.func.length(Blob.data)))).one()
        if archive.engine.dialect.name == "postgresql":
            on_disk = connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        else:
            on_disk = sum(os.path.getsize(p) for p in (url, url + "-wal") if os.path.exists(p))
    return int(distinct), int(compressed), int(on_disk)


def bench(backend: str, count: int, progress: Progress) -> dict[str, str] | None:
    with scratch(backend) as url:
        if url is None:
            return None
        with open_archive(url) as archive:
            start = time.perf_counter()
            run_id, deepest, naive = fill(archive, count, progress)
            insert_s = time.perf_counter() - start
            distinct, compressed, on_disk = storage_bytes(archive, url)
            depth = len(archive.ancestors(deepest))
            tree_s = median_seconds(lambda: archive.tree(run_id))
            ancestors_s = median_seconds(lambda: archive.ancestors(deepest))
            best_s = median_seconds(lambda: archive.path_to_best(run_id))
    mib = 1024 * 1024
    return {
        "backend": backend, "variants": f"{count:,}", "insert": f"{insert_s:.0f} s ({count / insert_s:,.0f}/s)",
        "naive files": f"{naive / mib:,.1f} MiB", "blob store": f"{distinct / mib:,.2f} MiB ({compressed / mib:,.2f} MiB zlib)",
        "database": f"{on_disk / mib:,.1f} MiB", "tree query": f"{tree_s * 1000:,.0f} ms",
        f"ancestors (depth {depth})": f"{ancestors_s * 1000:,.1f} ms", "path to best": f"{best_s * 1000:,.1f} ms",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=100_000, help="how many variants to insert (default 100000)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    args = parser.parse_args()
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console) as progress:
        results = [r for b in args.backends.split(",") if (r := bench(b.strip(), args.variants, progress))]
    table = Table(title="archive benchmark")
    table.add_column("")
    for result in results:
        table.add_column(result["backend"], justify="right")
    for key in list(results[0])[1:] if results else []:
        table.add_row(key, *[list(r.values())[list(results[0]).index(key)] for r in results])
    console.print(table)


if __name__ == "__main__":
    main()
