"""The store's queries for consolidate and the outputs: each one a named function, so that the
SQL of the package lives in :mod:`reportkit.storage` only (``tests/test_layers.py``).

Nothing here opens or ends a transaction: the caller's transaction boundaries stay where they
are (a consolidation writes everything in one)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SUBMISSION_TABLES = ("goal_entry", "indicator_value", "activity", "text_entry",
                     "control_result", "assignment_status")


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The file of the store behind ``conn``; None for an in-memory store."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def cache_get_raw(conn: sqlite3.Connection, key: str) -> tuple[str, Any] | None:
    """``(fingerprint, data)`` of the run cache's entry ``key`` as stored (JSON text or the
    bytes :func:`cache_put_raw` stored), or None."""
    row = conn.execute("SELECT fingerprint, data FROM run_cache WHERE key = ?",
                       (key,)).fetchone()
    return None if row is None else (row[0], row[1])


def cache_put_raw(conn: sqlite3.Connection, key: str, fingerprint: str, data: bytes) -> None:
    """Store ``data`` as it is under ``key`` (call inside a transaction)."""
    conn.execute("INSERT OR REPLACE INTO run_cache(key, fingerprint, data) VALUES (?, ?, ?)",
                 (key, fingerprint, data))


def cache_forget(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM run_cache WHERE key = ?", (key,))


def submission_files(conn: sqlite3.Connection, period: str) -> dict[str, str]:
    """``{sha256: file}`` of every submission of the period."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT sha256, file FROM submission WHERE period = ?", (period,))}


def submission_units_by_file(conn: sqlite3.Connection, period: str) -> dict[str, str]:
    """``{file: unit id}`` of the period's submissions that have a unit (the latest wins)."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT file, unit_id FROM submission WHERE period = ? AND unit_id IS NOT NULL "
        "ORDER BY id", (period,))}


def unit_submissions(conn: sqlite3.Connection, period: str) -> list[sqlite3.Row]:
    """The period's submissions that have a unit, oldest first."""
    return conn.execute("SELECT * FROM submission WHERE period = ? AND unit_id IS NOT NULL "
                        "ORDER BY id", (period,)).fetchall()


def refused_with_claim(conn: sqlite3.Connection, period: str) -> list[sqlite3.Row]:
    """The period's refused (``fel``) submissions that name the unit they claim, oldest first."""
    return conn.execute(
        "SELECT id, file, errors, warnings, claimed_unit FROM submission WHERE "
        "period = ? AND state = 'fel' AND claimed_unit IS NOT NULL ORDER BY id",
        (period,)).fetchall()


def submissions_with_replacer(conn: sqlite3.Connection, period: str) -> list[sqlite3.Row]:
    """The period's submissions with the file of the one that replaced each (``by_file``)."""
    return conn.execute(
        "SELECT s.id, s.sha256, s.state, s.errors, s.unit_id, b.file AS by_file "
        "FROM submission s LEFT JOIN submission b ON b.id = s.replaced_by "
        "WHERE s.period = ?", (period,)).fetchall()


def mark_replaced(conn: sqlite3.Connection, submission_id: int, by: int) -> None:
    conn.execute("UPDATE submission SET state = 'ersatt', replaced_by = ? WHERE id = ?",
                 (by, submission_id))


def problem_cells(conn: sqlite3.Connection, submission_id: int
                  ) -> list[tuple[str, str | None, str | None]]:
    """A submission's problems as ``(code, sheet, cell)``, in the order found."""
    return [(r[0], r[1], r[2]) for r in conn.execute(
        "SELECT code, sheet, cell FROM problem WHERE submission_id = ? ORDER BY rowid",
        (submission_id,))]


def submission_problems(conn: sqlite3.Connection, submission_id: int) -> list[sqlite3.Row]:
    """A submission's problems (severity, sheet, cell, message, hint), the fel first, in the
    order found (the overview's list per unit)."""
    return conn.execute(
        "SELECT severity, sheet, cell, message, hint FROM problem WHERE submission_id = ? "
        "ORDER BY severity != 'fel', rowid", (submission_id,)).fetchall()


