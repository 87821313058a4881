"""Learn: tune a verified program's parameters on train tasks, choose by validation.

The proof covers every parameter value within the declared bounds, so no trial is re-proven:
each trial's record says so (`reproved = False`, the proof's id). The objective is SEVerA's:
task loss, plus a conformance term (the guard's fallback and rejection rates, the "local
loss"), plus cost (model tokens per task).

`OptunaLearner` keeps its study in an SQLAlchemy database (evoforge's archive URL), so a
resumed run continues the same study. Weight learning (GRPO with LoRA) is a later `Learner`
at this same seam: it would return tuned model weights alongside parameter values, and needs
no re-proof either, since a model enters the proof only through its contracts.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

import optuna

from evoforge.contracts.types import BoolType, EnumType, IntType, to_plain
from evoforge.models.base import BudgetExceeded
from evoforge.synthesis.language.program import Param
from evoforge.synthesis.search.evaluation import EvalReport, Evaluate
from evoforge.synthesis.search.verify import VerifiedProgram

optuna.logging.set_verbosity(logging.WARNING)


@dataclass(frozen=True)
class Objective:
    conformance_weight: float = 0.5
    cost_weight: float = 1e-5  # per model token per task

    def loss(self, report: EvalReport) -> float:
        conformance = report.fallback_rate + report.rejection_rate
        return (1.0 - report.score) + self.conformance_weight * conformance + self.cost_weight * report.tokens_per_task


@dataclass
class LearnResult:
    params: dict[str, Any]
    train_loss: float
    validation: EvalReport
    study: str
    trials: int  # complete trials in the study, including those of earlier (resumed) runs
    new_trials: int
    reproved: bool = False  # never: the proof holds for every parameter value
    stop_reason: str | None = None
    shortlist: list[dict[str, Any]] = field(default_factory=list)  # validated trials


class Learner(Protocol):
    """Tunes `verified`'s parameters with `evaluate` (train for search, validation to choose)."""

    def learn(self, verified: VerifiedProgram, evaluate: Evaluate, study: str) -> LearnResult: ...


def suggest(trial: optuna.Trial, param: Param) -> Any:
    """A value for `param` from the trial, always within its declared bounds."""
    if isinstance(param.type, IntType):
        return trial.suggest_int(param.name, param.low, param.high)
    if isinstance(param.type, BoolType):
        return trial.suggest_categorical(param.name, [False, True])
    if isinstance(param.type, EnumType):
        return trial.suggest_categorical(param.name, list(param.choices))
    value = Fraction(repr(trial.suggest_float(param.name, float(param.low), float(param.high))))
    return min(max(value, param.low), param.high)  # float rounding must not leave the bounds


class OptunaLearner:
    def __init__(self, storage_url: str, *, trials: int = 8, validate_top: int = 3, seed: int = 0, objective: Objective | None = None):
        self.storage_url, self.trials, self.validate_top, self.seed = storage_url, trials, validate_top, seed
        self.objective = objective or Objective()

    def _storage(self) -> optuna.storages.RDBStorage:
        engine_kwargs = {"connect_args": {"timeout": 30}} if self.storage_url.startswith("sqlite") else {}
        return optuna.storages.RDBStorage(self.storage_url, engine_kwargs=engine_kwargs)

    def learn(self, verified: VerifiedProgram, evaluate: Evaluate, study: str) -> LearnResult:
        program, verdict = verified.program, verified.verdict
        sampler = optuna.samplers.TPESampler(seed=self.seed)
        optimiser = optuna.create_study(study_name=study, storage=self._storage(), sampler=sampler, direction="minimize", load_if_exists=True)
        optimiser.set_user_attr("proof", {"status": verdict.status, "reason": verdict.reason,
                                          "params_in_proof": list(verdict.params_in_proof), "reproved_per_trial": False})
        complete = lambda: [t for t in optimiser.trials if t.state == optuna.trial.TrialState.COMPLETE]  # noqa: E731
        stop_reason: list[str] = []

        def run_trial(trial: optuna.Trial) -> float:
            params = {p.name: suggest(trial, p) for p in program.params}
            try:
                report = evaluate(verified, params, "train")
            except BudgetExceeded as error:
                stop_reason.append(str(error))
                optimiser.stop()
                raise optuna.TrialPruned() from None
            trial.set_user_attr("params", to_plain(params))
            trial.set_user_attr("train", report.summary())
            trial.set_user_attr("reproved", False)
            return self.objective.loss(report)

        before = len(complete())
        wanted = self.trials if program.params else 1
        if len(complete()) < wanted:
            optimiser.optimize(run_trial, n_trials=wanted - len(complete()))
        done = complete()
        if not done:
            raise BudgetExceeded(stop_reason[0] if stop_reason else f"study '{study}' has no complete trial")
        return self._choose(verified, evaluate, study, done, len(done) - before, stop_reason[0] if stop_reason else None)

    def _choose(self, verified: VerifiedProgram, evaluate: Evaluate, study: str, done: list, new: int, stop: str | None) -> LearnResult:
        ranked, seen = [], set()
        for trial in sorted(done, key=lambda t: (t.value, t.number)):
            key = repr(sorted(trial.user_attrs["params"].items()))
            if key not in seen:
                seen.add(key)
                ranked.append(trial)
        shortlist, best = [], None
        for trial in ranked[: self.validate_top]:
            params = dict(trial.user_attrs["params"])
            report = evaluate(verified, params, "validation")
            shortlist.append({"trial": trial.number, "params": params, "train_loss": trial.value, "validation": report.summary()})
            if best is None or report.score > best[2].score:
                best = (params, trial.value, report)
        assert best is not None
        return LearnResult(best[0], best[1], best[2], study, len(done), new, stop_reason=stop, shortlist=shortlist)
