"""``reportkit explain`` and ``reportkit status``: how a status was reached, and who is missing."""

from __future__ import annotations

from pathlib import Path

from reportkit.errors import ReportkitError, problem
from reportkit.files import atomic_path, normalize_zip
from reportkit.project import Project


def submission_overview(project: Project | Path | str, period_id: str | None):
    from reportkit.consolidate import store
    from reportkit.consolidate.summary import submission_status
    from reportkit.workbook.generate import FIXED_CREATED

    if not isinstance(project, Project):
        project = Project.open(project)
    model, period = project.period(period_id)
    conn = store.connect(project.store_path)
    try:
        statuses = submission_status(conn, model, period.id)
    finally:
        conn.close()
    path = project.reports(period.id) / f"inlamning-{period.id}.xlsx"
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"created": FIXED_CREATED, "author": model.config.kommun.name})
        ws = wb.add_worksheet("Inlämning")
        bold = wb.add_format({"bold": True})
        headers = ["Nämnd", "Enhet", "Nivå", "Status", "Fel", "Varningar", "Chef", "E-post",
                   "Sista dag", "Fil"]
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, bold)
        for r, s in enumerate(statuses, start=1):
            for c, v in enumerate((s.committee, s.name, s.level, s.state)):
                ws.write_string(r, c, v)
            ws.write_number(r, 4, s.errors)
            ws.write_number(r, 5, s.warnings)
            for c, v in enumerate((s.manager, s.email, s.deadline, s.file), start=6):
                ws.write_string(r, c, v)
        ws.autofilter(0, 0, max(1, len(statuses)), len(headers) - 1)
        ws.freeze_panes(1, 0)
        for c, w in enumerate((28, 30, 12, 18, 6, 10, 22, 34, 11, 30)):
            ws.set_column(c, c, w)
        wb.close()
        normalize_zip(tmp)
    return statuses, path


def explain(project: Project | Path | str, item_id: str, period_id: str | None,
            xlsx: Path | None = None) -> list[str]:
    """Lines that show how a goal's or indicator's status was reached, down to the cells."""
    from reportkit.consolidate import store
    from reportkit.consolidate.rollup import compute
    from reportkit.formats import format_value

    if not isinstance(project, Project):
        project = Project.open(project)
    model, period = project.period(period_id)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, period.id)
        replaced = conn.execute(
            "SELECT a.unit_id, a.file, a.sha256, a.loaded_at, b.file AS by_file "
            "FROM submission a JOIN submission b ON b.id = a.replaced_by "
            "WHERE a.period = ? AND a.state = 'ersatt' ORDER BY a.id", (period.id,)).fetchall()
    finally:
        conn.close()
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

    def label(status: str | None) -> str:
        return f"{scale.step(status).symbol} {scale.label(status)}" if status else "–"

    def goal_lines(gid: str, depth: int) -> None:
        g = results.goals[gid]
        node = model.goals[gid]
        pad = "  " * depth
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
            if g.motivation:
                lines.append(f"{pad}  Motivering: {g.motivation}")
        else:
            lines.append(f"{pad}  Bedömning: ingen inlämning från {model.units[g.owner].name}")
        for ind in g.indicators:
            if only and ind.indicator_id != only:
                continue
            lines.append(f"{pad}  Indikator {ind.indicator_id}: {ind.name}: utfall "
                         f"{format_value(ind.actual, ind.unit)} mot målvärde "
                         f"{format_value(ind.target if not isinstance(ind.target, bool) else None, ind.unit)} "
                         f"→ {label(ind.status)} ({ind.rule})")
            for m in ind.measurements:
                lines.append(f"{pad}    {model.units[m.unit_id].name}: "
                             f"{format_value(m.actual, ind.unit)} "
                             f"[{m.file}, sha256 {m.sha256[:12]}…, blad {m.sheet}, cell {m.cell}]")
            for u in ind.missing_units:
                lines.append(f"{pad}    {model.units[u].name}: ingen inlämning")
        if depth < 3 and not only:
            for child in model.goals[gid].children:
                goal_lines(child, depth + 1)

    goal_lines(goal_id, 0)
    if replaced:
        lines.append("Ersatta inlämningar:")
        for r in replaced:
            lines.append(f"  {r['unit_id']}: {r['file']} (sha256 {r['sha256'][:12]}…, inläst "
                         f"{r['loaded_at']}) ersattes av {r['by_file']}")
    if xlsx is not None:
        import xlsxwriter

        with atomic_path(xlsx) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                                "strings_to_urls": False})
            ws = wb.add_worksheet("Förklaring")
            ws.set_column(0, 0, 140)
            for r, line in enumerate(lines):
                ws.write_string(r, 0, line)
            wb.close()
            normalize_zip(tmp)
    return lines
