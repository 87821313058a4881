"""`kind = "regex"`: the answer matches a pattern: `pattern` from domain.toml, where `{field}`
stands for that label's value (escaped), or else the label itself is the pattern."""
from __future__ import annotations

import re
import string
from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, OptionError, evaluator_kind, known_options, label_field, shown

MAX_CHARS = 10_000  # the patterns are the author's; a bounded answer keeps a match quick


@evaluator_kind("regex", "the answer matches `pattern` ({label} is replaced by the label), or the label as a pattern")
class RegexMatch:
    uses_sandbox = False

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"label", "pattern", "search", "ignore_case"})
        self.pattern = options.get("pattern")
        self.flags = re.IGNORECASE if options.get("ignore_case", False) else 0
        self.match = re.search if options.get("search", False) else re.fullmatch
        if self.pattern is None:
            self.label = label_field(options, setup, {"str"})
            return
        if not isinstance(self.pattern, str):
            raise OptionError("pattern", "pattern must be a string", "write pattern = '''\\s*{answer}\\s*'''")
        names = {name for _, name, _, _ in string.Formatter().parse(self.pattern) if name}
        if not names <= set(setup.labels):
            raise OptionError("pattern", f"pattern names {', '.join(sorted(names - set(setup.labels)))}, not [labels] fields",
                              "write {field} only for label fields; double the braces of a repetition: a{{2}}")
        try:
            re.compile(self.pattern.format(**{n: "x" for n in names}))
        except (re.error, ValueError, IndexError) as error:
            raise OptionError("pattern", f"pattern is not a valid regular expression ({error})", "fix the pattern") from None

    def expression(self, labels: dict[str, Any]) -> str:
        if self.pattern is None:
            return str(labels[self.label])
        return self.pattern.format(**{k: re.escape(str(v)) for k, v in labels.items()})

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        if not isinstance(answer, str) or len(answer) > MAX_CHARS:
            return Score(0.0, f"answer {shown(answer)} is not a text")
        if self.match(self.expression(labels), answer, self.flags):
            return Score(1.0, "matches")
        return Score(0.0, f"does not match: gave {shown(answer)}")

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return []
