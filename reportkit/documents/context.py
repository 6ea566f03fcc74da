"""ReportData → the flat template context: ready Swedish strings, rows, statuses and charts.

Templates belong to the kansli, so they only place values; every decision (which goals, which
label, how a number is written, what is missing) is made here. The variable names are listed
in ``templates/docx/README.md``; a template asking for anything else is stopped by the render
pre-flight.

- numbers via :mod:`reportkit.formats` (decimal comma, non-breaking thousands space, true minus);
- a status is a RichText: the scale's symbol in the scale's colour, then the label in the text
  colour (colour never carries status alone; the symbol needs only 3:1 contrast);
- in delår and tertial the labels are the prognos wording ("Bedöms uppfyllas");
- a text a nämnd has not written becomes "[Text saknas: …]" plus a ``unit-text-missing``
  varning;
- charts are :class:`~reportkit.documents.charts.Chart` objects; the renderer turns them into
  pictures with alt text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit.documents import charts, reading_aids
from reportkit.documents.render import clean_text, rich_text_class
from reportkit.documents.reportdata import (
    Committee,
    DriftRow,
    Goal,
    Indicator,
    InvestmentRow,
    Period,
    ReportData,
)
from reportkit.errors import Problem, problem
from reportkit.formats import DASH, NBSP, format_date, format_number, format_percent, format_value
from reportkit.styrmodell import kinds
from reportkit.styrmodell.assess import EJ_MATT, EJ_UPPFOLJT, Scale, Step
from reportkit.styrmodell.targets import Target, TargetRange, TargetTrend, target_text
from reportkit.styrmodell.words import lower_first

__all__ = ["DOCUMENTS", "CHAPTERS", "AVSNITT", "BuiltContext", "build_context", "chapter_contexts",
           "chapter_template", "status_richtext", "SICK_LEAVE_LABELS"]

DOCUMENTS = ("arsredovisning", "delarsrapport", "verksamhetsplan", "kapitel-namnd",
             "kapitel-namnd-plan", "uppfoljning")
CHAPTERS = ("kapitel-namnd", "kapitel-namnd-plan")
"""Templates of one nämnd's (or bolag's) chapter; the whole documents are composed of them."""

AVSNITT: dict[str, tuple[str, ...]] = {
    "arsredovisning": ("forord", "aret_i_korthet", "maluppfyllelse_i_korthet",
                       "politisk_organisation", "oversikt", "kommunala_koncernen",
                       "viktiga_forhallanden", "handelser",
                       "styrning", "god_ekonomisk_hushallning", "balanskrav", "personal",
                       "forvantad_utveckling", "driftredovisning", "investeringsredovisning",
                       "finansiella_rapporter", "namnder", "ordlista"),
    "delarsrapport": ("handelser", "maluppfyllelse", "god_ekonomisk_hushallning", "ekonomi",
                      "balanskrav", "investeringar", "personal", "forvantad_utveckling",
                      "finansiella_rapporter", "namnder", "ordlista"),
    "verksamhetsplan": ("inledning", "mal", "ekonomi", "ramar", "investeringsplan", "namnder",
                        "ordlista"),
    "uppfoljning": ("maluppfyllelse", "namnder"),
}
"""The sections a document can switch off (``avsnitt.<key>`` in the template; the kommun's
choice per period type is ``avsnitt.yaml`` in its template folder)."""

DATA_TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    # (context list, avsnitt that shows it, what the table is called in the varning)
    "arsredovisning": (("flerarsoversikt", "oversikt", "Flerårsöversikt"),
                       ("balanskrav", "balanskrav", "Balanskravsutredning"),
                       ("sjukfranvaro_rader", "personal", "Sjukfrånvaro"),
                       ("drift", "driftredovisning", "Driftredovisning"),
                       ("investeringar", "investeringsredovisning", "Investeringsredovisning")),
    "delarsrapport": (("drift", "ekonomi", "Driftredovisning med helårsprognos"),
                      ("balanskrav", "balanskrav", "Prognos för balanskravsresultatet"),
                      ("investeringar", "investeringar", "Investeringar"),
                      ("sjukfranvaro_rader", "personal", "Sjukfrånvaro")),
    "verksamhetsplan": (("ramar", "ramar", "Kommunfullmäktiges ramar per nämnd"),
                        ("investeringsplan", "investeringsplan", "Investeringsplan")),
}

TABLE_EXPORTS = {"drift": "drift", "investeringar": "investeringar",
                 "sjukfranvaro_rader": "personal", "balanskrav": "nyckeltal",
                 "flerarsoversikt": "nyckeltal", "ramar": "ramar",
                 "investeringsplan": "investeringsplan"}
"""The export kind (consolidate/exports.py KINDS) each of DATA_TABLES comes from; its
varning names it so render can tell why the table is empty (documents/causes.py)."""

SICK_LEAVE_LABELS = (
    ("total", "Total sjukfrånvaro i procent av ordinarie arbetstid"),
    ("long_term_share", "Andel av sjukfrånvaron som avser frånvaro i 60 dagar eller mer"),
    ("women", "Sjukfrånvaro för kvinnor"),
    ("men", "Sjukfrånvaro för män"),
    ("age_29_or_younger", "Sjukfrånvaro för anställda 29 år eller yngre"),
    ("age_30_49", "Sjukfrånvaro för anställda 30–49 år"),
    ("age_50_or_older", "Sjukfrånvaro för anställda 50 år eller äldre"),
)

_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")

# Committee texts each document shows, with their Swedish names
_UNIT_TEXTS_FOLLOW_UP = (
    ("uppdrag", "Uppdrag"),
    ("handelser", "Händelser av väsentlig betydelse"),
    ("verksamhetsuppfoljning", "Verksamhetsuppföljning"),
    ("privata_utforare", "Privata utförare"),
    ("intern_kontroll", "Intern kontroll"),
    ("ekonomi", "Ekonomi"),
    ("forvantad_utveckling", "Framtid"),
)
_UNIT_TEXTS_PLAN = (
    ("uppdrag", "Uppdrag"),
    ("trend_omvarld", "Trend- och omvärldsanalys"),
    ("nulage", "Nulägesanalys"),
    ("ekonomiska_forutsattningar", "Ekonomiska förutsättningar och investeringar"),
    ("forbattringsomraden", "Prioriterade förbättringsområden"),
)
SYMBOL_STYLE = "Statussymbol"
"""Character style of a status symbol in the templates (a font that has ● ◐ ○ ■)."""
_SHOWN_UNITS = {"%", "kr", "tkr", "mnkr", "dagar", "timmar", "år", "st"}


@dataclass
class BuiltContext:
    values: dict[str, Any]
    core: dict[str, str]
    """Core properties for the .docx: title, subject, author (= the kommun), keywords."""
    problems: list[Problem] = field(default_factory=list)
    charts: tuple[list[Any], Any] | None = None
    """With ``defer_charts``: the chart specs still to draw (or read from the cache) and the
    function that places the drawn charts (in that order) into ``values``."""


def _num(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals, unicode_minus=True)


def _tkr(value: float | None) -> str:
    return _num(None if value is None else round(value), 0)


def _ind_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """An indicator's value in its unit, with its ``decimaler`` (a ja/nej value as Ja/Nej)."""
    if value is None:
        return DASH
    text = format_value(value, unit if unit in _SHOWN_UNITS else "",
                        None if isinstance(value, bool) else decimals)
    return text.replace("-", "\u2212")


