import math
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.formats import DASH, NBSP
from reportkit.styrmodell.assess import (
    DEFAULT_SCALE,
    DELVIS,
    EJ_AKTUELL,
    EJ_MATT,
    EJ_UPPFYLLT,
    MATS_VID_HELAR,
    SAKNAR_MALVARDE,
    SPECIAL_STATUSES,
    UPPFYLLT,
    IndicatorResult,
    assess_indicator,
    combine_indicators,
    contrast_ratio,
    display_degree,
    make_scale,
    needs_motivation,
    roll_up,
)

FAST = settings(max_examples=100, deadline=None)


def _scale_dicts(thresholds, prefix="s"):
    colours = ["1B5E20", "2E7D32", "8A5A00", "B26A00", "C62828"]
    symbols = ["★", "●", "◑", "◐", "○"]
    n = len(thresholds) + 1
    out = []
    for i in range(n):
        out.append(
            {
                "status": f"{prefix}{i}",
                "label": f"Steg {i}",
                "forecast_label": f"Bedöms steg {i}",
                "threshold": thresholds[i] if i < n - 1 else None,
                "color": colours[5 - n + i],
                "symbol": symbols[5 - n + i],
            }
        )
    return out


FOUR = make_scale(_scale_dicts([1.0, 0.9, 0.6]))
FIVE = make_scale(_scale_dicts([1.1, 1.0, 0.805, 0.5]))


def status(actual, target, **kw):
    return assess_indicator(actual, target, **kw).status


def test_ratio_is_utfall_over_malvarde_with_formula_in_rule():
    r = assess_indicator(82, 90)
    assert r.degree == pytest.approx(82 / 90)
    assert r.status == DELVIS
    assert r.rule == f"utfall 82 / målvärde 90 = 91,1{NBSP}%"


def test_exactly_100_percent_is_uppfyllt_and_exactly_80_is_delvis():
    assert status(90, 90) == UPPFYLLT
    assert status(72, 90) == DELVIS
    assert status(0.8, 1) == DELVIS
    assert status(0.1 * 8, 1.0) == DELVIS  # 0.8000000000000002 in binary floats


def test_just_below_80_percent_is_ej_uppfyllt():
    assert status(79.99, 100) == EJ_UPPFYLLT
    assert status(0.7999, 1) == EJ_UPPFYLLT


def test_lower_is_better_mirrors_ratio():
    assert assess_indicator(5.5, 5, direction="lägre").degree == pytest.approx(0.9)
    assert assess_indicator(4.5, 5, direction="lägre").degree == pytest.approx(1.1)
    assert status(6, 5, direction="lägre") == DELVIS  # 20 % over target, like 80 % for higher
    assert status(6.01, 5, direction="lägre") == EJ_UPPFYLLT
    assert (
        "lägre är bättre: 2 − utfall 5,5 / målvärde 5"
        in assess_indicator(5.5, 5, direction="lägre").rule
    )


def test_lower_is_better_floors_at_zero_and_says_so():
    r = assess_indicator(20, 5, direction="lägre")
    assert (r.degree, r.status) == (0.0, EJ_UPPFYLLT)
    assert "golv 0" in r.rule


def test_lower_is_better_with_utfall_zero_is_defined():
    r = assess_indicator(0, 5, direction="lägre")
    assert (r.degree, r.status) == (2.0, UPPFYLLT)


@pytest.mark.parametrize(
    ("actual", "direction", "degree"),
    [
        (0, "högre", 1.0),
        (3, "högre", 1.0),
        (-1, "högre", 0.0),
        (0, "lägre", 1.0),
        (-1, "lägre", 1.0),
        (0.1, "lägre", 0.0),
    ],
)
def test_malvarde_zero_is_reached_or_not_never_a_division(actual, direction, degree):
    r = assess_indicator(actual, 0, direction=direction)
    assert r.degree == degree
    assert r.rule.startswith("målvärde 0")


def test_negative_values_fall_back_to_reached_or_not():
    assert assess_indicator(-2, 5).degree == 0.0
    assert "negativt utfall" in assess_indicator(-2, 5).rule
    r = assess_indicator(-3, -5)
    assert (r.degree, r.status) == (1.0, UPPFYLLT)
    assert "negativt målvärde" in r.rule and "−3 ≥ målvärde −5" in r.rule
    assert assess_indicator(-6, -5).status == EJ_UPPFYLLT


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "85", True])
def test_nan_infinity_and_non_numbers_are_rejected(bad):
    with pytest.raises(ValueError):
        assess_indicator(bad, 90)
    with pytest.raises(ValueError):
        assess_indicator(50, bad)


