"""Shared fixtures: the Exempelkommun styrmodell, its generated workbooks, and a tiny builder.

- ``exempel`` (session): the loaded Exempelkommun model and its ``2026-delår`` period.
- ``delar_workbooks`` (session): one generated styrkort per reporting unit of ``2026-delår``,
  written once per session (about 3 s) into a session folder; ``{unit_id: Path}``.
- ``fill``: ``fill(path, {"Indikatorer!H4": "85 %"}, name="procent.xlsx") -> Path`` writes a
  copy of ``path`` into the test's ``tmp_path`` with the given cells set (openpyxl, as a unit
  typing into Excel would leave plain values). ``None`` empties a cell.
- ``require_libreoffice()``: skips a ``libreoffice`` test when soffice is missing, but fails it
  under ``CI=true`` (LibreOffice tests always run in CI).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from testkit import in_ci, soffice_path, write_cells

REPO = Path(__file__).resolve().parent.parent
EXEMPELKOMMUN = REPO / "fixtures" / "exempelkommun"
EXEMPEL_YAML = EXEMPELKOMMUN / "styrmodell" / "2026.yaml"
PERIOD = "2026-delår"

# problem() raises when a call leaves a placeholder of its message unfilled (errors.problem);
# set before reportkit is imported, and inherited by the CLI runs and worker processes
os.environ["REPORTKIT_STRICT_PROBLEMS"] = "1"
# "today" for every default period (styrmodell/periods.py): the helår being reported, so a
# test without -p does not depend on the day it runs; a test sets its own with monkeypatch
os.environ["REPORTKIT_DATUM"] = "2027-01-15"


@pytest.fixture(scope="session")
def exempel():
    """``(model, period)`` for Exempelkommun 2026-delår."""
    from reportkit.styrmodell.project import Project

    return Project.open(EXEMPELKOMMUN).period(PERIOD)


@pytest.fixture(scope="session")
def delar_workbooks(exempel, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every Exempelkommun unit's generated (empty) workbook for 2026-delår."""
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    model, period = exempel
    out = tmp_path_factory.mktemp("utskick")
    books = {}
    for unit in model.reporting_units(period):
        books[unit.id] = generate_workbook(build_content(model, unit.id, period),
                                           out / f"{unit.id}.xlsx")
    return books


@pytest.fixture
def fill(tmp_path: Path):
    """The builder: ``fill(path, {"Indikatorer!H4": "85 %"}, name=None, edit=None) -> Path``."""
    counter = iter(range(10_000))

    def _fill(path: Path, cells: dict[str, Any], name: str | None = None,
              edit: Callable[[Any], None] | None = None) -> Path:
        dest = tmp_path / (name or f"{Path(path).stem}-{next(counter)}.xlsx")
        return write_cells(Path(path), cells, dest, edit)

    return _fill


@pytest.fixture
def require_libreoffice() -> str:
    """The soffice command; skips when missing, fails when missing under CI=true."""
    found = soffice_path()
    if found:
        return found
    if in_ci():
        pytest.fail("LibreOffice (soffice) saknas men CI är satt: installera LibreOffice.")
    pytest.skip("LibreOffice (soffice) saknas")
