"""Test-wide settings. Area-specific fixtures live in their test modules or in support.py."""
import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


import pytest  # noqa: E402


@pytest.fixture
def replayed():
    """The recorded embedded model (replay_model.py); the test fails on any call not recorded."""
    from replay_model import ReplayModel

    model = ReplayModel()
    yield model
    model.assert_no_misses()