def test_unknown_direction_or_target_type_is_rejected():
    with pytest.raises(ValueError, match="direction"):
        assess_indicator(1, 1, direction="upp")
    with pytest.raises(ValueError, match="target_type"):
        assess_indicator(1, 1, target_type="procent")


def test_minst_and_hogst_are_binary_never_delvis():
    assert assess_indicator(3, 3, target_type="minst").status == UPPFYLLT
    r = assess_indicator(2.9, 3, target_type="minst")
    assert (r.degree, r.status) == (0.0, EJ_UPPFYLLT)
    assert assess_indicator(0, 0, target_type="högst").status == UPPFYLLT
    assert assess_indicator(1, 0, target_type="högst").status == EJ_UPPFYLLT
    assert assess_indicator(-1, 0, target_type="högst", direction="högre").status == UPPFYLLT


def test_janej_compares_truthiness_of_utfall_and_malvarde():
    assert status(True, True, target_type="janej") == UPPFYLLT
    assert status(False, True, target_type="janej") == EJ_UPPFYLLT
    assert status(0, False, target_type="janej") == UPPFYLLT
    assert assess_indicator(True, True, target_type="janej").rule.startswith(
        "ja/nej: utfall ja, målvärde ja"
    )


def test_progression_is_share_of_the_distance_from_baseline():
    r = assess_indicator(60, 70, target_type="progression", baseline=50)
    assert (r.degree, r.status) == (0.5, EJ_UPPFYLLT)
    assert r.rule.startswith("progression: (utfall 60 − utgångsvärde 50)")
    assert assess_indicator(66, 70, target_type="progression", baseline=50).status == DELVIS
    # Falling target: the sign of målvärde − utgångsvärde gives the direction.
    assert assess_indicator(8, 6, target_type="progression", baseline=10).degree == 0.5
    assert assess_indicator(55, 70, target_type="progression", baseline=60).degree == 0.0


def test_progression_with_equal_baseline_and_target_means_hold_the_level():
    kw = {"target_type": "progression", "baseline": 50}
    assert status(50, 50, **kw) == UPPFYLLT
    assert status(49, 50, **kw) == EJ_UPPFYLLT
    assert status(49, 50, direction="lägre", **kw) == UPPFYLLT
    assert "nivån ska hållas" in assess_indicator(50, 50, **kw).rule


def test_progression_without_baseline_lacks_a_target():
    r = assess_indicator(60, 70, target_type="progression")
    assert (r.degree, r.status) == (None, SAKNAR_MALVARDE)


def test_missing_utfall_when_due_is_ej_matt():
    assert assess_indicator(None, 90) == IndicatorResult(None, EJ_MATT, "utfall saknas")


def test_not_due_is_mats_vid_helar_even_with_an_utfall():
    assert assess_indicator(None, 90, due=False).status == MATS_VID_HELAR
    assert assess_indicator(85, 90, due=False).status == MATS_VID_HELAR


def test_not_applicable_wins_over_everything():
    r = assess_indicator(None, None, due=False, applicable=False)
    assert (r.degree, r.status) == (None, EJ_AKTUELL)


def test_missing_malvarde_is_its_own_status_not_ej_matt():
    r = assess_indicator(85, None)
    assert (r.degree, r.status) == (None, SAKNAR_MALVARDE)
    assert "målvärde saknas" in r.rule


def test_default_scale_labels_forecast_labels_and_specials():
    s = DEFAULT_SCALE
    assert [s.label(x) for x in (UPPFYLLT, DELVIS, EJ_UPPFYLLT)] == [
        "Uppfyllt",
        "Delvis uppfyllt",
        "Ej uppfyllt",
    ]
    assert s.label(DELVIS, forecast=True) == "Bedöms delvis uppfyllas"
    assert s.label(EJ_UPPFYLLT, forecast=True) == "Bedöms inte uppfyllas"
    assert s.label(EJ_MATT) == "Ej mätt" and s.step(EJ_MATT).color == "000000"
    assert s.label(MATS_VID_HELAR) == "Mäts vid helår"
    # a level that hands in nothing this period: its own label, not the black Ej mätt
    assert s.label("ej_uppfoljt") == "Följs inte upp denna period"
    assert s.step("ej_uppfoljt").color != s.step(EJ_MATT).color
    assert [s.rank(x) for x in s.statuses] == list(range(8))
    assert {x.status for x in s.specials} == set(SPECIAL_STATUSES)
    with pytest.raises(ValueError, match="unknown status"):
        s.rank("grön")


