"""A large history file reads fast and exactly as row by row: same rows, same problems.

The CSV is split without the csv module when it has no quotes, and its rows are read with the
repeating texts resolved once (history.py ``_read_rows``); the store takes the rows 100 to a
statement. Each is compared here with the plain way: ``csv.reader``, every row through
``_row``, one INSERT per row.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportkit.consolidate.history import COLUMNS, HistoryFile, _read_rows, _row, _split_csv
from reportkit.errors import problem
from reportkit.storage import store
from reportkit.workbook.parse import is_blank


@given(st.text(";,\t\n\r\" a1é\x00\u2028", max_size=40), st.sampled_from([";", ",", "\t"]))
@example("a;b\r\nc;d\r\n", ";")
@example("a;b\rc;d\n", ";")
@example('a;"b;c"\n', ";")
@example("\n\n;\n", ";")
@example("", ";")
@settings(max_examples=400)
def test_csv_split_gives_the_rows_of_the_csv_module(text: str, delimiter: str) -> None:
    expected = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    assert [list(r) for r in _split_csv(text, delimiter)] == expected


def test_csv_split_leaves_a_field_over_the_csv_limit_to_the_csv_module() -> None:
    text = "år;utfall\n2025;" + "9" * (csv.field_size_limit() + 1) + "\n"
    with pytest.raises(csv.Error):
        list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    with pytest.raises(csv.Error):
        list(_split_csv(text, ";"))


class Indicator(SimpleNamespace):
    target_type = "kvot"
    earlier_ids: tuple[str, ...] = ()

    def target_for(self, year: int) -> Any:
        return self.target


# units and indicators of every kind the utfall is read by: percent with a usual and a small
# målvärde (0,5 is then ambiguous), ja/nej, a count; and ids the styrmodell does not know
MODEL = SimpleNamespace(
    year=2026, units={"BUN": None, "KS": None},
    indicators={"P": (Indicator(unit="%", target=85.0), "g"),
                "PS": (Indicator(unit="%", target=5.0), "g"),  # 0,5: ambiguous
                "JN": (Indicator(unit="", target=True, target_type="janej"), "g"),
                "N": (Indicator(unit="antal", target=6.0), "g")})

years = st.sampled_from(["2025", "2024", " 2023", "2025 ", "20x5", "", "2025.0", "25",
                         "\u0662\u0660\u0662\u0664"])
periods = st.sampled_from(["helår", "helår", "Helår", " delår", "TERTIAL", "våren", ""])
units = st.sampled_from(["BUN", "BUN", "KS", " BUN ", "bun", "BUNN", ""])
indicators = st.sampled_from(["P", "PS", "JN", "N", " P", "P\u00a0", "X", ""])
values = st.one_of(
    st.sampled_from(["85", "85,5", "0,5", "85 %", "85%", "1 234,5", "\u221212", "-0", "ja",
                     "Nej", "ca 5", "", " ", "1.234", "3.5", "0,5 %", "1", "12 34", "\u0663"]),
    st.from_regex(r"[+-]?[0-9]{1,4}(,[0-9]{1,3})?( ?%)?", fullmatch=True))
lines = st.one_of(
    st.lists(st.one_of(years, periods, units, indicators, values), max_size=7),
    st.tuples(years, periods, units, indicators, values).map(list))


def read(table: list[list[str]], model: Any, text: bool) -> tuple[HistoryFile, Any]:
    cols = {c: i for i, c in enumerate(COLUMNS)}
    out = HistoryFile("historik/utfall.csv", "")
    unknown = _read_rows(iter([list(line) for line in table]), cols, out.name, model, out, text)
    return out, unknown


def row_by_row(table: list[list[str]], model: Any) -> tuple[HistoryFile, Any]:
    """The loop parse_history had before #16: every row through _row, duplicates by a dict."""
    out = HistoryFile("historik/utfall.csv", "")
    seen: dict[Any, int] = {}
    unknown: dict[Any, list[int]] = {}
    for n, line in enumerate(table, start=2):
        if all(is_blank(c) for c in line):
            continue
        cells = {c: line[i] if i < len(line) else None for i, c in enumerate(COLUMNS)}
        row = _row(cells, n, out.name, model, out.problems)
        if row is None:
            continue
        if model is not None:
            for column, value, known in (("enhet", row[2], model.units),
                                         ("indikator", row[3], model.indicators)):
                if value not in known:
                    unknown.setdefault((column, value), []).append(n)
        key = row[:4]
        if key in seen:
            out.problems.append(problem(
                "history-duplicate-row", file=out.name, row=n, indicator=row[3], unit=row[2],
                year=row[0], period=row[1], first=seen[key]))
            continue
        seen[key] = n
        out.rows.append(row)
    return out, unknown


