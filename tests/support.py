"""Helpers shared by test modules (imported as `support`; pytest puts tests/ on sys.path)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from evoforge.contracts import SpecSet, load_specs


def services_required() -> bool:
    """True in CI: a missing service must fail the tests that need it, not skip them."""
    return os.environ.get("EVOFORGE_REQUIRE_SERVICES") == "1"


def service_unavailable(reason: str) -> None:
    """Skip the current test because a service is missing, or fail it when services are required."""
    if services_required():
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


# A real contract held exactly: its answers and its fallback lie just below `price`, closer than
# a float can tell apart, so any rounding on the way to the agent would break it.
PRICE_SPEC = '''
[contracts.below_price]
inputs = { price = "real" }
output = "real"
require = ["0 < price", "price < 1000"]
ensure = ["result < price"]
prompt = "A price just below {price}? JSON {{\\"result\\": x}}"
attempts = 1
fallback = "price - 1/100000000000000000000"
'''


def price_specs(folder: Path) -> SpecSet:
    """The loaded, proven `below_price` contract (written to `folder`)."""
    spec = folder / "price.toml"
    spec.write_text(PRICE_SPEC)
    specs = load_specs([spec])
    assert specs.all_proven, specs.problems
    return specs
