"""The rule texts of assess.py, word for word: what a report shows under a status to explain it
(mutation survivors, issue 23 item 4). One call per rule; the whole result is compared."""

from __future__ import annotations

from reportkit.styrmodell.assess import (
    DELVIS,
    EJ_AKTUELL,
    EJ_UPPFYLLT,
    UPPFYLLT,
    GoalResult,
    IndicatorResult,
    Underlag,
    assess_indicator,
    combine_indicators,
    roll_up,
)

P = "\u00a0%"


def test_roll_up_texts() -> None:
    assert roll_up([UPPFYLLT, DELVIS, DELVIS, EJ_UPPFYLLT, EJ_UPPFYLLT]) == Underlag(
        {"uppfyllt": 1, "delvis": 2, "ej_uppfyllt": 2}, "ej_uppfyllt",
        "flest: Ej uppfyllt (2 av 5) → Ej uppfyllt")
    assert roll_up([UPPFYLLT, EJ_UPPFYLLT], "medel") == Underlag(
        {"uppfyllt": 1, "ej_uppfyllt": 1}, "delvis",
        "medel av stegpoäng (Uppfyllt = 2, Delvis uppfyllt = 1, Ej uppfyllt = 0): 2 / 2 = 1"
        " → Delvis uppfyllt")
    assert roll_up([UPPFYLLT, DELVIS, EJ_AKTUELL], "svagast") == Underlag(
        {"uppfyllt": 1, "delvis": 1, "ej_aktuell": 1}, "delvis",
        "svagaste underliggande → Delvis uppfyllt")
    assert roll_up([UPPFYLLT] * 4 + [EJ_UPPFYLLT], "andel") == Underlag(
        {"uppfyllt": 4, "ej_uppfyllt": 1}, "delvis",
        f"andel Uppfyllt: 4 av 5 = 80,0{P} → Delvis uppfyllt")
    assert roll_up([]) == Underlag({}, None, "inget underlag")
    assert roll_up([EJ_AKTUELL, None]) == Underlag(
        {"ej_matt": 1, "ej_aktuell": 1}, "ej_matt",
        "ingen bedömning att väga (1 Ej mätt, 1 Ej aktuell) → Ej mätt")


def test_combine_indicators_texts() -> None:
    results = [assess_indicator(72, 90), assess_indicator(95, 90)]
    counts = {"uppfyllt": 1, "delvis": 1}
    assert combine_indicators(results) == GoalResult(
        0.9, "delvis", f"medel (varje indikator högst 100{P}): (80,0{P} + 100,0{P}) / 2 = 90,0{P}",
        counts)
    assert combine_indicators(results, "andel") == GoalResult(
        0.5, "ej_uppfyllt", f"andel indikatorer Uppfyllt: 1 av 2 = 50,0{P}", counts)
    assert combine_indicators(results, "svagast") == GoalResult(
        0.8, "delvis", f"svagaste indikatorn = 80,0{P}", counts)


def test_kvot_below_a_target_under_1_is_a_ratio_and_negatives_are_named() -> None:
    assert assess_indicator(0.25, 0.5) == IndicatorResult(
        0.5, "ej_uppfyllt", f"utfall 0,25 / målvärde 0,5 = 50,0{P}")
    assert assess_indicator(-1, 0.5) == IndicatorResult(
        0.0, "ej_uppfyllt", "negativt utfall, kvot går inte att använda: utfall −1 < målvärde"
        f" 0,5 → ej uppnått (0{P})")
    assert assess_indicator(1, -0.5) == IndicatorResult(
        1.0, "uppfyllt", "negativt målvärde, kvot går inte att använda: utfall 1 ≥ målvärde"
        f" −0,5 → uppnått (100{P})")
