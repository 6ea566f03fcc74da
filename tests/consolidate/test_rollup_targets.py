"""The roll-up assesses Fyrkanta's målvärden by their rules (issue 25 item 2): the
mandatperiod's in its last year (2026), a range, and a direction against the previous year's
value from the history, the same aggregate the trend shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit.consolidate.rollup import Measurement, _measuring_units, _RollUp
from reportkit.styrmodell.assess import DELVIS, EJ_UPPFYLLT, SAKNAR_MALVARDE, UPPFYLLT
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.targets import TargetRange, TargetTrend
from reportkit.workbook.content import scale_of

FYRKANTA = Path(__file__).resolve().parents[2] / "fixtures" / "fyrkanta" / "styrmodell" / \
    "2026.yaml"


@pytest.fixture(scope="module")
def model():
    found, problems = load_styrmodell(FYRKANTA)
    assert found is not None, [p.line() for p in problems]
    return found


def _result(model, period: str, goal: str, indicator: str, values: dict[str, float],
            history: dict[str, dict[int, float]] | None = None):
    measured = {(indicator, u): Measurement(u, v, None, "", f"{u}.xlsx", "0" * 64,
                                            "Indikatorer", "H4") for u, v in values.items()}
    hist = {(indicator, u): h for u, h in (history or {}).items()}
    roll = _RollUp(model, model.period(period), scale_of(model), measured, {}, {}, hist,
                   _measuring_units(model))
    return roll.indicator(model.goals[goal], model.indicators[indicator][0])[0]


@pytest.mark.parametrize("period", ["2026-helår", "2026-delår"])
def test_the_last_year_of_the_mandatperiod_is_assessed_against_its_target(model,
                                                                         period: str) -> None:
    res = _result(model, period, "IM1", "IM1-I1", {"kommun": 75.5})
    assert res.target == 76.0  # not the year's 75
    assert res.status == DELVIS
    assert res.rule.startswith("mandatperiodens målvärde (2023–2026); utfall 75,5 / målvärde 76")


def test_a_range_in_the_roll_up(model) -> None:
    inside = _result(model, "2026-helår", "OMSORG-R1", "OMSORG-R1-I2", {"eken": 90.0})
    assert (inside.target, inside.status) == (TargetRange(90.0, 97.0), UPPFYLLT)
    below = _result(model, "2026-helår", "OMSORG-R1", "OMSORG-R1-I2", {"eken": 89.9})
    assert below.status == EJ_UPPFYLLT


def test_a_direction_is_compared_with_last_years_value_from_the_history(model) -> None:
    history = {"TN": {2024: 85.0, 2025: 88.0}}
    higher = _result(model, "2026-helår", "TN-E1", "TN-E1-I1", {"TN": 91.0}, history)
    assert (higher.target, higher.status) == (TargetTrend(True), UPPFYLLT)
    assert higher.rule == "ska öka: utfall 91 > föregående värde 88 → uppnått (100\xa0%)"
    assert higher.history == {2024: 85.0, 2025: 88.0}
    same = _result(model, "2026-helår", "TN-E1", "TN-E1-I1", {"TN": 88.0}, history)
    assert same.status == EJ_UPPFYLLT
    # two years ago is not last year: no value to compare with
    older = _result(model, "2026-helår", "TN-E1", "TN-E1-I1", {"TN": 91.0}, {"TN": {2024: 85.0}})
    assert older.status == SAKNAR_MALVARDE
    assert older.rule == "föregående värde saknas: riktningen kan inte bedömas"
