"""The task agent: solves one task of a domain.

Every model call goes through `generate(contract, **inputs)`, answered by the kernel's guard,
so each answer satisfies its contract. Behaviour is steered by params.json["task"]:
- strategy "direct": ask the model for the answer;
- strategy "operators": read the numbers from the question, choose the operators from
  `keyword_ops` (words of the question mapped to + - *), asking the model only for what the
  keywords leave open, then compute the result exactly;
- samples > 1: draw several answers and keep the most common one;
- for tasks whose inputs are all measurements (numbers): `rules`, [field, "<" or ">=",
  threshold, label] tried in order, the first that holds gives the label; without one, the model
  names a class (from `labels`, the classes seen so far) under `label_for_numbers`;
- for other tasks that come with a contract (the domain's `answer_contract`): ask it with the
  task's inputs, after the worked `examples` ([inputs, answer] pairs) put before its prompt.

`hypotheses` is the agent's self-knowledge for its meta agent: given a task it got wrong and the
expected answer, which changes of its own parameters could make it right. The meta agent tests
them on train tasks before keeping any.
"""
import itertools
import json
import re
from collections import Counter

from evoforge_channel import generate

NUMBER = re.compile(r"-?\d+")
WORD = re.compile(r"[a-z]+")
OPERATIONS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}
NUMERIC = {"int", "real"}
COMPARISONS = {"<": lambda value, threshold: value < threshold, ">=": lambda value, threshold: value >= threshold}


def solver_for(task):
    """The solver's name (None: no solver), chosen by the fields the task declares (its schema)
    and the contract it comes with, never by a domain's name."""
    fields = set(task.get("schema", {}))
    if {"prompt", "entry_point"} <= fields:
        return "code"
    if "question" in fields:
        return "word_problem"
    if fields and all(kind in NUMERIC for kind in task["schema"].values()):
        return "measurements"
    return "contract" if task.get("contract") else None


def solve(task, params):
    settings = params["task"]
    solver = solver_for(task)
    if solver == "code":
        return solve_code(task["inputs"], settings)
    if solver == "word_problem":
        answers = [solve_word_problem(task["inputs"]["question"], settings) for _ in range(max(1, settings.get("samples", 1)))]
        return Counter(answers).most_common(1)[0][0]
    if solver == "measurements":
        return solve_measurements(task["inputs"], settings)
    if solver == "contract":
        return solve_by_contract(task, settings)
    raise ValueError(f"this agent has no solver for tasks with fields {sorted(task.get('schema', {}))} and no contract")


def solve_by_contract(task, settings):
    worked = "".join(f"Example: {json.dumps(inputs, sort_keys=True)} -> {json.dumps(answer)}\n" for inputs, answer in settings.get("examples", []))
    shaping = {"_prefix": worked} if worked else {}
    return generate(task["contract"], **task["inputs"], **shaping)


def solve_word_problem(question, settings):
    if settings.get("strategy") == "operators":
        numbers = [int(n) for n in NUMBER.findall(question)]
        if len(numbers) >= 2:
            needed = len(numbers) - 1
            operators = operators_from_keywords(question, settings.get("keyword_ops", {}))[:needed]
            if len(operators) < needed:
                # Ask the model only for the operators the keywords leave open.
                operators += generate("operator_plan", goal=question)[len(operators):]
            return apply_operators(numbers, operators)
    answer = generate("word_problem", question=question, low=-1000000, high=1000000)
    return answer["value"]


def solve_measurements(inputs, settings):
    for field, comparison, threshold, label in settings.get("rules", []):
        if field in inputs and COMPARISONS[comparison](float(inputs[field]), threshold):
            return label
    features = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in sorted(inputs.items()))
    return generate("label_for_numbers", features=features, labels=", ".join(settings.get("labels", [])))


def operators_from_keywords(question, keyword_ops):
    """Operators in the order their keywords appear in the question (whole words only)."""
    words = WORD.findall(question.lower())
    found = []
    for position, word in enumerate(words):
        if word in keyword_ops:
            found.append((position, keyword_ops[word]))
    return [op for _, op in sorted(found)]


def apply_operators(numbers, operators):
    """Apply the operators left to right; missing operators default to '+'."""
    total = numbers[0]
    for index, number in enumerate(numbers[1:]):
        operator = operators[index] if index < len(operators) else "+"
        total = OPERATIONS[operator](total, number)
    return total


