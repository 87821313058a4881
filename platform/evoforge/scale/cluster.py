"""Connecting to a Ray cluster, and checking that a SQLite archive is one every node can reach."""
from __future__ import annotations

import logging
import os
import socket
import uuid
from pathlib import Path

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from evoforge.errors import EvoforgeError

PROBE_TIMEOUT_S = 5.0
_connected_to: list[str] = []  # the address this process joined (Ray allows one cluster per process)


def connect(address: str | None) -> None:
    """Joins the cluster at `address` (HOST:PORT of its head, or ray://HOST:PORT), once per process."""
    address = address or os.environ.get("RAY_ADDRESS")
    if not address:
        raise EvoforgeError("--executor ray needs the cluster's address: --ray-address HOST:PORT "
                            "(start a cluster with `ray start --head`; it prints the address)")
    if ray.is_initialized():
        if _connected_to and _connected_to[0] != address:
            raise EvoforgeError(f"this process already works with the Ray cluster at {_connected_to[0]}, not {address}: "
                                "run the other run from another process")
        return
    unreachable = (f"no Ray cluster answers at {address}: start one with `ray start --head --port PORT` "
                   "(and `ray start --address HEAD:PORT` on each worker node), or fix --ray-address")
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:  # a quick probe first: ray.init takes a minute to give up on an address nobody serves
        socket.create_connection((host, int(port)), timeout=PROBE_TIMEOUT_S).close()
    except (OSError, ValueError):
        raise EvoforgeError(unreachable) from None
    try:
        ray.init(address=address, namespace="evoforge", logging_level=logging.WARNING, log_to_driver=False)
    except (ConnectionError, RuntimeError, TimeoutError, ValueError) as error:  # e.g. a Ray version mismatch
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise EvoforgeError(f"{unreachable} ({type(error).__name__}: {detail})") from None
    _connected_to.append(address)


@ray.remote(num_cpus=0)
def _read(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


def check_shared_file(database: str) -> None:
    """Refuse a SQLite archive unless every live node reads the same folder (a probe file is
    written beside the archive and read back on each node)."""
    folder = Path(database).parent
    token = uuid.uuid4().hex
    probe = folder / f".evoforge-shared-probe-{token}"
    probe.write_text(token)
    try:
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        reads = [_read.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote(str(probe))
                 for n in nodes]
        blind = [n["NodeManagerAddress"] for n, text in zip(nodes, ray.get(reads)) if text != token]
    finally:
        probe.unlink(missing_ok=True)
    if blind:
        raise EvoforgeError(f"with --executor ray the archive must be PostgreSQL (--db postgresql://USER@HOST/DB), or a SQLite "
                            f"file on a path every node shares: node(s) {', '.join(blind)} cannot read {folder}")
