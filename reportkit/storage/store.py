"""The history store: one SQLite file in the project, schema versioned by named migrations.

Every stored value carries its provenance: the submission (file name, SHA-256, load time)
and the sheet and cell it came from (or, for history and exports, the file's row and column).
A consolidation writes in one transaction, so a crash or a kill leaves the previous complete
state; a unit's corrected workbook replaces its earlier submission, which stays as history
(``state = 'ersatt'``, ``replaced_by`` pointing at the new one).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportkit.storage import queries

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_submissions", """
        CREATE TABLE submission (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            unit_id TEXT,
            level TEXT,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            loaded_at TEXT NOT NULL,
            state TEXT NOT NULL,            -- aktiv | ersatt | fel
            replaced_by INTEGER REFERENCES submission(id),
            errors INTEGER NOT NULL DEFAULT 0,
            warnings INTEGER NOT NULL DEFAULT 0,
            UNIQUE (period, sha256)
        );
        CREATE INDEX submission_unit ON submission(period, unit_id, state);
        CREATE TABLE problem (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            code TEXT NOT NULL, severity TEXT NOT NULL,
            sheet TEXT, cell TEXT, message TEXT NOT NULL, hint TEXT NOT NULL
        );
        CREATE TABLE indicator_value (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            indicator_id TEXT NOT NULL, goal_id TEXT NOT NULL,
            actual REAL, forecast REAL, comment TEXT,
            status TEXT, degree REAL, rule TEXT,
            sheet TEXT NOT NULL, cell_actual TEXT, cell_forecast TEXT
        );
        CREATE INDEX indicator_value_sub ON indicator_value(submission_id);
        CREATE TABLE goal_entry (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            goal_id TEXT NOT NULL, own INTEGER NOT NULL,
            proposal TEXT, proposal_degree REAL, proposal_rule TEXT,
            assessment TEXT, chosen INTEGER NOT NULL,
            motivation TEXT, analysis TEXT, actions TEXT, plan_comment TEXT,
            sheet TEXT NOT NULL, cells TEXT NOT NULL
        );
        CREATE TABLE activity (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            row INTEGER NOT NULL, goal_id TEXT, description TEXT, responsible TEXT,
            start TEXT, end TEXT, status TEXT, comment TEXT, sheet TEXT NOT NULL
        );
        CREATE TABLE text_entry (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            key TEXT NOT NULL, text TEXT NOT NULL, sheet TEXT NOT NULL, cell TEXT NOT NULL
        );
    """),
    ("0002_history", """
        CREATE TABLE source_file (
            file TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL,
            loaded_at TEXT NOT NULL, PRIMARY KEY (kind, file)
        );
        CREATE TABLE history (
            year INTEGER NOT NULL, period TEXT NOT NULL, unit_id TEXT NOT NULL,
            indicator_id TEXT NOT NULL, value REAL,
            file TEXT NOT NULL, sha256 TEXT NOT NULL, row INTEGER NOT NULL, col TEXT NOT NULL,
            PRIMARY KEY (year, period, unit_id, indicator_id)
        );
    """),
    # decided versions (reportkit/storage/decisions.py)
    ("0004_decisions", """
    CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        period TEXT NOT NULL,
        scope TEXT NOT NULL,                -- 'kommun' or a nämnd's / bolag's unit id
        body TEXT NOT NULL, date TEXT NOT NULL, paragraph TEXT NOT NULL,
        recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
        undone_at TEXT, undone_by TEXT, undo_reason TEXT
    );
    CREATE TABLE decision_submission (
        decision_id INTEGER NOT NULL REFERENCES decision(id),
        unit_id TEXT NOT NULL,
        submission_id INTEGER NOT NULL REFERENCES submission(id),
        PRIMARY KEY (decision_id, unit_id)
    );
    CREATE TABLE decision_source (
        decision_id INTEGER NOT NULL REFERENCES decision(id),
        kind TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL
    );
    CREATE TABLE decision_file (
        decision_id INTEGER NOT NULL REFERENCES decision(id),
        name TEXT NOT NULL, sha256 TEXT NOT NULL, content BLOB NOT NULL,
        PRIMARY KEY (decision_id, name)
    );
