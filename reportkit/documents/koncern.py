"""The kommunal koncern in the documents: sammanställda räkenskaper and "Den kommunala
koncernen" (LKBR 12 kap, RKR R15–R17; docs/koncern.md).

:func:`koncern_report` builds the period's koncern from the store (the loaded
``koncern.csv``, or the one a decided version froze) and the year before's (its helår in the
store, else ``data/<år>-helår/koncern.csv`` as it lies, when it reads without a fel).
:func:`koncern_values` turns it into the template's variables (mnkr, one decimal):

- ``koncern_rr``, ``koncern_br``, ``koncern_kf``: the sammanställda räkenskaper with
  Kommunen/Koncernen columns (KF only where the export has a kassaflöde: the delårsrapport
  has RR and BR, R17);
- ``koncern_avstamning``: from the kommun's figures to the koncern's, per company and per
  elimination, each column adding up;
- ``koncern_foretag`` (ägarandel, röstandel, omsättning, resultat per company),
  ``koncern_utanfor`` (left out, with the reason), ``koncern_interna`` (the eliminations),
  ``koncern_principer`` (the note on how it is made), ``koncern_flerar`` (the
  flerårsöversikt's Kommunen/Koncernen columns), ``koncern_ekonomi`` (sentences for God
  ekonomisk hushållning and the ekonomiska ställning), ``diagram_koncern`` (the org chart).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from reportkit.consolidate import koncern as kc
from reportkit.formats import format_date, format_number, format_percent
from reportkit.sources.koncern import KOMMUN, POST
from reportkit.sources.records import KoncernRow

if TYPE_CHECKING:
    from reportkit.documents.reportdata import ReportData
    from reportkit.sources.mapping import ImportMapping
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

CHART_KEY = "diagram_koncern"
_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")
_KIND_WORDS = MappingProxyType({"bolag": "Bolag", "kommunalförbund": "Kommunalförbund",
                               "stiftelse": "Stiftelse",
                               "ekonomisk_förening": "Ekonomisk förening"})
_MULTI_YEAR = (("årets_resultat", "Årets resultat, mnkr", "mnkr"),
               ("verksamhetens_intäkter", "Verksamhetens intäkter, mnkr", "mnkr"),
               ("balansomslutning", "Balansomslutning, mnkr", "mnkr"),
               ("eget_kapital", "Eget kapital, mnkr", "mnkr"),
               ("soliditet", "Soliditet, %", "%"),
               ("långfristiga_skulder", "Långfristiga skulder, mnkr", "mnkr"),
               ("avsättningar_pensioner", "Avsättningar för pensioner, mnkr", "mnkr"),
               ("investeringar", "Nettoinvesteringar, mnkr", "mnkr"))


@dataclass
class KoncernReport:
    year: int
    interim: bool
    current: kc.Koncern
    rows: list[KoncernRow]
    previous: kc.Koncern | None = None


def koncern_report(conn: sqlite3.Connection, model: Styrmodell, period: Period,
                   mapping: ImportMapping, project: Project | None = None,
                   version: Decision | None = None) -> KoncernReport | None:
    """The period's koncern, or ``None`` when import.yaml lists no koncernföretag or no
    koncern export is loaded."""
    from reportkit.consolidate.exports import stored_exports
    from reportkit.consolidate.sourced import helar_period_of
    from reportkit.styrmodell.periods import is_interim

    if not mapping.koncern.companies:
        return None
    rows = stored_exports(conn, period.id, kinds=("koncern",), version=version).koncern
    if not rows:
        return None
    names = {u.id: u.name for u in model.units.values()}
    kinds = {u.id: u.kind for u in model.units.values()}
    kommun = model.kommun.name

    def build(found: list[KoncernRow]) -> kc.Koncern:
        return kc.consolidate(found, mapping.koncern, names, kinds, kommun)

    before_id = helar_period_of(project, model.year - 1)
    before = stored_exports(conn, before_id, kinds=("koncern",)).koncern
    if not before and project is not None:
        before = _earlier(project, model, before_id, model.year - 1, mapping)
    return KoncernReport(model.year, is_interim(period.type), build(rows), rows,
                         build(before) if before else None)


def _earlier(project: Project, model: Styrmodell, period_id: str, year: int,
             mapping: ImportMapping) -> list[KoncernRow]:
    """An earlier helår's koncern.csv never consolidated, read as it lies; empty with a fel."""
    import datetime as dt

    from reportkit.sources.exports import read_exports

    folder = project.root / "data"
    if not (folder / period_id / mapping.koncern.file).is_file():
        return []
    text = mapping.periods.get(period_id) or mapping.period_format.format(
        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    own = mapping.model_copy(update={"periods": {**mapping.periods, period_id: text}})
    data = read_exports(folder, period_id, model, own, kinds=("koncern",))
    return [] if any(p.is_error for p in data.problems) else list(data.koncern)


def _mnkr(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    shown = round(value / 1000, decimals) + 0.0
    return format_number(shown, decimals, unicode_minus=True)


def _cell(text: str, bold: bool) -> Any:
    """A table cell as docxtpl RichText, bold on a summa row (``{{r … }}`` in the
    template)."""
    from reportkit.documents.render import rich_text_class

    rt = rich_text_class()()
    rt.add(text, bold=bold)
    return rt


def _statement(k: kc.Koncern, layout: kc.Layout, interim: bool = False
               ) -> list[dict[str, Any]]:
    """A statement's rows; in a delårsrapport årets resultat is the period's."""
    def shown(label: str) -> str:
        return "Periodens resultat" if interim and label == "Årets resultat" else label

    return [{"post": _cell(shown(label), kind == "sum"), "post_text": shown(label),
             "kommun": _cell(_mnkr(a), kind == "sum"),
             "koncern": _cell(_mnkr(b), kind == "sum"), "summa": kind == "sum"}
            for label, a, b, kind in kc.statement_rows(k, layout)]


def _reconciliation(k: kc.Koncern) -> list[dict[str, Any]]:
    """One row per item, a column per reconciled figure (:data:`kc.RECONCILED`); "–" where
    an item has nothing for a figure. Each column adds up from Kommunen to Koncernen."""
    columns = [{i.key: i for i in kc.reconcile(k, key)} for key in kc.RECONCILED]
    keys: list[str] = []
    for items in columns:
        keys.extend(key for key in items if key not in keys)
    keys = ["kommunen", *(x for x in keys if x not in ("kommunen", "koncernen")), "koncernen"]
    shown = [_rounded_column([items[key].amount for key in keys if key in items])
             for items in columns]
    out = []
    for key in keys:
        if key in ("kommunen", "koncernen"):
            label = key.capitalize()
        elif key.startswith("andel:"):
            party = k.party(key[6:])
            label = f"{k.name(key[6:])}, ägd andel {format_percent(party.share, 0)}" \
                if party else key
        else:
            label = next(items[key].label for items in columns if key in items)
        total = key in ("kommunen", "koncernen")
        out.append({"post": _cell(label, total), "post_text": label, "summa": total,
                    "v": [_cell(shown[c][[x for x in keys if x in items].index(key)]
                                if key in items else "–", total)
                          for c, items in enumerate(columns)]})
    return out


def _rounded_column(amounts: list[float]) -> list[str]:
    """``[kommunen, items…, koncernen]`` in mnkr with one decimal, the items rounded so that
    they add up to the shown difference (largest remainder), as a reader checks by hand."""
    tenths = [a / 100 for a in amounts]  # tkr → tenths of a mnkr
    first, last = round(tenths[0]), round(tenths[-1])
    items = tenths[1:-1]
    floors = [int(x // 1) for x in items]
    left = (last - first) - sum(floors)
    order = sorted(range(len(items)), key=lambda i: (-(items[i] - floors[i]), i))
    for i in order[:max(0, min(left, len(items)))]:
        floors[i] += 1
    return [format_number(v / 10 + 0.0, 1, unicode_minus=True)
            for v in (first, *floors, last)]


def _companies(report: KoncernReport) -> list[dict[str, Any]]:
    k = report.current
    out = []
    for party in k.parties:
        if party.id == KOMMUN:
            continue
        own = kc.company_figures(report.rows, party.id)
        result = sum(own.get(p, 0.0) for p in kc.RR_LAYOUT[-1][1]) if own else None
        out.append({
            "namn": party.name, "typ": _KIND_WORDS.get(party.kind, party.kind.capitalize()),
            "agare": k.name(party.owner) if party.owner != KOMMUN else "Kommunen",
            "agarandel": _pct(party.ownership), "rostandel": _pct(party.votes),
            "andel": _pct(party.share) if party.included else "–",
            "omsattning": _mnkr(own.get("verksamhetens_intäkter")) if own else "–",
            "resultat": _mnkr(result), "ingar": "Ja" if party.included else "Nej"})
    return out


def _pct(value: float | None) -> str:
    return "–" if value is None else format_percent(value, 0)


def _internal(k: kc.Koncern) -> list[dict[str, Any]]:
    return [{"parter": f"{k.name(s.party)} – {k.name(s.counterpart)}",
             "post": POST[s.post].label, "belopp": _mnkr(s.own),
             "andel": format_percent(s.share, 0), "eliminerat": _mnkr(s.amount)}
            for s in k.steps if s.kind in ("eliminering", "differens")]


def _principles(report: KoncernReport, kommun: str) -> str:
    k = report.current
    parts = ", ".join(f"{p.name} ({format_percent(p.share, 0)})" for p in k.included)
    return (f"De sammanställda räkenskaperna omfattar {kommun} och de kommunala "
            f"koncernföretag där kommunen har minst 20 procent av rösterna: {parts}. De är "
            "upprättade med proportionell konsolidering: av varje företags resultat- och "
            "balansposter tas bara den ägda andelen med. Interna intäkter och kostnader, "
            "fordringar och skulder mellan företagen i koncernen har eliminerats med den ägda "
            "andelen, och ägarens aktier och andelar har eliminerats mot företagets eget "
            "kapital vid förvärvet. Bolagens pensionsåtaganden redovisas som i deras egna "
            "räkenskaper; blandmodellen gäller bara kommunen.")


def _multi_year(report: KoncernReport) -> tuple[list[str], list[dict[str, Any]]]:
    years = ([report.year - 1] if report.previous else []) + [report.year]
    pairs = ([(kc.key_figures(report.previous, kommun=True), kc.key_figures(report.previous))]
             if report.previous else [])
    pairs.append((kc.key_figures(report.current, kommun=True),
                  kc.key_figures(report.current)))
    heads = [f"{who} {'jan–aug ' if report.interim and y == report.year else ''}{y}"
             for y in years for who in ("Kommunen", "Koncernen")]
    rows = []
    for key, label, unit in _MULTI_YEAR:
        values = []
        for kommun, koncern in pairs:
            for figures in (kommun, koncern):
                v = figures.get(key)
                values.append("–" if v is None else (
                    format_number(v, 1, unicode_minus=True) if unit == "%" else _mnkr(v)))
        if any(v != "–" for v in values):
            rows.append({"post": label, "v": values})
    return heads, rows


def _economy_text(report: KoncernReport) -> list[str]:
    """Facts for God ekonomisk hushållning and the ekonomisk ställning, the koncern's beside
    the kommun's (R15: the whole koncern)."""
    k = report.current
    own, whole = kc.key_figures(k, kommun=True), kc.key_figures(k)
    when = "perioden januari–augusti" if report.interim else str(report.year)
    out = [f"Koncernens resultat för {when} är {_mnkr(whole['årets_resultat'])} mnkr, "
           f"varav kommunens {_mnkr(own['årets_resultat'])} mnkr."]
    if whole["soliditet"] is not None and own["soliditet"] is not None:
        out.append(f"Koncernens soliditet är {format_percent(whole['soliditet'] / 100, 1)} "
                   f"(kommunens {format_percent(own['soliditet'] / 100, 1)}).")
    debt = whole["långfristiga_skulder"] or 0.0
    kommun_debt = own["långfristiga_skulder"] or 0.0
    if debt:
        out.append(f"Koncernens långfristiga skulder är {_mnkr(debt)} mnkr, varav "
                   f"{_mnkr(debt - kommun_debt)} mnkr i koncernföretagen.")
    largest = max(k.included, key=lambda p: abs(sum(
        s.amount for s in k.steps if s.party == p.id and s.kind == "andel"
        and s.post in kc.RR_LAYOUT[-1][1])), default=None)
    if largest is not None:
        share = sum(s.amount for s in k.steps if s.party == largest.id and s.kind == "andel"
                    and s.post in kc.RR_LAYOUT[-1][1])
        out.append(f"Av koncernföretagen bidrar {largest.name} mest till resultatet, "
                   f"{_mnkr(share)} mnkr.")
    if report.previous is not None and not report.interim:
        before = kc.key_figures(report.previous)
        out.append(f"Året före var koncernens resultat {_mnkr(before['årets_resultat'])} mnkr.")
    return out


def _chart_nodes(k: kc.Koncern, kommun: str) -> list[tuple[str, str, str, str, bool]]:
    return [(p.id, kommun if p.id == KOMMUN else p.name, "" if p.id == KOMMUN else p.owner,
             "" if p.id == KOMMUN or p.ownership is None else format_percent(p.ownership, 0),
             p.included) for p in k.parties]


_EMPTY: MappingProxyType[str, Any] = MappingProxyType({
    "koncern": False, "koncern_ar": "", "koncern_period": "", "koncern_datum": "",
    "koncern_rr": (), "koncern_resultat_rubrik": "", "koncern_br": (), "koncern_kf": (),
    "koncern_avstamning": (), "koncern_foretag": (), "koncern_utanfor": (),
    "koncern_interna": (), "koncern_principer": "", "koncern_flerar_ar": (),
    "koncern_flerar": (), "koncern_ekonomi": (), CHART_KEY: None, CHART_KEY + "_text": ""})
"""Every variable the templates use, for a kommun without a koncern (the templates skip the
parts; the pre-flight wants each name to exist)."""


def koncern_values(data: ReportData) -> dict[str, Any]:
    """The template's koncern variables (module docs); empty when there is no koncern."""
    report = getattr(data.economy, "koncern", None)
    if report is None:
        return dict(_EMPTY)
    k = report.current
    heads, multi = _multi_year(report)
    end = data.period.end
    return {
        "koncern": True,
        "koncern_ar": str(report.year),
        "koncern_period": f"januari–{_MONTHS[end.month - 1]} {report.year}"
        if report.interim and end else str(report.year),
        "koncern_datum": format_date(end) if end else f"{report.year}-12-31",
        "koncern_rr": _statement(k, kc.RR_LAYOUT, report.interim),
        "koncern_resultat_rubrik": "Periodens resultat" if report.interim
        else "Årets resultat",
        "koncern_br": _statement(k, kc.BR_LAYOUT),
        "koncern_kf": _statement(k, kc.KF_LAYOUT) if k.has_cash_flow else [],
        "koncern_avstamning": _reconciliation(k),
        "koncern_foretag": _companies(report),
        "koncern_utanfor": [{"namn": p.name, "skal": p.reason} for p in k.parties
                            if p.id != KOMMUN and not p.included],
        "koncern_interna": _internal(k),
        "koncern_principer": _principles(report, data.kommun.name),
        "koncern_flerar_ar": heads,
        "koncern_flerar": multi,
        "koncern_ekonomi": _economy_text(report),
        CHART_KEY: None, CHART_KEY + "_text": "",
    }


def koncern_charts(data: ReportData) -> dict[str, Any]:
    """The organisation chart's spec (``diagram_koncern``), none without a koncern."""
    from reportkit.documents.koncern_chart import organisation_chart

    report = getattr(data.economy, "koncern", None)
    if report is None:
        return {}
    return {CHART_KEY: (organisation_chart, {
        "title": f"Den kommunala koncernen {report.year}",
        "nodes": _chart_nodes(report.current, data.kommun.name), "name": "koncern"})}
