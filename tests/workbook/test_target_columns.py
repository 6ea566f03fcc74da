"""Målvärden in the styrkort (issue 25 item 2), on real generated workbooks of Fyrkanta: a plan
over three years has one Målvärde column per year and one for the mandatperiod; a follow-up in
the mandatperiod's last year computes the förslag against the mandatperiod's målvärde; a range
and a direction ("ska minska", against Utfall förra året) are assessed by their own rules, in
the workbook's formula and in check alike. Exempelkommun's workbooks keep their one column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from testkit import write_cells

from reportkit.intake.check import check_file
from reportkit.styrmodell.assess import DELVIS, EJ_UPPFYLLT, UPPFYLLT
from reportkit.styrmodell.model import load_styrmodell
from reportkit.workbook import layout
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook

ROOT = Path(__file__).resolve().parents[2]
FYRKANTA = ROOT / "fixtures" / "fyrkanta" / "styrmodell" / "2026.yaml"
EXEMPEL = ROOT / "fixtures" / "exempelkommun" / "styrmodell" / "2026.yaml"
YEARS = ("Målvärde 2026", "Målvärde 2027", "Målvärde 2028")
MANDATE = "Målvärde mandatperioden 2023–2026"


@pytest.fixture(scope="module")
def fyrkanta():
    model, problems = load_styrmodell(FYRKANTA)
    assert model is not None, [p.line() for p in problems]
    return model


def _book(model, unit: str, period: str, folder: Path, previous=None) -> Path:
    content = build_content(model, unit, model.period(period), previous=previous)
    return generate_workbook(content, folder / f"{unit}-{period}.xlsx")


def _headers(path: Path) -> list[str]:
    ws = load_workbook(path)[layout.INDICATORS_SHEET]
    return [c.value for c in ws[layout.HEADER_ROW] if c.value]


def _row(path: Path, n: int | str = 0) -> dict[str, object]:
    """The ``n``-th indicator row, or the one with id ``n``, by header."""
    ws = load_workbook(path)[layout.INDICATORS_SHEET]
    head = [c.value for c in ws[layout.HEADER_ROW]]
    rows = [dict(zip(head, [c.value for c in row], strict=False))
            for row in ws.iter_rows(min_row=layout.FIRST_ROW) if row[0].value]
    return rows[n] if isinstance(n, int) else next(r for r in rows if r["Id"] == n)


def _index(path: Path, indicator: str) -> int:
    ws = load_workbook(path)[layout.INDICATORS_SHEET]
    ids = [row[0].value for row in ws.iter_rows(min_row=layout.FIRST_ROW) if row[0].value]
    return ids.index(indicator)


def test_a_three_year_plan_shows_each_years_target_and_the_mandatperiods(
        fyrkanta, tmp_path: Path) -> None:
    path = _book(fyrkanta, "kommun", "2026-plan", tmp_path)
    assert _headers(path)[5:9] == [*YEARS, MANDATE]
    row = _row(path)
    assert [row[h] for h in (*YEARS, MANDATE)] == [75, 77, 78, 76]
    report = check_file(path)
    assert not [p for p in report.problems if p.is_error]


def test_a_plan_row_without_a_mandatperiod_target_leaves_its_cell_empty(
        fyrkanta, tmp_path: Path) -> None:
    path = _book(fyrkanta, "kommun", "2026-plan", tmp_path)
    row = _row(path, "IM3-I1")  # a finansiellt mål with yearly targets only
    assert (row["Målvärde 2028"], row[MANDATE]) == (2, None)


def test_ranges_and_directions_are_shown_in_swedish_in_the_plan(fyrkanta,
                                                                tmp_path: Path) -> None:
    eken = _row(_book(fyrkanta, "eken", "2026-plan", tmp_path), "OMSORG-R1-I2")
    assert [eken[h] for h in YEARS] == ["90–97\xa0%", "90–97\xa0%", "92–97\xa0%"]
    tn = _row(_book(fyrkanta, "TN", "2026-plan", tmp_path), "TN-E1-I1")
    assert [tn[h] for h in YEARS] == ["Ska öka"] * 3
    assert MANDATE not in tn  # no indicator of TN's has a målvärde for the mandatperiod


def _filled(fyrkanta, unit: str, value: object, tmp_path: Path, indicator: str,
            previous=None) -> tuple[Path, object]:
    path = _book(fyrkanta, unit, "2026-helår", tmp_path, previous)
    n = _index(path, indicator)
    meta = load_workbook(path)[layout.META_SHEET]
    targets = tuple(eval_meta(meta)["model"].get("targets", ()))
    cell = layout.cell_of(layout.INDICATORS_SHEET, "helår", "actual", n, targets)
    filled = write_cells(path, {f"{layout.INDICATORS_SHEET}!{cell}": value},
                         tmp_path / f"{unit}-ifylld.xlsx")
    report = check_file(filled)
    assert not [p.line() for p in report.problems if p.is_error]
    [entry] = [e for e in report.submission.indicators if e.indicator_id == indicator]
    return filled, entry


def eval_meta(ws) -> dict:
    import json

    out = {}
    for row in ws.iter_rows(values_only=True):
        out[row[0]] = row[1]
    out["model"] = json.loads(out["model"])
    return out


def test_the_mandatperiods_last_year_is_assessed_against_its_target(fyrkanta,
                                                                    tmp_path: Path) -> None:
    """75,5 reaches the year's 75 but is 99 % of the mandatperiod's 76: Delvis."""
    path, entry = _filled(fyrkanta, "kommun", 75.5, tmp_path, "IM1-I1")
    assert _headers(path)[5:7] == ["Målvärde 2026", MANDATE]
    assert entry.status == DELVIS
    assert "målvärde 76" in entry.rule
    # the workbook's own förslag points at the mandatperiod's column
    ws = load_workbook(path)[layout.INDICATORS_SHEET]
    degree = ws[layout.cell_of(layout.INDICATORS_SHEET, "helår", "degree", 0,
                               ("Målvärde 2026", MANDATE))].value
    assert "G4" in degree and "F4" not in degree


def test_a_range_in_the_workbook_and_in_check(fyrkanta, tmp_path: Path) -> None:
    _path, inside = _filled(fyrkanta, "eken", 97, tmp_path, "OMSORG-R1-I2")
    assert inside.status == UPPFYLLT
    assert inside.rule.startswith("intervall 90–97: utfall 97 inom")
    _path, above = _filled(fyrkanta, "eken", "97,5 %", tmp_path, "OMSORG-R1-I2")
    assert above.status == EJ_UPPFYLLT


def test_a_direction_is_compared_with_last_years_utfall(fyrkanta, tmp_path: Path) -> None:
    previous = {("TN", "TN-E1-I1"): 88.0}
    path, higher = _filled(fyrkanta, "TN", 91, tmp_path, "TN-E1-I1", previous=previous)
    assert higher.status == UPPFYLLT
    assert higher.rule.startswith("ska öka: utfall 91 > föregående värde 88")
    ws = load_workbook(path)[layout.INDICATORS_SHEET]
    n = _index(path, "TN-E1-I1")
    assert ">" in ws[layout.cell_of(layout.INDICATORS_SHEET, "helår", "degree", n)].value
    _path, same = _filled(fyrkanta, "TN", 88, tmp_path, "TN-E1-I1", previous=previous)
    assert same.status == EJ_UPPFYLLT


def test_exempelkommun_keeps_one_malvarde_column(tmp_path: Path) -> None:
    model, _problems = load_styrmodell(EXEMPEL)
    assert model is not None
    for period in ("2026-plan", "2026-helår"):
        content = build_content(model, "kommun", model.period(period))
        assert content.target_headers == ()
        path = generate_workbook(content, tmp_path / f"{period}.xlsx")
        assert _headers(path)[5:7] == ["Målvärde", "Utfall förra året"]
        assert "targets" not in eval_meta(load_workbook(path)[layout.META_SHEET])["model"]


def test_a_direction_without_last_years_utfall_says_malvarde_saknas(fyrkanta,
                                                                    tmp_path: Path) -> None:
    from reportkit.styrmodell.assess import SAKNAR_MALVARDE

    path, entry = _filled(fyrkanta, "TN", 91, tmp_path, "TN-E1-I1")
    assert entry.status == SAKNAR_MALVARDE
    row = _row(path, "TN-E1-I1")
    assert (row["Utfall förra året"], row["Förslag"]) == (None, "Målvärde saknas")


@pytest.mark.libreoffice
def test_libreoffice_computes_the_same_forslag_as_check(fyrkanta, tmp_path: Path,
                                                         require_libreoffice: str) -> None:
    """The workbook's live förslag (recomputed by LibreOffice, sv-SE) agrees with check for the
    mandatperiod's målvärde, a range (inside, above) and a direction (lower, unchanged)."""
    import os
    import subprocess

    from python_calamine import CalamineWorkbook

    labels = {UPPFYLLT: "Uppfyllt", DELVIS: "Delvis uppfyllt", EJ_UPPFYLLT: "Ej uppfyllt"}
    previous = {("TN", "TN-E1-I1"): 88.0}
    cases = {"mandat": ("kommun", 75.5, "IM1-I1", None), "inom": ("eken", 95, "OMSORG-R1-I2",
                                                                  None),
             "over": ("eken", "97,5 %", "OMSORG-R1-I2", None),
             "hogre": ("TN", 91, "TN-E1-I1", previous),
             "samma": ("TN", 88, "TN-E1-I1", previous)}
    files, expected = [], {}
    for name, (unit, value, indicator, prev) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        path, entry = _filled(fyrkanta, unit, value, folder, indicator, previous=prev)
        files.append(path.rename(tmp_path / f"{name}.xlsx"))
        expected[name] = (indicator, entry.status)
    out = tmp_path / "lo"
    env = dict(os.environ, LC_ALL="sv_SE.UTF-8", LANG="sv_SE.UTF-8")
    subprocess.run([require_libreoffice, f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
                    *map(str, files)], env=env, check=True, capture_output=True, timeout=240)
    assert [s for _i, s in expected.values()] == [DELVIS, UPPFYLLT, EJ_UPPFYLLT, UPPFYLLT,
                                                  EJ_UPPFYLLT]
    for name, (indicator, status) in expected.items():
        saved = out / f"{name}.xlsx"
        [entry] = [e for e in check_file(saved).submission.indicators
                   if e.indicator_id == indicator]
        assert entry.status == status, name
        rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(
            layout.INDICATORS_SHEET).to_python()
        head = rows[layout.HEADER_ROW - 1]
        row = next(r for r in rows if r[0] == indicator)
        assert row[head.index("Förslag")] == labels[status], name
