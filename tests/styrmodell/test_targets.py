"""Målvärden as a range, as a direction and for the mandatperiod: the rules of docs/bedomning.md
(avsnitt 2, "Målvärde som intervall, riktning eller för mandatperioden") with their edges."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.styrmodell.assess import (
    DEFAULT_SCALE,
    EJ_AKTUELL,
    EJ_MATT,
    EJ_UPPFYLLT,
    MATS_VID_HELAR,
    SAKNAR_MALVARDE,
    UPPFYLLT,
    assess_indicator,
    make_scale,
)
from reportkit.styrmodell.config import Indicator, load_config
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.targets import (
    Mandate,
    TargetRange,
    TargetTrend,
    assessed_target,
    mandate_of,
    read_mandate,
    read_target,
    reading_target,
    target_from_json,
    target_text,
    target_to_json,
)

FAST = settings(max_examples=150, deadline=None)
ROOT = Path(__file__).resolve().parents[2]
FYRKANTA = ROOT / "fixtures" / "fyrkanta" / "styrmodell" / "2026.yaml"

# values as a kommun writes them: a few decimals, so the edges are hit exactly
values = st.decimals(min_value=-1000, max_value=1000, places=2).map(float)
ranges = st.tuples(values, values).filter(lambda p: p[0] < p[1]).map(
    lambda p: TargetRange(*p))

# a scale with a step above 100 % ("Överträffat"): a binary rule must land on the 100 % step
FIVE = make_scale([
    {"status": "overtraffat", "label": "Överträffat", "threshold": 1.1, "color": "1B5E20",
     "symbol": "★"},
    {"status": "uppfyllt", "label": "Uppfyllt", "threshold": 1.0, "color": "2E7D32",
     "symbol": "●"},
    {"status": "delvis", "label": "Delvis", "threshold": 0.8, "color": "8A5A00",
     "symbol": "◐"},
    {"status": "svagt", "label": "Svagt", "threshold": 0.5, "color": "B26A00", "symbol": "◑"},
    {"status": "ej", "label": "Ej uppfyllt", "threshold": None, "color": "C62828",
     "symbol": "○"},
])


# -- a range ------------------------------------------------------------------------------------

@FAST
@given(ranges, values)
def test_a_range_is_reached_exactly_inside_it_edges_included(target: TargetRange,
                                                             actual: float) -> None:
    res = assess_indicator(actual, target)
    inside = Decimal(repr(target.low)) <= Decimal(repr(actual)) <= Decimal(repr(target.high))
    assert res.status == (UPPFYLLT if inside else EJ_UPPFYLLT)
    assert res.degree == (1.0 if inside else 0.0)  # never Delvis


@FAST
@given(ranges)
def test_both_edges_of_a_range_are_inside(target: TargetRange) -> None:
    for edge in (target.low, target.high):
        assert assess_indicator(edge, target).status == UPPFYLLT


@FAST
@given(ranges, st.sampled_from(["högre", "lägre"]), st.sampled_from(["kvot", "minst", "högst"]))
def test_a_range_has_its_own_rule_whatever_the_direction_and_target_type(
        target: TargetRange, direction: str, target_type: str) -> None:
    mid = (target.low + target.high) / 2
    res = assess_indicator(mid, target, direction=direction, target_type=target_type)
    assert res.status == UPPFYLLT


def test_a_range_says_where_the_utfall_is() -> None:
    target = TargetRange(90, 97)
    assert assess_indicator(95, target).rule == \
        "intervall 90–97: utfall 95 inom → uppnått (100\xa0%)"
    assert "utfall 89,9 under" in assess_indicator(89.9, target).rule
    assert "utfall 97,1 över" in assess_indicator(97.1, target).rule


def test_inside_a_range_lands_on_the_step_for_100_percent_not_above() -> None:
    assert assess_indicator(95, TargetRange(90, 97), scale=FIVE).status == "uppfyllt"
    assert assess_indicator(98, TargetRange(90, 97), scale=FIVE).status == "ej"


# -- a direction --------------------------------------------------------------------------------

@FAST
@given(values, values)
def test_ska_oka_is_reached_exactly_when_the_utfall_is_above_the_previous(
        actual: float, previous: float) -> None:
    up = assess_indicator(actual, TargetTrend(True), previous=previous)
    down = assess_indicator(actual, TargetTrend(False), direction="lägre", previous=previous)
    assert up.status == (UPPFYLLT if actual > previous else EJ_UPPFYLLT)
    assert down.status == (UPPFYLLT if actual < previous else EJ_UPPFYLLT)
    assert {up.degree, down.degree} <= {0.0, 1.0}


@FAST
@given(values)
def test_an_unchanged_value_reaches_neither_direction(value: float) -> None:
    for way in (True, False):
        assert assess_indicator(value, TargetTrend(way), previous=value).status == EJ_UPPFYLLT


@FAST
@given(values, values, values)
def test_a_higher_utfall_never_lowers_the_status_of_ska_oka(a: float, b: float,
                                                          previous: float) -> None:
    low, high = sorted((a, b))
    rank = DEFAULT_SCALE.rank
    t = TargetTrend(True)
    assert rank(assess_indicator(high, t, previous=previous).status) <= \
        rank(assess_indicator(low, t, previous=previous).status)


def test_a_direction_without_the_previous_value_cannot_be_assessed() -> None:
    res = assess_indicator(7.0, TargetTrend(False), direction="lägre")
    assert (res.status, res.degree) == (SAKNAR_MALVARDE, None)
    assert res.rule == "föregående värde saknas: riktningen kan inte bedömas"
    # the previous value missing comes before the utfall missing, as a missing målvärde does
    assert assess_indicator(None, TargetTrend(True)).status == SAKNAR_MALVARDE
    assert assess_indicator(None, TargetTrend(True), previous=5).status == EJ_MATT


def test_a_direction_says_what_it_compared() -> None:
    res = assess_indicator(6.2, TargetTrend(False), direction="lägre", previous=6.6)
    assert res.rule == "ska minska: utfall 6,2 < föregående värde 6,6 → uppnått (100\xa0%)"
    res = assess_indicator(6.6, TargetTrend(False), direction="lägre", previous=6.6)
    assert res.rule.startswith("ska minska: utfall 6,6 = föregående värde 6,6 → ej uppnått")


def test_specials_come_first_for_a_range_and_a_direction_too() -> None:
    for target in (TargetRange(1, 2), TargetTrend(True)):
        assert assess_indicator(5, target, applicable=False, previous=1).status == EJ_AKTUELL
        assert assess_indicator(5, target, due=False, previous=1).status == MATS_VID_HELAR


def test_nonsense_values_are_refused_not_assessed() -> None:
    with pytest.raises(ValueError):
        assess_indicator(float("nan"), TargetRange(1, 2))
    with pytest.raises(ValueError):
        assess_indicator(True, TargetTrend(True), previous=0)


# -- the mandatperiod ---------------------------------------------------------------------------

@FAST
@given(st.integers(2000, 2100))
def test_the_election_calendar_gives_four_budget_years_after_each_election(year: int) -> None:
    mandate = mandate_of(year)
    assert mandate.first <= year <= mandate.last
    assert mandate.last - mandate.first == 3
    assert (mandate.last - 2026) % 4 == 0  # an election year: 2022, 2026, 2030 …


def test_the_mandatperiod_2023_2026() -> None:
    assert mandate_of(2023) == mandate_of(2026) == Mandate(2023, 2026)
    assert mandate_of(2027) == Mandate(2027, 2030)
    assert read_mandate("2023–2026") == read_mandate("2023-2026") == Mandate(2023, 2026)
    assert read_mandate(" 2023 – 2026 ").text == "2023–2026"
    for bad in ("2026–2023", "2023", "2023–2030", "tjugotjugotre", "2023/2026"):
        with pytest.raises(ValueError):
            read_mandate(bad)


@FAST
@given(st.integers(2023, 2026), st.booleans(), st.booleans())
def test_the_mandatperiod_target_is_assessed_in_its_last_year_only(
        year: int, with_year: bool, with_mandate: bool) -> None:
    targets: dict = {}
    if with_year:
        targets[str(year)] = 58.0
    if with_mandate:
        targets["mandatperiod"] = 60.0
    target, of_mandate = assessed_target(targets, year, Mandate(2023, 2026))
    if year == 2026 and with_mandate:
        assert (target, of_mandate) == (60.0, True)
    else:
        assert (target, of_mandate) == (58.0 if with_year else None, False)


# -- the styrmodell's keys ----------------------------------------------------------------------

def test_every_way_of_writing_a_target_reads() -> None:
    assert read_target(85) == 85
    assert read_target("JA") is True and read_target("nej") is False
    assert read_target("Ska  öka") == read_target("öka") == TargetTrend(True)
    assert read_target("ska minska") == TargetTrend(False)
    assert read_target({"från": 80, "till": 90.5}) == TargetRange(80.0, 90.5)
    # as the schema read them before ranges and directions: a quoted number, yes/no
    assert read_target("85.5") == 85.5 and read_target(" 1 ") == 1.0
    assert read_target("yes") is True and read_target("NO") is False


@pytest.mark.parametrize("bad", ["ska växa", "inf", "nan", {"från": 80}, {"från": 90, "till": 80},
                                 {"från": 80, "till": 90, "mitt": 85}, {"från": "a", "till": 9},
                                 [80, 90]])
def test_a_target_that_is_none_of_them_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        read_target(bad)


@pytest.mark.parametrize("target", [85.0, True, False, None, TargetRange(80, 90.5),
                                    TargetTrend(True), TargetTrend(False)])
def test_a_target_survives_json(target: object) -> None:
    import json

    assert target_from_json(json.loads(json.dumps(target_to_json(target)))) == target


def test_targets_in_swedish() -> None:
    assert target_text(TargetRange(80, 90), "%") == "80–90\xa0%"
    assert target_text(TargetTrend(True)) == "Ska öka"
    assert target_text(TargetTrend(False)) == "Ska minska"
    assert target_text(True) == "Ja"
    assert target_text(None) == "–"
    assert reading_target(TargetRange(0.2, 0.9)) == 0.9  # a percent read against 0,9: ambiguous
    assert reading_target(TargetTrend(True)) is None


def _indicator(**keys: object) -> Indicator:
    return Indicator.model_validate({"id": "I1", "namn": "En indikator", **keys})


@pytest.mark.parametrize(("keys", "says"), [
    ({"målvärde": {2026: "ska öka"}, "riktning": "lägre"}, "går emot riktning lägre"),
    ({"målvärde": {2026: {"från": 1, "till": 2}}, "måltyp": "janej"}, "måltyp janej"),
    ({"målvärde": {2026: "ska öka"}, "måltyp": "progression", "utgångsvärde": 3},
     "måltyp progression"),
    ({"målvärde": {"mandatperiod": "ska öka"}},
     "en riktning (ska öka, ska minska) skrivs per år"),
    ({"målvärde": {"mandat": 60}}, "'mandat' är inget år"),
    ({"målvärde": {2026: "mycket"}}, "2026: 'mycket' är inget målvärde"),
])
def test_a_target_that_does_not_fit_the_indicator_is_refused(keys: dict, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        _indicator(**keys)


def test_a_wrong_target_is_a_swedish_problem_with_key_path_and_line(tmp_path: Path) -> None:
    text = FYRKANTA.read_text(encoding="utf-8").replace(
        "målvärde: {2026: ska öka, 2027: ska öka, 2028: ska öka}",
        "målvärde: {2026: ska minska}")
    path = tmp_path / "styrmodell" / "2026.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    config, problems, _lines = load_config(path)
    assert config is None
    [found] = problems
    assert found.code == "config-invalid-value"
    assert "nämnder[1].mål[0].indikatorer[0]" in found.location.key
    assert "(rad " in found.location.key
    assert "'ska minska' går emot riktning högre" in found.message


def test_a_year_outside_the_mandatperiod_is_refused_with_its_key(tmp_path: Path) -> None:
    text = FYRKANTA.read_text(encoding="utf-8").replace("mandatperiod: 2023–2026 ",
                                                        "mandatperiod: 2019–2022 ")
    path = tmp_path / "styrmodell" / "2026.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    model, problems = load_styrmodell(path)
    assert model is None
    assert [p.location.key.split(" ")[0] for p in problems if p.is_error] == \
        ["kommun.mandatperiod"]


def test_fyrkanta_says_what_a_styrmodell_can_express() -> None:
    model, problems = load_styrmodell(FYRKANTA)
    assert model is not None and not [p for p in problems if p.is_error]
    assert model.config.mandate == Mandate(2023, 2026)
    ind = {i.id: i for i, _goal in model.indicators.values()}
    assert ind["IM1-I1"].assessed_target(2026, model.config.mandate) == (76.0, True)
    assert ind["IM1-I1"].assessed_target(2025, model.config.mandate) == (None, False)
    assert ind["OMSORG-R1-I2"].target_for(2028) == TargetRange(92.0, 97.0)
    assert ind["TN-E1-I1"].target_for(2026) == TargetTrend(True)


def test_exempelkommun_has_no_mandatperiod_key_and_gets_the_election_calendars() -> None:
    model, _problems = load_styrmodell(ROOT / "fixtures" / "exempelkommun" / "styrmodell" /
                                       "2026.yaml")
    assert model is not None
    assert model.config.kommun.mandate is None
    assert model.config.mandate == Mandate(2023, 2026)


def test_a_later_year_of_the_plan_without_a_target_is_a_varning(tmp_path: Path) -> None:
    text = FYRKANTA.read_text(encoding="utf-8").replace(
        "målvärde: {2026: 90, 2027: 90, 2028: 90}", "målvärde: {2026: 90, 2027: 90}")
    path = tmp_path / "styrmodell" / "2026.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    model, problems = load_styrmodell(path)
    assert model is not None
    [found] = problems
    assert (found.code, found.is_error) == ("config-target-missing", False)
    assert "RTJ-E1-I1" in found.message and "2028" in found.message
    assert found.location.key.startswith("nämnder[4].mål[0].indikatorer[0].målvärde (rad ")


def test_nytt_ar_moves_kommun_mandatperiod_on_with_a_new_mandatperiod(tmp_path: Path) -> None:
    """2026 → 2027 begins the mandatperiod 2027–2030: the file's ``kommun.mandatperiod``
    follows, so the new year validates (it would be outside 2023–2026)."""
    from reportkit.styrmodell.next_year import next_year
    from reportkit.styrmodell.project_setup import init_project

    root = init_project(tmp_path / "fyrkanta", "fyrkanta")
    next_year(root)
    text = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    assert "mandatperiod: 2027–2030" in text
    model, problems = load_styrmodell(root / "styrmodell" / "2027.yaml")
    assert model is not None, [p.line() for p in problems if p.is_error]
    assert model.config.mandate == Mandate(2027, 2030)
