"""`kind = "text"`: the answer equals the label after normalising case, punctuation and spaces.

A label of type json may be a list of accepted answers; any of them scores 1.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, OptionError, evaluator_kind, known_options, label_field, shown

ARTICLES = {"a", "an", "the"}
MAX_CHARS = 10_000


@evaluator_kind("text", "normalised text equals the label (case, punctuation, spaces; a list label = any of them)")
class NormalisedText:
    uses_sandbox = False

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"label", "case", "punctuation", "articles"})
        self.label = label_field(options, setup, {"str", "json"})
        self.case, self.punctuation, self.articles = (options.get(k, False) for k in ("case", "punctuation", "articles"))
        for key in ("case", "punctuation", "articles"):
            if not isinstance(options.get(key, False), bool):
                raise OptionError(key, f"{key} must be true or false", f"write {key} = true to make it count")

    def normalise(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        if not self.case:
            text = text.casefold()
        if not self.punctuation:
            text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
        words = text.split()
        if not self.articles:
            words = [w for w in words if w.lower() not in ARTICLES]
        return " ".join(words)

    def accepted(self, labels: dict[str, Any]) -> list[str]:
        value = labels[self.label]
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        if not isinstance(answer, str) or len(answer) > MAX_CHARS:
            return Score(0.0, f"answer {shown(answer)} is not a text")
        given = self.normalise(answer)
        if any(given == self.normalise(label) for label in self.accepted(labels)):
            return Score(1.0, "correct")
        return Score(0.0, f"wrong: gave {shown(answer)}")

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return self.accepted(labels)[:1]
