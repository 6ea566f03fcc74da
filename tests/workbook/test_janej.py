"""Ja/nej indicators (``måltyp: janej``, issue 25 item 1): a Ja/Nej dropdown in the styrkort,
every way people write ja or nej read, and Ja/Nej shown in workbooks, explain, the
sammanställning and documents, assessed Uppfyllt when the answer is the målvärde.

On real generated workbooks of an Exempelkommun copy with one ja/nej KF indicator added."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reportkit.intake.check import check_file
from reportkit.workbook import layout
from reportkit.workbook.parse import parse_indicator_value, parse_yes_no

PERIOD = "2026-helår"
PT = "helår"
UNIT = "kommun"
INDICATOR = "KF2-I3"
ANCHOR = '''        namn: "Nöjd medborgar-index, helhet"
        måttenhet: "index"
        målvärde: {2026: 60, 2027: 61.2}
'''
JANEJ = '''      - id: KF2-I3
        namn: "Alla e-tjänster är tillgängliga dygnet runt"
        måltyp: janej
        målvärde: {2026: ja, 2027: ja}
'''


def janej_project(root: Path) -> Path:
    """An Exempelkommun project with the ja/nej indicator KF2-I3 (målvärde ja) under KF2."""
    from reportkit.styrmodell.project_setup import init_project

    init_project(root)
    path = root / "styrmodell" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    assert ANCHOR in text
    path.write_text(text.replace(ANCHOR, ANCHOR + JANEJ), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return janej_project(tmp_path_factory.mktemp("janej") / "kommun")


@pytest.fixture(scope="module")
def blank(project: Path) -> Path:
    from reportkit.outputs.outbox import generate_workbooks

    [path] = generate_workbooks(project, PERIOD, [UNIT], out_dir=project / "utskick")
    return path


@pytest.fixture(scope="module")
def row(project: Path) -> int:
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content

    model, period = Project.open(project).period(PERIOD)
    ids = [i.id for i in build_content(model, UNIT, period).indicators]
    return ids.index(INDICATOR)


def cell(key: str, n: int) -> str:
    # the kommun's sheet has Kvinnor and Män after Utfall (KF1-I1 is split by kön)
    return layout.cell_of(layout.INDICATORS_SHEET, PT, key, n, (), ("Kvinnor", "Män"))


YES = ["ja", "Ja", "JA", "sant", "SANT", "TRUE", "true", True, 1, 1.0, "1"]
NO = ["nej", "Nej", "NEJ", "falskt", "FALSE", False, 0, "0"]


@pytest.mark.parametrize("raw", YES)
def test_parse_reads_every_ja(raw: Any) -> None:
    assert parse_yes_no(raw) == (1.0, None)
    assert parse_indicator_value(raw, "", True, "janej") == (1.0, None)


@pytest.mark.parametrize("raw", NO)
def test_parse_reads_every_nej(raw: Any) -> None:
    assert parse_indicator_value(raw, "", True, "janej") == (0.0, None)


@pytest.mark.parametrize("raw", ["", None, " – "])
def test_parse_blank_is_not_measured(raw: Any) -> None:
    assert parse_yes_no(raw) == (None, None)


@pytest.mark.parametrize("raw", ["kanske", 2, "j", 0.5])
def test_parse_anything_else_is_a_fel(raw: Any) -> None:
    value, issue = parse_yes_no(raw)
    assert value is None and issue is not None and issue[0] == "cell-not-yes-no"


def test_generated_workbook_has_a_ja_nej_dropdown(blank: Path, row: int) -> None:
    wb = load_workbook(blank)
    ws = wb[layout.INDICATORS_SHEET]
    actual = cell("actual", row)
    assert ws[cell("target", row)].value == "Ja"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"
             and actual in dv.sqref]
    assert len(lists) == 1 and lists[0].formula1 == '"Ja,Nej"'
    # the number validation covers the other rows, not the ja/nej one
    numbers = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert numbers and not any(actual in dv.sqref for dv in numbers)
    assert any(cell("actual", row - 1) in dv.sqref for dv in numbers)
    assert any(cell("actual", row + 1) in dv.sqref for dv in numbers)


@pytest.mark.parametrize("raw", YES)
def test_every_ja_in_a_real_workbook_is_uppfyllt(blank: Path, row: int, fill, raw: Any
                                                ) -> None:
    report = check_file(fill(blank, {f"{layout.INDICATORS_SHEET}!{cell('actual', row)}": raw}),
                        expected_period=PERIOD)
    addr = cell("actual", row)
    assert not [p for p in report.problems if p.location.cell == addr], report.problems
    [entry] = [e for e in report.submission.indicators if e.indicator_id == INDICATOR]
    assert entry.actual == 1.0
    assert entry.status == "uppfyllt" and entry.degree == 1.0


@pytest.mark.parametrize("raw", NO)
def test_every_nej_in_a_real_workbook_is_not_reached(blank: Path, row: int, fill, raw: Any
                                                    ) -> None:
    report = check_file(fill(blank, {f"{layout.INDICATORS_SHEET}!{cell('actual', row)}": raw}),
                        expected_period=PERIOD)
    [entry] = [e for e in report.submission.indicators if e.indicator_id == INDICATOR]
    assert entry.actual == 0.0 and entry.degree == 0.0
    assert entry.status == "ej_uppfyllt"


def test_other_text_is_a_swedish_fel_on_its_cell(blank: Path, row: int, fill) -> None:
    addr = cell("actual", row)
    report = check_file(fill(blank, {f"{layout.INDICATORS_SHEET}!{addr}": "kanske"}),
                        expected_period=PERIOD)
    [p] = [p for p in report.problems if p.location.cell == addr]
    assert p.code == "cell-not-yes-no"
    assert "'kanske' är inte ja eller nej" in p.line()


@pytest.fixture(scope="module")
def consolidated(project: Path, blank: Path, tmp_path_factory: pytest.TempPathFactory):
    """The kommun's workbook with Ja typed, consolidated and the årsredovisning rendered."""
    from testkit import write_cells

    from reportkit.consolidate.run import consolidate
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content

    proj = Project.open(project)
    inbox = proj.inbox(PERIOD)
    inbox.mkdir(parents=True, exist_ok=True)
    model, period = proj.period(PERIOD)
    ids = [i.id for i in build_content(model, UNIT, period).indicators]
    addr = cell("actual", ids.index(INDICATOR))
    write_cells(blank, {f"{layout.INDICATORS_SHEET}!{addr}": "ja"}, inbox / f"{UNIT}.xlsx",
                None)
    report = consolidate(proj, PERIOD)
    return proj, report


