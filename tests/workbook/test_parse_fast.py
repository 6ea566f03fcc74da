"""The fast paths in workbook/parse.py read every input exactly as the full parser does.

``parse_number`` reads plain text ("85", "-12,5", "85 %") and calamine's numbers without the
full parser; ``is_blank`` and ``clean_text`` take a shortcut for text. A unit's workbook and the
history file must read the same as before, so each is compared here, over generated Swedish
numbers, floats, ints, blanks and junk, with the full code: ``_parse_number_full`` and the
earlier ``is_blank``/``clean_text``/``parse_indicator_value`` copied below. Results are compared
by ``repr`` so that -0.0 and 0.0 (and NaN) count as different values.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportkit.workbook import parse
from reportkit.workbook.parse import (
    _parse_number_full,
    clean_text,
    indicator_value_key,
    is_blank,
    parse_indicator_value,
    parse_number,
)

SPACES = ["", " ", "  ", "\t", "\u00a0", "\u2009", "\u202f"]


# -- the code before the fast paths, as the reference ---------------------------------------

def is_blank_reference(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not parse._SPACES.sub("", raw))


def clean_text_reference(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat()[:10]
    return str(raw).strip()


def parse_indicator_value_reference(raw: Any, unit: str, target: Any) -> tuple[Any, Any]:
    value, had_percent, issue = _parse_number_full(raw)
    if issue or value is None:
        return None, issue
    if unit != "%":
        if had_percent:
            return None, ("cell-ambiguous-number", {
                "value": clean_text_reference(raw), "first": f"{parse._sv(value)} {unit}".strip(),
                "second": f"{parse._sv(value)} procent",
                "advice": f"indikatorn mäts i {unit or 'tal'}, skriv bara talet"})
        return value, None
    if had_percent:
        return value, None
    if 0 < value <= 1:
        # the share-or-percent rule (docs/bedomning.md §7): the reading nearer the målvärde
        # in times; ambiguous where the målvärde is 5 to 20 times the number, or 0
        number = isinstance(target, (int, float)) and not isinstance(target, bool)
        ratio = abs(target) / value if number else None
        if ratio is not None and ratio < 5 and target != 0:
            return value, None
        if ratio is not None and ratio <= 20:
            return None, ("cell-ambiguous-number", {
                "value": clean_text_reference(raw).replace(".", ","),
                "first": f"{parse._sv(value)} %", "second": f"{parse._sv(value * 100)} %",
                "advice": "skriv procenttecknet, t.ex. 0,8 % eller 80 %"})
        return round(value * 100, 10), None
    return value, None


# -- what people and spreadsheets put in a cell ----------------------------------------------

# numbers as people type them: thousands groups of three (or not), decimal comma or point,
# Unicode minus, percent sign, spaces around
groups = st.tuples(st.from_regex(r"[0-9]{1,3}", fullmatch=True),
                   st.lists(st.from_regex(r"[0-9]{3}|[0-9]{1,4}", fullmatch=True), max_size=3))
whole = st.builds(lambda g, sep: sep.join([g[0], *g[1]]), groups,
                  st.sampled_from(["", "", " ", "\u00a0", "\u2009", "\u202f", ".", ","]))
decimals = st.one_of(st.just(""), st.builds(
    lambda mark, d: mark + d, st.sampled_from([",", ",", "."]),
    st.one_of(st.from_regex(r"[0-9]{3}", fullmatch=True), st.text("0123456789", max_size=5))))
swedish_numbers = st.builds(
    lambda lead, sign, whole, decimal, percent, trail: lead + sign + whole + decimal + percent
    + trail,
    st.sampled_from(SPACES), st.sampled_from(["", "", "-", "+", "\u2212", "\u2013", "- ", "--"]),
    whole, decimals, st.sampled_from(["", "", "%", " %", "\u00a0%", "  %", "%%", " % "]),
    st.sampled_from(SPACES))
plain_numbers = st.from_regex(r"[+-]?[0-9]{1,20}(,[0-9]{1,12})?( ?%)?", fullmatch=True)
# digits float() reads but a styrkort does not (Arabic-Indic, superscript, full-width)
foreign_digits = st.text("01239\u0663\u00b2\u0966\uff15,-%", min_size=1, max_size=4)
junk = st.text("0123456789,.-+\u2212\u2013% \u00a0\u2009\u202f\t\njaneJNx\u0663\u00b2e",
               max_size=12)
cells = st.one_of(
    swedish_numbers, swedish_numbers, plain_numbers, foreign_digits, junk, st.text(max_size=8),
    st.sampled_from(["", " ", "\u00a0", "ja", "nej", "Ja ", "JA", "inf", "nan", "1e3", "0x10"]),
    st.floats(), st.integers(min_value=-10**20, max_value=10**20), st.booleans(), st.none(),
    st.dates(), st.datetimes(), st.times())
targets = st.one_of(st.none(), st.booleans(), st.floats(), st.integers(-5, 5),
                    st.sampled_from([0.5, 1.0, 1.5, 1.6, -1.0, 85.0]))
units = st.sampled_from(["%", "index", "kr", "", "dagar"])


@given(cells)
@example("-0")
@example("+0,0 %")
@example("0,5")
@example("85%")
@example("007")
@example("9" * 400)
@example("-" + "9" * 400 + ",5")
@example(-0.0)
@example(float("nan"))
@example(float("-inf"))
@example(True)
@example(10**20)
@settings(max_examples=500)
def test_parse_number_reads_every_cell_as_the_full_parser(raw: Any) -> None:
    assert repr(parse_number(raw)) == repr(_parse_number_full(raw))


def test_parse_number_reads_every_number_shape_as_the_full_parser() -> None:
    # every mix of sign, thousands groups, decimal mark, percent sign and spaces, not a sample:
    # the shapes the full parser tells apart (1.234 ambiguous, 1.234,5 read, 12 34 refused ...)
    shapes = itertools.product(
        ["", " "], ["", "-", "+", "\u2212"], ["0", "1", "12", "123", "1234", "007"],
        ["", ".234", " 234", "\u00a0234", ".23", " 2345", ".234.567", " 234 567", ",234"],
        ["", ",5", ",25", ",250", ".5", ".250", ",1234", ","], ["", "%", " %", "\u00a0%"],
        ["", " "])
    for parts in shapes:
        raw = "".join(parts)
        assert repr(parse_number(raw)) == repr(_parse_number_full(raw)), raw


@given(cells)
@settings(max_examples=400)
def test_blank_and_text_read_as_before(raw: Any) -> None:
    assert is_blank(raw) == is_blank_reference(raw)
    assert clean_text(raw) == clean_text_reference(raw)


@given(cells, units, targets)
@example("0,5", "%", 1.0)
@example("0,5", "%", True)
@example("85 %", "index", 80.0)
@settings(max_examples=400)
def test_indicator_value_reads_as_before(raw: Any, unit: str, target: Any) -> None:
    assert repr(parse_indicator_value(raw, unit, target)) == \
        repr(parse_indicator_value_reference(raw, unit, target))


@given(cells, units, targets, targets)
@example("0,5", "%", 1.0, True)
@example("0,5", "%", 1, 1.0)
@settings(max_examples=400)
def test_equal_value_keys_read_every_value_alike(raw: Any, unit: str, first: Any,
                                                 second: Any) -> None:
    # the history reads each distinct utfall text once per key, not once per indicator
    if indicator_value_key(unit, first) == indicator_value_key(unit, second):
        assert repr(parse_indicator_value(raw, unit, first)) == \
            repr(parse_indicator_value(raw, unit, second))


def test_str_strip_drops_exactly_the_spaces_the_parser_knows() -> None:
    # is_blank's fast path rests on this: every code point, not a sample
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = set(re.findall(r"[\s\u00a0\u2009\u202f]", everything))
    stripped = {c for c in everything if not c.strip()}
    assert matched == stripped
    assert {"\u00a0", "\u2009", "\u202f", " ", "\t"} <= matched


def test_plain_forms_take_the_fast_path() -> None:
    # the fast path is what the history of a large kommun goes through: it must take these
    assert parse._PLAIN.fullmatch("85,5") and parse._PLAIN.fullmatch("-12 %")
    for raw in ["1 234", "\u221212", "1.234", " 85", "85 ", "0,5%%", "\u0663"]:
        assert parse._PLAIN.fullmatch(raw) is None
    # and the exports' thousands groups; groups of other than three go to the full parser
    assert parse._GROUPED.fullmatch("-1 234,5") and parse._GROUPED.fullmatch("1\u00a0234 %")
    for raw in ["12 34", "1 2345", "1234 567", "1 234,5 6", " 1 234", "1.234,5"]:
        assert parse._GROUPED.fullmatch(raw) is None