def same(table: list[list[str]], model: Any) -> tuple[HistoryFile, Any]:
    """The table read with and without the fast path and row by row as before: the rows,
    problems and unknown ids alike (by repr: -0.0 is not 0.0)."""
    def key(read: tuple[HistoryFile, Any]) -> Any:
        out, unknown = read
        return ([repr(r) for r in out.rows],
                [(p.code, repr(p.location), repr(p.values)) for p in out.problems], unknown)

    fast = read(table, model, text=True)
    assert key(fast) == key(read(table, model, text=False)) == key(row_by_row(table, model))
    return fast


@given(st.lists(lines, max_size=20), st.booleans(), st.booleans())
@settings(max_examples=200)
def test_text_rows_read_as_row_by_row(table: list[list[str]], with_model: bool,
                                      ordered: bool) -> None:
    # sorted or not: a sorted file finds its duplicates without a lookup until a row is out
    # of order
    if ordered:
        table.sort(key=lambda line: [c.strip() for c in line])
    same(table, MODEL if with_model else None)


def test_text_rows_keep_the_first_of_a_duplicate_and_report_the_rest() -> None:
    table = [["2025", "helår", "BUN", "P", "85"], ["2025", "Helår", " BUN", "P ", "86"],
             ["2025", "helår", "BUN", "PS", "0,5"], ["2025", "helår", "BUNN", "JN", "ja"]]
    out, unknown = same(table, MODEL)
    assert out.rows == [(2025, "helår", "BUN", "P", 85.0, 2, "utfall"),
                        (2025, "helår", "BUNN", "JN", 1.0, 5, "utfall")]
    assert [p.code for p in out.problems] == ["history-duplicate-row", "cell-ambiguous-number"]
    assert unknown == {("enhet", "BUNN"): [5]}


def test_a_row_out_of_order_may_repeat_any_row_before_it() -> None:
    table = [["2024", "helår", "BUN", "P", "80"], ["2025", "helår", "BUN", "P", "85"],
             ["2025", "helår", "KS", "N", "3"], ["2024", "helår", "BUN", "P", "81"],
             ["2025", "helår", "KS", "N", "4"], ["2023", "helår", "KS", "N", "2"]]
    out, _ = same(table, MODEL)
    assert [r[5] for r in out.rows] == [2, 3, 4, 7]
    assert [(p.code, p.location.row, p.values["first"]) for p in out.problems] == [
        ("history-duplicate-row", 5, 2), ("history-duplicate-row", 6, 4)]


def test_the_same_utfall_text_reads_by_each_indicators_unit_and_target() -> None:
    # "0,5" read once for a percent indicator is not reused where the målvärde makes it
    # ambiguous, nor for a count, nor for a ja/nej indicator (ja or nej only)
    table = [["2025", "helår", "BUN", ind, "0,5"] for ind in ("P", "PS", "N", "JN")]
    out, _ = same(table, MODEL)
    assert [r[3:5] for r in out.rows] == [("P", 50.0), ("N", 0.5)]
    assert [(p.code, p.location.row) for p in out.problems] == [
        ("cell-ambiguous-number", 3), ("cell-not-yes-no", 5)]


@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250])
def test_history_rows_stored_as_one_insert_a_row_would(count: int) -> None:
    rows = [(2020 + n % 5, "helår", f"U{n % 7}", f"I{n}", None if n % 9 == 0 else n / 3 - 5,
             n + 2, "utfall") for n in range(count)]
    rows.append((2020, "helår", "U0", "I0", -0.0, 999, "utfall"))  # replaces I0 when count > 0

    def dump(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in conn.execute(
            "SELECT rowid, *, typeof(value), quote(value) FROM history ORDER BY rowid")]

    conn = store.connect(":memory:")
    store.load_history_rows(conn, "historik/utfall.csv", "ab" * 32, "t", rows)
    plain = store.connect(":memory:")
    plain.executemany("INSERT OR REPLACE INTO history VALUES (?,?,?,?,?,?,?,?,?)",
                      [(y, p, u, i, v, "historik/utfall.csv", "ab" * 32, r, c)
                       for y, p, u, i, v, r, c in rows])
    assert dump(conn) == dump(plain)
    assert len(dump(conn)) == max(count, 1)
