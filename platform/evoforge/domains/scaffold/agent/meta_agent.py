"""The seed meta agent of this domain: returns a modified copy of the program.

From the train results it learns keywords: a word of a task answered wrongly is mapped to
another of the possible `answers` (params.json["meta"]). Sometimes it changes the hint instead,
or its own settings, so a run can also improve how it improves.
"""
import json
import random
import re

WORD = re.compile(r"[a-z']+")
HINTS = ["", "Read the whole text before answering. ", "Answer with the single best label. "]


def improve(context):
    """context: {"files": {path: text}, "eval_log": [...], "random_seed": int}. Returns {"files", "summary"}."""
    rng = random.Random(context["random_seed"])
    files = dict(context["files"])
    params = json.loads(files["params.json"])
    task, meta = params["task"], params["meta"]
    failed = [e for e in context["eval_log"] if e["score"] < 1 and e["answer"] in meta["answers"]]
    changes = []
    for entry in rng.sample(failed, min(len(failed), meta["words_per_child"])):
        word = rng.choice(WORD.findall(entry["inputs"][task["input"]].lower()) or ["?"])
        task["keywords"][word] = rng.choice([a for a in meta["answers"] if a != entry["answer"]])
        changes.append(f"keyword {word!r} -> {task['keywords'][word]}")
    if not changes or rng.random() < meta["hint_rate"]:
        task["hint"] = rng.choice(HINTS)
        changes.append(f"hint -> {task['hint']!r}")
    if rng.random() < meta["self_edit_rate"]:
        meta["words_per_child"] = min(4, max(1, meta["words_per_child"] + rng.choice([-1, 1])))
        changes.append(f"meta: {meta['words_per_child']} word(s) per child")
    files["params.json"] = json.dumps(params, indent=2, sort_keys=True) + "\n"
    return {"files": files, "summary": "; ".join(changes)}
