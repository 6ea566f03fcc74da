"""The ekonomisystem's exports: drift per ansvar, investeringar, KF's ramar, investeringsplan."""

from __future__ import annotations

import re

from reportkit.errors import Problem
from reportkit.formats import format_number
from reportkit.sources.context import PeriodCheck, ReadContext, unit_for
from reportkit.sources.records import (
    DriftLevel,
    DriftRow,
    Frame,
    Investment,
    PlannedInvestment,
    Value,
)
from reportkit.sources.tables import Rows, Table, normalize_label

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DRIFT_SUMS = ("internal_budget", "budget_changes", "actual", "forecast")


def read_drift(table: Table, ctx: ReadContext, problems: list[Problem]) -> list[DriftRow]:
    """Rows of the drift export; checks that the detail rows of each nämnd add up to its total
    row in every money column (within ``tolerans_tkr``) and that internbudget adds up to KF's
    ram. Net cost is stored positive (the export's sign is flipped for ``kostnad_negativ``)."""
    m = ctx.mapping.drift
    rows = Rows(table, problems, "drift.kolumner")
    optional = () if ctx.interim else ("forecast",)
    if not rows.require(m.columns, optional=optional):
        return []
    sign = -1.0 if m.sign == "kostnad_negativ" else 1.0
    levels: dict[str, DriftLevel] = {normalize_label(m.committee_level): "nämnd",
                                     normalize_label(m.detail_level): "verksamhet"}
    check_period = PeriodCheck(ctx, rows)
    out: list[DriftRow] = []
    rows_ok: dict[str, bool] = {}
    for row, cells in table.rows:
        check_period(row, cells)
        level_text = rows.text(cells, "level") or ""
        level = levels.get(normalize_label(level_text))
        if level is None:
            rows.fail("export-invalid-value", row, "level", value=level_text,
                      reason="okänd nivå",
                      expected=f"'{m.committee_level}' eller '{m.detail_level}'")
            continue
        where = unit_for(ctx, rows, row, cells)
        if where is None:
            continue
        code, unit, committee = where
        if not rows.first((level, unit), row, "ansvar", f"Ansvar {code}"):
            continue
        values: dict[str, Value] = {}
        good = True
        for name in ("kf_budget", "internal_budget", "budget_changes", "actual", "forecast"):
            if not rows.has(name):
                continue
            value = rows.number(row, cells, name)
            if value is None:
                good = False
                continue
            if value.value is not None:
                value = Value(sign * value.value + 0.0, value.source)
            values[name] = value
        if not good:
            rows_ok[committee] = False
            continue
        rows_ok.setdefault(committee, True)
        out.append(DriftRow(unit, committee, code, rows.text(cells, "name") or "", level,
                            values["kf_budget"], values["internal_budget"],
                            values["budget_changes"], values["actual"], values.get("forecast")))
    _check_totals(out, rows, rows_ok, m.tolerance)
    return out


def _check_totals(out: list[DriftRow], rows: Rows, rows_ok: dict[str, bool],
                  tolerance: float) -> None:
    for total in (r for r in out if r.level == "nämnd"):
        if not rows_ok.get(total.committee, True):
            continue  # a row already reported as broken would only repeat itself here
        details = [r for r in out if r.level == "verksamhet" and r.committee == total.committee]
        if not details:
            continue
        checks = [(name, getattr(total, name), [getattr(d, name) for d in details])
                  for name in _DRIFT_SUMS if getattr(total, name) is not None]
        checks.append(("kf_budget", total.kf_budget, [d.internal_budget for d in details]))
        for name, total_value, parts in checks:
            if total_value.value is None:
                continue
            found = sum(p.value or 0.0 for p in parts)
            diff = found - total_value.value
            if abs(diff) > tolerance:
                label = rows.names.get(name, name)
                what = (f"{total.name}, internbudget mot KF-ram" if name == "kf_budget"
                        else f"{total.name}, {label}")
                rows.fail("export-total-mismatch", total_value.source.row, name, what=what,
                          sum=_tkr(found), total=_tkr(total_value.value), diff=_tkr(diff))


