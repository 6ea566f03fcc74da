"""The kommun's exports in the store: load, re-run, replace, fel, formats, status, explain,
the documents' Economy and the sammanställning's sheets. Expected figures are worked out by
hand from the rows of Exempelkommun's files (row numbers as a spreadsheet shows them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit.consolidate.exports import (
    active_loads,
    explain_figure,
    export_status,
    financial_goals,
    load_exports,
    stored_exports,
    table_dump,
)
from reportkit.errors import ReportkitError
from reportkit.sources.mapping import load_mapping
from reportkit.storage import store
from reportkit.styrmodell.project import Project

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "fixtures" / "exempelkommun"
T0, T1 = "2026-09-10T08:00:00+00:00", "2026-09-11T08:00:00+00:00"
PERIODS = ("2026-plan", "2026-delår", "2026-helår")


def _project(root: Path) -> Project:
    shutil.copytree(FIXTURE / "styrmodell", root / "styrmodell")
    shutil.copytree(FIXTURE / "data", root / "data")
    return Project.open(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return _project(tmp_path / "projekt")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """Exempelkommun with every period's exports loaded once: ``(project, conn)``."""
    project = _project(tmp_path_factory.mktemp("exports") / "projekt")
    conn = store.connect(project.store_path)
    for period in PERIODS:
        model, _ = project.period(period)
        load_exports(conn, project, model, period, T0)
    yield project, conn
    conn.close()


