"""The deployment files: docker-compose.yml is valid for Compose (checked by Debian's
docker-compose, or `docker compose`) and runs what docs/scale.md says it runs, from the
project's own Dockerfile. Building the image needs the internet (a base image, PyPI), so it is
not done here."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support import service_unavailable

ROOT = Path(__file__).resolve().parents[1]


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode == 0:
        return ["docker", "compose"]
    service_unavailable("neither docker-compose nor `docker compose` is installed (see .ci/services/00-apt.sh)")
    return []


@pytest.fixture(scope="module")
def resolved() -> dict:
    done = subprocess.run([*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_runs_the_archive_a_ray_head_scalable_workers_and_the_ui(resolved):
    services = resolved["services"]
    assert set(services) == {"archive", "head", "worker", "ui"}
    for role in ("head", "worker", "ui"):
        service = services[role]
        assert service["build"]["context"] == str(ROOT) and service["image"] == "evoforge:latest"
        assert service["environment"]["EVOFORGE_DB"].startswith("postgresql://") and "@" in service["environment"]["EVOFORGE_DB"]
        assert ":evoforge@" not in service["environment"]["EVOFORGE_DB"], "the password belongs in PGPASSWORD"
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]  # so --scale worker=N works
    assert services["worker"]["command"][:4] == ["ray", "start", "--address", "head:6379"]
    assert services["head"]["command"][:3] == ["ray", "start", "--head"]
    assert services["ui"]["command"][:2] == ["evoforge", "ui"]


def test_the_dockerfile_copies_only_files_the_project_has():
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which the project lacks"
