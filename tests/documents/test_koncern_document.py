"""What the årsredovisning and delårsrapport show of the kommunal koncern (issue 30 item 1):
the sammanställda räkenskaper's Kommunen/Koncernen columns, the reconciliation whose shown
items add up, the koncernföretag with ägarandel, omsättning and resultat, the flerårsöversikt's
koncern columns, and the organisation chart with alt text, the same bytes every time."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from reportkit.consolidate.exports import load_exports
from reportkit.documents import reportdata as rd
from reportkit.documents.koncern import koncern_charts, koncern_report, koncern_values
from reportkit.documents.koncern_chart import organisation_chart
from reportkit.sources.mapping import load_mapping
from reportkit.sources.tables import parse_number
from reportkit.storage import store
from reportkit.styrmodell.project import Project

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "fixtures" / "exempelkommun"
T0 = "2026-09-10T08:00:00+00:00"


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("koncern") / "projekt"
    shutil.copytree(FIXTURE / "styrmodell", root / "styrmodell")
    shutil.copytree(FIXTURE / "data", root / "data")
    project = Project.open(root)
    conn = store.connect(project.store_path)
    mapping, _ = load_mapping(root / "data")
    out = {}
    for period_id, end in (("2026-helår", dt.date(2026, 12, 31)),
                           ("2026-delår", dt.date(2026, 8, 31))):
        model, period = project.period(period_id)
        load_exports(conn, project, model, period_id, T0)
        report = koncern_report(conn, model, period, mapping, project)
        data = rd.ReportData(
            kommun=rd.Kommun("Exempelkommun"),
            period=rd.Period(period_id, period.name, period.type, 2026, end=end),
            economy=rd.Economy(koncern=report))
        out[period_id] = {**koncern_values(data), "_charts": koncern_charts(data)}
    conn.close()
    return out


def _plain(cell: object) -> str:
    """A cell's text (a RichText cell's runs joined)."""
    text = str(cell)
    runs = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", text)
    return "".join(runs) if runs else text


def _n(cell: object) -> float:
    text = _plain(cell).replace("\u2212", "-")
    value = parse_number(text)
    assert value is not None
    return value


def _texts(rows: list[dict], key: str) -> list[str]:
    return [str(r[key]) for r in rows]


@pytest.mark.parametrize("period", ["2026-helår", "2026-delår"])
def test_the_shown_reconciliation_adds_up_in_every_column(values, period):
    rows = values[period]["koncern_avstamning"]
    assert _plain(rows[0]["post"]) == "Kommunen" and _plain(rows[-1]["post"]) == "Koncernen"
    for column in range(3):
        cells = [_plain(r["v"][column]) for r in rows]
        middle = sum(_n(c) for c in cells[1:-1] if c != "–")
        assert round(_n(cells[0]) + middle, 1) == _n(cells[-1])


@pytest.mark.parametrize("period", ["2026-helår", "2026-delår"])
def test_the_sammanstallda_balance_sheet_balances_as_shown(values, period):
    br = {r["post_text"]: r for r in values[period]["koncern_br"]}
    for column in ("kommun", "koncern"):
        assert _plain(br["Summa tillgångar"][column]) == _plain(
            br["Summa eget kapital, avsättningar och skulder"][column])


def test_the_arsredovisning_has_rr_br_and_kfa_and_the_delarsrapport_rr_and_br(values):
    helar, delar = values["2026-helår"], values["2026-delår"]
    assert helar["koncern"] and delar["koncern"]
    assert helar["koncern_kf"] and delar["koncern_kf"] == []
    rr = {r["post_text"]: r for r in helar["koncern_rr"]}
    assert (_plain(rr["Årets resultat"]["kommun"]), _plain(rr["Årets resultat"]["koncern"])) == (
        "31,7", "45,1")
    assert _texts(delar["koncern_rr"], "post_text")[-1] == "Periodens resultat"


def test_den_kommunala_koncernen_lists_each_company(values):
    companies = {c["namn"]: c for c in values["2026-helår"]["koncern_foretag"]}
    energy = companies["Exempeldalens Energi AB"]
    assert (energy["agarandel"], energy["rostandel"], energy["omsattning"],
            energy["resultat"], energy["ingar"]) == ("40\u00a0%", "40\u00a0%", "142,0", "6,8",
                                                     "Ja")
    assert companies["Räddningstjänstförbundet Exempeldalen"]["typ"] == "Kommunalförbund"
    assert companies["Exempelkommuns Turism AB"]["ingar"] == "Nej"
    (left_out,) = values["2026-helår"]["koncern_utanfor"]
    assert left_out["skal"].startswith("Ringa betydelse")


def test_the_flerarsoversikt_has_kommun_and_koncern_columns(values):
    helar = values["2026-helår"]
    assert helar["koncern_flerar_ar"] == ["Kommunen 2025", "Koncernen 2025", "Kommunen 2026",
                                         "Koncernen 2026"]
    result = next(r for r in helar["koncern_flerar"] if r["post"].startswith("Årets resultat"))
    assert result["v"][2:] == ["31,7", "45,1"]
    assert any("soliditet" in t for t in helar["koncern_ekonomi"])


def test_the_organisation_chart_has_alt_text_and_the_same_bytes_every_time(values):
    fn, kwargs = values["2026-helår"]["_charts"]["diagram_koncern"]
    first, second = fn(**kwargs), organisation_chart(**kwargs)
    assert first.png == second.png and first.png.startswith(b"\x89PNG")
    assert first.alt.startswith("Organisationsschema: Den kommunala koncernen 2026.")
    assert "Exempelkommuns Bostads AB äger 100\u00a0% av Exempelkommuns " \
           "Fastighetsförvaltning AB" in first.alt
    assert "Exempelkommuns Turism AB (ingår inte i de sammanställda räkenskaperna)" in first.alt
    assert len(first.alt) <= 600


def test_no_koncern_part_without_koncernforetag():
    data = rd.ReportData(kommun=rd.Kommun("Fyrkanta"),
                         period=rd.Period("2026-helår", "Årsredovisning", "helår", 2026))
    assert koncern_values(data)["koncern"] is False and koncern_charts(data) == {}


def test_without_a_koncern_every_template_variable_still_exists(values):
    data = rd.ReportData(kommun=rd.Kommun("Fyrkanta"),
                         period=rd.Period("2026-helår", "Årsredovisning", "helår", 2026))
    assert set(koncern_values(data)) == {k for k in values["2026-helår"] if k != "_charts"}
