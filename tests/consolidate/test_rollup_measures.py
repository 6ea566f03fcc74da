"""The roll-up counts only the units that measure an indicator (issue 25 item 3): a unit not
named by ``mäts_på`` does not move the aggregate even when a value of its is in the store, a
unit that marked the row Ej aktuell is left out and counted in the rule text, and all Ej aktuell
makes the indicator Ej aktuell. Exempelkommun's measures variant (tests/measures_variant.py)."""

from __future__ import annotations

import pytest
from measures_variant import BY_CATEGORY, BY_LIST, GRUNDSKOLOR, write_variant

from reportkit.consolidate.rollup import Measurement, _measuring_units, _RollUp
from reportkit.styrmodell.assess import EJ_AKTUELL, EJ_MATT
from reportkit.styrmodell.model import load_styrmodell
from reportkit.workbook.content import scale_of

PERIOD = "2026-delår"


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory):
    model, problems = load_styrmodell(write_variant(tmp_path_factory.mktemp("measures")))
    assert model is not None, [p.line() for p in problems]
    return model


def _m(unit: str, actual: float | None, comment: str = "") -> Measurement:
    return Measurement(unit, actual, None, comment, f"{unit}.xlsx", "0" * 64, "Indikatorer",
                       "H4")


def _indicator(model, pair: tuple[str, str], values: dict[str, Measurement]):
    goal_id, ind_id = pair
    roll = _RollUp(model, model.period(PERIOD), scale_of(model),
                   {(ind_id, u): m for u, m in values.items()}, {}, {}, {},
                   _measuring_units(model))
    return roll.indicator(model.goals[goal_id], model.indicators[ind_id][0])[0]


def test_the_fast_measuring_units_agree_with_the_model(variant) -> None:
    fast = _measuring_units(variant)
    for ind, goal_id in variant.indicators.values():
        goal = variant.goals[goal_id]
        assert [u.id for u in fast(ind, goal)] == \
            [u.id for u in variant.measuring_units(ind, goal)], ind.id


def test_a_unit_outside_the_category_does_not_move_the_average(variant) -> None:
    """Västerskolan (no category) and a förskola have values: they are not counted."""
    res = _indicator(variant, BY_CATEGORY, {
        "centralskolan": _m("centralskolan", 80.0), "angskolan": _m("angskolan", 70.0),
        "norrskolan": _m("norrskolan", 90.0), "vasterskolan": _m("vasterskolan", 0.0),
        "solrosens-forskola": _m("solrosens-forskola", 0.0)})
    assert res.actual == pytest.approx(80.0)
    assert res.rule.startswith("medel av 3 av 3 enheters utfall; ")
    assert "ej aktuell" not in res.rule
    assert sorted(m.unit_id for m in res.measurements) == sorted(GRUNDSKOLOR)
    assert res.missing_units == []


def test_a_listed_indicator_counts_the_listed_units_only(variant) -> None:
    res = _indicator(variant, BY_LIST, {
        "solrosens-forskola": _m("solrosens-forskola", 90.0),
        "larkans-forskola": _m("larkans-forskola", 10.0)})
    assert res.actual == pytest.approx(90.0)
    assert res.rule.startswith("medel av 1 av 2 enheters utfall; ")
    assert res.missing_units == ["ekbackens-forskola"]


def test_ej_aktuell_is_left_out_and_counted_in_the_rule_text(variant) -> None:
    res = _indicator(variant, BY_CATEGORY, {
        "centralskolan": _m("centralskolan", 80.0),
        "norrskolan": _m("norrskolan", None, "Ej aktuell: skolan har bara årskurs F–6")})
    # 3 asked: 1 utfall, 1 Ej aktuell, Ängskolan has not reported
    assert res.actual == pytest.approx(80.0)
    assert res.rule.startswith("medel av 1 av 3 enheters utfall; 1 ej aktuell; ")
    assert res.missing_units == ["angskolan"]
    assert [m.comment for m in res.measurements if m.unit_id == "norrskolan"] == \
        ["Ej aktuell: skolan har bara årskurs F–6"]


def test_ej_aktuell_without_motivation_is_still_left_out(variant) -> None:
    res = _indicator(variant, BY_LIST, {
        "solrosens-forskola": _m("solrosens-forskola", 92.0),
        "ekbackens-forskola": _m("ekbackens-forskola", None, "ej aktuell")})
    assert res.actual == pytest.approx(92.0)
    assert res.rule.startswith("medel av 1 av 2 enheters utfall; 1 ej aktuell; ")


def test_an_utfall_beside_ej_aktuell_counts(variant) -> None:
    res = _indicator(variant, BY_LIST, {
        "solrosens-forskola": _m("solrosens-forskola", 92.0),
        "ekbackens-forskola": _m("ekbackens-forskola", 80.0, "Ej aktuell egentligen")})
    assert res.actual == pytest.approx(86.0)
    assert "ej aktuell" not in res.rule


def test_all_units_ej_aktuell_makes_the_indicator_ej_aktuell(variant) -> None:
    res = _indicator(variant, BY_LIST, {
        u: _m(u, None, "Ej aktuell – inga barn i åldern") for u in
        ("solrosens-forskola", "ekbackens-forskola")})
    assert (res.actual, res.status, res.degree) == (None, EJ_AKTUELL, None)
    assert res.rule.startswith("medel av 0 av 2 enheters utfall; 2 ej aktuell; ")


def test_no_values_at_all_is_ej_matt_as_before(variant) -> None:
    res = _indicator(variant, BY_LIST, {})
    assert res.status == EJ_MATT
    assert res.rule.startswith("medel av 0 av 2 enheters utfall; utfall saknas")
