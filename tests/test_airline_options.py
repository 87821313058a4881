"""Domain options from `evoforge run` flags: `--user-model` reaches the airline domain, and a
flag meant for another domain is refused in one line before any run is created."""
from __future__ import annotations

import pytest

from evoforge.cli import main
from evoforge.domains.registry import check_options, get_domain
from evoforge.errors import EvoforgeError


def test_user_model_is_an_airline_option_and_no_option_of_humaneval():
    check_options("airline", {"user_model": "run", "sizes": {"train": 1}})
    with pytest.raises(EvoforgeError, match=r"domain 'humaneval' takes no option user_model \(it takes: seed, sizes\)"):
        check_options("humaneval", {"user_model": "run"})
    with pytest.raises(EvoforgeError, match="takes no option colour"):
        get_domain("airline", colour="blue")


def test_evoforge_run_refuses_a_user_model_for_a_domain_without_a_user(tmp_path, capsys):
    db = tmp_path / "archive.db"
    code = main(["run", "--domain", "arithmetic", "--user-model", "run", "--db", str(db), "--sandbox", "local"])
    err = capsys.readouterr().err
    assert code == 2 and "domain 'arithmetic' takes no option user_model" in " ".join(err.split())
    assert not db.exists()  # refused before an archive was opened


def test_the_user_model_run_plays_the_user_with_the_client_the_episode_is_given():
    from airline_hostile import PermissiveModel

    domain = get_domain("airline", user_model="run", guarded=False)
    task = domain.tasks("train")[0]
    session = domain.open_session(task, model=PermissiveModel())
    reply = session.call("send_message_to_user", {"text": "Hi! How can I help you today?"})
    assert reply == {"result": '{"result": "proceed"}'}  # the permissive model's text, spoken by the user
    (record,) = session.guarded_calls()
    assert record.contract == "airline_user_turn" and record.model == "test/permissive"
    assert all("tool" in call for call in session.records())
