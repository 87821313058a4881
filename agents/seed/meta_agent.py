"""The meta agent: given this program's files and its train results, returns an improved program.

It works like an engineer reading failing test logs (the Darwin Gödel Machine's way):
1. read the train evidence (each task's inputs, its expected answer, this program's answer);
2. form hypotheses about what fails: the task agent's `hypotheses()` says which changes of its
   own parameters would fix a failed task; when it has none, ask the model for a code edit
   under the `module_edits` contract;
3. test each hypothesis on the train tasks, in this sandbox, and keep only what raises the train
   score (a change that breaks a passing task is rejected);
4. keep notes (notes.json, a file of the program that the next meta agent reads): hypotheses
   tried and their outcome, so no child retries a rejected idea, and its own track record.

It may change anything, itself included: params.json["meta"] steers how it improves (how many
hypotheses it tests, how many failures it reads), and it tunes those settings from its track
record, so a run improves how it improves. The frozen-meta ablation keeps the seed's settings.
"""
import json
import random

import task_agent
from evoforge_channel import ChannelError, generate

NOTES = "notes.json"


def improve(context):
    """context: {"files", "eval_log", "random_seed"}. Returns {"files", "summary"}."""
    rng = random.Random(context["random_seed"])
    files = dict(context["files"])
    params = json.loads(files["params.json"])
    meta = params["meta"]
    notes = json.loads(files.get(NOTES, "{}") or "{}")
    tried = notes.setdefault("tried", {})
    log = [e for e in context["eval_log"] if e.get("expected") is not None]
    failures = [e for e in log if e["score"] < 1]
    rng.shuffle(failures)
    baseline = train_score(log, params)
    changes = []
    tested = 0
    examples = [(task_of(e), e["expected"]) for e in log]
    for failure in failures[: meta["failures_read"]]:
        for hypothesis in fresh(task_agent.hypotheses(task_of(failure), failure["expected"], params, examples), tried, rng):
            if tested >= meta["hypotheses_per_child"]:
                break
            tested += 1
            candidate = {**params, "task": {**params["task"], **hypothesis["task"]}}
            score = train_score(log, candidate)
            accepted = score > baseline
            tried[key(hypothesis)] = "accepted" if accepted else "rejected"
            if accepted:
                params, baseline = candidate, score
                changes.append(f"{hypothesis['why']} (train {score:.0%})")
    if not changes and failures and not any(task_agent.hypotheses(task_of(f), f["expected"], params, examples) for f in failures[:2]):
        changes.append(edit_code(files, failures))
    track(notes, meta, tested, len([c for c in changes if "train" in c]))
    if meta.get("self_tuning", True):
        changes.extend(tune_self(meta, notes))
    files["params.json"] = json.dumps(params, indent=2, sort_keys=True) + "\n"
    files[NOTES] = json.dumps(notes, indent=1, sort_keys=True) + "\n"
    return {"files": files, "summary": "; ".join(changes) or f"no change: {tested} hypothesis(es) tested, none raised the train score"}


def task_of(entry):
    task = {"id": entry["task_id"], "inputs": entry["inputs"], "schema": entry.get("schema", {})}
    return {**task, "contract": entry["contract"]} if entry.get("contract") else task


def key(hypothesis):
    return json.dumps(hypothesis["task"], sort_keys=True)


def fresh(hypotheses, tried, rng):
    """Hypotheses not tried before (by any ancestor), in a random order."""
    new = [h for h in hypotheses if key(h) not in tried]
    rng.shuffle(new)
    return new


def train_score(log, params):
    """The mean train score of `params`, run here on the train tasks with known answers."""
    if not log:
        return 0.0
    right = 0
    for entry in log:
        try:
            right += task_agent.solve(task_of(entry), params) == entry["expected"]
        except (ChannelError, ValueError, KeyError, TypeError):
            pass
    return right / len(log)


def track(notes, meta, tested, accepted):
    """Performance tracking: what this meta agent's children got from it."""
    record = notes.setdefault("track", [])
    record.append({"tested": tested, "accepted": accepted, "budget": meta["hypotheses_per_child"]})
    del record[:-10]


def tune_self(meta, notes):
    """Change its own settings from its track record: spend more tests when most hypotheses
    fail, read more failures when every test is used up."""
    recent = notes["track"][-3:]
    used_up = all(r["tested"] >= r["budget"] for r in recent)
    changes = []
    if used_up and meta["hypotheses_per_child"] < 64:
        meta["hypotheses_per_child"] *= 2
        changes.append(f"meta: test up to {meta['hypotheses_per_child']} hypotheses per child")
    if used_up and meta["failures_read"] < 16:
        meta["failures_read"] += 1
        changes.append(f"meta: read {meta['failures_read']} failures per child")
    return changes


def edit_code(files, failures):
    """No parameter change explains the failures: ask the model for a code edit."""
    request = (
        "Improve this agent so it answers more tasks correctly. Failed tasks: "
        + json.dumps([{"inputs": e["inputs"], "expected": e["expected"], "answer": e["answer"]} for e in failures[:3]])
        + "\ntask_agent.py:\n" + files["task_agent.py"]
    )
    try:
        edits = generate("module_edits", request=request[:6000], max_chars=8000)
    except ChannelError as error:
        return f"no model edit ({error})"
    for edit in edits:
        files[edit["path"]] = edit["content"]
    return "model edit of " + ", ".join(e["path"] for e in edits) if edits else "model proposed no valid edit"
