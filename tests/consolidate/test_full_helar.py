"""All 88 of Exempelkommun's helår workbooks, filled by the simulator without mistakes.

Slow (about 15 s on two cores: generating and filling 88 workbooks dominates).
"""

from __future__ import annotations

import functools
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from scenario import PERIOD, cell

from reportkit.cli import main
from reportkit.consolidate.run import consolidate
from reportkit.demo.simulate import fill_workbook
from reportkit.outputs.explain import explain, submission_overview
from reportkit.outputs.outbox import generate_workbooks
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.project_setup import init_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("helar")
    init_project(root / "mall")
    blanks = generate_workbooks(root / "mall", PERIOD)
    out = root / "ifyllda"
    out.mkdir()
    fill = functools.partial(fill_workbook, seed=2026, mistakes=False)
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(fill, blanks, [out / p.name for p in blanks]))
    return sorted(out.iterdir())


def project_with(files: list[Path], root: Path) -> Project:
    init_project(root)
    project = Project.open(root)
    inbox = project.inbox(PERIOD)
    inbox.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, inbox / f.name)
    return project


def outputs(project: Project) -> dict[str, bytes]:
    submission_overview(project, PERIOD)
    explain(project, "KF1", PERIOD, xlsx=project.reports(PERIOD) / "forklaring-KF1.xlsx")
    return {p.name: p.read_bytes() for p in sorted(project.reports(PERIOD).iterdir())}


def test_every_unit_in_without_fel_gives_status_0_then_a_fel_gives_1(filled, tmp_path):
    assert len(filled) == 88
    project = project_with(filled, tmp_path / "kommun")
    report = consolidate(project, PERIOD)
    assert report.submissions == {"inkommen": 88} and not report.has_errors
    run = CliRunner().invoke
    ok = run(main, ["status", str(project.root), "-p", PERIOD])
    assert ok.exit_code == 0, ok.stdout
    assert "inkommen: 88" in ok.stdout.splitlines()
    # all in without fel: the next step is the årsredovisning
    assert ok.stdout.splitlines()[-1].lstrip().startswith(
        f"reportkit render arsredovisning {project.root} -p {PERIOD}")
    # a unit sends a new version with an unreadable utfall: inkommen med fel
    book = openpyxl.load_workbook(project.inbox(PERIOD) / "BUN.xlsx")
    book["Indikatorer"][cell("Indikatorer", "actual", 0)] = "ca 80"
    book.save(project.inbox(PERIOD) / "BUN.xlsx")
    assert run(main, ["consolidate", str(project.root), "-p", PERIOD]).exit_code == 1
    bad = run(main, ["status", str(project.root), "-p", PERIOD])
    assert bad.exit_code == 1
    assert "inkommen: 87, inkommen med fel: 1" in bad.stdout.splitlines()
    assert bad.stdout.splitlines()[-1].startswith(
        "Nästa steg: påminn 1 som inte lämnat in eller har fel: Barn- och utbildningsnämnden "
        "(inkommen med fel, ")
    ws = openpyxl.load_workbook(project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx")["Inlämning"]
    bun = next(r for r in ws.iter_rows(min_row=3, values_only=True)
               if r[1] == "Barn- och utbildningsnämnden")
    assert bun[3:6] == ("inkommen med fel", 1, 0)


def test_two_fresh_projects_give_byte_identical_outputs(filled, tmp_path):
    a = project_with(filled, tmp_path / "a")
    b = project_with(filled, tmp_path / "b")
    consolidate(a, PERIOD)
    consolidate(b, PERIOD, workers=1)  # one process or a pool: the same result
    first, second = outputs(a), outputs(b)
    assert len(first) == 8 + 2
    assert second[f"inlamning-{PERIOD}.xlsx"] == first[f"inlamning-{PERIOD}.xlsx"]
    assert second["forklaring-KF1.xlsx"] == first["forklaring-KF1.xlsx"]
    # the sammanställningar too: no load time in any output
    assert second == first
