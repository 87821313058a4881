"""The conversation between agent and user, and the words that tie a write to what was said.

A write counts as *listed* in an agent message when the message carries one of the tool's
action words and every key value of the write (reservation id, flight numbers, first names,
amounts). The write guard asks that the message the user said yes to lists the write; the
deterministic user says yes only to messages that propose an action its instructions ask for.
Matching is by words, not meaning: that is the limit of this check (docs/airline.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

USER_SAID_LIMIT = 6000
# Words an agent's proposal must contain for each write, and words that show a user asked for it.
ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "book_reservation": ("book",),
    "cancel_reservation": ("cancel",),
    "update_reservation_flights": ("flight", "cabin"),
    "update_reservation_baggages": ("bag",),
    "update_reservation_passengers": ("passenger",),
    "send_certificate": ("certificate",),
}
REQUEST_WORDS: dict[str, tuple[str, ...]] = {
    "book_reservation": ("book", "fly from", "new reservation"),
    "cancel_reservation": ("cancel",),
    "update_reservation_flights": ("change", "modify", "upgrade", "downgrade", "switch", "move", "earlier", "later", "nonstop", "cabin"),
    "update_reservation_baggages": ("bag", "luggage", "suitcase"),
    "update_reservation_passengers": ("passenger", "name"),
    "send_certificate": ("compensat", "certificate", "voucher"),
}
STOP = "###STOP###"


@dataclass(frozen=True)
class Turn:
    role: Literal["agent", "user"]
    text: str


@dataclass
class Dialogue:
    turns: list[Turn] = field(default_factory=list)

    def say(self, role: Literal["agent", "user"], text: str) -> None:
        self.turns.append(Turn(role, text))

    def agent_messages(self) -> list[str]:
        return [t.text for t in self.turns if t.role == "agent"]

    def user_said(self) -> str:
        """Everything the user said, newest last, clipped from the front to a bounded length."""
        return "\n".join(t.text for t in self.turns if t.role == "user")[-USER_SAID_LIMIT:]

    def last_exchange(self) -> tuple[str, str] | None:
        """(agent message, user reply) when the newest turn is a user reply to an agent message."""
        if len(self.turns) >= 2 and self.turns[-1].role == "user" and self.turns[-2].role == "agent":
            return self.turns[-2].text, self.turns[-1].text
        return None

    def transcript(self, limit: int = 12000) -> str:
        return "\n".join(f"{t.role}: {t.text}" for t in self.turns)[-limit:]


def key_values(tool: str, args: dict[str, Any]) -> list[str]:
    """The values of a write that its confirmation message must state."""
    values: list[Any] = []
    if "reservation_id" in args:
        values.append(args["reservation_id"])
    values += [f.get("flight_number") for f in args.get("flights") or [] if isinstance(f, dict)]
    values += [p.get("first_name") for p in args.get("passengers") or [] if isinstance(p, dict)]
    if tool == "update_reservation_baggages":
        values.append(args.get("total_baggages"))
    if tool == "send_certificate":
        values.append(args.get("amount"))
    return [str(v) for v in values if v is not None]


def lists_write(message: str, tool: str, args: dict[str, Any]) -> bool:
    text = message.lower()
    return any(w in text for w in ACTION_WORDS.get(tool, ())) and all(v.lower() in text for v in key_values(tool, args))


def proposed_tools(message: str) -> list[str]:
    """The writes a message seems to propose: those whose action words it carries."""
    text = message.lower()
    return [tool for tool, words in ACTION_WORDS.items() if any(w in text for w in words)]


def asks_confirmation(message: str) -> bool:
    text = message.lower()
    return any(w in text for w in ("yes", "confirm", "proceed", "go ahead"))
