"""The Kolada comparison in the documents: each KF-mål's indicators with a Kolada id beside
the comparison group's lowest, median and highest value, riket's, and the kommun's place.

Read from the store only (what ``reportkit kolada hämta`` kept; a decided version reads what
was kept when it was decided), never from the network. The year compared is the newest with
the kommun's value, at most the period's year (the indicator's ``mätår: föregående`` one
before): cost figures of year N arrive April–August of N+1, so an årsredovisning in April
mostly compares N−1, and the documents show the year (docs/kolada.md). The group's min and max
are Kolada's values; the median is our own calculation ("Egen beräkning på data från
Kolada"); a kommun without a value ("Missing") is left out of min, median, max and rank.
"""

from __future__ import annotations

import sqlite3
import statistics
from typing import TYPE_CHECKING

from reportkit.documents.reportdata import Comparison, ReportData
from reportkit.storage import kolada as kept
from reportkit.styrmodell.source import kolada_kpi

if TYPE_CHECKING:
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.model import Styrmodell

TREND_YEARS = 5

_Values = dict[tuple[str, str, int], kept.StoredValue]


def attach_comparisons(conn: sqlite3.Connection, model: Styrmodell, data: ReportData,
                       decision: Decision | None = None) -> None:
    """Fill ``data``'s KF-mål ``comparisons`` and ``comparison_group`` from the store."""
    upto = kept.frozen_at(conn, decision)
    fetch = kept.latest_fetch(conn, upto)
    code = model.config.kommun.code
    if fetch is None or not code:
        return
    values: _Values = {(v.kpi, v.municipality, v.year): v
                       for v in kept.current_values(conn, upto) if v.gender == "T"}
    members = [c for c, _name in fetch.members if c != code]
    data.comparison_group = fetch.group_title
    for goal in data.kf_goals():
        for ind in goal.indicators:
            cfg = model.indicators[ind.id][0]
            kpi = kolada_kpi(cfg)
            if not kpi:
                continue
            limit = data.period.year - (1 if cfg.measurement_year == "föregående" else 0)
            row = Comparison(ind.id, ind.name, kpi, ind.unit, ind.decimals,
                             lower_is_better=ind.lower_is_better, group_size=len(members))
            _fill(row, values, code, members, limit)
            goal.comparisons.append(row)


def _fill(row: Comparison, values: _Values, code: str, members: list[str], limit: int) -> None:
    years = sorted({y for (k, _m, y) in values if k == row.kpi and y <= limit})
    own_years = [y for y in years if _value(values, row.kpi, code, y) is not None]
    group_years = [y for y in years if any(_value(values, row.kpi, m, y) is not None
                                           for m in members)]
    year = max(own_years or group_years, default=None)
    for y in years[-TREND_YEARS:]:
        row.trend[y] = (_value(values, row.kpi, code, y),
                        _median(_group(values, row.kpi, members, y)))
    if year is None:
        return
    row.year = year
    own = values.get((row.kpi, code, year))
    row.own = own.value if own else None
    row.own_status = own.status if own else ""
    group = _group(values, row.kpi, members, year)
    if group:
        row.low, row.high, row.median = min(group), max(group), _median(group)
    row.riket = _value(values, row.kpi, "0000", year)
    found = [v.fetched_at for (k, _m, y), v in values.items() if k == row.kpi and y == year]
    row.fetched = max(found)[:10] if found else ""
    if row.own is not None:
        ranked = [*group, row.own]
        better = [v for v in group if (v < row.own if row.lower_is_better else v > row.own)]
        row.rank, row.ranked = len(better) + 1, len(ranked)


def _value(values: _Values, kpi: str, code: str, year: int) -> float | None:
    found = values.get((kpi, code, year))
    return found.value if found is not None else None


def _group(values: _Values, kpi: str, members: list[str], year: int) -> list[float]:
    return [v for m in members if (v := _value(values, kpi, m, year)) is not None]


def _median(group: list[float]) -> float | None:
    return float(statistics.median(group)) if group else None