def test_every_default_colour_has_3_to_1_contrast_on_white():
    for step in DEFAULT_SCALE.steps + DEFAULT_SCALE.specials:
        assert contrast_ratio(step.color) >= 3.0, step.status
    assert contrast_ratio("000000") == pytest.approx(21.0)
    assert contrast_ratio("FFEB3B") < 3.0  # plain yellow fails


def test_four_step_scale_with_custom_thresholds():
    assert [FOUR.step_for(d).status for d in (1.0, 0.95, 0.9, 0.89, 0.6, 0.59)] == [
        "s0",
        "s1",
        "s1",
        "s2",
        "s2",
        "s3",
    ]
    assert assess_indicator(95, 100, scale=FOUR).status == "s1"
    assert FOUR.label("s1", forecast=True) == "Bedöms steg 1"


def test_five_step_scale_with_a_step_above_100_percent():
    assert FIVE.reached.status == "s1"
    assert assess_indicator(111, 100, scale=FIVE).status == "s0"
    assert assess_indicator(True, True, target_type="janej", scale=FIVE).status == "s1"
    assert assess_indicator(1, 2, target_type="minst", scale=FIVE).status == "s4"


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ([1.0], "3 to 5 steps"),
        ([1.2, 1.0, 0.8, 0.6, 0.4], "3 to 5 steps"),
        ([0.8, 1.0], "fall strictly"),
        ([1.0, 1.0], "fall strictly"),
        ([1.0, 0.0], "above 0"),
        ([1.0, math.nan], "finite"),
        ([1.5, 1.2], "at least one threshold"),
    ],
)
def test_make_scale_rejects_bad_thresholds(thresholds, message):
    steps = (
        _scale_dicts(thresholds)
        if len(thresholds) < 5
        else [
            {
                "status": f"x{i}",
                "label": f"L{i}",
                "threshold": t,
                "color": "000000",
                "symbol": f"{i}",
            }
            for i, t in enumerate([*thresholds, None])
        ]
    )
    with pytest.raises(ValueError, match=message):
        make_scale(steps)


def test_make_scale_rejects_threshold_on_last_step_and_duplicates():
    steps = _scale_dicts([1.0, 0.8])
    with pytest.raises(ValueError, match="last step"):
        make_scale([*steps[:2], {**steps[2], "threshold": 0.5}])
    with pytest.raises(ValueError, match="symbol"):
        make_scale([steps[0], {**steps[1], "symbol": steps[0]["symbol"]}, steps[2]])
    with pytest.raises(ValueError, match="special status"):
        make_scale([steps[0], {**steps[1], "status": EJ_MATT}, steps[2]])
    with pytest.raises(ValueError, match="'color' is missing"):
        make_scale([{k: v for k, v in steps[0].items() if k != "color"}, *steps[1:]])


def test_a_light_colour_is_accepted_and_marked_light_with_readable_text():
    # the kommun's own green and yellow (issue 25): 2.9:1 and 1.1:1 against white
    steps = _scale_dicts([1.0, 0.8])
    s = make_scale([{**steps[0], "color": "00B050"}, {**steps[1], "color": "FFFF00"},
                    steps[2]])
    green, yellow = s.steps[0], s.steps[1]
    assert green.light and yellow.light and not s.steps[2].light
    assert green.text_color == "000000" and yellow.text_color == "000000"
    for step in (*s.steps, *s.specials):
        assert contrast_ratio(step.text_color, step.color) >= 4.5, step.status
    assert make_scale(steps).steps[0].text_color == "FFFFFF"


def test_make_scale_lets_specials_be_relabelled():
    relabel = [{"status": EJ_MATT, "label": "Ej mätt ännu"}]
    s = make_scale(_scale_dicts([1.0, 0.8]), specials=relabel)
    assert s.label(EJ_MATT) == "Ej mätt ännu"
    assert s.step(EJ_MATT).color == "000000"
    with pytest.raises(ValueError, match="special"):
        make_scale(_scale_dicts([1.0, 0.8]), specials=[{"status": "okänd", "label": "x"}])


