"""Economy and personnel figures for the reports, computed from the export records (pure).

Money in tkr, net cost positive (see :mod:`reportkit.sources.records`). Avvikelse is
budget − utfall, so a positive avvikelse is an överskott. Budget always includes KF's
anslagsförändringar during the year. Ratios are fractions (0.062 = 6,2 %), ready for
:func:`reportkit.formats.format_percent`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportkit.errors import Problem, problem
from reportkit.formats import format_number
from reportkit.sources.mapping import ImportMapping
from reportkit.sources.records import (
    AGE_29,
    AGE_30_49,
    AGE_50,
    MEN,
    TOTAL,
    WOMEN,
    DriftRow,
    HrRow,
    Investment,
    KeyFigure,
    SourceRef,
)

RER_LIMIT = 0.05  # resultatreserven: at most 5 % of skatteintäkter, statsbidrag och utjämning


@dataclass(frozen=True)
class DriftLine:
    """Drift of one verksamhet, nämnd or the kommun. In a delår ``deviation`` is ``None`` (a
    period's utfall against a year's budget says nothing) and the prognos fields are set; in
    a helår it is the reverse."""

    unit: str
    name: str
    level: str
    budget: float
    budget_changes: float
    actual: float
    deviation: float | None
    forecast: float | None
    forecast_deviation: float | None
    sources: tuple[SourceRef, ...]


def drift_lines(rows: Sequence[DriftRow], *, interim: bool, kommun: str = "kommun",
                kommun_name: str = "Summa nämnder") -> list[DriftLine]:
    """Verksamheter, then each nämnd as the sum of its verksamheter, then the kommun's sum.

    Nämnder come in the export's order, each followed by its verksamheter. The export's own
    nämnd totals are not used here (the reader has checked that they agree).
    """
    details = [r for r in rows if r.level == "verksamhet"]
    committees: list[str] = []
    names: dict[str, str] = {}
    for r in rows:
        if r.committee not in committees:
            committees.append(r.committee)
        if r.level == "nämnd":
            names[r.committee] = r.name
    out: list[DriftLine] = []
    for committee in committees:
        own = [r for r in details if r.committee == committee]
        out.append(_line(committee, names.get(committee, committee), "nämnd", own, interim))
        out.extend(_line(r.unit, r.name, "verksamhet", [r], interim) for r in own)
    out.append(_line(kommun, kommun_name, "kommun", details, interim))
    return out


def _line(unit: str, name: str, level: str, rows: Sequence[DriftRow], interim: bool
          ) -> DriftLine:
    def total(attr: str) -> float:
        return sum((getattr(r, attr).value or 0.0) for r in rows)

    budget = total("internal_budget") + total("budget_changes")
    actual = total("actual")
    forecast = None
    if interim and all(r.forecast is not None for r in rows):
        forecast = sum((r.forecast.value or 0.0) for r in rows if r.forecast is not None)
    sources = tuple(v.source for r in rows for v in (r.internal_budget, r.budget_changes,
                                                     r.actual, r.forecast) if v is not None)
    return DriftLine(unit, name, level, budget, total("budget_changes"), actual,
                     None if interim else budget - actual, forecast,
                     None if forecast is None else budget - forecast, sources)


@dataclass(frozen=True)
class InvestmentLine:
    """``deviation``: budget − utfall (helår) or budget − prognos (delår).
    ``total_deviation``: beslutad − beräknad totalutgift, fleråriga projects only."""

    project_id: str
    name: str
    unit: str
    budget: float
    actual: float
    forecast: float | None
    deviation: float
    total_deviation: float | None
    row: int


def investment_lines(items: Iterable[Investment], *, interim: bool) -> list[InvestmentLine]:
    out = []
    for inv in items:
        budget, actual = inv.budget.value or 0.0, inv.actual.value or 0.0
        forecast = inv.forecast.value
        compare = (forecast if forecast is not None else actual) if interim else actual
        total = None
        if inv.multi_year and inv.decided_total.value is not None \
                and inv.estimated_total.value is not None:
            total = inv.decided_total.value - inv.estimated_total.value
        out.append(InvestmentLine(inv.project_id, inv.name, inv.unit, budget, actual, forecast,
                                  budget - compare, total, inv.row))
    return out


# key, Swedish label, sign in the sum; the key figures hold amounts as in docs/exporter.md.
# The shown row carries the legal form's prefix (−, +, ±, =, see BalanceLine.text).
BALANCE_ADJUSTMENTS = (
    ("realisationsvinster", "Samtliga realisationsvinster", -1),
    ("realisation_undantag",
     "Realisationsvinster och -förluster enligt undantagsmöjlighet", +1),
    ("orealiserade_värdepapper",
     "Orealiserade förluster och vinster i värdepapper", +1),
)
BALANCE_RESERVES = (
    ("rer_reservering", "Reservering till resultatreserv (RER)", -1),
    ("rer_användning", "Användning av medel från resultatreserv (RER)", +1),
    ("rur_reservering", "Reservering till resultatutjämningsreserv (RUR)", -1),
    ("rur_användning", "Användning av medel från resultatutjämningsreserv (RUR)", +1),
)
# the legal form's prefix per row: − dras av, + läggs till, ± either way (orealiserade)
BALANCE_SIGNS = {"realisationsvinster": "\u2212", "realisation_undantag": "+",
                 "orealiserade_värdepapper": "±", "rer_reservering": "\u2212",
                 "rer_användning": "+", "rur_reservering": "\u2212", "rur_användning": "+"}
RESULT_LABEL = "Årets resultat enligt resultaträkningen"
ADJUSTED_LABEL = "Årets resultat efter balanskravsjusteringar"
BALANCE_LABEL = "Årets balanskravsresultat"


@dataclass(frozen=True)
class BalanceLine:
    """One row of the balanskravsutredning: ``values[year]`` as shown, with its sign applied
    (a reservation is negative); ``None`` when the key figure is missing for the year.
    ``total`` marks an "= …" row. ``key`` is the nyckeltal id (or ``resultat_efter_justeringar``,
    ``balanskravsresultat``). ``sign`` is the legal form's prefix (−, +, ±; "=" for a total
    row, "" for årets resultat); :attr:`text` is the row as the legal form shows it. The
    documents use this class too (``reportkit.documents.reportdata.BalanskravRow``), there in
    mnkr."""

    label: str
    values: dict[int, float | None]
    total: bool = False
    key: str = ""
    sign: str = ""

    @property
    def text(self) -> str:
        """``− samtliga realisationsvinster``, ``= Årets balanskravsresultat``."""
        if not self.sign or self.label.startswith(self.sign + " "):
            return self.label
        label = self.label
        if self.sign != "=" and label[:1].isupper() and not label[1:2].isupper():
            label = label[:1].lower() + label[1:]
        return f"{self.sign} {label}"


def balance_requirement(figures: Iterable[KeyFigure], years: Sequence[int],
                        reserve_rows: Sequence[str], *, kind: str = "utfall"
                        ) -> tuple[list[BalanceLine], list[Problem]]:
    """The balanskravsutredning for ``years`` side by side, rows in the prescribed order.

    ``reserve_rows`` are the reserve rows shown (``import.yaml: balanskrav.reservrader``). A
    hidden row with an amount still counts, so the result is never wrong, and gives a
    varning. Missing adjustment rows count as 0; a missing årets resultat gives ``None``.
    ``kind="prognos"`` uses the prognos columns (delår).
    """
    table = {(f.key, f.year): f.value.value for f in figures if f.kind == kind}
    problems: list[Problem] = []

    def amounts(rows: Sequence[tuple[str, str, int]], shown: Sequence[str] | None
                ) -> tuple[list[BalanceLine], dict[int, float]]:
        lines, sums = [], {y: 0.0 for y in years}
        for key, label, sign in rows:
            values = {y: table.get((key, y)) for y in years}
            for y in years:
                sums[y] += sign * (values[y] or 0.0)
            if shown is None or key in shown:
                lines.append(BalanceLine(label, {
                    y: None if v is None else sign * v + 0.0 for y, v in values.items()},
                    key=key, sign=BALANCE_SIGNS.get(key, "")))
            else:
                for y, v in values.items():
                    if v:
                        problems.append(problem(
                            "config-invalid-value", key="balanskrav.reservrader",
                            value=key, reason=f"raden visas inte men har {format_number(v)} "
                                              f"tkr {y}, som ändå räknas med",
                            expected=f"lägg till {key} under balanskrav.reservrader"))
        return lines, sums

    result = {y: table.get(("årets_resultat", y)) for y in years}
    adjust_lines, adjust = amounts(BALANCE_ADJUSTMENTS, None)
    reserve_lines, reserve = amounts(BALANCE_RESERVES, reserve_rows)
    adjusted = {y: None if (r := result[y]) is None else r + adjust[y] for y in years}
    final = {y: None if (a := adjusted[y]) is None else a + reserve[y] for y in years}
    lines = [BalanceLine(RESULT_LABEL, result, key="årets_resultat"), *adjust_lines,
             BalanceLine(ADJUSTED_LABEL, adjusted, True, "resultat_efter_justeringar", "="),
             *reserve_lines,
             BalanceLine(BALANCE_LABEL, final, True, "balanskravsresultat", "=")]
    return lines, problems


def balance_result(lines: Sequence[BalanceLine]) -> dict[int, float | None]:
    return lines[-1].values


def check_reserve_limit(figures: Iterable[KeyFigure], year: int) -> Problem | None:
    """A varning when the resultatreserv's balance exceeds 5 % of skatteintäkter, generella
    statsbidrag och utjämning for ``year`` (utfall); ``None`` when within or unknown."""
    table = {f.key: f.value.value for f in figures if f.year == year and f.kind == "utfall"}
    reserve, base = table.get("resultatreserv"), table.get("skatteintäkter_statsbidrag")
    if reserve is None or base is None or reserve <= RER_LIMIT * base:
        return None
    return problem("economy-rer-over-limit", year=year, reserve=format_number(reserve),
                   limit=format_number(RER_LIMIT * base))


OUTCOMES = {
    "resultat_andel_skatt": "årets resultat / skatteintäkter, generella statsbidrag och "
                            "utjämning × 100",
    "självfinansieringsgrad": "(årets resultat + avskrivningar) / nettoinvesteringar × 100",
    "nämnder_inom_ram": "andel nämnder med avvikelse (delår: prognosavvikelse) ≥ 0, %",
    "antal_nämnder_inom_ram": "antal nämnder med avvikelse (delår: prognosavvikelse) ≥ 0",
}
"""The computed outcomes a finansiellt mål's indicator may be mapped to
(``import.yaml: finansiella_mål``), with how each is computed."""


def financial_outcomes(figures: Iterable[KeyFigure], year: int, *, kind: str = "utfall",
                       drift: Sequence[DriftLine] = ()) -> dict[str, float | None]:
    """Outcomes of the usual finansiella mål (:data:`OUTCOMES`), in percent points (85 = 85 %):

    ``resultat_andel_skatt`` årets resultat / skatteintäkter och statsbidrag;
    ``självfinansieringsgrad`` (årets resultat + avskrivningar) / nettoinvesteringar;
    ``nämnder_inom_ram`` share of nämnder with avvikelse (delår: prognosavvikelse) ≥ 0;
    ``antal_nämnder_inom_ram`` their number.
    """
    t = {f.key: f.value.value for f in figures if f.year == year and f.kind == kind}
    result, tax = t.get("årets_resultat"), t.get("skatteintäkter_statsbidrag")
    depreciation, invest = t.get("avskrivningar"), t.get("investeringar")
    out: dict[str, float | None] = {
        "resultat_andel_skatt": None if result is None or not tax else result / tax * 100,
        "självfinansieringsgrad": None if result is None or depreciation is None or not invest
        else (result + abs(depreciation)) / invest * 100,
    }
    committees = [d for d in drift if d.level == "nämnd"]
    devs = [d.forecast_deviation if d.deviation is None else d.deviation for d in committees]
    within = sum(1 for d in devs if d is not None and d >= 0)
    known = devs and all(d is not None for d in devs)
    out["nämnder_inom_ram"] = within / len(devs) * 100 if known else None
    out["antal_nämnder_inom_ram"] = float(within) if known else None
    return out


# the seven sjukfrånvaro ratios of LKBR/RKR: key, Swedish label, group (numerator/denominator)
SICK_RATIOS = (
    ("totalt", "Total sjukfrånvaro", TOTAL),
    ("långtid", "Andel sjukfrånvaro 60 dagar eller mer", TOTAL),
    ("kvinnor", "Kvinnor", WOMEN),
    ("män", "Män", MEN),
    ("upp_till_29", "29 år eller yngre", AGE_29),
    ("30_49", "30–49 år", AGE_30_49),
    ("50_och_äldre", "50 år eller äldre", AGE_50),
)


@dataclass(frozen=True)
class SickRatio:
    """``value`` is a fraction, ``None`` when suppressed (``suppressed``: fewer employees in
    the group than the threshold) or when the denominator is 0."""

    key: str
    label: str
    value: float | None
    suppressed: bool
    headcount: float
    numerator_hours: float
    denominator_hours: float


@dataclass(frozen=True)
class SickLeave:
    unit: str
    level: str
    ratios: tuple[SickRatio, ...]

    def ratio(self, key: str) -> SickRatio:
        return next(r for r in self.ratios if r.key == key)


def sick_leave(rows: Iterable[HrRow], *, threshold: int = 10, kommun: str = "kommun"
               ) -> list[SickLeave]:
    """The seven ratios per verksamhet, per nämnd and for the kommun.

    Hours are summed first and divided once: a nämnd's ratio is its summed sick hours over
    its summed ordinary hours, never an average of its verksamheters' percentages. A group
    with fewer than ``threshold`` employees (summed at the level) is suppressed; the
    long-term share follows the Totalt group's headcount.
    """
    rows = list(rows)
    scopes: list[tuple[str, str, list[HrRow]]] = []
    committees: dict[str, list[HrRow]] = {}
    units: dict[str, list[HrRow]] = {}
    for r in rows:
        committees.setdefault(r.committee, []).append(r)
        units.setdefault(r.unit, []).append(r)
    for committee, own in committees.items():
        scopes.append((committee, "nämnd", own))
        scopes.extend((u, "verksamhet", rs) for u, rs in units.items()
                      if rs[0].committee == committee)
    scopes.append((kommun, "kommun", rows))
    return [SickLeave(unit, level, _ratios(rs, threshold)) for unit, level, rs in scopes]


def _ratios(rows: Sequence[HrRow], threshold: int) -> tuple[SickRatio, ...]:
    sums: dict[str, list[float]] = {}
    for r in rows:
        acc = sums.setdefault(r.group, [0.0, 0.0, 0.0, 0.0])
        for i, v in enumerate((r.headcount, r.ordinary_hours, r.sick_hours, r.long_sick_hours)):
            acc[i] += v.value or 0.0
    out = []
    for key, label, group in SICK_RATIOS:
        heads, ordinary, sick, long = sums.get(group, [0.0, 0.0, 0.0, 0.0])
        num, den = (long, sick) if key == "långtid" else (sick, ordinary)
        suppressed = heads < threshold
        value = None if suppressed or den == 0 else num / den
        out.append(SickRatio(key, label, value, suppressed, heads, num, den))
    return tuple(out)


def balance_rows(figures: list[KeyFigure], year: int, interim: bool,
                 mapping: ImportMapping, divisor: float = 1000) -> list[BalanceLine]:
    """The balanskravsutredning for up to five years ending with the budget year, in mnkr
    (``divisor=1``: tkr); in delår the budget year is the prognos. Years without årets
    resultat are left out."""
    years = sorted({f.year for f in figures if f.key == "årets_resultat" and f.kind == "utfall"
                    and f.value.value is not None and f.year <= year})[-5:]
    if not any(f.key == "årets_resultat" for f in figures):
        return []
    lines, _ = balance_requirement(figures, years, mapping.balance.reserve_rows)
    if interim:
        forecast, _ = balance_requirement(figures, [year], mapping.balance.reserve_rows,
                                              kind="prognos")
        if forecast[0].values[year] is not None:
            lines = [BalanceLine(a.label, {**a.values, **b.values}, a.total, a.key,
                                     a.sign)
                     for a, b in zip(lines, forecast, strict=True)]
    return [BalanceLine(line.label, {y: None if v is None else v / divisor
                                         for y, v in sorted(line.values.items())},
                            line.total, line.key, line.sign) for line in lines]