def test_explain_shows_ja(consolidated) -> None:
    from reportkit.outputs.explain import explain

    proj, _report = consolidated
    text = "\n".join(explain(proj, INDICATOR, PERIOD))
    assert "utfall Ja mot målvärde Ja → ● Uppfyllt" in text, text
    assert ": Ja [" in text, text


def test_sammanstallning_shows_ja(consolidated) -> None:
    proj, _report = consolidated
    [path] = proj.root.glob(f"**/sammanstallning-{PERIOD}.xlsx")
    wb = load_workbook(path, read_only=True)
    rows = [list(r) for r in wb["Indikatorer"].iter_rows(values_only=True)]
    wb.close()  # read-only holds the file open until closed
    [found] = [r for r in rows if r and r[0] == INDICATOR]
    # the earlier years (none), målvärde and utfall as Ja, never 1 or 0
    assert found.count("Ja") == 2, found
    assert not any(v in (0, 1) and not isinstance(v, str) for v in found[4:] if v is not None)


def test_document_shows_ja_not_a_dash(consolidated) -> None:
    from reportkit.documents.build import render_document_for

    proj, _report = consolidated
    outcome = render_document_for(proj, "arsredovisning", PERIOD)
    [docx] = [p for p in outcome.paths if p.suffix == ".docx"]
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    name = "Alla e-tjänster är tillgängliga dygnet runt"
    assert name in xml
    after = xml[xml.index(name):]
    row_end = after.index("</w:tr>") if "</w:tr>" in after else len(after)
    cells = after[:row_end]
    assert ">Ja<" in cells, cells[:2000]


@pytest.mark.libreoffice
def test_libreoffice_round_trip_keeps_the_answer_and_computes_the_status(
        blank: Path, row: int, tmp_path: Path, require_libreoffice: str) -> None:
    """Ja, nej and TRUE typed, the workbook re-saved by LibreOffice (sv-SE): the dropdown
    survives, the live status formula says Uppfyllt/Ej uppfyllt, and check reads the same."""
    import os
    import subprocess

    from python_calamine import CalamineWorkbook
    from testkit import write_cells

    sheet = layout.INDICATORS_SHEET
    addr = cell("actual", row)
    files = [write_cells(blank, {f"{sheet}!{addr}": raw}, tmp_path / f"{name}.xlsx", None)
             for name, raw in (("ja", "ja"), ("nej", "Nej"), ("sant", True))]
    out = tmp_path / "lo"
    env = dict(os.environ, LC_ALL="sv_SE.UTF-8", LANG="sv_SE.UTF-8")
    subprocess.run([require_libreoffice, f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
                    *map(str, files)], env=env, check=True, capture_output=True, timeout=240)
    status_col = layout.column_index(sheet, PT, "status", (), ("Kvinnor", "Män"))
    for name, expected in (("ja", "uppfyllt"), ("nej", "ej_uppfyllt"), ("sant", "uppfyllt")):
        saved = out / f"{name}.xlsx"
        report = check_file(saved, expected_period=PERIOD)
        assert not [p for p in report.problems if p.location.cell == addr], report.problems
        [entry] = [e for e in report.submission.indicators if e.indicator_id == INDICATOR]
        assert entry.status == expected
        shown = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(sheet).to_python()
        label = shown[layout.FIRST_ROW - 1 + row][status_col]
        assert label == ("Uppfyllt" if expected == "uppfyllt" else "Ej uppfyllt"), label
        lists = [dv for dv in load_workbook(saved)[sheet].data_validations.dataValidation
                 if dv.type == "list" and addr in dv.sqref]
        assert lists, name


def test_prefilled_previous_value_shows_as_ja_and_is_locked_unchanged(project: Path, row: int,
                                                                       tmp_path: Path) -> None:
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    model, period = Project.open(project).period(PERIOD)
    content = build_content(model, UNIT, period, previous={(UNIT, INDICATOR): 1.0})
    path = generate_workbook(content, tmp_path / "kommun.xlsx")
    ws = load_workbook(path)[layout.INDICATORS_SHEET]
    assert ws[cell("previous", row)].value == "Ja"
    report = check_file(path, expected_period=PERIOD)
    assert not [p for p in report.problems if p.is_error], report.problems