def problem_codes(conn: sqlite3.Connection, submission_id: int) -> list[str]:
    """A submission's problem codes, the fel first."""
    return [r[0] for r in conn.execute(
        "SELECT code FROM problem WHERE submission_id = ? ORDER BY severity != 'fel', rowid",
        (submission_id,))]


def file_stats(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """``{file: (size, mtime_ns, ctime_ns, ino, sha256, checked_ns)}`` as last hashed."""
    return {r[0]: tuple(r[1:]) for r in conn.execute(
        "SELECT file, size, mtime_ns, ctime_ns, ino, sha256, checked_ns FROM file_stat")}


def record_file_stats(conn: sqlite3.Connection, folder: str, present: Iterable[str],
                      rows: list[tuple[Any, ...]]) -> None:
    """Keep the ``file_stat`` rows just hashed; forget the files of ``folder`` (a path in the
    project) not in ``present``."""
    if rows:
        conn.executemany("INSERT OR REPLACE INTO file_stat VALUES (?,?,?,?,?,?,?)", rows)
    names = set(present)
    gone = [(r[0],) for r in conn.execute("SELECT file FROM file_stat")
            if r[0].startswith(folder + os.sep) and r[0] not in names]
    if gone:
        conn.executemany("DELETE FROM file_stat WHERE file = ?", gone)


def source_files(conn: sqlite3.Connection, kind: str) -> dict[str, str]:
    """``{file: sha256}`` of the source files of ``kind`` (e.g. ``historik``) in the store."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT file, sha256 FROM source_file WHERE kind = ?", (kind,))}


def forget_history_file(conn: sqlite3.Connection, kind: str, file: str) -> None:
    """Remove the history rows from ``file`` and its source record."""
    conn.execute("DELETE FROM history WHERE file = ?", (file,))
    conn.execute("DELETE FROM source_file WHERE kind = ? AND file = ?", (kind, file))


def decision_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the decision tables (``decision*``), by table, in storage order."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'decision%' "
        "ORDER BY name")]
    # the names come from sqlite_master itself, so they are tables and safe to format in
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
            for t in tables}


def draft_inputs(conn: sqlite3.Connection, period: str) -> list[list[tuple[Any, ...]]]:
    """The rows a period's draft is made of: its submissions, the source files and its
    export loads (for a fingerprint)."""
    return [
        [tuple(r) for r in conn.execute(
            "SELECT * FROM submission WHERE period = ? ORDER BY id", (period,))],
        [tuple(r) for r in conn.execute(
            "SELECT kind, file, sha256 FROM source_file ORDER BY kind, file")],
        [tuple(r) for r in conn.execute(
            "SELECT id, kind, file, sha256, state, replaced_by FROM export_load "
            "WHERE period = ? ORDER BY id", (period,))],
    ]


def indicator_values(conn: sqlite3.Connection, period: str) -> Iterator[tuple[Any, ...]]:
    """The period's indicator values (the totals) as plain tuples (36,000 for a large kommun):
    ``(submission id, indicator id, actual, forecast, comment, sheet, cell of the actual, how
    the share-or-percent rule read the actual)``."""
    return _shared(conn.cursor(),
                   "SELECT v.submission_id, v.indicator_id, v.actual, v.forecast, v.comment, "
                   "v.sheet, v.cell_actual, v.reading FROM indicator_value v JOIN submission s "
                   "ON s.id = v.submission_id WHERE s.period = ? AND v.gender = 'T'", (period,))


def gender_values(conn: sqlite3.Connection, period: str) -> Iterator[tuple[Any, ...]]:
    """The period's utfall per kön typed beside the totals (``kön: ja``): ``(submission id,
    indicator id, kön K or M, actual, cell)``, by submission, indicator and kön."""
    plain = conn.cursor()
    plain.row_factory = None
    return plain.execute(
        "SELECT v.submission_id, v.indicator_id, v.gender, v.actual, v.cell_actual "
        "FROM indicator_value v JOIN submission s ON s.id = v.submission_id "
        "WHERE s.period = ? AND v.gender != 'T' ORDER BY v.submission_id, v.indicator_id, "
        "v.gender", (period,))


def goal_entries(conn: sqlite3.Connection, period: str) -> Iterator[sqlite3.Row]:
    """The period's goal entries with their submission's unit, file and SHA-256 (their
    repeated texts shared: :func:`_shared_rows`)."""
    return _shared_rows(conn, "SELECT g.*, s.unit_id, s.file, s.sha256 FROM goal_entry g "
                              "JOIN submission s ON s.id = g.submission_id WHERE s.period = ?",
                        (period,))


def _shared_rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]
                 ) -> Iterator[sqlite3.Row]:
    """:func:`_shared`'s rows as ``sqlite3.Row`` (read by column name)."""
    cursor = conn.cursor()
    for values in _shared(cursor, sql, params):
        yield sqlite3.Row(cursor, values)


