"""The statuses of each consolidation (table ``run_status``, migration 0116): per unit its
inlämningsstatus (:mod:`reportkit.consolidate.status`) and per goal its final status, so the
coordinator's overview (``reportkit översikt``) can say what changed since the last run.

A run is kept only when its statuses differ from the period's last kept run, so running
consolidate again on the same inbox keeps the previous picture to compare with."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from reportkit.storage.store import transaction

UNIT = "enhet"
GOAL = "mål"


@dataclass(frozen=True)
class Run:
    number: int
    ran_at: str
    units: dict[str, str]
    goals: dict[str, str]


def _run(conn: sqlite3.Connection, period_id: str, number: int) -> Run:
    rows = conn.execute("SELECT ran_at, kind, item, status FROM run_status WHERE period = ? "
                        "AND run = ? ORDER BY kind, item", (period_id, number)).fetchall()
    units = {r["item"]: r["status"] for r in rows if r["kind"] == UNIT}
    goals = {r["item"]: r["status"] for r in rows if r["kind"] == GOAL}
    return Run(number, rows[0]["ran_at"] if rows else "", units, goals)


def last_runs(conn: sqlite3.Connection, period_id: str, n: int = 2) -> list[Run]:
    """The period's last ``n`` kept runs, the latest first."""
    numbers = [r[0] for r in conn.execute(
        "SELECT DISTINCT run FROM run_status WHERE period = ? ORDER BY run DESC LIMIT ?",
        (period_id, n))]
    return [_run(conn, period_id, k) for k in numbers]


def record_run(conn: sqlite3.Connection, period_id: str, units: Mapping[str, str],
               goals: Mapping[str, str], ran_at: str | None = None) -> bool:
    """Keep this run's statuses when they differ from the last kept run's; True if kept."""
    last = last_runs(conn, period_id, 1)
    if last and last[0].units == dict(units) and last[0].goals == dict(goals):
        return False
    number = last[0].number + 1 if last else 1
    when = ran_at or dt.datetime.now().replace(microsecond=0).isoformat()
    rows = [(period_id, number, when, UNIT, k, v) for k, v in units.items()]
    rows += [(period_id, number, when, GOAL, k, v) for k, v in goals.items()]
    with transaction(conn):
        conn.executemany("INSERT INTO run_status(period, run, ran_at, kind, item, status) "
                         "VALUES (?, ?, ?, ?, ?, ?)", rows)
    return True
