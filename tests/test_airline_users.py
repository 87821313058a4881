"""The scripted users: the blind one answers from the task's user instructions alone (built from
a task whose reference is removed or poisoned, it says exactly the same), the deterministic
one's yes knows the reference; the domain's `user` option picks one."""
from __future__ import annotations

import pytest

from airline_support import proposal
from evoforge.domains import get_domain
from evoforge.domains.airline.data import raw_tasks
from evoforge.domains.airline.dialogue import Dialogue
from evoforge.domains.airline.reference import reference_writes, task_record
from evoforge.domains.airline.schema import load_db
from evoforge.domains.airline.users import NO, SCRIPTED_USERS, YES, BlindUser, DeterministicUser
from evoforge.errors import EvoforgeError


def replies(user, messages):
    dialogue, said = Dialogue(), []
    for message in messages:
        dialogue.say("agent", message)
        said.append(user.reply(dialogue))
        dialogue.say("user", said[-1])
    return said


def poisoned(task, actions):
    return {**task, "evaluation_criteria": {"actions": actions, "communicate_info": ["poison"], "nl_assertions": ["poison"]}}


def test_the_blind_user_says_the_same_whatever_the_reference_says():
    db, changed = load_db(), 0
    for task in raw_tasks():
        owner = next(u for u in db.users if u in str(task["user_scenario"]))
        poison = [{"name": "cancel_reservation", "arguments": {"reservation_id": r}} for r in db.users[owner].reservations]
        writes = [*reference_writes(task), *reference_writes(poisoned(task, poison))][:10]
        script = ["Hi! How can I help you today?", "Is there anything else?", *(proposal(w["tool"], w["arguments"]) for w in writes)]
        without = {k: v for k, v in task.items() if k != "evaluation_criteria"}
        heard = replies(SCRIPTED_USERS["blind"](task), script)
        assert replies(SCRIPTED_USERS["blind"](without), script) == heard, task["id"]
        assert replies(SCRIPTED_USERS["blind"](poisoned(task, poison)), script) == heard, task["id"]
        # The same check tells the deterministic user apart: its yes follows the reference.
        changed += replies(SCRIPTED_USERS["deterministic"](poisoned(task, poison)), script) != replies(SCRIPTED_USERS["deterministic"](task), script)
        with pytest.raises(KeyError):
            SCRIPTED_USERS["deterministic"](without)
    assert changed == len(raw_tasks())


def test_the_blind_user_agrees_to_what_its_instructions_ask_on_the_reservations_they_name():
    def answer(user, message):
        return replies(user, ["Hi!", "Anything else?", message])[-1]

    named = BlindUser(task_record("37")["user_scenario"])  # cancel IFOYYZ and NQNU5R, upgrade M20IZO
    assert answer(named, proposal("cancel_reservation", {"reservation_id": "NQNU5R"})) == YES
    assert answer(named, proposal("cancel_reservation", {"reservation_id": "N6F783"})) == NO  # not one it named
    assert answer(named, proposal("update_reservation_baggages", {"reservation_id": "M20IZO", "total_baggages": 1})) == NO
    unnamed = task_record("39")  # "cancel all of your upcoming flights", ids unknown
    blind, knowing = BlindUser(unnamed["user_scenario"]), DeterministicUser(unnamed["user_scenario"], reference_writes(unnamed))
    for reservation_id, in_reference in (("8C8K4E", True), ("4XGCCM", False)):
        message = proposal("cancel_reservation", {"reservation_id": reservation_id})
        assert answer(blind, message) == YES
        assert answer(knowing, message) == (YES if in_reference else NO)


def test_the_domain_option_user_picks_the_scripted_user_in_one_line_errors():
    task = get_domain("airline", guarded=False).tasks("test")[0]
    assert isinstance(get_domain("airline", guarded=False, user="blind").open_session(task).user, BlindUser)
    assert isinstance(get_domain("airline", guarded=False).open_session(task).user, DeterministicUser)
    with pytest.raises(EvoforgeError, match=r"^airline: user must be one of deterministic, blind, not 'oracle'$"):
        get_domain("airline", user="oracle")
    with pytest.raises(EvoforgeError, match="not both"):
        get_domain("airline", user="blind", user_model="run")
