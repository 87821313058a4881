"""A domain shipped by an installed package: a wheel built here (its files written by hand, so
no build backend or network is needed) is pip-installed into the running venv, its entry points
(group `evoforge.domains`) are listed by `evoforge domains` and load; it is uninstalled after."""
from __future__ import annotations

import base64
import hashlib
import importlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from domain_folders import SPEC

from evoforge.cli import main
from evoforge.domains import get_domain

PACKAGE, DIST, VERSION = "evoforge_testdomain", "evoforge-testdomain", "0.1"

FILES = {
    f"{PACKAGE}/__init__.py": "from pathlib import Path\n\nFOLDER = Path(__file__).parent / 'quiz'  # a folder domain inside the package\n",
    f"{PACKAGE}/tiny.py": (
        "from pathlib import Path\n"
        "from evoforge.domains import Score, Task\n\n\n"
        "class TinyDomain:\n"
        "    '''One question per split, written as a class.'''\n"
        "    name, description, input_schema = 'pkg_tiny', 'a domain class from a package', {'question': 'str'}\n\n"
        "    def __init__(self, seed=0, sizes=None):\n"
        "        self._tasks = {s: [Task(f'tiny-{s}', s, {'question': 'say yes'})] for s in ('train', 'validation', 'test')}\n\n"
        "    def tasks(self, split):\n"
        "        return list(self._tasks[split])\n\n"
        "    def evaluate(self, task, answer):\n"
        "        return Score(1.0 if answer == 'yes' else 0.0)\n\n"
        "    def contract_files(self):\n"
        "        return [Path(__file__).parent / 'quiz' / 'specs' / 'reply.toml']\n"
    ),
    f"{PACKAGE}/quiz/domain.toml": (
        'name = "pkg_quiz"\ndescription = "a folder domain shipped inside a package"\n\n[inputs]\nquestion = "str"\n\n'
        '[labels]\nanswer = "str"\n\n[data]\nfiles = ["data.jsonl"]\n\n'
        '[splits]\nratio = { train = 0.5, validation = 0.25, test = 0.25 }\n\n[evaluator]\nkind = "text"\n'
    ),
    f"{PACKAGE}/quiz/data.jsonl": "".join(json.dumps({"question": f"capital number {n}?", "answer": f"city {n}"}) + "\n" for n in range(8)),
    f"{PACKAGE}/quiz/specs/reply.toml": SPEC,
    f"{PACKAGE}-{VERSION}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {DIST}\nVersion: {VERSION}\n",
    f"{PACKAGE}-{VERSION}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: evoforge-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    f"{PACKAGE}-{VERSION}.dist-info/entry_points.txt": (
        "[evoforge.domains]\npkg_quiz = evoforge_testdomain:FOLDER\npkg_tiny = evoforge_testdomain.tiny:TinyDomain\n"
    ),
}


def build_wheel(where: Path) -> Path:
    wheel = where / f"{PACKAGE}-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in FILES.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            archive.writestr(name, data)
            record.append(f"{name},sha256={digest},{len(data)}")
        record_name = f"{PACKAGE}-{VERSION}.dist-info/RECORD"
        archive.writestr(record_name, "\n".join([*record, f"{record_name},,"]) + "\n")
    return wheel


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def installed_package(tmp_path):
    pip("uninstall", "-y", DIST)  # a previous interrupted run may have left it
    result = pip("install", "--no-deps", "--no-index", str(build_wheel(tmp_path)))
    assert result.returncode == 0, result.stderr
    importlib.invalidate_caches()
    try:
        yield
    finally:
        assert pip("uninstall", "-y", DIST).returncode == 0
        importlib.invalidate_caches()
        sys.modules.pop(f"{PACKAGE}.tiny", None)
        sys.modules.pop(PACKAGE, None)


def test_an_installed_package_domain_is_listed_and_loads(installed_package, capsys):
    assert main(["domains"]) == 0
    lines = capsys.readouterr().out.splitlines()
    quiz = next(line for line in lines if line.startswith("pkg_quiz "))
    tiny = next(line for line in lines if line.startswith("pkg_tiny "))
    assert f"package {DIST}" in quiz and "a folder domain shipped inside a package" in quiz and "evoforge_testdomain:FOLDER" in quiz
    assert f"package {DIST}" in tiny and "a domain class from a package" in tiny
    assert any(line.startswith("arithmetic ") and "built-in" in line for line in lines)

    folder_domain = get_domain("pkg_quiz", seed=0)
    tasks = [t for split in ("train", "validation", "test") for t in folder_domain.tasks(split)]
    assert len(tasks) == 8 and all(set(t.inputs) == {"question"} for t in tasks)
    task = tasks[0]
    assert folder_domain.evaluate(task, folder_domain._labels[task.id]["answer"].upper()).value == 1.0
    class_domain = get_domain("pkg_tiny")
    (train,) = class_domain.tasks("train")
    assert class_domain.evaluate(train, "yes").value == 1.0 and class_domain.contract_files()[0].is_file()


def test_an_uninstalled_package_domain_is_gone(tmp_path, capsys):
    pip("uninstall", "-y", DIST)
    importlib.invalidate_caches()
    assert main(["domains"]) == 0
    assert "pkg_quiz" not in capsys.readouterr().out
    assert main(["run", "--domain", "pkg_quiz", "--db", str(tmp_path / "a.db"), "--sandbox", "local"]) == 2
    assert "unknown domain 'pkg_quiz'" in capsys.readouterr().err
    assert not (tmp_path / "a.db").exists(), "the name was not checked before the run was created"
