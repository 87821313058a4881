"""Learn: Optuna tunes a proven program's parameters on train, chooses by validation, reports test;
its study lives in the archive's database and a resumed run continues it."""
from __future__ import annotations

import optuna
from scripted_model import ScriptedModel
from synthesis_support import CountingDomain, echo_plus, load

from evoforge.archive import open_archive
from evoforge.synthesis.language.parser import parse_program
from evoforge.synthesis.search.evaluation import LocalEvaluation
from evoforge.synthesis.search.learn import OptunaLearner
from evoforge.synthesis.search.verify import VerifiedProgram, Verifier

PROGRAM = '''
bias = param_int(0, 7)
style = param_choice("Be exact.", "Answer with JSON only.")
def solve(n):
    x = call("near", n=n, _prefix=style)
    return x + bias
'''


def _setup(tmp_path, model):
    specs, tasks = load(tmp_path)
    task = tasks.get("near_plus")
    program = parse_program(PROGRAM, task, specs)
    verified = VerifiedProgram(program, Verifier().verify(program, task))
    archive = open_archive(tmp_path / "archive.db")
    storage = archive.url.render_as_string(hide_password=False)
    return verified, LocalEvaluation(CountingDomain(offset=4), task, specs, model), storage


def test_learning_finds_the_parameter_that_scores_and_never_reproves(tmp_path):
    model = ScriptedModel(respond=echo_plus(1))  # near answers n + 1, so bias = 3 gives n + 4
    verified, evaluate, storage = _setup(tmp_path, model)
    learned = OptunaLearner(storage, trials=14, seed=1).learn(verified, evaluate, "near-bias")
    assert learned.params["bias"] == 3 and learned.validation.score == 1.0
    assert learned.reproved is False and learned.new_trials == 14
    assert evaluate(verified, verified.program.defaults(), "test").score == 0.0  # the default bias is wrong
    assert evaluate(verified, learned.params, "test").score == 1.0
    study = optuna.load_study(study_name="near-bias", storage=storage)
    assert study.user_attrs["proof"]["reproved_per_trial"] is False
    assert all(t.user_attrs["reproved"] is False for t in study.trials)
    assert {"train"} <= set(study.trials[0].user_attrs)
    # The study shares the archive's database and the archive still opens.
    assert open_archive(tmp_path / "archive.db").runs() == []


def test_a_resumed_run_continues_the_same_study(tmp_path):
    verified, evaluate, storage = _setup(tmp_path, ScriptedModel(respond=echo_plus(1)))
    first = OptunaLearner(storage, trials=3).learn(verified, evaluate, "resume")
    again = OptunaLearner(storage, trials=5).learn(verified, evaluate, "resume")
    assert (first.trials, first.new_trials) == (3, 3)
    assert (again.trials, again.new_trials) == (5, 2)


def test_the_conformance_term_prefers_fewer_fallbacks(tmp_path):
    """Two parameter values score alike on the task; the one whose calls fall back less wins."""
    def respond(messages):
        # With the "Be exact." prefix the model answers far outside the contract (-> fallback).
        return '{"result": 999}' if "Be exact." in messages[-1].content or "Be exact." in messages[0].content else echo_plus(0)(messages)

    verified, evaluate, storage = _setup(tmp_path, ScriptedModel(respond=respond))
    learned = OptunaLearner(storage, trials=12, seed=0).learn(verified, evaluate, "conformance")
    assert learned.params["style"] == "Answer with JSON only."
    assert learned.validation.fallback_rate == 0.0


def test_a_real_short_learning_run_with_the_embedded_model(tmp_path):
    from evoforge.models import resolve_model

    verified, evaluate, storage = _setup(tmp_path, resolve_model(None, max_tokens=16))
    learned = OptunaLearner(storage, trials=2, validate_top=1).learn(verified, evaluate, "embedded")
    report = evaluate(verified, learned.params, "test")
    assert report.psi_violations == 0 and len(report.outcomes) == 6
    assert sum(o.attempts for o in report.outcomes) >= 6  # the real model was asked on every task
