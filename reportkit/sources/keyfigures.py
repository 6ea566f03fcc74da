"""The ekonomiavdelning's files: nyckeltal for five years, and the bolag's figures."""

from __future__ import annotations

import re

from reportkit.errors import Problem
from reportkit.sources.context import ReadContext
from reportkit.sources.mapping import KeyFigureMapping
from reportkit.sources.records import CompanyFigure, KeyFigure
from reportkit.sources.tables import Rows, Table, normalize_label, parse_number

_COMPANY_FIGURES = {"turnover": "omsättning", "result": "resultat",
                    "total_assets": "balansomslutning", "equity_ratio": "soliditet",
                    "employees": "antal_anställda"}


def read_key_figures(table: Table, ctx: ReadContext, problems: list[Problem]
                     ) -> list[KeyFigure]:
    """Rows by id (``årets_resultat`` …), one column per year headed by the year (utfall), by
    ``Prognos <år>`` or by ``Budget <år>`` / ``Plan <år>``. The latest utfall or prognos year
    must be the budget year (helår: utfall, delår: prognos); a plan's file has only budget
    columns, the first of them the budget year."""
    m = ctx.mapping.key_figures
    rows = Rows(table, problems, "nyckeltal.kolumner")
    if not rows.require(m.columns):
        return []
    columns = _year_columns(table.header, m)
    if not columns:
        rows.fail("export-column-missing", 1, None, column=f"{ctx.year}",
                  found=", ".join(table.header), setting="nyckeltal.prognos")
        return []
    outcome = [year for _, year, kind in columns if kind != "budget"]
    latest = max(outcome) if outcome else min(year for _, year, _ in columns)
    if latest != ctx.year:
        rows.fail("export-period-mismatch", 1, str(latest), found=f"året {latest}",
                  period=ctx.period_id, expected=f"budgetåret {ctx.year} som senaste år")
        return []
    out: list[KeyFigure] = []
    for row, cells in table.rows:
        key = rows.text(cells, "key") or ""
        if not rows.first(key, row, "key", f"Nyckeltalet {key}"):
            continue
        name, unit = rows.text(cells, "name") or key, rows.text(cells, "unit") or ""
        for i, year, kind in columns:
            field = f"{kind}_{year}"
            rows.index[field], rows.names[field] = i, table.header[i]
            value = rows.number(row, cells, field)
            if value is not None:
                out.append(KeyFigure(key, name, unit, year, kind, value))  # type: ignore[arg-type]
    return out


def _year_columns(header: tuple[str, ...] | list[str], m: KeyFigureMapping
                  ) -> list[tuple[int, int, str]]:
    """(column, year, kind) of each year column: ``2025`` utfall, ``Prognos 2026`` prognos,
    ``Budget 2026`` or ``Plan 2027`` budget (a plan's years are all budget)."""
    def prefixed(*prefixes: str) -> re.Pattern[str]:
        words = "|".join(re.escape(normalize_label(p)) for p in prefixes)
        return re.compile(rf"^(?:{words})\s*(\d{{4}})$")

    forecast = prefixed(m.forecast_prefix)
    budget = prefixed(m.budget_prefix, m.plan_prefix)
    columns: list[tuple[int, int, str]] = []
    for i, head in enumerate(header):
        label = normalize_label(head)
        if re.fullmatch(r"\d{4}", label):
            columns.append((i, int(label), "utfall"))
        elif found := forecast.match(label):
            columns.append((i, int(found.group(1)), "prognos"))
        elif found := budget.match(label):
            columns.append((i, int(found.group(1)), "budget"))
    return columns


def read_companies(table: Table, ctx: ReadContext, problems: list[Problem]
                   ) -> list[CompanyFigure]:
    """Bolag by id or name as in the styrmodell, one row per bolag and year."""
    m = ctx.mapping.companies
    rows = Rows(table, problems, "bolag.kolumner")
    if not rows.require(m.columns):
        return []
    known = {normalize_label(k): k for k in ctx.org.companies}
    known.update({normalize_label(v): k for k, v in ctx.org.companies.items()})
    out: list[CompanyFigure] = []
    for row, cells in table.rows:
        name = rows.text(cells, "company") or ""
        company = known.get(normalize_label(name))
        if company is None:
            rows.fail("export-unknown-unit", row, "company", name=name,
                      known=", ".join(ctx.org.companies) or "inga bolag")
            continue
        try:
            year_value = parse_number(rows.raw(cells, "year"))
        except ValueError:
            year_value = None
        if year_value is None or not float(year_value).is_integer():
            rows.fail("export-not-number", row, "year", value=rows.raw(cells, "year"))
            continue
        year = int(year_value)
        if not rows.first((company, year), row, "company", f"{name} {year}"):
            continue
        for field, key in _COMPANY_FIGURES.items():
            value = rows.number(row, cells, field)
            if value is not None:
                out.append(CompanyFigure(company, year, key, value))
    return out
