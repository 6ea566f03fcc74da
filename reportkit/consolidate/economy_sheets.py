"""Economy and personnel sheets for the sammanställning (xlsxwriter, like ``summary.py``).

:func:`write_economy_sheets` adds to an open ``xlsxwriter.Workbook``: Drift (per nämnd with its
verksamheter, tkr), Investeringar (per project, with totalutgift for fleråriga projects),
Balanskrav (the balanskravsutredning, several years), Flerårsöversikt, Finansiella mål
(assessed with the same rules as every goal), Sjukfrånvaro (the seven ratios per
kommun, nämnd and verksamhet; small groups not shown), Avstämningar (the reconciliations and
the figures that must agree, docs/avstamningar.md) and Exporter (which exports are loaded,
missing or with fel). A nämnd's own file gets only its Drift, Investeringar and
Sjukfrånvaro. The prognos is the ekonom's (from the export); the units' own comments on their
economy (``ekonomi`` in the Texter sheet of their workbooks) stand beside their drift line.
Every figure comes from the store, i.e. from what consolidate loaded; text from the exports
and the workbooks is written with ``write_string`` so it never becomes a formula.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reportkit.consolidate import economy as eco
from reportkit.consolidate.exports import (
    ExportStatus,
    FinancialGoal,
    export_status,
    financial_goals,
    stored_exports,
)
from reportkit.sources.mapping import ImportMapping
from reportkit.sources.records import FigureKind, Investment, KeyFigure, SourceRef
from reportkit.storage import queries
from reportkit.styrmodell.periods import is_interim
from reportkit.styrmodell.targets import TargetRange, TargetTrend, target_text
from reportkit.styrmodell.words import lower_first

if TYPE_CHECKING:
    from reportkit.styrmodell.assess import Scale
    from reportkit.styrmodell.model import Styrmodell

TKR = "#,##0"
PERCENT = "0.0%"
DASH = "–"


@dataclass
class EconomySheetData:
    """What the sheets show for one period, computed once and shared by every file."""

    period: str
    year: int
    interim: bool
    kommun: str
    names: dict[str, str]
    committee_of: dict[str, str]
    levels: dict[str, str]
    scale: Scale
    threshold: int
    drift: list[eco.DriftLine] = field(default_factory=list)
    investments: list[tuple[Investment, eco.InvestmentLine]] = field(default_factory=list)
    balance: list[eco.BalanceLine] = field(default_factory=list)
    balance_years: list[int] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    financial: list[FinancialGoal] = field(default_factory=list)
    sick_leave: list[eco.SickLeave] = field(default_factory=list)
    statuses: list[ExportStatus] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)
    """The units' own comments on their economy (``ekonomi`` in their workbooks' Texter)."""
    accounts: Any = None
    """The reconciliations and must-agree figures (:mod:`reportkit.consolidate.disclosures`)."""


def economy_sheet_data(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
                       mapping: ImportMapping | None = None) -> EconomySheetData:
    from reportkit.consolidate.economy import balance_rows
    from reportkit.workbook.content import scale_of

    mapping = mapping or ImportMapping()
    period = model.period(period_id)
    assert period is not None
    interim = is_interim(period.type)
    data = stored_exports(conn, period_id)
    kommun = model.kommun.id
    out = EconomySheetData(
        period_id, model.year, interim, kommun, {u.id: u.name for u in model.units.values()},
        {u.id: (u.committee or u.id) for u in model.units.values()},
        {lvl: model.level_name(lvl) for lvl in ("kommun", "nämnd", "verksamhet")},
        scale_of(model), mapping.hr.threshold)
    out.drift = eco.drift_lines(data.drift, interim=interim, kommun=kommun) if data.drift \
        else []
    out.investments = list(zip(data.investments,
                               eco.investment_lines(data.investments, interim=interim),
                               strict=True))
    out.balance = balance_rows(data.key_figures, model.year, interim, mapping, divisor=1)
    out.balance_years = sorted({y for b in out.balance for y in b.values})
    out.key_figures = data.key_figures
    out.financial = financial_goals(model, period, data, mapping)
    out.sick_leave = eco.sick_leave(data.hr, threshold=mapping.hr.threshold, kommun=kommun) \
        if data.hr else []
    out.statuses = export_status(conn, model, period_id, mapping)
    out.accounts = _accounts(data, model.year, interim, period.type == "plan")
    out.comments = {r["unit_id"]: r["text"] for r in queries.active_texts(
        conn, period_id, "ekonomi") if r["text"] and r["text"].strip()}
    return out


def _accounts(data: Any, year: int, interim: bool, plan: bool) -> Any:
    from reportkit.consolidate.disclosures import build_accounts

    return build_accounts(data.key_figures, data.drift, data.investments, year,
                          interim=interim, plan=plan, plan_investments=data.investment_plan)


def _rows_text(sources: tuple[SourceRef, ...]) -> str:
    """``ekonomi-drift.csv rad 7–10`` from the sources of a line."""
    by_file: dict[str, set[int]] = {}
    for s in sources:
        by_file.setdefault(s.file.rsplit("/", 1)[-1], set()).add(s.row)
    parts = []
    for file, rows in sorted(by_file.items()):
        ordered = sorted(rows)
        spans, start, prev = [], ordered[0], ordered[0]
        following: list[int | None] = [*ordered[1:], None]
        for r in following:
            if r is not None and r == prev + 1:
                prev = r
                continue
            spans.append(f"{start}" if start == prev else f"{start}–{prev}")
            if r is not None:
                start = prev = r
        parts.append(f"{file} rad {', '.join(spans)}")
    return "; ".join(parts)


def write_economy_sheets(workbook: Any, source: sqlite3.Connection | EconomySheetData,
                         model: Styrmodell, period_id: str, committee: str | None = None, *,
                         mapping: ImportMapping | None = None) -> list[str]:
    """Add the economy and personnel sheets to ``workbook`` (an open xlsxwriter Workbook);
    ``committee`` limits them to one nämnd. ``source`` is the store or, to compute once for
    several files, :func:`economy_sheet_data`. Returns the names of the sheets added."""
    d = source if isinstance(source, EconomySheetData) else economy_sheet_data(
        source, model, period_id, mapping)
    out = _Sheets(workbook, d, committee)
    _drift_sheet(out)
    _investment_sheet(out)
    if committee is None:  # Balanskrav, Flerårsöversikt, Finansiella mål: the kommun's only
        _balance_sheet(out)
        _key_figure_sheet(out)
        _financial_sheet(out)
        _reconciliation_sheet(out)
    _sick_leave_sheet(out)
    if committee is None:
        _export_sheet(out)
    return out.added


class _Sheets:
    """The workbook being written, its shared formats and the sheets added so far."""

    def __init__(self, wb: Any, d: EconomySheetData, committee: str | None) -> None:
        self.wb, self.d, self.committee = wb, d, committee
        self.head = wb.add_format({"bold": True, "font_color": "#FFFFFF",
                                   "bg_color": "#1F4E79", "text_wrap": True, "valign": "top",
                                   "border": 1})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.bold = wb.add_format({"bold": True, "valign": "top"})
        self.tkr = wb.add_format({"num_format": TKR, "valign": "top"})
        self.tkr_bold = wb.add_format({"num_format": TKR, "valign": "top", "bold": True})
        self.pct = wb.add_format({"num_format": PERCENT, "valign": "top"})
        self.plain = wb.add_format({"num_format": "0.0##", "valign": "top"})
        self.right = wb.add_format({"align": "right", "valign": "top"})
        self.status_fmt = {s: wb.add_format({"bold": True,
                                             "font_color": "#" + d.scale.step(s).text_color,
                                             "bg_color": "#" + d.scale.step(s).color,
                                             "valign": "top"})
                           for s in d.scale.statuses}
        self.scope = d.names.get(committee, committee) if committee \
            else d.names.get(d.kommun, "")
        self.added: list[str] = []

    def sheet(self, key: str, heading: str, headers: list[tuple[str, int]]) -> Any:
        from reportkit.texts import ECONOMY_SHEETS

        name = ECONOMY_SHEETS[key]
        ws = self.wb.add_worksheet(name)
        self.added.append(name)
        ws.write_string(0, 0, f"{heading} – {self.scope} – {self.d.period}", self.title)
        for i, (h, width) in enumerate(headers):
            ws.write_string(1, i, h, self.head)
            ws.set_column(i, i, width)
        ws.freeze_panes(2, 1)
        return ws

    def number(self, ws: Any, r: int, c: int, value: float | None, fmt: Any = None) -> None:
        if value is None:
            ws.write_string(r, c, DASH, self.right)
        else:
            ws.write_number(r, c, value, self.tkr if fmt is None else fmt)

    def status(self, ws: Any, r: int, c: int, s: str | None) -> None:
        if s is None:
            ws.write_string(r, c, "")
            return
        d = self.d
        step = d.scale.step(s)
        ws.write_string(r, c, f"{step.symbol} {d.scale.label(s, d.interim)}",
                        self.status_fmt.get(s, self.wrap))

    def in_scope(self, unit: str) -> bool:
        return self.committee is None or self.d.committee_of.get(unit, unit) == self.committee


def _drift_sheet(out: _Sheets) -> None:
    d = out.d
    if not d.drift:
        return
    cols = [(f"{d.levels['nämnd']} / {lower_first(d.levels['verksamhet'])}", 36), ("Nivå", 11),
            ("Budget", 12),
            ("varav anslagsförändringar", 14)]
    cols += ([("Utfall perioden", 12), ("Helårsprognos", 12), ("Prognosavvikelse", 13)]
             if d.interim else [("Utfall", 12), ("Avvikelse", 12)])
    cols += [("Källa", 26), ("Kommentar i styrkortet", 60)]
    ws = out.sheet("drift", "Driftredovisning, tkr", cols)
    r = 2
    for line in d.drift:
        if line.level == "kommun" and out.committee is not None:
            continue
        if line.level != "kommun" and not out.in_scope(line.unit):
            continue
        strong = line.level != "verksamhet"
        ws.write_string(r, 0, line.name if strong else "   " + line.name,
                        out.bold if strong else out.wrap)
        ws.write_string(r, 1, d.levels.get(line.level, line.level))
        values: list[float | None] = [line.budget, line.budget_changes, line.actual]
        values += [line.forecast, line.forecast_deviation] if d.interim else [line.deviation]
        for c, v in enumerate(values, start=2):
            out.number(ws, r, c, v, out.tkr_bold if strong else out.tkr)
        ws.write_string(r, len(values) + 2, _rows_text(line.sources), out.wrap)
        ws.write_string(r, len(values) + 3, d.comments.get(line.unit, ""), out.wrap)
        r += 1
    note = ("Budget = internbudget + anslagsförändringar. Prognosavvikelse = budget − "
            "helårsprognos; positiv = överskott." if d.interim else
            "Budget = internbudget + anslagsförändringar. Avvikelse = budget − utfall; "
            "positiv = överskott.")
    ws.write_string(r + 1, 0, note)


def _investment_sheet(out: _Sheets) -> None:
    d = out.d
    own = [(inv, line) for inv, line in d.investments if out.in_scope(inv.committee)]
    if not own:
        return
    cols = [("Projekt-id", 11), ("Projekt", 34), (d.levels["nämnd"], 28), ("Budget", 12),
            ("Utfall", 12)]
    if d.interim:
        cols.append(("Prognos", 12))
    cols += [("Avvikelse", 12), ("Flerårigt", 9), ("Beslutad totalutgift", 13),
             ("Beräknad totalutgift", 13), ("Avvikelse totalutgift", 13), ("Källa", 28)]
    ws = out.sheet("investeringar", "Investeringsredovisning, tkr", cols)
    r = 2
    for inv, inv_line in own:
        ws.write_string(r, 0, inv.project_id)
        ws.write_string(r, 1, inv.name, out.wrap)
        ws.write_string(r, 2, d.names.get(inv.committee, inv.committee), out.wrap)
        amounts = [inv_line.budget, inv_line.actual] + (
            [inv_line.forecast] if d.interim else []) + [inv_line.deviation]
        c = 3
        for v in amounts:
            out.number(ws, r, c, v)
            c += 1
        ws.write_string(r, c, "Ja" if inv.multi_year else "Nej")
        for v in ((inv.decided_total.value, inv.estimated_total.value,
                   inv_line.total_deviation)
                  if inv.multi_year else (None, None, None)):
            c += 1
            out.number(ws, r, c, v)
        ws.write_string(r, c + 1, _rows_text((inv.budget.source,)), out.wrap)
        r += 1
    ws.write_string(r + 1, 0, "Avvikelse = budget − " + ("prognos" if d.interim else
                                                          "utfall") +
                    "; avvikelse totalutgift = beslutad − beräknad totalutgift.")


def _balance_sheet(out: _Sheets) -> None:
    d = out.d
    if not d.balance:
        return
    years = d.balance_years
    ws = out.sheet("balanskrav", "Balanskravsutredning, tkr",
                   [("Post", 52)] + [(f"Prognos {y}" if d.interim and y == d.year else str(y),
                                      12) for y in years])
    for r, bal in enumerate(d.balance, start=2):
        ws.write_string(r, 0, bal.label, out.bold if bal.total else out.wrap)
        for c, y in enumerate(years, start=1):
            out.number(ws, r, c, bal.values.get(y), out.tkr_bold if bal.total else out.tkr)


def _key_figure_sheet(out: _Sheets) -> None:
    d = out.d
    if not d.key_figures:
        return
    years = sorted({f.year for f in d.key_figures})
    kinds = {(f.year, f.kind) for f in d.key_figures}
    heads: list[tuple[int, FigureKind]] = [
        (y, "utfall") if (y, "utfall") in kinds else (y, "prognos")
        if (y, "prognos") in kinds else (y, "budget") for y in years]
    titles = {"prognos": "Prognos ", "budget": "Budget "}
    ws = out.sheet("nyckeltal", "Flerårsöversikt och nyckeltal",
                   [("Id", 24), ("Nyckeltal", 44), ("Enhet", 7)] +
                   [(f"{titles.get(k, '')}{y}", 12) for y, k in heads])
    by_key = {(f.key, f.year, f.kind): f.value.value for f in d.key_figures}
    order: list[tuple[str, str, str]] = []
    for f in d.key_figures:
        if (f.key, f.name, f.unit) not in order:
            order.append((f.key, f.name, f.unit))
    formats: dict[str, Any] = {}
    for r, (key, name, unit) in enumerate(order, start=2):
        if unit not in formats:
            formats[unit] = out.wb.add_format({"num_format": {"%": "0.0", "kr": "0.00"}.get(
                unit, TKR), "valign": "top"})
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, name, out.wrap)
        ws.write_string(r, 2, unit)
        for c, (y, k) in enumerate(heads, start=3):
            out.number(ws, r, c, by_key.get((key, y, k)), formats[unit])


def _financial_sheet(out: _Sheets) -> None:
    d = out.d
    if not d.financial:
        return
    ws = out.sheet("finansiella_mal", "Finansiella mål", [
        ("Mål", 10), ("Mål / indikator", 50), ("Mått ur exporterna", 24),
        ("Enhet", 7), ("Målvärde", 10), ("Prognos" if d.interim else "Utfall", 10),
        ("Status", 22), ("Beräkning", 70)])
    r = 2
    for goal in d.financial:
        ws.write_string(r, 0, goal.goal_id, out.bold)
        ws.write_string(r, 1, goal.name, out.bold)
        out.status(ws, r, 6, goal.status)
        ws.write_string(r, 7, goal.rule, out.wrap)
        r += 1
        for ind in goal.indicators:
            ws.write_string(r, 0, ind.indicator_id)
            ws.write_string(r, 1, "   " + ind.name, out.wrap)
            ws.write_string(r, 2, ind.figure or "(i styrkortet)")
            ws.write_string(r, 3, ind.unit)
            target = ind.target if isinstance(ind.target, (int, float)) and \
                not isinstance(ind.target, bool) else None
            if isinstance(ind.target, TargetRange | TargetTrend):  # 80–90 %, Ska öka
                ws.write_string(r, 4, target_text(ind.target, ind.unit))
            else:
                out.number(ws, r, 4, target, out.plain)
            out.number(ws, r, 5, ind.value, out.plain)
            out.status(ws, r, 6, ind.status)
            ws.write_string(r, 7, ind.rule, out.wrap)
            r += 1


def _sick_leave_sheet(out: _Sheets) -> None:
    """The kommun, then each nämnd followed by its verksamheter."""
    from reportkit.texts import SUPPRESSED_NOTE

    d = out.d
    scopes = [s for s in d.sick_leave if out.committee is None or
              (s.level != "kommun" and out.in_scope(s.unit))]
    if not scopes:
        return
    ratios = [label for _, label, _ in eco.SICK_RATIOS]
    ws = out.sheet("sjukfranvaro", "Sjukfrånvaro i procent av ordinarie arbetstid",
                   [("Enhet", 34), ("Nivå", 11), ("Anställda", 10)] +
                   [(label, 13) for label in ratios])
    r = 2
    ordered = [s for s in scopes if s.level == "kommun"] + \
        [s for s in scopes if s.level != "kommun"]
    for s in ordered:
        name = d.names.get(s.unit, s.unit)
        ws.write_string(r, 0, name if s.level != "verksamhet" else "   " + name,
                        out.bold if s.level != "verksamhet" else out.wrap)
        ws.write_string(r, 1, d.levels.get(s.level, s.level))
        total = s.ratio("totalt")
        if total.suppressed:
            ws.write_string(r, 2, f"färre än {d.threshold}", out.right)
        else:
            ws.write_number(r, 2, total.headcount)
        for c, ratio in enumerate(s.ratios, start=3):
            out.number(ws, r, c, ratio.value, out.pct)
        r += 1
    ws.write_string(r + 1, 0, SUPPRESSED_NOTE.format(threshold=d.threshold))


def _export_sheet(out: _Sheets) -> None:
    """The status of the period's exports."""
    from reportkit.texts import EXPORT_STATES

    ws = out.sheet("exporter", "Exporter", [
        ("Export", 34), ("Fil", 40), ("Status", 22), ("Fel", 6), ("Varningar", 10),
        ("Rader", 8), ("SHA-256", 16), ("Används", 40), ("Problem", 90)])
    for r, st in enumerate(out.d.statuses, start=2):
        ws.write_string(r, 0, st.label)
        ws.write_string(r, 1, st.file)
        ws.write_string(r, 2, EXPORT_STATES.get(st.state, st.state))
        ws.write_number(r, 3, st.errors)
        ws.write_number(r, 4, st.warnings)
        ws.write_number(r, 5, st.rows)
        # no load time: the same exports give the same bytes in any project (it is in the
        # store and in reportkit explain)
        ws.write_string(r, 6, st.sha256[:12])
        ws.write_string(r, 7, st.in_use)
        ws.write_string(r, 8, "\n".join(st.problems), out.wrap)


