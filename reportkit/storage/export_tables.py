"""The store's tables of the kommun's exports (migration ``0005_exports``): one ``export_load``
per file read for a period and kind, its problems, and its rows in the table of its kind.
What the rows mean and how they are read and checked is :mod:`reportkit.consolidate.exports`;
here is only the SQL. Nothing here opens or ends a transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

ROW_TABLES = ("export_drift", "export_investment", "export_hr", "export_key_figure",
              "export_frame", "export_plan", "export_company", "export_koncern")
"""The tables of the exports' rows, one per kind (each row carries its ``load_id``)."""


def load_by_hash(conn: sqlite3.Connection, period: str, kind: str, sha256: str
                 ) -> sqlite3.Row | None:
    """The load of the export of ``kind`` with these bytes, if it was loaded before."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM export_load WHERE period = ? AND kind = ? AND sha256 = ?",
        (period, kind, sha256)).fetchone()
    return row


def reactivate(conn: sqlite3.Connection, load: sqlite3.Row) -> str | None:
    """Put an earlier (replaced) ``load`` back in use; the load in use of its kind, if any,
    is replaced by it. Returns the file of that load."""
    current = conn.execute("SELECT id, file FROM export_load WHERE period = ? AND kind = ? "
                           "AND state = 'aktiv'", (load["period"], load["kind"])).fetchone()
    replaced = None
    if current is not None:
        conn.execute("UPDATE export_load SET state = 'ersatt', replaced_by = ? WHERE id = ?",
                     (load["id"], current["id"]))
        replaced = str(current["file"])
    conn.execute("UPDATE export_load SET state = 'aktiv', replaced_by = NULL WHERE id = ?",
                 (load["id"],))
    return replaced


def insert_load(conn: sqlite3.Connection, values: tuple[Any, ...],
                problems: list[tuple[Any, ...]]) -> int:
    """Store one load: ``values`` = (period, kind, file, sha256, loaded_at, state, errors,
    warnings, rows, columns as JSON), ``problems`` = (code, severity, row, col, message,
    hint) each. Returns the load's id."""
    cur = conn.execute(
        "INSERT INTO export_load(period, kind, file, sha256, loaded_at, state, errors, warnings,"
        " rows, columns) VALUES (?,?,?,?,?,?,?,?,?,?)", values)
    load_id = cur.lastrowid
    assert load_id is not None  # set by the INSERT just made
    conn.executemany("INSERT INTO export_problem VALUES (?,?,?,?,?,?,?)",
                     [(load_id, *p) for p in problems])
    return load_id


def replace_active(conn: sqlite3.Connection, period: str, kind: str, load_id: int
                   ) -> str | None:
    """The load ``load_id`` replaces the one in use of its kind; returns that one's file."""
    previous = conn.execute("SELECT id, file FROM export_load WHERE period = ? AND kind = ? AND "
                            "state = 'aktiv' AND id != ?", (period, kind, load_id)).fetchone()
    if previous is None:
        return None
    conn.execute("UPDATE export_load SET state = 'ersatt', replaced_by = ? WHERE id = ?",
                 (load_id, previous["id"]))
    return str(previous["file"])


def insert_rows(conn: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Store a load's rows in ``table`` (one of :data:`ROW_TABLES`), each starting with the
    load's id."""
    assert table in ROW_TABLES
    if rows:
        marks = ",".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def active_loads(conn: sqlite3.Connection, period: str, decision_id: int | None = None
                 ) -> list[sqlite3.Row]:
    """The loads in use for the period by kind, or those the decision ``decision_id`` froze."""
    if decision_id is not None:
        return conn.execute(
            "SELECT l.* FROM export_load l JOIN decision_source d ON d.file = l.file AND "
            "d.sha256 = l.sha256 AND d.kind = 'export:' || l.kind WHERE d.decision_id = ? "
            "AND l.period = ? ORDER BY l.kind", (decision_id, period)).fetchall()
    return conn.execute("SELECT * FROM export_load WHERE period = ? AND state = 'aktiv' "
                        "ORDER BY kind", (period,)).fetchall()


def load_rows(conn: sqlite3.Connection, table: str, load_id: int) -> Iterator[sqlite3.Row]:
    """The rows of one load in ``table`` (one of :data:`ROW_TABLES`), in file order."""
    assert table in ROW_TABLES
    return conn.execute(f"SELECT * FROM {table} WHERE load_id = {int(load_id)} ORDER BY rowid")


def active_rows(conn: sqlite3.Connection, table: str, period: str
                ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names and rows of ``table`` for the period's loads in use, each row with
    its load's kind and columns first."""
    assert table in ROW_TABLES
    cur = conn.execute(
        f"SELECT l.kind, l.columns, t.* FROM {table} t JOIN export_load l ON l.id = t.load_id"
        " WHERE l.period = ? AND l.state = 'aktiv' ORDER BY t.rowid", (period,))
    return [d[0] for d in cur.description], [tuple(r) for r in cur]


def loads_of_kind(conn: sqlite3.Connection, period: str, kind: str) -> list[sqlite3.Row]:
    """Every load of the period's export of ``kind``, oldest first."""
    return conn.execute("SELECT * FROM export_load WHERE period = ? AND kind = ? "
                        "ORDER BY id", (period, kind)).fetchall()


def load_problems(conn: sqlite3.Connection, load_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM export_problem WHERE load_id = ? ORDER BY rowid",
                        (load_id,)).fetchall()
