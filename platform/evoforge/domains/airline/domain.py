"""The tau2-bench airline domain: customer-service conversations with tools in the kernel.

Splits come from the wheel's `split_tasks.json`: test (20 tasks) is held out; validation is
carved reproducibly from train (30 tasks) by the seed; the rest of train is for the meta agent.
An agent sees the policy and the tool descriptions; the user's instructions and the reference
actions stay in the kernel. Tasks are scored from their session (`evaluate_session`).

The domain `uses_model`: in a run, each episode is opened with the variant's client from the
run's model factory, which then reads the dialogue for the write guard (and plays the user
when `user_model` is "run"). Outside a run (benches, tests) the `model` option serves instead.
A `user_model` naming another model is the environment, like tau2's user simulator: resolved
here, outside the run's budget and cache; its guarded calls are still archived. Without a
`user_model`, the `user` option picks the scripted user: "deterministic" (its yes knows the
task's reference writes) or "blind" (it knows only the task's user instructions).
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from evoforge.contracts import SpecSet, load_specs
from evoforge.domains.airline import data
from evoforge.domains.airline.evaluate import Outcome, score_session
from evoforge.domains.airline.guard import WriteGuard
from evoforge.domains.airline.reference import task_record
from evoforge.domains.airline.session import AirlineSession
from evoforge.domains.airline.toolbox import describe
from evoforge.domains.airline.users import SCRIPTED_USERS, ModelUser, User
from evoforge.domains.base import Score, Task
from evoforge.errors import EvoforgeError
from evoforge.models.base import ModelClient
from evoforge.paths import SPECS_DIR
from evoforge.splits import SPLITS, Split

SPEC_FILE = "airline.toml"
RUN_MODEL = "run"  # user_model="run": the run's own model plays the user
DEFAULT_USER = "deterministic"


class AirlineDomain:
    name = "airline"
    description = "Serve airline customers with tools under the policy; scored DB x COMMUNICATE as tau2 does."
    input_schema = {"policy": "str", "tools": "list"}
    uses_model = True  # its episodes read the dialogue (and may play the user) with the run's model

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None, validation: int = 6,
                 guarded: bool = True, model: ModelClient | str | None = None, user_model: str | None = None,
                 max_calls: int = 80, specs: SpecSet | None = None, user: str = DEFAULT_USER):
        if user not in SCRIPTED_USERS:
            raise EvoforgeError(f"airline: user must be one of {', '.join(SCRIPTED_USERS)}, not {user!r}")
        if user != DEFAULT_USER and user_model is not None:
            raise EvoforgeError(f"airline: give user={user!r} (a scripted user) or user_model (a model plays the user), not both")
        self.seed, self.guarded, self.max_calls, self.user = seed, guarded, max_calls, user
        self._model, self._user_model_name = model, user_model
        self._user_model: ModelClient | None = None
        self._specs = specs
        splits = data.raw_splits()
        train = list(splits["train"])
        held = set(random.Random(f"airline:{seed}").sample(train, min(validation, len(train))))
        ids = {"train": [t for t in train if t not in held], "validation": [t for t in train if t in held], "test": list(splits["test"])}
        inputs = {"policy": data.policy(), "tools": describe()}
        self._tasks = {
            split: [Task(f"airline-{i}", split, inputs) for i in ids[split][: (sizes or {}).get(split, len(ids[split]))]]
            for split in SPLITS
        }

    def tasks(self, split: Split) -> list[Task]:
        return list(self._tasks[split])

    def contract_files(self) -> list[Path]:
        return [SPECS_DIR / SPEC_FILE]

    @property
    def specs(self) -> SpecSet:
        if self._specs is None:
            self._specs = load_specs([SPECS_DIR / SPEC_FILE])
        return self._specs

    def _resolve(self, model: ModelClient | str | None) -> ModelClient:
        if model is None or isinstance(model, str):
            from evoforge.models import resolve_model  # imports litellm: only when a model is needed

            return resolve_model(model)
        return model

    def open_session(self, task: Task, model: ModelClient | None = None) -> AirlineSession:
        """A fresh conversation; `model` (the run's client) reads the dialogue, else the `model` option."""
        record = task_record(_raw_id(task))
        needs_model = self.guarded or self._user_model_name == RUN_MODEL
        if model is None and needs_model:
            model = self._model = self._resolve(self._model)
        guard = WriteGuard(self.specs, model) if self.guarded and model is not None else None
        return AirlineSession(self._user(record, model), guard, self.max_calls)

    def _user(self, record: dict[str, Any], model: ModelClient | None) -> User:
        if self._user_model_name is None:
            return SCRIPTED_USERS[self.user](record)
        if self._user_model_name == RUN_MODEL:  # open_session resolved a model for it
            return ModelUser(record["user_scenario"], self.specs, model)
        if self._user_model is None:
            self._user_model = self._resolve(self._user_model_name)
        return ModelUser(record["user_scenario"], self.specs, self._user_model)

    def evaluate_session(self, task: Task, answer: Any, session: AirlineSession) -> Score:
        outcome = self.outcome(task, answer, session)
        return Score(outcome.reward, outcome.detail, outcome.counts)

    def outcome(self, task: Task, answer: Any, session: AirlineSession) -> Outcome:
        """The reward with its counts: writes, the oracle's unsafe and unconfirmed writes, blocked writes."""
        return score_session(_raw_id(task), answer, session)

    def evaluate(self, task: Task, answer: Any) -> Score:
        return Score(0.0, "an airline task is scored from its tool session, and none was given (run it with open_session)")


def _raw_id(task: Task) -> str:
    return task.id.removeprefix("airline-")