def _shared(cursor: sqlite3.Cursor, sql: str, params: tuple[Any, ...]
            ) -> Iterator[tuple[Any, ...]]:
    """``cursor.execute(sql, params)``'s rows as plain tuples, each short text that repeats
    (an id, a status, a date, a cell, a sheet or file name) one object for all rows instead of
    one per row: a large kommun's roll-up keeps tens of thousands of rows (Storstad's
    measurements, activities, goal entries and history held some 25 MB of copies of the same
    short texts)."""
    cursor.row_factory = None
    seen: dict[str, str] = {}
    for values in cursor.execute(sql, params):
        yield tuple(seen.setdefault(v, v) if type(v) is str and len(v) < 80 else v
                    for v in values)


def text_entries(conn: sqlite3.Connection, period: str) -> Iterator[sqlite3.Row]:
    """The period's texts (submission id, key, text, unit), by unit and key."""
    return conn.execute(
        "SELECT t.submission_id, t.key, t.text, s.unit_id FROM text_entry t JOIN submission s "
        "ON s.id = t.submission_id WHERE s.period = ? "
        "ORDER BY s.unit_id, t.key", (period,))


def activities(conn: sqlite3.Connection, period: str) -> Iterator[sqlite3.Row]:
    """The period's activities with their unit, by unit and row."""
    return _shared_rows(conn, "SELECT a.*, s.unit_id FROM activity a JOIN submission s "
                              "ON s.id = a.submission_id WHERE s.period = ? "
                              "ORDER BY s.unit_id, a.row", (period,))


def history_values(conn: sqlite3.Connection, before: int, period: str
                   ) -> Iterator[tuple[Any, ...]]:
    """``(year, unit id, indicator id, value)`` of the history before year ``before`` for
    the period type ``period``, values only. A scan of the table (``+year``: through its
    primary key, which starts with the year, every row was a lookup and then a sort: 0.19 s
    against 0.12 s for Storstad's 144,000 rows)."""
    return _shared(conn.cursor(), "SELECT year, unit_id, indicator_id, value FROM history "
                                  "WHERE +year < ? AND period = ? AND value IS NOT NULL",
                   (before, period))


def active_texts(conn: sqlite3.Connection, period: str, key: str) -> list[sqlite3.Row]:
    """``(unit_id, text)`` of the active submissions' text ``key``, by unit."""
    return conn.execute(
        "SELECT s.unit_id, t.text FROM text_entry t JOIN submission s ON s.id = t.submission_id"
        " WHERE s.period = ? AND s.state = 'aktiv' AND t.key = ? ORDER BY s.unit_id",
        (period, key)).fetchall()


def submission_rows(conn: sqlite3.Connection, table: str, submission_id: int, order: str
                    ) -> list[sqlite3.Row]:
    """The rows of one submission in ``table`` (one of :data:`SUBMISSION_TABLES`), ordered by
    the columns ``order``."""
    assert table in SUBMISSION_TABLES
    return conn.execute(f"SELECT * FROM {table} WHERE submission_id = ? ORDER BY {order}",
                        (submission_id,)).fetchall()


def replaced_submissions(conn: sqlite3.Connection, period: str) -> list[sqlite3.Row]:
    """The period's submissions a later one replaced, each with the one that replaced it
    (``by_file``, ``by_sha256``, ``by_loaded_at``)."""
    return conn.execute(
        "SELECT a.unit_id, a.file, a.sha256, a.loaded_at, b.file AS by_file, "
        "b.sha256 AS by_sha256, b.loaded_at AS by_loaded_at "
        "FROM submission a JOIN submission b ON b.id = a.replaced_by "
        "WHERE a.period = ? AND a.state = 'ersatt' ORDER BY a.id", (period,)).fetchall()


