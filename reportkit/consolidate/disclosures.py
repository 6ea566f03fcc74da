"""The accounts a revisor checks, from the period's exports (pure): disclosures, budget and
prognos, and the figures that must agree or that legitimately differ (#30 items 2–4).

Everything comes from ``nyckeltal.csv`` (the ekonomiavdelning's figures, docs/exporter.md
"Upplysningar, budget och avstämningar"), the drift export and the investeringar export, in
tkr with their :class:`~reportkit.sources.records.SourceRef`; the documents show mnkr. The
rules are in docs/avstamningar.md:

- :func:`income_statement`: the resultaträkning with budget and avvikelse (helår: utfall −
  budget; delår: prognos − budget), a summa row computed from the posts above it.
- :func:`commitments`: the ansvarsförbindelser (pensions earned before 1998 with löneskatt,
  borgen for the kommun's bolag and others, the share of Kommuninvest's förpliktelser).
- :func:`solvency`: soliditet with and without the pension obligation of the blandmodell.
- :func:`plan_budget`: the resultat-, balans- and finansieringsbudget of the plan years.
- :func:`agreements`: figures that must agree; :func:`reconciliations`: figures that differ
  with named items between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reportkit.sources.records import (
    DriftRow,
    Investment,
    KeyFigure,
    PlannedInvestment,
    SourceRef,
)

LONESKATT = 0.2426
"""Särskild löneskatt on pension costs (lag 1991:687), also on the ansvarsförbindelse."""
TOLERANCE_TKR = 1.0
"""Largest difference between two figures that must agree, tkr (rounding)."""
TOLERANCE_PERCENT = 0.05
"""Largest difference between a soliditet shown with one decimal and its computation."""

# key, label, summa row (computed from the posts since the previous summa)
INCOME_ROWS = (
    ("verksamhetens_intäkter", "Verksamhetens intäkter", False),
    ("verksamhetens_kostnader", "Verksamhetens kostnader", False),
    ("avskrivningar", "Avskrivningar", False),
    ("verksamhetens_nettokostnad", "Verksamhetens nettokostnad", True),
    ("skatteintäkter_statsbidrag", "Skatteintäkter, generella statsbidrag och utjämning", False),
    ("verksamhetens_resultat", "Verksamhetens resultat", True),
    ("finansnetto", "Finansnetto", False),
    ("årets_resultat", "Årets resultat", True),
)
BALANCE_ROWS = (
    ("anläggningstillgångar", "Anläggningstillgångar", False),
    ("omsättningstillgångar", "Omsättningstillgångar", False),
    ("balansomslutning", "Summa tillgångar", True),
    ("eget_kapital", "Eget kapital", False),
    ("summa_avsättningar", "Avsättningar", False),
    ("summa_skulder", "Skulder", False),
    ("summa_eget_kapital_och_skulder", "Summa eget kapital, avsättningar och skulder", True),
)
CASH_FLOW_ROWS = (
    ("kassaflöde_löpande", "Medel från den löpande verksamheten", False),
    ("kassaflöde_investeringar", "Medel från investeringsverksamheten", False),
    ("kassaflöde_finansiering", "Medel från finansieringsverksamheten", False),
    ("årets_kassaflöde", "Årets kassaflöde", True),
)
PLAN_PARTS = (("resultatbudget", "Resultatbudget", INCOME_ROWS),
              ("balansbudget", "Balansbudget", BALANCE_ROWS),
              ("finansieringsbudget", "Finansieringsbudget", CASH_FLOW_ROWS))
BORGEN_BOLAG, BORGEN_OTHER = "borgen_bolag_", "borgen_övriga_"
PRINCIPLE_CHANGE = "ändrad_redovisningsprincip"
# reconciliation: key, title, item id prefix, target key (None: the RR's nettokostnad)
RECONCILIATIONS = (
    ("investeringar_kfa", "Nettoinvesteringar: investeringsredovisningen och "
     "kassaflödesanalysen", "avst_inv_kfa_", "kfa_investeringar"),
    ("investeringar_not", "Nettoinvesteringar: investeringsredovisningen och noten till "
     "materiella anläggningstillgångar", "avst_inv_not_", "not_investeringar"),
    ("drift_rr", "Nämndernas driftredovisning och verksamhetens nettokostnad i "
     "resultaträkningen", "avst_drift_", None),
)


def source_text(refs: Iterable[SourceRef]) -> str:
    """``nyckeltal.csv rad 7 (2026)``; several rows of one file as ``rad 3, 5–9``."""
    by_file: dict[str, list[tuple[int, str]]] = {}
    for ref in refs:
        by_file.setdefault(ref.file.rsplit("/", 1)[-1], []).append((ref.row, ref.column))
    parts = []
    for file, found in by_file.items():
        rows = sorted({r for r, _ in found})
        columns = sorted({c for _, c in found})
        text = f"rad {rows[0]}" if len(rows) == 1 else f"rad {rows[0]}–{rows[-1]}"
        parts.append(f"{file} {text}" + (f", kolumn {columns[0]}" if len(columns) == 1 else ""))
    return "; ".join(parts)


@dataclass(frozen=True)
class Figure:
    """One amount (tkr, or % for a soliditet) and where it comes from (``source``: a
    document place and its export rows, as a varning names them)."""

    label: str
    value: float | None
    source: str = ""


@dataclass(frozen=True)
class Line:
    """A row of a statement, note or budget: values per column key (a year, ``budget``,
    ``utfall``, ``avvikelse``); ``kind`` is ``""`` (a post), ``sum`` or ``head``."""

    key: str
    label: str
    values: dict[str, float | None]
    kind: str = ""
    note: str = ""


@dataclass(frozen=True)
class Note:
    """A note the document numbers (:attr:`Accounts.first_note` onwards)."""

    key: str
    title: str
    lines: tuple[Line, ...]
    text: str = ""


@dataclass(frozen=True)
class Agreement:
    """Two figures that must agree (docs/avstamningar.md); ``ok`` within ``tolerance``."""

    key: str
    what: str
    first: Figure
    second: Figure
    tolerance: float = TOLERANCE_TKR
    at_most: bool = False
    """The first may be below the second (a plan within its beslutad totalutgift)."""

    @property
    def ok(self) -> bool:
        a, b = self.first.value, self.second.value
        if a is None or b is None:
            return True
        return a - b <= self.tolerance if self.at_most else abs(a - b) <= self.tolerance


@dataclass(frozen=True)
class Reconciliation:
    """From ``start`` through the named ``items`` to ``target``; what the items leave is
    :attr:`unexplained` (0 when the table sums)."""

    key: str
    title: str
    start: Figure
    items: tuple[Figure, ...]
    target: Figure

    @property
    def unexplained(self) -> float:
        return (self.target.value or 0.0) - (self.start.value or 0.0) - sum(
            i.value or 0.0 for i in self.items)


@dataclass
class Accounts:
    year: int
    interim: bool
    income: list[Line] = field(default_factory=list)
    """RR with budget: columns ``fg`` (last year's utfall), ``budget``, ``utfall`` or
    ``prognos``, ``avvikelse``."""
    notes: list[Note] = field(default_factory=list)
    solvency: list[Line] = field(default_factory=list)
    """Columns: the two years (``"2025"``, ``"2026"``)."""
    principle_change: Figure | None = None
    plan_years: list[int] = field(default_factory=list)
    plan: dict[str, list[Line]] = field(default_factory=dict)
    tax_rates: dict[int, float] = field(default_factory=dict)
    agreements: list[Agreement] = field(default_factory=list)
    reconciliations: list[Reconciliation] = field(default_factory=list)
    indicator_figures: list[tuple[str, str, float, str]] = field(default_factory=list)
    """Export-sourced indicators: (id, name, the export's figure, its source)."""
    first_note: int = 1
    """The number of the first note here: after the ekonomiavdelning's own notes."""
    figures: dict[str, Figure] = field(default_factory=dict)
    """The year's key figures the statements document is checked against (tkr)."""


class _Figures:
    """The period's key figures by (key, year, kind)."""

    def __init__(self, figures: Iterable[KeyFigure]) -> None:
        self.by: dict[tuple[str, int, str], KeyFigure] = {
            (f.key, f.year, f.kind): f for f in figures}
        self.keys = list(dict.fromkeys(f.key for f in self.by.values()))

    def get(self, key: str, year: int, kind: str = "utfall") -> float | None:
        f = self.by.get((key, year, kind))
        return None if f is None else f.value.value

    def figure(self, key: str, year: int, kind: str, place: str) -> Figure:
        f = self.by.get((key, year, kind))
        if f is None:
            return Figure(place, None, f"saknas i nyckeltal ({key}, {kind} {year})")
        return Figure(place, f.value.value, f"{source_text([f.value.source])}, {key}")

    def name(self, key: str) -> str:
        return next((f.name for (k, _, _), f in self.by.items() if k == key), key)


def _statement(rows: Sequence[tuple[str, str, bool]], values: dict[str, dict[str, float | None]],
               columns: Sequence[str]) -> list[Line]:
    """Rows with summa rows computed from the posts (each summa adds everything above it
    since the start, as the RR's and a budget's steps do; a balance sheet's second summa the
    rows after the first)."""
    out, running = [], {c: 0.0 for c in columns}
    known = {c: True for c in columns}
    for key, label, total in rows:
        if total:
            shown = {c: (running[c] if known[c] else None) for c in columns}
            out.append(Line(key, label, shown, "sum"))
            if key == "balansomslutning":
                running, known = {c: 0.0 for c in columns}, {c: True for c in columns}
            continue
        row = values.get(key, {})
        for c in columns:
            v = row.get(c)
            known[c] = known[c] and v is not None
            running[c] += v or 0.0
        out.append(Line(key, label, {c: row.get(c) for c in columns}))
    return out


def income_statement(figures: Iterable[KeyFigure], year: int, interim: bool) -> list[Line]:
    """The RR with last year's utfall, the budget, this year's utfall (delår: prognos) and
    the avvikelse (utfall − budget; positive is better than budget). Empty without a budget."""
    f = _Figures(figures)
    if not any(f.get(k, year, "budget") is not None for k, _, _ in INCOME_ROWS):
        return []
    actual = "prognos" if interim else "utfall"
    values = {key: {"fg": f.get(key, year - 1), "budget": f.get(key, year, "budget"),
                    actual: f.get(key, year, actual)} for key, _, _ in INCOME_ROWS}
    lines = _statement(INCOME_ROWS, values, ("fg", "budget", actual))
    out = []
    for line in lines:
        a, b = line.values.get(actual), line.values.get("budget")
        out.append(Line(line.key, line.label, {**line.values, "avvikelse": (
            None if a is None or b is None else a - b)}, line.kind))
    return out


def commitments(figures: Iterable[KeyFigure], year: int) -> list[Note]:
    """The ansvarsförbindelser notes for ``year`` and the year before (utfall), those the
    export has: pensions before 1998 (löneskatt 24,26 % computed when the export has none),
    borgen (the kommun's bolag, then others) and Kommuninvest."""
    f = _Figures(figures)
    years = (year - 1, year)
    out: list[Note] = []

    def line(key: str, label: str, kind: str = "") -> Line:
        return Line(key, label, {str(y): f.get(key, y) for y in years}, kind)

    pension = line("pension_före_1998", "Pensionsförpliktelser intjänade före 1998")
    if any(v is not None for v in pension.values.values()):
        tax = line("pension_före_1998_löneskatt", "Löneskatt 24,26 %")
        tax = Line(tax.key, tax.label, {y: (v if v is not None else None if (
            p := pension.values[y]) is None else round(p * LONESKATT)) for y, v in
            tax.values.items()})
        total = {y: _add(pension.values[y], tax.values[y]) for y in pension.values}
        out.append(Note("pensioner", "Ansvarsförbindelse: pensionsförpliktelser", (
            pension, tax, Line("pension_summa", "Summa pensionsförpliktelser som inte tagits "
                               "upp i balansräkningen, inklusive löneskatt", total, "sum"))))
    borgen: list[Line] = []
    for prefix, head in ((BORGEN_BOLAG, "Kommunens bolag"), (BORGEN_OTHER, "Övriga")):
        own = [line(k, f.name(k)) for k in f.keys if k.startswith(prefix)]
        if own:
            borgen += [Line(prefix, head, {}, "head"), *own]
    if borgen:
        total = {str(y): _add(*(b.values.get(str(y)) for b in borgen if b.kind == ""))
                 for y in years}
        out.append(Note("borgen", "Ansvarsförbindelse: borgensåtaganden",
                        (*borgen, Line("borgen_summa", "Summa borgensåtaganden", total, "sum"))))
    invest = [line(k, f.name(k)) for k in ("kommuninvest_förpliktelser",
                                            "kommuninvest_tillgångar") if k in f.keys]
    if invest:
        out.append(Note("kommuninvest", "Ansvarsförbindelse: Kommuninvest ekonomisk förening",
                        tuple(invest), "kommuninvest"))
    return out


def _add(*values: float | None) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def solvency(figures: Iterable[KeyFigure], year: int, pension: Note | None) -> list[Line]:
    """Soliditet with and without the pensions earned before 1998 (the blandmodell keeps them
    outside the balansräkning): eget kapital, tillgångar, soliditet, the ansvarsförbindelse
    with löneskatt, eget kapital after it and the soliditet then (percent)."""
    f = _Figures(figures)
    years = [str(y) for y in (year - 1, year)]
    equity = {y: f.get("eget_kapital", int(y)) for y in years}
    assets = {y: f.get("balansomslutning", int(y)) for y in years}
    if not any(v is not None for v in equity.values()) or pension is None:
        return []
    obligation = pension.lines[-1].values
    after = {y: None if equity[y] is None or obligation.get(y) is None
             else equity[y] - obligation[y] for y in years}  # type: ignore[operator]

    def ratio(amounts: dict[str, float | None]) -> dict[str, float | None]:
        return {y: None if amounts[y] is None or not assets[y] else
                amounts[y] / assets[y] * 100 for y in years}  # type: ignore[operator]

    return [Line("eget_kapital", "Eget kapital, mnkr", dict(equity)),
            Line("balansomslutning", "Summa tillgångar, mnkr", dict(assets)),
            Line("soliditet", "Soliditet, %", ratio(equity), "sum"),
            Line("pension_summa", "Pensionsförpliktelser före 1998 inkl. löneskatt "
                 "(ansvarsförbindelse), mnkr", dict(obligation)),
            Line("eget_kapital_efter", "Eget kapital efter pensionsförpliktelserna, mnkr", after),
            Line("soliditet_inkl_pension", "Soliditet inklusive samtliga "
                 "pensionsförpliktelser, %", ratio(after), "sum")]


def plan_budget(figures: Iterable[KeyFigure], year: int
                ) -> tuple[list[int], dict[str, list[Line]], dict[int, float]]:
    """The plan years (budget columns from ``year``), the three budgets that have figures,
    and the skattesats per plan year (the first decided, the others an assumption)."""
    f = _Figures(figures)
    years = sorted({y for (_, y, kind) in f.by if kind == "budget" and y >= year})
    columns = [str(y) for y in years]
    values = {key: {str(y): f.get(key, y, "budget") for y in years} for key in f.keys}
    parts = {}
    for key, _title, rows in PLAN_PARTS:
        if any(any(v is not None for v in values.get(k, {}).values()) for k, _, t in rows
               if not t):
            parts[key] = _statement(rows, values, columns)
    taxes = {y: v for y in years if (v := f.get("skattesats", y, "budget")) is not None}
    return years, parts, taxes


def principle_change(figures: Iterable[KeyFigure], year: int) -> Figure | None:
    """The export's "Effekt av ändrad redovisningsprincip" for ``year`` when not 0."""
    found = _Figures(figures).figure(PRINCIPLE_CHANGE, year, "utfall",
                                     "Effekt av ändrad redovisningsprincip")
    return found if found.value else None


def _committee_total(drift: Sequence[DriftRow], interim: bool) -> Figure | None:
    """The nämnder's net cost (utfall; delår: prognos) summed from their verksamheter."""
    rows = [r for r in drift if r.level == "verksamhet"]
    values = [r.forecast if interim else r.actual for r in rows]
    if not rows or any(v is None or v.value is None for v in values):
        return None
    return Figure("Nämndernas nettokostnad enligt driftredovisningen",
                  sum(v.value or 0.0 for v in values if v is not None),
                  source_text(v.source for v in values if v is not None))


def _investment_total(investments: Sequence[Investment], interim: bool) -> Figure | None:
    values = [i.forecast if interim else i.actual for i in investments]
    if not investments or any(v.value is None for v in values):
        return None
    return Figure("Nettoinvesteringar enligt investeringsredovisningen",
                  sum(v.value or 0.0 for v in values), source_text(v.source for v in values))


def _net_cost(f: _Figures, year: int, kind: str) -> Figure | None:
    parts = [f.by.get((k, year, kind)) for k in ("verksamhetens_intäkter",
                                                 "verksamhetens_kostnader", "avskrivningar")]
    if any(p is None or p.value.value is None for p in parts):
        return None
    return Figure("Verksamhetens nettokostnad i resultaträkningen",
                  -sum(p.value.value or 0.0 for p in parts if p is not None),
                  source_text(p.value.source for p in parts if p is not None))


def reconciliations(figures: Iterable[KeyFigure], drift: Sequence[DriftRow],
                    investments: Sequence[Investment], year: int, interim: bool
                    ) -> list[Reconciliation]:
    """The tables of figures that legitimately differ (docs/avstamningar.md), each where both
    ends are in the exports; items are the export's ``avst_…`` rows, named there."""
    f = _Figures(figures)
    kind = "prognos" if interim else "utfall"
    out = []
    for key, title, prefix, target_key in RECONCILIATIONS:
        if target_key is None:
            start, target = _committee_total(drift, interim), _net_cost(f, year, kind)
        else:
            start = _investment_total(investments, interim)
            target = (f.figure(target_key, year, kind, f.name(target_key))
                      if (target_key, year, kind) in f.by else None)
        if start is None or target is None or target.value is None:
            continue
        items = tuple(f.figure(k, year, kind, f.name(k)) for k in f.keys
                      if k.startswith(prefix) and (k, year, kind) in f.by)
        out.append(Reconciliation(key, title, start, items, target))
    return out


def agreements(figures: Iterable[KeyFigure], investments: Sequence[Investment], year: int,
               interim: bool, notes: Sequence[Note]) -> list[Agreement]:
    """The figures that must agree (docs/avstamningar.md), where both are in the exports."""
    f = _Figures(figures)
    kind = "prognos" if interim else "utfall"
    out: list[Agreement] = []
    rr = income_statement(figures, year, interim)
    result = next((ln for ln in rr if ln.key == "årets_resultat"), None)
    if result is not None and result.values.get(kind) is not None:
        posts = [f.by[(k, year, kind)] for k, _, t in INCOME_ROWS
                 if not t and (k, year, kind) in f.by]
        out.append(Agreement(
            "resultat", "Balanskravsutredningen börjar med resultaträkningens årets resultat",
            Figure("Resultaträkningen, årets resultat (summan av posterna)",
                   result.values[kind], source_text(p.value.source for p in posts)),
            f.figure("årets_resultat", year, kind, "Balanskravsutredningen, årets resultat")))
    for y in (year - 1, year):
        out += _balance_agreements(f, y)
    total = _investment_total(investments, interim)
    if total is not None and (("investeringar", year, kind) in f.by):
        out.append(Agreement(
            "investeringar", "Flerårsöversiktens nettoinvesteringar är "
            "investeringsredovisningens summa", f.figure(
                "investeringar", year, kind, "Flerårsöversikten, nettoinvesteringar"), total))
    pension = next((n for n in notes if n.key == "pensioner"), None)
    if pension is not None:
        for y in (year - 1, year):
            out += _pension_agreements(f, y, pension)
    return out


def _balance_agreements(f: _Figures, y: int) -> list[Agreement]:
    assets = f.figure("balansomslutning", y, "utfall", f"Balansräkningen {y}, summa tillgångar")
    parts = [f.by.get((k, y, "utfall")) for k in ("eget_kapital", "summa_avsättningar",
                                                  "summa_skulder")]
    out = []
    if assets.value is not None and all(p is not None for p in parts):
        out.append(Agreement(
            f"balans_{y}", f"Balansräkningen {y} balanserar", assets,
            Figure(f"Balansräkningen {y}, eget kapital + avsättningar + skulder",
                   sum(p.value.value or 0.0 for p in parts if p is not None),
                   source_text(p.value.source for p in parts if p is not None))))
    equity = f.by.get(("eget_kapital", y, "utfall"))
    if assets.value and equity is not None and equity.value.value is not None:
        out.append(Agreement(
            f"soliditet_{y}", f"Soliditeten {y} är eget kapital i procent av tillgångarna",
            f.figure("soliditet", y, "utfall", f"Flerårsöversikten {y}, soliditet %"),
            Figure(f"Eget kapital / summa tillgångar {y}, %",
                   equity.value.value / assets.value * 100,
                   f"{source_text([equity.value.source])}; {assets.source}"),
            TOLERANCE_PERCENT))
    return out


def _pension_agreements(f: _Figures, y: int, pension: Note) -> list[Agreement]:
    out = []
    amount = pension.lines[0].values.get(str(y))
    tax = f.by.get(("pension_före_1998_löneskatt", y, "utfall"))
    if amount is not None and tax is not None and tax.value.value is not None:
        out.append(Agreement(
            f"löneskatt_{y}", f"Löneskatten på pensionsförpliktelserna före 1998 ({y}) är "
            "24,26 % av förpliktelserna",
            Figure(f"Not ansvarsförbindelser {y}, löneskatt", tax.value.value,
                   source_text([tax.value.source])),
            Figure(f"24,26 % av pensionsförpliktelserna {y}", amount * LONESKATT,
                   "pension_före_1998 × 0,2426")))
    equity, assets = f.get("eget_kapital", y), f.get("balansomslutning", y)
    total = pension.lines[-1].values.get(str(y))
    if equity is not None and assets and total is not None:
        out.append(Agreement(
            f"soliditet_inkl_pension_{y}", f"Soliditeten {y} inklusive samtliga "
            "pensionsförpliktelser räknar med ansvarsförbindelsen",
            f.figure("soliditet_inkl_pension", y, "utfall",
                     f"Flerårsöversikten {y}, soliditet inkl. samtliga pensionsåtaganden %"),
            Figure(f"(Eget kapital − ansvarsförbindelse för pensioner) / tillgångar {y}, %",
                   (equity - total) / assets * 100, "eget_kapital, pension_före_1998 med "
                   "löneskatt och balansomslutning i nyckeltal"), TOLERANCE_PERCENT))
    return out


def plan_agreements(figures: Iterable[KeyFigure], planned: Sequence[PlannedInvestment],
                    years: Sequence[int]) -> list[Agreement]:
    """A plan's budgets: each balansbudget balances, and the finansieringsbudget's
    nettoinvesteringar are the investeringsplan's sum, per plan year."""
    f = _Figures(figures)
    out = []
    for y in years:
        assets = f.figure("balansomslutning", y, "budget", f"Balansbudgeten {y}, summa "
                                                           "tillgångar")
        parts = [f.by.get((k, y, "budget")) for k in ("eget_kapital", "summa_avsättningar",
                                                      "summa_skulder")]
        if assets.value is not None and all(p is not None for p in parts):
            out.append(Agreement(
                f"balansbudget_{y}", f"Balansbudgeten {y} balanserar", assets,
                Figure(f"Balansbudgeten {y}, eget kapital + avsättningar + skulder",
                       sum(p.value.value or 0.0 for p in parts if p is not None),
                       source_text(p.value.source for p in parts if p is not None))))
        own = [p.value for p in planned if p.year == y]
        if own and ("investeringar", y, "budget") in f.by:
            out.append(Agreement(
                f"investeringsplan_{y}", f"Finansieringsbudgetens nettoinvesteringar {y} är "
                "investeringsplanens summa",
                f.figure("investeringar", y, "budget", f"Budgeten {y}, nettoinvesteringar"),
                Figure(f"Investeringsplanen {y}, summa", sum(v.value or 0.0 for v in own),
                       source_text(v.source for v in own))))
    return out


def project_agreements(investments: Sequence[Investment],
                       planned: Sequence[PlannedInvestment]) -> list[Agreement]:
    """A flerårigt project's amounts in the investeringsplan (all plan years) stay within its
    beslutad totalutgift."""
    out = []
    for inv in investments:
        if not inv.multi_year or inv.decided_total.value is None:
            continue
        own = [p.value for p in planned if p.project_id == inv.project_id]
        if not own:
            continue
        out.append(Agreement(
            f"totalutgift_{inv.project_id}", f"Projektet {inv.project_id} {inv.name} ryms i "
            "sin beslutade totalutgift",
            Figure("Investeringsplanen, summa över planåren", sum(v.value or 0.0 for v in own),
                   source_text(v.source for v in own)),
            Figure("Investeringsredovisningen, beslutad totalutgift", inv.decided_total.value,
                   source_text([inv.decided_total.source])), at_most=True))
    return out


def build_accounts(figures: Sequence[KeyFigure], drift: Sequence[DriftRow],
                   investments: Sequence[Investment], year: int, *, interim: bool,
                   plan: bool = False, plan_investments: Sequence[PlannedInvestment] = ()
                   ) -> Accounts:
    """Everything above for one period; a plan gets only its budgets and skattesats."""
    out = Accounts(year, interim)
    if plan:
        out.plan_years, out.plan, out.tax_rates = plan_budget(figures, year)
        out.agreements = plan_agreements(figures, plan_investments, out.plan_years)
        return out
    out.income = income_statement(figures, year, interim)
    if not interim:
        out.notes = commitments(figures, year)
        pension = next((n for n in out.notes if n.key == "pensioner"), None)
        out.solvency = solvency(figures, year, pension)
        out.principle_change = principle_change(figures, year)
    out.agreements = agreements(figures, investments, year, interim, out.notes)
    out.agreements += project_agreements(investments, plan_investments)
    f = _Figures(figures)
    kind = "prognos" if interim else "utfall"
    out.figures = {key: f.figure(key, year, kind, place) for key, place in (
        ("årets_resultat", "Balanskravsutredningen, årets resultat"),
        ("balansomslutning", "Nyckeltalen, balansomslutning"))
        if (key, year, kind) in f.by}
    out.reconciliations = reconciliations(figures, drift, investments, year, interim)
    return out
