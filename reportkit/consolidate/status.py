"""Inlämningsstatus per unit: the one concept ``reportkit status``, the Inlämning list, the
sammanställning and a later web overview show.

A unit that reports in the period is in exactly one state (:data:`STATES`):

- ``inkommen`` / ``inkommen med fel``: its latest submission is in the store (with fel or not);
- ``ej utskickad``: nothing came in and no workbook was sent to it (``utskick/<period>/``
  holds workbooks, but not its ``<id>.xlsx``); with no workbook there at all, what was sent
  is not known and no unit is ``ej utskickad``;
- ``försenad``: nothing came in and its level's deadline has passed (by "today":
  :func:`reportkit.styrmodell.periods.today`, so ``--datum`` and ``REPORTKIT_DATUM``);
- ``saknas``: nothing came in yet, before the deadline.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from reportkit import texts
from reportkit.styrmodell.kinds import node_name
from reportkit.styrmodell.lookup import Candidate, find_committee, resolve
from reportkit.styrmodell.model import LEVELS, Styrmodell
from reportkit.styrmodell.periods import today
from reportkit.styrmodell.project import Project

RECEIVED = ("inkommen", "inkommen med fel")
NOT_RECEIVED = ("försenad", "saknas", "ej utskickad")
STATES = RECEIVED + NOT_RECEIVED
"""Every state, in the order counts and lists show them: what came in, then what to chase."""


@dataclass
class UnitStatus:
    unit_id: str
    name: str
    level: str
    committee: str
    manager: str
    email: str
    deadline: str
    state: str  # one of STATES
    file: str
    errors: int
    warnings: int
    source_changed: bool = False
    """The file the submission in use came from now holds other bytes (another unit's
    styrkort, or a version that was not loaded): :func:`store.changed_sources`."""
    level_id: str = ""
    committee_id: str = ""
    sent: bool = True
    """A workbook for the period was sent to the unit (or what was sent is not known)."""

    @property
    def file_note(self) -> str:
        """The file, with a note when it has changed since its submission was loaded."""
        if self.source_changed:
            return texts.STATUS_SOURCE_CHANGED.format(file=self.file)
        return self.file

    @property
    def received(self) -> bool:
        return self.state in RECEIVED


def unit_state(errors: int | None, sent: bool, deadline: dt.date | None, on: dt.date) -> str:
    """The state of one unit: ``errors`` None when nothing came in."""
    if errors is not None:
        return "inkommen med fel" if errors else "inkommen"
    if not sent:
        return "ej utskickad"
    if deadline is not None and deadline < on:
        return "försenad"
    return "saknas"


def sent_units(project: Project, model: Styrmodell, period_id: str) -> set[str] | None:
    """The units a workbook for the period was sent to: the ``<id>.xlsx`` in
    ``utskick/<period>/`` (as ``reportkit workbooks`` names them); None when it holds none."""
    from reportkit.workbook.content import workbook_file_name

    folder = project.outbox(period_id)
    if not folder.is_dir():
        return None
    names = {p.name for p in folder.iterdir() if p.suffix.lower() == ".xlsx"}
    if not names:
        return None
    return {u for u in model.units if workbook_file_name(u) in names}


def submission_status(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
                      inbox: str | None = None, sent: Collection[str] | None = None,
                      on: dt.date | None = None) -> list[UnitStatus]:
    """Inlämningsstatus per unit that reports in the period, in tree order. ``inbox``: the
    period's inbox as a path in the project (``inkommet/<period>``); with it each status says
    whether its file has changed since it was loaded. ``sent``: the ids of the units sent a
    workbook (None: not known). ``on``: today (default :func:`periods.today`)."""
    from reportkit.storage import queries
    from reportkit.storage.store import changed_sources

    period = model.period(period_id)
    assert period is not None
    on = on or today()
    changed = changed_sources(conn, period_id, inbox) if inbox else {}
    latest: dict[str, sqlite3.Row] = {}
    for row in queries.unit_submissions(conn, period_id):
        if row["state"] != "ersatt":
            latest[row["unit_id"]] = row
    out = []
    for unit in model.reporting_units(period):
        r = latest.get(unit.id)
        errors, warnings, file = (r["errors"], r["warnings"], r["file"]) if r else (None, 0, "")
        deadline = period.deadlines.get(unit.level)
        was_sent = sent is None or unit.id in sent
        out.append(UnitStatus(
            unit.id, unit.name, node_name(model.level_name(unit.level), unit.kind),
            model.units[unit.committee].name if unit.committee else "",
            unit.manager or "", unit.email or "", deadline.isoformat() if deadline else "",
            unit_state(errors, was_sent, deadline, on), file, errors or 0, warnings,
            unit.id in changed, unit.level, unit.committee or "", was_sent))
    return out


def project_status(project: Project, model: Styrmodell, period_id: str,
                   conn: sqlite3.Connection) -> list[UnitStatus]:
    """:func:`submission_status` with the project's inbox and what its outbox says was sent."""
    return submission_status(conn, model, period_id, project.inbox_folder(period_id),
                             sent_units(project, model, period_id))


def counts(statuses: Iterable[UnitStatus]) -> dict[str, int]:
    """The number of units per state, in :data:`STATES` order; states no unit is in left out."""
    found = [s.state for s in statuses]
    return {state: found.count(state) for state in STATES if state in found}


def level_ids(model: Styrmodell, given: Sequence[str]) -> set[str]:
    """The level ids ``given`` names, by id (``enhet``) or the kommun's word (``Skola``)."""
    candidates = [Candidate(lv, model.level_name(lv)) for lv in LEVELS]
    return {resolve(g, candidates, texts.STATUS_LEVEL_WHAT, model.year) for g in given}


def filtered(model: Styrmodell, statuses: list[UnitStatus], levels: Sequence[str] = (),
             committees: Sequence[str] = ()) -> list[UnitStatus]:
    """The statuses of units on one of ``levels`` and under one of ``committees`` (each an id
    or a name; empty: all). A nämnd is under itself."""
    wanted_levels = level_ids(model, levels) if levels else None
    wanted = {find_committee(model, c).id for c in committees} if committees else None
    return [s for s in statuses
            if (wanted_levels is None or s.level_id in wanted_levels)
            and (wanted is None or s.committee_id in wanted or s.unit_id in wanted)]


def column_names(model: Styrmodell) -> tuple[str, ...]:
    """The Inlämning list's column headers, the nämnd and unit columns in the kommun's words."""
    words = {"Nämnd": model.level_name("nämnd"), "Enhet": model.level_name("enhet")}
    return tuple(words.get(name, name) for name, _ in texts.STATUS_COLUMNS)


def status_file_name(period_id: str) -> str:
    """The Inlämning list's file in ``rapporter/<period>/``, written by consolidate and status."""
    return f"inlamning-{period_id}.xlsx"
