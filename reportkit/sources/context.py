"""What every reader of one period's exports shares: the org, the mapping, the period; and
:func:`economy_for`, the documents' way in to the loaded economy and personnel figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportkit.sources.mapping import ImportMapping
from reportkit.sources.records import OrgIndex
from reportkit.sources.tables import Cell, Rows

if TYPE_CHECKING:
    pass


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