def indicator_actuals(conn: sqlite3.Connection, submission_ids: Iterable[int]
                      ) -> Iterator[tuple[int, str, float]]:
    """``(submission id, indicator id, utfall)`` of the submissions' indicators that have an
    utfall, in the order stored."""
    ids = sorted(set(submission_ids))
    plain = conn.cursor()
    plain.row_factory = None
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        yield from plain.execute(
            "SELECT submission_id, indicator_id, actual FROM indicator_value WHERE actual IS "
            f"NOT NULL AND gender = 'T' AND submission_id IN ({','.join('?' * len(part))}) "
            "ORDER BY rowid", part)


def history_rows(conn: sqlite3.Connection, years: Iterable[int] | None = None
                 ) -> list[tuple[Any, ...]]:
    """``(year, period, unit id, indicator id, value, file, row)`` of the history files'
    rows in the store (of ``years``, or all), by year, period, unit and indicator."""
    plain = conn.cursor()
    plain.row_factory = None
    sql = "SELECT year, period, unit_id, indicator_id, value, file, row FROM history"
    if years is None:
        return plain.execute(sql + " ORDER BY year, period, unit_id, indicator_id").fetchall()
    wanted = sorted(set(years))
    if not wanted:
        return []
    return plain.execute(
        sql + f" WHERE year IN ({','.join('?' * len(wanted))}) "
        "ORDER BY year, period, unit_id, indicator_id", wanted).fetchall()


def stored_periods(conn: sqlite3.Connection) -> set[str]:
    """The periods the store has an accepted submission for."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT period FROM submission WHERE unit_id IS NOT NULL")}


def continuing_activities(conn: sqlite3.Connection, year: int, done: tuple[str, ...]
                          ) -> list[sqlite3.Row]:
    """The activities of ``year`` that end after its 31 December, with their unit: from each
    unit's latest loaded active submission of the year that has activities (its helår's
    after its plan's), leaving out those whose status is one of ``done``. By unit and row."""
    like, last = f"{year}-%", f"{year}-12-31"
    marks = ",".join("?" * len(done))
    return conn.execute(
        "SELECT a.*, s.unit_id FROM activity a JOIN submission s ON s.id = a.submission_id "
        "WHERE s.id = (SELECT s2.id FROM submission s2 WHERE s2.unit_id = s.unit_id "
        "AND s2.state = 'aktiv' AND s2.period LIKE ? AND EXISTS (SELECT 1 FROM activity a2 "
        "WHERE a2.submission_id = s2.id) ORDER BY s2.loaded_at DESC, s2.id DESC LIMIT 1) "
        f"AND a.end > ? AND COALESCE(a.status, '') NOT IN ({marks}) "
        "ORDER BY s.unit_id, a.row", (like, last, *done)).fetchall()


def control_results(conn: sqlite3.Connection, submission_ids: Iterable[int]
                    ) -> list[sqlite3.Row]:
    """The intern kontroll rows of the submissions (with their unit, file and SHA-256), by
    unit and row order."""
    ids = sorted(set(submission_ids))
    marks = ",".join("?" * len(ids))
    return conn.execute(
        f"SELECT c.*, s.unit_id, s.file, s.sha256 FROM control_result c JOIN submission s "
        f"ON s.id = c.submission_id WHERE c.submission_id IN ({marks}) "
        f"ORDER BY s.unit_id, c.rowid", ids).fetchall()


def assignment_statuses(conn: sqlite3.Connection, submission_ids: Iterable[int]
                        ) -> list[sqlite3.Row]:
    """The uppdrag rows of the submissions (with their unit, file and SHA-256)."""
    ids = sorted(set(submission_ids))
    marks = ",".join("?" * len(ids))
    return conn.execute(
        f"SELECT a.*, s.unit_id, s.file, s.sha256 FROM assignment_status a JOIN submission s "
        f"ON s.id = a.submission_id WHERE a.submission_id IN ({marks}) "
        f"ORDER BY s.unit_id, a.rowid", ids).fetchall()
