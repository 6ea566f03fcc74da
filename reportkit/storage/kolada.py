"""Kolada values in the store, with the request each came from (issue 31).

Every fetch (``reportkit kolada hämta``) is a ``kolada_fetch`` with the comparison group it
used; every HTTP answer a ``kolada_response`` (URL, the answer's time, the bytes' SHA-256 and
the file under ``kolada/svar/``); every value of every fetch a ``kolada_value``. Nothing is
overwritten: the current value of a key (KPI, kommun, year, kön) is the newest fetched, and a
decided version reads the values kept when its decision was recorded (``frozen_at``), so a
later fetch never changes what was decided. A revision is a key whose value (or status)
differs from the one fetched before it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportkit.storage.store import transaction

if TYPE_CHECKING:
    from reportkit.storage.decisions import Decision


@dataclass(frozen=True)
class StoredValue:
    kpi: str
    municipality: str
    year: int
    gender: str
    value: float | None
    status: str
    fetched_at: str
    url: str
    file: str
    sha256: str


@dataclass(frozen=True)
class Revision:
    """A value RKA changed between two fetches: ``before`` → ``after`` with their times."""

    kpi: str
    municipality: str
    year: int
    gender: str
    before: float | None
    after: float | None
    before_status: str
    after_status: str
    before_fetched: str
    after_fetched: str


@dataclass(frozen=True)
class Fetch:
    id: int
    started_at: str
    base_url: str
    municipality: str
    group_kind: str
    group_title: str
    members: tuple[tuple[str, str], ...]


def new_fetch(conn: sqlite3.Connection, started_at: str, base_url: str, municipality: str,
              group_kind: str, group_title: str, members: Iterable[tuple[str, str]]) -> int:
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO kolada_fetch(started_at, base_url, municipality, group_kind, "
            "group_title, members) VALUES (?, ?, ?, ?, ?, ?)",
            (started_at, base_url, municipality, group_kind, group_title,
             json.dumps([list(m) for m in members], ensure_ascii=False)))
    return int(cur.lastrowid or 0)


def set_group(conn: sqlite3.Connection, fetch_id: int, group_title: str,
              members: Iterable[tuple[str, str]]) -> None:
    with transaction(conn):
        conn.execute("UPDATE kolada_fetch SET group_title = ?, members = ? WHERE id = ?",
                     (group_title, json.dumps([list(m) for m in members], ensure_ascii=False),
                      fetch_id))


def add_response(conn: sqlite3.Connection, fetch_id: int, url: str, fetched_at: str,
                 sha256: str, file: str, http_status: int) -> int:
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO kolada_response(fetch_id, url, fetched_at, sha256, file, http_status) "
            "VALUES (?, ?, ?, ?, ?, ?)", (fetch_id, url, fetched_at, sha256, file, http_status))
    return int(cur.lastrowid or 0)


def add_values(conn: sqlite3.Connection, response_id: int, fetched_at: str,
               values: Iterable[tuple[str, str, int, str, float | None, str]]
               ) -> list[Revision]:
    """Keep ``values`` ((kpi, kommun, year, kön, value, status) …) of one answer; return
    those that differ from the value of the same key fetched before."""
    out = []
    with transaction(conn):
        for kpi, muni, year, gender, value, status in values:
            before = conn.execute(
                "SELECT value, status, fetched_at FROM kolada_value WHERE kpi = ? AND "
                "municipality = ? AND year = ? AND gender = ? ORDER BY fetched_at DESC, id DESC "
                "LIMIT 1", (kpi, muni, year, gender)).fetchone()
            if before is not None and (before["value"] != value or before["status"] != status):
                out.append(Revision(kpi, muni, year, gender, before["value"], value,
                                    before["status"], status, before["fetched_at"], fetched_at))
            conn.execute(
                "INSERT INTO kolada_value(response_id, kpi, municipality, year, gender, value, "
                "status, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (response_id, kpi, muni, year, gender, value, status, fetched_at))
    return out


def add_kpi(conn: sqlite3.Connection, kpi: str, title: str, removed: bool,
            response_id: int | None, fetched_at: str) -> None:
    with transaction(conn):
        conn.execute("INSERT INTO kolada_kpi(kpi, title, removed, response_id, fetched_at) "
                     "VALUES (?, ?, ?, ?, ?)", (kpi, title, int(removed), response_id, fetched_at))


def has_response(conn: sqlite3.Connection, url: str, sha256: str) -> bool:
    """Whether an answer from ``url`` with these bytes is kept already."""
    return conn.execute("SELECT 1 FROM kolada_response WHERE url = ? AND sha256 = ?",
                        (url, sha256)).fetchone() is not None


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'kolada_value'"
                        ).fetchone() is not None


def frozen_at(conn: sqlite3.Connection, decision: Decision | None) -> int | None:
    """The last ``kolada_value`` id a decided version uses (None: the draft, every value).
    A decision recorded before Kolada values were kept in the store uses none of them."""
    if decision is None:
        return None
    from reportkit.storage.decisions import decided_source_hash

    found = decided_source_hash(conn, decision, "kolada")
    return int(found) if found and found.isdigit() else 0


def current_values(conn: sqlite3.Connection, upto: int | None = None
                   ) -> list[StoredValue]:
    """The newest value of every key among those kept up to id ``upto`` (None: all)."""
    if not _has_tables(conn):
        return []
    rows = conn.execute(
        "SELECT v.*, r.url, r.file, r.sha256 FROM kolada_value v "
        "JOIN kolada_response r ON r.id = v.response_id "
        "WHERE (? IS NULL OR v.id <= ?) "
        "ORDER BY v.kpi, v.municipality, v.year, v.gender, v.fetched_at, v.id",
        (upto, upto)).fetchall()
    newest: dict[tuple[str, str, int, str], StoredValue] = {}
    for r in rows:
        newest[(r["kpi"], r["municipality"], r["year"], r["gender"])] = StoredValue(
            r["kpi"], r["municipality"], r["year"], r["gender"], r["value"], r["status"],
            r["fetched_at"], r["url"], r["file"], r["sha256"])
    return list(newest.values())


def revisions(conn: sqlite3.Connection) -> list[Revision]:
    """Every change between two fetches of a key, oldest first."""
    if not _has_tables(conn):
        return []
    out = []
    last: dict[tuple[str, str, int, str], sqlite3.Row] = {}
    for r in conn.execute("SELECT * FROM kolada_value ORDER BY kpi, municipality, year, "
                          "gender, fetched_at, id"):
        key = (r["kpi"], r["municipality"], r["year"], r["gender"])
        before = last.get(key)
        if before is not None and (before["value"] != r["value"]
                                   or before["status"] != r["status"]):
            out.append(Revision(*key, before["value"], r["value"], before["status"],
                                r["status"], before["fetched_at"], r["fetched_at"]))
        last[key] = r
    return sorted(out, key=lambda v: (v.after_fetched, v.kpi, v.municipality, v.year))


def latest_fetch(conn: sqlite3.Connection, upto: int | None = None) -> Fetch | None:
    """The newest fetch that kept values up to id ``upto`` (None: the newest of all)."""
    if not _has_tables(conn):
        return None
    r = conn.execute(
        "SELECT * FROM kolada_fetch f WHERE ? IS NULL OR EXISTS (SELECT 1 FROM kolada_value v "
        "JOIN kolada_response r ON r.id = v.response_id WHERE r.fetch_id = f.id AND v.id <= ?) "
        "ORDER BY id DESC LIMIT 1", (upto, upto)).fetchone()
    if r is None:
        return None
    return Fetch(r["id"], r["started_at"], r["base_url"], r["municipality"], r["group_kind"],
                 r["group_title"], tuple((m[0], m[1]) for m in json.loads(r["members"])))


def kpi_titles(conn: sqlite3.Connection) -> dict[str, tuple[str, bool]]:
    """KPI id → (Kolada's title, removed) as last fetched."""
    if not _has_tables(conn):
        return {}
    out: dict[str, tuple[str, bool]] = {}
    for r in conn.execute("SELECT kpi, title, removed FROM kolada_kpi ORDER BY id"):
        out[r["kpi"]] = (r["title"], bool(r["removed"]))
    return out


def state(conn: sqlite3.Connection) -> int:
    """A number that changes with every value kept (for the roll-up's fingerprint)."""
    if not _has_tables(conn):
        return 0
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM kolada_value").fetchone()[0])
