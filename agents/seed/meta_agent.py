"""The meta agent: given this program's files and its train results, returns a modified program.

It may change anything, itself included: params.json["meta"] steers how it improves, and it
mutates those settings too (with probability `self_edit_rate`), so a run can improve how it
improves. Two kinds of change, mixed by `param_mutation_rate`:
- structured mutations of params.json (strategy, keyword table, samples, its own settings),
  aimed at the words of failed train questions when `focus_on_failures` is set;
- whole-file edits proposed by the model under the `module_edits` contract (which guarantees
  relative .py paths whose new content parses).
"""
import json
import random
import re

from evoforge_channel import generate

WORD = re.compile(r"[a-z]+")
STOP_WORDS = {"how", "many", "are", "there", "the", "and", "has", "does", "have", "in", "of", "is", "a", "an", "he", "she", "with"}


def improve(context):
    """context: {"files": {path: text}, "eval_log": [...], "seed": int}. Returns {"files", "summary"}."""
    rng = random.Random(context["seed"])
    files = dict(context["files"])
    params = json.loads(files["params.json"])
    meta = params["meta"]
    changes = []
    if rng.random() < meta["param_mutation_rate"]:
        for _ in range(max(1, meta["mutations_per_child"])):
            changes.append(mutate_task(params["task"], context["eval_log"], meta, rng))
    else:
        changes.append(edit_code(files, context["eval_log"]))
    if rng.random() < meta["self_edit_rate"]:
        changes.append(mutate_meta(meta, rng))
    files["params.json"] = json.dumps(params, indent=2, sort_keys=True) + "\n"
    return {"files": files, "summary": "; ".join(changes)}


def mutate_task(task, eval_log, meta, rng):
    questions = [e["inputs"].get("question", "") for e in eval_log if not meta["focus_on_failures"] or e["score"] < 1]
    questions = [q for q in questions if q] or [e["inputs"].get("question", "") for e in eval_log]
    choice = rng.random()
    if choice < 0.15:
        task["strategy"] = "operators" if task.get("strategy") != "operators" else "direct"
        return f"strategy -> {task['strategy']}"
    if choice < 0.25:
        task["samples"] = rng.choice([1, 1, 3])
        return f"samples -> {task['samples']}"
    keyword_ops = task.setdefault("keyword_ops", {})
    if keyword_ops and choice < 0.4:
        word = rng.choice(sorted(keyword_ops))
        del keyword_ops[word]
        return f"forget keyword {word!r}"
    words = [w for q in questions if q for w in WORD.findall(q.lower()) if w not in STOP_WORDS]
    if not words:
        return "no change (no train questions to learn from)"
    word = rng.choice(words)
    keyword_ops[word] = rng.choice(["+", "-", "*"])
    task["strategy"] = "operators"
    return f"keyword {word!r} -> {keyword_ops[word]}"


def mutate_meta(meta, rng):
    meta["param_mutation_rate"] = round(min(1.0, max(0.1, meta["param_mutation_rate"] + rng.choice([-0.1, 0.1]))), 2)
    meta["mutations_per_child"] = min(4, max(1, meta["mutations_per_child"] + rng.choice([-1, 1])))
    if rng.random() < 0.3:
        meta["focus_on_failures"] = not meta["focus_on_failures"]
    return f"meta: rate {meta['param_mutation_rate']}, {meta['mutations_per_child']} mutation(s), focus {meta['focus_on_failures']}"


def edit_code(files, eval_log):
    failed = [e for e in eval_log if e["score"] < 1][:3]
    request = (
        "Improve this agent so it answers more tasks correctly. Failed tasks: "
        + json.dumps([{"inputs": e["inputs"], "answer": e["answer"], "why": e["detail"]} for e in failed])
        + "\ntask_agent.py:\n" + files["task_agent.py"]
    )
    edits = generate("module_edits", request=request[:6000], max_chars=8000)
    for edit in edits:
        files[edit["path"]] = edit["content"]
    return "model edit of " + ", ".join(e["path"] for e in edits) if edits else "model proposed no valid edit"