"""),
    # the kommun's exports (reportkit/consolidate/exports.py): one export_load per file read
    # for a period and kind; a value's column is export_load.columns[field] or its own col
    ("0005_exports", """
        CREATE TABLE export_load (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            kind TEXT NOT NULL,             -- drift | investeringar | personal | nyckeltal ...
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            loaded_at TEXT NOT NULL,
            state TEXT NOT NULL,            -- aktiv | ersatt | fel
            replaced_by INTEGER REFERENCES export_load(id),
            errors INTEGER NOT NULL DEFAULT 0,
            warnings INTEGER NOT NULL DEFAULT 0,
            rows INTEGER NOT NULL DEFAULT 0,
            columns TEXT NOT NULL DEFAULT '{}',
            UNIQUE (period, kind, sha256)
        );
        CREATE INDEX export_load_kind ON export_load(period, kind, state);
        CREATE TABLE export_problem (
            load_id INTEGER NOT NULL REFERENCES export_load(id),
            code TEXT NOT NULL, severity TEXT NOT NULL, row INTEGER, col TEXT,
            message TEXT NOT NULL, hint TEXT NOT NULL
        );
        CREATE TABLE export_drift (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            level TEXT NOT NULL, ansvar TEXT NOT NULL, unit_id TEXT NOT NULL,
            committee_id TEXT NOT NULL, name TEXT NOT NULL,
            kf_budget REAL, internal_budget REAL, budget_changes REAL, actual REAL,
            forecast REAL
        );
        CREATE TABLE export_investment (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            project_id TEXT NOT NULL, name TEXT NOT NULL, unit_id TEXT NOT NULL,
            committee_id TEXT NOT NULL, budget REAL, actual REAL, forecast REAL,
            decided_total REAL, estimated_total REAL, multi_year INTEGER NOT NULL
        );
        CREATE TABLE export_hr (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            unit_id TEXT NOT NULL, committee_id TEXT NOT NULL, grp TEXT NOT NULL,
            headcount REAL, ordinary_hours REAL, sick_hours REAL, long_sick_hours REAL
        );
        CREATE TABLE export_key_figure (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            col TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,
            year INTEGER NOT NULL, kind TEXT NOT NULL, value REAL
        );
        CREATE TABLE export_frame (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            col TEXT NOT NULL, unit_id TEXT NOT NULL, year INTEGER NOT NULL, value REAL
        );
        CREATE TABLE export_plan (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            col TEXT NOT NULL, project_id TEXT NOT NULL, name TEXT NOT NULL,
            unit_id TEXT NOT NULL, year INTEGER NOT NULL, value REAL
        );
        CREATE TABLE export_company (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            col TEXT NOT NULL, company TEXT NOT NULL, year INTEGER NOT NULL, key TEXT NOT NULL,
            value REAL
        );
    """),
    ("0100_run_cache", """
        CREATE TABLE run_cache (
            key TEXT PRIMARY KEY,           -- historik | outputs:<period>
            fingerprint TEXT NOT NULL,      -- SHA-256 of everything the entry depends on
            data TEXT NOT NULL              -- JSON
        );
    """),
    # the submission's rows are read by a join on submission_id: without an index SQLite
    # scanned the whole table for every submission (1.4 s for Storstad's ekonomi texts)
    ("0101_submission_indexes", """
        CREATE INDEX IF NOT EXISTS goal_entry_sub ON goal_entry(submission_id);
        CREATE INDEX IF NOT EXISTS activity_sub ON activity(submission_id);
        CREATE INDEX IF NOT EXISTS text_entry_sub ON text_entry(submission_id);
        CREATE INDEX IF NOT EXISTS problem_sub ON problem(submission_id);
    """),
    # what an inbox file looked like when it was hashed (consolidate/run.py _inbox_hashes):
    # the same size, times and inode keep the hash instead of reading the file again
    ("0102_file_stat", """
        CREATE TABLE file_stat (
            file TEXT PRIMARY KEY,          -- relative to the project: inkommet/<period>/...
            size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
            ino INTEGER NOT NULL, sha256 TEXT NOT NULL,
            checked_ns INTEGER NOT NULL     -- when it was hashed
        );
    """),
    # the unit a refused file's workbook says it is from (``fel`` rows have no unit_id): the
    # unit's next accepted file replaces it, so a corrected file ends the refused one's fel
    # (issue 21). Not set when the claim itself is false (wb-unit-mismatch, wb-unknown-unit).
    ("0103_submission_claimed_unit", """
        ALTER TABLE submission ADD COLUMN claimed_unit TEXT
    """),
    # the styrmodell each run of `reportkit workbooks` was made from, as bytes (one copy per
    # SHA-256), so `reportkit diff --utskick` shows what changed after the workbooks went out
    # (issue 26; reportkit/storage/sent.py)
    ("0110_styrmodell_sent", """
        CREATE TABLE styrmodell_file (
            sha256 TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            content BLOB NOT NULL
        );
        CREATE TABLE styrmodell_sent (
            period TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES styrmodell_file(sha256),
            made_at TEXT NOT NULL,          -- when the workbooks were made (ISO, seconds)
            units INTEGER NOT NULL,         -- how many workbooks that run wrote
            PRIMARY KEY (period, sha256, made_at)
        );
    """),
    # how the share-or-percent rule read an utfall (workbook/parse.py), for explain; '' where
    # it did not decide
    ("0111_indicator_value_reading", """
        ALTER TABLE indicator_value ADD COLUMN reading TEXT NOT NULL DEFAULT ''
    """),
    # each document render wrote (reportkit/storage/written.py): its SHA-256 after reportkit's
    # last rewrite of it (the PDF's page numbers in the table of contents), so the next render
    # sees a .docx the kansli edited and keeps it (issue 28)
    ("0112_document_written", """
        CREATE TABLE document_written (
            file TEXT PRIMARY KEY,          -- relative to the project: rapporter/<period>/...
            sha256 TEXT NOT NULL,
            written_at TEXT NOT NULL        -- when reportkit wrote it (ISO, seconds)
        );
    """),
    # an indicator split by kön (`kön: ja`) typed in a styrkort: kvinnor's (K) and män's (M)
    # utfall are rows of their own beside the total's (T, every row stored before), with the
    # cell each came from in cell_actual (issue 25)
    ("0113_indicator_value_gender", """
        ALTER TABLE indicator_value ADD COLUMN gender TEXT NOT NULL DEFAULT 'T'
    """),
    # Kolada (reportkit/storage/kolada.py, issue 31): each `reportkit kolada hämta` is a
    # kolada_fetch; each HTTP answer a kolada_response (its bytes kept under kolada/svar/);
    # every value of every fetch is kept, the newest per key being the current one
    ("0114_kolada", """
        CREATE TABLE kolada_fetch (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,       -- ISO, UTC
            base_url TEXT NOT NULL,
            municipality TEXT NOT NULL,     -- the kommun's kommunkod
            group_kind TEXT NOT NULL,       -- liknande | kommuner | län
            group_title TEXT NOT NULL,
            members TEXT NOT NULL           -- JSON [[kod, namn], ...] of the comparison group
        );
        CREATE TABLE kolada_response (
            id INTEGER PRIMARY KEY,
            fetch_id INTEGER NOT NULL REFERENCES kolada_fetch(id),
            url TEXT NOT NULL,
            fetched_at TEXT NOT NULL,       -- the answer's Date (ISO, UTC)
            sha256 TEXT NOT NULL,
            file TEXT NOT NULL,             -- relative to the project: kolada/svar/<sha256>.json
            http_status INTEGER NOT NULL
        );
        CREATE TABLE kolada_value (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES kolada_response(id),
            kpi TEXT NOT NULL,
            municipality TEXT NOT NULL,
            year INTEGER NOT NULL,
            gender TEXT NOT NULL,           -- T, K or M
            value REAL,
            status TEXT NOT NULL DEFAULT '',
            fetched_at TEXT NOT NULL
        );
        CREATE INDEX kolada_value_key ON kolada_value(kpi, municipality, year, gender);
        CREATE TABLE kolada_kpi (
            id INTEGER PRIMARY KEY,
            kpi TEXT NOT NULL,
            title TEXT NOT NULL,
            removed INTEGER NOT NULL DEFAULT 0,
            response_id INTEGER REFERENCES kolada_response(id),
            fetched_at TEXT NOT NULL
        );
    """),
    # intern kontroll and uppdrag (issue 32): each submission's follow-up of its nämnd's
    # kontrollmoment and of the uppdrag it is ansvarig for, with the cells they came from;
    # a decided version is its submissions, so it keeps these as they were decided
    ("0115_control_assignment", """
        CREATE TABLE control_result (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            control_id TEXT NOT NULL,
            result TEXT,                    -- utan_anmarkning | med_avvikelse | ej_genomford
            date TEXT, deviation TEXT, action TEXT, action_responsible TEXT, action_date TEXT,
            sheet TEXT NOT NULL, cells TEXT NOT NULL
        );
        CREATE INDEX control_result_sub ON control_result(submission_id);
        CREATE TABLE assignment_status (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            assignment_id TEXT NOT NULL,
            status TEXT,                    -- ej_paborjat | pagar | genomfort | avbrutet
            date TEXT, comment TEXT,
            sheet TEXT NOT NULL, cells TEXT NOT NULL
        );
        CREATE INDEX assignment_status_sub ON assignment_status(submission_id);
    """),
    # the statuses each consolidation computed (reportkit/storage/runs.py): per unit its
    # inlämningsstatus, per goal its final status; a run is kept when they differ from the
    # period's last kept run, so `reportkit översikt` can say what changed since then (issue 33)
    ("0116_run_status", """
        CREATE TABLE run_status (
            period TEXT NOT NULL,
            run INTEGER NOT NULL,           -- 1, 2, … per period
            ran_at TEXT NOT NULL,           -- when the consolidation ran (ISO, seconds)
            kind TEXT NOT NULL,             -- 'enhet' (a unit's inlämning) or 'mål' (a goal)
            item TEXT NOT NULL,             -- the unit's or the goal's id
            status TEXT NOT NULL,           -- the unit's state or the goal's status ('' none)
            PRIMARY KEY (period, run, kind, item)
        );
    """),
    # the kommun's and its koncernföretag's own accounts (koncern.csv, issue 30)
    ("0117_export_koncern", """
        CREATE TABLE export_koncern (
            load_id INTEGER NOT NULL REFERENCES export_load(id), row INTEGER NOT NULL,
            col TEXT NOT NULL, company TEXT NOT NULL, statement TEXT NOT NULL,
            post TEXT NOT NULL, counterpart TEXT NOT NULL, value REAL
        );
    """),
]


def cache_get(conn: sqlite3.Connection, key: str, fingerprint: str) -> Any:
    """The JSON stored under ``key`` when it was stored with ``fingerprint``, else None."""
    row = conn.execute("SELECT fingerprint, data FROM run_cache WHERE key = ?",
                       (key,)).fetchone()
    if row is None or row[0] != fingerprint:
        return None
    return json.loads(row[1])


def cache_put(conn: sqlite3.Connection, key: str, fingerprint: str, data: Any) -> None:
    """Store ``data`` (JSON-able) under ``key`` (call inside a transaction)."""
    conn.execute("INSERT OR REPLACE INTO run_cache(key, fingerprint, data) VALUES (?, ?, ?)",
                 (key, fingerprint, json.dumps(data, sort_keys=True, ensure_ascii=False)))


def cache_put_if_free(conn: sqlite3.Connection, key: str, fingerprint: str, data: bytes
                      ) -> bool:
    """Store ``data`` under ``key`` in its own transaction when the store can be written now;
    False (nothing stored) when a consolidation holds it for longer than a moment or the
    store is read-only: a cache entry is not worth waiting for."""
    waits = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 200")
    try:
        with transaction(conn):
            queries.cache_put_raw(conn, key, fingerprint, data)
    except sqlite3.OperationalError:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(waits)}")
    return True


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the store. ``":memory:"`` works for tests."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    memory = str(path) == ":memory:"
    conn.execute("PRAGMA journal_mode=MEMORY" if memory else "PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded in ``migrations``; return their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, "
                 "applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    done = {r[0] for r in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with transaction(conn):
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO migrations(name) VALUES (?)", (name,))
        applied.append(name)
    return applied


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def known_hashes(conn: sqlite3.Connection, period: str) -> set[str]:
    return {r[0] for r in conn.execute("SELECT sha256 FROM submission WHERE period = ?",
                                       (period,))}


def active_submissions(conn: sqlite3.Connection, period: str) -> dict[str, sqlite3.Row]:
    rows = conn.execute("SELECT * FROM submission WHERE period = ? AND state = 'aktiv' "
                        "ORDER BY unit_id", (period,))
    return {r["unit_id"]: r for r in rows}


def changed_sources(conn: sqlite3.Connection, period: str, folder: str) -> dict[str, str]:
    """``{unit id: file}`` for the active submissions whose file in ``folder`` (the inbox, as
    a path in the project: ``inkommet/<period>``) held other bytes when consolidate last
    hashed it (``file_stat``): the file was saved over with another unit's styrkort or a
    version that was not loaded, and the submission still in use came from its earlier
    content. A file no longer in the inbox is not "changed"."""
    rows = conn.execute(
        "SELECT s.unit_id, s.file FROM submission s JOIN file_stat f "
        "ON f.file = ? || s.file WHERE s.period = ? AND s.state = 'aktiv' "
        "AND f.sha256 != s.sha256 ORDER BY s.unit_id", (folder.rstrip("/") + "/", period))
    return {r[0]: r[1] for r in rows}


def insert_report(conn: sqlite3.Connection, period: str, report: Any, loaded_at: str,
                  unit_ok: bool, claimed_unit: str | None = None) -> int:
    """Store one checked file: its problems always, its values when it was accepted.

    An accepted file replaces (``ersatt``, ``replaced_by``) the unit's active submission and
    its refused files stored with ``claimed_unit`` (a refused file's own claim, when the claim
    was not found false)."""
    sub = report.submission if unit_ok else None
    errors = sum(1 for p in report.problems if p.is_error)
    warnings = len(report.problems) - errors
    state = "aktiv" if sub is not None else "fel"
    cur = conn.execute(
        "INSERT INTO submission(period, unit_id, level, file, sha256, loaded_at, state, errors,"
        " warnings, claimed_unit) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (period, report.submission.unit_id if report.submission else None,
         report.submission.level if report.submission else None, report.file, report.sha256,
         loaded_at, state, errors, warnings, None if sub is not None else claimed_unit))
    assert cur.lastrowid is not None  # an INSERT into a rowid table always has one
    sid = cur.lastrowid
    conn.executemany(
        "INSERT INTO problem VALUES (?,?,?,?,?,?,?)",
        [(sid, p.code, p.severity, p.location.sheet, p.location.cell, p.message, p.hint)
         for p in report.problems])
    if sub is None:
        return sid
    conn.execute("UPDATE submission SET state = 'ersatt', replaced_by = ? WHERE period = ? "
                 "AND id != ? AND ((unit_id = ? AND state = 'aktiv') OR (unit_id IS NULL "
                 "AND claimed_unit = ? AND state = 'fel'))",
                 (sid, period, sid, sub.unit_id, sub.unit_id))
    conn.executemany(
        "INSERT INTO indicator_value(submission_id, indicator_id, goal_id, actual, forecast, "
        "comment, status, degree, rule, sheet, cell_actual, cell_forecast, reading, gender) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(sid, i.indicator_id, i.goal_id, _num(i.actual), i.forecast, i.comment, i.status,
          i.degree, i.rule, "Indikatorer", i.cells.get("actual"), i.cells.get("forecast"),
          i.reading, "T") for i in sub.indicators]
        + [(sid, i.indicator_id, i.goal_id, _num(value), None, "", None, None, "",
            "Indikatorer", i.cells.get(_GENDER_CELLS[letter]), None, "", letter)
           for i in sub.indicators for letter, value in sorted(i.by_gender.items())])
    conn.executemany(
        "INSERT INTO goal_entry VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(sid, g.goal_id, int(g.own), g.proposal, g.proposal_degree, g.proposal_rule,
          g.assessment, int(g.assessment_chosen), g.motivation, g.analysis, g.actions,
          g.plan_comment, "Mål", json.dumps(g.cells, sort_keys=True)) for g in sub.goals])
    conn.executemany(
        "INSERT INTO activity VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(sid, a.row, a.goal_id, a.description, a.responsible,
          a.start.isoformat() if a.start else None, a.end.isoformat() if a.end else None,
          a.status, a.comment, "Aktiviteter") for a in sub.activities])
    conn.executemany(
        "INSERT INTO text_entry VALUES (?,?,?,?,?)",
        [(sid, key, text, "Texter", cell) for key, (text, cell) in sorted(sub.texts.items())])
    _insert_controls(conn, sid, sub)
    return sid


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _insert_controls(conn: sqlite3.Connection, sid: int, sub: Any) -> None:
    """The submission's intern kontroll and uppdrag rows (none in older workbooks)."""
    conn.executemany(
        "INSERT INTO control_result VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(sid, c.control_id, c.result, _iso(c.date), c.deviation, c.action,
          c.action_responsible, _iso(c.action_date), "Intern kontroll",
          json.dumps(c.cells, sort_keys=True)) for c in getattr(sub, "controls", ())])
    conn.executemany(
        "INSERT INTO assignment_status VALUES (?,?,?,?,?,?,?)",
        [(sid, a.assignment_id, a.status, _iso(a.date), a.comment, "Uppdrag",
          json.dumps(a.cells, sort_keys=True)) for a in getattr(sub, "assignments", ())])