def test_display_never_rounds_up_into_a_better_step():
    assert display_degree(0.996, DELVIS) == f"99{NBSP}%"
    assert display_degree(0.7999) == f"79{NBSP}%"
    assert display_degree(assess_indicator(99.6, 100)) == f"99{NBSP}%"
    assert display_degree(1.12) == f"112{NBSP}%"
    assert display_degree(0.57) == f"57{NBSP}%"  # not 56: 0.57 * 100 < 57 in binary floats
    assert display_degree(None) == DASH
    assert display_degree(assess_indicator(None, 5)) == DASH


def test_display_adds_a_decimal_when_a_threshold_needs_it():
    assert display_degree(0.806, scale=FIVE) == f"80,6{NBSP}%"
    assert display_degree(0.81, scale=FIVE) == f"81{NBSP}%"


def test_combine_medel_caps_each_indicator_at_100_percent():
    results = [assess_indicator(150, 100), assess_indicator(60, 100)]
    g = combine_indicators(results)
    assert (g.degree, g.status) == (0.8, DELVIS)
    assert g.counts == {UPPFYLLT: 1, EJ_UPPFYLLT: 1}
    assert g.rule.endswith(f"/ 2 = 80,0{NBSP}%")


def test_combine_medel_leaves_out_specials_and_says_how_many():
    results = [assess_indicator(90, 100), assess_indicator(None, 100), assess_indicator(1, None)]
    g = combine_indicators(results)
    assert (g.degree, g.status) == (0.9, DELVIS)
    assert "2 utan grad räknas inte" in g.rule
    assert list(g.counts) == [DELVIS, EJ_MATT, SAKNAR_MALVARDE]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([MATS_VID_HELAR, MATS_VID_HELAR], MATS_VID_HELAR),
        ([EJ_AKTUELL, EJ_AKTUELL], EJ_AKTUELL),
        ([MATS_VID_HELAR, EJ_AKTUELL], MATS_VID_HELAR),
        ([SAKNAR_MALVARDE], SAKNAR_MALVARDE),
        ([MATS_VID_HELAR, EJ_MATT], EJ_MATT),
    ],
)
def test_combine_without_any_degree_keeps_a_shared_special_reason(statuses, expected):
    g = combine_indicators([IndicatorResult(None, s, "") for s in statuses])
    assert (g.degree, g.status) == (None, expected)


def test_combine_with_no_indicators_is_ej_matt():
    g = combine_indicators([])
    assert (g.degree, g.status, g.rule, g.counts) == (None, EJ_MATT, "inga indikatorer", {})


def test_combine_andel_is_share_at_or_above_the_100_percent_step():
    results = [assess_indicator(100, 100), assess_indicator(120, 100), assess_indicator(85, 100)]
    g = combine_indicators(results, "andel")
    assert g.degree == pytest.approx(2 / 3) and g.status == EJ_UPPFYLLT
    assert combine_indicators(results[:2] + results[:2] + results[2:], "andel").status == DELVIS


def test_combine_svagast_takes_the_weakest_indicator():
    results = [assess_indicator(100, 100), assess_indicator(85, 100)]
    g = combine_indicators(results, "svagast")
    assert (g.degree, g.status) == (0.85, DELVIS)


def test_combine_rejects_unknown_rule_and_step_without_degree():
    with pytest.raises(ValueError, match="rule"):
        combine_indicators([], "summa")
    with pytest.raises(ValueError, match="no degree"):
        combine_indicators([IndicatorResult(None, UPPFYLLT, "")])


def test_roll_up_majority_breaks_ties_toward_the_worse_step():
    u = roll_up([UPPFYLLT, DELVIS, DELVIS, EJ_UPPFYLLT, EJ_UPPFYLLT])
    assert u.proposal == EJ_UPPFYLLT
    assert roll_up([UPPFYLLT, UPPFYLLT, DELVIS]).proposal == UPPFYLLT


def test_roll_up_counts_every_status_in_rank_order_none_as_ej_matt():
    u = roll_up([EJ_AKTUELL, None, DELVIS, UPPFYLLT, DELVIS])
    assert u.counts == {UPPFYLLT: 1, DELVIS: 2, EJ_MATT: 1, EJ_AKTUELL: 1}
    assert list(u.counts) == [UPPFYLLT, DELVIS, EJ_MATT, EJ_AKTUELL]
    assert u.proposal == DELVIS


