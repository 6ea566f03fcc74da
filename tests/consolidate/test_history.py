"""The kommun's own history file: read with provenance, every unreadable row reported."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from scenario import EXEMPELKOMMUN, PERIOD

from reportkit.cli import main
from reportkit.consolidate.history import parse_history, read_history
from reportkit.consolidate.run import consolidate
from reportkit.styrmodell.project import Project

HEADER = "år;period;enhet;indikator;utfall\n"


@pytest.fixture(scope="module")
def model():
    return Project.open(EXEMPELKOMMUN).styrmodell(2026)


def where(problems) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.location.row, p.location.column) for p in problems]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_exempelkommun_history_reads_without_problems(model):
    h = parse_history(EXEMPELKOMMUN / "historik" / "utfall.csv", "historik/utfall.csv", model)
    assert h.problems == []
    assert len(h.rows) == 933
    assert {r[0] for r in h.rows} == {2023, 2024, 2025}
    assert h.rows[0] == (2023, "helår", "BUN", "BUN-M1-I1", 69.0, 2, "utfall")
    assert len(h.sha256) == 64


def test_each_unreadable_row_is_a_problem_with_row_and_column(model, tmp_path):
    path = write(tmp_path / "utfall.csv", HEADER + "\n".join([
        "2025;helår;BUN;BUN-M1-I1;86,5",       # 2 fine
        "20x5;helår;BUN;BUN-M1-I2;70",         # 3 not a year
        "2025;våren;BUN;BUN-M2-I1;70",         # 4 not a period
        "2025;helår;;BUN-M2-I2;70",            # 5 no unit
        "2025;helår;BUN;BUN-M3-I1;ca 5",       # 6 not a number
        "2025;helår;BUN;BUN-M1-I1;87",         # 7 same as row 2
        "2025;helår;BUNN;BUN-M1-I1;87",        # 8 unknown unit (varning, loaded)
        "2025;helår;BUNN;BUN-M1-I2;87",        # 9 the same unknown unit: one varning
        "2024;helår;BUN;BUN-M1-I1;",           # 10 empty = not measured that year
        ";;;;",                                # 11 blank line
        "2024;Helår;BUN;BUN-M1-I2;81 %",       # 12 fine
    ]) + "\n")
    h = parse_history(path, "historik/utfall.csv", model)
    assert where(h.problems) == [
        ("history-invalid-value", 3, "år"), ("history-invalid-value", 4, "period"),
        ("history-invalid-value", 5, "enhet"), ("cell-not-number", 6, "utfall"),
        ("history-duplicate-row", 7, None), ("history-unknown-id", 8, "enhet")]
    assert [r[:5] + (r[5],) for r in h.rows] == [
        (2025, "helår", "BUN", "BUN-M1-I1", 86.5, 2), (2025, "helår", "BUNN", "BUN-M1-I1", 87, 8),
        (2025, "helår", "BUNN", "BUN-M1-I2", 87, 9), (2024, "helår", "BUN", "BUN-M1-I1", None, 10),
        (2024, "helår", "BUN", "BUN-M1-I2", 81, 12)]
    lines = [p.line() for p in h.problems]
    assert lines[0] == ("historik/utfall.csv, rad 3, kolumn år: fel: '20x5' är inte ett årtal "
                        "med fyra siffror, till exempel 2025. Rätta raden i historikfilen; den "
                        "lästes inte in, men övriga rader gjorde det.")
    assert "finns redan på rad 2" in lines[4]
    assert "'BUNN' finns inte i styrmodellen 2026 (antal rader: 2)" in lines[5]
    # the workbooks' reader keeps its old shape: the rows, problems dropped
    assert read_history(path) == [r for r in parse_history(path).rows]


def test_year_in_other_digits_is_a_problem_not_a_crash(model, tmp_path):
    # "²⁰²⁵" is digits to str.isdigit() but not to int(): once it ended in a traceback
    path = write(tmp_path / "utfall.csv", HEADER + "\u00b2\u2070\u00b2\u2075;helår;BUN;"
                 "BUN-M1-I1;86\n2025;helår;BUN;BUN-M1-I2;70\n")
    h = parse_history(path, "historik/utfall.csv", model)
    assert where(h.problems) == [("history-invalid-value", 2, "år")]
    assert [r[3] for r in h.rows] == ["BUN-M1-I2"]


def test_a_row_csv_cannot_read_is_a_problem_with_its_row(model, tmp_path):
    # a field over the csv module's limit (a pasted blob) once ended in a traceback
    blob = '"' + "x" * 200_000 + '"'
    path = write(tmp_path / "utfall.csv", HEADER + "2025;helår;BUN;BUN-M1-I1;86\n"
                 f"2025;helår;BUN;{blob};70\n2025;helår;BUN;BUN-M1-I2;70\n")
    h = parse_history(path, "historik/utfall.csv", model)
    assert where(h.problems) == [("history-csv-unreadable", 3, None)]
    assert [r[3] for r in h.rows] == ["BUN-M1-I1"]
    line = h.problems[0].line()
    assert line.startswith("historik/utfall.csv, rad 3: fel: Raden kan inte läsas som CSV "
                           "(ett fält är för långt)")
    assert "131\u00a0072 tecken" in line


def test_missing_column_loads_nothing(model, tmp_path):
    path = write(tmp_path / "utfall.csv", "år;period;enhet;utfall\n2025;helår;BUN;3\n")
    h = parse_history(path, "historik/utfall.csv", model)
    assert h.rows == []
    assert where(h.problems) == [("history-column-missing", 1, "indikator")]
    assert "filen har kolumnerna år, period, enhet, utfall" in h.problems[0].message
    assert where(parse_history(write(tmp_path / "tom.csv", ""), model=model).problems) == \
        [("history-empty", None, None)]


def test_windows_csv_and_percent_shares_read_like_a_workbook(model, tmp_path):
    # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252; a share of 1 in a
    # percent indicator is read as percent, exactly as in a styrkort cell
    path = write(tmp_path / "utfall.csv", "År;Period;Enhet;Indikator;Utfall;Källa\n"
                 "2025;helår;solrosens-forskola;FORSKOLA-V1-I1;0,865;Enkät för vårdnadshavare\n"
                 "2025;helår;kommun;KF3-I2;64\n", encoding="cp1252")
    h = parse_history(path, model=model)
    assert h.problems == []
    assert [r[4] for r in h.rows] == [pytest.approx(86.5), 64]


def test_history_from_xlsx(model, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["indikator", "enhet", "år", "period", "utfall"],
                ["KF3-I2", "kommun", 2025, "helår", 64.0],
                ["KF3-I1", "kommun", 2025, "helår", "ej mätt"]):
        ws.append(row)
    wb.save(tmp_path / "utfall.xlsx")
    h = parse_history(tmp_path / "utfall.xlsx", "historik/utfall.xlsx", model)
    assert [r[:5] for r in h.rows] == [(2025, "helår", "kommun", "KF3-I2", 64.0)]
    assert where(h.problems) == [("cell-not-number", 3, "utfall")]


def test_consolidate_reports_history_problems_and_loads_the_rest(make_project, tmp_path):
    project = make_project(tmp_path / "kommun", units=["kommun"])
    history = project.root / "historik" / "utfall.csv"
    good = history.read_text(encoding="utf-8")
    history.write_text(good + "2022;helår;kommun;KF1-I1;ca 80\n", encoding="utf-8")
    bad_row = good.count("\n") + 1
    run = CliRunner().invoke
    result = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert result.exit_code == 1
    assert f"historik/utfall.csv, rad {bad_row}, kolumn utfall: fel: 'ca 80' är inte ett tal." \
        in result.stdout
    assert "Historikfilen: 1 fel, 0 varningar (se ovan)." in result.stdout
    conn = sqlite3.connect(project.store_path)
    count = conn.execute("SELECT COUNT(*), MIN(row), MAX(row) FROM history").fetchone()
    conn.close()
    assert count == (933, 2, bad_row - 1)
    # unchanged: reported again, the store untouched
    again = consolidate(project, PERIOD)
    assert where(again.problems) == [("cell-not-number", bad_row, "utfall")]
    # corrected: loaded, the run is clean
    history.write_text(good + "2022;helår;kommun;KF1-I1;80\n", encoding="utf-8")
    fixed = consolidate(project, PERIOD)
    assert fixed.problems == [] and not fixed.has_errors
    conn = sqlite3.connect(project.store_path)
    assert conn.execute("SELECT value, sha256 FROM history WHERE row = ?", (bad_row,)
                        ).fetchone()[0] == 80
    # an xlsx beside it: its rows join, a row already in the CSV is a duplicate
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["år", "period", "enhet", "indikator", "utfall"])
    wb.active.append([2021, "helår", "kommun", "KF3-I2", 70])
    wb.active.append([2025, "helår", "kommun", "KF3-I2", 70])
    wb.save(project.root / "historik" / "utfall.xlsx")
    both = consolidate(project, PERIOD)
    assert where(both.problems) == [("history-duplicate-row", 3, None)]
    assert "finns redan på rad" in both.problems[0].message
    assert "i historik/utfall.csv" in both.problems[0].message
    assert conn.execute("SELECT file, value FROM history WHERE year = 2021").fetchall() == \
        [("historik/utfall.xlsx", 70)]
    # a history file removed takes its rows with it
    (project.root / "historik" / "utfall.xlsx").unlink()
    consolidate(project, PERIOD)
    assert conn.execute("SELECT COUNT(*) FROM history WHERE year = 2021").fetchone()[0] == 0
    conn.close()


def test_history_only_as_xlsx_reaches_the_workbooks_last_year_column(tmp_path):
    import openpyxl

    from reportkit.outputs.outbox import previous_outcomes
    from reportkit.styrmodell.project_setup import init_project

    init_project(tmp_path / "kommun")
    project = Project.open(tmp_path / "kommun")
    from_csv = previous_outcomes(project, *project.period("2026-plan"))
    csv = project.root / "historik" / "utfall.csv"
    wb = openpyxl.Workbook()
    header, *rows = csv.read_text(encoding="utf-8-sig").splitlines()
    wb.active.append(header.split(";"))
    for line in rows:
        year, period, unit, indicator, value = line.split(";")
        wb.active.append([int(year), period, unit, indicator,
                          float(value.replace(",", ".")) if value else None])
    wb.save(project.root / "historik" / "utfall.xlsx")
    csv.unlink()
    assert from_csv and previous_outcomes(project, *project.period("2026-plan")) == from_csv
