"""The meta agent: a small coding agent, working as the Darwin Gödel Machine's does.

For each child it:
1. reads the variant's files, its train evidence (each task's inputs, expected answer where the
   domain reveals it, the agent's answer, the evaluator's words) and its notes (notes.json);
   for a failed task it reruns the agent to see the model's raw replies;
2. proposes edits, drawing `EDITS_PER_CHILD` ways of proposing by `MOVE_WEIGHTS`: the run's
   model writes edit blocks from what fits its context (coder.py), or the meta agent's own
   moves (moves.py) rewrite the instruction through the model, add worked examples from train,
   vote over samples, take notes first or check an answer;
3. applies each proposal (edits.py: a block that does not apply is reported, never dropped),
   **tests it on the train tasks inside this sandbox** (the kernel's own evaluator, through the
   channel's `score`) and keeps it only if the train score rises: first on a probe (the failed
   tasks and a few passed ones), then, if it gains there, on all of train;
4. writes its notes: every proposal with its outcome and reasons, and a track record per move,
   from which it rewrites its own `MOVE_WEIGHTS` (its own code: the frozen-meta ablation keeps
   the seed's weights, so it measures whether learning how to improve pays).

It may edit any file, itself included: an edit of a meta file (this one, coder.py, edits.py,
moves.py) cannot be tested on train, so it is kept when it parses; its worth shows in the
children it makes.
"""
import json
import random
import time
import types

import coder
import edits
import moves
from evoforge_channel import ChannelError, recent_calls, score

NOTES = "notes.json"
TASK_FILE = "task_agent.py"
META_FILES = ("meta_agent.py", "coder.py", "edits.py", "moves.py")
EDITS_PER_CHILD = 3  # proposals tested per child
MOVE_WEIGHTS = {"check": 1.0, "examples": 1.0, "instruction": 1.0, "model_edit": 1.0, "think": 1.0, "vote": 1.0}
TIME_SHARE = 0.5  # of the meta agent's time limit, spent before it stops proposing and testing
PROBE = 3  # failed train tasks an edit is first tried on (with one passed task)