def _reconciliation_sheet(out: _Sheets) -> None:
    """Avstämningar: each reconciliation table (start, named items, any unexplained
    difference, target, tkr, with the export rows) and every must-agree pair with Stämmer."""
    acc = out.d.accounts
    if acc is None or not (acc.reconciliations or acc.agreements):
        return
    ws = out.sheet("avstamningar", "Avstämningar, tkr",
                   [("Post", 60), ("Källa", 48), ("Belopp", 14), ("Jämförs med", 48),
                    ("Belopp", 14), ("Stämmer", 9)])
    r = 2
    for rec in acc.reconciliations:
        ws.write_string(r, 0, rec.title, out.bold)
        r += 1
        rows = [(rec.start.label, rec.start.source, rec.start.value, True)]
        rows += [(i.label, i.source, i.value, False) for i in rec.items]
        if abs(rec.unexplained) > 0.5:
            rows.append(("Ej förklarad skillnad", "", rec.unexplained, False))
        rows.append((rec.target.label, rec.target.source, rec.target.value, True))
        for label, source, value, bold in rows:
            ws.write_string(r, 0, label, out.bold if bold else out.wrap)
            ws.write_string(r, 1, source, out.wrap)
            out.number(ws, r, 2, value, out.tkr_bold if bold else out.tkr)
            r += 1
        r += 1
    if acc.agreements:
        ws.write_string(r, 0, "Siffror som ska stämma överens", out.bold)
        r += 1
    for a in acc.agreements:
        ws.write_string(r, 0, f"{a.what}: {a.first.label}", out.wrap)
        ws.write_string(r, 1, a.first.source, out.wrap)
        fmt = out.plain if a.tolerance < 1 else out.tkr
        out.number(ws, r, 2, a.first.value, fmt)
        ws.write_string(r, 3, f"{a.second.label} ({a.second.source})", out.wrap)
        out.number(ws, r, 4, a.second.value, fmt)
        ws.write_string(r, 5, "Ja" if a.ok else "Nej", out.bold if not a.ok else out.wrap)
        r += 1
