"""Kön typed in the styrkort (issue 25): an indicator with ``kön`` gets Flickor and Pojkar
columns (Fyrkanta's words) beside Utfall; the unit types them, check reads them, the store
keeps a row per kön, the roll-up combines each kön as the total, explain names the cells and
the document shows them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from reportkit.workbook import layout

PERIOD = "2026-helår"
INDICATOR = "IM1-I3"
SCHOOLS = {"norrskolan": (90, 93, 87), "soderskolan": (84, 88, 80)}
"""Each school's utfall: total, flickor, pojkar."""


def _cell(wb_path: Path, key: str) -> str:
    """The A1 address of ``key`` on the indicator's row of the workbook."""
    wb = openpyxl.load_workbook(wb_path, read_only=True)
    import json

    meta = {r[0]: r[1] for r in wb[layout.META_SHEET].iter_rows(values_only=True)}
    model, rows = json.loads(meta["model"]), json.loads(meta["rows"])
    wb.close()
    n = rows[layout.INDICATORS_SHEET].index(INDICATOR)
    return layout.cell_of(layout.INDICATORS_SHEET, meta["period_type"], key, n,
                          tuple(model.get("targets", ())), tuple(model.get("genders", ())))


def _fill(source: Path, dest: Path, values: tuple[float | str | None, ...]) -> None:
    wb = openpyxl.load_workbook(source)
    ws = wb[layout.INDICATORS_SHEET]
    for key, value in zip(("actual", *layout.GENDER_KEYS.values()), values, strict=True):
        ws[_cell(source, key)] = value
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit import consolidate_period, generate_workbooks, init_project

    root = tmp_path_factory.mktemp("kon") / "fyrkanta"
    init_project(root, "fyrkanta")
    paths = generate_workbooks(root, PERIOD, units=list(SCHOOLS) + ["forskolan-solen"])
    by_unit = {p.stem: p for p in paths}
    inbox = root / "inkommet" / PERIOD
    for unit, values in SCHOOLS.items():
        _fill(by_unit[unit], inbox / f"{unit}.xlsx", values)
    consolidate_period(root, PERIOD)
    return root


def test_the_kön_columns_are_headed_in_the_kommuns_words_and_only_where_split(tmp_path: Path
                                                                              ) -> None:
    from reportkit import generate_workbooks, init_project

    root = tmp_path / "fyrkanta"
    init_project(root, "fyrkanta")
    paths = {p.stem: p for p in generate_workbooks(root, PERIOD,
                                                   units=["norrskolan", "forskolan-solen"])}
    wb = openpyxl.load_workbook(paths["norrskolan"])
    ws = wb[layout.INDICATORS_SHEET]
    headers = [c.value for c in ws[layout.HEADER_ROW]]
    at = headers.index("Utfall")
    assert headers[at + 1: at + 3] == ["Flickor", "Pojkar"]
    k = _cell(paths["norrskolan"], "actual_k")
    assert ws[k].protection.locked is False  # an input, as Utfall
    # another indicator's row: its kön cells are locked
    col = k.rstrip("0123456789")
    others = [r for r in range(layout.FIRST_ROW, ws.max_row + 1)
              if ws[f"A{r}"].value and ws[f"A{r}"].value != INDICATOR]
    assert others and all(ws[f"{col}{r}"].protection.locked for r in others)
    # the same number validation as Utfall covers the kön columns
    numbers = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert any(k in dv.sqref for dv in numbers)
    assert any(_cell(paths["norrskolan"], "actual") in dv.sqref for dv in numbers)
    help_rows = {r[0]: r[1] for r in wb[layout.INSTRUCTIONS_SHEET].iter_rows(values_only=True)
                 if r[0]}
    assert "kolumnerna Flickor och Pojkar bredvid Utfall" in help_rows["Per kön"]
    # a unit without the split indicator: no kön columns at all
    solen = openpyxl.load_workbook(paths["forskolan-solen"])[layout.INDICATORS_SHEET]
    assert "Flickor" not in [c.value for c in solen[layout.HEADER_ROW]]


def test_the_store_keeps_a_value_per_kön_with_its_cell(project: Path) -> None:
    conn = sqlite3.connect(project / "reportkit.sqlite")
    rows = conn.execute(
        "SELECT s.unit_id, v.gender, v.actual, v.cell_actual FROM indicator_value v "
        "JOIN submission s ON s.id = v.submission_id WHERE v.indicator_id = ? "
        "AND s.state = 'aktiv' ORDER BY s.unit_id, v.gender", (INDICATOR,)).fetchall()
    conn.close()
    got = {(u, g): a for u, g, a, _ in rows}
    assert got == {("norrskolan", "K"): 93, ("norrskolan", "M"): 87, ("norrskolan", "T"): 90,
                   ("soderskolan", "K"): 88, ("soderskolan", "M"): 80,
                   ("soderskolan", "T"): 84}
    cells = {(u, g): c for u, g, _, c in rows if u == "norrskolan"}
    assert cells[("norrskolan", "K")] == _cell(
        project / "inkommet" / PERIOD / "norrskolan.xlsx", "actual_k")


