"""The styrmodell the workbooks were made from: its bytes kept in the store by SHA-256 at each
run of ``reportkit workbooks``, so ``reportkit diff --utskick`` can compare the file now with
the one the units' workbooks show."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import NamedTuple

from reportkit.storage.store import transaction


class SentStyrmodell(NamedTuple):
    period: str
    sha256: str
    year: int
    content: bytes
    made_at: str
    units: int


def keep_sent_styrmodell(conn: sqlite3.Connection, period: str, year: int, content: bytes,
                         made_at: str, units: int) -> str:
    """Record that ``units`` workbooks for ``period`` were made from ``content`` (the
    styrmodell file's bytes) at ``made_at``; the bytes are stored once per SHA-256. Returns
    the SHA-256. Runs its own transaction."""
    sha = hashlib.sha256(content).hexdigest()
    with transaction(conn):
        conn.execute("INSERT OR IGNORE INTO styrmodell_file(sha256, year, content) "
                     "VALUES (?, ?, ?)", (sha, year, content))
        conn.execute("INSERT OR REPLACE INTO styrmodell_sent(period, sha256, made_at, units) "
                     "VALUES (?, ?, ?, ?)", (period, sha, made_at, units))
    return sha


def sent_styrmodell(conn: sqlite3.Connection, period: str) -> SentStyrmodell | None:
    """The styrmodell the latest workbooks for ``period`` were made from, None if none was
    kept (workbooks made before reportkit kept it, or never made)."""
    row = conn.execute(
        "SELECT s.period, s.sha256, f.year, f.content, s.made_at, s.units "
        "FROM styrmodell_sent s JOIN styrmodell_file f ON f.sha256 = s.sha256 "
        "WHERE s.period = ? ORDER BY s.made_at DESC, s.rowid DESC LIMIT 1", (period,)).fetchone()
    if row is None:
        return None
    return SentStyrmodell(row[0], row[1], int(row[2]), bytes(row[3]), row[4], int(row[5]))
