"""`evoforge run` checks its whole configuration before anything starts: a bad setting fails
with one line, before an archive is opened, a run recorded or a progress bar drawn."""
from __future__ import annotations

import pytest

from evoforge.cli import main


@pytest.mark.parametrize("argv, message", [
    (["--domain", "nope"], "unknown domain 'nope' (available: airline, airline-cancellations, arithmetic"),
    (["--agent", "nope"], "no agent folder"),
    (["--specs", "no-such-file.toml"], "no-such-file.toml does not exist: check --specs"),
    (["--generations", "0"], "--generations and --parallel must be at least 1"),
])
def test_a_bad_run_configuration_fails_before_anything_starts(tmp_path, capsys, argv, message):
    db = tmp_path / "archive.sqlite"
    assert main(["run", *argv, "--db", str(db)]) == 2
    out = capsys.readouterr()
    assert message in out.err and len(out.err.strip().splitlines()) == 1
    assert out.out == ""  # no progress bar, no "run N in ..." line
    assert not db.exists()  # no run recorded, not even an archive created