def _sum(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _date_text(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _period_text(data: ReportData) -> str:
    p = data.period
    if p.start and p.end:
        if p.start.year == p.end.year:
            return f"{p.start.day} {_MONTHS[p.start.month - 1]}–{_date_text(p.end)}"
        return f"{_date_text(p.start)}–{_date_text(p.end)}"
    return p.name


def status_richtext(scale: Scale, status: str | None, forecast: bool = False) -> Any:
    """``● Uppfyllt``: the symbol in the scale's colour, the label in the ordinary text colour."""
    rt = rich_text_class()()
    if status is None:
        rt.add("Ej bedömd")
        return rt
    try:
        step = scale.step(status)
    except ValueError:
        rt.add(_one_line(status))
        return rt
    _add_symbol(rt, step)
    rt.add(NBSP + _one_line(step.forecast_label if forecast else step.label))
    return rt


def _add_symbol(rt: Any, step: Step) -> None:
    """The step's symbol in its colour; a colour too light to stand on the white page
    (under 3:1, e.g. FFFF00) shades the symbol instead, the symbol black or white on it
    (whichever reaches 4.5:1)."""
    if step.light:
        rt.add(step.symbol, color=step.text_color, highlight=step.color, style=SYMBOL_STYLE)
    else:
        rt.add(step.symbol, color=step.color, style=SYMBOL_STYLE)


def _status_text(scale: Scale, status: str | None, forecast: bool) -> str:
    if status is None:
        return "Ej bedömd"
    try:
        step = scale.step(status)
    except ValueError:
        return status
    return f"{step.symbol} {step.forecast_label if forecast else step.label}"


def _legend(scale: Scale, forecast: bool, not_followed_up: bool = False) -> Any:
    """The scale's steps and Ej mätt (and Följs inte upp denna period when a goal has it)."""
    rt = rich_text_class()()
    shown = list(scale.steps) + [scale.step(EJ_MATT)]
    if not_followed_up:
        shown.append(scale.step(EJ_UPPFOLJT))
    for i, step in enumerate(shown):
        if i:
            rt.add("   ")
        _add_symbol(rt, step)
        rt.add(NBSP + (step.forecast_label if forecast else step.label))
    return rt


def _target_value(ind: Indicator) -> str:
    """The målvärde as a document shows it: the year's (``85 %``, ``Ja``, ``80–90 %``, ``Ska
    öka``), or each year's on a line of its own in a plan over several years (``2027: 86 %``),
    and the mandatperiod's on the line below (``Mandatperioden: 90 %``)."""
    if not ind.year_targets and ind.mandate_target is None:
        return _one_target(ind.target, ind.unit, ind.decimals)
    lines = [f"{y}: {_one_target(t, ind.unit, ind.decimals)}"
             for y, t in sorted(ind.year_targets.items())] \
        or [_one_target(ind.target, ind.unit, ind.decimals)]
    if ind.mandate_target is not None:
        lines.append(f"Mandatperioden: {_one_target(ind.mandate_target, ind.unit, ind.decimals)}")
    return "\n".join(lines)


def _one_target(target: Target | None, unit: str, decimals: int | None = None) -> str:
    if isinstance(target, TargetRange | TargetTrend):
        return target_text(target, unit if unit in _SHOWN_UNITS else "").replace("-", "\u2212")
    return _ind_value(target, unit, decimals)


def _chart_target(target: Target | None) -> float | None:
    """A målvärde the trend chart can draw as a line: a number (not ja/nej, a range or a
    direction)."""
    return target if isinstance(target, int | float) and not isinstance(target, bool) else None


def _gender_lines(ind: Indicator) -> list[str]:
    """``["flickor 90,5 %", "pojkar 83,5 %"]``: kvinnor's and män's utfall of an indicator
    split by kön, in the kommun's words, shown under the total in the Utfall cell (its own
    line each, as the column is narrow); none without a total or a split."""
    if ind.actual is None or not ind.by_gender:
        return []
    words = {"K": "kvinnor", "M": "män"} | {g: lower_first(w)
                                            for g, w in ind.gender_words.items()}
    return [f"{words[g]} {_ind_value(v, ind.unit, ind.decimals)}"
            for g, v in sorted(ind.by_gender.items())]


def _indicator_row(ind: Indicator, scale: Scale, forecast: bool, year: int
                   ) -> dict[str, Any]:
    return {
        "namn": _one_line(ind.name),
        "enhet": ind.unit,
        "malvarde": _target_value(ind),
        "utfall": "\n".join((_ind_value(ind.actual, ind.unit, ind.decimals),
                              *_gender_lines(ind))),
        "utfall_kon": ", ".join(_gender_lines(ind)),
        "prognos": _ind_value(ind.forecast, ind.unit, ind.decimals),
        "foregaende": _ind_value(ind.previous(year), ind.unit, ind.decimals),
        "grad": format_percent(ind.degree, 0, floor=True) if ind.degree is not None else DASH,
        "bedomning": status_richtext(scale, ind.status, forecast),
        "bedomning_text": _status_text(scale, ind.status, forecast),
        "kalla": _one_line(ind.source),
    }


def _trend_spec(goal: Goal, year: int) -> tuple[Any, dict[str, Any]] | None:
    for ind in goal.indicators:
        if isinstance(ind.actual, bool) or isinstance(ind.target, bool):
            continue  # a ja/nej indicator: no trend line
        values = {y: v for y, v in ind.history.items() if v is not None}
        if ind.actual is not None:
            values[year] = ind.actual
        if len(values) < 3:
            continue
        # every year from the first with a value: a year without one is a gap, not left out
        years = list(range(max(min(values), year - 4), year + 1))
        targets = {**ind.target_history, year: _chart_target(ind.target)}
        return charts.indicator_trend, {
            "title": _one_line(ind.name), "unit": ind.unit, "years": years,
            "actual": [values.get(y) for y in years],
            "targets": [targets.get(y) for y in years],
            "lower_is_better": ind.lower_is_better, "name": f"trend-{goal.id}-{ind.id}",
        }
    return None


def _plan_trend_spec(goal: Goal, year: int) -> tuple[Any, dict[str, Any]] | None:
    """A plan's trend: the first numeric indicator's utfall of the earlier years (two at
    least) toward the plan's målvärden for its years (``year_targets``, else the year's)."""
    for ind in goal.indicators:
        if isinstance(ind.target, bool) or any(isinstance(v, bool)
                                               for v in ind.history.values()):
            continue  # a ja/nej indicator: no trend line
        values = {y: v for y, v in ind.history.items() if v is not None and y < year}
        plan = {y: _chart_target(t) for y, t in ind.year_targets.items()} \
            or {year: _chart_target(ind.target)}
        if len(values) < 2 or not any(v is not None for v in plan.values()):
            continue
        last = max([year, *plan])
        years = list(range(max(min(values), year - 4), last + 1))
        targets = {**ind.target_history, **plan}
        return charts.indicator_trend, {
            "title": f"{_one_line(ind.name)}: utfall och målvärden",
            "unit": ind.unit, "years": years,
            "actual": [values.get(y) for y in years],
            "targets": [targets.get(y) for y in years],
            "lower_is_better": ind.lower_is_better, "name": f"plan-{goal.id}-{ind.id}",
            "plan_from": min(plan),
        }
    return None


def _goal(goal: Goal, data: ReportData, forecast: bool) -> dict[str, Any]:
    scale = data.scale
    return {
        "id": goal.id,
        "namn": _one_line(goal.name),
        "omrade": _one_line(goal.area),
        "agare": _one_line(goal.owner_name),
        "status": goal.status or "",
        "bedomning": status_richtext(scale, goal.status, forecast),
        "bedomning_text": _status_text(scale, goal.status, forecast),
        "bedomd_av": _one_line(goal.assessed_by),
        "motivering": goal.motivation,
        "analys": goal.analysis,
        "indikatorer": [_indicator_row(i, scale, forecast, data.period.year)
                        for i in goal.indicators],
        "diagram": None,
        "diagram_text": "",
    }


def _status_counts(goals: Sequence[Goal], scale: Scale) -> dict[str, int]:
    counts: dict[str, int] = {}
    for g in goals:
        status = g.status if g.status in scale.statuses else EJ_MATT
        counts[status] = counts.get(status, 0) + 1
    return counts


def _status_list(scale: Scale, forecast: bool, used: set[str]) -> list[tuple[str, str, str]]:
    steps = list(scale.steps) + [s for s in scale.specials if s.status == EJ_MATT
                                 or s.status in used]
    return [(s.status, s.forecast_label if forecast else s.label, s.color) for s in steps]


def _unit_text(c: Committee, key: str, title: str,
               problems: list[Problem]) -> tuple[str, bool]:
    """(text, missing): a missing text is a placeholder and a varning."""
    text = c.mission if key == "uppdrag" else c.texts.get(key, "")
    if text and text.strip():
        return text, False
    if key == "uppdrag":
        problems.append(problem("unit-mission-missing", unit=c.name, committee=c.id))
        return (f"[Text saknas: {title} – skriv uppdraget för {c.name} i styrmodellen "
                f"(uppdrag: under {c.id})]"), True
    if key in _FILE_TEXTS:  # no workbook has it: sections.prepare_committee_texts decides
        return f"[Text saknas: {title} – {c.name}]", True
    problems.append(problem("unit-text-missing", section=title, unit=c.name))
    return f"[Text saknas: {title} – {c.name} fyller i texten i styrkortet]", True


_FILE_TEXTS = ("privata_utforare", "intern_kontroll")


def _drift_row(r: DriftRow, forecast: bool) -> dict[str, str]:
    compare = r.forecast if forecast else r.actual
    return {"namnd": _one_line(r.name), "budget": _tkr(r.budget), "utfall": _tkr(r.actual),
            "prognos": _tkr(r.forecast), "avvikelse": _tkr(_diff(r.budget, compare)),
            "utfall_fg": _tkr(r.actual_previous_year)}


def _drift_sum(name: str, rows: Sequence[DriftRow]) -> DriftRow:
    return DriftRow("", name, _sum([r.budget for r in rows]), _sum([r.actual for r in rows]),
                    _sum([r.forecast for r in rows]),
                    _sum([r.actual_previous_year for r in rows]))


def _drift_note(rows: Sequence[DriftRow], forecast: bool) -> str:
    """How to read the drift table, and KF's anslagsförändringar when there were any."""
    note = (f"Avvikelse = budget − {'prognos' if forecast else 'utfall'}. Ett positivt tal är "
            "ett överskott mot budget.")
    changes = _sum([getattr(r, "budget_changes", None) for r in rows])
    if changes:
        note += (" Budgeten omfattar kommunfullmäktiges anslagsförändringar under året, "
                 f"{_tkr(changes)} tkr.")
    return note


def _investment_row(r: InvestmentRow, forecast: bool, names: dict[str, str]) -> dict[str, str]:
    compare = r.forecast if forecast else r.actual
    return {"projekt": _one_line(r.project), "namnd": names.get(r.committee_id, r.committee_id),
            "namnd_kort": r.committee_id, "budget": _tkr(r.budget), "utfall": _tkr(r.actual),
            "prognos": _tkr(r.forecast), "avvikelse": _tkr(_diff(r.budget, compare)),
            "total_beslutad": _tkr(r.total_decided), "total_beraknad": _tkr(r.total_estimated)}


def _groups_under_kf(data: ReportData, committee_id: str, forecast: bool,
                     children: dict[str, list[Goal]]) -> list[dict[str, Any]]:
    kf = {g.id: g for g in data.kf_goals()}
    own = data.committee_goals(committee_id)
    groups: list[dict[str, Any]] = []
    order = [g.id for g in data.kf_goals()]
    for kf_id in order + [None]:
        members = [g for g in own if (kf_id in g.parents if kf_id else
                                      not any(p in kf for p in g.parents))]
        if not members:
            continue
        parent = kf.get(kf_id) if kf_id else None
        shown = []
        for g in members:
            shown.append((g, 0))
            shown += [(sub, 1) for sub in _subgoals(data, g, children)]
        rows = []
        for g, depth in shown:
            for n, ind in enumerate(g.indicators or [None]):
                rows.append({
                    "mal": (_goal_label(g, depth) if n == 0 else ""),
                    "indikator": _one_line(ind.name) if ind else DASH,
                    "foregaende": _ind_value(ind.previous(data.period.year), ind.unit,
                                             ind.decimals)
                    if ind else DASH,
                    "malvarde": _target_value(ind) if ind else DASH,
                    "kalla": _one_line(ind.source) if ind else "",
                })
        groups.append({
            "namn": _one_line(parent.name) if parent else
            f"Övriga {data.words.goal('nämnd').lower().plural}",
            "bedomning": status_richtext(data.scale, parent.status if parent else None,
                                         forecast),
            "bedomning_text": _status_text(data.scale, parent.status if parent else None,
                                           forecast),
            "mal": [{"namn": _goal_label(g, depth), "niva": g.level,
                     "bedomning": status_richtext(data.scale, g.status, forecast),
                     "bedomning_text": _status_text(data.scale, g.status, forecast),
                     "kommentar": g.analysis or g.motivation or DASH} for g, depth in shown],
            "indikatorrader": rows,
        })
    return groups


_DEPTH = ("kommun", "nämnd", "verksamhet", "enhet")


def _children(data: ReportData) -> dict[str, list[Goal]]:
    """Every goal's children (the goals naming it as a parent), in document order."""
    out: dict[str, list[Goal]] = {}
    for g in data.goals:
        for parent in dict.fromkeys(g.parents):
            out.setdefault(parent, []).append(g)
    return out


def _subgoals(data: ReportData, goal: Goal, children: dict[str, list[Goal]]) -> list[Goal]:
    """Goals below ``goal`` down to the configured depth (måldjup), in document order
    (``children``: :func:`_children` of ``data``)."""
    limit = _DEPTH.index(data.goal_depth) if data.goal_depth in _DEPTH else 1
    out: list[Goal] = []

    def walk(parent: Goal) -> None:
        for g in children.get(parent.id, ()):
            if g.level in _DEPTH and _DEPTH.index(g.level) <= limit:
                out.append(g)
                walk(g)

    walk(goal)
    return out


def _goal_label(goal: Goal, depth: int) -> str:
    """A nämndmål as it is; a goal further down marked with its owner: "– Grundskolan: …"."""
    if depth == 0:
        return _one_line(goal.name)
    return f"\u2013 {_one_line(goal.owner_name)}: {_one_line(goal.name)}"


def _committee(c: Committee, data: ReportData, document: str, forecast: bool,
               problems: list[Problem], children: dict[str, list[Goal]]) -> dict[str, Any]:
    names = {x.id: x.name for x in data.committees}
    texts = _UNIT_TEXTS_PLAN if data.period.type == "plan" else _UNIT_TEXTS_FOLLOW_UP
    out: dict[str, Any] = {"id": c.id, "namn": _one_line(c.name), "typ": c.kind}
    out.update(_kind_words(c.kind))
    missing: dict[str, bool] = {}
    for key, title in texts:
        out[key], missing[key] = _unit_text(c, key, title, problems)
    out["framtid"] = out.get("forvantad_utveckling", "")
    missing["framtid"] = missing.get("forvantad_utveckling", False)
    for key, _t in _UNIT_TEXTS_FOLLOW_UP + _UNIT_TEXTS_PLAN:
        missing.setdefault(key, False)
    out["saknas"] = missing
    out["kf_grupper"] = _groups_under_kf(data, c.id, forecast, children)
    own = [r for r in data.economy.drift if r.committee_id == c.id]
    detail = [r for r in getattr(data.economy, "drift_detail", []) if r.committee_id == c.id]
    # the verksamheter, then the nämnd's own line as the table's (bold) last row
    out["drift"] = [_drift_row(r, forecast) for r in detail]
    out["drift_summa"] = _drift_row(own[0] if len(own) == 1 else
                                    _drift_sum(c.name, detail or own), forecast)
    out["drift_summa"]["namnd"] = (f"Summa {_one_line(c.name)}" if detail
                                   else _one_line(c.name))
    out["har_drift"] = bool(own or detail)
    out["drift_med_fg"] = any(r.actual_previous_year is not None for r in detail + own)
    out["drift_not"] = _drift_note(own, forecast)
    out["investeringar"] = [_investment_row(r, forecast, names) for r in data.economy.investments
                            if r.committee_id == c.id]
    acts = []
    for g in data.committee_goals(c.id):
        for a in g.activities:
            acts.append({"beskrivning": _one_line(a.description), "mal": _one_line(g.name),
                         "ansvarig": _one_line(a.responsible), "start": format_date(a.start),
                         "slut": format_date(a.end), "status": _one_line(a.status),
                         "kommentar": a.comment})
    out["aktiviteter"] = acts
    plan_years = _plan_years(data)
    out["ramar"] = [{"namn": _one_line(r.label), "v": [_tkr(r.values.get(y)) for y in plan_years]}
                    for r in data.economy.frames if r.committee_id == c.id]
    out["investeringsplan"] = [{"namn": _one_line(r.label),
                                "v": [_tkr(r.values.get(y)) for y in plan_years]}
                               for r in data.economy.investment_plan if r.committee_id == c.id]
    out["ekonomi_atgarder"] = c.texts.get("ekonomi_atgarder", "")
    own_figures = [r for r in getattr(data.economy, "companies", []) if r.company_id == c.id]
    years = [data.period.year - 2, data.period.year - 1, data.period.year]  # as the other tables
    out["bolag_ar"] = [str(y) for y in years]
    out["bolag_nyckeltal"] = [{"namn": _one_line(r.label),
                               "v": [_num(r.values.get(y), r.decimals) for y in years]}
                              for r in own_figures]
    out["fil"] = {key: None for key in _FILE_TEXTS}
    # keys every document's chapter may use, so one template fits all periods
    for key, _t in _UNIT_TEXTS_FOLLOW_UP + _UNIT_TEXTS_PLAN:
        out.setdefault(key, "")
    return out


def _plan_years(data: ReportData) -> list[int]:
    years = sorted({y for r in data.economy.frames + data.economy.investment_plan
                    for y in r.values})
    if not years:
        years = [data.period.year]
    years = years[:3]
    while len(years) < 3:
        years.append(years[-1] + 1)
    return years


def _last_years(years: set[int], n: int, end: int) -> list[int]:
    chosen = sorted(y for y in years if y <= end)[-n:]
    while len(chosen) < n:
        chosen.insert(0, (chosen[0] if chosen else end + 1) - 1)
    return chosen


def chapter_template(document: str) -> str:
    """The chapter template a whole document is composed of."""
    return "kapitel-namnd-plan" if document == "verksamhetsplan" else "kapitel-namnd"


def _chapter_title(data: ReportData) -> str:
    year = data.period.year
    return {"helår": f"Verksamhetsberättelse {year}", "plan": f"Verksamhetsplan {year}"}.get(
        data.period.type, _one_line(data.period.name))


def _document_title(data: ReportData, document: str) -> str:
    return _chapter_title(data) if document in CHAPTERS else _one_line(data.period.name)


def build_context(data: ReportData, document: str, *, committee: str | None = None,
                  with_charts: bool = True, chart_cache: Path | None = None,
                  avsnitt: Sequence[str] | None = None,
                  standalone: bool = True, defer_charts: bool = False) -> BuiltContext:
    """The context for template ``document`` (one of DOCUMENTS).

    ``committee`` picks the nämnd for a chapter template (CHAPTERS). ``with_charts=False``
    leaves every chart out (``None``; the templates skip the figure). ``chart_cache`` is a
    folder for :func:`reportkit.documents.charts.render_many`. ``avsnitt`` lists the sections
    shown (default: all of ``AVSNITT[document]``). ``standalone=False`` renders a chapter as a
    part of the whole document (``fristaende`` false: no cover). ``defer_charts`` leaves the
    charts to the caller (``BuiltContext.charts``), who may draw them beside other work.
    """
    if document not in DOCUMENTS:
        raise ValueError(f"document must be one of {', '.join(DOCUMENTS)}")
    problems: list[Problem] = []
    v = _document_values(data, document, avsnitt, standalone)
    v.update(_goal_values(data))
    v.update(_economy_values(data))
    if committee is None:
        v.update(_accounts_values(data, v, problems))
    v.update(_committee_values(data, document, committee, problems))
    v.update(_chart_placeholders())
    v.update(reading_aids.reading_aid_values(
        data, _add_symbol, politics=v["avsnitt"].get("politisk_organisation", False)))
    specs = {**_goal_charts(data, document), **_economy_charts(data)}
    if document == "verksamhetsplan":
        specs.update(_plan_charts(data))
    if document == "arsredovisning":
        specs.update(reading_aids.reading_aid_charts(data))
    pending = None
    if with_charts and specs:
        pending = _chart_work(v, specs, chart_cache, defer_charts)
    v["uppgifter_saknas"] = _data_missing(v, data, document, problems)
    v["uppgifter_saknas"]["mandatfordelning"] = reading_aids.politics_missing(v, problems)
    return BuiltContext(v, _core_properties(data, document, v.get("namnd")), problems, pending)


def _accounts_values(data: ReportData, v: dict[str, Any], problems: list[Problem]
                     ) -> dict[str, Any]:
    """Disclosures, budget and reconciliations (documents/reconcile.py); the note on a
    changed principle is asked for only when the export books one."""
    from reportkit.documents.reconcile import PRINCIPLE_SWITCH, accounts_values, check_agreements

    out = accounts_values(data)
    v["avsnitt"][PRINCIPLE_SWITCH] = (out["princip_andring"] is not None
                                      and v["avsnitt"].get("finansiella_rapporter", False))
    problems.extend(check_agreements(data))
    return out


def _document_values(data: ReportData, document: str, avsnitt: Sequence[str] | None,
                     standalone: bool) -> dict[str, Any]:
    """What the whole document shows around its tables: kommun, title, period, the decision,
    the sections switched on and the scale's legend."""
    forecast = data.period.is_forecast
    known = AVSNITT.get(document, ())
    shown = set(known if avsnitt is None else avsnitt)
    return {
        "kommun_namn": _one_line(data.kommun.name),
        "kommun_vision": data.kommun.vision,
        "kommun_invanare": _num(data.kommun.inhabitants),
        "dokument_titel": _document_title(data, document),
        "dokumenttyp": document,
        "period_namn": _period_text(data),
        "period_id": data.period.id,
        "period_typ": data.period.type,
        "ar": str(data.period.year),
        "malvarden_ar": _target_years_text(data),
        "status_rad": f"Beslutad av {_one_line(data.decision)}" if data.decision else "Utkast",
        "utkast": data.decision is None,
        "beslut": _one_line(data.decision or ""),
        "prognos": forecast,
        "fristaende": standalone,
        "avsnitt": {key: key in shown for key in known},
        "skala_forklaring": _legend(data.scale, forecast,
                                    any(g.status == EJ_UPPFOLJT for g in data.goals)),
        **_word_values(data),
    }


def _target_years_text(data: ReportData) -> str:
    """The years of the målvärden shown: ``2026``, ``2026–2028`` for a plan over three years,
    with the mandatperiod when a målvärde is set for it (``2026 och för mandatperioden
    2023–2026``)."""
    years = data.period.target_years
    text = f"{years[0]}{DASH}{years[-1]}" if years else str(data.period.year)
    if any(i.mandate_target is not None for g in data.goals for i in g.indicators):
        text += f" och för mandatperioden {data.period.mandate}"
    return text


def _word_values(data: ReportData) -> dict[str, Any]:
    """The styrmodell's words (``nivanamn``, ``malnamn``, ``omradesnamn``, each in all its
    forms) and the names of the KF goals' two kinds (``maltyper``), which are no level's."""
    from reportkit import texts

    return {**data.words.as_context(),
            "maltyper": {"verksamhet": texts.GOALS_OPERATIONAL,
                         "finansiella": texts.GOALS_FINANCIAL}}


def _areas(data: ReportData) -> list[str]:
    """The målområden in the styrmodell's order, then any only a KF goal names."""
    return list(dict.fromkeys(list(data.areas) + [g.area for g in data.kf_goals()]))


def _goal_values(data: ReportData) -> dict[str, Any]:
    """The KF goals: all of them, per målområde, the finansiella, and the summary table."""
    forecast = data.period.is_forecast
    kf_all = data.kf_goals()
    goal_ctx = {g.id: _goal(g, data, forecast) for g in kf_all}
    by_area = [{"namn": _one_line(a), "mal": [goal_ctx[g.id] for g in kf_all
                                              if g.area == a and g.kind != "finansiellt"]}
               for a in _areas(data)]
    table, total = _summary_table(data, forecast)
    return {
        "kf_mal": [goal_ctx[g.id] for g in kf_all],
        "malomraden": [a for a in by_area if a["mal"]],
        "finansiella_mal": [goal_ctx[g.id] for g in kf_all if g.kind == "finansiellt"],
        "maluppfyllelse_tabell": table,
        "maluppfyllelse_summa": total,
    }


def _economy_values(data: ReportData) -> dict[str, Any]:
    """The whole kommun's economy and personnel tables."""
    return {**_drift_values(data), **_investment_values(data), **_key_figure_values(data),
            **_balanskrav_values(data), **_sick_leave_values(data), **_plan_values(data)}


def _drift_values(data: ReportData) -> dict[str, Any]:
    forecast = data.period.is_forecast
    drift = data.economy.drift
    return {
        "drift": [_drift_row(r, forecast) for r in drift],
        "drift_summa": _drift_row(_drift_sum("Summa", drift), forecast),
        "drift_med_fg": any(r.actual_previous_year is not None for r in drift),
        "drift_not": _drift_note(drift, forecast),
    }


def _investment_values(data: ReportData) -> dict[str, Any]:
    forecast = data.period.is_forecast
    names = {c.id: c.name for c in data.committees}
    rows = data.economy.investments
    total = InvestmentRow(
        "Summa", "",
        budget=_sum([r.budget for r in rows]),
        actual=_sum([r.actual for r in rows]),
        forecast=_sum([r.forecast for r in rows]),
        total_decided=_sum([r.total_decided for r in rows]),
        total_estimated=_sum([r.total_estimated for r in rows]))
    return {"investeringar": [_investment_row(r, forecast, names) for r in rows],
            "investeringar_summa": _investment_row(total, forecast, names),
            "investeringar_forkortningar": _abbreviations(
                [r.committee_id for r in rows], names)}


def _abbreviations(ids: Sequence[str], names: dict[str, str]) -> str:
    """"Förkortningar: BUN = Barn- och utbildningsnämnden, KS = Kommunstyrelsen." for the
    short names a table shows (in the order they first appear); empty when there are none."""
    seen = [i for n, i in enumerate(ids) if i and i not in ids[:n] and names.get(i, i) != i]
    if not seen:
        return ""
    return "Förkortningar: " + ", ".join(f"{i} = {_one_line(names[i])}" for i in seen) + "."


def _key_figure_values(data: ReportData) -> dict[str, Any]:
    """The flerårsöversikt: the last five years up to the period's."""
    rows = data.economy.key_figures
    years = _last_years({y for r in rows for y in r.values}, 5, data.period.year)
    return {
        "flerarsoversikt_ar": [str(y) for y in years],
        "flerarsoversikt": [
            {"post": _one_line(r.label), "v": [_num(r.values.get(y), r.decimals) for y in years]}
            for r in rows],
    }


def _balanskrav_values(data: ReportData) -> dict[str, Any]:
    """The balanskravsutredning: the last three years, the period's a prognos in delår; a
    total row in bold."""
    forecast = data.period.is_forecast
    year = data.period.year
    rows = data.economy.balanskrav
    years = _last_years({y for r in rows for y in r.values}, 3, year)
    RichText = rich_text_class()  # noqa: N806 - the class

    def post(label: str, total: bool) -> Any:
        rt = RichText()
        rt.add(_one_line(label), bold=total)
        return rt

    return {
        "balanskrav_ar": [f"Prognos {y}" if forecast and y == year else str(y) for y in years],
        "balanskrav": [{"post": post(r.text, r.total), "post_text": _one_line(r.text),
                        "summa": r.total, "v": [_num(r.values.get(y), 1) for y in years]}
                       for r in rows],
    }


def _sick_leave_values(data: ReportData) -> dict[str, Any]:
    """Sjukfrånvaro per measure (SICK_LEAVE_LABELS) for the last three years."""
    sick = {s.year: s for s in data.economy.sick_leave}
    years = _last_years(set(sick), 3, data.period.year)

    def shown(year: int, attr: str) -> str:
        value = getattr(sick[year], attr) if year in sick else None
        return DASH if value is None else format_percent(value, 1)

    part = _part_of_year(data.period)
    note = ("Sjukfrånvaron räknas i timmar: sjukfrånvarotimmar i procent av ordinarie arbetstid. "
            "Ett streck (–) betyder att uppgiften saknas eller att gruppen är så liten att den "
            "inte redovisas.")
    if part is not None:
        # like with like: the period's months are named, and the whole years beside them said
        note += (f" Kolumnen {part[0]} {data.period.year} avser {part[1]} {data.period.year}; "
                 "tidigare år avser hela året.")
    return {
        "sjukfranvaro_ar": [f"{part[0]} {y}" if part is not None and y == data.period.year
                            else str(y) for y in years],
        "sjukfranvaro": [{"matt": label, "v": [shown(y, attr) for y in years]}
                         for attr, label in SICK_LEAVE_LABELS],
        "sjukfranvaro_rader": [s for s in data.economy.sick_leave
                               if any(getattr(s, a) is not None for a, _l in SICK_LEAVE_LABELS)],
        "sjukfranvaro_not": note,
    }


def _part_of_year(period: Period) -> tuple[str, str] | None:
    """A follow-up period that is part of its year as a column label and in words: ``("jan–aug",
    "januari–augusti")``; None for a whole year (or a period without dates)."""
    if period.start is None or period.end is None or (
            period.start.month, period.start.day, period.end.month, period.end.day) == (
            1, 1, 12, 31):
        return None
    first, last = _MONTHS[period.start.month - 1], _MONTHS[period.end.month - 1]
    return f"{first[:3]}–{last[:3]}", f"{first}–{last}"


def _plan_values(data: ReportData) -> dict[str, Any]:
    """KF's ramar per nämnd and the investeringsplan for the plan's three years."""
    eco = data.economy
    years = _plan_years(data)
    return {
        "plan_ar": [str(y) for y in years],
        "ramar": [{"namn": _one_line(r.label), "namnd_kort": r.committee_id,
                   "v": [_tkr(r.values.get(y)) for y in years]} for r in eco.frames],
        "ramar_summa": [_tkr(_sum([r.values.get(y) for r in eco.frames])) for y in years],
        # a year with nothing planned for a project is "–", not "0" (issue 29)
        "investeringsplan": [{"namn": _one_line(r.label), "namnd_kort": r.committee_id,
                              "v": [_tkr(r.values.get(y) or None) for y in years]}
                             for r in eco.investment_plan],
        "investeringsplan_summa": [_tkr(_sum([r.values.get(y) for r in eco.investment_plan]))
                                   for y in years],
        "investeringsplan_forkortningar": _abbreviations(
            [r.committee_id for r in eco.investment_plan],
            {c.id: c.name for c in data.committees}),
    }


def _committee_values(data: ReportData, document: str, committee: str | None,
                      problems: list[Problem]) -> dict[str, Any]:
    """``namnder``: every nämnd and bolag; a chapter template has the one chosen, also as
    ``namnd``."""
    forecast = data.period.is_forecast
    if document not in CHAPTERS:
        children = _children(data)
        namnder = [_committee(c, data, document, forecast, problems, children)
                   for c in data.committees]
        return {"namnder": namnder, "namndgrupper": _committee_groups(namnder, document)}
    chosen = [c for c in data.committees if c.id == committee]
    if not chosen:
        raise ValueError(f"unknown committee {committee!r}; known: "
                         f"{', '.join(c.id for c in data.committees)}")
    namnd = _committee(chosen[0], data, document, forecast, problems, _children(data))
    return {"namnd": namnd, "namnder": [namnd]}


def _kind_words(kind_id: str) -> dict[str, Any]:
    """A committee's kind in words (styrmodell/kinds.py): ``typ_namn`` (``nämnd``, ``bolag``,
    ``kommunalförbund`` …), ``typ_bestamd`` (``nämnden``, ``bolaget`` …), ``rapport`` (what its
    report is called: ``verksamhetsberättelse``, ``rapport om ägardirektivet``) and ``grupp``
    (the document group: ``nämnd``, ``bolag``, ``kommunalförbund``)."""
    k = kinds.kind(kind_id)
    return {"typ_namn": k.singular, "typ_bestamd": k.definite, "rapport": k.report,
            "grupp": k.group}


def _committee_groups(namnder: list[dict[str, Any]], document: str) -> list[dict[str, Any]]:
    """``namndgrupper``: the committees' part of a whole document by kind, each part with its
    heading (``rubrik``: "Nämndernas verksamhetsberättelser", "Nämndernas och bolagens …" only
    where both exist, "Kommunalförbundens …"), its ``grupper`` and its ``namnder`` (the same
    items as in ``namnder``, nämnder before bolag)."""
    out = []
    for groups in kinds.document_groups(n["typ"] for n in namnder):
        members = [n for g in groups for n in namnder if kinds.group_of(n["typ"]) == g]
        out.append({"rubrik": kinds.group_heading(groups, document), "grupper": groups,
                    "namnder": members})
    return out


def _committees_by_kind(committees: Sequence[Committee]) -> list[Committee]:
    """Committees in the documents' order of kinds (nämnder, bolag, kommunalförbund), each
    kind in the styrmodell's order."""
    return sorted(committees, key=lambda c: kinds.GROUPS.index(kinds.group_of(c.kind)))


_CHART_KEYS = ("diagram_maluppfyllelse", "diagram_namndmal", "diagram_drift",
              "diagram_investeringar", "diagram_sjukfranvaro", "diagram_ramar",
              "diagram_investeringsplan")
"""The whole document's charts (``None`` when there is none); each has a ``<key>_text``
caption. A KF goal's trend chart is the goal's own ``diagram``."""

_ChartSpec = tuple[Any, dict[str, Any]]
"""A chart to draw: the :mod:`~reportkit.documents.charts` function and its arguments."""


def _chart_placeholders() -> dict[str, Any]:
    """Every chart of the whole document empty, until :func:`_chart_work` places it."""
    out: dict[str, Any] = {}
    for key in _CHART_KEYS:
        out[key], out[key + "_text"] = None, ""
    return out


def _goal_charts(data: ReportData, document: str) -> dict[str, _ChartSpec]:
    """The KF goals' trends (årsredovisning; keyed ``goal:<id>``) and the måluppfyllelse per
    målområde and per nämnd."""
    forecast = data.period.is_forecast
    scale = data.scale
    year = data.period.year
    kf_all = data.kf_goals()
    specs: dict[str, _ChartSpec] = {}
    if document in ("arsredovisning", "verksamhetsplan"):
        trend = _trend_spec if document == "arsredovisning" else _plan_trend_spec
        for g in kf_all:
            spec = trend(g, year)
            if spec:
                specs[f"goal:{g.id}"] = spec
    statuses = _status_list(scale, forecast, {g.status or "" for g in data.goals})
    word = "prognos för " if forecast else ""
    kf_word, area_word = data.words.goal("kommun"), data.words.area.lower()
    committee_goal = data.words.goal("nämnd")
    area_groups = [(a, _status_counts([g for g in kf_all if g.area == a], scale))
                   for a in _areas(data) if any(g.area == a for g in kf_all)]
    if area_groups:
        specs["diagram_maluppfyllelse"] = (charts.status_shares, {
            "title": f"{kf_word.plural} per {area_word.grundform}, {word}måluppfyllelse {year}",
            "groups": area_groups, "statuses": statuses, "name": "maluppfyllelse-omrade"})
    with_goals = [c for c in _committees_by_kind(data.committees) if data.committee_goals(c.id)]
    committee_groups = [(c.name, _status_counts(data.committee_goals(c.id), scale))
                        for c in with_goals]
    if committee_groups:
        per = kinds.per_groups(c.kind for c in with_goals)
        specs["diagram_namndmal"] = (charts.status_shares, {
            "title": f"{committee_goal.plural} {per}, {word}måluppfyllelse {year}",
            "groups": committee_groups, "statuses": statuses, "name": "maluppfyllelse-namnd"})
    return specs


def _economy_charts(data: ReportData) -> dict[str, _ChartSpec]:
    """Drift per nämnd, investeringar per projekt and the sjukfrånvaro's trend."""
    forecast = data.period.is_forecast
    year = data.period.year
    eco = data.economy
    specs: dict[str, _ChartSpec] = {}
    if eco.drift:
        specs["diagram_drift"] = (charts.budget_actual_forecast, {
            "title": ("Budget, utfall och helårsprognos per nämnd" if forecast
                      else "Budget och utfall per nämnd") + f" {year}",
            "rows": [(r.name, r.budget, r.actual, r.forecast if forecast else None)
                     for r in eco.drift], "name": "drift"})
    if eco.investments and forecast:
        # utfall for part of the year beside a whole year's budget needs the prognos beside it
        specs["diagram_investeringar"] = (charts.budget_actual_forecast, {
            "title": f"Investeringar per projekt {year}, budget, utfall och helårsprognos",
            "rows": [(r.project, r.budget, r.actual, r.forecast) for r in eco.investments],
            "name": "investeringar"})
    elif eco.investments:
        specs["diagram_investeringar"] = (charts.investments, {
            "title": f"Investeringar per projekt {year}, budget och utfall",
            "rows": [(r.project, r.budget or 0.0, r.actual or 0.0) for r in eco.investments],
            "name": "investeringar"})
    sick = {s.year: s for s in eco.sick_leave}
    if len(sick) >= 2:  # one year is a table, not a trend
        specs["diagram_sjukfranvaro"] = (charts.sick_leave, {
            "title": "Sjukfrånvaro i procent av ordinarie arbetstid",
            "years": sorted(sick), "series": {
                "Totalt": [sick[y].total for y in sorted(sick)],
                "Kvinnor": [sick[y].women for y in sorted(sick)],
                "Män": [sick[y].men for y in sorted(sick)]},
            "name": "sjukfranvaro"})
    return specs


def _per_committee(data: ReportData, ids: Sequence[str]) -> str:
    """``per nämnd`` (``per nämnd och bolag`` …) for the committees ``ids``; "" for none."""
    found = [c.kind for c in data.committees if c.id in set(ids)]
    return kinds.per_groups(found) if found else ""


def _plan_charts(data: ReportData) -> dict[str, _ChartSpec]:
    """The verksamhetsplan's KF ramar per nämnd (grouped per year) and its investeringsplan
    per year (stacked per nämnd), in tkr over the plan years."""
    eco = data.economy
    years = _plan_years(data)
    by_id = {c.id: c for c in data.committees}
    specs: dict[str, _ChartSpec] = {}
    frames = [r for r in eco.frames if any(r.values.get(y) is not None for y in years)]
    if frames:
        per = _per_committee(data, [r.committee_id for r in frames])
        specs["diagram_ramar"] = (charts.plan_per_year, {
            "title": f"Kommunfullmäktiges ramar {per}".rstrip(),
            "years": years, "rows": [(_one_line(r.label), [r.values.get(y) for y in years])
                                     for r in frames], "name": "ramar"})
    plan: dict[str, list[float | None]] = {}
    for r in eco.investment_plan:
        sums = plan.setdefault(r.committee_id, [None] * len(years))
        for i, y in enumerate(years):
            if r.values.get(y) is not None:
                sums[i] = (sums[i] or 0.0) + float(r.values[y] or 0.0)
    plan = {k: vals for k, vals in plan.items() if any(x is not None for x in vals)}
    if plan:
        per = _per_committee(data, list(plan))
        order = [c.id for c in _committees_by_kind(data.committees) if c.id in plan]
        order += [k for k in plan if k not in order]
        specs["diagram_investeringsplan"] = (charts.plan_per_year, {
            "title": f"Investeringsplan {per}".rstrip(),
            "years": years, "stacked": True, "name": "investeringsplan",
            "rows": [(_one_line(by_id[k].name) if k in by_id else k or "Övrigt", plan[k])
                     for k in order]})
    return specs


def _chart_work(v: dict[str, Any], specs: dict[str, _ChartSpec], chart_cache: Path | None,
                defer: bool) -> tuple[list[Any], Any] | None:
    """Draw the charts (or read them from the cache) and place them into ``v`` with their
    captions; with ``defer``, return the specs and the placing function instead."""
    keys = list(specs)
    goals = {g["id"]: g for g in v["kf_mal"]}

    def place(drawn: Sequence[Any]) -> None:
        for key, chart in zip(keys, drawn, strict=True):
            caption = f"Figur: {specs[key][1]['title']}."
            if key.startswith("goal:"):
                g = goals[key[5:]]
                g["diagram"], g["diagram_text"] = chart, caption
            else:
                v[key], v[key + "_text"] = chart, caption

    if defer:
        return [specs[k] for k in keys], place
    place(charts.render_many([specs[k] for k in keys], cache_dir=chart_cache,
                             workers=chart_workers(len(keys))))
    return None


_DOCUMENT_WORDS = {"arsredovisning": "Årsredovisning", "delarsrapport": "Delårsrapport",
                   "verksamhetsplan": "Verksamhetsplan",
                   "kapitel-namnd": "Verksamhetsberättelse",
                   "kapitel-namnd-plan": "Verksamhetsplan", "uppfoljning": "Uppföljning"}


def _core_properties(data: ReportData, document: str,
                     namnd: dict[str, Any] | None) -> dict[str, str]:
    """Title, subject, author and keywords of the .docx (``namnd``: a chapter's nämnd)."""
    kommun = _one_line(data.kommun.name)
    title = _document_title(data, document)
    doc_word = _DOCUMENT_WORDS[document]
    if data.period.type == "tertial" and document == "delarsrapport":
        doc_word = "Tertialrapport"
    if document in CHAPTERS:
        assert namnd is not None  # a chapter template always has its nämnd
        title = _chapter_core_title(namnd, title, kommun)
    else:
        title = f"{title} – {kommun}"
    return {
        "title": title,
        "subject": f"{doc_word} för {kommun}, {_period_text(data)}",
        "author": kommun,
        "keywords": f"{doc_word}; {kommun}; {data.period.year}",
    }


def _chapter_core_title(namnd: dict[str, Any], title: str, kommun: str) -> str:
    return f"{namnd['namn']}: {title} – {kommun}"


def chapter_contexts(data: ReportData, document: str, committees: Sequence[str], *,
                     with_charts: bool = True, chart_cache: Path | None = None,
                     standalone: bool = True) -> list[BuiltContext]:
    """:func:`build_context` of chapter template ``document`` (CHAPTERS) for each of
    ``committees``, the same values, with what every chapter shares (the KF goals, the
    economy tables, the charts) built once: only ``namnd``, ``namnder`` and the title differ.
    Each context is its own dict; the shared values must not be changed in place."""
    if document not in CHAPTERS:
        raise ValueError(f"document must be one of {', '.join(CHAPTERS)}")
    if not committees:
        return []
    first = build_context(data, document, committee=committees[0], with_charts=with_charts,
                          chart_cache=chart_cache, standalone=standalone)
    out = [first]
    by_id = {c.id: c for c in data.committees}
    title = _chapter_title(data)
    kommun = _one_line(data.kommun.name)
    children = _children(data)
    for committee in committees[1:]:
        chosen = by_id.get(committee)
        if chosen is None:
            raise ValueError(f"unknown committee {committee!r}; known: "
                             f"{', '.join(c.id for c in data.committees)}")
        problems: list[Problem] = []
        v = dict(first.values)
        v["namnd"] = _committee(chosen, data, document, data.period.is_forecast, problems,
                                children)
        v["namnder"] = [v["namnd"]]
        core = dict(first.core, title=_chapter_core_title(v["namnd"], title, kommun))
        out.append(BuiltContext(v, core, problems))
    return out


CHART_WORKERS_FROM = 4
"""From this many charts a document's charts not in the cache are drawn in 2 processes."""


def chart_workers(n: int) -> int:
    """2 when ``n`` charts are worth 2 forked processes and this process may have children
    (a daemonic one, as a chapter worker is, may not), else 1."""
    import multiprocessing
    import os

    if n < CHART_WORKERS_FROM or (os.cpu_count() or 1) < 2 \
            or multiprocessing.current_process().daemon \
            or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return 2


def _summary_table(data: ReportData, forecast: bool) -> tuple[list[dict[str, Any]],
                                                                dict[str, str]]:
    """Rows per status: how many verksamhetsmål and finansiella mål have it (KF-mål only)."""
    scale = data.scale
    goals = data.kf_goals()
    used = {g.status for g in goals}
    steps = list(scale.steps) + [s for s in scale.specials if s.status in used]
    rows = []
    for step in steps:
        ops = sum(1 for g in goals if g.kind != "finansiellt" and g.status == step.status)
        fin = sum(1 for g in goals if g.kind == "finansiellt" and g.status == step.status)
        rows.append({"bedomning": status_richtext(scale, step.status, forecast),
                     "bedomning_text": _status_text(scale, step.status, forecast),
                     "verksamhet": str(ops), "finansiella": str(fin),
                     "totalt": str(ops + fin)})
    unjudged = [g for g in goals if g.status not in {s.status for s in steps}]
    if unjudged:
        ops = sum(1 for g in unjudged if g.kind != "finansiellt")
        rows.append({"bedomning": status_richtext(scale, None, forecast),
                     "bedomning_text": "Ej bedömd", "verksamhet": str(ops),
                     "finansiella": str(len(unjudged) - ops), "totalt": str(len(unjudged))})
    ops = sum(1 for g in goals if g.kind != "finansiellt")
    total = {"verksamhet": str(ops), "finansiella": str(len(goals) - ops),
             "totalt": str(len(goals))}
    return rows, total


def _data_missing(v: dict[str, Any], data: ReportData, document: str,
                  problems: list[Problem]) -> dict[str, str]:
    """``uppgifter_saknas.<table>``: a marked placeholder (and a varning) for every economy
    table the document shows that has no rows, so no KF document holds an empty table."""
    missing: dict[str, str] = {}
    for key, section, title in DATA_TABLES.get(document, ()):
        missing[key] = ""
        if v[key] or not v["avsnitt"].get(section, True):
            continue
        missing[key] = (f"[Uppgifter saknas: {title} – lägg exporten i data/{data.period.id}/"
                        " och kör reportkit consolidate]")
        problems.append(problem("document-data-missing", table=title, period=data.period.id,
                                export=TABLE_EXPORTS.get(key, "")))
    return missing
