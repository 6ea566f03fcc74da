"""Changes after utskick (issue 26 item 5): consolidate compares what each workbook was sent
out with (goal text, indicator name, målvärde) with the styrmodell now, a varning per
difference with both values; a workbook made from today's styrmodell has none."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportkit.consolidate.run import consolidate
from reportkit.outputs.outbox import generate_workbooks
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.project_setup import init_project

REPO = Path(__file__).resolve().parents[2]
PERIOD = "2026-helår"


def _project_with_sent_workbook(tmp_path: Path, unit: str) -> Project:
    init_project(tmp_path / "kommun")
    project = Project.open(tmp_path / "kommun")
    [path] = generate_workbooks(project, PERIOD, [unit])
    project.inbox(PERIOD).mkdir(parents=True)
    shutil.copyfile(path, project.inbox(PERIOD) / path.name)
    return project


def _edit_styrmodell(project: Project, *pairs: tuple[str, str]) -> None:
    path = project.root / "styrmodell" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_a_workbook_from_todays_styrmodell_has_no_change_varning(tmp_path):
    project = _project_with_sent_workbook(tmp_path, "kommun")
    report = consolidate(project, PERIOD)
    assert not [p for f in report.new for p in f.problems if p.code == "wb-changed-after-sent"]


def test_a_changed_malvarde_goal_text_and_indicator_name_are_varningar_with_both_values(
        tmp_path):
    project = _project_with_sent_workbook(tmp_path, "kommun")
    _edit_styrmodell(
        project,
        ("        # Per år; procent i procentenheter (85 = 85 %); janej: ja/nej:\n"
         "        målvärde: {2026: 88, 2027: 89.8}",
         "        # Per år; procent i procentenheter (85 = 85 %); janej: ja/nej:\n"
         "        målvärde: {2026: 90, 2027: 89.8}"),
        ('namn: "Invånarna möter en tillgänglig service med gott bemötande"',
         'namn: "Invånarna möter en tillgänglig service"'),
        ('namn: "Nöjd medborgar-index, helhet"', 'namn: "Nöjd medborgarindex"'))
    report = consolidate(Project.open(project.root), PERIOD)  # the edited styrmodell
    [rep] = report.new
    assert not rep.has_errors, [p.code for p in rep.problems]
    found = {(p.values["item"], p.values["what"]): p for p in rep.problems
             if p.code == "wb-changed-after-sent"}
    assert set(found) == {("KF1-I1", "målvärdet"), ("KF2", "målets text"),
                          ("KF2-I2", "indikatorns namn")}
    target = found[("KF1-I1", "målvärdet")]
    assert (target.location.sheet, target.severity) == ("Indikatorer", "varning")
    assert "88\u00a0%" in target.message and "90\u00a0%" in target.message
    assert "Exempelkommun" in target.message
    assert target.location.cell
    assert "'Invånarna möter en tillgänglig service'" in found[("KF2", "målets text")].message
    assert rep.submission is not None  # a varning: the workbook is loaded
