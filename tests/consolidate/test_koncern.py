"""The kommunal koncern (issue 30 item 1): koncern.csv read and checked, proportional
consolidation with eliminations, the reconciliation kommun → koncern, explain down to the
company's export row, and what the documents show. Figures worked out by hand from
fixtures/exempelkommun/data/<period>/koncern.csv (fixtures/make_koncern.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.consolidate import koncern as kc
from reportkit.consolidate.exports import explain_figure, load_exports, stored_exports
from reportkit.sources.exports import read_exports
from reportkit.sources.koncern import KOMMUN
from reportkit.sources.koncern_config import KoncernCompany, KoncernMapping
from reportkit.sources.mapping import ImportMapping, load_mapping
from reportkit.storage import store
from reportkit.styrmodell.project import Project

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "fixtures" / "exempelkommun"
DATA = FIXTURE / "data"
T0 = "2026-09-10T08:00:00+00:00"
HEADER = "Period;Företag;Rapport;Post;Motpart;Belopp"


@pytest.fixture(scope="module")
def model():
    return Project.open(FIXTURE).styrmodell(2026)


def _koncern(model, period: str) -> kc.Koncern:
    mapping, problems = load_mapping(DATA)
    assert problems == []
    data = read_exports(DATA, period, model, mapping, kinds=("koncern",))
    assert [p for p in data.problems if p.is_error] == []
    names = {u.id: u.name for u in model.units.values()}
    return kc.consolidate(data.koncern, mapping.koncern, names, kommun_name="Exempelkommun")


@pytest.mark.parametrize("period", ["2026-helår", "2026-delår"])
def test_exempelkommun_koncern_balance_sheet_balances(model, period):
    k = _koncern(model, period)
    assets = k.figure(kc.ASSETS)
    assert assets == pytest.approx(k.figure(kc.OTHER_SIDE))
    assert k.figure(kc.ASSETS, kommun=True) == k.figure(kc.OTHER_SIDE, kommun=True)
    assert k.problems == []


@pytest.mark.parametrize("period", ["2026-helår", "2026-delår"])
@pytest.mark.parametrize("key", list(kc.RECONCILED))
def test_reconciliation_items_sum_to_the_difference(model, period, key):
    items = kc.reconcile(_koncern(model, period), key)
    kommun, middle, koncern = items[0], items[1:-1], items[-1]
    assert sum(i.amount for i in middle) == pytest.approx(koncern.amount - kommun.amount)
    assert koncern.amount == pytest.approx(_koncern(model, period).figure(
        kc.RECONCILED[key][1]))


def test_exempelkommun_figures_by_hand(model):
    k = _koncern(model, "2026-helår")
    # årets resultat: kommunen 31 700 + EXBO 9 600 + EXFAST 950 + 40 % of 6 800 + 25 % of 500
    assert k.figure(kc.RR_LAYOUT[-1][1]) == pytest.approx(31_700 + 9_600 + 950 + 2_720 + 125)
    # eget kapital: the owners' shares out against the equity at acquisition
    assert k.total("eget_kapital") == pytest.approx(
        696_000 + 295_100 + 21_900 + 0.4 * 64_000 + 0.25 * 14_500
        - 25_000 - 20_000 - 0.4 * 30_000 - 0.25 * 8_000)
    # the bolag's pensions as in their own accounts, only the owned share
    assert k.total("avsättningar_pensioner") == pytest.approx(
        104_900 + 3_200 + 0.4 * 900 + 0.25 * 21_000)


def test_part_owned_company_is_eliminated_at_the_owned_share(model):
    k = _koncern(model, "2026-helår")
    energy = [s for s in k.steps if s.kind == "eliminering" and "EXENERGI" in
              (s.party, s.counterpart)]
    # the kommun buys energy for 9 000: 40 % of the sale and of the purchase go out
    sale = next(s for s in energy if s.party == "EXENERGI" and
                s.post == "verksamhetens_intäkter")
    purchase = next(s for s in energy if s.party == KOMMUN and
                    s.post == "verksamhetens_kostnader")
    assert (sale.share, sale.amount) == (pytest.approx(0.4), pytest.approx(-3_600))
    assert (purchase.share, purchase.amount) == (pytest.approx(0.4), pytest.approx(3_600))
    # the kommun's shares (12 000) go out whole, against 40 % of the equity at acquisition
    holding = next(s for s in energy if s.party == KOMMUN and
                   s.post == "finansiella_anläggningstillgångar")
    equity = next(s for s in energy if s.post == "eget_kapital")
    assert (holding.share, holding.amount) == (1.0, -12_000)
    assert equity.amount == pytest.approx(-12_000)
    # the company's revenue: 40 % of 142 000 in, 3 600 out
    intake = [s for s in k.steps if s.post == "verksamhetens_intäkter" and
              s.party == "EXENERGI"]
    assert sum(s.amount for s in intake) == pytest.approx(0.4 * 142_000 - 3_600)


def test_a_company_of_ringa_betydelse_is_left_out_with_its_reason(model):
    k = _koncern(model, "2026-helår")
    turism = k.party("EXTURISM")
    assert turism is not None and not turism.included
    assert turism.reason.startswith("Ringa betydelse")
    assert not any(s.party == "EXTURISM" or s.counterpart == "EXTURISM" for s in k.steps)
    # the dotterbolag is in through its owner, at 100 % × 100 %
    assert k.party("EXFAST").share == 1.0 and k.party("EXFAST").owner == "EXBO"


def _company(kommun: dict[str, float], company: dict[str, float],
             internal: list[tuple[str, str, str, float]], shares: tuple[float, float]
             ) -> str:
    lines = [HEADER]
    for who, figures in (("Kommunen", kommun), ("AB", company)):
        for post, value in figures.items():
            statement = "RR" if post in (*kc.RR_LAYOUT[-1][1], "årets_resultat") else "BR"
            lines.append(f"202601-202612;{who};{statement};{post};;{value:.0f}")
    lines.append(f"202601-202612;AB;Ägande;ägarandel;;{shares[0]:.0f}")
    lines.append(f"202601-202612;AB;Ägande;röstandel;;{shares[1]:.0f}")
    for who, post, other, value in internal:
        lines.append(f"202601-202612;{who};Internt;{post};{other};{value:.0f}")
    return "\r\n".join(lines) + "\r\n"


def _read(tmp_path: Path, text: str, companies: list[KoncernCompany] | None = None):
    folder = tmp_path / "data" / "2026-helår"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "koncern.csv").write_text(text, encoding="utf-8")
    mapping = ImportMapping(perioder={"2026-helår": "202601-202612"}, koncern=KoncernMapping(
        företag=companies or [KoncernCompany(id="AB", namn="Bolaget AB")]))
    data = read_exports(tmp_path / "data", "2026-helår", {"1": "KS"}, mapping,
                        kinds=("koncern",))
    return data, mapping


def _accounts(revenue: float, equity: float, debt: float, result: float = 0.0
              ) -> dict[str, float]:
    """An RR adding up to ``result`` and a BR that balances."""
    return {"verksamhetens_intäkter": revenue, "verksamhetens_kostnader": -revenue + result,
            "årets_resultat": result, "mark_byggnader": equity + debt, "eget_kapital": equity,
            "långfristiga_skulder": debt}


@settings(max_examples=60, deadline=None)
@given(share=st.integers(20, 100), revenue=st.integers(1_000, 900_000),
       sale=st.integers(0, 1_000), loan=st.integers(0, 1_000),
       acquisition=st.integers(1, 500), debt=st.integers(2_000, 90_000),
       result=st.integers(-500, 500))
def test_proportional_consolidation(tmp_path_factory, share, revenue, sale, loan,
                                    acquisition, debt, result):
    """For any owned share: each koncern post is the kommun's plus the share of the
    company's less the share of the internal items; the BR balances; the reconciliation
    adds up."""
    equity = acquisition * 100 + 1_000
    holding = acquisition * share  # the kommun paid its share of the equity at acquisition
    kommun = {"verksamhetens_intäkter": 50_000, "verksamhetens_kostnader": -60_000,
              "skatteintäkter": 20_000, "årets_resultat": 10_000,
              "finansiella_anläggningstillgångar": holding + loan,
              "mark_byggnader": 300_000, "eget_kapital": 200_000,
              "långfristiga_skulder": 100_000 + holding + loan}
    company = _accounts(revenue, equity, debt, result)
    internal = [("Kommunen", "verksamhetens_kostnader", "AB", -sale),
                ("AB", "verksamhetens_intäkter", "Kommunen", sale),
                ("Kommunen", "finansiella_anläggningstillgångar", "AB", loan),
                ("AB", "långfristiga_skulder", "Kommunen", loan),
                ("Kommunen", "andelar_i_koncernföretag", "AB", holding),
                ("AB", "eget_kapital", "Kommunen", acquisition * 100)]
    data, mapping = _read(tmp_path_factory.mktemp("h"),
                          _company(kommun, company, internal, (share, share)))
    assert [p.message for p in data.problems] == []
    k = kc.consolidate(data.koncern, mapping.koncern)
    s = share / 100
    assert k.total("verksamhetens_intäkter") == pytest.approx(50_000 + s * revenue - s * sale)
    assert k.total("verksamhetens_kostnader") == pytest.approx(
        -60_000 + s * (-revenue + result) + s * sale)
    assert k.total("långfristiga_skulder") == pytest.approx(
        100_000 + holding + loan + s * debt - s * loan)
    assert k.total("eget_kapital") == pytest.approx(200_000 + s * equity - holding)
    assert k.figure(kc.ASSETS) == pytest.approx(k.figure(kc.OTHER_SIDE))
    assert k.figure(kc.RR_LAYOUT[-1][1]) == pytest.approx(10_000 + s * result)
    for key in kc.RECONCILED:
        items = kc.reconcile(k, key)
        assert sum(i.amount for i in items[1:-1]) == pytest.approx(
            items[-1].amount - items[0].amount, abs=1e-6)


def _simple(**kommun_changes: float) -> str:
    kommun = {"verksamhetens_intäkter": 100, "verksamhetens_kostnader": -90,
              "årets_resultat": 10, "mark_byggnader": 1_000, "eget_kapital": 600,
              "långfristiga_skulder": 400, **kommun_changes}
    return _company(kommun, _accounts(500, 200, 300), [], (40, 40))


def test_an_unbalanced_balance_sheet_is_a_swedish_fel_with_file_row_and_column(tmp_path):
    data, _ = _read(tmp_path, _simple(eget_kapital=650))
    (found,) = [p for p in data.problems if p.code == "koncern-unbalanced"]
    assert found.is_error
    assert (found.location.file, found.location.row, found.location.column) == (
        "data/2026-helår/koncern.csv", 6, "Belopp")
    assert found.message.replace("\xa0", " ") == (
        "Kommunen: tillgångarna är 1 000 tkr men eget kapital, avsättningar och skulder "
        "1 050 tkr (skillnad -50).")


def test_a_broken_export_names_file_row_and_column_of_every_fel(tmp_path):
    text = _simple().replace("Kommunen;RR;årets_resultat;;10", "Kommunen;RR;årets_resultat;;12")
    text = text.replace("AB;BR;mark_byggnader;;500", "AB;BR;mark_byggnader;;fem")
    text += "202601-202612;Okänt AB;RR;verksamhetens_intäkter;;1\r\n"
    text += "202601-202612;AB;RR;omsättning;;1\r\n"
    data, _ = _read(tmp_path, text)
    found = [(p.code, p.location.row, p.location.column) for p in data.problems]
    assert ("export-total-mismatch", 4, "Belopp") in found
    assert ("export-not-number", 11, "Belopp") in found
    assert ("koncern-unknown-company", 16, "Företag") in found
    assert ("export-invalid-value", 17, "Post") in found
    assert "koncern-unbalanced" not in {code for code, _, _ in found}  # no fel follows a fel
    assert all(p.is_error for p in data.problems if p.code != "koncern-company-incomplete")
    unknown = next(p for p in data.problems if p.code == "koncern-unknown-company")
    assert "'Okänt AB' är varken kommunen eller ett koncernföretag" in unknown.message


def test_internal_items_that_disagree_give_a_varning_and_the_balance_sheet_still_balances(
        tmp_path):
    internal = [("Kommunen", "fordringar", "AB", 100), ("AB", "kortfristiga_skulder",
                                                        "Kommunen", 80)]
    kommun = {"årets_resultat": 0, "mark_byggnader": 900, "fordringar": 100,
              "eget_kapital": 1_000}
    company = {**_accounts(500, 200, 300), "långfristiga_skulder": 220,
               "kortfristiga_skulder": 80}
    data, mapping = _read(tmp_path, _company(kommun, company, internal, (100, 100)))
    assert [p.code for p in data.problems] == []
    k = kc.consolidate(data.koncern, mapping.koncern)
    (warning,) = k.problems
    assert (warning.code, warning.severity) == ("koncern-internal-mismatch", "varning")
    assert "skillnad 20 tkr" in warning.message
    assert k.figure(kc.ASSETS) == pytest.approx(k.figure(kc.OTHER_SIDE))


def test_a_company_under_twenty_percent_of_the_votes_is_not_consolidated(tmp_path):
    data, mapping = _read(tmp_path, _company(
        {"årets_resultat": 0, "mark_byggnader": 1, "eget_kapital": 1},
        _accounts(500, 200, 300), [], (15, 15)))
    k = kc.consolidate(data.koncern, mapping.koncern)
    assert [p.code for p in k.problems] == ["koncern-below-threshold"]
    assert not k.party("AB").included and k.included == []
    assert k.total("mark_byggnader") == 1


def test_no_koncern_file_is_expected_without_koncernforetag(tmp_path):
    (tmp_path / "data" / "2026-helår").mkdir(parents=True)
    data = read_exports(tmp_path / "data", "2026-helår", {"1": "KS"},
                        ImportMapping(perioder={"2026-helår": "202601-202612"}),
                        kinds=("koncern",))
    assert data.files == [] and data.problems == []


def test_explain_goes_from_a_koncern_figure_to_the_companys_export_row(tmp_path):
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURE / "styrmodell", root / "styrmodell")
    shutil.copytree(DATA, root / "data")
    project = Project.open(root)
    conn = store.connect(project.store_path)
    model, _ = project.period("2026-helår")
    mapping, _ = load_mapping(root / "data")
    load_exports(conn, project, model, "2026-helår", T0)
    assert len(stored_exports(conn, "2026-helår").koncern) == 137
    lines = [line.replace("\xa0", " ") for line in explain_figure(
        conn, model, "2026-helår", "koncern:verksamhetens_intäkter", mapping=mapping)]
    assert lines[0] == "Koncernen, verksamhetens intäkter: 570 100 tkr"
    assert ("  + Exempeldalens Energi AB, 40 % av 142 000 tkr = 56 800 tkr "
            "[data/2026-helår/koncern.csv, rad 72, kolumn Belopp]") in lines
    assert any(line.startswith("  − eliminering Exempeldalens Energi AB mot Exempelkommun, "
                               "40 % av 9 000 tkr") for line in lines)
    result = explain_figure(conn, model, "2026-helår", "koncern:årets_resultat",
                            mapping=mapping)
    assert result[0].replace("\xa0", " ") == "Koncernen, årets resultat: 45 095 tkr"
    conn.close()


def test_the_sammanstallning_has_the_koncern_and_its_steps_with_their_rows(tmp_path):
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from reportkit.consolidate.economy_sheets import write_economy_sheets

    root = tmp_path / "projekt"
    shutil.copytree(FIXTURE / "styrmodell", root / "styrmodell")
    shutil.copytree(DATA, root / "data")
    project = Project.open(root)
    conn = store.connect(project.store_path)
    model, _ = project.period("2026-helår")
    mapping, _ = load_mapping(root / "data")
    load_exports(conn, project, model, "2026-helår", T0)
    wb = xlsxwriter.Workbook(str(tmp_path / "s.xlsx"))
    names = write_economy_sheets(wb, conn, model, "2026-helår", mapping=mapping)
    wb.close()
    conn.close()
    assert names[-3:] == ["Koncern", "Koncernens steg", "Exporter"]
    book = CalamineWorkbook.from_path(str(tmp_path / "s.xlsx"))
    rows = book.get_sheet_by_name("Koncern").to_python()
    total = next(r for r in rows if r[0] == "Summa tillgångar")
    other = next(r for r in rows if r[0] == "Summa eget kapital, avsättningar och skulder")
    assert total[1:3] == other[1:3] == [1_954_800, 3_506_400]
    assert [r[:4] for r in rows if r[0] in ("Kommunen", "Koncernen")] == [
        ["Kommunen", 31_700, 696_000, 1_954_800], ["Koncernen", 45_095, 983_225, 3_506_400]]
    steps = book.get_sheet_by_name("Koncernens steg").to_python()[2:]
    energy = next(r for r in steps if r[2] == "Exempeldalens Energi AB" and r[1] == "Eliminering"
                  and r[0] == "Verksamhetens intäkter")
    assert energy[4:] == [9_000, 0.4, -3_600, "data/2026-helår/koncern.csv", 134, "Belopp"]
