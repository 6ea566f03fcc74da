"""What the coordinator opens: sammanställning, inlämningsstatus and explain, on the scenario."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from scenario import EXEMPELKOMMUN, FORMULA_TEXTS, MOTIVATION_SOLROS, PERIOD, cell

from reportkit.cli import main


@pytest.fixture(scope="module")
def kommun_summary(consolidated) -> openpyxl.Workbook:
    project, _ = consolidated
    return openpyxl.load_workbook(project.reports(PERIOD) / f"sammanstallning-{PERIOD}.xlsx")


def rows_by_id(ws) -> dict[str, list]:
    """Data rows (from row 3) keyed by column A, as openpyxl cells."""
    return {row[0].value: list(row) for row in ws.iter_rows(min_row=3) if row[0].value}


def header(ws) -> list[str]:
    return [c.value for c in ws[2]]


def test_unit_text_that_looks_like_a_formula_stays_text(consolidated, kommun_summary):
    project, _ = consolidated
    goals = kommun_summary["Mål"]
    cols = header(goals)
    row = rows_by_id(goals)["ekbackens-forskola-E1"]
    analysis, actions = row[cols.index("Analys")], row[cols.index("Åtgärder")]
    assert (analysis.value, analysis.data_type) == (FORMULA_TEXTS[0], "s")
    assert (actions.value, actions.data_type) == (FORMULA_TEXTS[1], "s")
    acts = kommun_summary["Aktiviteter"]
    cells = [c for row in acts.iter_rows(min_row=3) for c in row]
    found = {c.value: c.data_type for c in cells if c.value in FORMULA_TEXTS}
    assert found == {FORMULA_TEXTS[2]: "s", FORMULA_TEXTS[3]: "s"}
    # no formula anywhere in any sammanställning: no <f> element in a worksheet
    for path in sorted(project.reports(PERIOD).glob("sammanstallning-*.xlsx")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), \
                        (path.name, name)


def test_goal_sheet_shows_forslag_bedomning_and_motivation(kommun_summary):
    goals = kommun_summary["Mål"]
    cols = header(goals)
    rows = rows_by_id(goals)
    solros = {h: c.value for h, c in zip(cols, rows["solrosens-forskola-E1"], strict=True)}
    assert solros["Förslag"] == "● Uppfyllt"
    assert solros["Bedömning"] == "◐ Delvis uppfyllt"
    assert solros["Bedömd av"] == "Solrosens förskola"
    assert solros["Motivering"] == MOTIVATION_SOLROS
    forskola = {h: c for h, c in zip(cols, rows["FORSKOLA-V1"], strict=True)}
    # 97,83 % shown truncated, never rounded up into a better-looking figure
    assert (forskola["Grad"].value, forskola["Grad"].number_format) == (0.97, "0%")
    assert forskola["Underlag"].value == "Delvis uppfyllt: 2, Ej uppfyllt: 1, Ej mätt: 5"
    # status colour and text together
    assert forskola["Förslag"].fill.fgColor.rgb.endswith("9A6700")
    assert goals.freeze_panes == "B3" and goals.auto_filter.ref.startswith("A2:")


def _history(unit_ids: list[str], indicator: str) -> dict[int, list[float]]:
    out: dict[int, list[float]] = {}
    with open(EXEMPELKOMMUN / "historik" / "utfall.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["indikator"] == indicator and row["enhet"] in unit_ids:
                out.setdefault(int(row["år"]), []).append(float(row["utfall"].replace(",", ".")))
    return out


def test_indicators_show_the_three_previous_years(kommun_summary):
    ws = kommun_summary["Indikatorer"]
    cols = header(ws)
    assert cols[4:7] == ["2023", "2024", "2025"]
    rows = rows_by_id(ws)
    assert len(rows) == 207  # every indicator, whether or not its units reported
    # KF3-I2 (kommun's own): the CSV values as they are; 69 dagar now is worse than 2025
    kf = _history(["kommun"], "KF3-I2")
    row = {h: c.value for h, c in zip(cols, rows["KF3-I2"], strict=True)}
    assert [row[str(y)] for y in (2023, 2024, 2025)] == [kf[y][0] for y in (2023, 2024, 2025)]
    assert (row["Målvärde"], row["Utfall"]) == (60, 69)
    assert row["Trend"] == "↓ sämre än 2025"
    # FORSKOLA-V1-I1 is measured by the eight förskolor: each year is their mean
    forskolor = ["solrosens-forskola", "ekbackens-forskola", "larkans-forskola",
                 "bjorkens-forskola", "skogsbrynets-forskola", "ugglans-forskola",
                 "vitsippans-forskola", "pedagogisk-omsorg"]
    years = _history(forskolor, "FORSKOLA-V1-I1")
    assert all(len(v) == 8 for v in years.values())
    row = {h: c.value for h, c in zip(cols, rows["FORSKOLA-V1-I1"], strict=True)}
    for y in (2023, 2024, 2025):
        assert row[str(y)] == pytest.approx(sum(years[y]) / 8)
    # every indicator that has history in the CSV shows all three years
    with_history = [r for r in rows.values() if r[4].value is not None]
    assert len(with_history) > 150
    assert all(r[5].value is not None and r[6].value is not None for r in with_history)


def test_nämnd_summary_holds_only_its_part(consolidated):
    project, _ = consolidated
    wb = openpyxl.load_workbook(project.reports(PERIOD) / f"sammanstallning-{PERIOD}-BUN.xlsx")
    goal_ids = set(rows_by_id(wb["Mål"]))
    assert "BUN-M2" in goal_ids and "FORSKOLA-V1" in goal_ids
    assert not any(g.startswith(("KF", "VON", "SABO")) for g in goal_ids)
    units = {row[1].value for row in wb["Inlämning"].iter_rows(min_row=3)}
    assert "Solrosens förskola" in units and "Solgårdens boende" not in units


def test_status_exit_code_and_the_list_to_mail_from(consolidated):
    project, _ = consolidated
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD])
    assert result.exit_code == 1  # 78 units have not sent their workbook
    assert "inkommen: 10, saknas: 78" in result.stdout
    path = project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx"
    ws = openpyxl.load_workbook(path)["Inlämning"]
    assert ws["A1"].value == f"Inlämningsstatus – Exempelkommun – {PERIOD}"
    assert header(ws) == ["Nämnd", "Enhet", "Nivå", "Status", "Fel", "Varningar", "Chef",
                          "E-post", "Sista dag", "Fil"]
    listed = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(listed) == 88
    rows = {r[1]: r for r in listed}
    model, _ = project.period(PERIOD)
    solros = model.units["solrosens-forskola"]
    assert rows["Solrosens förskola"] == (
        "Barn- och utbildningsnämnden", "Solrosens förskola", "Enhet", "inkommen", 0, 0,
        solros.manager, solros.email, dt.datetime(2027, 1, 20), "solrosens-forskola.xlsx")
    bjork = rows["Björkens förskola"]
    assert bjork[3] == "saknas" and bjork[6] and re.fullmatch(r"[^@\s]+@[^@\s]+", bjork[7])
    assert rows["Exempelkommun"][8] == dt.datetime(2027, 3, 1)  # the kommun's own deadline
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:J90"


def test_status_list_and_the_summary_share_one_inlamning_sheet(consolidated):
    project, _ = consolidated
    CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD])
    alone = openpyxl.load_workbook(project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx")
    summary = openpyxl.load_workbook(project.reports(PERIOD) / f"sammanstallning-{PERIOD}.xlsx")
    a, b = alone["Inlämning"], summary["Inlämning"]
    assert [[c.value for c in r] for r in a.iter_rows()] == \
        [[c.value for c in r] for r in b.iter_rows()]
    assert a.column_dimensions["H"].width == b.column_dimensions["H"].width


def test_status_cannot_run_without_a_project_or_with_an_unknown_period(consolidated, tmp_path):
    project, _ = consolidated
    run = CliRunner().invoke
    missing = run(main, ["status", str(tmp_path / "ingenting"), "-p", PERIOD])
    assert missing.exit_code == 2 and "är inget reportkit-projekt" in missing.stderr
    unknown = run(main, ["status", str(project.root), "-p", "2026-vår"])
    assert unknown.exit_code == 2 and "Perioden 2026-vår finns inte" in unknown.stderr


def test_explain_kf_goal_prints_the_chain_down_to_cells(consolidated, tmp_path):
    project, _ = consolidated
    out = tmp_path / "KF3-underlag.xlsx"
    result = CliRunner().invoke(main, ["explain", "KF3", str(project.root), "-p", PERIOD,
                                       "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    text = result.stdout
    assert lines[0] == "Årsredovisning 2026 – Utkast (det som är inlämnat nu)"
    assert lines[1].startswith("KF-mål KF3: ")
    # each level of the chain, indented under the one above
    for pad, head in (("  ", "Nämndmål BUN-M2: "), ("    ", "Verksamhetsmål FORSKOLA-V1: "),
                      ("      ", "Enhetsmål solrosens-forskola-E1: "),
                      ("  ", "Nämndmål VON-M2: ")):
        assert any(line.startswith(pad + head) for line in lines), head
    # the rule with its numbers, each unit's value with file, hash, sheet and cell
    assert "lägre är bättre: 2 − utfall 69 / målvärde 60 = 85,0\u00a0%" in text
    h7, f4 = cell("Indikatorer", "actual", 3), cell("Mål", "assessment", 0)
    assert re.search(r"Solrosens förskola: 5\santal \[solrosens-forskola\.xlsx, "
                     rf"sha256 [0-9a-f]{{12}}…, blad Indikatorer, cell {h7}\]", text)
    assert "Lärkans förskola: – [larkans-forskola.xlsx" in text  # the missing measurement
    assert "Björkens förskola: ingen inlämning" in text
    # the bedömning made at each level, where it was made, and its motivation
    assert "Bedömning av Solrosens förskola: ◐ Delvis uppfyllt (vald) " \
           f"[solrosens-forskola.xlsx, blad Mål, cell {f4}]" in text
    assert f"Motivering: {MOTIVATION_SOLROS}" in text
    assert "Bedömning av Förskola: ◐ Delvis uppfyllt (förslaget accepterat)" in text
    assert "Underlag från målen nedanför: Delvis uppfyllt 2, Ej uppfyllt 1, Ej mätt 5" in text
    # --xlsx writes the same lines, and one row per source cell
    wb = openpyxl.load_workbook(out)
    assert lines[-1] == f"Skrev {out} (underlag för revisorerna)."  # the next step's place
    assert [r[0] for r in wb["Förklaring"].iter_rows(values_only=True)] == lines[:-1]
    cells = list(wb["Celler"].iter_rows(values_only=True))
    assert cells[0] == ("Mål", "Uppgift", "Enhet", "Värde", "Fil", "SHA-256", "Blad", "Cell")
    assert [(r[0], r[4], r[6], r[7]) for r in cells
            if r[1] == "FORSKOLA-V1-I2" and r[2] == "Solrosens förskola"] == \
        [("FORSKOLA-V1", "solrosens-forskola.xlsx", "Indikatorer", h7)]
    assert all(len(r[5]) == 64 for r in cells[1:] if r[1] != "Bedömning")
    assert any(r[1] == "Bedömning" and r[4] == "solrosens-forskola.xlsx" and r[7] == f4
               for r in cells)


def test_explain_an_indicator_and_an_unknown_id(consolidated):
    project, _ = consolidated
    run = CliRunner().invoke
    result = run(main, ["explain", "SABO-V1-I2", str(project.root), "-p", PERIOD])
    assert result.exit_code == 0
    assert "Indikator SABO-V1-I2" in result.stdout and "SABO-V1-I1" not in result.stdout
    assert "medel av 2 av 5 enheters utfall" in result.stdout
    unknown = run(main, ["explain", "KF99", str(project.root), "-p", PERIOD])
    assert unknown.exit_code == 2 and "KF99" in unknown.stderr


def test_outputs_leave_no_temporary_files(consolidated):
    project, _ = consolidated
    assert not [p for p in Path(project.reports(PERIOD)).iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("forked", [False, True])
def test_sammanstallning_has_the_same_bytes_on_xlsxwriters_public_path(
        consolidated, tmp_path, monkeypatch, forked):
    """reportkit/compat/xlsxwriter.py: the faster sheet writer and, in forked writers, parts
    stored by xlsxwriter (normalize_zip deflates them) give the bytes of xlsxwriter's
    public write_* API with its own deflating (REPORTKIT_COMPAT=stock)."""
    from reportkit.consolidate import summary
    from reportkit.consolidate.rollup import compute
    from reportkit.consolidate.status import submission_status
    from reportkit.consolidate.summary import write_summary_files
    from reportkit.storage import store

    project, _ = consolidated
    model, _ = project.period(PERIOD)
    if forked:  # the 2 forked writers of a large kommun, for this small one
        monkeypatch.setattr(summary, "PARALLEL_MIN_ROWS", 1)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, PERIOD)
        statuses = submission_status(conn, model, PERIOD)
        written = {}
        for mode in ("", "stock"):
            monkeypatch.setenv("REPORTKIT_COMPAT", mode)
            monkeypatch.setattr(project, "reports", lambda period, m=mode: tmp_path / m / period)
            written[mode] = {p.name: p.read_bytes()
                             for p in write_summary_files(project, model, results, statuses)}
    finally:
        conn.close()
    assert len(written[""]) > 3 and written["stock"] == written[""]
