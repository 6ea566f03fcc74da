"""From the stored exports to the documents' :class:`~reportkit.documents.reportdata.Economy`.

Everything comes from the history store, i.e. from what ``reportkit consolidate`` loaded
(:mod:`reportkit.consolidate.exports`), so a document and the sammanställning show the same
figures. Conventions of ``reportdata``: drift and investeringar in tkr, net cost positive; the
flerårsöversikt and balanskravsutredning in mnkr (amounts) as årsredovisningar show them;
sjukfrånvaro as ratios of hours, ``None`` for a group under the threshold.

Earlier years (``actual_previous_year``, the sjukfrånvaro and balanskrav years before) come from
the same store: the helår period of the year before, if it was consolidated. A kommun in its
first year with reportkit has no such period in the store; then the earlier years' HR exports
are read from ``data/<år>-helår/`` as they lie, only when they read without a fel
(:func:`~reportkit.consolidate.sourced.earlier_hr`, which the roll-up also uses for the years
before of an indicator with ``källa: {export: sjukfrånvaro}``).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from reportkit.consolidate import economy as eco
from reportkit.consolidate.sourced import earlier_hr, helar_period_of
from reportkit.sources.mapping import ImportMapping
from reportkit.sources.records import KeyFigure
from reportkit.styrmodell.periods import is_interim

if TYPE_CHECKING:
    from reportkit.documents.reportdata import Economy
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

# The flerårsöversikt (DOMAIN.md, RKR R15), nyckeltal ids in the order shown.
MULTI_YEAR_KEYS = ("verksamhetens_intäkter", "verksamhetens_kostnader",
                   "skatteintäkter_statsbidrag", "årets_resultat", "soliditet",
                   "soliditet_inkl_pension", "investeringar", "långfristiga_skulder",
                   "antal_invånare", "skattesats", "årsarbetare")
_DECIMALS = {"mnkr": 1, "%": 1, "kr": 2}
# A bolag's key figures (records.CompanyFigure keys) in the order shown, label and unit shown;
# amounts come in tkr and are shown in mnkr.
COMPANY_FIGURES = (("omsättning", "Omsättning", "mnkr"),
                   ("resultat", "Resultat efter finansiella poster", "mnkr"),
                   ("balansomslutning", "Balansomslutning", "mnkr"),
                   ("soliditet", "Soliditet", "%"),
                   ("antal_anställda", "Antal anställda", "antal"))


def build_economy(conn: sqlite3.Connection, model: Styrmodell, period: Period,
                  mapping: ImportMapping | None = None, project: Project | None = None,
                  version: Decision | None = None) -> Economy:
    """The period's Economy from the store (the exports a decided ``version`` froze, when
    given); empty parts where nothing was loaded."""
    from reportkit.consolidate.exports import stored_exports
    from reportkit.documents import reportdata as rd

    mapping = mapping or ImportMapping()
    data = stored_exports(conn, period.id, version=version)
    interim = is_interim(period.type)
    year = model.year
    previous = {y: stored_exports(conn, helar_period_of(project, y), kinds=("drift", "personal"))
                for y in (year - 1, year - 2)}
    out = rd.Economy()

    last_year = {line.unit: line.actual for line in
                 eco.drift_lines(previous[year - 1].drift, interim=False)}
    committee_of = {r.unit: r.committee for r in data.drift}
    for line in eco.drift_lines(data.drift, interim=interim, kommun=model.kommun.id):
        if line.level == "kommun":
            continue
        row = rd.DriftRow(
            committee_of.get(line.unit, line.unit) if line.level == "verksamhet" else line.unit,
            line.name, line.budget, line.actual, line.forecast if interim else None,
            last_year.get(line.unit), line.budget_changes)
        (out.drift if line.level == "nämnd" else out.drift_detail).append(row)

    for inv in data.investments:
        out.investments.append(rd.InvestmentRow(
            inv.name, inv.committee, inv.budget.value, inv.actual.value,
            inv.forecast.value if interim else None,
            inv.decided_total.value if inv.multi_year else None,
            inv.estimated_total.value if inv.multi_year else None))

    out.key_figures = multi_year_overview(data.key_figures, year, interim)
    out.companies = company_rows(data.companies, year)
    out.balanskrav = eco.balance_rows(data.key_figures, year, interim, mapping)

    threshold = mapping.hr.threshold
    for y in (year - 2, year - 1):
        if not previous[y].hr and project is not None:
            previous[y].hr = earlier_hr(project, model, helar_period_of(project, y), y, mapping)
    for y, hr in ((year - 2, previous[year - 2].hr), (year - 1, previous[year - 1].hr),
                  (year, data.hr)):
        if hr:
            kommun = eco.sick_leave(hr, threshold=threshold, kommun=model.kommun.id)[-1]
            out.sick_leave.append(report_sick_leave(y, kommun))

    frames: dict[str, dict[int, float | None]] = {}
    for f in data.frames:
        frames.setdefault(f.unit, {})[f.year] = f.value.value
    out.frames = [rd.PlanRow(_name(model, unit), values, unit)
                  for unit, values in frames.items()]
    plans: dict[str, tuple[str, str, dict[int, float | None]]] = {}
    for p in data.investment_plan:
        committee = _committee(model, p.unit)
        plans.setdefault(p.project_id, (p.name, committee, {}))[2][p.year] = p.value.value
    out.investment_plan = [rd.PlanRow(name, values, committee)
                           for name, committee, values in plans.values()]
    out.accounts = accounts_of(model, period, data, mapping)
    return out


def accounts_of(model: Styrmodell, period: Period, data: Any, mapping: ImportMapping) -> Any:
    """The period's :class:`~reportkit.consolidate.disclosures.Accounts`, with the figure each
    export-sourced finansiellt mål's indicator must show."""
    from reportkit.consolidate import disclosures
    from reportkit.consolidate.exports import financial_goals

    accounts = disclosures.build_accounts(
        data.key_figures, data.drift, data.investments, model.year,
        interim=is_interim(period.type), plan=period.type == "plan",
        plan_investments=data.investment_plan)
    for goal in financial_goals(model, period, data, mapping):
        accounts.indicator_figures += [
            (i.indicator_id, i.name, i.value, disclosures.source_text(i.sources))
            for i in goal.indicators if i.value is not None and i.sources]
    return accounts


