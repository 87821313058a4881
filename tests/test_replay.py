"""The replay model answers only what was recorded, and fails the test on anything else."""
from __future__ import annotations

import pytest
from replay_model import RECORD_SWITCH, ReplayModel, _key, _store

from evoforge.models.base import Message


def test_a_recorded_call_is_answered_and_an_unseen_one_fails_the_test(tmp_path, monkeypatch):
    monkeypatch.delenv(RECORD_SWITCH, raising=False)
    path = tmp_path / "models.json"
    asked = [Message("user", "What is 2 + 2?")]
    _store(path, _key(asked, None), {"contract": "c", "prompt": "What is 2 + 2?", "text": "4"})
    model = ReplayModel(path)
    assert model.complete(asked, contract="c").text == "4"
    model.assert_no_misses()
    model.complete([Message("user", "What is 2 + 3?")], contract="c")
    with pytest.raises(AssertionError, match=f"not in models.json; re-record with {RECORD_SWITCH}=1"):
        model.assert_no_misses()
