"""Evaluator kinds for folder domains, chosen by `[evaluator] kind` in domain.toml."""
from evoforge.domains.evaluators import exact, json_fields, numeric, python_file, regex, text, unit_tests  # noqa: F401  (registers the kinds)
from evoforge.domains.evaluators.base import KINDS, Evaluator, EvaluatorSetup, OptionError, evaluator_kind

__all__ = ["KINDS", "Evaluator", "EvaluatorSetup", "OptionError", "evaluator_kind"]
