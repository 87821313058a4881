"""The meta agent: given this program's files and its train results, returns a modified program.

It mutates the task parameters (how the agent asks, confirms, explains, hands over, how many
reservations it acts on) and, with probability `self_edit_rate`, its own settings. With
probability 1 - `mutation_rate` it instead asks the model for a whole-file edit of
task_agent.py under the `module_edits` contract (relative .py paths whose content parses).
"""
import json
import random

from evoforge_channel import generate

CHOICES = {
    "unhandled": ["transfer", "apologize"],
    "max_targets": [1, 2, 3, 5],
    "ask_attempts": [1, 2, 3],
    "ask_details": [
        "",
        "Could you tell me everything about your request, including any reservation ids?",
        "What would you like to do today, and for which reservation?",
    ],
    "confirm_cancel": [
        "I can cancel reservation {reservation_id} (flights {legs}). Do you want me to cancel it? Please answer yes or no.",
        "To confirm: cancel reservation {reservation_id}, flights {legs}. Shall I proceed (yes/no)?",
    ],
}


def improve(context):
    """context: {"files": {path: text}, "eval_log": [...], "random_seed": int}. Returns {"files", "summary"}."""
    rng = random.Random(context["random_seed"])
    files = dict(context["files"])
    params = json.loads(files["params.json"])
    meta = params["meta"]
    if rng.random() < meta["mutation_rate"]:
        changes = [mutate(params["task"], rng) for _ in range(max(1, meta["mutations_per_child"]))]
    else:
        changes = [edit_code(files, context["eval_log"])]
    if rng.random() < meta["self_edit_rate"]:
        meta["mutation_rate"] = round(min(1.0, max(0.2, meta["mutation_rate"] + rng.choice([-0.1, 0.1]))), 2)
        meta["mutations_per_child"] = min(3, max(1, meta["mutations_per_child"] + rng.choice([-1, 1])))
        changes.append(f"meta: rate {meta['mutation_rate']}, {meta['mutations_per_child']} mutation(s)")
    files["params.json"] = json.dumps(params, indent=2, sort_keys=True) + "\n"
    return {"files": files, "summary": "; ".join(changes)}


def mutate(task, rng):
    key = rng.choice(sorted(CHOICES))
    task[key] = rng.choice(CHOICES[key])
    return f"{key} -> {str(task[key])[:40]!r}"


def edit_code(files, eval_log):
    failed = [e for e in eval_log if e["score"] < 1][:3]
    request = (
        "Improve this airline customer-service agent so more conversations end with the right outcome. "
        "Failed tasks: " + json.dumps([{"why": e["detail"]} for e in failed])
        + "\ntask_agent.py:\n" + files["task_agent.py"]
    )
    edits = generate("module_edits", request=request[:6000], max_chars=12000)
    for edit in edits:
        files[edit["path"]] = edit["content"]
    return "model edit of " + ", ".join(e["path"] for e in edits) if edits else "model proposed no valid edit"
