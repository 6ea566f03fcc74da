"""The kommun's exports in the history store: load, read back, status, explain (issue 12).

:func:`load_exports` reads ``data/<period>/`` with :func:`reportkit.sources.read_exports` and
stores each export as one ``export_load`` with its rows, the same way workbooks are stored:

- every value keeps its provenance: file, SHA-256 and load time on the load, the row on the
  record, the column in ``export_load.columns`` (or, for year columns, on the record);
- a file whose SHA-256 is already loaded for the period and kind is not stored again, so a
  re-run with the same exports changes nothing;
- a changed export replaces the earlier load of the same period and kind, which stays as
  history (``state = 'ersatt'``, ``replaced_by``);
- an export with a fel is stored as ``state = 'fel'`` with its problems and **without** its
  rows: a figure for KF never comes from an export known to be wrong. The earlier good load
  of that kind, if any, stays in use until a corrected export is loaded.

:func:`stored_exports` reads the active loads back into the same records the readers give
(:class:`reportkit.sources.ExportData`), so every computation runs on what was loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.consolidate import economy as eco
from reportkit.consolidate import koncern as kc
from reportkit.errors import Problem, ReportkitError, problem
from reportkit.formats import format_number, format_percent, format_value
from reportkit.sources.exports import KINDS, STATEMENTS, period_kinds
from reportkit.sources.mapping import ImportMapping, load_mapping
from reportkit.sources.records import (
    CompanyFigure,
    DriftRow,
    ExportData,
    Frame,
    HrRow,
    Investment,
    KeyFigure,
    KoncernRow,
    PlannedInvestment,
    SourceRef,
    Value,
)
from reportkit.storage import export_tables
from reportkit.styrmodell.periods import is_interim
from reportkit.styrmodell.source import conflicts, source_of
from reportkit.styrmodell.targets import Target

if TYPE_CHECKING:
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

DATA_DIR = "data"

# kind (import.yaml section) → ExportData attribute
_ATTR = {"drift": "drift", "investeringar": "investments", "personal": "hr",
         "nyckeltal": "key_figures", "ramar": "frames", "investeringsplan": "investment_plan",
         "bolag": "companies", "koncern": "koncern", STATEMENTS: "statements"}
_DRIFT_FIELDS = ("kf_budget", "internal_budget", "budget_changes", "actual", "forecast")
_INVESTMENT_FIELDS = ("budget", "actual", "forecast", "decided_total", "estimated_total")
_HR_FIELDS = ("headcount", "ordinary_hours", "sick_hours", "long_sick_hours")


@dataclass
class ExportLoad:
    """What happened to one export in one run. ``state``: ``inläst`` (new, in use),
    ``oförändrad`` (same SHA-256 as a load already stored), ``fel`` (stored with its
    problems, not used) or ``saknas``. ``replaced`` names the load it replaced."""

    kind: str
    file: str
    state: str
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    replaced: str | None = None


@dataclass
class ExportSummary:
    period: str
    items: list[ExportLoad] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """True when an export of the period has a fel, this run or unchanged since."""
        return any(i.state == "fel" for i in self.items)

    def item(self, kind: str) -> ExportLoad | None:
        return next((i for i in self.items if i.kind == kind), None)

    def summary_line(self) -> str:
        """``Exporterna i data/2026-delår/: 1 inläst, 7 oförändrade.`` for consolidate."""
        from reportkit.formats import counted
        from reportkit.texts import CONSOLIDATE_EXPORTS, EXPORT_STATE_COUNTS, EXPORT_STATES

        counts = {s: sum(1 for i in self.items if i.state == s) for s in EXPORT_STATES}
        return CONSOLIDATE_EXPORTS.format(period=self.period, counts=", ".join(
            counted(n, *EXPORT_STATE_COUNTS[s]) for s, n in counts.items() if n))

    def to_dict(self) -> dict[str, Any]:
        """For ``reportkit consolidate --json``."""
        return {"period": self.period, "exports": [
            {"kind": i.kind, "file": i.file, "state": i.state, "rows": i.rows,
             "errors": i.errors, "warnings": i.warnings, "replaced": i.replaced}
            for i in self.items]}


def _root(project: Project | Path | str) -> Path:
    # (not getattr(project, "root", project): a Path has .root too, "/")
    return Path(project) if isinstance(project, str | os.PathLike) else project.root


def load_exports(conn: sqlite3.Connection, project: Project | Path | str, model: Styrmodell,
                 period_id: str, loaded_at: str, *, mapping: ImportMapping | None = None
                 ) -> tuple[ExportSummary, list[Problem]]:
    """Read ``<project>/data/<period_id>/`` and store what changed; see the module docs.

    Returns the per-export outcome and the problems found in this run: the mapping's, the
    missing exports' (varning), and those of every export that was new or changed. An
    unchanged export is not read into the store again and its problems, stored with it the
    first time, are not repeated. Runs in its own transaction unless ``conn`` is already in
    one (then it is part of the caller's).
    """
    from reportkit.sources import read_exports

    data_dir = _root(project) / DATA_DIR
    problems: list[Problem] = []
    if mapping is None:
        mapping, found = load_mapping(data_dir)
        problems.extend(found)
    problems.extend(check_financial_mapping(mapping, model, data_dir))
    data = read_exports(data_dir, period_id, model, mapping)
    files = {f.file for f in data.files}
    by_file: dict[str, list[Problem]] = {}
    for p in data.problems:
        if p.location.file in files:
            by_file.setdefault(p.location.file, []).append(p)
        else:
            problems.append(p)
    summary = ExportSummary(period_id)
    period = model.period(period_id)
    interim = period is not None and is_interim(period.type)
    tx = _transaction(conn)
    with tx:
        for f in data.files:
            found = by_file.get(f.file, [])
            if f.sha256 is None:
                state = "saknas" if any(p.code == "export-missing" for p in found) else "fel"
                summary.items.append(ExportLoad(f.kind, f.file, state,
                                                errors=sum(p.is_error for p in found)))
                problems.extend(found)
                continue
            old = export_tables.load_by_hash(conn, period_id, f.kind, f.sha256)
            if old is not None:
                summary.items.append(_reuse(conn, old))
                continue
            records = getattr(data, _ATTR[f.kind])
            if f.kind == "nyckeltal" and not any(p.is_error for p in found):
                found = found + _key_figure_warnings(records, model.year, mapping, interim,
                                                     f.file)
            summary.items.append(_insert(conn, period_id, f.kind, f.file, f.sha256, loaded_at,
                                         records, found))
            problems.extend(found)
    return summary, problems


def _transaction(conn: sqlite3.Connection) -> contextlib.AbstractContextManager[Any]:
    from reportkit.storage import store

    return contextlib.nullcontext() if conn.in_transaction else store.transaction(conn)


def _reuse(conn: sqlite3.Connection, old: sqlite3.Row) -> ExportLoad:
    """An export already stored: nothing changes, unless it is an earlier version that was
    replaced and is now back (the ekonom went back to it): then it is in use again."""
    item = ExportLoad(old["kind"], old["file"], "fel" if old["state"] == "fel" else "oförändrad",
                      old["rows"], old["errors"], old["warnings"])
    if old["state"] == "ersatt":
        replaced = export_tables.reactivate(conn, old)
        if replaced is not None:
            item.replaced = replaced
        item.state = "inläst"
    return item


def _insert(conn: sqlite3.Connection, period_id: str, kind: str, file: str, sha256: str,
            loaded_at: str, records: list[Any], found: list[Problem]) -> ExportLoad:
    errors = sum(1 for p in found if p.is_error)
    warnings = len(found) - errors
    state = "fel" if errors else "aktiv"
    columns = _columns(kind, records) if state == "aktiv" else {}
    load_id = export_tables.insert_load(
        conn, (period_id, kind, file, sha256, loaded_at, state, errors, warnings,
               len(records) if state == "aktiv" else 0,
               json.dumps(columns, sort_keys=True, ensure_ascii=False)),
        [(p.code, p.severity, p.location.row, p.location.column, p.message, p.hint)
         for p in found])
    item = ExportLoad(kind, file, "fel" if errors else "inläst", len(records), errors, warnings)
    if state == "fel":
        return item
    previous = export_tables.replace_active(conn, period_id, kind, load_id)
    if previous is not None:
        item.replaced = previous
    _insert_records(conn, load_id, kind, records)
    return item


def _columns(kind: str, records: list[Any]) -> dict[str, str]:
    if not records:
        return {}
    first = records[0]
    names = {"drift": _DRIFT_FIELDS, "investeringar": _INVESTMENT_FIELDS,
             "personal": _HR_FIELDS}.get(kind, ())
    out = {}
    for name in names:
        value = getattr(first, name)
        if value is not None:
            out[name] = value.source.column
    return out


def _v(value: Value | None) -> float | None:
    return None if value is None else value.value


def _insert_records(conn: sqlite3.Connection, load_id: int, kind: str, records: list[Any]
                    ) -> None:
    if kind == "drift":
        export_tables.insert_rows(conn, "export_drift", [
            (load_id, r.actual.source.row, r.level, r.ansvar, r.unit, r.committee, r.name,
             *(_v(getattr(r, n)) for n in _DRIFT_FIELDS)) for r in records])
    elif kind == "investeringar":
        export_tables.insert_rows(conn, "export_investment", [
            (load_id, r.row, r.project_id, r.name, r.unit, r.committee,
             *(_v(getattr(r, n)) for n in _INVESTMENT_FIELDS), int(r.multi_year))
            for r in records])
    elif kind == "personal":
        export_tables.insert_rows(conn, "export_hr", [
            (load_id, r.headcount.source.row, r.unit, r.committee, r.group,
             *(_v(getattr(r, n)) for n in _HR_FIELDS)) for r in records])
    elif kind == "nyckeltal":
        export_tables.insert_rows(conn, "export_key_figure", [
            (load_id, r.value.source.row, r.value.source.column, r.key, r.name, r.unit,
             r.year, r.kind, r.value.value) for r in records])
    elif kind == "ramar":
        export_tables.insert_rows(conn, "export_frame", [
            (load_id, r.value.source.row, r.value.source.column, r.unit, r.year,
             r.value.value) for r in records])
    elif kind == "investeringsplan":
        export_tables.insert_rows(conn, "export_plan", [
            (load_id, r.value.source.row, r.value.source.column, r.project_id, r.name,
             r.unit, r.year, r.value.value) for r in records])
    elif kind == "bolag":
        export_tables.insert_rows(conn, "export_company", [
            (load_id, r.value.source.row, r.value.source.column, r.company, r.year, r.key,
             r.value.value) for r in records])
    elif kind == "koncern":
        export_tables.insert_rows(conn, "export_koncern", [
            (load_id, r.value.source.row, r.value.source.column, r.company, r.statement,
             r.post, r.counterpart, r.value.value) for r in records])


def _key_figure_warnings(figures: list[KeyFigure], year: int, mapping: ImportMapping,
                         interim: bool, file: str) -> list[Problem]:
    """The reserve limit and the balanskrav rows, checked once when the key figures load."""
    out: list[Problem] = []
    years = sorted({f.year for f in figures if f.kind == "utfall"})
    _, found = eco.balance_requirement(figures, years, mapping.balance.reserve_rows)
    out.extend(found)
    if interim:
        _, found = eco.balance_requirement(figures, [year], mapping.balance.reserve_rows,
                                           kind="prognos")
        out.extend(found)
    for y in years:
        limit = eco.check_reserve_limit(figures, y)
        if limit is not None:
            out.append(limit)
    return [problem(p.code, file=file, key=p.location.key, **p.values) for p in out]


def check_financial_mapping(mapping: ImportMapping, model: Styrmodell, data_dir: Path
                            ) -> list[Problem]:
    """``finansiella_mål`` must name indicators of the styrmodell; a figure that is neither
    a computed outcome nor (by its form) a nyckeltal id is caught when the goal is assessed."""
    out = []
    for indicator_id in sorted(mapping.financial_goals):
        if indicator_id not in model.indicators:
            out.append(problem(
                "config-invalid-value", file=f"{data_dir.name}/import.yaml",
                key=f"finansiella_mål.{indicator_id}", value=indicator_id,
                reason="ingen indikator i styrmodellen har det id:t",
                expected="skriv id:t för en indikator under ett finansiellt mål"))
    known = [model.indicators[i][0] for i in sorted(mapping.financial_goals)
             if i in model.indicators]
    for ind_id, said, figure in conflicts(known, mapping.financial_goals):
        out.append(problem("source-conflict", file=f"{data_dir.name}/import.yaml",
                           key=f"finansiella_mål.{ind_id}", indicator=ind_id, source=said,
                           figure=figure))
    return out


def active_loads(conn: sqlite3.Connection, period_id: str, version: Decision | None = None
                 ) -> dict[str, sqlite3.Row]:
    """The export in use per kind for the period, or the ones a decided ``version`` froze."""
    rows = export_tables.active_loads(conn, period_id,
                                      version.id if version is not None else None)
    return {r["kind"]: r for r in rows}


def stored_exports(conn: sqlite3.Connection, period_id: str,
                   kinds: Collection[str] | None = None, version: Decision | None = None
                   ) -> ExportData:
    """The active loads of ``period_id`` (or a decided ``version``'s) as the readers' records,
    with their provenance."""
    data = ExportData(period=period_id)
    for kind, load in active_loads(conn, period_id, version).items():
        if kinds is not None and kind not in kinds:
            continue
        file, sha, lid = load["file"], load["sha256"], load["id"]
        cols: dict[str, str] = json.loads(load["columns"])

        def val(row: int, name: str, value: float | None, col: str | None = None,
                file: str = file, sha: str = sha, cols: dict[str, str] = cols) -> Value:
            return Value(value, SourceRef(file, sha, row, col or cols.get(name, name)))

        def q(table: str, lid: int = lid) -> Iterator[sqlite3.Row]:
            return export_tables.load_rows(conn, table, lid)

        if kind == "drift":
            for r in q("export_drift"):
                v = {n: val(r["row"], n, r[n]) for n in _DRIFT_FIELDS}
                data.drift.append(DriftRow(
                    r["unit_id"], r["committee_id"], r["ansvar"], r["name"], r["level"],
                    v["kf_budget"], v["internal_budget"], v["budget_changes"], v["actual"],
                    v["forecast"] if "forecast" in cols else None))
        elif kind == "investeringar":
            for r in q("export_investment"):
                v = {n: val(r["row"], n, r[n]) for n in _INVESTMENT_FIELDS}
                data.investments.append(Investment(
                    r["project_id"], r["name"], r["unit_id"], r["committee_id"],
                    row=r["row"], multi_year=bool(r["multi_year"]), **v))
        elif kind == "personal":
            for r in q("export_hr"):
                v = {n: val(r["row"], n, r[n]) for n in _HR_FIELDS}
                data.hr.append(HrRow(r["unit_id"], r["committee_id"], r["grp"], **v))
        elif kind == "nyckeltal":
            for r in q("export_key_figure"):
                data.key_figures.append(KeyFigure(
                    r["key"], r["name"], r["unit"], r["year"], r["kind"],
                    val(r["row"], r["key"], r["value"], r["col"])))
        elif kind == "ramar":
            for r in q("export_frame"):
                data.frames.append(Frame(r["unit_id"], r["year"],
                                         val(r["row"], "", r["value"], r["col"])))
        elif kind == "investeringsplan":
            for r in q("export_plan"):
                data.investment_plan.append(PlannedInvestment(
                    r["project_id"], r["name"], r["unit_id"], r["year"],
                    val(r["row"], "", r["value"], r["col"])))
        elif kind == "bolag":
            for r in q("export_company"):
                data.companies.append(CompanyFigure(r["company"], r["year"], r["key"],
                                                    val(r["row"], "", r["value"], r["col"])))
        elif kind == "koncern":
            for r in q("export_koncern"):
                data.koncern.append(KoncernRow(r["company"], r["statement"], r["post"],
                                               r["counterpart"],
                                               val(r["row"], "", r["value"], r["col"])))
    return data


def table_dump(conn: sqlite3.Connection, period_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored export row of the period's active loads, without the load's own identity
    (id, file, hash, time): what two loads of the same export in other formats share."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in export_tables.ROW_TABLES:
        names, rows = export_tables.active_rows(conn, table, period_id)
        out[table] = [tuple(v for n, v in zip(names, r, strict=True) if n != "load_id")
                      for r in rows]
    return out


@dataclass
class ExportStatus:
    """One export of the period for the status view. ``state``: ``inläst``, ``fel`` (the
    newest file has a fel; ``in_use`` then names the earlier file still used, if any) or
    ``saknas``."""

    kind: str
    label: str
    file: str
    state: str
    errors: int
    warnings: int
    rows: int
    loaded_at: str
    sha256: str
    in_use: str
    problems: list[str] = field(default_factory=list)


def export_status(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
                  mapping: ImportMapping | None = None) -> list[ExportStatus]:
    """Which exports of the period are loaded, missing or with fel, in :data:`KINDS` order."""
    from reportkit.texts import EXPORT_KINDS

    mapping = mapping or ImportMapping()
    kinds = period_kinds(model, period_id)
    out = []
    for kind in KINDS:
        if kind not in kinds or (kind == "koncern" and not mapping.koncern.companies):
            continue
        loads = export_tables.loads_of_kind(conn, period_id, kind)
        active = next((r for r in loads if r["state"] == "aktiv"), None)
        latest = loads[-1] if loads else None
        if latest is None:
            name = (mapping.statements.format(typ=period_id.split("-", 1)[-1], period=period_id)
                    if kind == STATEMENTS else getattr(mapping, _ATTR[kind]).file)
            out.append(ExportStatus(kind, EXPORT_KINDS[kind], f"{DATA_DIR}/{period_id}/{name}",
                                    "saknas", 0, 0, 0, "", "", ""))
            continue
        shown = latest if latest["state"] == "fel" else (active or latest)
        texts = [f"{r['severity']}: {r['message']}"
                 + (f" (rad {r['row']}" + (f", kolumn {r['col']})" if r["col"] else ")")
                    if r["row"] is not None else "")
                 for r in export_tables.load_problems(conn, shown["id"])]
        out.append(ExportStatus(
            kind, EXPORT_KINDS[kind], shown["file"],
            "fel" if shown["state"] == "fel" else "inläst", shown["errors"], shown["warnings"],
            shown["rows"], shown["loaded_at"], shown["sha256"],
            active["file"] if active is not None else "", texts))
    return out


@dataclass
class FinancialIndicator:
    indicator_id: str
    name: str
    unit: str
    figure: str
    """The nyckeltal id or computed outcome the indicator is mapped to ('' = not mapped)."""
    basis: str
    """``utfall`` (helår) or ``prognos`` (delår, tertial: the ekonom's helårsprognos)."""
    target: Target | None
    value: float | None
    status: str
    degree: float | None
    rule: str
    sources: tuple[SourceRef, ...] = ()


@dataclass
class FinancialGoal:
    goal_id: str
    name: str
    status: str
    degree: float | None
    rule: str
    indicators: list[FinancialIndicator]


def financial_goals(model: Styrmodell, period: Period, data: ExportData,
                    mapping: ImportMapping) -> list[FinancialGoal]:
    """The finansiella mål (goals with ``typ: finansiellt``) assessed from the exports with
    the same rules as every goal (:mod:`reportkit.styrmodell.assess`): each mapped indicator
    gets the figure named in ``import.yaml: finansiella_mål`` for the budget year, the
    helårsprognos in delår and tertial, utfall in helår; an unmapped one is Ej mätt here
    (its utfall may come from a workbook). A plan has no outcomes: ``[]``."""
    from reportkit.styrmodell import assess
    from reportkit.workbook.content import scale_of

    if period.type == "plan":
        return []
    scale = scale_of(model)
    interim = is_interim(period.type)
    basis = "prognos" if interim else "utfall"
    year = model.year
    lines = eco.drift_lines(data.drift, interim=interim)
    outcomes = eco.financial_outcomes(data.key_figures, year, kind=basis, drift=lines)
    figures = {(f.key, f.year, f.kind): f for f in data.key_figures}
    out = []
    for goal in model.goals.values():
        if goal.kind != "finansiellt":
            continue
        results = []
        for ind in goal.indicators:
            src = source_of(ind, mapping.financial_goals)
            figure = src.figure_arg if src.figure_kind == "nyckeltal" else ""
            value, sources, note = _figure_value(figure, year, basis, figures, outcomes, lines)
            due = period.type == "plan" or period.type in ind.measured_in
            target = ind.assessed_target(year, model.config.mandate)[0]
            res = assess.assess_indicator(
                value, target, direction=ind.direction,
                target_type=ind.target_type, baseline=ind.baseline, scale=scale, due=due)
            rule = res.rule if value is not None or not due else note
            results.append(FinancialIndicator(ind.id, ind.name, ind.unit, figure, basis,
                                              target, value, res.status,
                                              res.degree, rule, sources))
        combined = assess.combine_indicators(
            [assess.IndicatorResult(r.degree, r.status, r.rule) for r in results],
            goal.combine or model.config.assessment.combine, scale)
        out.append(FinancialGoal(goal.id, goal.name, combined.status, combined.degree,
                                 combined.rule, results))
    return out


_OUTCOME_INPUTS = {"resultat_andel_skatt": ("årets_resultat", "skatteintäkter_statsbidrag"),
                   "självfinansieringsgrad": ("årets_resultat", "avskrivningar", "investeringar")}


_NOT_A_KEY_FIGURE = ("inget nyckeltal kopplat (källa: {export: \"nyckeltal:<id>\"} i "
                     "styrmodellen eller finansiella_mål i data/import.yaml)")


def _figure_value(figure: str, year: int, basis: str, figures: dict, outcomes: dict,
                  lines: list[eco.DriftLine]
                  ) -> tuple[float | None, tuple[SourceRef, ...], str]:
    if not figure:
        return None, (), _NOT_A_KEY_FIGURE
    found = figures.get((figure, year, basis))
    if found is not None and found.value.value is not None:
        return found.value.value, (found.value.source,), ""
    if figure in outcomes:
        value = outcomes[figure]
        if figure in _OUTCOME_INPUTS:
            sources = tuple(figures[(k, year, basis)].value.source for k in _OUTCOME_INPUTS[figure]
                            if (k, year, basis) in figures)
        else:
            sources = tuple(s for line in lines if line.level == "nämnd" for s in line.sources)
        note = "" if value is not None else \
            f"{figure} kan inte räknas: {basis} saknas för något av underlagen {year}"
        return value, sources, note
    return None, (), (f"'{figure}' finns inte som nyckeltal ({basis} {year}) eller beräknat "
                      f"mått ({', '.join(eco.OUTCOMES)})")


EXAMPLES = ("drift:BUN, drift:kommun, investering:P2401, sjukfrånvaro:BUN, "
            "sjukfrånvaro:kommun:kvinnor, balanskrav, nyckeltal:årets_resultat, "
            "finansiellt:KF7-I1, koncern:årets_resultat, koncern:verksamhetens_intäkter")


def _ref(source: SourceRef) -> str:
    return f"[{source.file}, rad {source.row}, kolumn {source.column}]"


def _tkr(value: float | None) -> str:
    return format_value(value, "tkr", 0) if value is not None else "–"


def explain_figure(conn: sqlite3.Connection, model: Styrmodell, period_id: str, ref: str, *,
                   mapping: ImportMapping | None = None) -> list[str]:
    """Lines that take a figure from the exports down to the rows it came from.

    ``ref`` is ``typ:id``: ``drift:<nämnd, verksamhet, ansvarskod or kommun>``,
    ``investering:<projekt-id>``, ``sjukfrånvaro:<enhet or kommun>[:<mått>]``,
    ``balanskrav[:<år>]``, ``nyckeltal:<id>``, ``finansiellt:<indikator-id>`` or
    ``koncern:<post>`` (docs/koncern.md). Raises :class:`ReportkitError`
    (``export-figure-unknown``, ``export-not-loaded``).
    """
    mapping = mapping or ImportMapping()
    kind, _, rest = ref.partition(":")
    kind = kind.strip().casefold().replace("franvaro", "frånvaro")
    arg = rest.strip()
    unknown = ReportkitError(problem("export-figure-unknown", ref=ref, period=period_id,
                                     examples=EXAMPLES))
    handlers = {"drift": ("drift", _explain_drift), "investering": ("investeringar",
                                                                    _explain_investment),
                "sjukfrånvaro": ("personal", _explain_sick_leave),
                "balanskrav": ("nyckeltal", _explain_balance),
                "nyckeltal": ("nyckeltal", _explain_key_figure),
                "finansiellt": ("nyckeltal", _explain_financial),
                "koncern": ("koncern", kc.explain)}
    if kind not in handlers:
        raise unknown
    needed, handler = handlers[kind]
    loads = active_loads(conn, period_id)
    if needed not in loads:
        from reportkit.texts import EXPORT_KINDS

        raise ReportkitError(problem("export-not-loaded", what=EXPORT_KINDS[needed].lower(),
                                     period=period_id))
    data = stored_exports(conn, period_id)
    period = model.period(period_id)
    interim = period is not None and is_interim(period.type)
    lines = handler(model, period, data, mapping, arg, interim)
    if lines is None:
        raise unknown
    used = {ln.split("[", 1)[1].split(",", 1)[0] for ln in lines if "[" in ln}
    for load in loads.values():
        if load["file"] in used:
            lines.append(f"Fil {load['file']}: sha256 {load['sha256'][:12]}…, inläst "
                         f"{load['loaded_at']}")
    return lines


def _unit_name(model: Styrmodell, unit_id: str) -> str:
    unit = model.units.get(unit_id)
    return unit.name if unit is not None else unit_id


def _resolve_unit(model: Styrmodell, arg: str, known: Iterable[str]) -> str | None:
    """The unit ``arg`` names (id, ansvar code, name: styrmodell/lookup.py); empty or
    ``kommun``: the kommun. None when it names none of ``known``; a name that fits several
    raises (``id-ambiguous``)."""
    kommun = model.kommun.id
    if arg.casefold() in ("", "kommun", kommun.casefold()):
        return kommun
    known = set(known)
    if arg in known:
        return arg
    for unit in model.units.values():
        if arg in unit.ansvar and unit.id in known:
            return unit.id
    from reportkit.styrmodell.lookup import find_unit

    try:
        return find_unit(model, arg, [model.units[k] for k in sorted(known)
                                      if k in model.units]).id
    except ReportkitError as exc:
        if exc.problems[0].code == "id-ambiguous":
            raise
        return None


def _explain_drift(model: Styrmodell, period: Period | None, data: ExportData,
                   mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    kommun = model.kommun.id
    lines = eco.drift_lines(data.drift, interim=interim, kommun=kommun,
                            kommun_name="Summa nämnder")
    by_unit = {line.unit: line for line in lines}
    unit = _resolve_unit(model, arg, by_unit)
    if unit is None:
        return None
    line = by_unit[unit]
    sign = ("exporten skriver kostnader med minus; här nettokostnad som positivt tal"
            if mapping.drift.sign == "kostnad_negativ" else "nettokostnad som positivt tal")
    out = [f"Drift {line.name} ({unit}), {data.period}, tkr ({sign})",
           f"  Budget {_tkr(line.budget)} = internbudget {_tkr(line.budget - line.budget_changes)}"
           f" + anslagsförändringar {_tkr(line.budget_changes)}",
           f"  Utfall {_tkr(line.actual)}"]
    if line.deviation is not None:
        out.append(f"  Avvikelse {_tkr(line.deviation)} = budget {_tkr(line.budget)} − utfall "
                   f"{_tkr(line.actual)}")
    if line.forecast is not None:
        out.append(f"  Helårsprognos {_tkr(line.forecast)}; prognosavvikelse "
                   f"{_tkr(line.forecast_deviation)} = budget {_tkr(line.budget)} − prognos "
                   f"{_tkr(line.forecast)}")
    details = [r for r in data.drift if r.level == "verksamhet" and (
        unit == kommun or r.committee == unit or r.unit == unit)]
    out.append(f"  Summan av {len(details)} rader i exporten:" if len(details) > 1 else
               "  Raden i exporten:")
    for r in details:
        out.append(f"    {r.name} (ansvar {r.ansvar}):")
        for v, label in ((r.internal_budget, "Internbudget"),
                         (r.budget_changes, "Anslagsförändringar"), (r.actual, "Utfall"),
                         (r.forecast, "Helårsprognos")):
            if v is not None and (label != "Helårsprognos" or interim):
                out.append(f"      {label} {_tkr(v.value)} {_ref(v.source)}")
    totals = [r for r in data.drift if r.level == "nämnd" and (
        r.committee == unit or (unit == kommun))]
    for r in totals:
        out.append(f"  Exportens totalrad för {r.name} (stämd av mot raderna): KF-ram "
                   f"{_tkr(r.kf_budget.value)} {_ref(r.kf_budget.source)}, utfall "
                   f"{_tkr(r.actual.value)} {_ref(r.actual.source)}")
    return out


def _explain_investment(model: Styrmodell, period: Period | None, data: ExportData,
                        mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    inv = next((i for i in data.investments if i.project_id.casefold() == arg.casefold()), None)
    if inv is None:
        return None
    line = eco.investment_lines([inv], interim=interim)[0]
    compare = "prognos" if interim else "utfall"
    out = [f"Investering {inv.project_id} {inv.name} ({_unit_name(model, inv.committee)}), "
           f"{data.period}, tkr",
           f"  Avvikelse {_tkr(line.deviation)} = budget {_tkr(line.budget)} − {compare} "
           f"{_tkr(line.forecast if interim and line.forecast is not None else line.actual)}"]
    if line.total_deviation is not None:
        out.append(f"  Avvikelse mot beslutad totalutgift {_tkr(line.total_deviation)} = "
                   f"beslutad {_tkr(inv.decided_total.value)} − beräknad "
                   f"{_tkr(inv.estimated_total.value)}")
    for v, label in ((inv.budget, "Budget"), (inv.actual, "Utfall"), (inv.forecast, "Prognos"),
                     (inv.decided_total, "Beslutad totalutgift"),
                     (inv.estimated_total, "Beräknad totalutgift")):
        if v.value is not None:
            out.append(f"    {label} {_tkr(v.value)} {_ref(v.source)}")
    return out


def _explain_sick_leave(model: Styrmodell, period: Period | None, data: ExportData,
                        mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    kommun = model.kommun.id
    unit_arg, _, ratio_arg = arg.partition(":")
    levels = eco.sick_leave(data.hr, threshold=mapping.hr.threshold, kommun=kommun)
    by_unit = {s.unit: s for s in levels}
    unit = _resolve_unit(model, unit_arg, by_unit)
    if unit is None:
        return None
    scope = by_unit[unit]
    keys = [r.key for r in scope.ratios]
    wanted = [k for k in keys if not ratio_arg or k.casefold() == ratio_arg.casefold()]
    if not wanted:
        return None
    rows = [r for r in data.hr if unit == kommun or r.committee == unit or r.unit == unit]
    name = "kommunen" if unit == kommun else _unit_name(model, unit)
    out = [f"Sjukfrånvaro {name} ({unit}), {data.period}: timmar summeras först och divideras "
           f"en gång; procentsatser medelvärdesbildas aldrig"]
    for ratio in scope.ratios:
        if ratio.key not in wanted:
            continue
        group = dict((k, g) for k, _, g in eco.SICK_RATIOS)[ratio.key]
        parts = [r for r in rows if r.group == group]
        heads = format_number(ratio.headcount)
        if ratio.suppressed:
            out.append(f"  {ratio.label}: visas inte – {heads} anställda, färre än gränsen "
                       f"{mapping.hr.threshold} (personal.sekretessgräns); timmarna redovisas "
                       f"inte här")
            for r in parts:
                out.append(f"    {_unit_name(model, r.unit)}: {_ref(r.headcount.source)}")
            continue
        num_label, den_label = (("sjuktimmar 60 dagar eller mer", "sjuktimmar")
                                if ratio.key == "långtid" else
                                ("sjuktimmar", "ordinarie timmar"))
        out.append(f"  {ratio.label} {format_percent(ratio.value, 1)} = {num_label} "
                   f"{format_number(ratio.numerator_hours)} / {den_label} "
                   f"{format_number(ratio.denominator_hours)} ({heads} anställda)")
        for r in parts:
            num, den = ((r.long_sick_hours, r.sick_hours) if ratio.key == "långtid"
                        else (r.sick_hours, r.ordinary_hours))
            out.append(f"    {_unit_name(model, r.unit)}: {format_number(num.value)} "
                       f"{_ref(num.source)} / {format_number(den.value)} {_ref(den.source)}")
    return out


def _explain_balance(model: Styrmodell, period: Period | None, data: ExportData,
                     mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    year = model.year
    if arg:
        if not (arg.isascii() and arg.isdigit()):
            return None
        year = int(arg)
    kind = "prognos" if interim and year == model.year else "utfall"
    lines, _ = eco.balance_requirement(data.key_figures, [year], mapping.balance.reserve_rows,
                                       kind=kind)
    if lines[0].values[year] is None:
        return None
    figures = {f.key: f for f in data.key_figures if f.year == year and f.kind == kind}
    out = [f"Balanskravsutredning {year} ({kind}), tkr; reservrader enligt "
           f"balanskrav.reservrader: {', '.join(mapping.balance.reserve_rows)}"]
    for line in lines:
        value = line.values[year]
        src = figures.get(line.key)
        where = f" {_ref(src.value.source)}" if src is not None else (
            "" if line.total else " (saknas i nyckeltalen: räknas som 0)")
        prefix = "= " if line.total else "  "
        out.append(f"  {prefix}{line.label} {_tkr(value)}{where}")
    return out


def _explain_key_figure(model: Styrmodell, period: Period | None, data: ExportData,
                        mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    found = [f for f in data.key_figures if f.key.casefold() == arg.casefold()]
    if not found:
        return None
    out = [f"Nyckeltal {found[0].key}: {found[0].name} ({found[0].unit})"]
    for f in sorted(found, key=lambda f: (f.year, f.kind)):
        shown = "–" if f.value.value is None else format_value(f.value.value, "", None)
        out.append(f"  {f.year} {f.kind}: {shown} {_ref(f.value.source)}")
    return out


def _explain_financial(model: Styrmodell, period: Period | None, data: ExportData,
                       mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    from reportkit.workbook.content import scale_of

    if period is None:
        return None
    scale = scale_of(model)
    for goal in financial_goals(model, period, data, mapping):
        for ind in goal.indicators:
            if ind.indicator_id.casefold() == arg.casefold() or \
                    goal.goal_id.casefold() == arg.casefold():
                shown = format_value(ind.value, ind.unit) if ind.value is not None else "–"
                out = [f"Finansiellt mål {goal.goal_id}: {goal.name} → "
                       f"{scale.label(goal.status, interim)} ({goal.rule})",
                       f"  Indikator {ind.indicator_id}: {ind.name}: {ind.basis} {shown} "
                       f"({ind.figure or 'ej kopplad'}) → {scale.label(ind.status, interim)} "
                       f"({ind.rule})"]
                out.extend(f"    {_ref(s)}" for s in ind.sources[:12])
                if len(ind.sources) > 12:
                    out.append(f"    … och {len(ind.sources) - 12} värden till")
                return out
    return None


def explain_export(project: Project | Path | str, ref: str, period_id: str | None,
                   xlsx: Path | None = None) -> list[str]:
    """``reportkit explain drift:BUN``: :func:`explain_figure` on a project's store."""
    from reportkit.storage.access import opened

    with opened(project, period_id, consolidated=True) as (project, model, period, conn):
        mapping, _ = load_mapping(project.root / DATA_DIR)
        lines = explain_figure(conn, model, period.id, ref, mapping=mapping)
    if xlsx is not None:
        import xlsxwriter

        from reportkit.files import atomic_path, normalize_zip

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
