"""A deterministic model for tests of the guard and the loop. A test fixture, never a default."""
from __future__ import annotations

from typing import Callable, Iterable

from evoforge.models.base import Completion, Message, ModelError, Sampling

Reply = str | Exception


class ScriptedModel:
    """Answers with `replies` in order (the last one repeats), or with `respond(messages)`.

    A reply that is an exception is raised instead, to simulate provider failures.
    """

    name = "test/scripted"

    def __init__(self, replies: Iterable[Reply] = (), respond: Callable[[list[Message]], Reply] | None = None):
        self.replies = list(replies)
        self.respond = respond
        self.calls: list[list[Message]] = []
        self.samplings: list[Sampling | None] = []

    def complete(self, messages: list[Message], *, contract: str | None = None, sampling: Sampling | None = None) -> Completion:
        self.calls.append(list(messages))
        self.samplings.append(sampling)
        if self.respond is not None:
            reply = self.respond(messages)
        else:
            reply = self.replies[min(len(self.calls), len(self.replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        prompt_tokens = sum(len(m.content) for m in messages) // 4
        return Completion(text=reply, model=self.name, prompt_tokens=prompt_tokens, completion_tokens=len(reply) // 4)


def failing(message: str = "provider unreachable") -> ModelError:
    return ModelError(message)