class Limits:
    """Request and answer sizes from the run's model (context window, answer cap)."""

    def __init__(self, model, deadline):
        self.deadline = deadline  # time.monotonic() past which no new model request is made
        context = int(model.get("context_tokens") or 8192)
        answer_tokens = model.get("answer_tokens")
        answer = int(answer_tokens) if answer_tokens else min(4096, context // 4)
        self.answer_chars = max(64, answer * 4)
        self.request_chars = max(1000, (context - answer - 150) * 3)  # ~3 characters a token, kept safe
        self.instruction_chars = min(300, self.answer_chars)
        self.notes_chars = min(400, self.answer_chars)
        self.examples_kept = 4 if context <= 4096 else 8


class Evidence:
    """The parent's train results, and what its task agent makes of a task when rerun here."""

    def __init__(self, eval_log, files, deadline):
        self.log = list(eval_log)
        self.files, self.deadline = files, deadline
        self._replies = {}

    def failures(self):
        return [e for e in self.log if e["score"] < 1]

    def solved_examples(self):
        return [e for e in self.log if e.get("expected") is not None]

    def parent_score(self):
        return sum(e["score"] for e in self.log) / len(self.log) if self.log else 0.0

    def raw_replies(self, entry):
        """What the model replied to the parent's calls on this task (cached calls: usually free)."""
        if entry["task_id"] not in self._replies:
            if time.monotonic() > self.deadline:
                return []
            recent_calls(clear=True)
            try:
                load_agent(self.files[TASK_FILE]).run(task_of(entry))
            except Exception:  # the parent's own failure: its replies so far still tell
                pass
            self._replies[entry["task_id"]] = [r for call in recent_calls(clear=True) for r in call.get("replies", [])][:4]
        return self._replies[entry["task_id"]]


def improve(context):
    """context: {"files", "eval_log", "random_seed", "model", "time_s"}. Returns {"files", "summary"}."""
    rng = random.Random(context["random_seed"])
    deadline = time.monotonic() + TIME_SHARE * float(context.get("time_s", 180))
    limits = Limits(context.get("model") or {}, deadline)
    files = dict(context["files"])
    notes = json.loads(files.get(NOTES, "{}") or "{}")
    evidence = Evidence(context["eval_log"], files, deadline)
    best = evidence.parent_score()
    kept, said = [], []
    for move in draw_moves(rng, EDITS_PER_CHILD):
        if time.monotonic() > deadline:
            said.append("stopped: out of time")
            break
        proposal = propose(move, files, evidence, rng, limits)
        if proposal is None:
            remember(notes, move, "nothing to propose", None)
            continue
        name, why, reply = proposal
        if reply in notes.get("tried", []):
            remember(notes, name, "already tried by an ancestor", why)
            continue
        notes.setdefault("tried", []).append(reply)
        del notes["tried"][:-200]
        applied = edits.apply_blocks(files, edits.parse_blocks(reply, TASK_FILE), lambda path: path != NOTES)
        problems = "; ".join(applied.problems)
        if not applied.changed:
            remember(notes, name, "rejected: " + (problems or "changed nothing"), why)
            said.append(f"{name} rejected ({problems or 'no change'})")
            continue
        if all(path in META_FILES for path in applied.changed):
            files = applied.files  # a change of how it improves: judged by the children it makes
            remember(notes, name, "kept (meta level)", why)
            kept.append(f"{why} (meta level)")
            continue
        trial = test_on_train(applied.files, evidence, rng, deadline)
        if trial is None:
            remember(notes, name, "untested: out of time", why)
            said.append(f"{name} untested (out of time)")
            break
        if trial > best:
            remember(notes, name, f"kept: train {best:.0%} -> {trial:.0%}", why)
            kept.append(f"{why} (train {best:.0%} -> {trial:.0%})")
            files, best = applied.files, trial
            evidence.files = files
        else:
            remember(notes, name, f"rejected: train {trial:.0%}, not above {best:.0%}" + (f"; {problems}" if problems else ""), why)
            said.append(f"{name} rejected (train {trial:.0%} <= {best:.0%})")
    files = tune_self(files, notes)
    files[NOTES] = json.dumps(notes, indent=1, sort_keys=True) + "\n"
    summary = "; ".join(kept) if kept else "no change kept"
    return {"files": files, "summary": (summary + (" | " + "; ".join(said) if said else ""))[:1900]}


def draw_moves(rng, count):
    """`count` distinct ways of proposing, drawn by MOVE_WEIGHTS."""
    pool = dict(MOVE_WEIGHTS)
    drawn = []
    while pool and len(drawn) < count:
        names = sorted(pool)
        choice = rng.choices(names, weights=[max(0.01, pool[n]) for n in names])[0]
        drawn.append(choice)
        del pool[choice]
    return drawn


PROPOSERS = {**moves.MOVES, "model_edit": coder.model_edit_move}  # each way of proposing, by the name MOVE_WEIGHTS uses


def propose(move, files, evidence, rng, limits):
    make = PROPOSERS.get(move)
    if make is None:
        return None
    try:
        return make(files, evidence, rng, limits)
    except ChannelError:
        return None


def test_on_train(files, evidence, rng, deadline):
    """The train score of the task agent in `files` (None when time ran out). A probe comes
    first: failed tasks (up to PROBE) and one passed task; an edit that does not beat the
    parent there is not run on the rest, and scores what the parent scored."""
    failed = [e for e in evidence.log if e["score"] < 1]
    passed = [e for e in evidence.log if e["score"] >= 1]
    probe = rng.sample(failed, min(PROBE, len(failed))) + rng.sample(passed, min(1, len(passed)))
    probe_scores = scores_on(files, probe, deadline)
    if probe_scores is None:
        return None
    if sum(probe_scores) <= sum(e["score"] for e in probe):
        return evidence.parent_score()
    rest = [e for e in evidence.log if e not in probe]
    rest_scores = scores_on(files, rest, deadline)
    if rest_scores is None:
        return None
    return (sum(probe_scores) + sum(rest_scores)) / len(evidence.log)


def scores_on(files, entries, deadline):
    """The kernel evaluator's score of the task agent in `files` on each entry's task."""
    try:
        agent = load_agent(files[TASK_FILE])
    except Exception:
        return [0.0] * len(entries)
    scores = []
    for entry in entries:
        if time.monotonic() > deadline:
            return None
        try:
            scores.append(score(entry["task_id"], agent.run(task_of(entry)))["score"])
        except Exception:  # an edit that makes the agent fail scores 0 on that task
            scores.append(0.0)
    return scores


def load_agent(text):
    """A fresh module from the task agent's text (the file on disk stays the parent's)."""
    module = types.ModuleType("candidate_task_agent")
    exec(compile(text, TASK_FILE, "exec"), module.__dict__)
    return module


def task_of(entry):
    task = {"id": entry["task_id"], "inputs": entry["inputs"], "schema": entry.get("schema", {})}
    return {**task, "contract": entry["contract"]} if entry.get("contract") else task


def remember(notes, move, outcome, why):
    notes.setdefault("history", []).append({"move": move, "outcome": outcome, "why": why})
    del notes["history"][:-40]
    track = notes.setdefault("track", {}).setdefault(move, [0, 0])
    track[1] += 1
    track[0] += outcome.startswith("kept")


def tune_self(files, notes):
    """Rewrite MOVE_WEIGHTS in this file from the track record: each move's weight is its
    chance of being kept (a Beta(1, 1) mean), so moves that pay are tried more often."""
    track = notes.get("track", {})
    weights = {name: round((1 + track.get(name, [0, 0])[0]) / (2 + track.get(name, [0, 0])[1]) * 2, 3) for name in MOVE_WEIGHTS}
    if weights == MOVE_WEIGHTS or "meta_agent.py" not in files:
        return files
    current = next((l for l in files["meta_agent.py"].split("\n") if l.startswith("MOVE_WEIGHTS = ")), None)
    if current is None:
        return files
    new_text, problem = edits.replace_once(files["meta_agent.py"], current, "MOVE_WEIGHTS = " + repr(dict(sorted(weights.items()))))
    return files if problem else {**files, "meta_agent.py": new_text}
