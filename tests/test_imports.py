"""Every module imports, and the check path stays light (no openpyxl, matplotlib, docx)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reportkit

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("openpyxl", "matplotlib", "docxtpl", "docx")
ALL = sorted(m.name for m in pkgutil.walk_packages(reportkit.__path__, "reportkit."))
# Run by the system Python that has LibreOffice's ``uno``, never by the venv.
SYSTEM_PYTHON_MODULES = ("reportkit.documents.uno_worker",)
MODULES = [m for m in ALL if m not in SYSTEM_PYTHON_MODULES]


def test_modules_are_found() -> None:
    assert "reportkit.intake.check" in MODULES
    assert set(SYSTEM_PYTHON_MODULES) <= set(ALL)
    assert "reportkit.styrmodell.config" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name: str) -> None:
    importlib.import_module(name)


@pytest.mark.parametrize("name", SYSTEM_PYTHON_MODULES)
def test_system_python_module_imports_where_uno_is(name: str) -> None:
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system is None or subprocess.run([system, "-c", "import uno"],
                                        capture_output=True).returncode != 0:
        path = REPO / (name.replace(".", "/") + ".py")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
        return
    subprocess.run([system, "-c", f"import {name}"], cwd=REPO, check=True,
                   env={"PYTHONPATH": str(REPO), "PATH": ""})


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(REPO), "PATH": ""})
    return set(json.loads(out.stdout))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_check_path_does_not_import_heavy_libraries() -> None:
    assert _heavy(_loaded_after("import reportkit.intake.check")) == []


def test_package_import_does_not_import_heavy_libraries() -> None:
    assert _heavy(_loaded_after("import reportkit")) == []
