"""The simulated customer: two scripted ones and a model-played one (the tau2 way).

Each answers `reply(dialogue)` after each agent message. A scripted user opens with who it is
and why it calls, then states its remaining instructions once, and answers a proposal (a
message asking for confirmation) yes or no. The *deterministic* user says yes to a proposal
that lists one of the task's reference writes, so its yes knows the reference; the *blind*
user answers from its instructions alone. Both are reproducible and cheap, but neither is the
tau2 user: their scores are not comparable with published tau2 numbers. The model user is
prompted with the task's instructions and speaks through a guarded call whose fallback ends
the conversation.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, Callable, Protocol

from evoforge.contracts import SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord
from evoforge.domains.airline.dialogue import REQUEST_WORDS, STOP, Dialogue, asks_confirmation, lists_write, proposed_tools
from evoforge.domains.airline.reference import reference_writes
from evoforge.models.base import ModelClient

YES = "Yes, please go ahead."
NO = "No, that is not what I want."
NOTHING_MORE = "I have told you everything I know. Can you help me with my request?"
TRANSFER_PHRASE = "TRANSFERRED TO A HUMAN AGENT"
MAX_USER_TURNS = 12
_RESERVATION_ID = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6}\b")
_FLIGHT_NUMBER = re.compile(r"HAT\d{3}")
_NEGATED = re.compile(r"\b(never|not|don't|won't)(\s+\w+){0,2}\s*$")  # "you will never change or cancel"


class User(Protocol):
    def reply(self, dialogue: Dialogue) -> str: ...

    def records(self) -> list[CallRecord]: ...


def instructions_text(scenario: dict[str, Any]) -> tuple[str, str]:
    """(opening, rest): who the user is and why they call; then the remaining instructions."""
    given = scenario.get("instructions") or {}
    opening = " ".join(filter(None, [given.get("known_info"), given.get("reason_for_call")]))
    return " ".join(opening.split()), " ".join((given.get("task_instructions") or "").split())


def asked_for(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` at least once without a negation just before it."""
    return any(not _NEGATED.search(text[max(0, m.start() - 30):m.start()]) for m in re.finditer(re.escape(word), text))


def reservation_ids(text: str) -> set[str]:
    """Six-character codes of letters and digits, leaving out flight numbers (HAT001)."""
    return {code for code in _RESERVATION_ID.findall(text) if not _FLIGHT_NUMBER.fullmatch(code)}


class ScriptedUser(ABC):
    """The conversation of a deterministic user: it opens with who it is and why it calls, states
    the rest of its instructions on its second turn, then has nothing more to add; it answers a
    proposal (a message asking for confirmation) yes or no, by `agrees`."""

    def __init__(self, scenario: dict[str, Any]):
        self.opening, self.rest = instructions_text(scenario)
        wanted = (self.opening + " " + self.rest).lower()
        self.requested = {tool for tool, words in REQUEST_WORDS.items() if any(asked_for(wanted, w) for w in words)}
        self.named = reservation_ids(self.opening + " " + self.rest)
        self.turns = 0

    @abstractmethod
    def agrees(self, message: str) -> bool: ...

    def reply(self, dialogue: Dialogue) -> str:
        message = dialogue.agent_messages()[-1] if dialogue.agent_messages() else ""
        self.turns += 1
        if self.turns > MAX_USER_TURNS or TRANSFER_PHRASE in message.upper():
            return STOP
        if self.turns == 1:
            return self.opening
        if asks_confirmation(message) and proposed_tools(message):
            return YES if self.agrees(message) else NO
        if self.turns == 2 and self.rest:
            return self.rest
        return NOTHING_MORE

    def records(self) -> list[CallRecord]:
        return []

    def _asked_for(self, message: str) -> bool:
        """Whether the message proposes a kind of action the instructions ask for."""
        return bool(self.requested & set(proposed_tools(message)))


class DeterministicUser(ScriptedUser):
    """Says yes to a proposal that lists one of the task's reference writes (what the user came
    for), or that proposes a kind of action its instructions ask for on reservations they name;
    no to any other proposal. The reference stays in the kernel: the agent hears only yes/no."""

    def __init__(self, scenario: dict[str, Any], reference_writes: tuple[dict[str, Any], ...] = ()):
        super().__init__(scenario)
        self.reference_writes = reference_writes

    def agrees(self, message: str) -> bool:
        if any(lists_write(message, w["tool"], w["arguments"]) for w in self.reference_writes):
            return True
        ids = reservation_ids(message)
        return self._asked_for(message) and bool(ids) and ids <= self.named


class BlindUser(ScriptedUser):
    """Knows only its instructions, never the reference: says yes to a proposal of a kind of
    action they ask for, on reservations they name (any, when they name none: such a user does
    not know its reservation ids); no to any other proposal."""

    def agrees(self, message: str) -> bool:
        return self._asked_for(message) and (not self.named or reservation_ids(message) <= self.named)


class ModelUser:
    """A model plays the customer from the task's instructions (contract `airline_user_turn`)."""

    def __init__(self, scenario: dict[str, Any], specs: SpecSet, model: ModelClient):
        opening, rest = instructions_text(scenario)
        self.instructions = (opening + "\n" + rest).strip()[:8000]
        self.contract, self.model = specs.get("airline_user_turn"), model
        self._records: list[CallRecord] = []
        self.turns = 0

    def reply(self, dialogue: Dialogue) -> str:
        self.turns += 1
        if self.turns > 2 * MAX_USER_TURNS:
            return STOP
        result = guarded_call(self.contract, {"instructions": self.instructions, "dialogue": dialogue.transcript()}, self.model)
        self._records.append(result.record)
        return result.output.strip()

    def records(self) -> list[CallRecord]:
        return list(self._records)


UserFactory = Callable[[dict[str, Any]], User]  # a tau2 task record -> the simulated user of that task
SCRIPTED_USERS: dict[str, UserFactory] = {
    "deterministic": lambda task: DeterministicUser(task["user_scenario"], reference_writes(task)),
    "blind": lambda task: BlindUser(task["user_scenario"]),
}
