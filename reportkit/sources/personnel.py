"""The HR system's export: headcount and hours per verksamhet and group, for sjukfrånvaro.

Sick hours come only from here, never from the units' workbooks. The export holds the true
numbers for every group, small ones too; hiding groups that would point to a person happens
when the ratios are computed (:func:`reportkit.consolidate.economy.sick_leave`).
"""

from __future__ import annotations

from reportkit.errors import Problem
from reportkit.formats import format_number
from reportkit.sources.context import PeriodCheck, ReadContext, unit_for
from reportkit.sources.records import (
    AGE_29,
    AGE_30_49,
    AGE_50,
    MEN,
    TOTAL,
    WOMEN,
    HrRow,
)
from reportkit.sources.tables import Rows, Table, normalize_label

_NUMBERS = ("headcount", "ordinary_hours", "sick_hours", "long_sick_hours")


def read_hr(table: Table, ctx: ReadContext, problems: list[Problem]) -> list[HrRow]:
    """One row per verksamhet and group. Checks: known group, no duplicate, women + men and
    the three age groups each add up to the Totalt row, and no part exceeds its whole
    (sick hours ≤ ordinary hours, 60-day hours ≤ sick hours)."""
    m = ctx.mapping.hr
    rows = Rows(table, problems, "personal.kolumner")
    if not rows.require(m.columns):
        return []
    group_keys = {normalize_label(label): key for key, label in (
        (WOMEN, m.groups.women), (MEN, m.groups.men), (AGE_29, m.groups.age_29),
        (AGE_30_49, m.groups.age_30_49), (AGE_50, m.groups.age_50), (TOTAL, m.groups.total))}
    check_period = PeriodCheck(ctx, rows)
    out: list[HrRow] = []
    broken: set[str] = set()
    for row, cells in table.rows:
        check_period(row, cells)
        label = rows.text(cells, "group") or ""
        group = group_keys.get(normalize_label(label))
        if group is None:
            rows.fail("export-invalid-value", row, "group", value=label, reason="okänd grupp",
                      expected="en av " + ", ".join(m.groups.model_dump().values()))
            continue
        where = unit_for(ctx, rows, row, cells)
        if where is None:
            continue
        code, unit, committee = where
        if not rows.first((unit, group), row, "group", f"Ansvar {code}, {label}"):
            continue
        values = {name: rows.number(row, cells, name) for name in _NUMBERS}
        if any(v is None for v in values.values()):
            broken.add(unit)
            continue
        item = HrRow(unit, committee, group, **values)  # type: ignore[arg-type]
        _check_parts(item, rows, row)
        out.append(item)
    _check_groups(out, rows, broken)
    return out


def _check_parts(item: HrRow, rows: Rows, row: int) -> None:
    for part, whole, reason in (
            (item.sick_hours, item.ordinary_hours, "fler sjuktimmar än ordinarie arbetstid"),
            (item.long_sick_hours, item.sick_hours, "fler timmar i långa sjukfall än "
                                                    "sjuktimmar totalt")):
        if (part.value or 0) > (whole.value or 0):
            rows.fail("export-invalid-value", row, part.source.column,
                      value=format_number(part.value), reason=reason,
                      expected=f"högst {format_number(whole.value)}")


def _check_groups(out: list[HrRow], rows: Rows, broken: set[str]) -> None:
    by_unit: dict[str, dict[str, HrRow]] = {}
    for item in out:
        by_unit.setdefault(item.unit, {})[item.group] = item
    for unit, groups in by_unit.items():
        total = groups.get(TOTAL)
        if unit in broken or total is None:
            continue
        for parts, what in (((WOMEN, MEN), "kvinnor och män"),
                            ((AGE_29, AGE_30_49, AGE_50), "åldersgrupperna")):
            if not all(p in groups for p in parts):
                continue
            for name in _NUMBERS:
                whole: float = getattr(total, name).value or 0.0
                found = sum(getattr(groups[p], name).value or 0.0 for p in parts)
                if abs(found - whole) > 0.5:
                    source = getattr(total, name).source
                    rows.fail("export-total-mismatch", source.row, name,
                              what=f"{unit}, {what}, {source.column}",
                              sum=format_number(found), total=format_number(whole),
                              diff=format_number(found - whole))
