"""The seed airline agent: a tool-using loop that reads the facts, decides, proposes writes and
talks to the customer. Every model call is `generate(contract, ...)` (guarded by the kernel);
every tool, the customer included (`send_message_to_user`), is `call_tool(name, ...)`.

The loop: greet, learn the user id, read the profile and reservations, ask the model what the
customer wants (contract `airline_intent`), then, for a cancellation, list the action and ask
for an explicit yes before calling the write. The kernel decides whether a write may happen;
a refusal comes back as the tool's error and is passed on to the customer.
Behaviour is steered by params.json["task"].
"""
import json
import re

from evoforge_channel import call_tool, generate

STOP = "###STOP###"
USER_ID = re.compile(r"\b[a-z]+_[a-z]+_\d+\b")
RESERVATION_ID = re.compile(r"\b[A-Z0-9]{6}\b")
TRANSFER_MESSAGE = "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."


def tool(name, **arguments):
    """(result, None) or (None, the kernel's reason) when the tool refused."""
    try:
        return call_tool(name, **arguments), None
    except Exception as error:  # the channel's error: bad arguments, not found, refused by policy
        return None, str(error)


class Conversation:
    def __init__(self):
        self.heard = []
        self.over = False

    def say(self, text):
        """Send a message; the customer's reply ('' once the conversation is over)."""
        if self.over:
            return ""
        reply, _ = tool("send_message_to_user", text=text)
        if not reply or reply == STOP:
            self.over = True
            return ""
        self.heard.append(reply)
        return reply

    def everything(self):
        return "\n".join(self.heard)


def learn_user(conversation, settings):
    for _ in range(settings["ask_attempts"]):
        found = USER_ID.findall(conversation.everything())
        if found:
            profile, _ = tool("get_user_details", user_id=found[0])
            if profile:
                return profile
        if not conversation.say(settings["ask_user_id"]):
            return None
    return None


def targets(conversation, profile):
    """Reservations the customer named, else all of theirs."""
    own = profile.get("reservations", [])
    named = [r for r in RESERVATION_ID.findall(conversation.everything()) if r in own]
    return named or own


def cancel(conversation, reservations, settings):
    said_no = 0
    for reservation_id in reservations[: settings["max_targets"]]:
        details, _ = tool("get_reservation_details", reservation_id=reservation_id)
        if not details or details.get("status") == "cancelled":
            continue
        legs = ", ".join(f"{f['flight_number']} on {f['date']}" for f in details.get("flights", []))
        reply = conversation.say(settings["confirm_cancel"].format(reservation_id=reservation_id, legs=legs))
        if not reply.lower().startswith("yes"):
            said_no += 1
            continue
        _, refused = tool("cancel_reservation", reservation_id=reservation_id)
        if refused:
            conversation.say(settings["explain_refusal"].format(reason=refused[:300]))
        else:
            conversation.say(f"Reservation {reservation_id} is cancelled; the refund goes to the original payment methods in 5 to 7 business days.")
    return said_no


def hand_over(conversation, summary, settings):
    if settings["unhandled"] == "transfer":
        tool("transfer_to_human_agents", summary=summary[:500])
        conversation.say(TRANSFER_MESSAGE)
    else:
        conversation.say(settings["apology"])


def solve(settings):
    conversation = Conversation()
    conversation.say(settings["greeting"])
    profile = learn_user(conversation, settings)
    if profile is None:
        hand_over(conversation, "could not identify the user", settings)
        return "no user identified"
    if settings["ask_details"]:
        conversation.say(settings["ask_details"])
    intent = generate("airline_intent", request=conversation.everything()[-4000:])
    if intent == "cancel":
        cancel(conversation, targets(conversation, profile), settings)
        conversation.say(settings["closing"])
        return "handled a cancellation request"
    hand_over(conversation, f"user {profile.get('user_id')} wants: {intent}. " + conversation.everything()[:300], settings)
    return f"handed over ({intent})"


def run(task):
    """Entry point for the kernel: serve one customer with this program's own parameters."""
    with open("params.json") as handle:
        return solve(json.load(handle)["task"])
