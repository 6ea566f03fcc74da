"""Computed economy and personnel figures against values worked out by hand from the files."""

from pathlib import Path

import pytest

from reportkit.consolidate.economy import (
    balance_requirement,
    balance_result,
    check_reserve_limit,
    drift_lines,
    financial_outcomes,
    investment_lines,
    sick_leave,
)
from reportkit.sources import HrRow, ImportMapping, SourceRef, Value, read_exports
from reportkit.sources.mapping import RESERVE_ROWS
from reportkit.styrmodell.model import load_styrmodell

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun"


@pytest.fixture(scope="module")
def helar():
    model, _ = load_styrmodell(FIXTURE / "styrmodell" / "2026.yaml")
    return read_exports(FIXTURE / "data", "2026-helår", model)


@pytest.fixture(scope="module")
def delar():
    model, _ = load_styrmodell(FIXTURE / "styrmodell" / "2026.yaml")
    return read_exports(FIXTURE / "data", "2026-delår", model)


def test_drift_total_of_a_nämnd_sums_its_verksamheter(helar):
    lines = {line.unit: line for line in drift_lines(helar.drift, interim=False)}
    bun = lines["BUN"]
    # ekonomi-drift.csv rows 7–10 (31–34): internbudget, anslagsförändringar, utfall
    assert bun.budget == 151_848 + 253_080 + 123_728 + 33_744 + 3_500
    assert bun.actual == 151_474 + 255_467 + 122_609 + 33_901
    assert bun.deviation == 565_900 - 563_451 == 2_449
    assert lines["hemtjanst"].deviation == (129_540 + 2_000) - 138_460
    assert bun.forecast is None and lines["kommun"].level == "kommun"


def test_delår_drift_has_forecast_deviation_and_no_period_deviation(delar):
    lines = {line.unit: line for line in drift_lines(delar.drift, interim=True)}
    ks = lines["KS"]
    # delår rows 3–5: internbudget 62 412, 56 468, 29 720; change -2 000 on 11;
    # helårsprognos 59 110, 56 724, 29 545
    assert ks.deviation is None
    assert ks.forecast == 59_110 + 56_724 + 29_545
    assert ks.forecast_deviation == (62_412 + 56_468 + 29_720 - 2_000) - 145_379 == 1_221


def test_investment_deviation_and_total_expenditure(helar, delar):
    line = next(x for x in investment_lines(helar.investments, interim=False)
                if x.project_id == "P2401")
    assert line.deviation == 32_000 - 29_085
    assert line.total_deviation == 86_000 - 83_083
    interim = next(x for x in investment_lines(delar.investments, interim=True)
                   if x.project_id == "P2401")
    assert interim.deviation == 32_000 - 24_426
    one_year = next(x for x in investment_lines(helar.investments, interim=False)
                    if x.project_id == "P2601")
    assert one_year.total_deviation is None


def test_balanskravsresultat_for_several_years(helar):
    lines, problems = balance_requirement(helar.key_figures, [2023, 2024, 2025, 2026],
                                          RESERVE_ROWS)
    assert problems == []
    result = balance_result(lines)
    # nyckeltal.csv: resultat − realisationsvinster + orealiserade − RER/RUR-reservering
    # + användning
    assert result[2026] == 31_700 - 0 + (-1_800) - 12_000
    assert result[2025] == 22_900 - 1_300 + 0 - 8_000
    assert result[2023] == -12_400 - 8_200 + (-1_100) + 12_000
    # the rows read as the legal form (DOMAIN.md): prefix −, +, ±, = before the label
    assert [line.text for line in lines] == [
        "Årets resultat enligt resultaträkningen",
        "\u2212 samtliga realisationsvinster",
        "+ realisationsvinster och -förluster enligt undantagsmöjlighet",
        "± orealiserade förluster och vinster i värdepapper",
        "= Årets resultat efter balanskravsjusteringar",
        "\u2212 reservering till resultatreserv (RER)",
        "+ användning av medel från resultatreserv (RER)",
        "\u2212 reservering till resultatutjämningsreserv (RUR)",
        "+ användning av medel från resultatutjämningsreserv (RUR)",
        "= Årets balanskravsresultat"]
    assert [line.total for line in lines].count(True) == 2


def test_delår_gives_the_prognos_of_balanskravsresultat(delar):
    lines, _ = balance_requirement(delar.key_figures, [2026], RESERVE_ROWS, kind="prognos")
    assert balance_result(lines)[2026] == 24_500 + (-900) - 8_000


