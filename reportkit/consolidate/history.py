"""Earlier years' outcomes: ``historik/utfall.csv`` in the project, loaded into the store.

The shape (semicolon-separated, UTF-8 with or without BOM, decimal comma)::

    år;period;enhet;indikator;utfall
    2025;helår;solrosens-forskola;FORSKOLA-V1-I1;86,5

``enhet`` and ``indikator`` are the styrmodell's stable ids, so trends join across years.
Each value keeps its provenance: file, SHA-256, row and column. The file is re-read only
when its hash changes.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from reportkit.consolidate import store
from reportkit.files import sha256_file
from reportkit.project import Project
from reportkit.workbook.parse import parse_number


HistoryRow = tuple[int, str, str, str, float | None, int, str]
"""year, period, unit id, indicator id, value, file row, column."""


def read_history(path: Path) -> list[HistoryRow]:
    """The rows of a history file that can be read; an unreadable row is left out."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, [])
    cols = {h.strip().lower(): i for i, h in enumerate(header)}
    rows: list[HistoryRow] = []
    for n, line in enumerate(reader, start=2):
        if not line or not any(c.strip() for c in line):
            continue
        try:
            year = int(line[cols["år"]])
            value, _, issue = parse_number(line[cols["utfall"]])
        except (KeyError, ValueError, IndexError):
            continue
        if issue:
            continue
        rows.append((year, line[cols["period"]].strip(), line[cols["enhet"]].strip(),
                     line[cols["indikator"]].strip(), value, n, "utfall"))
    return rows


def load_history(conn: sqlite3.Connection, project: Project, loaded_at: str) -> int:
    """Load the history file if it changed; returns the number of rows loaded (0 = unchanged)."""
    path = project.history_file()
    if not path.exists():
        return 0
    digest = sha256_file(path)
    name = "historik/utfall.csv"
    if store.source_hash(conn, "historik", name) == digest:
        return 0
    rows = read_history(path)
    store.load_history_rows(conn, name, digest, loaded_at, rows)
    return len(rows)