def test_roll_up_medel_maps_mean_step_points_to_nearest_step_ties_worse():
    assert roll_up([UPPFYLLT, EJ_UPPFYLLT], "medel").proposal == DELVIS
    assert roll_up([UPPFYLLT, DELVIS], "medel").proposal == DELVIS  # 1.5: tie → worse
    assert roll_up([UPPFYLLT, UPPFYLLT, DELVIS], "medel").proposal == UPPFYLLT  # 1.67


def test_roll_up_svagast_and_andel():
    assert roll_up([UPPFYLLT, DELVIS, EJ_AKTUELL], "svagast").proposal == DELVIS
    assert roll_up([UPPFYLLT] * 4 + [EJ_UPPFYLLT], "andel").proposal == DELVIS
    assert roll_up([UPPFYLLT] * 3 + [EJ_UPPFYLLT], "andel").proposal == EJ_UPPFYLLT


def test_roll_up_specials_do_not_vote():
    assert roll_up([MATS_VID_HELAR, MATS_VID_HELAR]).proposal == MATS_VID_HELAR
    assert roll_up([None, EJ_AKTUELL]).proposal == EJ_MATT
    assert roll_up([]).proposal is None
    with pytest.raises(ValueError, match="unknown status"):
        roll_up(["grön"])


def test_needs_motivation_when_bedomning_differs_from_forslag():
    assert needs_motivation(DELVIS, UPPFYLLT)
    assert not needs_motivation(DELVIS, DELVIS)
    assert not needs_motivation(DELVIS, None)
    assert needs_motivation(None, DELVIS)


