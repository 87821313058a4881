"""The code-edit path end to end: the seed meta agent asks a model served over real HTTP (the
OpenAI protocol, litellm talking to it as to a hosted model) for edits, applies them, tests each
on train in its sandbox and keeps only what helps. The server answers as a capable coding model
might: a block that does not apply, one that breaks the file, one that breaks the agent, then one
that helps. A mechanism test: it claims no gain of any real model (gains live in bench/)."""
from __future__ import annotations

import json
from pathlib import Path

from domain_folders import jsonl, manifest, write_domain
from loop_support import seed_with_moves
from openai_server import Provider, answer

from evoforge.archive import VariantStatus, open_archive
from evoforge.evolution.settings import EvolutionSettings
from evoforge.models import resolve_model
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.services import RunServices
from evoforge.runs.settings import DomainSection, ModelSection, SandboxSection

WORDS = ["apple", "river", "stone", "cloud", "maple", "tiger", "lemon", "piano"]
KEY = "SHOUT"  # the capable model answers right once the agent's instruction says this word

NOT_FOUND = 'FILE: task_agent.py\n<<<<<<< SEARCH\nSAMPLES = 1\n=======\nSAMPLES = 3\n>>>>>>> REPLACE\n'
BREAKS_SYNTAX = 'FILE: task_agent.py\n<<<<<<< SEARCH\nINSTRUCTION = ""\n=======\nINSTRUCTION = (\n>>>>>>> REPLACE\n'
BREAKS_AGENT = ('FILE: task_agent.py\n<<<<<<< SEARCH\ndef decide(inputs, contract):\n    return ask(contract, inputs)\n=======\n'
                'def decide(inputs, contract):\n    raise RuntimeError("this edit breaks the agent")\n>>>>>>> REPLACE\n')
HELPS = f'Reading the failures, the model needs to be told.\nFILE: task_agent.py\n<<<<<<< SEARCH\nINSTRUCTION = ""\n=======\nINSTRUCTION = "{KEY} the word."\n>>>>>>> REPLACE\n'


class CodingModel:
    """Answers edit requests from a script, in order, and task prompts as a model that does what
    its instruction says."""

    def __init__(self, edits: list[str]):
        self.edits, self.edit_requests = list(edits), []

    def __call__(self, body: dict) -> tuple[int, dict]:
        prompt = body["messages"][-1]["content"]
        if "edit blocks only" in prompt:
            self.edit_requests.append(prompt)
            return answer(900, 60, self.edits.pop(0) if self.edits else "I have no further edit.")
        if "Write a better instruction" in prompt or "short notes" in prompt:
            return answer(100, 10, "")
        word = prompt.rsplit("Word:", 1)[-1].strip().split()[0]
        return answer(50, 5, word.upper() if KEY in prompt else word)


def shout_domain(root: Path) -> Path:
    rows = [json.dumps({"id": f"w{i}", "word": w, "loud": w.upper()}) for i, w in enumerate(WORDS)]
    spec = '''
[contracts.shout_reply]
description = "One word."
inputs = { word = "str" }
output = "str"
parse = "text"
require = ["len(word) <= 40"]
ensure = [{ check = "0 < len(result) <= 40", message = "one word" }]
prompt = "Word: {word}"
fallback = "word if len(word) > 0 else 'none'"
'''
    text = 'answer = "shout_reply"\n' + manifest('word = "str"', 'loud = "str"', 'kind = "exact"\nlabel = "loud"',
                                                  splits="ratio = { train = 0.5, validation = 0.25, test = 0.25 }")
    return write_domain(root, text, {"data.jsonl": jsonl(*rows)}, name="shout", spec=spec)


def test_the_meta_agent_keeps_the_edit_that_helps_and_rejects_the_others_with_their_reasons(tmp_path):
    model = CodingModel([NOT_FOUND, BREAKS_SYNTAX, BREAKS_AGENT, HELPS])
    provider = Provider(respond=model)
    try:
        archive = open_archive(tmp_path / "a.db")
        config = EvolutionSettings(domain=DomainSection(str(shout_domain(tmp_path))), model=ModelSection("hosted_vllm/coder", cache=False),
                                   sandbox=SandboxSection("local", 30.0), agent=str(seed_with_moves(tmp_path / "coder", {"model_edit": 1.0})),
                                   generations=2, parallel=1, screen_tasks=2)
        services = RunServices(archive, models=lambda on_usage: resolve_model("hosted_vllm/coder", api_base=provider.base,
                                                                              on_usage=on_usage, temperature=0.0))
        outcome = execute_run(archive, create_run(archive, config), services)
    finally:
        provider.close()
    seed, first, second = archive.variants(outcome.run_id)
    assert seed.scores["train"] == 0.0 and all(v.status == VariantStatus.VALID for v in (seed, first, second))
    # Generation 1: the unmatched block and the syntax break went back to the model with their
    # reasons; the edit that applied broke the agent on train and was rejected.
    assert "did not apply" in model.edit_requests[1] and "SAMPLES = 1" in model.edit_requests[1]
    assert "would not parse" in model.edit_requests[2]
    assert archive.files(first.id)["task_agent.py"] == archive.files(seed.id)["task_agent.py"]
    history = json.loads(archive.files(first.id)["notes.json"])["history"]
    assert history[-1]["move"] == "model_edit" and history[-1]["outcome"].startswith("rejected: train 0%")
    assert "no change kept" in first.summary and "model_edit rejected" in first.summary
    # Generation 2: the edit that helps is kept, and the child scores it.
    assert f'INSTRUCTION = "{KEY} the word."' in archive.files(second.id)["task_agent.py"]
    assert "train 0% -> 100%" in second.summary
    assert second.scores["train"] == 1.0 and second.scores["test"] == 1.0
    # Every request showed the whole task agent (it fits this model's context) and the failures.
    assert all("def decide(inputs, contract)" in r and "Failed train tasks" in r for r in model.edit_requests)
