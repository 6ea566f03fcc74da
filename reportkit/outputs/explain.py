"""``reportkit explain`` and ``reportkit status``: how a status was reached, and who is missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportkit.files import atomic_path, normalize_zip
from reportkit.storage.access import opened
from reportkit.styrmodell.applicable import not_applicable
from reportkit.styrmodell.project import Project, as_project

if TYPE_CHECKING:
    import sqlite3

    from reportkit.consolidate.rollup import (
        GoalResult,
        IndicatorResult,
        Measurement,
        PeriodResults,
    )
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.model import Styrmodell


def submission_overview(project: Project | Path | str, period_id: str | None,
                        version: str | None = None, levels: Sequence[str] = (),
                        committees: Sequence[str] = ()):
    """Inlämningsstatus per unit (:mod:`reportkit.consolidate.status`), and
    ``rapporter/<period>/inlamning-<period>.xlsx`` with it. ``levels`` and ``committees``
    (ids or names) limit the units returned, not the list written.

    With ``version`` (a decision's number or text) the status is that of the decided version:
    the units whose submissions it froze, and the others as missing from it.
    """
    from dataclasses import replace

    from reportkit.consolidate.status import filtered, project_status, status_file_name
    from reportkit.consolidate.summary import write_status_workbook
    from reportkit.storage import decisions

    with opened(project, period_id, consolidated=True) as (project, model, period, conn):
        statuses = project_status(project, model, period.id, conn)
        name = status_file_name(period.id)
        if version is not None:
            decision = decisions.get(conn, period.id, version)
            frozen = decisions.version_submissions(conn, decision)
            scope = decisions.scope_units(model, decision.scope)
            statuses = [
                replace(s, state="inkommen med fel" if frozen[s.unit_id]["errors"] else
                        "inkommen", file=frozen[s.unit_id]["file"],
                        errors=frozen[s.unit_id]["errors"],
                        warnings=frozen[s.unit_id]["warnings"], source_changed=False)
                if s.unit_id in frozen else replace(s, state="saknas", file="", errors=0,
                                                    warnings=0, source_changed=False)
                for s in statuses if s.unit_id in scope]
            name = f"inlamning-{period.id}-beslut-{decision.id}.xlsx"
    # the list holds every unit, as consolidate writes it; the filters narrow what is shown
    path = write_status_workbook(project.reports(period.id) / name, model, statuses,
                                 period.id)
    return filtered(model, statuses, levels, committees), path


def status_columns(project: Project | Path | str, period_id: str | None) -> tuple[str, ...]:
    """The Inlämning list's column headers in the kommun's words (the styrmodell of the
    period)."""
    from reportkit.consolidate.status import column_names

    model, _ = as_project(project).period(period_id)
    return column_names(model)


def decision_overview(project: Project | Path | str, period_id: str | None) -> list[str]:
    """One line per nämnd: its part utkast or beslutad (by what), and later submissions."""
    from reportkit.storage.decisions import list_decisions

    project = as_project(project)
    _, found, parts = list_decisions(project, period_id)
    if not found:
        return []
    model = project.period(period_id)[0]
    lines = ["Beslut per nämnd:"]
    for part in parts:
        name = model.units[part.committee].name
        if part.decision is None:
            lines.append(f"  {name}: utkast")
            continue
        later = (f" – {len(part.changed_after)} inlämning(ar) efter beslutet finns i utkastet"
                 if part.changed_after else "")
        lines.append(f"  {name}: beslutad, {part.decision.label}{later}")
    return lines


def explain(project: Project | Path | str, item_id: str, period_id: str | None,
            xlsx: Path | None = None, version: str | None = None) -> list[str]:
    """Lines that show how a goal's or indicator's status was reached, down to the cells.

    ``version`` (a decision's number or text) explains the decided version instead of the draft.
    """
    from reportkit.consolidate.rollup import compute
    from reportkit.storage import decisions

    with opened(project, period_id, consolidated=True) as (project, model, period, conn):
        goal_id, only = _explained_goal(model, item_id)
        decision = decisions.get(conn, period.id, version) if version is not None else None
        results = compute(conn, model, period.id, version=decision)
        replaced = _replaced_submissions(conn, period.id)
        changed = _changed_submissions(conn, project, period.id)
    if decision is not None:
        changed = []  # a decided version is what was decided, whatever the files hold now
    explanation = _Explanation(model, results, only)
    explanation.lines.append(f"{period.name} – {_heading(decision)}")
    explanation.goal(goal_id, 0)
    lines = explanation.lines
    lines += _replaced_lines(replaced, explanation.units)
    lines += _changed_lines(changed, explanation.units)
    if xlsx is not None:
        _write_xlsx(Path(xlsx), lines, explanation.cells, model.config.kommun.name,
                    f"Förklaring {only or goal_id} {period.id}")
    return lines


def _heading(decision: Decision | None) -> str:
    """Which version is explained: the decided one (and whether its decision was undone), or
    the draft."""
    if decision is None:
        return "Utkast (det som är inlämnat nu)"
    return (f"Beslutad version: {decision.label} (beslut {decision.id}"
            f"{'' if decision.live else ', ångrat'})")


def _replaced_submissions(conn: sqlite3.Connection, period_id: str) -> list[sqlite3.Row]:
    """The period's submissions a later one replaced, each with the one that replaced it."""
    from reportkit.storage import queries

    return queries.replaced_submissions(conn, period_id)


def _changed_submissions(conn: sqlite3.Connection, project: Project, period_id: str
                         ) -> list[sqlite3.Row]:
    """The draft's submissions whose file now holds other bytes."""
    from reportkit.storage import store

    sources = store.changed_sources(conn, period_id, project.inbox_folder(period_id))
    active = store.active_submissions(conn, period_id) if sources else {}
    return [active[u] for u in sources if u in active]


def _explained_goal(model: Styrmodell, item_id: str) -> tuple[str, str | None]:
    """The goal to explain and, when ``item_id`` is an indicator, that indicator only."""
    from reportkit.styrmodell.lookup import find_goal_or_indicator

    item_id = find_goal_or_indicator(model, item_id)
    if item_id in model.indicators:
        return model.indicators[item_id][1], item_id
    return item_id, None


def _replaced_lines(rows: Sequence[sqlite3.Row], units: set[str]) -> list[str]:
    """The replaced submissions of ``units`` (none: no lines)."""
    shown = [r for r in rows if r["unit_id"] in units]
    return (["Ersatta inlämningar:"] if shown else []) + [
        f"  {r['unit_id']}: {r['file']} (sha256 {r['sha256'][:12]}…, inläst "
        f"{r['loaded_at']}) ersattes av {r['by_file']} (sha256 "
        f"{r['by_sha256'][:12]}…, inläst {r['by_loaded_at']})" for r in shown]


def _changed_lines(rows: Sequence[sqlite3.Row], units: set[str]) -> list[str]:
    """The submissions of ``units`` whose file has changed (none: no lines)."""
    shown = [r for r in rows if r["unit_id"] in units]
    return (["Inlämningar vars fil har ändrats sedan de lästes in:"] if shown else []) + [
        f"  {r['unit_id']}: {r['file']} (sha256 {r['sha256'][:12]}…, inläst "
        f"{r['loaded_at']}) – filen i inkommet har nu annat innehåll; "
        "inlämningen från den tidigare versionen gäller" for r in shown]


class _SourceCell(NamedTuple):
    """A cell an explanation rests on: a row of the Celler sheet for the revisorer."""

    goal: str
    item: str
    """The indicator's id, or ``Bedömning``."""
    unit: str
    value: str
    file: str
    sha256: str
    sheet: str
    cell: str


@dataclass
class _Explanation:
    """The lines of an explanation, the cells they rest on and the units on the chain, goal
    by goal down to three levels below (``only``: that one indicator of the goal)."""

    model: Styrmodell
    results: PeriodResults
    only: str | None
    lines: list[str] = field(default_factory=list)
    cells: list[_SourceCell] = field(default_factory=list)
    units: set[str] = field(default_factory=set)

    def label(self, status: str | None) -> str:
        scale = self.results.scale
        return f"{scale.step(status).symbol} {scale.label(status)}" if status else "–"

    def goal(self, gid: str, depth: int) -> None:
        model, scale = self.model, self.results.scale
        g = self.results.goals[gid]
        pad = "  " * depth
        self.units.add(g.owner)
        self.lines.append(f"{pad}{model.goal_name(g.level)} {gid}: {model.goals[gid].name} "
                          f"({model.units[g.owner].name})")
        self.lines.append(f"{pad}  Förslag: {self.label(g.proposal)} – {g.proposal_rule}")
        if g.underlag:
            counts = ", ".join(f"{scale.label(s)} {n}" for s, n in g.underlag.items())
            self.lines.append(f"{pad}  Underlag från målen nedanför: {counts} → "
                              f"{self.label(g.underlag_proposal)}")
        self.assessment(gid, g, pad)
        for ind in g.indicators:
            if not self.only or ind.indicator_id == self.only:
                self.indicator(gid, ind, pad)
        if depth < 3 and not self.only:
            for child in model.goals[gid].children:
                self.goal(child, depth + 1)

    def assessment(self, gid: str, g: GoalResult, pad: str) -> None:
        if not g.assessed_by:
            self.lines.append(f"{pad}  Bedömning: ingen inlämning från "
                              f"{self.model.units[g.owner].name}")
            return
        who = self.model.units[g.assessed_by].name
        kind = "vald" if g.chosen else "förslaget accepterat"
        src = f" [{g.source[0]}, blad {g.source[1]}, cell {g.source[2]}]" if g.source else ""
        self.lines.append(f"{pad}  Bedömning av {who}: {self.label(g.assessment)} ({kind}){src}")
        if g.source:
            self.cells.append(_SourceCell(gid, "Bedömning", who, self.label(g.assessment),
                                         g.source[0], g.source_sha256, g.source[1],
                                         g.source[2]))
        if g.motivation:
            self.lines.append(f"{pad}  Motivering: {g.motivation}")

    def gender_cells(self, gid: str, ind: IndicatorResult, m: Measurement, pad: str) -> None:
        """Kvinnor's and män's utfall the unit typed (``kön: ja``), each with its cell, in
        the kommun's words."""
        from reportkit.formats import format_value

        words = self.model.indicators[ind.indicator_id][0].gender_words
        for letter, (value, cell) in sorted(m.by_gender.items()):
            word = words.get(letter, letter)
            shown = format_value(value, ind.unit)
            self.lines.append(f"{pad}      {word}: {shown} [blad {m.sheet}, cell {cell}]")
            self.cells.append(_SourceCell(gid, f"{ind.indicator_id} {word.lower()}",
                                         self.model.units[m.unit_id].name, shown, m.file,
                                         m.sha256, m.sheet, cell or ""))

    def indicator(self, gid: str, ind: IndicatorResult, pad: str) -> None:
        from reportkit.formats import format_value
        from reportkit.styrmodell.targets import target_text

        units = self.model.units
        target = ind.target
        yes_no = isinstance(ind.target, bool)  # a ja/nej indicator: 1/0 shown as Ja/Nej
        actual = bool(ind.actual) if yes_no and ind.actual is not None else ind.actual
        self.lines.append(f"{pad}  Indikator {ind.indicator_id}: {ind.name}: utfall "
                          f"{format_value(actual, ind.unit)} mot målvärde "
                          f"{target_text(target, ind.unit)} → {self.label(ind.status)} "
                          f"({ind.rule})")
        for m in ind.measurements:
            self.units.add(m.unit_id)
            motivation = not_applicable(m.comment, m.actual)
            value = bool(m.actual) if yes_no and m.actual is not None else m.actual
            shown = format_value(value, ind.unit) if motivation is None else \
                f"ej aktuell ({motivation or 'utan motivering'})"
            self.lines.append(f"{pad}    {units[m.unit_id].name}: {shown} "
                              f"[{m.file}, sha256 {m.sha256[:12]}…, "
                              + (f"blad {m.sheet}, cell {m.cell}]" if m.sheet else f"{m.cell}]"))
            if m.reading and motivation is None:
                self.lines.append(f"{pad}      {m.reading}")
            self.cells.append(_SourceCell(gid, ind.indicator_id, units[m.unit_id].name,
                                         shown, m.file, m.sha256,
                                         m.sheet, m.cell or ""))
            if m.by_gender:
                self.gender_cells(gid, ind, m, pad)
        for u in ind.missing_units:
            self.lines.append(f"{pad}    {units[u].name}: ingen inlämning")


CELL_COLUMNS = (("Mål", 16), ("Uppgift", 22), ("Enhet", 28), ("Värde", 16), ("Fil", 30),
                ("SHA-256", 66), ("Blad", 12), ("Cell", 8))


def _write_xlsx(path: Path, lines: list[str], cells: Sequence[tuple[str, ...]], author: str,
                title: str) -> None:
    """The explanation for revisorerna: the lines, and one row per source cell to look up."""
    import xlsxwriter

    from reportkit.workbook.generate import FIXED_CREATED

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False,
                                            "strings_to_numbers": False})
        wb.set_properties({"title": title, "author": author, "created": FIXED_CREATED})
        ws = wb.add_worksheet("Förklaring")
        ws.set_column(0, 0, 140)
        for r, line in enumerate(lines):
            ws.write_string(r, 0, line)
        ws = wb.add_worksheet("Celler")
        bold = wb.add_format({"bold": True})
        for c, (header, width) in enumerate(CELL_COLUMNS):
            ws.write_string(0, c, header, bold)
            ws.set_column(c, c, width)
        for r, row in enumerate(cells, start=1):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, len(cells)), len(CELL_COLUMNS) - 1)
        wb.close()
        normalize_zip(tmp)
