"""The roll-up per kön (issue 25): kvinnor and män typed in the units' styrkort combine as the
total does, and only the total is assessed (Fyrkanta's IM1-I3, measured by two schools)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.consolidate.rollup import Measurement, _measuring_units, _RollUp
from reportkit.styrmodell.model import load_styrmodell
from reportkit.workbook.content import scale_of

FYRKANTA = Path(__file__).resolve().parents[2] / "fixtures" / "fyrkanta" / "styrmodell" / \
    "2026.yaml"
SCHOOLS = ("norrskolan", "soderskolan")


@pytest.fixture(scope="module")
def model():
    found, problems = load_styrmodell(FYRKANTA)
    assert found is not None, [p.line() for p in problems]
    return found


def _result(model, values: dict[str, tuple[float | None, float | None, float | None]],
            comments: dict[str, str] | None = None):
    measured = {}
    for unit, (total, women, men) in values.items():
        m = Measurement(unit, total, None, (comments or {}).get(unit, ""), f"{unit}.xlsx",
                        "0" * 64, "Indikatorer", "H6")
        m.by_gender = {g: (v, c) for g, v, c in (("K", women, "I6"), ("M", men, "J6"))
                       if v is not None}
        measured[("IM1-I3", unit)] = m
    roll = _RollUp(model, model.period("2026-helår"), scale_of(model), measured, {}, {}, {},
                   _measuring_units(model))
    return roll.indicator(model.goals["IM1"], model.indicators["IM1-I3"][0])[0]


def test_each_kön_is_the_mean_of_the_units_as_the_total_is(model) -> None:
    res = _result(model, {"norrskolan": (90, 93, 87), "soderskolan": (84, 88, 80)})
    assert res.actual == pytest.approx(87.0)
    assert res.by_gender == {"K": pytest.approx(90.5), "M": pytest.approx(83.5)}
    assert res.rule.startswith("medel av 2 av 2 enheters utfall; "
                               "flickor 90,5\xa0%, pojkar 83,5\xa0%; ")


def test_a_unit_without_a_split_counts_for_the_total_only(model) -> None:
    res = _result(model, {"norrskolan": (90, 93, None), "soderskolan": (84, None, None)})
    assert res.by_gender == {"K": pytest.approx(93.0), "M": None}
    assert "flickor 93,0\xa0%, pojkar –" in res.source_note


def test_ej_aktuell_leaves_its_kön_values_out(model) -> None:
    res = _result(model, {"norrskolan": (90, 93, 87), "soderskolan": (None, 10, 10)},
                  {"soderskolan": "Ej aktuell: ingen årskurs 9"})
    assert res.by_gender == {"K": pytest.approx(93.0), "M": pytest.approx(87.0)}


def test_no_split_typed_means_none_shown(model) -> None:
    res = _result(model, {"norrskolan": (90, None, None), "soderskolan": (84, None, None)})
    assert res.by_gender == {} and "flickor" not in res.source_note


_share = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(total=_share, women=st.one_of(st.none(), _share), men=st.one_of(st.none(), _share))
def test_only_the_total_is_assessed(model, total: float, women: float | None,
                                    men: float | None) -> None:
    alone = _result(model, {"norrskolan": (total, None, None), "soderskolan": (total, None, None)})
    split = _result(model, {"norrskolan": (total, women, men),
                            "soderskolan": (total, women, men)})
    assert (split.status, split.degree, split.actual) == (alone.status, alone.degree,
                                                          alone.actual)
