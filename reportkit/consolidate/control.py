"""Intern kontroll and uppdrag consolidated: the plan (styrmodell) joined with what each nämnd
reported in its workbook (the store), per nämnd and for the kommun.

:func:`follow_up` reads the rows of the submissions in use (the draft's active ones or a decided
version's, as the roll-up does), so a decided version keeps the statuses it was decided with
however often a unit sends a new workbook. Every reported value keeps its file, sheet and cell
(``explain``). :func:`planned` is the plan alone (the verksamhetsplan's, before any follow-up).
Counts are plain functions of the items: per result, per riskvärde cell, open åtgärder, uppdrag
per status and origin, overdue ones.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reportkit.storage import queries
from reportkit.styrmodell.control import (
    CLOSED,
    OVERDUE,
    RESULTS,
    STATUSES,
    Assignment,
    RiskLevel,
    assignments_of,
    is_overdue,
    plan_of,
    planned_points,
)
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project

NOT_REPORTED = "ej_rapporterat"
"""The result or status of an item no submission in use reports."""


@dataclass
class ControlItem:
    committee: str
    id: str
    process: str
    risk: str
    likelihood: int
    consequence: int
    value: int
    level: RiskLevel
    common: bool
    method: str = ""
    responsible: str = ""
    frequency: str = ""
    result: str = NOT_REPORTED
    date: str = ""
    deviation: str = ""
    action: str = ""
    action_responsible: str = ""
    action_date: str = ""
    file: str = ""
    sha256: str = ""
    sheet: str = ""
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class AssignmentItem:
    id: str
    origin: str
    given_by: str
    kind: str
    reference: str
    description: str
    committee: str
    due: dt.date
    status: str = NOT_REPORTED
    date: str = ""
    comment: str = ""
    overdue: bool = False
    file: str = ""
    sha256: str = ""
    sheet: str = ""
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class ControlFollowUp:
    """A period's intern kontroll and uppdrag: one item per kontrollmoment of each plan and
    per uppdrag, with what was reported."""

    on: dt.date
    controls: list[ControlItem]
    assignments: list[AssignmentItem]

    def of(self, committee: str | None) -> ControlFollowUp:
        """The nämnd's own items (``None``: the kommun's, all of them)."""
        if committee is None:
            return self
        return ControlFollowUp(self.on, [c for c in self.controls if c.committee == committee],
                               [a for a in self.assignments if a.committee == committee])

    def result_counts(self) -> dict[str, int]:
        """Kontrollmoment per result (every result, zeros too, then ej rapporterat)."""
        found = Counter(c.result for c in self.controls)
        return {r: found[r] for r in (*RESULTS, NOT_REPORTED)}

    def risk_counts(self) -> dict[tuple[int, int], int]:
        """Kontrollmoment per cell of the riskmatris: (sannolikhet, konsekvens) → count."""
        return dict(Counter((c.likelihood, c.consequence) for c in self.controls))

    def open_actions(self) -> list[ControlItem]:
        """Kontrollmoment med avvikelse whose åtgärd is not due before the period's end."""
        return [c for c in self.controls if c.result == "med_avvikelse"
                and (not c.action_date or c.action_date >= self.on.isoformat())]

    def status_counts(self) -> dict[str, int]:
        """Uppdrag per status (every status, then ej rapporterat) and, apart, försenade."""
        found = Counter(a.status for a in self.assignments)
        out = {s: found[s] for s in (*STATUSES, NOT_REPORTED)}
        out[OVERDUE] = sum(a.overdue for a in self.assignments)
        return out

    def origin_counts(self) -> dict[str, dict[str, int]]:
        """Uppdrag per origin (KF, KS, nämnd) and status."""
        out: dict[str, dict[str, int]] = {}
        for a in self.assignments:
            row = out.setdefault(a.origin, {s: 0 for s in (*STATUSES, NOT_REPORTED)})
            row[a.status] += 1
        return out


def _control_items(model: Styrmodell) -> list[ControlItem]:
    ik = model.config.internal_control
    out = []
    for com in model.committees():
        for pp in planned_points(ik, com.id):
            p = pp.point
            assert ik is not None
            out.append(ControlItem(com.id, p.id, p.process, p.risk, p.likelihood,
                                   p.consequence, ik.scale.value(p.likelihood, p.consequence),
                                   ik.scale.level(p.likelihood, p.consequence), pp.common,
                                   p.method, p.responsible, p.frequency))
    return out


