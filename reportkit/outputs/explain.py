"""``reportkit explain`` and ``reportkit status``: how a status was reached, and who is missing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportkit.errors import ReportkitError, problem
from reportkit.files import atomic_path, normalize_zip
from reportkit.storage.access import opened
from reportkit.styrmodell.project import Project, as_project


def submission_overview(project: Project | Path | str, period_id: str | None,
                        version: str | None = None):
    """Inlämningsstatus per unit, and ``rapporter/<period>/inlamning-<period>.xlsx`` with it.

    With ``version`` (a decision's number or text) the status is that of the decided version:
    the units whose submissions it froze, and the others as missing from it.
    """
    from dataclasses import replace

    from reportkit.consolidate.summary import submission_status, write_status_workbook
    from reportkit.storage import decisions

    with opened(project, period_id) as (project, model, period, conn):
        statuses = submission_status(conn, model, period.id,
                                     project.inbox_folder(period.id))
        name = f"inlamning-{period.id}.xlsx"
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
    path = write_status_workbook(project.reports(period.id) / name, model, statuses,
                                 period.id)
    return statuses, path


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
    from reportkit.formats import format_value
    from reportkit.storage import decisions, store

    with opened(project, period_id) as (project, model, period, conn):
        decision = decisions.get(conn, period.id, version) if version is not None else None
        heading = (f"Beslutad version: {decision.label} (beslut {decision.id}"
                   f"{'' if decision.live else ', ångrat'})" if decision else
                   "Utkast (det som är inlämnat nu)")
        results = compute(conn, model, period.id, version=decision)
        replaced = conn.execute(
            "SELECT a.unit_id, a.file, a.sha256, a.loaded_at, b.file AS by_file, "
            "b.sha256 AS by_sha256, b.loaded_at AS by_loaded_at "
            "FROM submission a JOIN submission b ON b.id = a.replaced_by "
            "WHERE a.period = ? AND a.state = 'ersatt' ORDER BY a.id", (period.id,)).fetchall()
        # the draft's submissions whose file now holds other bytes (a decided version is
        # what was decided, whatever the files hold now)
        sources = store.changed_sources(conn, period.id, project.inbox_folder(period.id))
        active = store.active_submissions(conn, period.id) if sources else {}
        changed = [active[u] for u in sources if decision is None and u in active]
    scale = results.scale
    if item_id in model.indicators:
        goal_id = model.indicators[item_id][1]
        only = item_id
    elif item_id in model.goals:
        goal_id, only = item_id, None
    else:
        raise ReportkitError(problem("config-invalid-value", key=item_id, value=repr(item_id),
                                     reason="inget mål eller indikator har det id:t",
                                     expected="ange ett id från styrmodellen"))
    lines: list[str] = []
    cells: list[tuple[str, str, str, str, str, str, str, str]] = []
    chain_units: set[str] = set()

    def label(status: str | None) -> str:
        return f"{scale.step(status).symbol} {scale.label(status)}" if status else "–"

    def goal_lines(gid: str, depth: int) -> None:
        g = results.goals[gid]
        node = model.goals[gid]
        pad = "  " * depth
        chain_units.add(g.owner)
        lines.append(f"{pad}{model.goal_name(g.level)} {gid}: {node.name} "
                     f"({model.units[g.owner].name})")
        lines.append(f"{pad}  Förslag: {label(g.proposal)} – {g.proposal_rule}")
        if g.underlag:
            counts = ", ".join(f"{scale.label(s)} {n}" for s, n in g.underlag.items())
            lines.append(f"{pad}  Underlag från målen nedanför: {counts} → "
                         f"{label(g.underlag_proposal)}")
        if g.assessed_by:
            who = model.units[g.assessed_by].name
            kind = "vald" if g.chosen else "förslaget accepterat"
            src = f" [{g.source[0]}, blad {g.source[1]}, cell {g.source[2]}]" if g.source else ""
            lines.append(f"{pad}  Bedömning av {who}: {label(g.assessment)} ({kind}){src}")
            if g.source:
                cells.append((gid, "Bedömning", who, label(g.assessment), g.source[0],
                              g.source_sha256, g.source[1], g.source[2]))
            if g.motivation:
                lines.append(f"{pad}  Motivering: {g.motivation}")
        else:
            lines.append(f"{pad}  Bedömning: ingen inlämning från {model.units[g.owner].name}")
        for ind in g.indicators:
            if only and ind.indicator_id != only:
                continue
            target = ind.target if not isinstance(ind.target, bool) else None
            lines.append(f"{pad}  Indikator {ind.indicator_id}: {ind.name}: utfall "
                         f"{format_value(ind.actual, ind.unit)} mot målvärde "
                         f"{format_value(target, ind.unit)} → {label(ind.status)} ({ind.rule})")
            for m in ind.measurements:
                chain_units.add(m.unit_id)
                lines.append(f"{pad}    {model.units[m.unit_id].name}: "
                             f"{format_value(m.actual, ind.unit)} "
                             f"[{m.file}, sha256 {m.sha256[:12]}…, "
                             + (f"blad {m.sheet}, cell {m.cell}]" if m.sheet else f"{m.cell}]"))
                cells.append((gid, ind.indicator_id, model.units[m.unit_id].name,
                              format_value(m.actual, ind.unit), m.file, m.sha256, m.sheet,
                              m.cell or ""))
            for u in ind.missing_units:
                lines.append(f"{pad}    {model.units[u].name}: ingen inlämning")
        if depth < 3 and not only:
            for child in model.goals[gid].children:
                goal_lines(child, depth + 1)

    lines.append(f"{period.name} – {heading}")
    goal_lines(goal_id, 0)
    replaced = [r for r in replaced if r["unit_id"] in chain_units]
    if replaced:
        lines.append("Ersatta inlämningar:")
        for r in replaced:
            lines.append(f"  {r['unit_id']}: {r['file']} (sha256 {r['sha256'][:12]}…, inläst "
                         f"{r['loaded_at']}) ersattes av {r['by_file']} (sha256 "
                         f"{r['by_sha256'][:12]}…, inläst {r['by_loaded_at']})")
    changed = [r for r in changed if r["unit_id"] in chain_units]
    if changed:
        lines.append("Inlämningar vars fil har ändrats sedan de lästes in:")
        for r in changed:
            lines.append(f"  {r['unit_id']}: {r['file']} (sha256 {r['sha256'][:12]}…, inläst "
                         f"{r['loaded_at']}) – filen i inkommet har nu annat innehåll; "
                         "inlämningen från den tidigare versionen gäller")
    if xlsx is not None:
        _write_xlsx(Path(xlsx), lines, cells, model.config.kommun.name,
                    f"Förklaring {item_id} {period.id}")
    return lines


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
