"""The values of indicators whose ``källa`` is an export figure or Kolada, per measuring unit.

What :func:`reportkit.styrmodell.source.source_of` says an indicator's source is, this module
turns into a figure: from the period's stored exports (``nyckeltal:<id>`` as the finansiella
mål were measured, ``sjukfrånvaro:<mått>`` from the HR export, the measuring unit's own
share), or from ``data/kolada.csv``. The roll-up uses these in place of what a workbook says,
the prefill writes them locked into the workbooks, so the styrkort, the roll-up and every
document show one figure.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportkit.consolidate import economy as eco
from reportkit.formats import percent_points
from reportkit.sources.records import ExportData, HrRow, SourceRef
from reportkit.storage import queries
from reportkit.styrmodell.periods import is_interim
from reportkit.styrmodell.source import (
    GENDERS,
    Source,
    check_by_gender,
    gender_text,
    source_of,
)

if TYPE_CHECKING:
    from reportkit.sources.kolada import KoladaValue
    from reportkit.sources.mapping import ImportMapping
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.config import Indicator, Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project


@dataclass(frozen=True)
class SourcedValue:
    """One measuring unit's value of an export- or Kolada-sourced indicator.

    ``actual`` and ``forecast`` as a workbook would hold them (percent in percent points);
    ``refs`` where the figure was read; ``year`` the year the value is for (older than the
    period's year: "senaste tillgängliga värde"); ``note`` why there is no value ("" when
    there is one); ``fetched`` the Kolada fetch date."""

    indicator_id: str
    unit_id: str
    source: Source
    actual: float | None
    forecast: float | None
    refs: tuple[SourceRef, ...]
    year: int | None
    note: str = ""
    fetched: str = ""
    by_gender: tuple[tuple[str, float | None], ...] = ()
    """``kön: ja``: (("K", kvinnor), ("M", män)) beside the total, ``None`` where not shown."""

    @property
    def on_forecast(self) -> bool:
        """Assessed on the forecast (the ekonom's helårsprognos in a delår)."""
        return self.actual is None and self.forecast is not None

    def cell(self) -> str:
        """``rad 7, kolumn Sjukfrånvaro timmar och 3 värden till`` ("" without a figure)."""
        if not self.refs:
            return ""
        src = self.refs[0]
        text = f"rad {src.row}, kolumn {src.column}"
        if len(self.refs) > 1:
            text += f" och {len(self.refs) - 1} värden till"
        return text

    def where(self) -> str:
        """``personalexporten (sjukfrånvaro), hr-sjukfranvaro.csv, rad 7 …``, and "senaste
        tillgängliga värde (2025)" when the value is older than ``year``."""
        parts = [self.source.where]
        if self.refs:
            parts.append(f"{self.refs[0].file}, {self.cell()}")
        if self.fetched:
            parts.append(f"hämtad {self.fetched}")
        return ", ".join(parts)

    def gender_text(self, unit: str, decimals: int | None,
                    words: dict[str, str] | None = None) -> str:
        """``kvinnor 7,8 %, män 4,1 %`` for ``kön: ja`` ("" otherwise), in the kommun's
        ``words`` (:func:`~reportkit.styrmodell.source.gender_text`)."""
        return gender_text(self.by_gender, unit, decimals, words)


def sourced_values(conn: sqlite3.Connection, model: Styrmodell, period: Period,
                   version: Decision | None = None) -> dict[tuple[str, str], SourcedValue]:
    """Every export- or Kolada-sourced indicator's value per measuring unit, by (indicator
    id, unit id); a plan has none. A unit without a figure gets a value of ``None`` with the
    reason in ``note`` (shown as "ej hämtat")."""
    if period.type == "plan":
        return {}
    from reportkit.consolidate.exports import stored_exports
    from reportkit.sources.mapping import ImportMapping

    data_dir = _data_dir(conn)
    mapping = mapping_for(conn, data_dir, version) or ImportMapping()
    wanted = []
    for ind, goal_id in model.indicators.values():
        src = source_of(ind, mapping.financial_goals)
        if src.locked:
            wanted.append((ind, goal_id, src))
    if not wanted:
        return {}
    data = stored_exports(conn, period.id, version=version) \
        if any(s.kind == "export" for _, _, s in wanted) else ExportData(period=period.id)
    kolada: list[KoladaValue] = []
    if any(s.kind == "kolada" for _, _, s in wanted) and data_dir is not None:
        from reportkit.sources.kolada import read_kolada

        kolada = read_kolada(data_dir)[0]
    figures = _Figures(model, period, data, mapping, kolada)
    out: dict[tuple[str, str], SourcedValue] = {}
    for ind, goal_id, src in wanted:
        goal = model.goals[goal_id]
        for unit in model.measuring_units(ind, goal):
            out[(ind.id, unit.id)] = figures.value(ind, src, unit.id)
    return out


class _Figures:
    """The period's export figures, computed once and asked per indicator and unit."""

    def __init__(self, model: Styrmodell, period: Period, data: ExportData,
                 mapping: ImportMapping, kolada: list[KoladaValue]) -> None:
        self.model, self.period, self.data, self.kolada = model, period, data, kolada
        self.interim = is_interim(period.type)
        self.year = model.year
        self.basis = "prognos" if self.interim else "utfall"
        self.lines = eco.drift_lines(data.drift, interim=self.interim)
        self.outcomes = eco.financial_outcomes(data.key_figures, self.year, kind=self.basis,
                                               drift=self.lines)
        self.key_figures = {(f.key, f.year, f.kind): f for f in data.key_figures}
        self.sick = {s.unit: s for s in eco.sick_leave(
            data.hr, threshold=mapping.hr.threshold, kommun=model.kommun.id)}

    def value(self, ind: Indicator, src: Source, unit_id: str) -> SourcedValue:
        if src.kind == "kolada":
            return self._kolada(ind, src, unit_id)
        if src.figure_kind == "sjukfrånvaro":
            return self._sick_leave(ind, src, unit_id)
        return self._key_figure(ind, src, unit_id)

    def _key_figure(self, ind: Indicator, src: Source, unit_id: str) -> SourcedValue:
        from reportkit.consolidate.exports import _figure_value

        year, basis = self.year, self.basis
        if ind.measurement_year == "föregående":
            year, basis = self.year - 1, "utfall"
        value, refs, note = _figure_value(src.figure_arg, year, basis, self.key_figures,
                                          self.outcomes, self.lines)
        if value is None:
            return SourcedValue(ind.id, unit_id, src, None, None, (), None,
                                note or "ej hämtat")
        forecast_only = basis == "prognos"
        return SourcedValue(ind.id, unit_id, src, None if forecast_only else value, value,
                            tuple(refs), year)

    def _sick_leave(self, ind: Indicator, src: Source, unit_id: str) -> SourcedValue:
        if not self.data.hr:
            return SourcedValue(ind.id, unit_id, src, None, None, (), None,
                                f"ej hämtat: personalexporten är inte inläst för "
                                f"{self.period.id}")
        scope = self.sick.get(unit_id)
        if scope is None:
            return SourcedValue(ind.id, unit_id, src, None, None, (), None,
                                f"ej hämtat: personalexporten har inga rader för "
                                f"{self.model.units[unit_id].name}")
        ratio = scope.ratio(src.figure_arg)
        if ratio.value is None:
            why = "färre anställda än sekretessgränsen" if ratio.suppressed else \
                "inga timmar"
            return SourcedValue(ind.id, unit_id, src, None, None, (), None,
                                f"ej hämtat: {ratio.label.lower()} visas inte ({why})")
        group = dict((k, g) for k, _, g in eco.SICK_RATIOS)[ratio.key]
        kommun = self.model.kommun.id
        refs = tuple(r.sick_hours.source for r in self.data.hr if r.group == group and (
            unit_id == kommun or r.committee == unit_id or r.unit == unit_id))
        # in percent points as the personnel table shows them (its decimals: the indicator's)
        split = tuple((g, None if (v := scope.ratio(key).value) is None
                       else percent_points(v, ind.decimals)) for g, key in GENDERS) \
            if ind.by_gender and check_by_gender(ind.source) is None else ()
        return SourcedValue(ind.id, unit_id, src, percent_points(ratio.value, ind.decimals),
                            None, refs, self.year, by_gender=split)

    def _kolada(self, ind: Indicator, src: Source, unit_id: str) -> SourcedValue:
        from reportkit.sources.kolada import newest

        year = self.year - (1 if ind.measurement_year == "föregående" else 0)
        found = newest(self.kolada, src.kpi, year)
        if found is None:
            return SourcedValue(ind.id, unit_id, src, None, None, (), None,
                                f"ej hämtat: inget värde för {src.kpi} i data/kolada.csv")
        split = tuple((g, v.value if (v := newest(self.kolada, src.kpi, found.year, g)) is not
                       None and v.year == found.year else None)
                      for g, _ in GENDERS) if ind.by_gender else ()
        return SourcedValue(ind.id, unit_id, src, found.value, None, (found.source,),
                            found.year, fetched=found.fetched, by_gender=split)


def helar_period_of(project: Project | None, year: int) -> str:
    """The helår period id of ``year``: from that year's styrmodell when the project has it,
    else the convention ``<år>-helår``."""
    if project is not None and year in project.years():
        for p in project.styrmodell(year).config.periods:
            if p.type == "helår":
                return p.id
    return f"{year}-helår"


def earlier_hr(project: Project, model: Styrmodell, period_id: str, year: int,
               mapping: ImportMapping) -> list[HrRow]:
    """The HR export of an earlier year's helår that was never consolidated, read from
    ``data/<period_id>/`` with the budget year's org tree (the ansvar codes); the period text
    from ``import.yaml: perioder`` or ``periodformat`` over the whole year. Empty when the file
    is missing or has a fel (the year then shows "–", as before)."""
    import datetime as dt

    from reportkit.sources.exports import read_exports

    folder = project.root / "data"
    if not (folder / period_id).is_dir():
        return []
    text = mapping.periods.get(period_id) or mapping.period_format.format(
        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    own = mapping.model_copy(update={"periods": {**mapping.periods, period_id: text}})
    data = read_exports(folder, period_id, model, own, kinds=("personal",))
    if any(p.is_error for p in data.problems):
        return []
    return list(data.hr)


def earlier_years(conn: sqlite3.Connection, model: Styrmodell,
                  sourced: dict[tuple[str, str], SourcedValue], years: int = 2
                  ) -> dict[tuple[str, str], dict[int, float]]:
    """The years before of each sjukfrånvaro-sourced indicator, per measuring unit, from the
    same HR exports the documents' personnel table shows for those years (the helår period's
    stored export, else ``data/<år>-helår/`` as it lies): so a trend and the table agree.
    Other sources keep their history (the history file, the store)."""
    wanted = {k: v for k, v in sourced.items() if v.source.figure_kind == "sjukfrånvaro"}
    data_dir = _data_dir(conn)
    if not wanted or data_dir is None:
        return {}
    from reportkit.consolidate.exports import stored_exports
    from reportkit.sources.mapping import ImportMapping
    from reportkit.styrmodell.project import Project

    project = Project(data_dir.parent)
    mapping = mapping_for(conn, data_dir, None) or ImportMapping()
    out: dict[tuple[str, str], dict[int, float]] = {}
    for year in range(model.year - years, model.year):
        period_id = helar_period_of(project, year)
        hr = stored_exports(conn, period_id, kinds=("personal",)).hr or \
            earlier_hr(project, model, period_id, year, mapping)
        scopes = {s.unit: s for s in eco.sick_leave(hr, threshold=mapping.hr.threshold,
                                                    kommun=model.kommun.id)}
        for (ind_id, unit_id), v in wanted.items():
            scope = scopes.get(unit_id)
            value = scope.ratio(v.source.figure_arg).value if scope is not None else None
            if value is not None:
                decimals = model.indicators[ind_id][0].decimals
                out.setdefault((ind_id, unit_id), {})[year] = percent_points(value, decimals)
    return out


def _data_dir(conn: sqlite3.Connection) -> Path | None:
    """The project's ``data/`` beside the store (``<projekt>/reportkit.sqlite``); None for an
    in-memory store."""
    path = queries.database_path(conn)
    return path.parent / "data" if path else None


def mapping_for(conn: sqlite3.Connection, data_dir: Path | None, version: Decision | None
                ) -> ImportMapping | None:
    """The import mapping in use: a decided version's archived one, else ``data/import.yaml``."""
    from reportkit.storage.decisions import mapping_in_use

    return mapping_in_use(conn, data_dir, version)
