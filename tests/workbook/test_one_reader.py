"""One reader of Swedish numbers for workbooks, the history file and the exports (issue 23).

``workbook.parse.parse_number`` reads a styrkort cell and a history utfall;
``sources.tables.parse_number`` reads an export cell through it. Before they were one, they
read the texts below differently; each rule that settled a difference has its own test, and
each checks every door: the workbook reader, a percent cell, the history's utfall and an
export cell. The properties compare both with a plain reference built from the parts of a
number (sign, thousands groups, decimals, percent sign) rather than parsed from its text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportkit.consolidate.history import _value as history_value
from reportkit.formats import DASH, MINUS, format_number
from reportkit.sources.tables import parse_number as export_number
from reportkit.workbook.parse import parse_date, parse_indicator_value, parse_number

NBSP, THIN, NNBSP, EN_DASH, EM_DASH = "\u00a0", "\u2009", "\u202f", "\u2013", "\u2014"


def workbook(raw: Any) -> tuple[float | None, str | None]:
    value, _, issue = parse_number(raw)
    return value, issue[0] if issue else None


def export(raw: Any) -> float | None | str:
    try:
        return export_number(raw)
    except ValueError:
        return "ValueError"


def history(raw: Any) -> tuple[float | None, str | None]:
    value, issue = history_value(raw, ("index", 80.0))
    return value, issue[0] if issue else None


# -- the differences, settled ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["12 34", f"12{NBSP}34", "-12 34,5"])
def test_12_34_is_no_number_anywhere(text: str) -> None:
    # a space that separates no thousands group is a typo (the export reader read 1234)
    assert workbook(text) == (None, "cell-not-number")
    assert history(text) == (None, "cell-not-number")
    assert export(text) == "ValueError"


@pytest.mark.parametrize("text", ["1 2345", f"1{THIN}2345", "1234 567"])
def test_1_2345_is_no_number_anywhere(text: str) -> None:
    # thousands groups are exactly three digits (the export reader read 12345)
    assert workbook(text) == (None, "cell-not-number")
    assert history(text) == (None, "cell-not-number")
    assert export(text) == "ValueError"


@pytest.mark.parametrize("text, number", [
    ("1.234,5", 1234.5), ("-12.345.678,25", -12345678.25), ("1.234.567", 1234567.0)])
def test_dot_thousands_with_decimal_comma_is_read_everywhere(text: str, number: float) -> None:
    # as Excel shows a number in a German or Danish locale (the export reader refused it)
    assert workbook(text) == (number, None)
    assert history(text) == (number, None)
    assert export(text) == number


@pytest.mark.parametrize("text", ["1,234.5", "1,234.567"])
def test_english_thousands_comma_is_ambiguous_everywhere(text: str) -> None:
    # the comma is the Swedish decimal sign: 1,234.5 may as well be a typo; asked, not guessed
    assert workbook(text) == (None, "cell-ambiguous-number")
    assert history(text) == (None, "cell-ambiguous-number")
    assert export(text) == "ValueError"


@pytest.mark.parametrize("text", [f"{EN_DASH}12", f"{MINUS}12", "-12", f"{EN_DASH} 12",
                                  f"{EN_DASH}12,0"])
def test_en_dash_and_minus_sign_are_minus_everywhere(text: str) -> None:
    # Word and Outlook turn a typed "-12" into "–12" (the export reader refused the en dash)
    assert workbook(text) == (-12.0, None)
    assert history(text) == (-12.0, None)
    assert export(text) == -12.0


def test_em_dash_is_no_minus() -> None:
    assert workbook(f"{EM_DASH}12") == (None, "cell-not-number")
    assert export(f"{EM_DASH}12") == "ValueError"


@pytest.mark.parametrize("text", ["-", EN_DASH, EM_DASH, MINUS, f" {EN_DASH} ", f"{NBSP}-\t"])
def test_lone_dash_reads_as_empty_everywhere(text: str) -> None:
    # "–" is how people write nothing: empty, not 0 and not an error (both readers refused it)
    assert parse_number(text) == (None, False, None)
    assert history(text) == (None, None)
    assert export(text) is None
    assert parse_indicator_value(text, "%", 85.0) == (None, None)
    assert parse_date(text) == (None, None)


def test_nothing_as_reportkit_shows_it_reads_back_as_nothing() -> None:
    assert format_number(None) == DASH
    assert parse_number(format_number(None)) == (None, False, None)


@pytest.mark.parametrize("text, number", [("0.850", 0.85), ("12.5", 12.5), ("-0.5", -0.5)])
def test_dot_that_cannot_be_thousands_is_a_decimal_point_everywhere(text: str,
                                                                    number: float) -> None:
    # a leading zero never starts a thousands group (the export reader refused 0.850)
    assert workbook(text) == (number, None)
    assert export(text) == number


@pytest.mark.parametrize("text", ["1.234", "-12.345"])
def test_dot_that_may_be_thousands_is_ambiguous_everywhere(text: str) -> None:
    assert workbook(text) == (None, "cell-ambiguous-number")
    assert export(text) == "ValueError"


def test_a_percent_sign_is_dropped_by_the_export_reader_and_noted_by_the_workbook() -> None:
    assert parse_number("45,2 %") == (45.2, True, None)
    assert export("45,2 %") == 45.2
    assert export(f"45,2{NBSP}%") == 45.2


# -- properties against a plain reference ----------------------------------------------------

SEPARATORS = [" ", NBSP, THIN, NNBSP]
SIGNS = {"": 1, "+": 1, "-": -1, MINUS: -1, EN_DASH: -1}


@st.composite
def swedish_numbers(draw: st.DrawFn) -> tuple[str, Decimal, bool]:
    """A number as a person types it, and its value computed from the parts."""
    whole = draw(st.integers(min_value=0, max_value=10**12))
    decimals = draw(st.text("0123456789", max_size=4))
    sign = draw(st.sampled_from(sorted(SIGNS)))
    separator = draw(st.sampled_from(["", *SEPARATORS, "."]))
    percent = draw(st.sampled_from(["", "%", " %", f"{NBSP}%"]))
    digits = str(whole)
    groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
    if separator == "." and len(groups) == 2 and not decimals:
        separator = ""  # 1.234 is ambiguous on purpose: tested on its own above
    text = sign + separator.join(groups) + ("," + decimals if decimals else "") + percent
    value = SIGNS[sign] * Decimal(digits + ("." + decimals if decimals else ""))
    pad = draw(st.sampled_from(["", " ", NBSP, "\t"]))
    return pad + text + pad, value, bool(percent)


@given(swedish_numbers())
@example((f"{EN_DASH}1{NNBSP}234,5", Decimal("-1234.5"), False))
@example(("1.234.567,25 %", Decimal("1234567.25"), True))
@settings(max_examples=400)
def test_every_door_reads_a_swedish_number_as_the_reference(
        case: tuple[str, Decimal, bool]) -> None:
    text, value, percent = case
    assert parse_number(text) == (float(value), percent, None), text
    assert export(text) == float(value), text


@given(st.integers(min_value=1, max_value=10**9), st.integers(1, 4), st.integers(0, 2),
       st.sampled_from(SEPARATORS))
def test_a_group_of_other_than_three_digits_is_no_number(head: int, size: int, cut: int,
                                                         separator: str) -> None:
    # "1 2345", "12 34", "1 23 456": any group after the first that is not three digits
    group = "7" * (size if size != 3 else 3 + cut + 1)
    text = f"{head}{separator}{group}"
    assert workbook(text) == (None, "cell-not-number"), text
    assert export(text) == "ValueError", text


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 3),
       st.booleans())
def test_a_number_formatted_by_reportkit_reads_back_through_every_door(
        number: float, decimals: int, unicode_minus: bool) -> None:
    text = format_number(number, decimals, unicode_minus=unicode_minus)
    assert export(text) == parse_number(text)[0] is not None


junk = st.text("0123456789,.-+% \u00a0\u2009\u202f\u2212\u2013\u2014xe", max_size=10)


@given(st.one_of(junk, st.floats(allow_nan=False, allow_infinity=False), st.none()))
@example("-")
@example("1 2345")
@example("1.234,5")
@settings(max_examples=400)
def test_the_export_reader_is_the_workbook_reader(raw: Any) -> None:
    value, _, issue = parse_number(raw)
    assert export(raw) == ("ValueError" if issue else value)


def test_dates_keep_refusing_what_is_no_date() -> None:
    assert parse_date("--") == (None, ("cell-not-date", {"value": "--"}))
    assert parse_date(dt.date(2026, 3, 15)) == (dt.date(2026, 3, 15), None)