def test_hidden_reserve_row_with_an_amount_still_counts_and_warns(helar):
    lines, problems = balance_requirement(helar.key_figures, [2022], ["rer_reservering"])
    assert balance_result(lines)[2022] == 41_200 + 3_400 - 15_000
    assert [(p.code, p.values["value"]) for p in problems] == [
        ("config-invalid-value", "rur_reservering")]
    assert "rur_reservering" not in [line.key for line in lines]


def test_reserve_limit_is_five_percent_of_tax_and_grants(helar):
    assert check_reserve_limit(helar.key_figures, 2026) is None  # 30 000 ≤ 67 630
    fig = next(f for f in helar.key_figures if f.key == "resultatreserv" and f.year == 2026)
    bigger = [f for f in helar.key_figures if f is not fig] + [
        type(fig)(fig.key, fig.name, fig.unit, 2026, "utfall", Value(67_631, fig.value.source))]
    found = check_reserve_limit(bigger, 2026)
    assert found is not None and found.code == "economy-rer-over-limit"


def test_financial_goal_outcomes(helar):
    lines = drift_lines(helar.drift, interim=False)
    out = financial_outcomes(helar.key_figures, 2026, drift=lines)
    assert out["resultat_andel_skatt"] == pytest.approx(31_700 / 1_352_600 * 100)
    investments = sum(i.actual.value for i in helar.investments)
    assert out["självfinansieringsgrad"] == pytest.approx((31_700 + 58_900) / investments * 100)
    assert out["nämnder_inom_ram"] == pytest.approx(
        100 * sum(1 for x in lines if x.level == "nämnd" and x.deviation >= 0) / 6)


def test_each_sick_leave_ratio_of_a_verksamhet(helar):
    forskola = next(s for s in sick_leave(helar.hr) if s.unit == "forskola")
    # hr-sjukfranvaro.csv, ansvar 31 (rows 20–25)
    expected = {"totalt": 28_119 / 322_676, "långtid": 13_479 / 28_119,
                "kvinnor": 27_303 / 307_742, "män": 816 / 14_934,
                "upp_till_29": 3_178 / 49_170, "30_49": 12_706 / 155_192,
                "50_och_äldre": 12_235 / 118_314}
    assert {r.key: r.value for r in forskola.ratios} == pytest.approx(expected)
    assert not any(r.suppressed for r in forskola.ratios)  # 10 men is not below 10


def test_small_group_is_suppressed(helar):
    kulturskola = next(s for s in sick_leave(helar.hr) if s.unit == "kulturskola")
    män = kulturskola.ratio("män")
    assert (män.value, män.suppressed, män.headcount) == (None, True, 6)
    assert kulturskola.ratio("totalt").value == pytest.approx(1_575 / 21_958)
    bygg = next(s for s in sick_leave(helar.hr) if s.unit == "bygg")  # 8 employees
    assert all(r.suppressed and r.value is None for r in bygg.ratios)
    assert ImportMapping().hr.threshold == 10


def _hr(unit, group, heads, ordinary, sick, long):
    ref = SourceRef("x.csv", "0" * 64, 2, "c")
    return HrRow(unit, "N", group, Value(heads, ref), Value(ordinary, ref), Value(sick, ref),
                 Value(long, ref))


def test_rollup_sums_hours_and_never_averages_percentages():
    rows = [_hr("a", "kvinnor", 100, 160_000, 16_000, 8_000),
            _hr("a", "totalt", 100, 160_000, 16_000, 8_000),
            _hr("b", "kvinnor", 12, 10_000, 200, 0),
            _hr("b", "totalt", 12, 10_000, 200, 0)]
    by_unit = {s.unit: s for s in sick_leave(rows)}
    # 10 % and 2 % average to 6 %; summed hours give 16 200 / 170 000
    assert by_unit["N"].ratio("kvinnor").value == pytest.approx(16_200 / 170_000)
    assert by_unit["kommun"].ratio("långtid").value == pytest.approx(8_000 / 16_200)
    assert by_unit["b"].ratio("män").suppressed  # no men: headcount 0
    with_threshold = {s.unit: s for s in sick_leave(rows, threshold=13)}
    assert with_threshold["b"].ratio("totalt").suppressed
    assert not with_threshold["N"].ratio("totalt").suppressed
