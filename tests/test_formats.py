from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit import formats
from reportkit.formats import DASH, NBSP, format_number, format_value


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, -0.0, 0.5, -0.5, 1.25, -1.25, 1234.5, 99.96])
            | st.floats(-1e7, 1e7, allow_nan=False),
            st.integers(0, 3),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_remembered_float_texts_are_those_of_the_exact_decimal(calls):
    # floats are remembered (issue #16); a Decimal of the float's repr is always computed
    for value, decimals, floor, unicode_minus in calls:
        assert format_number(value, decimals, floor=floor, unicode_minus=unicode_minus) == (
            format_number(Decimal(repr(value)), decimals, floor=floor, unicode_minus=unicode_minus)
        )


def test_float_format_rounds_floors_and_signs():
    assert format_number(1234.56, 1) == f"1{NBSP}234,6"
    assert format_number(-0.5, 0) == "-1"
    assert format_number(-0.5, 0, floor=True) == "-1"
    assert format_number(-0.5, 0, unicode_minus=True) == "\u22121"
    assert format_number(0.999, 0, floor=True) == "0"
    assert format_number(-0.0, 1) == format_number(0.0, 1) == "0,0"
    assert format_number(float("nan")) == format_number(float("inf")) == DASH


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, -0.0, 85.0, 85.25, 1234.5, -3.14159])
            | st.floats(-1e7, 1e7, allow_nan=False),
            st.sampled_from(["", "%", "tkr", "dagar"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_remembered_value_texts_are_those_computed_afresh(calls):
    for value, unit in calls:
        assert format_value(value, unit) == formats._format_value(value, unit, None)


def test_value_texts_keep_their_unit_and_decimals():
    assert format_value(85.0, "%") == f"85{NBSP}%"
    assert format_value(85.0) == "85"
    assert format_value(85.25, "tkr") == f"85,25{NBSP}tkr"
    assert format_value(-0.0, "%") == format_value(0.0, "%") == f"0{NBSP}%"
    assert format_value(2.5, decimals=0) == "3"
