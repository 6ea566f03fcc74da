"""The share-or-percent rule (docs/bedomning.md §7, workbook/parse.py ``share_or_percent``).

A number typed without a percent sign in a percent cell, above 0 and at most 1, has two
readings: x % and the share 100·x %. The rule takes the one nearer the målvärde counted in
times, and asks only where the målvärde is 5 to 20 times the number (both about as near).
The workbook's percent cells show, and their live formulas count, the same reading
(``share_limit``), and a value reportkit writes into one reads back as itself
(``stored_percent``).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from reportkit.workbook.parse import (
    AMBIGUOUS,
    POINTS,
    SHARE,
    parse_indicator_value,
    share_limit,
    share_or_percent,
    stored_percent,
)

shares = st.floats(min_value=1e-6, max_value=1.0, allow_nan=False)
targets = st.floats(min_value=1e-3, max_value=1000.0, allow_nan=False)
signed_targets = st.one_of(targets, targets.map(lambda t: -t))


def _times(a: float, b: float) -> float:
    """How many times apart two positive numbers are (≥ 1)."""
    return max(a, b) / min(a, b)


@given(shares, signed_targets)
@example(0.6, 2.0)
@example(0.5, 2.5)
@example(0.5, 10.0)
@example(0.9, 10.0)
def test_the_nearer_reading_is_taken_and_only_a_close_call_is_asked(x: float,
                                                                     target: float) -> None:
    m = abs(target)
    reading = share_or_percent(x, target)
    as_points, as_share = _times(x, m), _times(100 * x, m)
    if reading == POINTS:
        assert as_points < as_share
    elif reading == SHARE:
        assert as_share < as_points
    else:
        # neither reading is more than 4 times nearer than the other: a close call
        assert 5 <= m / x <= 20
        assert max(as_points, as_share) / min(as_points, as_share) <= 4 * (1 + 1e-9)


@given(shares, signed_targets)
def test_ambiguous_exactly_where_the_target_is_5_to_20_times_the_number(x: float,
                                                                        target: float) -> None:
    ratio = abs(target) / x
    assert (share_or_percent(x, target) == AMBIGUOUS) == (5 <= ratio <= 20)


@given(shares, st.one_of(st.none(), st.booleans(), st.text(max_size=3)))
def test_without_a_target_in_numbers_a_bare_share_is_a_share(x: float, target) -> None:
    assert share_or_percent(x, target) == SHARE
    value, issue = parse_indicator_value(x, "%", target)
    assert issue is None and value == pytest.approx(100 * x)


@given(st.one_of(st.floats(min_value=1.0, max_value=1e9, exclude_min=True),
                 st.floats(max_value=0.0, min_value=-1e9)), signed_targets)
def test_only_a_number_above_0_and_at_most_1_can_be_a_share(value: float,
                                                            target: float) -> None:
    assert share_or_percent(value, target) == POINTS
    assert parse_indicator_value(value, "%", target) == (value, None)


@given(shares, signed_targets)
def test_a_percent_sign_is_never_second_guessed(x: float, target: float) -> None:
    text = f"{x:.6f}".replace(".", ",") + " %"
    value, issue = parse_indicator_value(text, "%", target)
    assert issue is None and value == float(f"{x:.6f}")


@given(shares, signed_targets)
def test_a_cell_shows_what_the_reader_reads(x: float, target: float) -> None:
    # the number format and the degree formula show a stored x as a share up to share_limit
    reading = share_or_percent(x, target)
    assume(reading != AMBIGUOUS)
    assert (x <= share_limit(target)) == (reading == SHARE)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), signed_targets)
@example(0.85, 85.0)
@example(0.6, 2.0)
@example(0.9, 10.0)
@example(1.0, 85.0)
def test_a_value_written_into_a_percent_cell_reads_back_as_itself(value: float,
                                                                  target: float) -> None:
    stored = stored_percent(value, target)
    read, issue = parse_indicator_value(stored, "%", target)
    assert issue is None
    assert math.isclose(read, value, rel_tol=1e-9, abs_tol=1e-9)
    # and the cell shows it as that value: a share only below the line
    assert (0 <= stored <= share_limit(target)) == (stored != value or value == 0)


def test_the_issue_case_0_6_against_2_is_read_in_a_styrkort_and_the_history() -> None:
    # the same reader for both (history.py reads an utfall through parse_indicator_value)
    assert parse_indicator_value("0,6", "%", 2) == (0.6, None)
    assert parse_indicator_value(0.6, "%", 2.0) == (0.6, None)


def test_the_history_file_reads_0_6_against_2_as_0_6_percent() -> None:
    # historik/utfall.csv: the row the issue found refused as ambiguous
    from types import SimpleNamespace

    from reportkit.consolidate.history import COLUMNS, _row

    indicator = SimpleNamespace(unit="%", target=2.0, target_type="kvot",
                                target_for=lambda year: 2.0)
    model = SimpleNamespace(year=2026, units={"BUN": None}, indicators={"SJ": (indicator, "g")})
    problems: list = []
    for text, expected in (("0,6", 0.6), ("0,6 %", 0.6), ("0,05", 5.0)):
        cells = dict(zip(COLUMNS, ["2025", "helår", "BUN", "SJ", text], strict=True))
        row = _row(cells, 2, "historik/utfall.csv", model, problems)
        assert problems == [] and row is not None and row[4] == expected, text


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory):
    """An Exempelkommun project whose kommun workbook has "0,9" against KF6-I1's målvärde 3,5 %
    and "0,85" against KF1-I1's 88 %, consolidated."""
    from testkit import write_cells

    from reportkit.consolidate.run import consolidate
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project
    from reportkit.workbook import layout
    from reportkit.workbook.content import build_content

    root = tmp_path_factory.mktemp("andel") / "kommun"
    init_project(root)
    proj = Project.open(root)
    [blank] = generate_workbooks(root, "2026-delår", ["kommun"], out_dir=root / "utskick")
    model, period = proj.period("2026-delår")
    content = build_content(model, "kommun", period)
    ids = [i.id for i in content.indicators]

    def cell(indicator: str) -> str:
        return layout.cell_of(layout.INDICATORS_SHEET, content.period_type, "actual",
                              ids.index(indicator))

    inbox = proj.inbox("2026-delår")
    inbox.mkdir(parents=True, exist_ok=True)
    write_cells(blank, {f"{layout.INDICATORS_SHEET}!{cell('KF6-I1')}": "0,9",
                        f"{layout.INDICATORS_SHEET}!{cell('KF1-I1')}": "0,85",
                        f"{layout.INDICATORS_SHEET}!{cell('KF1-I2')}": "85 %"},
                inbox / "kommun.xlsx", None)
    consolidate(proj, "2026-delår")
    return proj


