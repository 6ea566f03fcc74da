"""Why a document lacks figures: the real cause, in render's varningar.

The context marks an economy table with no rows (``document-data-missing``, naming the
table and the export kind it comes from). Here, from the project as it is now, each becomes
the varning that says what to do: the export is not in ``data/<period>/``
(``document-data-export-missing``), it is there but consolidate has not read it
(``document-data-not-loaded``), or it was read and refused for its fel
(``document-data-export-fel``). A draft whose period has no workbook loaded says that every
goal measured by styrkort will be Ej mätt (``document-no-submissions``), and workbooks that
came to the inbox after the last consolidate are named (``document-inbox-not-consolidated``).
Worked out after the render (also when the document came from the cache), so the cause is
always today's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportkit.errors import Problem, problem

if TYPE_CHECKING:
    import sqlite3

    from reportkit.styrmodell.assess import Scale
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

SHOWN_FILES = 5


def with_causes(project: Project, model: Styrmodell, period: Period, scale: Scale,
                problems: list[Problem]) -> list[Problem]:
    """``problems`` with each ``document-data-missing`` replaced by its cause, and the
    varningar about workbooks not loaded or not consolidated first."""
    from reportkit.storage import store

    if not project.store_path.exists():
        return problems
    conn = store.connect(project.store_path)
    try:
        out = _submission_causes(conn, project, period, scale)
        statuses = None
        for p in problems:
            if p.code != "document-data-missing" or "export" not in p.values:
                out.append(p)
                continue
            if statuses is None:
                statuses = _export_statuses(conn, project, model, period)
            out.append(_data_cause(project, p, statuses))
        return out
    finally:
        conn.close()


def _export_statuses(conn: sqlite3.Connection, project: Project, model: Styrmodell,
                     period: Period) -> dict[str, tuple[str, str, list[str]]]:
    """``{kind: (state, file, problems)}`` of the period's exports as consolidate left them."""
    from reportkit.consolidate.exports import DATA_DIR, export_status
    from reportkit.sources.mapping import load_mapping

    mapping, _ = load_mapping(project.root / DATA_DIR)
    return {s.kind: (s.state, s.file, s.problems)
            for s in export_status(conn, model, period.id, mapping)}


def _data_cause(project: Project, p: Problem, statuses: dict[str, tuple[str, str, list[str]]]
                ) -> Problem:
    from reportkit.texts import EXPORT_KINDS

    kind = str(p.values["export"])
    if kind not in statuses:
        return p
    state, file, found = statuses[kind]
    table, period = p.values["table"], p.values["period"]
    if state == "fel":
        first = next((t for t in found if t.startswith("fel")), found[0] if found else "")
        return problem("document-data-export-fel", table=table, period=period, file=file,
                       first=first)
    if state != "saknas":
        return p  # loaded, yet no rows for the table: the generic varning
    if (project.root / file).is_file():
        return problem("document-data-not-loaded", table=table, period=period, file=file)
    return problem("document-data-export-missing", table=table, period=period, file=file,
                   what=EXPORT_KINDS[kind].lower())


def _submission_causes(conn: sqlite3.Connection, project: Project, period: Period,
                       scale: Scale) -> list[Problem]:
    from reportkit.storage import queries, store
    from reportkit.styrmodell.assess import EJ_MATT

    out = []
    # a plan's document shows targets, not outcomes: nothing to be Ej mätt
    if period.type != "plan" and not store.active_submissions(conn, period.id):
        out.append(problem("document-no-submissions", period=period.id,
                           label=scale.label(EJ_MATT)))
    inbox = project.inbox(period.id)
    if inbox.is_dir():
        stats = queries.file_stats(conn)
        folder = Path(project.inbox_folder(period.id))
        new = sorted(f.name for f in inbox.iterdir()
                     if f.suffix.lower() == ".xlsx" and not f.name.startswith(("~$", "."))
                     and f.is_file() and _changed(stats.get(str(folder / f.name)), f))
        if new:
            shown = ", ".join(new[:SHOWN_FILES]) + (" …" if len(new) > SHOWN_FILES else "")
            out.append(problem("document-inbox-not-consolidated", period=period.id,
                               count=len(new), files=shown))
    return out


def _changed(stat: tuple[object, ...] | None, path: Path) -> bool:
    """Has ``path`` come or changed since consolidate last hashed it (size and mtime)?"""
    if stat is None:
        return True
    st = path.stat()
    return (st.st_size, st.st_mtime_ns) != (stat[0], stat[1])
