"""Plausibility varningar in check (issue 27 item 3): a share outside 0–100 %, a negative count,
a value far from last year's. The value is still read; a percentage that is not a share
(självfinansieringsgrad, ``andel: false``) may exceed 100 %.

On the Exempelkommun kommun workbook of 2026-helår, prefilled with last year's utfall."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportkit.intake.check import check_file
from reportkit.workbook import layout, plausible

EXEMPEL = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun"
PERIOD, PT = "2026-helår", "helår"
ROWS = {"KF1-I1": 0, "KF1-I2": 1, "KF2-I1": 2, "KF2-I2": 3, "KF7-I1": 12, "KF8-I1": 13,
        "KF8-I2": 14}


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit.outputs.outbox import generate_workbooks

    root = tmp_path_factory.mktemp("plausible") / "kommun"
    shutil.copytree(EXEMPEL, root)
    [path] = generate_workbooks(root, PERIOD, ["kommun"], out_dir=root / "utskick")
    return path


def cell(indicator: str) -> str:
    return layout.cell_of(layout.INDICATORS_SHEET, PT, "actual", ROWS[indicator])


def varningar(blank: Path, fill, values: dict[str, object]) -> dict[str, list[str]]:
    path = fill(blank, {f"{layout.INDICATORS_SHEET}!{cell(i)}": v for i, v in values.items()})
    report = check_file(path, expected_period=PERIOD)
    assert report.submission is not None and not report.has_errors, report.problems
    found: dict[str, list[str]] = {}
    for p in report.problems:
        if p.code.startswith(("indicator-share", "indicator-negative", "indicator-far")):
            found.setdefault(p.location.cell or "", []).append(p.code)
    return found


def test_the_layout_rows_are_the_indicators(blank: Path) -> None:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(blank)).get_sheet_by_name(
        layout.INDICATORS_SHEET).to_python(skip_empty_area=False)
    for ind, n in ROWS.items():
        assert rows[layout.FIRST_ROW - 1 + n][0] == ind


def test_an_implausible_share_is_a_varning_and_still_read(blank: Path, fill) -> None:
    found = varningar(blank, fill, {"KF1-I1": "1 234,5", "KF1-I2": 120, "KF2-I1": -5})
    assert found[cell("KF1-I1")] == ["indicator-share-out-of-range",
                                     "indicator-far-from-previous"]
    assert found[cell("KF1-I2")] == ["indicator-share-out-of-range"]
    assert found[cell("KF2-I1")] == ["indicator-share-out-of-range"]
    path = fill(blank, {f"{layout.INDICATORS_SHEET}!{cell('KF1-I1')}": "1 234,5"})
    sub = check_file(path, expected_period=PERIOD).submission
    [entry] = [e for e in sub.indicators if e.indicator_id == "KF1-I1"]
    assert entry.actual == 1234.5  # read; the varning says to look at it


def test_plausible_values_give_no_varning(blank: Path, fill) -> None:
    assert varningar(blank, fill, {"KF1-I1": 86, "KF1-I2": "0,9", "KF2-I1": "85 %",
                                   "KF2-I2": 61, "KF8-I2": 6}) == {}


def test_a_percentage_that_is_not_a_share_may_exceed_100(blank: Path, fill) -> None:
    """Självfinansieringsgrad (andel: false) at 120 % and a negative årets resultat."""
    assert varningar(blank, fill, {"KF8-I1": 120, "KF7-I1": -1.2}) == {}


def test_a_negative_count_and_a_value_far_from_last_year(blank: Path, fill) -> None:
    found = varningar(blank, fill, {"KF8-I2": -2, "KF2-I2": 600})
    assert found == {cell("KF8-I2"): ["indicator-negative-count"],
                     cell("KF2-I2"): ["indicator-far-from-previous"]}


def test_the_varning_names_value_previous_and_factor(blank: Path, fill) -> None:
    path = fill(blank, {f"{layout.INDICATORS_SHEET}!{cell('KF2-I2')}": 600})
    [p] = [p for p in check_file(path, expected_period=PERIOD).problems
           if p.code == "indicator-far-from-previous"]
    text = p.message
    assert "600" in text and "59,7" in text and "3 gånger" in text, text


@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_a_share_is_flagged_exactly_outside_0_to_100(value: float) -> None:
    codes = [c for c, _ in plausible.problems(value, unit="%", share=True, factor=None)]
    assert ("indicator-share-out-of-range" in codes) == (not 0 <= value <= 100)
    other = [c for c, _ in plausible.problems(value, unit="%", share=False, factor=None)]
    assert other == []


@given(st.floats(0.001, 1e6), st.floats(0.001, 1e6), st.floats(1.01, 10))
def test_far_from_last_year_is_symmetric(value: float, previous: float, factor: float) -> None:
    far = plausible.far_from(value, previous, factor)
    assert far == (value / previous > factor or previous / value > factor) or \
        abs(value / previous - factor) < 1e-9 or abs(previous / value - factor) < 1e-9


def test_a_share_is_what_the_styrmodell_says_else_a_percent() -> None:
    assert plausible.is_share("%") and not plausible.is_share("%", False)
    assert plausible.is_share("index", True) and not plausible.is_share("antal")
