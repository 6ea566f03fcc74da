"""Fixtures for the consolidation tests: the scenario (scenario.py) as files and projects."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scenario import CORRECTED, EXEMPELKOMMUN, PERIOD, SCENARIO, fill_exact


@pytest.fixture(scope="session")
def scenario_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{unit: filled workbook}`` for the scenario, plus ``"larkans-rattad"``: the correction."""
    from reportkit.outputs.outbox import generate_workbooks

    root = tmp_path_factory.mktemp("scenario")
    blanks = {p.stem: p for p in generate_workbooks(EXEMPELKOMMUN, PERIOD, list(SCENARIO),
                                                    out_dir=root / "utskick")}
    (root / "ifyllda").mkdir()
    files = {unit: fill_exact(blanks[unit], root / "ifyllda" / f"{unit}.xlsx", spec)
             for unit, spec in SCENARIO.items()}
    (root / "rattade").mkdir()
    files["larkans-rattad"] = fill_exact(blanks["larkans-forskola"],
                                         root / "rattade" / "larkans-forskola.xlsx",
                                         CORRECTED["larkans-forskola"])
    return files


@pytest.fixture(scope="session")
def make_project(scenario_files: dict[str, Path]) -> Callable[..., Any]:
    """``make_project(root, units=None) -> Project``: a fresh project with the scenario's files
    (or only ``units``) in ``inkommet/2026-helår/``."""
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    def _make(root: Path, units: list[str] | None = None) -> Project:
        init_project(root)
        project = Project.open(root)
        inbox = project.inbox(PERIOD)
        inbox.mkdir(parents=True, exist_ok=True)
        for unit in units or list(SCENARIO):
            shutil.copy2(scenario_files[unit], inbox / f"{unit}.xlsx")
        return project

    return _make


@pytest.fixture(scope="module")
def consolidated(make_project, tmp_path_factory: pytest.TempPathFactory):
    """``(project, report)``: the scenario consolidated once; tests must not change it."""
    from reportkit.consolidate.run import consolidate

    project = make_project(tmp_path_factory.mktemp("konsoliderat") / "kommun")
    return project, consolidate(project, PERIOD)