def hypotheses(task, expected, params, examples=()):
    """Parameter changes that would make this agent answer `expected` on `task`; `examples` are
    the other (task, expected answer) pairs of the train evidence.

    For a word problem: every operator sequence that turns the question's numbers into the
    expected answer, each operator tied to a word of the question that follows its left number.
    For measurements: a threshold on one field that separates this task's label from the other
    labels in the examples. Returns a list of {"why": text, "task": {param: value}} patches.
    """
    solver = solver_for(task)
    if solver == "measurements":
        return measurement_rules(task, expected, params, examples)
    if solver == "contract":
        return worked_examples(task, expected, params)
    question = task["inputs"].get("question") if solver == "word_problem" else None
    if question is None or not isinstance(expected, int):
        return []
    numbers = [int(n) for n in NUMBER.findall(question)]
    if len(numbers) < 2 or len(numbers) > 4:
        return []
    segments = _segments(question)
    known = params["task"].get("keyword_ops", {})
    found = []
    for operators in itertools.product("+-*", repeat=len(numbers) - 1):
        if apply_operators(numbers, list(operators)) != expected:
            continue
        # The i-th operator's cue word lies after the i-th number (before or just after the next).
        choices = [[w for w in segments[i] + segments[i + 1][:3] if w not in STOP_WORDS] for i in range(len(operators))]
        if not all(choices):
            continue
        for words in itertools.product(*[c[:4] for c in choices]):
            if len(set(words)) < len(words):
                continue
            rules = dict(zip(words, operators))
            if all(known.get(w) == op for w, op in rules.items()):
                continue
            found.append({"why": f"'{question[:60]}' expects {expected} = {_formula(numbers, operators)}: "
                                 + ", ".join(f"'{w}' means {op}" for w, op in rules.items()),
                          "task": {"strategy": "operators", "keyword_ops": {**known, **rules}}})
    return found


def measurement_rules(task, expected, params, examples):
    """Decision stumps: `field < t -> expected` or `field >= t -> expected`, t halfway between the
    task's value and the nearest example of another label on the far side."""
    if not isinstance(expected, str):
        return []
    settings = params["task"]
    labels = sorted({*settings.get("labels", []), expected, *(answer for _, answer in examples if isinstance(answer, str))})
    found = []
    for field, value in sorted(task["inputs"].items()):
        others = [float(t["inputs"][field]) for t, answer in examples if answer != expected and field in t["inputs"]]
        above = [v for v in others if v > float(value)]
        below = [v for v in others if v < float(value)]
        candidates = []
        if above:
            candidates.append(("<", round((float(value) + min(above)) / 2, 3)))
        if below:
            candidates.append((">=", round((float(value) + max(below)) / 2, 3)))
        for comparison, threshold in candidates:
            rule = [field, comparison, threshold, expected]
            for rules in ([rule, *settings.get("rules", [])], [*settings.get("rules", []), rule]):
                found.append({"why": f"{field} {comparison} {threshold} means {expected}",
                              "task": {"rules": rules, "labels": labels}})
    return found


def worked_examples(task, expected, params, keep=4):
    """Show the model this task with its expected answer before the prompt (the newest `keep`)."""
    known = params["task"].get("examples", [])
    if [task["inputs"], expected] in known:
        return []
    return [{"why": f"show the model a worked example answered {json.dumps(expected)}",
             "task": {"examples": [*known, [task["inputs"], expected]][-keep:]}}]


STOP_WORDS = {"how", "many", "are", "there", "the", "and", "has", "does", "have", "in", "of", "is", "a", "an",
              "he", "she", "with", "they", "then", "his", "her", "at"}


def _segments(question):
    """The words after each number, up to the next number (segment 0 is before the first)."""
    parts = NUMBER.split(question.lower())
    return [WORD.findall(part) for part in parts[1:]] + [[]]


def _formula(numbers, operators):
    text = str(numbers[0])
    for op, number in zip(operators, numbers[1:]):
        text = f"({text} {op} {number})"
    return text


def solve_code(inputs, settings):
    prompt = inputs["prompt"]
    if settings.get("code_hint"):
        prompt = settings["code_hint"] + "\n" + prompt
    code = generate("python_function", task=prompt)
    # The contract guarantees a function named `solution`; expose it under the task's name too.
    return code + "\n" + inputs["entry_point"] + " = solution\n"


def run(task):
    """Entry point for the kernel: solve one task with this program's own parameters."""
    with open("params.json") as handle:
        return solve(task, json.load(handle))
