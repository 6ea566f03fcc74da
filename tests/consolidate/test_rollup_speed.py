"""The roll-up's shortcuts (issue #16) give what the plain computation gives."""

import sqlite3
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.consolidate import rollup
from reportkit.styrmodell import assess

FAST = settings(max_examples=150, deadline=None)

_VALUES = st.sampled_from([None, 0.0, -0.0, 0, 1.0, 1, True, False, 5, 5.0, 8.0, 10.0, -3.0])


def _plain(value, target, ind, due):
    try:
        return repr(assess.assess_indicator(
            value, target, direction=ind.direction, target_type=ind.target_type,
            baseline=ind.baseline, scale=assess.DEFAULT_SCALE, due=due))
    except ValueError as e:
        return f"ValueError: {e}"


@FAST
@given(st.lists(st.tuples(_VALUES, _VALUES, _VALUES, st.sampled_from(assess.DIRECTIONS),
                          st.sampled_from(assess.TARGET_TYPES), st.booleans()),
                min_size=1, max_size=15))
def test_remembered_assessments_are_those_computed_afresh(calls):
    # repr: a degree of -0.0 is not 0.0, True is not 1.0 (and is refused where 1.0 is not)
    memo = {}
    for value, target, baseline, direction, target_type, due in calls:
        ind = SimpleNamespace(direction=direction, target_type=target_type, baseline=baseline)
        try:
            got = repr(rollup._assess(memo, value, target, ind, assess.DEFAULT_SCALE, due))
        except ValueError as e:
            got = f"ValueError: {e}"
        assert got == _plain(value, target, ind, due)


def test_a_degree_of_minus_zero_is_not_remembered_as_zero():
    memo = {}
    falling = SimpleNamespace(direction="högre", target_type="progression", baseline=10.0)
    first = rollup._assess(memo, 10.0, 5.0, falling, assess.DEFAULT_SCALE, True)
    assert repr(first.degree) == "-0.0"  # (10 − 10) / (5 − 10)
    rising = SimpleNamespace(direction="högre", target_type="progression", baseline=0.0)
    assert repr(rollup._assess(memo, 0.0, 5.0, rising, assess.DEFAULT_SCALE, True).degree) \
        == "0.0"


def _history_plain(unit_histories, rule, n_units):
    """compute()'s history aggregation as it was written before issue #16."""
    hist = {}
    for years in unit_histories:
        for y, v in (years or {}).items():
            hist.setdefault(y, []).append(v)
    hist_agg = {y: rollup._aggregate(vs, rule) for y, vs in sorted(hist.items())
                if rule != "summa" or len(vs) == n_units}
    return {y: v for y, v in hist_agg.items() if v is not None}


_YEARS = st.dictionaries(st.integers(2019, 2025), st.floats(-1e6, 1e6, allow_nan=False),
                         max_size=5)


@FAST
@given(st.lists(st.none() | _YEARS, min_size=0, max_size=5),
       st.sampled_from(["medel", "summa", "min", "max", "nivå"]))
def test_history_aggregated_over_units_as_before(per_unit, rule):
    n_units = len(per_unit)
    got = rollup._history_of([h for h in per_unit if h is not None], rule, n_units)
    want = _history_plain(per_unit, rule, n_units)
    assert repr(got) == repr(want)  # same years, same order, same floats


@pytest.mark.parametrize(("period_type", "expected"), [
    ("helår", {("I1", "E1"): {2024: 1.0, 2025: 3.0}, ("I1", "E2"): {2025: 5.0}}),
    ("delår", {("I1", "E1"): {2024: 1.5, 2025: 3.0}, ("I1", "E2"): {2025: 5.0}}),
    ("tertial", {("I1", "E1"): {2024: 1.0, 2025: 3.0}, ("I1", "E2"): {2025: 6.0}}),
])
def test_history_prefers_the_period_type_and_falls_back_to_helar(period_type, expected):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE history (year INTEGER, period TEXT, unit_id TEXT, "
                 "indicator_id TEXT, value REAL, PRIMARY KEY (year, period, unit_id, "
                 "indicator_id))")
    conn.executemany("INSERT INTO history VALUES (?, ?, ?, ?, ?)", [
        (2024, "delår", "E1", "I1", 1.5),
        (2024, "helår", "E1", "I1", 1.0),
        (2025, "helår", "E1", "I1", 3.0),
        (2025, "delår", "E1", "I1", None),  # no value: helår's stays
        (2025, "helår", "E2", "I1", 5.0),
        (2025, "tertial", "E2", "I1", 6.0),
        (2026, "helår", "E2", "I1", 9.0),  # this year: not history
    ])
    from reportkit.consolidate.history import _file_history

    got = _file_history(conn, 2026, period_type)
    assert {k: dict(sorted(v.items())) for k, v in got.items()} == expected


