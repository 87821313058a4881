"""Test-wide settings and fixtures. Area-specific fixtures live in their test modules or in support.py."""
import os
import tempfile

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# Remembered proofs (contracts/proof_cache.py) and listings (lookup_cache.py) go to a folder of this test session, never the user's.
os.environ["EVOFORGE_CACHE_DIR"] = tempfile.mkdtemp(prefix="evoforge-test-cache-")

pytest_plugins = ["scale_support"]  # the Ray cluster and scratch PostgreSQL fixtures of tests/test_scale_*.py


@pytest.fixture
def replayed():
    """The recorded embedded model (replay_model.py); the test fails on any call not recorded."""
    from replay_model import ReplayModel

    model = ReplayModel()
    yield model
    model.assert_no_misses()
