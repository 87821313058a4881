"""Helpers shared by test modules (imported as `support`; pytest puts tests/ on sys.path)."""
from __future__ import annotations

import os

import pytest


def services_required() -> bool:
    """True in CI: a missing service must fail the tests that need it, not skip them."""
    return os.environ.get("EVOFORGE_REQUIRE_SERVICES") == "1"


def service_unavailable(reason: str) -> None:
    """Skip the current test because a service is missing, or fail it when services are required."""
    if services_required():
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)