def _tkr(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def read_investments(table: Table, ctx: ReadContext, problems: list[Problem]
                     ) -> list[Investment]:
    """Projects with budget, utfall and prognos for the year, and for fleråriga projects the
    beslutad and beräknad totalutgift (tkr, gross expenditure, positive)."""
    m = ctx.mapping.investments
    rows = Rows(table, problems, "investeringar.kolumner")
    if not rows.require(m.columns):
        return []
    check_period = PeriodCheck(ctx, rows)
    yes, no = {"ja", "j", "x", "1"}, {"nej", "n", "", "0"}
    out: list[Investment] = []
    for row, cells in table.rows:
        check_period(row, cells)
        project_id = rows.text(cells, "project_id")
        if not project_id:
            rows.fail("export-invalid-value", row, "project_id", value="",
                      reason="projekt-id saknas", expected="projektets id ur ekonomisystemet")
            continue
        if not rows.first(project_id, row, "project_id", f"Projekt {project_id}"):
            continue
        where = unit_for(ctx, rows, row, cells)
        flag = normalize_label(rows.text(cells, "multi_year") or "")
        if flag not in yes | no:
            rows.fail("export-invalid-value", row, "multi_year", value=flag,
                      reason="ska vara ja eller nej", expected="Ja eller Nej")
            continue
        budget, actual, forecast, decided, estimated = (
            rows.number(row, cells, name)
            for name in ("budget", "actual", "forecast", "decided_total", "estimated_total"))
        if (where is None or budget is None or actual is None or forecast is None
                or decided is None or estimated is None):
            continue
        _, unit, committee = where
        out.append(Investment(project_id, rows.text(cells, "name") or "", unit, committee,
                              budget, actual, forecast, decided, estimated,
                              row=row, multi_year=flag in yes))
    return out


def _year_columns(table: Table) -> dict[int, int]:
    years: dict[int, int] = {}
    for i, head in enumerate(table.header):
        found = _YEAR.search(head)
        if found:
            years[int(found.group(1))] = i
    return years


def _check_first_year(table: Table, years: dict[int, int], ctx: ReadContext,
                      rows: Rows) -> bool:
    if not years:
        rows.fail("export-column-missing", 1, None, column=f"(en kolumn per år, {ctx.year}–)",
                  found=", ".join(table.header), setting=rows.key)
        return False
    if min(years) != ctx.year:
        rows.fail("export-period-mismatch", 1, table.header[years[min(years)]],
                  found=f"åren {min(years)}–{max(years)}", period=ctx.period_id,
                  expected=f"budgetåret {ctx.year} som första år")
        return False
    return True


def _plan_values(table: Table, rows: Rows, years: dict[int, int], row: int,
                 cells: tuple) -> dict[int, Value] | None:
    out: dict[int, Value] = {}
    for year, i in sorted(years.items()):
        name = f"year_{year}"
        rows.index[name], rows.names[name] = i, table.header[i]
        value = rows.number(row, cells, name)
        if value is None:
            return None
        out[year] = value
    return out


def read_frames(table: Table, ctx: ReadContext, problems: list[Problem]) -> list[Frame]:
    """KF's ramar per nämnd: one column per plan year, the first being the budget year."""
    rows = Rows(table, problems, "ramar.kolumner")
    if not rows.require(ctx.mapping.frames.columns):
        return []
    years = _year_columns(table)
    if not _check_first_year(table, years, ctx, rows):
        return []
    out: list[Frame] = []
    for row, cells in table.rows:
        where = unit_for(ctx, rows, row, cells)
        if where is None:
            continue
        if not rows.first(where[1], row, "ansvar", f"Ansvar {where[0]}"):
            continue
        values = _plan_values(table, rows, years, row, cells)
        for year, value in (values or {}).items():
            out.append(Frame(where[1], year, value))
    return out


def read_investment_plan(table: Table, ctx: ReadContext, problems: list[Problem]
                         ) -> list[PlannedInvestment]:
    """The investeringsplan: per project one column per plan year, tkr."""
    rows = Rows(table, problems, "investeringsplan.kolumner")
    if not rows.require(ctx.mapping.investment_plan.columns):
        return []
    years = _year_columns(table)
    if not _check_first_year(table, years, ctx, rows):
        return []
    out: list[PlannedInvestment] = []
    for row, cells in table.rows:
        project_id = rows.text(cells, "project_id") or ""
        if not rows.first(project_id, row, "project_id", f"Projekt {project_id}"):
            continue
        where = unit_for(ctx, rows, row, cells)
        values = _plan_values(table, rows, years, row, cells)
        if where is None or values is None:
            continue
        name = rows.text(cells, "name") or ""
        out.extend(PlannedInvestment(project_id, name, where[1], year, value)
                   for year, value in values.items())
    return out
