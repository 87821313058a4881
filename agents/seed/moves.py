"""The meta agent's own ways to propose an edit of the task agent. Each move reads the variant's
files and the train evidence and writes its proposal in the same block format a coding model
writes (edits.py), so every proposal, the model's or the meta agent's, is parsed, applied,
tested on train and kept or rejected the same way.

Each targets a dimension a small model can use: the examples it reads (drawn from train, as
DSPy's bootstrap does), the instruction it reads (rewritten by the model from its mistakes, as
GEPA does), decoding (draw several answers and vote), decomposition (notes before answering) and
checking its own answer. None of them computes an answer: each changes how the model is asked,
so with a model that never answers (every call falls back) none of them can raise a score.
"""
import ast
import json

from evoforge_channel import ChannelError, generate

TASK_FILE = "task_agent.py"
EXAMPLE_CHARS = 600  # an example longer than this (as JSON) is not shown: it would crowd the prompt


def examples_move(files, evidence, rng, limits):
    """Show the model a few solved train tasks (their inputs and expected answers)."""
    text = files.get(TASK_FILE, "")
    line = _assignment_line(text, "EXAMPLES")
    if line is None:
        return None
    shown = _literal(text, "EXAMPLES") or []
    pool = [[e["inputs"], e["expected"]] for e in evidence.solved_examples()
            if [e["inputs"], e["expected"]] not in shown and len(json.dumps([e["inputs"], e["expected"]], default=float)) <= EXAMPLE_CHARS]
    if not pool:
        return None
    count = min(len(pool), rng.choice([1, 2, 3]))
    chosen = (shown + rng.sample(pool, count))[-limits.examples_kept:]
    return "examples", f"show the model {len(chosen)} worked example(s) from train", _block(line, f"EXAMPLES = {plain(chosen)!r}")


def instruction_move(files, evidence, rng, limits):
    """Ask the model for a better instruction, written from the mistakes it made (reflection)."""
    text = files.get(TASK_FILE, "")
    line = _assignment_line(text, "INSTRUCTION")
    failures = evidence.failures()
    if line is None or not failures:
        return None
    current = _literal(text, "INSTRUCTION") or ""
    shown = rng.sample(failures, min(3, len(failures)))
    told = "\n".join(f"- {json.dumps(f['inputs'], sort_keys=True, default=float)[:300]} -> answered {json.dumps(f['answer'], default=float)[:80]}, "
                     f"right: {json.dumps(f['expected'], default=float)[:80] if f['expected'] is not None else f['detail'][:160]}" for f in shown)
    try:
        written = generate("instruction_rewrite", current=current[:limits.instruction_chars], evidence=told,
                           max_chars=limits.instruction_chars)
    except ChannelError:
        return None
    written = " ".join(written.split())
    if not written or written == current:
        return None
    return "instruction", f"instruction rewritten from {len(shown)} mistake(s): {written[:120]!r}", _block(line, f"INSTRUCTION = {json.dumps(written)}")


VOTE = '''def decide(inputs, contract):
    """Decoding: draw {samples} answers (sampled, each with its own seed) and keep the most common."""
    answers = [ask(contract, inputs, _temperature={temperature}, _seed=index) for index in range({samples})]
    keys = [json.dumps(answer, sort_keys=True, default=str) for answer in answers]
    return answers[max(range(len(keys)), key=lambda i: (keys.count(keys[i]), -i))]
'''


def vote_move(files, evidence, rng, limits):
    """Draw several answers and vote (self-consistency)."""
    source = _function_source(files.get(TASK_FILE, ""), "decide")
    if source is None:
        return None
    samples, temperature = 3, rng.choice([0.5, 0.8])
    new = VOTE.format(samples=samples, temperature=temperature)
    if new.strip() == source.strip():
        return None
    return "vote", f"vote over {samples} sampled answers (temperature {temperature})", _block(source, new.rstrip("\n"))


THINK = '''

_prefix_before_notes = prefix


def prefix(inputs):
    """Decomposition: the model's own short notes on the task, read before it answers."""
    notes = generate("task_notes", task=json.dumps(inputs, sort_keys=True, default=float)[:8000], max_chars={chars})
    return "\\n".join(part for part in [_prefix_before_notes(inputs), "Notes: " + notes if notes else ""] if part)
'''

CHECK = '''

_finish_before_check = finish


def finish(inputs, contract, answer):
    """Self-check: show the model its first answer and let it answer again."""
    second = ask(contract, inputs, _prefix=prefix(inputs) + "\\nA first answer was " + json.dumps(answer, default=str)
                 + ". Check it and answer again.")
    return _finish_before_check(inputs, contract, second)
'''


def think_move(files, evidence, rng, limits):
    """Notes first, then the answer (decomposition)."""
    return _append_once(files, "_prefix_before_notes", "think", "write short notes on the task before answering",
                        THINK.format(chars=limits.notes_chars))


def check_move(files, evidence, rng, limits):
    """Ask again with the first answer in view (self-check)."""
    return _append_once(files, "_finish_before_check", "check", "check the first answer by asking again with it in view", CHECK)


def _append_once(files, marker, move, why, code):
    text = files.get(TASK_FILE, "")
    if marker in text or not text.strip():
        return None
    tail = _tail(text)
    return move, why, _block(tail, tail + code.rstrip("\n"))


MOVES = {"examples": examples_move, "instruction": instruction_move, "vote": vote_move,
         "think": think_move, "check": check_move}


def plain(value):
    """`value` as Python literals can write it: exact fractions (reals on the wire) as floats."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return float(value) if type(value).__name__ == "Fraction" else value


def _block(search, replace):
    return f"FILE: {TASK_FILE}\n<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE\n"


def _assignment_line(text, name):
    """The source line of a top-level `NAME = ...` written on one line, or None."""
    node = _assignment(text, name)
    if node is None or node.lineno != node.end_lineno:
        return None
    return text.split("\n")[node.lineno - 1]


def _literal(text, name):
    node = _assignment(text, name)
    try:
        return ast.literal_eval(node.value) if node is not None else None
    except ValueError:
        return None


def _assignment(text, name):
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    found = [n for n in tree.body if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
    return found[-1] if found else None


def _function_source(text, name):
    """The source of the last top-level `def name`, or None."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    return ast.get_source_segment(text, found[-1]) if found else None


def _tail(text):
    """The file's last three non-empty lines, as written: a SEARCH text to append after."""
    lines = text.rstrip("\n").split("\n")
    return "\n".join(lines[-3:])
