"""The proof cache: an unchanged spec file is checked again without z3 and with the very outcome
a fresh proof gives; a changed file, a corrupt entry or `--no-cache` proves again."""
from __future__ import annotations

import os
import re
from pathlib import Path

from cli_probe import probe

from evoforge.contracts.spec_check import check_specs
from evoforge.contracts.proof_cache import ProofCache

SOUND = """
[contracts.half]
inputs = { x = "int" }
output = "int"
require = ["0 <= x <= 100"]
ensure = ["result <= x"]
prompt = "Half of {x}?"
fallback = "x - 1"
"""
UNSOUND = SOUND.replace('fallback = "x - 1"', 'fallback = "x + 1"')
SOLVER_SIDE = ["z3", "evoforge.contracts.proof", "evoforge.contracts.to_z3", "evoforge.contracts.ir"]


def check(spec: Path, cache: Path, *flags: str) -> tuple[int, str, set[str]]:
    return probe("specs", "check", str(spec), *flags, env={"EVOFORGE_CACHE_DIR": str(cache)})


def test_an_unchanged_file_is_checked_from_the_cache_without_z3(tmp_path):
    spec = tmp_path / "half.toml"
    spec.write_text(SOUND)
    code, out, modules = check(spec, tmp_path / "cache")
    assert code == 0 and "ms)" in out and "z3" in modules
    assert re.match(r"prover   loading z3 \([\d.]+ ms\)\n", out)  # part of proving, told apart from start-up (bench/cli.py)
    code, out, modules = check(spec, tmp_path / "cache")
    assert code == 0 and f"{spec}:2: half (cached)" in out and "1 of 1 contract(s) proven" in out and "loading z3" not in out
    assert [name for name in SOLVER_SIDE if name in modules] == []


def test_a_changed_file_is_proven_again(tmp_path):
    spec = tmp_path / "half.toml"
    spec.write_text(SOUND)
    assert check(spec, tmp_path / "cache")[0] == 0
    spec.write_text(UNSOUND)
    code, out, modules = check(spec, tmp_path / "cache")
    assert code == 1 and "rejected" in out and "unsound fallback" in out and "z3" in modules


def test_a_corrupt_entry_is_ignored_and_replaced(tmp_path):
    spec = tmp_path / "half.toml"
    spec.write_text(UNSOUND)
    assert check(spec, tmp_path / "cache")[0] == 1
    for entry in (tmp_path / "cache" / "proofs").glob("*.json"):
        entry.write_text('{"items": [{"contract": "half", "line": 2, "proof": {"proven": tr')  # cut short
    code, out, modules = check(spec, tmp_path / "cache")
    assert code == 1 and "unsound fallback" in out and "z3" in modules  # proven again, not trusted
    code, out, modules = check(spec, tmp_path / "cache")
    assert code == 1 and "unsound fallback" in out and "z3" not in modules  # the entry was rewritten


def test_no_cache_proves_again(tmp_path):
    spec = tmp_path / "half.toml"
    spec.write_text(SOUND)
    assert check(spec, tmp_path / "cache")[0] == 0
    code, out, modules = check(spec, tmp_path / "cache", "--no-cache")
    assert code == 0 and "(cached)" not in out and "z3" in modules and "prover   loading z3 (" in out


def test_a_cached_outcome_is_the_fresh_one_for_another_path_too(tmp_path):
    """Counterexample and reason come back as the solver gave them, told about the file checked."""
    cache = ProofCache(tmp_path / "cache")
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(UNSOUND)
    second.write_text(UNSOUND)
    fresh = check_specs([first], cache=cache).contracts["half"]
    cached = check_specs([second], cache=cache).contracts["half"]
    assert cached.cached and not fresh.cached and cached.file == str(second)
    assert (cached.proof.proven, cached.proof.reason, cached.proof.counterexample) == (False, fresh.proof.reason, fresh.proof.counterexample)
    assert fresh.proof.counterexample is not None


def test_the_key_covers_the_text_and_the_timeout(tmp_path):
    cache = ProofCache(tmp_path)
    assert cache.key(SOUND, 10_000) == cache.key(SOUND, 10_000)
    assert len({cache.key(SOUND, 10_000), cache.key(UNSOUND, 10_000), cache.key(SOUND, 5_000)}) == 3


def test_a_name_used_in_two_files_is_an_error_from_the_cache_too(tmp_path):
    """The duplicate check spans files, so it runs on cached outcomes as on fresh ones."""
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text(SOUND)
    for _ in ("proving", "from the cache"):
        code, out, _ = check(tmp_path, tmp_path / "cache")
        assert code == 1 and f"{tmp_path / 'b.toml'}:2: contract 'half': duplicate contract name (first defined at {tmp_path / 'a.toml'}:2)" in out


def test_an_entry_is_used_only_for_its_very_key(tmp_path):
    """Entries are named by a CRC of their key: an entry found under the name of another key
    (as a clash of CRCs would leave it) is a miss, never another file's outcome."""
    cache = ProofCache(tmp_path / "cache")
    spec = tmp_path / "half.toml"
    spec.write_text(UNSOUND)
    check_specs([spec], cache=cache)
    unsound_entry, sound_key = Path(cache.path(cache.key(UNSOUND, 10_000))), cache.key(SOUND, 10_000)
    assert cache.get(cache.key(UNSOUND, 10_000), str(spec)) is not None
    unsound_entry.rename(cache.path(sound_key))
    assert cache.get(sound_key, str(spec)) is None
    spec.write_text(SOUND)
    assert check_specs([spec], cache=cache).all_proven  # proven afresh, not the unsound file's outcome


def test_a_changed_prover_source_is_a_new_key(tmp_path, monkeypatch):
    """The key holds each prover source's modification time and size: a changed one proves again."""
    from evoforge.contracts import proof_cache

    before = ProofCache(tmp_path).key(SOUND, 10_000)
    source = Path(proof_cache.__file__).parent / "proof.py"
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        proof_cache._prover_state.cache_clear()
        assert ProofCache(tmp_path).key(SOUND, 10_000) != before
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        proof_cache._prover_state.cache_clear()
