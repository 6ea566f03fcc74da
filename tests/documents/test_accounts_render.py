"""The accounts in the rendered documents (#30 items 2–4): RR with budget or prognos, the
ansvarsförbindelser notes numbered after the ekonomiavdelning's statements and referenced,
soliditet with and without pensions, redovisningsprinciper, the note a changed principle
needs, the verksamhetsplan's budgets and skattesats, and reconciliation tables that sum."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from docx import Document
from testkit import docx_text

from reportkit.consolidate import disclosures as d
from reportkit.documents.compose import render_report
from reportkit.documents.reconcile import last_statement_note, number_notes
from reportkit.documents.reportdata import example_reportdata
from reportkit.sources.exports import read_exports
from reportkit.sources.tables import parse_number
from reportkit.styrmodell.project import as_project
from reportkit.texts import PRINCIPLE_CHANGE_TITLE

EXEMPEL = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun"
STATEMENTS = EXEMPEL / "data" / "2026-helår" / "finansiella-rapporter-helår.docx"


def _accounts(period: str) -> d.Accounts:
    project = as_project(EXEMPEL)
    data = read_exports(project.root / "data", period, project.styrmodell(2026))
    return d.build_accounts(data.key_figures, data.drift, data.investments, 2026,
                            interim=period.endswith("delår"), plan=period.endswith("plan"),
                            plan_investments=data.investment_plan)


def _render(tmp: Path, period_type: str, document: str, accounts: d.Accounts,
            statements: Path | None = None):
    data = example_reportdata(period_type)
    data.economy.accounts = accounts
    number_notes(data, statements)
    texts = tmp / "texter" / data.period.id
    result = render_report(document, data, tmp / f"{document}.docx", texts_dir=texts,
                           with_charts=False, statements=statements)
    return result, texts


def _tables(path: Path, first_cell: str) -> list[list[list[str]]]:
    out = []
    for table in Document(str(path)).tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows and rows[0][0] == first_cell:
            out.append(rows)
    return out


def _number(text: str) -> float:
    value = parse_number(text.replace("\u2212", "-"))
    assert value is not None, text
    return value


@pytest.fixture(scope="module")
def arsredovisning(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("ars")
    return _render(tmp, "helår", "arsredovisning", _accounts("2026-helår"), STATEMENTS)


def test_the_statements_notes_end_at_8_so_ours_start_at_9() -> None:
    assert last_statement_note(STATEMENTS) == 8
    assert last_statement_note(None) == 0


def test_ansvarsforbindelser_are_numbered_notes_referenced_from_their_list(arsredovisning
                                                                           ) -> None:
    result, _ = arsredovisning
    text = docx_text(result.path)
    for title in ("Not 9 Ansvarsförbindelse: pensionsförpliktelser",
                  "Not 10 Ansvarsförbindelse: borgensåtaganden",
                  "Not 11 Ansvarsförbindelse: Kommuninvest ekonomisk förening",
                  "Not 12 Ändrad redovisningsprincip eller rättelse av fel"):
        assert title in text
    listed = [t for t in _tables(result.path, "Mnkr") if t[0][1] == "Not"][-1]
    assert [r[1] for r in listed[1:]] == ["9", "10", "11"]
    assert listed[1][3] == "420,4"
    assert "solidarisk borgen" in text


def test_soliditet_is_explained_with_and_without_the_pensions(arsredovisning) -> None:
    result, _ = arsredovisning
    text = docx_text(result.path)
    assert "35,6 %" in text and "14,1 %" in text and "420,4 mnkr" in text
    assert "(not 9)" in text


def test_rr_with_budget_and_avvikelse(arsredovisning) -> None:
    result, _ = arsredovisning
    rr = next(t for t in _tables(result.path, "Mnkr") if "Budget 2026" in t[0])
    assert rr[0] == ["Mnkr", "Utfall 2025", "Budget 2026", "Utfall 2026", "Avvikelse"]
    assert rr[-1] == ["Årets resultat", "22,9", "20,0", "31,7", "11,7"]


def test_redovisningsprinciper_has_a_default_text(arsredovisning) -> None:
    result, texts = arsredovisning
    assert (texts / "redovisningsprinciper.docx").is_file()
    assert "blandmodellen" in docx_text(result.path)


def test_a_changed_principle_without_its_note_text_is_a_varning(arsredovisning) -> None:
    result, texts = arsredovisning
    assert (texts / "andrad-redovisningsprincip.docx").is_file()
    missing = [p for p in result.problems if p.code == "section-text-missing"
               and PRINCIPLE_CHANGE_TITLE in p.message]
    assert missing and missing[0].severity == "varning"


def test_no_principle_change_no_note_and_no_varning(tmp_path: Path) -> None:
    accounts = dataclasses.replace(_accounts("2026-helår"), principle_change=None)
    result, texts = _render(tmp_path, "helår", "arsredovisning", accounts, STATEMENTS)
    assert not (texts / "andrad-redovisningsprincip.docx").exists()
    assert "Ändrad redovisningsprincip eller rättelse" not in docx_text(result.path)
    assert not [p for p in result.problems if PRINCIPLE_CHANGE_TITLE in p.message]


def test_every_reconciliation_table_in_the_document_sums(arsredovisning) -> None:
    result, _ = arsredovisning
    tables = _tables(result.path, "Post")
    assert len(tables) == 3
    for rows in tables:
        start, *items, target = rows[1:]
        total = _number(start[2]) + sum(_number(r[2]) for r in items)
        assert total == pytest.approx(_number(target[2]), abs=0.15), rows
        assert target[0].startswith("= ") and "nyckeltal.csv" in target[1]
    assert not [p for p in result.problems if p.code.startswith("economy-")]


def test_delarsrapport_has_the_prognos_against_budget_and_beraknad_totalutgift(
        tmp_path: Path) -> None:
    result, _ = _render(tmp_path, "delår", "delarsrapport", _accounts("2026-delår"))
    rr = next(t for t in _tables(result.path, "Mnkr") if "Budget 2026" in t[0])
    assert rr[0][3] == "Prognos 2026"
    assert rr[-1] == ["Årets resultat", "22,9", "20,0", "24,5", "4,5"]
    investments = next(t for t in _tables(result.path, "Projekt") if "Prognos helår" in t[0])
    assert investments[0][-1] == "Beräknad totalutgift"
    assert "Helårsprognos jämförd med budget" in docx_text(result.path)


def test_verksamhetsplan_has_the_three_budgets_and_the_skattesats(tmp_path: Path) -> None:
    result, texts = _render(tmp_path, "plan", "verksamhetsplan", _accounts("2026-plan"))
    text = docx_text(result.path)
    for heading in ("Resultatbudget", "Balansbudget", "Finansieringsbudget", "Skattesats",
                    "Koncernföretagens ekonomi"):
        assert heading in text
    assert "beslutat skattesatsen 22,39 kr" in text and "ett antagande" in text
    rates = _tables(result.path, "År")[0]
    assert rates[1:] == [["2026", "22,39", "beslutad av fullmäktige"],
                         ["2027", "22,39", "antagande i planen"],
                         ["2028", "22,64", "antagande i planen"]]
    balance = next(t for t in _tables(result.path, "Mnkr") if t[3][0] == "Summa tillgångar")
    assert balance[3][1:] == balance[-1][1:]
    assert (texts / "koncernforetagens-ekonomi.docx").is_file()


def _statements_with(tmp: Path, label: str, value: str) -> Path:
    doc = Document(str(STATEMENTS))
    for table in doc.tables:
        for row in table.rows:
            if row.cells[0].text.strip() == label:
                row.cells[2].paragraphs[0].runs[0].text = value
                path = tmp / "finansiella-rapporter-helår.docx"
                doc.save(str(path))
                return path
    raise AssertionError(label)


@pytest.mark.parametrize("label,value,agreement", [
    ("Summa tillgångar", "1 960,8", "Ekonomiavdelningens balansräkning balanserar"),
    ("Summa tillgångar", "1 960,8", "nyckeltalens balansomslutning"),
    ("Årets resultat", "30,7", "resultaträkningens årets resultat"),
])
def test_the_statements_must_balance_and_agree_with_the_key_figures(
        tmp_path: Path, label: str, value: str, agreement: str) -> None:
    from reportkit.documents.reconcile import check_agreements

    data = example_reportdata("helår")
    data.economy.accounts = _accounts("2026-helår")
    number_notes(data, STATEMENTS)
    assert check_agreements(data) == []
    data.economy.accounts = _accounts("2026-helår")
    number_notes(data, _statements_with(tmp_path, label, value))
    found = [p for p in check_agreements(data) if agreement in p.message]
    assert found and found[0].code == "economy-figures-disagree"
    assert "finansiella-rapporter-helår.docx, raden" in found[0].message
