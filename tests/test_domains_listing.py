"""`evoforge domains` from the cache (domains/listing.py, lookup_cache.py): a listing read from the
cache is the one computed afresh, and a change to what it was read from (a package installed on
sys.path, a moved specs folder, an edited file) is seen at the next listing."""
from __future__ import annotations

import os
import time
from pathlib import Path

from cli_probe import probe

from evoforge.lookup_cache import SETTLED_NS, remembered

DOMAIN_TOML = """name = "{name}"
description = "{description}"
contracts = ["specs"]

[inputs]
question = "str"

[labels]
answer = "str"

[data]
files = ["data.jsonl"]

[splits]
ratio = {{ train = 0.5, validation = 0.25, test = 0.25 }}

[evaluator]
kind = "text"
"""
SPEC = '[contracts.reply]\ninputs = { question = "str" }\noutput = "str"\nprompt = "{question}"\nfallback = "\'no\'"\n'


def settle(*paths: Path) -> None:
    """Dates `paths` (and what is under them) back, as files are that were not just written: an
    answer read from files changed in the last seconds is never stored."""
    old = time.time() - 10 * SETTLED_NS / 1e9
    for path in paths:
        for item in [path, *path.rglob("*")]:
            os.utime(item, (old, old))


def plugin(site: Path, package: str, name: str, description: str) -> None:
    """An installed package on `site` (a folder on sys.path) that ships the folder domain `name`."""
    folder = site / package / "quiz"
    (folder / "specs").mkdir(parents=True)
    (folder / "domain.toml").write_text(DOMAIN_TOML.format(name=name, description=description))
    (folder / "data.jsonl").write_text("".join(f'{{"question": "q{n}", "answer": "a{n}"}}\n' for n in range(4)))
    (folder / "specs" / "reply.toml").write_text(SPEC)
    (site / package / "__init__.py").write_text("from pathlib import Path\n\nFOLDER = Path(__file__).parent / 'quiz'\n")
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[evoforge.domains]\n{name} = {package}:FOLDER\n")


def domains(site: Path, cache: Path, **env: str) -> tuple[list[str], set[str]]:
    """`evoforge domains` with `site` on sys.path, run in `site` (the current folder is on sys.path too)."""
    code, out, modules = probe("domains", env={"PYTHONPATH": f"{site}{os.pathsep}{Path(__file__).parent.parent / 'platform'}",
                                               "EVOFORGE_CACHE_DIR": str(cache), **env}, cwd=site)
    assert code == 0
    return out.splitlines(), modules


def test_a_cached_listing_is_the_fresh_one_and_reads_neither_distributions_nor_manifests(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    settle(site)
    fresh, modules = domains(site, cache)
    assert {"importlib.metadata", "tomllib"} <= modules  # the first listing reads the distributions and the manifests
    assert any(line.startswith("arithmetic ") and "built-in" in line for line in fresh)
    cached, modules = domains(site, cache)
    assert cached == fresh
    assert {"importlib.metadata", "tomllib", "evoforge.domains.registry"} & modules == set()


def test_an_installed_domain_is_described_afresh_from_a_cached_listing(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    plugin(site, "quizpkg", "pkg_quiz", "a quiz from a package")
    settle(site)
    fresh, _ = domains(site, cache)
    assert any(line.startswith("pkg_quiz ") and "package quizpkg" in line and "a quiz from a package" in line for line in fresh)
    assert domains(site, cache)[0] == fresh
    toml = site / "quizpkg" / "quiz" / "domain.toml"
    toml.write_text(toml.read_text().replace("a quiz from a package", "a quiz, described anew"))  # not a change on sys.path
    assert any(line.startswith("pkg_quiz ") and "a quiz, described anew" in line for line in domains(site, cache)[0])


def test_a_package_installed_or_removed_after_the_listing_was_cached_is_seen(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    settle(site)
    before, _ = domains(site, cache)
    assert not any(line.startswith("pkg_new ") for line in before)
    plugin(site, "newpkg", "pkg_new", "installed after the first listing")  # changes the folder on sys.path
    after, _ = domains(site, cache)
    assert any(line.startswith("pkg_new ") and "installed after the first listing" in line for line in after)
    settle(site)
    assert domains(site, cache)[0] == after
    for item in sorted(site.rglob("*"), reverse=True):  # uninstalled
        item.rmdir() if item.is_dir() else item.unlink()
    assert domains(site, cache)[0] == before


def test_built_in_folders_are_read_again_when_the_specs_folder_moves(tmp_path):
    site, cache, elsewhere = tmp_path / "site", tmp_path / "cache", tmp_path / "no_specs"
    site.mkdir()
    elsewhere.mkdir()
    settle(site, elsewhere)
    listed, _ = domains(site, cache)
    moved, _ = domains(site, cache, EVOFORGE_SPECS_DIR=str(elsewhere))
    arithmetic = next(line for line in moved if line.startswith("arithmetic "))
    assert "has problems: run `evoforge domains check" in arithmetic  # its spec file is not in the moved folder
    assert domains(site, cache)[0] == listed


def test_an_answer_is_kept_until_a_file_it_was_read_from_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("EVOFORGE_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "source.txt"
    source.write_text("one")
    settle(source)
    calls = []

    def compute():
        calls.append(1)
        return source.read_text(), [str(source)]

    assert remembered("t", ["k"], compute) == "one" and remembered("t", ["k"], compute) == "one" and len(calls) == 1
    source.write_text("three")  # a change of size (and time)
    assert remembered("t", ["k"], compute) == "three" and len(calls) == 2
    assert remembered("t", ["k"], compute) == "three" and len(calls) == 3, "a file changed just now is not trusted to a cache"
    settle(source)
    remembered("t", ["k"], compute)
    assert remembered("t", ["other key"], compute) == "three" and len(calls) == 5
    (tmp_path / "cache" / "answers" / "t.json").write_text("{not json")
    assert remembered("t", ["other key"], compute) == "three" and len(calls) == 6
    assert remembered("t", ["other key"], compute) == "three" and len(calls) == 6