_GENDER_CELLS = MappingProxyType({"K": "actual_k", "M": "actual_m"})
"""A kön's key in an indicator entry's ``cells`` (workbook/layout.py GENDER_KEYS)."""


def _num(value: Any) -> float | None:
    if value is None:
        return None
    return float(value)


def load_history_rows(conn: sqlite3.Connection, file: str, sha256: str, loaded_at: str,
                      rows: list[tuple[int, str, str, str, float | None, int, str]]) -> None:
    """Replace the history from ``file`` (rows: year, period, unit, indicator, value, row, col)."""
    conn.execute("DELETE FROM history WHERE file = ?", (file,))
    # 100 rows a statement with file and sha256 bound once: half the time of a row a statement
    # (7 * 100 + 2 parameters, under SQLite's smallest limit of 999)
    def insert(n: int) -> str:
        return "INSERT OR REPLACE INTO history VALUES " + ",".join(
            f"(?{k},?{k + 1},?{k + 2},?{k + 3},?{k + 4},?1,?2,?{k + 5},?{k + 6})"
            for k in range(3, 3 + 7 * n, 7))

    from itertools import chain

    chunk = insert(100)
    for start in range(0, len(rows), 100):
        part = rows[start:start + 100]
        conn.execute(chunk if len(part) == 100 else insert(len(part)),
                     (file, sha256, *chain.from_iterable(part)))
    conn.execute("INSERT OR REPLACE INTO source_file VALUES (?,?,?,?)",
                 (file, sha256, "historik", loaded_at))


def source_hash(conn: sqlite3.Connection, kind: str, file: str) -> str | None:
    row = conn.execute("SELECT sha256 FROM source_file WHERE kind = ? AND file = ?",
                       (kind, file)).fetchone()
    return row[0] if row else None


def consolidated_periods(conn: sqlite3.Connection) -> set[str]:
    """The periods something has been consolidated for: a submission (accepted or not) or an
    export load. A period without any has nothing to show (``period-empty``)."""
    try:
        rows = conn.execute("SELECT period FROM submission UNION SELECT period FROM export_load")
        return {r[0] for r in rows}
    except sqlite3.OperationalError:  # a store from before the exports: submissions only
        return {r[0] for r in conn.execute("SELECT DISTINCT period FROM submission")}