def _assignment_items(model: Styrmodell, on: dt.date) -> list[AssignmentItem]:
    ua = model.config.assignments
    out = []
    for com in model.committees():
        for a in assignments_of(ua, com.id):
            out.append(_assignment(a, on))
    return out


def _assignment(a: Assignment, on: dt.date) -> AssignmentItem:
    return AssignmentItem(a.id, a.origin, a.given_by or "", a.kind, a.reference,
                          a.description, a.responsible, a.due,
                          overdue=is_overdue(a.due, None, on))


def planned(model: Styrmodell, on: dt.date) -> ControlFollowUp:
    """The plans and uppdrag of the styrmodell, nothing reported (the verksamhetsplan's)."""
    return ControlFollowUp(on, _control_items(model), _assignment_items(model, on))


def follow_up(conn: sqlite3.Connection, model: Styrmodell, on: dt.date,
              submitted: Mapping[str, Any]) -> ControlFollowUp:
    """The plans joined with the rows of the submissions ``submitted`` (unit id → submission
    row: the draft's or a decided version's), as at ``on`` (the period's end)."""
    out = planned(model, on)
    ids = [r["id"] for r in submitted.values()]
    if not ids or not (out.controls or out.assignments):
        return out
    controls = {(c.committee, c.id): c for c in out.controls}
    for r in queries.control_results(conn, ids):
        item = controls.get((r["unit_id"], r["control_id"]))
        if item is None:
            continue  # a kontrollmoment since taken out of the plan
        item.result = r["result"] or NOT_REPORTED
        for key in ("date", "deviation", "action", "action_responsible", "action_date"):
            setattr(item, key, r[key] or "")
        item.file, item.sha256, item.sheet = r["file"], r["sha256"], r["sheet"]
        item.cells = json.loads(r["cells"])
    assignments = {(a.committee, a.id): a for a in out.assignments}
    for r in queries.assignment_statuses(conn, ids):
        found = assignments.get((r["unit_id"], r["assignment_id"]))
        if found is None:
            continue
        found.status = r["status"] or NOT_REPORTED
        found.date, found.comment = r["date"] or "", r["comment"] or ""
        found.overdue = is_overdue(found.due, r["status"], on)
        found.file, found.sha256, found.sheet = r["file"], r["sha256"], r["sheet"]
        found.cells = json.loads(r["cells"])
    return out


def adopted(model: Styrmodell, committee: str) -> tuple[str, str]:
    """(the date, the §) the nämnd adopted its plan with; empty when unknown."""
    plan = plan_of(model.config.internal_control, committee)
    if plan is None:
        return "", ""
    return (plan.adopted.isoformat() if plan.adopted else "", plan.paragraph)


def closed_assignments(project: Project, model: Styrmodell) -> dict[str, str]:
    """The uppdrag finished in the year, as decided (``reportkit nytt-år`` drops them): uppdrag
    id → its status word and the decision (``"Genomfört, KF 2027-04-20 § 45"``).

    Read from the live decisions of the year's helår, in the order they were taken: a
    genomfört or avbrutet status counts once the body that gave the uppdrag has decided the
    version it stands in – a decision for the whole kommun (KF's) for every uppdrag, a nämnd's
    for those the nämnd gave. None when the project has no store yet."""
    from reportkit.storage import decisions, store

    ua = model.config.assignments
    periods = [p for p in model.config.periods if p.type == "helår"]
    if ua is None or not ua.items or not periods or not project.store_path.exists():
        return {}
    words = ua.status.words()
    out: dict[str, str] = {}
    conn = store.connect(project.store_path)
    try:
        for period in periods:
            for d in decisions.decisions(conn, period.id, live_only=True):
                found = follow_up(conn, model, period.end,
                                  decisions.version_submissions(conn, d))
                for a in found.assignments:
                    if a.status in CLOSED and (d.scope == decisions.KOMMUN or (
                            a.origin == "nämnd" and a.given_by == d.scope)):
                        out[a.id] = f"{words[a.status].label}, {d.label}"
    finally:
        conn.close()
    return out
