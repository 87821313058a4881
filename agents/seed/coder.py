"""The meta agent's conversation with a coding model: it shows the model what fits its context
(the files whole, or an outline it can read further with READ/FIND), the failed train tasks with
the model's own raw replies, and its notes; it takes back edit blocks (edits.py), and a block
that does not apply goes back to the model with the reason, for one more try.
"""
import json
import time

import edits
from evoforge_channel import ChannelError, generate

TASK_FILE = "task_agent.py"
TURNS = 3  # model replies per proposal: reading more, or repairing blocks that did not apply

FORMAT = """Reply with edit blocks only, each in this exact form:
FILE: task_agent.py
<<<<<<< SEARCH
<lines copied exactly from the file>
=======
<the new lines>
>>>>>>> REPLACE
(or FILE: name, then a ```python fence holding the whole new file). To see more first, reply
READ <file> <first line>-<last line>, or FIND <text>, one per line."""


def model_edit_move(files, evidence, rng, limits):
    """Ask the run's model for an edit; returns (move, why, reply) or None when it has none."""
    base = request_text(files, evidence, rng, limits)
    request, problems = base, []
    for _ in range(TURNS):
        if time.monotonic() > limits.deadline:
            break
        try:
            reply = generate("code_edits", request=request, max_chars=limits.answer_chars)
        except ChannelError:
            return None
        blocks = edits.parse_blocks(reply, TASK_FILE)
        if blocks:
            applied = edits.apply_blocks(files, blocks, lambda path: path.endswith(".py"))
            if applied.changed and not applied.problems:
                return "model_edit", f"the model's edit of {', '.join(sorted(set(applied.changed)))}", reply
            problems = applied.problems
            request = fitted(base, f"Your last reply:\n{reply}\nThese blocks did not apply:\n" + "\n".join(problems)
                             + "\nSend corrected blocks.", limits)
            continue
        looked = lookups(reply, files)
        if not looked:
            break
        request = fitted(base, looked, limits)
    if problems:
        # Kept for the lineage: what the model tried and why it did not apply.
        return "model_edit", "the model's edit; blocks that did not apply: " + "; ".join(problems), reply
    return None


def request_text(files, evidence, rng, limits):
    """The request, within `limits.request_chars`: never a file cut in the middle."""
    head = ("You improve a Python program that answers tasks by asking a small language model through "
            "generate(contract, **inputs). Change how it asks (instruction, examples, several answers, "
            "checks), so that it answers the failed tasks below right without breaking the others.\n")
    budget = limits.request_chars - len(head) - len(FORMAT) - 200
    shown = []
    for path in sorted(files, key=lambda p: (p != TASK_FILE, p)):
        if not path.endswith(".py"):
            continue
        whole = f"FILE: {path}\n```python\n{files[path]}```\n"
        part = whole if len(whole) <= budget // 2 else outline(path, files[path])
        if len(part) <= budget:
            shown.append(part)
            budget -= len(part)
    failures = []
    for failure in rng.sample(evidence.failures(), len(evidence.failures())):
        text = describe_failure(failure, evidence)
        if len(text) <= budget:
            failures.append(text)
            budget -= len(text)
    told = "Failed train tasks:\n" + "".join(failures) if failures else "No failed train task is known.\n"
    return head + "".join(shown) + told + FORMAT


def describe_failure(failure, evidence):
    replies = evidence.raw_replies(failure)
    return (f"- inputs {json.dumps(failure['inputs'], sort_keys=True, default=float)[:600]}\n"
            f"  its answer {json.dumps(failure['answer'], default=str)[:200]}; "
            + (f"right answer {json.dumps(failure['expected'], default=str)[:200]}; " if failure["expected"] is not None else "")
            + f"evaluator: {failure['detail'][:300]}\n"
            + (f"  the model replied: {json.dumps(replies)[:400]}\n" if replies else ""))


def outline(path, text):
    """A file too long to show whole: its top-level definitions with their line ranges."""
    import ast

    try:
        tree = ast.parse(text)
    except SyntaxError:
        return f"FILE: {path} ({len(text.splitlines())} lines; does not parse)\n"
    rows = [f"  lines {n.lineno}-{n.end_lineno}: {type(n).__name__.replace('Def', '').lower()} {getattr(n, 'name', '')}"
            for n in tree.body if hasattr(n, "name")]
    return f"FILE: {path} ({len(text.splitlines())} lines, too long to show whole; READ it by line range)\n" + "\n".join(rows) + "\n"


def lookups(reply, files):
    """Answers to the READ/FIND requests in a reply ('' when it has none)."""
    answers = []
    for line in reply.splitlines()[:6]:
        words = line.strip().split(maxsplit=2)
        if len(words) >= 2 and words[0].upper() == "READ" and words[1] in files:
            first, _, last = (words[2] if len(words) > 2 else "1-40").partition("-")
            lines = files[words[1]].splitlines()
            start = int(first) if first.isdigit() else 1
            end = int(last) if last.isdigit() else start + 40
            body = "\n".join(f"{n}: {lines[n - 1]}" for n in range(max(1, start), min(len(lines), end) + 1))
            answers.append(f"{words[1]} lines {start}-{end}:\n{body}")
        elif len(words) >= 2 and words[0].upper() == "FIND":
            needle = line.strip()[4:].strip()
            hits = [f"{path}:{n}: {text}" for path, content in files.items() if path.endswith(".py")
                    for n, text in enumerate(content.splitlines(), 1) if needle in text]
            answers.append(f"FIND {needle}:\n" + ("\n".join(hits[:20]) or "no match"))
    return "\n".join(answers)


def fitted(base, extra, limits):
    """`base` with `extra` after it, `extra` shortened to what still fits the request budget."""
    room = max(0, limits.request_chars - len(base) - 2)
    return base + "\n" + extra[:room]
