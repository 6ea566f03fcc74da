"""What every reader of one period's exports shares: the org, the mapping, the period; and
:func:`economy_for`, the documents' way in to the loaded economy and personnel figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportkit.sources.mapping import ImportMapping
from reportkit.sources.records import OrgIndex
from reportkit.sources.tables import Cell, Rows

if TYPE_CHECKING:
    from reportkit.consolidate.decisions import Decision
    from reportkit.project import Project
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell


def economy_for(project: Project, model: Styrmodell, period: Period, version: Decision | None = None
                ) -> Any:
    """The period's :class:`reportkit.documents.reportdata.Economy` from the project's store,
    as ``reportkit consolidate`` loaded the exports (see :mod:`reportkit.sources.report`).
    The import mapping (``data/import.yaml``) gives the sekretessgräns and the reserve rows;
    its own problems were reported by consolidate. For a decided ``version`` the exports
    and the import mapping it froze are used."""
    from reportkit.consolidate import store
    from reportkit.sources.report import build_economy

    conn = store.connect(project.store_path)
    try:
        from reportkit.consolidate.decisions import mapping_in_use

        mapping = mapping_in_use(conn, project.root / "data", version)
        return build_economy(conn, model, period, mapping, project, version=version)
    finally:
        conn.close()


@dataclass
class ReadContext:
    """``period_text`` is what the exports' period column must hold (``None``: not checked,
    which :func:`reportkit.sources.exports.read_exports` has already reported). ``interim`` is
    true for delår and tertial, whose drift export carries a helårsprognos."""

    org: OrgIndex
    mapping: ImportMapping
    period_id: str
    year: int
    period_text: str | None
    interim: bool


class PeriodCheck:
    """Reports the first row whose period differs from the expected one, once per file."""

    def __init__(self, ctx: ReadContext, rows: Rows):
        self.ctx = ctx
        self.rows = rows
        self.reported = False

    def __call__(self, row: int, cells: tuple[Cell, ...]) -> None:
        if self.reported or self.ctx.period_text is None or not self.rows.has("period"):
            return
        found = self.rows.text(cells, "period")
        if found != self.ctx.period_text:
            self.reported = True
            self.rows.fail("export-period-mismatch", row, "period", found=found or "(tom)",
                           period=self.ctx.period_id, expected=self.ctx.period_text)


def unit_for(ctx: ReadContext, rows: Rows, row: int, cells: tuple[Cell, ...]
             ) -> tuple[str, str, str] | None:
    """``(ansvar code, unit id, committee id)`` of the row, or None after reporting it."""
    code = rows.text(cells, "ansvar")
    unit = ctx.org.ansvar.get(code) if code else None
    if unit is None:
        rows.fail("export-unknown-ansvar", row, "ansvar", ansvar=code or "(tom)")
        return None
    return code or "", unit, ctx.org.committee.get(unit, unit)