def test_equal_but_different_inputs_are_assessed_each_on_their_own():
    memo = {}
    kvot = SimpleNamespace(direction="högre", target_type="kvot", baseline=None)
    scale = assess.DEFAULT_SCALE
    assert repr(rollup._assess(memo, 0.0, 5.0, kvot, scale, True).degree) == "0.0"
    assert repr(rollup._assess(memo, -0.0, 5.0, kvot, scale, True).degree) == "-0.0"
    assert rollup._assess(memo, 1.0, 5.0, kvot, scale, True).degree == 0.2
    with pytest.raises(ValueError):  # a ja/nej utfall has no ratio
        rollup._assess(memo, True, 5.0, kvot, scale, True)
    janej = SimpleNamespace(direction="högre", target_type="janej", baseline=None)
    assert rollup._assess(memo, 1.0, True, janej, scale, True).status == assess.UPPFYLLT
    assert rollup._assess(memo, 1.0, 1.0, kvot, scale, True).status == assess.UPPFYLLT
    with pytest.raises(ValueError):  # nor a ja/nej målvärde
        rollup._assess(memo, 1.0, True, kvot, scale, True)


@pytest.mark.parametrize("rule", ["summa", "medel", "nivå"])
@pytest.mark.parametrize("n_units", [1, 2])
def test_one_units_history_is_summed_only_when_it_is_every_unit(rule, n_units):
    got = rollup._history_of([{2025: 2.0, 2024: -0.0}], rule, n_units)
    want = _history_plain([{2025: 2.0, 2024: -0.0}] + [None] * (n_units - 1), rule, n_units)
    assert repr(got) == repr(want)
    assert (got == {}) == (rule == "summa" and n_units == 2)


_RESULTS = st.lists(
    st.sampled_from([
        assess.IndicatorResult(1.0, assess.UPPFYLLT, "a"),
        assess.IndicatorResult(0.9, assess.DELVIS, "b"),
        assess.IndicatorResult(0.0, assess.EJ_UPPFYLLT, "c"),
        assess.IndicatorResult(-0.0, assess.EJ_UPPFYLLT, "d"),
        assess.IndicatorResult(0.5, assess.EJ_UPPFYLLT, "e"),
        assess.IndicatorResult(None, assess.EJ_MATT, "f"),
        assess.IndicatorResult(None, assess.MATS_VID_HELAR, "g"),
    ]),
    max_size=4,
)


@FAST
@given(st.lists(st.tuples(_RESULTS, st.sampled_from(assess.COMBINE_RULES)), min_size=1,
                max_size=10))
def test_remembered_combinations_are_those_computed_afresh(calls):
    memo = {}
    for results, rule in calls:
        got = rollup._combine(memo, results, rule, assess.DEFAULT_SCALE)
        assert repr(got) == repr(assess.combine_indicators(results, rule, assess.DEFAULT_SCALE))


def test_the_weakest_of_minus_zero_is_minus_zero_after_a_zero():
    memo = {}
    zero = [assess.IndicatorResult(0.0, assess.EJ_UPPFYLLT, "")]
    minus_zero = [assess.IndicatorResult(-0.0, assess.EJ_UPPFYLLT, "")]
    assert repr(rollup._combine(memo, zero, "svagast", assess.DEFAULT_SCALE).degree) == "0.0"
    assert repr(rollup._combine(memo, minus_zero, "svagast", assess.DEFAULT_SCALE).degree) \
        == "-0.0"