def test_the_roll_up_combines_each_kön_as_the_total(project: Path) -> None:
    from reportkit.consolidate.rollup import compute
    from reportkit.storage.access import opened

    with opened(project, PERIOD, consolidated=True) as (_p, model, period, conn):
        results = compute(conn, model, period.id)
    [ind] = [i for g in results.goals.values() for i in g.indicators
             if i.indicator_id == INDICATOR]
    assert ind.actual == pytest.approx(87.0)  # medel of 90 and 84
    assert ind.by_gender == {"K": pytest.approx(90.5), "M": pytest.approx(83.5)}
    assert "flickor 90,5\xa0%, pojkar 83,5\xa0%" in ind.source_note


def test_explain_names_each_köns_cell(project: Path) -> None:
    from reportkit import explain

    lines = explain(project, INDICATOR, PERIOD)
    k = _cell(project / "inkommet" / PERIOD / "norrskolan.xlsx", "actual_k")
    assert any(line.strip() == f"Flickor: 93\xa0% [blad Indikatorer, cell {k}]"
               for line in lines), lines


def test_the_document_shows_kön_beside_the_total(project: Path) -> None:
    from testkit import docx_text

    from reportkit import render_documents

    outcome = render_documents(project, ["arsredovisning"], PERIOD, chapters=True)
    text = " ".join(docx_text(p) for p in outcome.paths if p.suffix == ".docx")
    # the Utfall cell: the total, then each kön on a line of its own (a narrow column)
    assert "87,0\xa0%\nflickor 90,5\xa0%\npojkar 83,5\xa0%" in text


def test_kön_without_the_total_is_a_varning_and_a_word_a_fel(project: Path,
                                                            tmp_path: Path) -> None:
    from reportkit.intake.check import check_file

    source = project / "utskick" / PERIOD / "norrskolan.xlsx"
    without_total = tmp_path / "utan-totalt.xlsx"
    _fill(source, without_total, (None, 93, 87))
    found = {(p.code, p.severity, p.location.cell)
             for p in check_file(without_total).problems}
    assert ("indicator-gender-without-total", "varning", _cell(source, "actual")) in found
    wrong = tmp_path / "ord.xlsx"
    _fill(source, wrong, (90, "många", 87))
    problems = check_file(wrong).problems
    assert any(p.location.cell == _cell(source, "actual_k") and p.is_error for p in problems)


def test_an_old_store_migrates_its_values_to_the_total(tmp_path: Path) -> None:
    from reportkit.storage.store import MIGRATIONS, connect, migrate

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL "
                 "DEFAULT (datetime('now')))")
    before = [m for m in MIGRATIONS if m[0] < "0113"]
    for name, sql in before:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO migrations(name) VALUES (?)", (name,))
    conn.execute("INSERT INTO submission(period, unit_id, level, file, sha256, loaded_at, state)"
                 " VALUES ('2026-helår', 'u', 'enhet', 'u.xlsx', 'abc', 'now', 'aktiv')")
    conn.execute("INSERT INTO indicator_value(submission_id, indicator_id, goal_id, actual, "
                 "sheet) VALUES (1, 'I1', 'G1', 85, 'Indikatorer')")
    conn.commit()
    conn.close()
    conn = connect(path)
    assert migrate(conn) == []  # connect applied 0113 (and any later)
    assert "0113_indicator_value_gender" in {
        r[0] for r in conn.execute("SELECT name FROM migrations")}
    assert conn.execute("SELECT gender, actual FROM indicator_value").fetchall()[0][:] == \
        ("T", 85.0)
    conn.close()


def test_the_kontroll_sheet_checks_each_kön_cell_in_the_kommuns_words() -> None:
    from reportkit.styrmodell.model import load_styrmodell
    from reportkit.workbook.checksheet import checks
    from reportkit.workbook.content import build_content

    root = Path(__file__).resolve().parents[2] / "fixtures" / "fyrkanta" / "styrmodell"
    model, problems = load_styrmodell(root / "2026.yaml")
    assert model is not None, problems
    content = build_content(model, "norrskolan", model.period(PERIOD))
    assert content.gender_headers == ("Flickor", "Pojkar")
    n = [i.id for i in content.indicators].index(INDICATOR)
    shape = (content.target_headers, content.gender_headers)
    found = {c.cell: c.formula for c in checks(content)
             if c.sheet == layout.INDICATORS_SHEET}
    for key, word in (("actual_k", "flickor"), ("actual_m", "pojkar")):
        formula = found[layout.cell_of(layout.INDICATORS_SHEET, "helår", key, n, *shape)]
        assert f"Utfallet för {word} är inte ett tal" in formula
        assert f"Utfall för {word} men inte totalt" in formula
