"""The accounts a revisor checks (#30 items 2–4): Exempelkommun's disclosures, budgets and
reconciliations from its exports, and every "must agree" invariant of docs/avstamningar.md
broken in the data and seen as a varning."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.consolidate import disclosures as d
from reportkit.documents.reconcile import check_agreements
from reportkit.documents.reportdata import example_reportdata
from reportkit.sources.exports import read_exports
from reportkit.sources.records import ExportData, KeyFigure, SourceRef, Value
from reportkit.styrmodell.project import as_project

EXEMPEL = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun"


@cache
def _exports(period: str) -> ExportData:
    project = as_project(EXEMPEL)
    data = read_exports(project.root / "data", period, project.styrmodell(2026))
    assert not [p for p in data.problems if p.severity == "fel"], data.problems
    return data


def _accounts(period: str = "2026-helår", figures: list[KeyFigure] | None = None,
              **kwargs) -> d.Accounts:
    data = _exports(period)
    return d.build_accounts(data.key_figures if figures is None else figures, data.drift,
                            data.investments, 2026, interim=period.endswith("delår"),
                            plan=period.endswith("plan"),
                            plan_investments=data.investment_plan, **kwargs)


def _changed(period: str, key: str, year: int, kind: str, value: float | None
             ) -> list[KeyFigure]:
    out, found = [], False
    for f in _exports(period).key_figures:
        if (f.key, f.year, f.kind) == (key, year, kind):
            f = dataclasses.replace(f, value=Value(value, f.value.source))
            found = True
        out.append(f)
    assert found, (key, year, kind)
    return out


def _varnings(accounts: d.Accounts, period_type: str = "helår") -> list:
    data = example_reportdata(period_type)
    data.economy.accounts = accounts
    return check_agreements(data)


def test_exempelkommun_rr_has_budget_and_avvikelse_with_summa_rows_from_the_posts() -> None:
    rr = {line.key: line for line in _accounts().income}
    assert rr["årets_resultat"].values == {"fg": 22_900, "budget": 20_000, "utfall": 31_700,
                                           "avvikelse": 11_700}
    assert rr["verksamhetens_nettokostnad"].values["utfall"] == -1_314_800
    assert rr["verksamhetens_nettokostnad"].kind == "sum"


def test_delarsrapport_rr_has_the_prognos_against_budget() -> None:
    rr = {line.key: line for line in _accounts("2026-delår").income}
    assert rr["årets_resultat"].values["prognos"] == 24_500
    assert rr["årets_resultat"].values["avvikelse"] == 4_500


def test_ansvarsforbindelser_pensions_with_loneskatt_borgen_and_kommuninvest() -> None:
    notes = {n.key: n for n in _accounts().notes}
    assert list(notes) == ["pensioner", "borgen", "kommuninvest"]
    pension = notes["pensioner"].lines
    assert pension[-1].values["2026"] == 338_300 + 82_072
    borgen = [ln.label for ln in notes["borgen"].lines]
    assert borgen[:2] == ["Kommunens bolag", "Exempelkommuns Bostads AB"]
    assert notes["borgen"].lines[-1].values["2026"] == 1_012_000 + 3_800 + 120


def test_loneskatt_is_computed_at_24_26_percent_when_the_export_has_none() -> None:
    figures = [f for f in _exports("2026-helår").key_figures
               if f.key != "pension_före_1998_löneskatt"]
    pension = next(n for n in _accounts(figures=figures).notes if n.key == "pensioner")
    assert pension.lines[1].values["2026"] == round(338_300 * 0.2426)


def test_soliditet_with_and_without_the_pension_obligation_explains_the_420_mnkr() -> None:
    rows = {ln.key: ln.values["2026"] for ln in _accounts().solvency}
    assert round(rows["soliditet"], 1) == 35.6
    assert round(rows["soliditet_inkl_pension"], 1) == 14.1
    assert round(rows["pension_summa"] / 1000, 1) == 420.4


def test_the_principle_change_is_found_in_the_export() -> None:
    change = _accounts().principle_change
    assert change is not None and change.value == 22_600
    assert "ändrad_redovisningsprincip" in change.source


def test_plan_budgets_and_skattesats_for_the_plan_years() -> None:
    acc = _accounts("2026-plan")
    assert acc.plan_years == [2026, 2027, 2028]
    assert list(acc.plan) == ["resultatbudget", "balansbudget", "finansieringsbudget"]
    result = next(ln for ln in acc.plan["resultatbudget"] if ln.key == "årets_resultat")
    assert result.values == {"2026": 20_000, "2027": 18_500, "2028": 21_000}
    balance = {ln.key: ln.values for ln in acc.plan["balansbudget"]}
    assert balance["balansomslutning"] == balance["summa_eget_kapital_och_skulder"]
    assert acc.tax_rates == {2026: 22.39, 2027: 22.39, 2028: 22.64}


@pytest.mark.parametrize("period", ["2026-helår", "2026-delår", "2026-plan"])
def test_exempelkommun_figures_agree_and_every_reconciliation_sums(period: str) -> None:
    acc = _accounts(period)
    assert acc.agreements and all(a.ok for a in acc.agreements)
    assert _varnings(acc, "delår" if period.endswith("delår") else "helår") == []
    for rec in acc.reconciliations:
        assert abs(rec.unexplained) < 0.5, rec.title
        total = rec.start.value + sum(i.value for i in rec.items)
        assert total == pytest.approx(rec.target.value)


def test_the_three_reconciliations_of_the_issue() -> None:
    recs = {r.key: r for r in _accounts().reconciliations}
    assert set(recs) == {"investeringar_kfa", "investeringar_not", "drift_rr"}
    assert round(recs["investeringar_kfa"].start.value / 1000, 1) == 114.5
    assert recs["investeringar_kfa"].target.value == 131_500
    assert recs["investeringar_not"].target.value == 104_300
    assert round(recs["drift_rr"].start.value / 1000, 1) == 1_332.5
    assert recs["drift_rr"].target.value == 1_314_800


# every must-agree invariant (docs/avstamningar.md), broken in the data
BROKEN = [
    ("2026-helår", "årets_resultat", 2026, "utfall", 30_000, "resultat",
     "Balanskravsutredningen börjar med resultaträkningens årets resultat"),
    ("2026-helår", "summa_skulder", 2026, "utfall", 1_100_000, "balans_2026",
     "Balansräkningen 2026 balanserar"),
    ("2026-helår", "soliditet", 2025, "utfall", 36.0, "soliditet_2025",
     "Soliditeten 2025 är eget kapital i procent av tillgångarna"),
    ("2026-helår", "soliditet_inkl_pension", 2026, "utfall", 35.6, "soliditet_inkl_pension_2026",
     "inklusive samtliga pensionsförpliktelser"),
    ("2026-helår", "pension_före_1998_löneskatt", 2026, "utfall", 70_000, "löneskatt_2026",
     "24,26 %"),
    ("2026-helår", "investeringar", 2026, "utfall", 129_600, "investeringar",
     "investeringsredovisningens summa"),
    ("2026-delår", "investeringar", 2026, "prognos", 120_000, "investeringar",
     "investeringsredovisningens summa"),
    ("2026-plan", "summa_skulder", 2027, "budget", 1_000_000, "balansbudget_2027",
     "Balansbudgeten 2027 balanserar"),
    ("2026-plan", "investeringar", 2028, "budget", 71_000, "investeringsplan_2028",
     "investeringsplanens summa"),
]


@pytest.mark.parametrize("period,key,year,kind,value,agreement,words", BROKEN,
                         ids=[b[5] + "-" + b[0] for b in BROKEN])
def test_a_broken_must_agree_invariant_is_a_varning_naming_both_places(
        period: str, key: str, year: int, kind: str, value: float, agreement: str,
        words: str) -> None:
    acc = _accounts(period, _changed(period, key, year, kind, value))
    broken = [a for a in acc.agreements if not a.ok]
    assert agreement in [a.key for a in broken]
    found = [p for p in _varnings(acc, "delår" if period.endswith("delår") else "helår")
             if p.code == "economy-figures-disagree" and words in p.message]
    assert found, [p.message for p in _varnings(acc)]
    assert found[0].severity == "varning"
    assert key in found[0].message or "nyckeltal.csv" in found[0].message  # the sources


def test_an_export_sourced_indicator_that_shows_another_figure_is_a_varning() -> None:
    acc = _accounts()
    data = example_reportdata("helår")
    ind = next(i for g in data.goals for i in g.indicators)
    acc.indicator_figures = [(ind.id, ind.name, (ind.actual or 0) + 5, "nyckeltal.csv rad 7")]
    data.economy.accounts = acc
    found = [p for p in check_agreements(data) if p.code == "economy-figures-disagree"]
    assert len(found) == 1 and ind.id in found[0].message
    assert "nyckeltal.csv rad 7" in found[0].message
    acc.indicator_figures = [(ind.id, ind.name, ind.actual or 0, "nyckeltal.csv rad 7")]
    assert check_agreements(data) == []


def test_a_reconciliation_item_missing_is_an_unexplained_difference_and_a_varning() -> None:
    figures = [f for f in _exports("2026-helår").key_figures
               if f.key != "avst_drift_kommungemensamt"]
    acc = _accounts(figures=figures)
    drift = next(r for r in acc.reconciliations if r.key == "drift_rr")
    assert drift.unexplained == pytest.approx(13_736)
    found = [p for p in _varnings(acc) if p.code == "economy-reconciliation-unexplained"]
    assert len(found) == 1 and "avst_drift_" in found[0].hint
    assert "ekonomi-drift.csv" in found[0].message and "nyckeltal.csv" in found[0].message


def _figure(key: str, value: float, row: int) -> KeyFigure:
    return KeyFigure(key, key, "tkr", 2026, "utfall",
                     Value(value, SourceRef("data/2026-helår/nyckeltal.csv", "x", row, "2026")))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50_000, 50_000), max_size=5), st.integers(0, 200_000))
def test_a_reconciliation_table_always_sums_to_its_target(items: list[int], target: int
                                                          ) -> None:
    """start + named items + the unexplained row = target, whatever the export holds."""
    figures = [f for f in _exports("2026-helår").key_figures
               if not f.key.startswith("avst_inv_kfa_") and f.key != "kfa_investeringar"]
    figures += [_figure(f"avst_inv_kfa_{i}", v, 50 + i) for i, v in enumerate(items)]
    figures.append(_figure("kfa_investeringar", target, 49))
    rec = next(r for r in _accounts(figures=figures).reconciliations
               if r.key == "investeringar_kfa")
    assert len(rec.items) == len(items)
    assert rec.start.value + sum(i.value for i in rec.items) + rec.unexplained == \
        pytest.approx(target)


def test_a_project_planned_beyond_its_beslutad_totalutgift_is_a_varning() -> None:
    data = _exports("2026-helår")
    acc = _accounts()
    assert [a.key for a in acc.agreements if a.key.startswith("totalutgift_")] == [
        "totalutgift_P2401", "totalutgift_P2402", "totalutgift_P2501", "totalutgift_P2603",
        "totalutgift_P2605"]
    planned = [dataclasses.replace(p, value=Value(3_290, p.value.source))
               if (p.project_id, p.year) == ("P2605", 2027) else p
               for p in data.investment_plan]
    acc = d.build_accounts(data.key_figures, data.drift, data.investments, 2026,
                           interim=False, plan_investments=planned)
    found = [p for p in _varnings(acc) if "P2605" in p.message]
    assert len(found) == 1 and "investeringsplan.csv" in found[0].message
    assert "12\u00a0290 tkr" in found[0].message and "9\u00a0400 tkr" in found[0].message
