"""``reportkit diff``: what changed between two styrmodeller, for the coordinator and for the
KS/KF decision on the new styrmodell.

Two ways to choose what is compared:

- two years of the project (``--från 2026 --till 2027``; without them the last two years);
- ``--utskick``: the styrmodell file now against the one the period's workbooks were made
  from (kept in the store by ``reportkit workbooks``), so a målvärde or a goal changed after
  the workbooks went out is seen.

The comparison itself is :func:`reportkit.styrmodell.diff.compare`; this module finds the two
files, and writes the .xlsx (one row per change, with the decision reference). :func:`next_year`
(``reportkit nytt-år``) is here too: it reads the year's decided uppdrag from the store.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit.errors import ReportkitError, problem
from reportkit.files import atomic_path, normalize_zip
from reportkit.styrmodell.diff import Change, compare
from reportkit.styrmodell.model import Styrmodell, load_styrmodell
from reportkit.styrmodell.next_year import NextYear
from reportkit.styrmodell.project import Project, as_project

COLUMNS = (("Vad", 14), ("Ändring", 12), ("Id", 22), ("Namn", 50), ("Före", 36),
           ("Efter", 36), ("Beslut", 24))


@dataclass
class StyrmodellDiff:
    """The changes from ``before`` to ``after`` (each a label such as ``styrmodell/2026.yaml``
    or ``utskick 2026-delår (2026-09-01T10:00:00)``)."""

    before: str
    after: str
    changes: list[Change] = field(default_factory=list)
    xlsx: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after,
                "changes": [c.to_dict() for c in self.changes],
                "xlsx": str(self.xlsx) if self.xlsx else None}

    def rows(self) -> list[tuple[str, ...]]:
        return [(c.what, c.change, c.id, c.name, c.before, c.after, c.decision)
                for c in self.changes]


def diff_styrmodell(project: Project | Path | str, before: int | None = None,
                    after: int | None = None, *, sent: bool = False,
                    period_id: str | None = None, xlsx: Path | None = None) -> StyrmodellDiff:
    """Compare two styrmodeller of the project.

    With ``sent``: the file for the period's year now (``after``) against the styrmodell the
    period's workbooks were made from (``period_id``, default the period being reported now).
    Otherwise year ``before`` against year ``after`` (defaults: the project's last two years;
    one year alone is compared with itself). ``xlsx``: also write the changes there.
    """
    project = as_project(project)
    if sent:
        old, new, labels = _sent_pair(project, period_id)
    else:
        years = project.years()
        after = after if after is not None else years[-1]
        before = before if before is not None else \
            max((y for y in years if y < after), default=after)
        old, new = project.styrmodell(before), project.styrmodell(after)
        labels = (f"styrmodell/{before}.yaml", f"styrmodell/{after}.yaml")
    result = StyrmodellDiff(labels[0], labels[1], compare(old, new))
    if xlsx is not None:
        _write_xlsx(xlsx, result)
        result.xlsx = xlsx
    return result


def _sent_pair(project: Project, period_id: str | None
               ) -> tuple[Styrmodell, Styrmodell, tuple[str, str]]:
    from reportkit.storage import store
    from reportkit.storage.sent import sent_styrmodell

    new, period = project.period(period_id)
    found = None
    if project.store_path.exists():
        conn = store.connect(project.store_path)
        try:
            found = sent_styrmodell(conn, period.id)
        finally:
            conn.close()
    if found is None:
        raise ReportkitError(problem("diff-no-sent", period=period.id))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "styrmodell" / f"{found.year}.yaml"
        path.parent.mkdir()
        path.write_bytes(found.content)
        old, problems = load_styrmodell(path)
    if old is None:
        raise ReportkitError(problems)
    return old, new, (f"utskick {period.id} ({found.made_at})", f"styrmodell/{new.year}.yaml")


def _write_xlsx(path: Path, result: StyrmodellDiff) -> None:
    """One sheet, one row per change, to attach to the KS/KF decision."""
    import xlsxwriter

    from reportkit.workbook.generate import FIXED_CREATED

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False,
                                            "strings_to_numbers": False})
        wb.set_properties({"title": f"Ändringar i styrmodellen: {result.before} → "
                                    f"{result.after}", "author": "reportkit",
                           "created": FIXED_CREATED})
        ws = wb.add_worksheet("Ändringar")
        bold = wb.add_format({"bold": True})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        ws.write_string(0, 0, f"Ändringar i styrmodellen från {result.before} till "
                              f"{result.after}", bold)
        for c, (header, width) in enumerate(COLUMNS):
            ws.write_string(2, c, header, bold)
            ws.set_column(c, c, width, wrap)
        for r, row in enumerate(result.rows(), start=3):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, max(3, len(result.changes) + 2), len(COLUMNS) - 1)
        wb.close()
        normalize_zip(tmp)


def next_year(root: Path | str, year: int | None = None, *, overwrite: bool = False
              ) -> NextYear:
    """``reportkit nytt-år``: next year's styrmodell
    (:func:`reportkit.styrmodell.next_year.next_year`), without the uppdrag the store says
    were decided finished in the year's helår
    (:func:`reportkit.consolidate.control.closed_assignments`)."""
    from reportkit.consolidate.control import closed_assignments
    from reportkit.styrmodell.next_year import next_year as make_next_year

    project = Project.open(root)
    years = project.years()
    closed = closed_assignments(project, project.styrmodell(
        years[-1] if year is None else year)) if years else {}
    return make_next_year(project.root, year, overwrite=overwrite, closed=closed)
