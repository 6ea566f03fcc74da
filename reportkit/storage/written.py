"""The documents render wrote: path, SHA-256 and time written, so the next render notices a
.docx the kansli edited since (``reportkit/documents/kept.py``)."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from reportkit.storage.store import transaction


class Written(NamedTuple):
    file: str
    sha256: str
    written_at: str


def record_written(conn: sqlite3.Connection, entries: list[Written]) -> None:
    """Record (or replace) what reportkit last wrote to each file. Runs its own transaction."""
    with transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO document_written(file, sha256, written_at) "
                         "VALUES (?, ?, ?)", [tuple(e) for e in entries])


def written_under(conn: sqlite3.Connection, folder: str) -> list[Written]:
    """What reportkit wrote under ``folder`` (relative to the project, ``/``-separated), by
    file name."""
    rows = conn.execute("SELECT file, sha256, written_at FROM document_written "
                        "WHERE substr(file, 1, ?) = ? ORDER BY file",
                        (len(folder) + 1, folder + "/")).fetchall()
    return [Written(r[0], r[1], r[2]) for r in rows]