def test_explain_says_when_the_rule_read_a_value(consolidated) -> None:
    from reportkit.outputs.explain import explain

    text = "\n".join(explain(consolidated, "KF6-I1", "2026-delår"))
    assert "0,9 utan procenttecken lästes som 0,9 %, inte 90 % (närmare målvärdet 3,5 %)" in text
    text = "\n".join(explain(consolidated, "KF1-I1", "2026-delår"))
    assert "0,85 utan procenttecken lästes som 85 %, inte 0,85 % (närmare målvärdet 88 %)" \
        in text
    # a value typed with its percent sign: nothing to explain
    text = "\n".join(explain(consolidated, "KF1-I2", "2026-delår"))
    assert "utan procenttecken" not in text, text


def test_a_store_from_before_the_reading_column_migrates(tmp_path) -> None:
    # migration 0111: an indicator value stored before it has no reading ('')
    import sqlite3

    from reportkit.storage import store

    path = tmp_path / "reportkit.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, "
                "applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    names = [name for name, _ in store.MIGRATIONS]
    for name, sql in store.MIGRATIONS[:names.index("0111_indicator_value_reading")]:
        for statement in sql.split(";"):
            if statement.strip():
                old.execute(statement)
        old.execute("INSERT INTO migrations(name) VALUES (?)", (name,))
    old.execute("INSERT INTO indicator_value VALUES (1, 'KF1-I1', 'KF1', 85, NULL, '', "
                "'uppfyllt', 1, '', 'Indikatorer', 'H4', 'I4')")
    old.commit()
    old.close()
    conn = store.connect(path)
    try:
        assert conn.execute("SELECT reading FROM indicator_value").fetchone()[0] == ""
    finally:
        conn.close()
