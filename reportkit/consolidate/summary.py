"""Sammanställning and inlämningsstatus: what the coordinator opens after a consolidation.

One ``.xlsx`` for the kommun and one per nämnd/bolag in ``rapporter/<period>/``: goals with
förslag and bedömning (symbol, text and colour), indicators with målvärde, utfall and the
previous years, activities, and who has submitted. Text that came from units is written with
``write_string``: a unit typing ``=HYPERLINK(...)``, ``+cmd`` or ``@SUM(...)`` gets text, never
a live formula. Files are written atomically and byte-identically for the same store content.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportkit.consolidate.rollup import PeriodResults, compute
from reportkit.files import atomic_path, normalize_zip
from reportkit.project import Project
from reportkit.styrmodell.model import Styrmodell
from reportkit.workbook.generate import FIXED_CREATED, number_format


@dataclass
class UnitStatus:
    unit_id: str
    name: str
    level: str
    committee: str
    manager: str
    email: str
    deadline: str
    state: str  # inkommen | inkommen med fel | saknas
    file: str
    errors: int
    warnings: int


def submission_status(conn: sqlite3.Connection, model: Styrmodell, period_id: str
                      ) -> list[UnitStatus]:
    """Inlämningsstatus per unit that reports in the period, in tree order."""
    period = model.period(period_id)
    assert period is not None
    latest: dict[str, sqlite3.Row] = {}
    for r in conn.execute("SELECT * FROM submission WHERE period = ? AND unit_id IS NOT NULL "
                          "ORDER BY id", (period_id,)):
        if r["state"] != "ersatt":
            latest[r["unit_id"]] = r
    out = []
    for unit in model.reporting_units(period):
        r = latest.get(unit.id)
        if r is None:
            state, file, errors, warnings = "saknas", "", 0, 0
        else:
            errors, warnings, file = r["errors"], r["warnings"], r["file"]
            state = "inkommen med fel" if errors else "inkommen"
        deadline = period.deadlines.get(unit.level)
        out.append(UnitStatus(
            unit.id, unit.name, model.level_name(unit.level) if unit.kind != "bolag" else
            "Bolag", model.units[unit.committee].name if unit.committee else "",
            unit.manager or "", unit.email or "", deadline.isoformat() if deadline else "",
            state, file, errors, warnings))
    return out


def write_summaries(project: Project, model: Styrmodell, period_id: str,
                    conn: sqlite3.Connection) -> list[Path]:
    results = compute(conn, model, period_id)
    statuses = submission_status(conn, model, period_id)
    out_dir = project.reports(period_id)
    paths = [_write(out_dir / f"sammanstallning-{period_id}.xlsx", model, results, statuses,
                    None)]
    for com in model.children_of(model.kommun.id):
        paths.append(_write(out_dir / f"sammanstallning-{period_id}-{com.id}.xlsx", model,
                            results, statuses, com.id))
    return paths


def _write(path: Path, model: Styrmodell, results: PeriodResults,
           statuses: list[UnitStatus], committee: str | None) -> Path:
    import xlsxwriter

    scale = results.scale
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False,
                                            "strings_to_numbers": False})
        wb.set_properties({"title": f"Sammanställning {results.period}",
                           "author": model.config.kommun.name, "created": FIXED_CREATED})
        head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
                              "text_wrap": True, "valign": "top", "border": 1})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        title = wb.add_format({"bold": True, "font_size": 14})
        status_fmt = {s: wb.add_format({"bold": True, "font_color": "#FFFFFF",
                                        "bg_color": "#" + scale.step(s).color, "valign": "top"})
                      for s in scale.statuses}
        pct = wb.add_format({"num_format": "0%", "valign": "top"})
        unit_fmt: dict[str, Any] = {}

        def status_cell(ws: Any, r: int, c: int, status: str | None) -> None:
            if status is None:
                ws.write_string(r, c, "", wrap)
                return
            step = scale.step(status)
            ws.write_string(r, c, f"{step.symbol} {step.label}",
                            status_fmt.get(status, wrap))

        def sheet(name: str, headers: list[tuple[str, int]]) -> Any:
            ws = wb.add_worksheet(name)
            for i, (h, width) in enumerate(headers):
                ws.write_string(1, i, h, head)
                ws.set_column(i, i, width)
            ws.freeze_panes(2, 1)
            return ws

        def in_scope(unit_id: str) -> bool:
            return committee is None or model.units[unit_id].committee == committee

        scope_name = model.units[committee].name if committee else model.config.kommun.name
        ws = sheet("Mål", [("Id", 16), ("Nivå", 12), ("Mål", 50), ("Ansvarig", 24),
                           ("Förslag", 20), ("Grad", 8), ("Bedömning", 20), ("Bedömd av", 20),
                           ("Motivering", 40), ("Underlag", 30), ("Analys", 60)])
        ws.write_string(0, 0, f"Måluppfyllelse – {scope_name} – {results.period}", title)
        r = 2
        for gid, g in results.goals.items():
            if not in_scope(g.owner) or (committee and g.level == "kommun"):
                continue
            node = model.goals[gid]
            ws.write_string(r, 0, gid)
            ws.write_string(r, 1, model.goal_name(g.level))
            ws.write_string(r, 2, node.name, wrap)
            ws.write_string(r, 3, model.units[g.owner].name, wrap)
            status_cell(ws, r, 4, g.proposal)
            if g.proposal_degree is not None:
                ws.write_number(r, 5, g.proposal_degree, pct)
            status_cell(ws, r, 6, g.assessment)
            ws.write_string(r, 7, model.units[g.assessed_by].name if g.assessed_by else "")
            ws.write_string(r, 8, g.motivation, wrap)
            ws.write_string(r, 9, ", ".join(f"{scale.label(s)}: {n}"
                                            for s, n in g.underlag.items()), wrap)
            ws.write_string(r, 10, g.analysis, wrap)
            r += 1
        if r > 2:
            ws.autofilter(1, 0, r - 1, 10)
        years = sorted({y for g in results.goals.values() for i in g.indicators
                        for y in i.history})[-3:]
        ws = sheet("Indikatorer", [("Id", 18), ("Mål", 16), ("Indikator", 44), ("Enhet", 8),
                                   *[(str(y), 9) for y in years], ("Målvärde", 10),
                                   ("Utfall", 10), ("Prognos", 10), ("Status", 20),
                                   ("Beräkning", 60)])
        ws.write_string(0, 0, f"Indikatorer – {scope_name} – {results.period}", title)
        r = 2
        for g in results.goals.values():
            if not in_scope(g.owner) or (committee and g.level == "kommun"):
                continue
            for ind in g.indicators:
                if ind.unit not in unit_fmt:
                    unit_fmt[ind.unit] = wb.add_format(
                        {"num_format": number_format(ind.unit, 1), "valign": "top"})
                fmt = unit_fmt[ind.unit]
                ws.write_string(r, 0, ind.indicator_id)
                ws.write_string(r, 1, ind.goal_id)
                ws.write_string(r, 2, ind.name, wrap)
                ws.write_string(r, 3, ind.unit)
                c = 4
                for y in years:
                    if y in ind.history:
                        ws.write_number(r, c, ind.history[y], fmt)
                    c += 1
                for v in (ind.target, ind.actual, ind.forecast):
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        ws.write_number(r, c, v, fmt)
                    c += 1
                status_cell(ws, r, c, ind.status)
                ws.write_string(r, c + 1, ind.rule, wrap)
                r += 1
        if r > 2:
            ws.autofilter(1, 0, r - 1, 5 + len(years) + 3)
        ws = sheet("Aktiviteter", [("Enhet", 24), ("Mål", 16), ("Aktivitet", 44),
                                   ("Ansvarig", 20), ("Start", 11), ("Slut", 11),
                                   ("Status", 12), ("Kommentar", 40)])
        ws.write_string(0, 0, f"Aktiviteter – {scope_name} – {results.period}", title)
        r = 2
        for unit_id, acts in sorted(results.activities.items()):
            if not in_scope(unit_id):
                continue
            for a in acts:
                for c, v in enumerate((model.units[unit_id].name, a["goal_id"],
                                       a["description"], a["responsible"], a["start"],
                                       a["end"], a["status"], a["comment"])):
                    ws.write_string(r, c, v or "", wrap)
                r += 1
        ws = sheet("Inlämning", [("Enhet", 30), ("Nivå", 12), ("Nämnd", 28), ("Status", 18),
                                 ("Fel", 6), ("Varningar", 10), ("Fil", 30), ("Chef", 22),
                                 ("E-post", 32), ("Sista dag", 11)])
        ws.write_string(0, 0, f"Inlämningsstatus – {scope_name} – {results.period}", title)
        r = 2
        for s in statuses:
            if not in_scope(s.unit_id) and s.unit_id != committee:
                continue
            for c, v in enumerate((s.name, s.level, s.committee, s.state)):
                ws.write_string(r, c, v)
            ws.write_number(r, 4, s.errors)
            ws.write_number(r, 5, s.warnings)
            for c, v in enumerate((s.file, s.manager, s.email, s.deadline), start=6):
                ws.write_string(r, c, v)
            r += 1
        if r > 2:
            ws.autofilter(1, 0, r - 1, 9)
        wb.close()
        normalize_zip(tmp)
    return path