def _all_tables(conn) -> dict[str, list[tuple]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'export_%'")]
    return {n: [tuple(r) for r in conn.execute(f"SELECT * FROM {n} ORDER BY rowid")]
            for n in sorted(names)}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8-sig")


@pytest.mark.parametrize(("period", "kinds"), [
    ("2026-plan", {"ramar": 18, "investeringsplan": 36, "nyckeltal": 54}),
    ("2026-delår", {"drift": 26, "investeringar": 12, "personal": 120, "nyckeltal": 222,
                    "ramar": 18, "investeringsplan": 36, "bolag": 10,
                    "finansiella_rapporter": 1}),
    ("2026-helår", {"drift": 26, "investeringar": 12, "personal": 120, "nyckeltal": 258,
                    "ramar": 18, "investeringsplan": 36, "bolag": 15,
                    "finansiella_rapporter": 1}),
])
def test_every_exempelkommun_export_loads_into_the_store(project, period, kinds):
    conn = store.connect(":memory:")
    model, _ = project.period(period)
    summary, problems = load_exports(conn, project, model, period, T0)
    assert [p.line() for p in problems] == []
    assert {i.kind: (i.state, i.rows) for i in summary.items} == {
        k: ("inläst", n) for k, n in kinds.items()}
    assert set(active_loads(conn, period)) == set(kinds)


def test_every_value_keeps_file_hash_row_column_and_load_time(loaded):
    _, conn = loaded
    data = stored_exports(conn, "2026-helår")
    forskola = next(r for r in data.drift if r.unit == "forskola")
    src = forskola.actual.source
    assert forskola.actual.value == 151_474  # "-151 474" in the file, net cost positive
    assert (src.file, src.row, src.column) == ("data/2026-helår/ekonomi-drift.csv", 7,
                                                "Utfall perioden")
    load = active_loads(conn, "2026-helår")["drift"]
    assert src.sha256 == load["sha256"] and len(src.sha256) == 64
    assert load["loaded_at"] == T0
    figure = next(f for f in data.key_figures if f.key == "årets_resultat" and f.year == 2024)
    assert (figure.value.value, figure.value.source.row, figure.value.source.column) == (
        18_600, 7, "2024")


def test_a_rerun_with_the_same_exports_changes_nothing(project):
    conn = store.connect(":memory:")
    model, _ = project.period("2026-helår")
    load_exports(conn, project, model, "2026-helår", T0)
    before = _all_tables(conn)
    summary, problems = load_exports(conn, project, model, "2026-helår", T1)
    assert {i.state for i in summary.items} == {"oförändrad"}
    assert summary.summary_line() == (
        "Exporterna i data/2026-helår/: 8 oförändrade (redan inlästa).")
    assert problems == []
    assert _all_tables(conn) == before


def test_a_changed_export_replaces_the_earlier_load_and_keeps_it_as_history(project):
    conn = store.connect(":memory:")
    model, _ = project.period("2026-helår")
    load_exports(conn, project, model, "2026-helår", T0)
    path = project.root / "data" / "2026-helår" / "ekonomi-drift.csv"
    original = path.read_bytes()
    # Förskola's utfall (row 7) and BUN's total (row 6) both 100 tkr higher
    _edit(path, "-151\u00a0474", "-151\u00a0574")
    _edit(path, "-563\u00a0451", "-563\u00a0551")
    summary, problems = load_exports(conn, project, model, "2026-helår", T1)
    assert problems == []
    item = summary.item("drift")
    assert (item.state, item.replaced) == ("inläst", "data/2026-helår/ekonomi-drift.csv")
    assert {i.state for i in summary.items if i.kind != "drift"} == {"oförändrad"}
    loads = conn.execute("SELECT id, state, replaced_by, loaded_at FROM export_load WHERE "
                         "kind = 'drift' ORDER BY id").fetchall()
    assert [(r["state"], r["replaced_by"], r["loaded_at"]) for r in loads] == [
        ("ersatt", loads[1]["id"], T0), ("aktiv", None, T1)]
    assert next(r for r in stored_exports(conn, "2026-helår").drift
                if r.unit == "forskola").actual.value == 151_574
    # the ekonom goes back to the first export: it is in use again, nothing is duplicated
    path.write_bytes(original)
    summary, _ = load_exports(conn, project, model, "2026-helår", T1)
    assert summary.item("drift").state == "inläst"
    assert [r["state"] for r in conn.execute(
        "SELECT state FROM export_load WHERE kind = 'drift' ORDER BY id")] == ["aktiv", "ersatt"]
    assert next(r for r in stored_exports(conn, "2026-helår").drift
                if r.unit == "forskola").actual.value == 151_474


@pytest.mark.parametrize(("old", "new", "code", "row", "column"), [
    # a verksamhet row that does not add up to the nämnd's total row (row 6, BUN)
    ("-151\u00a0474", "-151\u00a0574", "export-total-mismatch", 6, "Utfall perioden"),
    # Elevhälsa's ansvar 34 → 39, which no unit has
    ("Ansvar;34;", "Ansvar;39;", "export-unknown-ansvar", 10, "Ansvar"),
    # a letter O for a zero in Gymnasium's utfall
    ("-122\u00a0609", "-122\u00a06O9", "export-not-number", 9, "Utfall perioden"),
])
def test_an_inconsistent_export_is_stored_as_fel_and_the_good_one_stays_in_use(
        project, old, new, code, row, column):
    conn = store.connect(":memory:")
    model, _ = project.period("2026-helår")
    load_exports(conn, project, model, "2026-helår", T0)
    good = active_loads(conn, "2026-helår")["drift"]["id"]
    _edit(project.root / "data" / "2026-helår" / "ekonomi-drift.csv", old, new)
    summary, problems = load_exports(conn, project, model, "2026-helår", T1)
    assert (code, "data/2026-helår/ekonomi-drift.csv", row, column) in [
        (p.code, p.location.file, p.location.row, p.location.column) for p in problems]
    assert summary.item("drift").state == "fel" and summary.has_errors
    assert active_loads(conn, "2026-helår")["drift"]["id"] == good
    bad = conn.execute("SELECT * FROM export_load WHERE state = 'fel'").fetchone()
    assert conn.execute("SELECT count(*) FROM export_drift WHERE load_id = ?",
                        (bad["id"],)).fetchone()[0] == 0
    assert (code, row, column) in [tuple(r) for r in conn.execute(
        "SELECT code, row, col FROM export_problem WHERE load_id = ?", (bad["id"],))]
    status = {s.kind: s for s in export_status(conn, model, "2026-helår")}["drift"]
    assert (status.state, status.in_use) == ("fel", "data/2026-helår/ekonomi-drift.csv")
    assert any(f"rad {row}" in text for text in status.problems)
    # the same broken file again: not stored twice
    again, _ = load_exports(conn, project, model, "2026-helår", T1)
    assert again.item("drift").state == "fel"
    assert conn.execute("SELECT count(*) FROM export_load WHERE kind = 'drift'"
                        ).fetchone()[0] == 2


def test_a_first_export_with_a_fel_gives_no_figures(project):
    _edit(project.root / "data" / "2026-helår" / "ekonomi-drift.csv", "Ansvar;34;",
          "Ansvar;39;")
    conn = store.connect(":memory:")
    model, _ = project.period("2026-helår")
    load_exports(conn, project, model, "2026-helår", T0)
    assert "drift" not in active_loads(conn, "2026-helår")
    assert stored_exports(conn, "2026-helår").drift == []
    assert {s.kind: (s.state, s.in_use) for s in export_status(
        conn, model, "2026-helår")}["drift"] == ("fel", "")


def test_cp1252_utf8_bom_and_xlsx_exports_give_identical_store_content(tmp_path):
    """Real-shaped Swedish exports: ';', decimal comma, space or NBSP between thousands,
    cp1252 without BOM and UTF-8 with BOM, and the same exports saved as xlsx."""
    variants = FIXTURE / "data" / "varianter"
    cp1252 = (variants / "ekonomi-drift-cp1252.csv").read_bytes()
    assert not cp1252.startswith(b"\xef\xbb\xbf") and "Nivå".encode("cp1252") in cp1252
    assert b"-151 474,7" in cp1252  # Förskola's utfall: thousands with space, decimal comma
    assert (variants / "ekonomi-drift-utf8-bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    dumps = []
    for i, (drift, hr) in enumerate((
            ("ekonomi-drift-cp1252.csv", "hr-sjukfranvaro-cp1252.csv"),
            ("ekonomi-drift-utf8-bom.csv", "hr-sjukfranvaro-utf8-bom.csv"),
            ("ekonomi-drift.xlsx", "hr-sjukfranvaro.xlsx"))):
        project = _project(tmp_path / str(i))
        folder = project.root / "data" / "2026-helår"
        for name, variant in (("ekonomi-drift", drift), ("hr-sjukfranvaro", hr)):
            (folder / f"{name}.csv").unlink()
            shutil.copy(variants / variant, folder / f"{name}{Path(variant).suffix}")
        conn = store.connect(":memory:")
        model, _ = project.period("2026-helår")
        summary, problems = load_exports(conn, project, model, "2026-helår", T0)
        assert problems == [] and summary.item("drift").rows == 26
        dumps.append(table_dump(conn, "2026-helår"))
        forskola = next(r for r in stored_exports(conn, "2026-helår").drift
                        if r.unit == "forskola")
        assert forskola.actual.value == 151_474.7
        hashes = {r["kind"]: r["sha256"] for r in conn.execute("SELECT * FROM export_load")}
        dumps[-1]["hashes"] = [(hashes["drift"], hashes["personal"])]  # type: ignore[list-item]
    assert len(dumps[0]["export_drift"]) == 26 and len(dumps[0]["export_hr"]) == 120
    for other in dumps[1:]:
        for table in ("export_drift", "export_hr", "export_key_figure"):
            assert other[table] == dumps[0][table]
    assert len({d["hashes"][0] for d in dumps}) == 3  # three different files, same content


def test_drift_of_a_nämnd_from_the_store_equals_its_rows_by_hand(loaded):
    from reportkit.consolidate.economy import drift_lines

    _, conn = loaded
    lines = {x.unit: x for x in drift_lines(stored_exports(conn, "2026-helår").drift,
                                            interim=False)}
    vof = lines["VON"]
    # ekonomi-drift.csv rows 12–15 (41–44): internbudget, anslagsförändring, utfall
    assert vof.budget == 181_356 + 129_540 + 90_678 + 30_226 + 2_000
    assert vof.actual == 443_740  # the export's own total row 11, which the rows add up to
    assert vof.deviation == 433_800 - 443_740


def test_sick_leave_of_a_nämnd_sums_the_hours_of_its_verksamheter(loaded):
    from reportkit.consolidate.economy import sick_leave

    _, conn = loaded
    by_unit = {s.unit: s for s in sick_leave(stored_exports(conn, "2026-helår").hr)}
    bun = by_unit["BUN"]
    # hr-sjukfranvaro.csv, Totalt rows 25, 31, 37, 43 (ansvar 31–34)
    assert bun.ratio("totalt").value == pytest.approx(
        (28_119 + 34_433 + 8_104 + 3_306) / (322_676 + 482_523 + 124_764 + 43_030))
    assert bun.ratio("långtid").value == pytest.approx(
        (13_479 + 13_953 + 3_433 + 1_642) / (28_119 + 34_433 + 8_104 + 3_306))
    # Miljö- och byggnämnden: 8 + 11 + 9 employees. Bygglov alone (8) is not shown, the
    # nämnd (28) is, from the summed hours of rows 109, 115, 121
    mbn = by_unit["MBN"]
    assert by_unit["bygg"].ratio("totalt").value is None
    assert mbn.ratio("totalt").value == pytest.approx(
        (675 + 1_115 + 964) / (12_036 + 15_632 + 13_422))


def test_financial_goals_are_assessed_from_the_exports(loaded):
    project, conn = loaded
    mapping, _ = load_mapping(project.root / "data")
    model, period = project.period("2026-helår")
    goals = {g.goal_id: g for g in financial_goals(model, period,
                                                    stored_exports(conn, "2026-helår"), mapping)}
    kf7 = goals["KF7"].indicators[0]
    # nyckeltal.csv row 23 (resultat_andel_skatt), 2026: 2,3 against "minst 2"
    assert (kf7.value, kf7.status, goals["KF7"].status) == (2.3, "uppfyllt", "uppfyllt")
    kf8 = {i.indicator_id: i for i in goals["KF8"].indicators}
    # (årets resultat 31 700 + avskrivningar 58 900) / nettoinvesteringar 114 507
    assert kf8["KF8-I1"].value == pytest.approx((31_700 + 58_900) / 114_507 * 100)
    # nämnder with budget − utfall ≥ 0: KS (146 600 − 144 893), BUN (565 900 − 563 451),
    # KFN (44 700 − 44 164); not VON, SN, MBN
    assert (kf8["KF8-I2"].value, kf8["KF8-I2"].status) == (3, "ej_uppfyllt")
    model, period = project.period("2026-delår")
    delar = {g.goal_id: g for g in financial_goals(model, period,
                                                    stored_exports(conn, "2026-delår"), mapping)}
    # delår: the ekonom's prognos 1,8 % (nyckeltal.csv, Prognos 2026)
    assert (delar["KF7"].indicators[0].basis, delar["KF7"].indicators[0].value) == (
        "prognos", 1.8)


def test_economy_for_the_documents(loaded):
    from reportkit.documents.economy import economy_for

    project, conn = loaded
    model, period = project.period("2026-delår")
    economy = economy_for(project, model, period)
    assert [d.committee_id for d in economy.drift] == ["KS", "BUN", "VON", "SN", "KFN", "MBN"]
    ks = economy.drift[0]
    # delår rows 3–5: internbudget 62 412 + 56 468 + 29 720, anslagsförändring −2 000
    assert (ks.budget, ks.budget_changes, ks.forecast) == (146_600, -2_000, 145_379)
    assert len(economy.drift_detail) == 20
    assert {d.committee_id for d in economy.drift_detail if d.name == "Förskola"} == {"BUN"}
    balance = {b.key: b for b in economy.balanskrav}
    # prognos 2026 in mnkr: 24 500 − 0 + 0 − 900 − 8 000 + 0 tkr
    assert balance["balanskravsresultat"].values[2026] == pytest.approx(15.6)
    assert balance["balanskravsresultat"].total
    sums = conn.execute(
        "SELECT sum(h.sick_hours), sum(h.ordinary_hours) FROM export_hr h JOIN export_load l "
        "ON l.id = h.load_id WHERE l.period = '2026-delår' AND l.state = 'aktiv' "
        "AND h.grp = 'totalt'").fetchone()
    # 2024 and 2025 were never consolidated: their helår HR exports are read from data/
    assert [s.year for s in economy.sick_leave] == [2024, 2025, 2026]
    assert economy.sick_leave[-1].total == pytest.approx(sums[0] / sums[1])
    assert economy.sick_leave[1].total == pytest.approx(_hr_total(project, "2025-helår"))
    assert economy.sick_leave[0].total > economy.sick_leave[1].total
    # the bolag's own figures (bolag.csv; delår has 2024 and 2025): mnkr, %, antal
    exbo = {r.label: r.values for r in economy.companies if r.company_id == "EXBO"}
    assert exbo["Omsättning, mnkr"] == {2024: pytest.approx(182.4), 2025: pytest.approx(189.9)}
    assert exbo["Resultat efter finansiella poster, mnkr"][2025] == pytest.approx(11.3)
    assert exbo["Soliditet, %"][2025] == pytest.approx(18.9)
    assert exbo["Antal anställda"][2024] == 41
    p2401 = next(i for i in economy.investments if i.project == "Ny förskola Västra")
    assert (p2401.forecast, p2401.total_decided, p2401.total_estimated) == (
        24_426, 86_000, 83_083)
    plan = economy_for(project, *project.period("2026-plan"))
    assert plan.drift == [] and len(plan.frames) == 6 and len(plan.investment_plan) == 12


def _hr_total(project: Project, period: str) -> float:
    """Total sjukfrånvaro of the kommun worked out from the CSV's Totalt rows by hand."""
    lines = (project.root / "data" / period / "hr-sjukfranvaro.csv").read_text(
        "utf-8-sig").splitlines()[1:]
    rows = [line.split(";") for line in lines if line.split(";")[3] == "Totalt"]

    def num(text: str) -> int:
        return int(text.replace("\u00a0", "").replace(" ", ""))

    return sum(num(r[6]) for r in rows) / sum(num(r[5]) for r in rows)


def test_explain_takes_a_figure_down_to_its_rows(loaded):
    project, conn = loaded
    model, _ = project.period("2026-helår")
    lines = explain_figure(conn, model, "2026-helår", "drift:BUN")
    text = "\n".join(lines)
    assert "Avvikelse 2\u00a0449\u00a0tkr" in text
    assert ("Utfall 151\u00a0474\u00a0tkr [data/2026-helår/ekonomi-drift.csv, rad 7, "
            "kolumn Utfall perioden]") in text
    assert lines[-1].startswith("Fil data/2026-helår/ekonomi-drift.csv: sha256 ")
    # an ansvar code works as well as the unit's id
    assert explain_figure(conn, model, "2026-helår", "drift:31")[0].startswith("Drift Förskola")
    inv = "\n".join(explain_figure(conn, model, "2026-helår", "investering:P2401"))
    assert "Avvikelse 2\u00a0915\u00a0tkr = budget 32\u00a0000\u00a0tkr − utfall 29\u00a0085" in inv
    small = "\n".join(explain_figure(conn, model, "2026-helår", "sjukfrånvaro:kulturskola:män"))
    assert "visas inte – 6 anställda" in small and "rad 99" in small
    assert "Sjukfrånvaro timmar" not in small  # no hours of a group that could point to a person
    bk = "\n".join(explain_figure(conn, model, "2026-helår", "balanskrav"))
    assert "= Årets balanskravsresultat 17\u00a0900\u00a0tkr" in bk
    with pytest.raises(ReportkitError) as err:
        explain_figure(conn, model, "2026-helår", "drift:XYZ")
    assert err.value.problems[0].code == "export-figure-unknown"
    with pytest.raises(ReportkitError) as err:
        explain_figure(conn, model, "2026-plan", "sjukfrånvaro:kommun")
    assert err.value.problems[0].code == "export-not-loaded"


def test_status_lists_loaded_missing_and_fel_exports(project):
    conn = store.connect(":memory:")
    model, _ = project.period("2026-helår")
    (project.root / "data" / "2026-helår" / "bolag.csv").unlink()
    summary, problems = load_exports(conn, project, model, "2026-helår", T0)
    assert summary.item("bolag").state == "saknas"
    assert [(p.code, p.severity) for p in problems] == [("export-missing", "varning")]
    status = {s.kind: s for s in export_status(conn, model, "2026-helår")}
    assert (status["bolag"].state, status["bolag"].file) == ("saknas", "data/2026-helår/bolag.csv")
    assert status["drift"].state == "inläst" and status["drift"].rows == 26
    plan_model, _ = project.period("2026-plan")
    assert [(s.kind, s.state) for s in export_status(conn, plan_model, "2026-plan")] == [
        ("nyckeltal", "saknas"), ("ramar", "saknas"), ("investeringsplan", "saknas")]


def test_load_joins_the_callers_transaction(project):
    conn = store.connect(":memory:")
    model, _ = project.period("2026-delår")
    with store.transaction(conn):
        load_exports(conn, project, model, "2026-delår", T0)
        assert conn.in_transaction
    assert len(active_loads(conn, "2026-delår")) == 8


def test_unknown_indicator_in_the_financial_mapping_is_reported(project):
    path = project.root / "data" / "import.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("KF8-I2:", "KF9-I9:"),
                    encoding="utf-8")
    conn = store.connect(":memory:")
    model, _ = project.period("2026-helår")
    _, problems = load_exports(conn, project, model, "2026-helår", T0)
    assert [(p.code, p.location.key) for p in problems] == [
        ("config-invalid-value", "finansiella_mål.KF9-I9")]


def test_economy_sheets_in_the_sammanstallning(loaded, tmp_path):
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from reportkit.consolidate.economy_sheets import economy_sheet_data, write_economy_sheets

    project, conn = loaded
    model, _ = project.period("2026-helår")
    mapping, _ = load_mapping(project.root / "data")
    # BUN's own comment on its economy, from the Texter sheet of its workbook
    sid = conn.execute("INSERT INTO submission(period, unit_id, level, file, sha256, loaded_at,"
                       " state) VALUES ('2026-helår', 'BUN', 'nämnd', 'BUN.xlsx', 'ab', ?, "
                       "'aktiv')", (T0,)).lastrowid
    conn.execute("INSERT INTO text_entry VALUES (?, 'ekonomi', ?, 'Texter', 'B9')",
                 (sid, "=SUM(1) Fler barn i förskolan än budgeterat."))
    data = economy_sheet_data(conn, model, "2026-helår", mapping)
    written = {}
    for committee in (None, "MBN"):
        path = tmp_path / f"{committee}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
        written[committee] = write_economy_sheets(wb, data, model, "2026-helår", committee)
        wb.close()
    assert written[None] == ["Drift", "Investeringar", "Balanskrav", "Flerårsöversikt",
                             "Finansiella mål", "Avstämningar", "Sjukfrånvaro", "Exporter"]
    assert written["MBN"] == ["Drift", "Investeringar", "Sjukfrånvaro"]
    book = CalamineWorkbook.from_path(str(tmp_path / "None.xlsx"))
    drift = book.get_sheet_by_name("Drift").to_python()
    bun = next(r for r in drift if r[0] == "Barn- och utbildningsnämnden")
    assert bun[2:6] == [565_900, 3_500, 563_451, 2_449]
    assert bun[6] == "ekonomi-drift.csv rad 7–10"
    assert bun[7] == "=SUM(1) Fler barn i förskolan än budgeterat."  # text, not a formula
    mbn = CalamineWorkbook.from_path(str(tmp_path / "MBN.xlsx"))
    sick = mbn.get_sheet_by_name("Sjukfrånvaro").to_python()
    bygg = next(r for r in sick if r[0].strip() == "Bygglov")
    assert bygg[2] == "färre än 10" and set(bygg[3:]) == {"–"}
    assert [r[0].strip() for r in sick[2:6]] == ["Miljö- och byggnämnden", "Bygglov",
                                                 "Miljö- och hälsoskydd", "Plan och mät"]
    goals = book.get_sheet_by_name("Finansiella mål").to_python()
    assert next(r for r in goals if r[0] == "KF7")[6] == "● Uppfyllt"
    # the reconciliations with named items, and the figures that must agree (all Ja here)
    recon = book.get_sheet_by_name("Avstämningar").to_python()
    kfa = [r[0] for r in recon].index(
        "Nettoinvesteringar: investeringsredovisningen och kassaflödesanalysen")
    start, target = recon[kfa + 1], recon[kfa + 4]
    assert round(start[2]) == 114_507 and target[2] == 131_500
    assert sum(r[2] for r in recon[kfa + 1:kfa + 4]) == target[2]
    assert {r[5] for r in recon if r[5] in ("Ja", "Nej")} == {"Ja"}
    # the headers name the kommun's levels, in its words
    assert drift[1][0] == "Nämnd / verksamhet"
    assert book.get_sheet_by_name("Investeringar").to_python()[1][2] == "Nämnd"
    import dataclasses
    own = dataclasses.replace(data, levels={**data.levels, "nämnd": "Styrelse",
                                            "verksamhet": "KF-område"})
    wb = xlsxwriter.Workbook(str(tmp_path / "own.xlsx"), {"strings_to_formulas": False})
    write_economy_sheets(wb, own, model, "2026-helår", None)
    wb.close()
    book = CalamineWorkbook.from_path(str(tmp_path / "own.xlsx"))
    assert book.get_sheet_by_name("Drift").to_python()[1][0] == "Styrelse / KF-område"
    assert book.get_sheet_by_name("Investeringar").to_python()[1][2] == "Styrelse"


def test_cli_explain_names_the_export_rows_of_a_figure(loaded):
    from click.testing import CliRunner

    from reportkit.cli import main

    project, _ = loaded
    out = CliRunner().invoke(main, ["explain", "drift:BUN", str(project.root), "--period",
                                    "2026-helår"])
    assert out.exit_code == 0, out.output
    assert "ekonomi-drift.csv, rad 7, kolumn Utfall perioden" in out.output
    bad = CliRunner().invoke(main, ["explain", "drift:XYZ", str(project.root), "--period",
                                    "2026-helår"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
