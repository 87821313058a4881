"""A whole airline conversation: greet, learn who the customer is, find the reservation they
name, hear what they want; for a cancellation, say what will be done, ask for a yes, then
cancel; anything else goes to a human agent.

The synthesizer's starting point for task `airline_conversation` (specs/airline.toml): the
seed airline agent's flow (agents/airline) in the program language. It knows no policy: it
cancels whenever the facts say the customer confirmed, so the verifier refutes it until
the search has guarded the write (CEGIS). The messages and the number of times it asks are
parameters the learner tunes.
"""
ASK_TURNS = param_int(0, 3, default=2)
GREETING = param_choice("Hi! How can I help you today?", "Hello, thank you for calling. What can I do for you?")
ASK_USER_ID = param_choice("Could you tell me your user id, please?", "To find your booking I need your user id. What is it?")
ASK_RESERVATION = param_choice("Which reservation is it about? Please give me its id.", "Could you tell me the reservation id, please?")


def solve():
    said = tool("send_message_to_user", text=GREETING)
    user_id = ""
    if len(said) <= 6000:
        user_id = call("airline_user_id", said=said)
    for attempt in range(ASK_TURNS):
        if user_id == "":
            reply = tool("send_message_to_user", text=ASK_USER_ID)
            said = said + "\n" + reply
            if len(said) <= 6000:
                user_id = call("airline_user_id", said=said)
    if user_id == "":
        handed = tool("transfer_to_human_agents", summary="the customer gave no user id")
        last = tool("send_message_to_user", text="YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.")
        return "handed over: no user id"
    profile = tool("get_user_details", user_id=user_id)
    reservation_id = ""
    if len(said) <= 6000:
        reservation_id = call("airline_reservation_id", said=said)
    if reservation_id == "":
        reply = tool("send_message_to_user", text=ASK_RESERVATION)
        said = said + "\n" + reply
        if len(said) <= 6000:
            reservation_id = call("airline_reservation_id", said=said)
    wants_cancel = False
    if len(said) <= 4000:
        intent = call("airline_intent", request=said)
        wants_cancel = intent == "cancel"
    if not wants_cancel or reservation_id == "" or reservation_id not in profile.reservations:
        handed = tool("transfer_to_human_agents", summary="user " + user_id + " asked for something other than cancelling a reservation they named")
        last = tool("send_message_to_user", text="YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.")
        return "handed over"
    answer = tool("send_message_to_user", text="I can cancel reservation " + reservation_id + " for you. Do you want me to cancel it? Please answer yes or no.")
    facts = tool("facts_cancel_reservation", reservation_id=reservation_id)
    if facts.confirmed:
        cancelled = tool("cancel_reservation", reservation_id=reservation_id, facts=facts)
        last = tool("send_message_to_user", text="Reservation " + reservation_id + " is cancelled; the refund goes to the original payment methods in 5 to 7 business days.")
        return "cancelled " + reservation_id
    last = tool("send_message_to_user", text="I have not cancelled reservation " + reservation_id + ". Is there anything else I can help you with?")
    return "not cancelled"