def test_importing_assess_loads_no_heavy_library():
    code = (
        "import sys, reportkit.styrmodell.assess; "
        "print(sorted(m for m in ('openpyxl','matplotlib','pydantic','docx','docxtpl','yaml',"
        "'rich','babel','click') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))


@FAST
@given(
    values,
    values,
    values,
    st.sampled_from(["högre", "lägre"]),
    st.sampled_from(["kvot", "minst", "högst"]),
)
def test_a_better_utfall_never_lowers_the_status(a, b, target, direction, target_type):
    higher = {"minst": True, "högst": False}.get(target_type, direction == "högre")
    worse, better = sorted((a, b)) if higher else sorted((a, b), reverse=True)
    kw = {"direction": direction, "target_type": target_type}
    r_worse = assess_indicator(worse, target, **kw)
    r_better = assess_indicator(better, target, **kw)
    assert DEFAULT_SCALE.rank(r_better.status) <= DEFAULT_SCALE.rank(r_worse.status)


@FAST
@given(values, values, values, values, st.sampled_from(["högre", "lägre"]))
def test_a_better_utfall_never_lowers_progression_status(a, b, target, baseline, direction):
    higher = target > baseline if target != baseline else direction == "högre"
    worse, better = sorted((a, b)) if higher else sorted((a, b), reverse=True)
    kw = {"direction": direction, "target_type": "progression", "baseline": baseline}
    r_worse = assess_indicator(worse, target, **kw)
    r_better = assess_indicator(better, target, **kw)
    assert DEFAULT_SCALE.rank(r_better.status) <= DEFAULT_SCALE.rank(r_worse.status)


@FAST
@given(
    st.lists(st.floats(0, 2), min_size=1, max_size=6),
    st.integers(0, 5),
    st.floats(0, 1),
    st.sampled_from(["medel", "andel", "svagast"]),
)
def test_a_better_indicator_never_lowers_the_goal_status(degrees, index, gain, rule):
    index %= len(degrees)
    before = [IndicatorResult(d, DEFAULT_SCALE.step_for(d).status, "") for d in degrees]
    improved = degrees[index] + gain
    after = list(before)
    after[index] = IndicatorResult(improved, DEFAULT_SCALE.step_for(improved).status, "")
    rank = DEFAULT_SCALE.rank
    assert rank(combine_indicators(after, rule).status) <= rank(
        combine_indicators(before, rule).status
    )


scales = (
    st.lists(st.integers(1, 150), min_size=2, max_size=4, unique=True)
    .filter(lambda ts: min(ts) <= 100)
    .map(lambda ts: make_scale(_scale_dicts([t / 100 for t in sorted(ts, reverse=True)])))
)


@FAST
@given(scales)
def test_thresholds_hold_exactly_at_their_edges(scale):
    for i, step in enumerate(scale.steps[:-1]):
        assert scale.step_for(step.threshold) is step
        below = math.nextafter(step.threshold, -math.inf)
        assert scale.step_for(below) is scale.steps[i + 1]


def _parse_percent(text):
    return float(Decimal(text.replace(NBSP + "%", "").replace(",", ".")) / 100)


@FAST
@given(scales, st.data(), st.sampled_from([0, 1]))
def test_display_degree_never_contradicts_the_status(scale, data, decimals):
    threshold = data.draw(st.sampled_from([s.threshold for s in scale.steps[:-1]]))
    offset = data.draw(
        st.sampled_from([0.0, 1e-12, -1e-12, 1e-4, -1e-4, 0.004, -0.004, 0.0099, -0.0099])
    )
    degree = max(0.0, threshold + offset)
    status = scale.step_for(degree).status
    shown = display_degree(degree, status, scale, decimals)
    assert scale.step_for(_parse_percent(shown)).status == status


@FAST
@given(st.floats(0, 3), st.sampled_from([DEFAULT_SCALE, FOUR, FIVE]))
def test_display_degree_never_contradicts_the_status_anywhere(degree, scale):
    status = scale.step_for(degree).status
    assert scale.step_for(_parse_percent(display_degree(degree, status, scale))).status == status


@FAST
@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_an_utfall_exactly_on_a_whole_percent_threshold_reaches_it(percent, target):
    # utfall = målvärde * p / 100 as typed in a workbook; status equals the step of p %.
    actual = float(Decimal(target) * percent / 100)
    expected = DEFAULT_SCALE.step_for(float(Decimal(percent) / 100)).status
    assert assess_indicator(actual, target).status == expected


# The roll-up remembers display_degree's texts per scale and the Scale keeps its lookups in
# dicts (issue #16): what it remembers must be what it would compute afresh.

_NEAR_STEPS = st.sampled_from([0.0, -0.0, 0.5, 0.7999, 0.8, 0.805, 0.806, 0.996, 1.0, 1.1, 1.12])


@FAST
@given(st.lists(_NEAR_STEPS | st.floats(-1, 3, allow_nan=False), min_size=1, max_size=6))
def test_display_degree_remembered_texts_are_those_computed_afresh(degrees):
    # every degree asked for with each status and number of decimals, on one scale that
    # remembers and on a new one each time: the text depends on all three
    warm = make_scale(_scale_dicts([1.1, 1.0, 0.805, 0.5]))
    for degree in degrees:
        for status_ in (None, "s0", "s1", "s2", "s3", "s4", EJ_MATT):
            for decimals in (0, 1, 2):
                fresh = make_scale(_scale_dicts([1.1, 1.0, 0.805, 0.5]))
                assert display_degree(degree, status_, warm, decimals) == display_degree(
                    degree, status_, fresh, decimals
                )
    assert display_degree(0.806, None, warm) == f"80,6{NBSP}%"
    assert display_degree(0.806, "s3", warm) == f"80{NBSP}%"  # a manual Steg 3


def test_display_degree_of_minus_zero_is_zero_percent_either_way_round():
    scale = make_scale(_scale_dicts([1.0, 0.8]))
    assert display_degree(0.0, scale=scale) == display_degree(-0.0, scale=scale) == f"0{NBSP}%"
    assert display_degree(-0.0, EJ_MATT, scale, 1) == f"0,0{NBSP}%"


def test_scale_lookups_answer_as_the_steps_say():
    for scale in (DEFAULT_SCALE, FOUR, FIVE):
        everything = scale.steps + scale.specials
        assert scale.statuses == tuple(s.status for s in everything)
        for i, s in enumerate(everything):
            assert scale.step(s.status) is s
            assert scale.rank(s.status) == i
            assert scale.is_step(s.status) == (s in scale.steps)
        assert not scale.is_step(None) and not scale.is_step("okänd")
        with pytest.raises(ValueError, match="unknown status"):
            scale.step("okänd")
    assert FIVE.step_for(1.1).status == "s0" and FIVE.step_for(1.0999).status == "s1"
    assert FIVE.step_for(0.805).status == "s2" and FIVE.step_for(0.499).status == "s4"
    assert make_scale(_scale_dicts([1.0, 0.8])) == make_scale(_scale_dicts([1.0, 0.8]))