def _name(model: Styrmodell, unit_id: str) -> str:
    unit = model.units.get(unit_id)
    return unit.name if unit is not None else unit_id


def _committee(model: Styrmodell, unit_id: str) -> str:
    unit = model.units.get(unit_id)
    if unit is None:
        return unit_id
    return unit.committee or unit.id


def report_sick_leave(year: int, scope: eco.SickLeave) -> Any:
    """The seven ratios of one scope (the kommun) as the documents' SickLeave row."""
    from reportkit.documents.reportdata import SickLeave

    r = {ratio.key: ratio.value for ratio in scope.ratios}
    return SickLeave(year, r["totalt"], r["långtid"], r["kvinnor"], r["män"], r["upp_till_29"],
                     r["30_49"], r["50_och_äldre"])


def multi_year_overview(figures: list[KeyFigure], year: int, interim: bool) -> list[Any]:
    """The flerårsöversikt rows: amounts in mnkr; in delår the budget year is the prognos
    where the ekonomiavdelning gave one."""
    from reportkit.documents.reportdata import KeyFigureRow

    rows = []
    for key in MULTI_YEAR_KEYS:
        own = [f for f in figures if f.key == key]
        if not own:
            continue
        values: dict[int, float | None] = {}
        for f in sorted(own, key=lambda f: (f.year, f.kind != "utfall")):
            if f.kind == "utfall" or (interim and f.kind == "prognos" and f.year == year
                                      and f.year not in values):
                values.setdefault(f.year, f.value.value)
        unit = own[0].unit
        shown = "mnkr" if unit == "tkr" else unit
        if unit == "tkr":
            values = {y: None if v is None else v / 1000 for y, v in values.items()}
        label = own[0].name + (f", {shown}" if shown in ("mnkr", "%", "kr") else "")
        rows.append(KeyFigureRow(label, shown, values, _DECIMALS.get(shown, 0), key))
    return rows


def company_rows(figures: list[Any], year: int) -> list[Any]:
    """Each bolag's key figures (``bolag.csv``) up to the budget year, in mnkr (amounts), %
    and antal; a figure the bolag did not report is left out."""
    from reportkit.documents.reportdata import CompanyRow

    rows = []
    companies = list(dict.fromkeys(f.company for f in figures))
    for company in companies:
        for key, label, unit in COMPANY_FIGURES:
            values = {f.year: f.value.value for f in figures
                      if f.company == company and f.key == key and f.year <= year}
            if not any(v is not None for v in values.values()):
                continue
            if unit == "mnkr":
                values = {y: None if v is None else v / 1000 for y, v in values.items()}
            shown = f"{label}, {unit}" if unit in ("mnkr", "%") else label
            rows.append(CompanyRow(company, shown, unit, dict(sorted(values.items())),
                                   _DECIMALS.get(unit, 0)))
    return rows


def economy_for(project: Project, model: Styrmodell, period: Period, version: Any = None
                ) -> Any:
    """The period's :class:`reportkit.documents.reportdata.Economy` from the project's store,
    as ``reportkit consolidate`` loaded the exports (:func:`build_economy`).
    The import mapping (``data/import.yaml``) gives the sekretessgräns and the reserve rows;
    its own problems were reported by consolidate. For a decided ``version`` the exports
    and the import mapping it froze are used."""
    from reportkit.storage import store

    conn = store.connect(project.store_path)
    try:
        from reportkit.storage.decisions import mapping_in_use

        mapping = mapping_in_use(conn, project.root / "data", version)
        return build_economy(conn, model, period, mapping, project, version=version)
    finally:
        conn.close()
