"""Helpers for the scale tests: the real Ray cluster .ci/services/30-ray.sh started (its address
in EVOFORGE_TEST_RAY_ADDRESS), a scratch PostgreSQL archive, run settings for short runs."""
from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from support import service_unavailable

from evoforge.evolution.settings import EvolutionSettings
from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection

SMALL = {"sizes": {"train": 2, "validation": 2, "test": 2}}


def cluster_address() -> str:
    address = os.environ.get("EVOFORGE_TEST_RAY_ADDRESS")
    if not address:
        service_unavailable("EVOFORGE_TEST_RAY_ADDRESS is not set (see .ci/services/30-ray.sh)")
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError:
        service_unavailable(f"no Ray cluster answers at {address}")
    return address


@pytest.fixture
def ray_address() -> str:
    return cluster_address()


@pytest.fixture
def pg_url() -> Iterator[str]:
    from scratch_db import scratch_database

    base = os.environ.get("EVOFORGE_TEST_PG_URL")
    if not base:
        service_unavailable("EVOFORGE_TEST_PG_URL is not set (see .ci/services/20-postgres.sh)")
    with scratch_database(base, prefix="evoforge_scale") as url:
        yield url


def cluster_config(address: str, model: str | None = None, spec_files: tuple[str, ...] = ()) -> EvolutionSettings:
    return EvolutionSettings(domain=DomainSection("arithmetic", SMALL, list(spec_files)), model=ModelSection(model),
                             sandbox=SandboxSection("local", 60.0), generations=1, parallel=2, screen_tasks=2,
                             executor="ray", ray_address=address)
