"""The command line imports heavy modules only in the commands that need them, and its table of
commands (what `--help` lists without importing the command modules) matches the modules.
Each check runs in a fresh interpreter, whose `sys.modules` says what the command imported."""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import pytest
from cli_probe import imported_by

from evoforge.cli import COMMANDS, build_parser
from evoforge.domains.catalog import BUILTIN_MODULES
from evoforge.domains.registry import builtin_factory

SPECS = Path(__file__).resolve().parent.parent / "specs"
MODEL_STACK = ["litellm", "langgraph", "evoforge.models.gateway", "llama_cpp"]
BUILTIN_DOMAIN_MODULES = [reference.split(":")[0] for reference, _ in BUILTIN_MODULES.values()]
EVERYTHING_HEAVY = [*MODEL_STACK, "docker", "streamlit", "sqlalchemy", "sqlmodel", "alembic"]


def heavy_in(modules: set[str], heavy: list[str]) -> list[str]:
    return [name for name in heavy if name in modules]


def test_help_imports_nothing_heavy():
    modules = imported_by("--help")
    assert heavy_in(modules, EVERYTHING_HEAVY) == []
    assert not any(name.startswith("evoforge.cli.") and name.endswith("_cmd") for name in modules)


def test_specs_check_imports_no_model_stack_archive_or_engine(tmp_path):
    for _ in ("proving", "from the cache"):
        modules = imported_by("specs", "check", str(SPECS / "arithmetic.toml"), env={"EVOFORGE_CACHE_DIR": str(tmp_path)})
        assert heavy_in(modules, [*EVERYTHING_HEAVY, "rich"]) == []


def test_domains_imports_no_model_stack_archive_or_engine():
    assert heavy_in(imported_by("domains"), EVERYTHING_HEAVY) == []


def test_domains_lists_module_domains_without_importing_them():
    """The built-in table describes module domains; their modules (pydantic, data wheels) and the
    folder domain's evaluators load only when a domain is built."""
    modules = imported_by("domains")
    assert heavy_in(modules, [*BUILTIN_DOMAIN_MODULES, "evoforge.domains.folder", "pydantic", "z3"]) == []


@pytest.mark.parametrize("name", sorted(BUILTIN_MODULES))
def test_builtin_module_table_names_the_domain_classes(name):
    """Each table entry is the class of that name (so the table cannot drift from the modules)."""
    assert builtin_factory(name).name == name


def test_runs_imports_no_model_stack(tmp_path):
    from evoforge.archive import open_archive

    db = str(tmp_path / "archive.sqlite")
    open_archive(db)
    assert heavy_in(imported_by("runs", "--db", db), [*MODEL_STACK, "docker", "streamlit", "alembic"]) == []  # at HEAD: no migration


@pytest.mark.parametrize("module_name", sorted({module for module, _ in COMMANDS.values()}))
def test_command_table_matches_the_modules(module_name):
    """Every command a module registers is in the table under that module, with the same help."""
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(f"evoforge.cli.{module_name}").register(subparsers)
    registered = {action.dest: action.help for action in subparsers._choices_actions}
    listed = {name: help for name, (module, help) in COMMANDS.items() if module == module_name}
    assert registered == listed


@pytest.mark.parametrize("argv", [["runs", "--bogus"], ["runs", "-h"], ["specs"], ["specs", "check"], ["domains", "list", "-h"],
                                  ["show"], ["run", "--generations", "x"], ["new", "domain"]])
def test_a_command_given_first_parses_as_with_every_command_listed(argv, capsys):
    """`main` leaves out the other commands' entries when the command comes first: what argparse
    prints and how it exits are the same as with them."""
    def outcome(others: bool) -> tuple[object, str, str]:
        try:
            namespace = vars(build_parser(argv[0], others=others).parse_args(argv))
        except SystemExit as exit:
            namespace = exit.code
        out, err = capsys.readouterr()
        return namespace, out, err

    assert outcome(False) == outcome(True)
