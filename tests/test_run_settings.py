"""The run layer's settings (runs/settings.py) and registry (runs/registry.py): stored
configurations of every version load, are upgraded to sections and resume; a key no level
knows is refused in one line naming it; every kind in the registry is a whole RunKind."""
from __future__ import annotations

import pytest
from loop_support import scripted_services

from evoforge.archive import open_archive
from evoforge.cli import main
from evoforge.errors import EvoforgeError
from evoforge.evolution.settings import EvolutionSettings
from evoforge.lazy import imported
from evoforge.runs.events import SHARED_EVENTS
from evoforge.runs.lifecycle import execute_run
from evoforge.runs.registry import RUN_KINDS, all_kinds, stored_settings
from evoforge.runs.settings import BudgetSection, DomainSection, ModelSection, SandboxSection
from evoforge.synthesis.settings import SynthesisSettings

SIZES = {"sizes": {"train": 2, "validation": 2, "test": 2}}

# As evoforge stored them before sections existed: evolution versions 1 (no version field, the
# random seed under "seed") and 2, synthesis version 1. Each with its meaning in today's form.
EVOLUTION_V1 = {"domain": "arithmetic", "model": None, "generations": 1, "parallel": 1, "seed": 4, "sandbox": "local", "agent": "seed",
                "selector": "score_child", "domain_options": SIZES, "spec_files": [], "screen_tasks": 2, "max_calls": 400,
                "task_timeout_s": 30.0, "temperature": 0.0, "model_cache": True}
EVOLUTION_V2 = {**{k: v for k, v in EVOLUTION_V1.items() if k != "seed"}, "kind": "evolution", "version": 2, "random_seed": 4,
                "frozen_meta": False, "screen_margin": 0.25, "max_cost_usd": None, "max_tokens": None, "meta_timeout_s": 300.0,
                "answer_tokens_cap": None, "agent_files": {}, "executor": "local", "ray_address": None}
EVOLUTION_NOW = EvolutionSettings(
    model=ModelSection(None, 0.0, None, True), budget=BudgetSection(None, None, 400), sandbox=SandboxSection("local", 30.0),
    domain=DomainSection("arithmetic", SIZES, []), random_seed=4, generations=1, parallel=1, screen_tasks=2)
SYNTHESIS_V1 = {"kind": "synthesis", "version": 1, "domain": "arithmetic", "task": None, "model": None, "proposer": "grammar",
                "rounds": 1, "per_round": 2, "target_train": 1.0, "trials": 1, "validate_top": 2, "random_seed": 0, "sandbox": "local",
                "domain_options": SIZES, "spec_files": [], "max_cost_usd": None, "max_tokens": None, "max_calls": None,
                "task_timeout_s": 30.0, "temperature": 0.0, "answer_tokens_cap": None, "model_cache": True}
SYNTHESIS_NOW = SynthesisSettings(domain=DomainSection("arithmetic", SIZES), sandbox=SandboxSection("local", 30.0), rounds=1, per_round=2, trials=1)


@pytest.mark.parametrize("stored, now", [(EVOLUTION_V1, EVOLUTION_NOW), (EVOLUTION_V2, EVOLUTION_NOW), (SYNTHESIS_V1, SYNTHESIS_NOW)],
                         ids=["evolution-1", "evolution-2", "synthesis-1"])
def test_a_stored_configuration_of_an_older_version_is_upgraded_on_load(stored, now):
    settings = stored_settings(stored)
    assert settings == now
    again = settings.to_dict()
    assert again["version"] == type(now).VERSION > stored.get("version", 1) and again["kind"] == now.KIND
    assert set(again["model"]) == {"name", "temperature", "answer_tokens_cap", "cache"} and "sandbox" not in again["domain"]
    assert stored_settings(again) == settings  # today's form reads back as itself


@pytest.mark.parametrize("change, named", [
    (lambda d: {**d, "generatoins": 3}, "evolution settings: unknown key 'generatoins'"),
    (lambda d: {**d, "model": {**d["model"], "nmae": "x"}}, "evolution.model settings: unknown key 'nmae'"),
    (lambda d: {**d, "budget": {**d["budget"], "max_dollars": 1}}, "evolution.budget settings: unknown key 'max_dollars'"),
    (lambda d: {**d, "sandbox": {**d["sandbox"], "image": "x"}}, "evolution.sandbox settings: unknown key 'image'"),
    (lambda d: {**d, "domain": {**d["domain"], "split": 1}}, "evolution.domain settings: unknown key 'split'"),
    (lambda d: {**d, "domain": "arithmetic"}, "evolution settings: 'domain' must be a table of settings"),
    (lambda d: {**d, "version": 9}, "evolution run settings of version 9 are unknown to this evoforge"),
    (lambda d: {**d, "kind": "alchemy"}, "run kind 'alchemy' is unknown to this evoforge"),
], ids=["top", "model", "budget", "sandbox", "domain", "not-a-table", "newer", "kind"])
def test_a_setting_no_level_knows_is_one_line_naming_it(change, named):
    with pytest.raises(EvoforgeError) as refused:
        stored_settings(change(EVOLUTION_NOW.to_dict()))
    assert named in str(refused.value) and "\n" not in str(refused.value)


def test_an_old_flat_key_is_unknown_in_todays_form():
    """Only a stored configuration of an older version is read flat; today's names a section."""
    with pytest.raises(EvoforgeError, match="evolution settings: unknown key 'max_calls'"):
        stored_settings({**EVOLUTION_NOW.to_dict(), "max_calls": 3})


@pytest.mark.parametrize("stored", [EVOLUTION_V2, SYNTHESIS_V1], ids=["evolution-2", "synthesis-1"])
def test_a_run_archived_with_a_flat_configuration_resumes_to_its_end(tmp_path, stored, capsys):
    archive = open_archive(tmp_path / "archive.db")
    run = archive.create_run("arithmetic", "local/smollm2", config=stored)  # as an older evoforge left it
    outcome = execute_run(archive, run.id, scripted_services(archive))
    assert outcome.status == "finished"
    assert main(["show", str(run.id), "--db", str(tmp_path / "archive.db")]) == 0
    assert {"evolution": "best variant:", "synthesis": "candidates"}[stored.get("kind", "evolution")] in capsys.readouterr().out
    assert archive.run(run.id).config == stored, "the archive keeps what was stored; it is upgraded on each load"


@pytest.mark.parametrize("name", sorted(RUN_KINDS))
def test_each_registered_kind_is_whole(name):
    """Its settings and name agree, its own events do not reuse a shared name, and every part
    it names by reference exists."""
    kind = {k.name: k for k in all_kinds()}[name]
    assert kind.settings.KIND == name and kind.unit and kind.title.startswith(name)
    own = [str(event.kind) for event in kind.event_types]
    assert len(set(own)) == len(own) and not set(own) & {str(event.kind) for event in SHARED_EVENTS}
    assert callable(imported(kind.cli_summary)) and callable(imported(kind.cli_details))
