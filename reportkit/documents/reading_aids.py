"""The reading aids real årsredovisningar have besides what the law asks (issue 29).

Each is a section of its own that the kansli can switch off in ``avsnitt.yaml``; the values
here are ready Swedish strings for the templates (``templates/docx/README.md``):

- "Året i korthet": the year's key figures beside last year's (from the flerårsöversikt's
  export ids) and "Vart går 100 kronor": the nämnders' nettokostnader as whole kronor of a
  hundred that add up to 100 (largest remainder), with a chart;
- "Politisk organisation": the organisation (the styrmodell's nämnder, bolag and förbund with
  their short names) and the mandatfördelning in kommunfullmäktige (styrmodell ``politik``);
- "Måluppfyllelse i korthet": per målområde (the kommun's word) how many of its goals have
  each status;
- "Ordlista": a default list (``texts.DEFAULT_GLOSSARY``), the kommun's own words over it
  (styrmodell ``ordlista``), the goal words of its styrmodell, and every short name the
  documents use (nämnder, parties).

The förord is a kansli text (``documents/sections.py``), not built here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportkit import texts
from reportkit.documents import charts
from reportkit.documents.render import clean_text, rich_text_class
from reportkit.documents.reportdata import Committee, Goal, ReportData
from reportkit.errors import Problem, problem
from reportkit.formats import DASH, NBSP, format_number, whole_shares
from reportkit.styrmodell import kinds
from reportkit.styrmodell.assess import EJ_MATT, Scale, Step

__all__ = ["IN_BRIEF_KEYS", "reading_aid_values", "reading_aid_charts", "glossary",
           "politics_missing"]

IN_BRIEF_KEYS = ("antal_invånare", "årets_resultat", "skatteintäkter_statsbidrag",
                 "investeringar", "soliditet", "skattesats", "årsarbetare")
"""The flerårsöversikt's figures "Året i korthet" shows, in this order (export ids)."""

_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})
"""Sorts å, ä, ö after z, as a Swedish dictionary does."""


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def reading_aid_values(data: ReportData, add_symbol: Callable[[Any, Step], None], *,
                       politics: bool = True) -> dict[str, Any]:
    """Every reading aid's template values (``add_symbol`` puts a status step's symbol in its
    colour into a RichText, as the other status cells have it; ``politics``: the document
    shows the mandatfördelning, so the ordlista explains the parties' short names)."""
    return {**_in_brief(data), **_hundred_kronor(data), **_politics(data),
            **_goals_by_area(data, add_symbol),
            "ordlista": [{"ord": t, "forklaring": e}
                         for t, e in glossary(data, parties=politics)],
            "diagram_hundra_kronor": None, "diagram_hundra_kronor_text": ""}


def _in_brief(data: ReportData) -> dict[str, Any]:
    """``i_korthet``: the year's key figures beside last year's; ``i_korthet_ar`` the years."""
    year = data.period.year
    years = [year - 1, year]
    by_key = {r.key: r for r in data.economy.key_figures if r.key}
    rows = []
    for key in IN_BRIEF_KEYS:
        r = by_key.get(key)
        if r is None or all(r.values.get(y) is None for y in years):
            continue
        rows.append({"post": _one_line(r.label),
                     "v": [format_number(r.values.get(y), r.decimals, unicode_minus=True)
                           for y in years]})
    if "antal_invånare" not in by_key and data.kommun.inhabitants:
        rows.insert(0, {"post": "Antal invånare",
                        "v": [DASH, format_number(data.kommun.inhabitants)]})
    return {"i_korthet": rows, "i_korthet_ar": [str(y) for y in years]}


def _hundred_rows(data: ReportData) -> list[tuple[str, int]]:
    """(nämnd, kronor of 100) by the nettokostnad of the period (the prognos in delår),
    largest first; nämnder with no cost (or a surplus) get none."""
    forecast = data.period.is_forecast
    drift = [(r.name, (r.forecast if forecast else r.actual) or 0.0)
             for r in data.economy.drift]
    drift = [(name, cost) for name, cost in drift if cost > 0]
    kronor = whole_shares([cost for _, cost in drift])
    rows = [(_one_line(name), k) for (name, _), k in zip(drift, kronor, strict=True) if k]
    return sorted(rows, key=lambda r: -r[1])


def _hundred_kronor(data: ReportData) -> dict[str, Any]:
    rows = _hundred_rows(data)
    year = data.period.year
    basis = "prognosen för" if data.period.is_forecast else "utfallet"
    per = kinds.per_groups(c.kind for c in data.committees) if data.committees else "per nämnd"
    note = (f"Fördelningen bygger på driftredovisningens nettokostnader {per} ({basis} "
            f"{year}), i hela kronor avrundade så att de tillsammans blir 100.") if rows else ""
    return {"hundra_kronor": [{"namn": n, "kronor": f"{k}{NBSP}kr"} for n, k in rows],
            "hundra_kronor_not": note}


def _politics(data: ReportData) -> dict[str, Any]:
    """``mandatfordelning`` (parti, förkortning, mandat), ``mandat_summa``, ``styre`` and
    ``organisation``: the nämnder, bolag and förbund by kind with their short names."""
    parties = [{"parti": _one_line(p.name), "forkortning": _one_line(p.short) or DASH,
                "mandat": str(p.seats)} for p in data.parties]
    organisation = [{"namn": _one_line(c.name), "forkortning": _short(c) or DASH,
                     "typ": kinds.kind(c.kind).singular.capitalize()}
                    for c in _by_kind(data.committees)]
    return {"mandatfordelning": parties,
            "mandat_summa": str(sum(p.seats for p in data.parties)) if parties else "",
            "styre": _one_line(data.ruling), "organisation": organisation}


def _by_kind(committees: Sequence[Committee]) -> list[Committee]:
    return sorted(committees, key=lambda c: kinds.GROUPS.index(kinds.group_of(c.kind)))


def _short(c: Committee) -> str:
    """A committee's short name as the tables show it (its id, BUN), when it is one."""
    return c.id if c.id != c.name and c.id.isupper() and len(c.id) <= 8 else ""


def _goals_by_area(data: ReportData, add_symbol: Callable[[Any, Step], None]
                   ) -> dict[str, Any]:
    """``maluppfyllelse_omraden``: per målområde its KF goals' count and, per status, how
    many (``bedomningar``: "● 2 Uppfyllt   ◐ 1 Delvis uppfyllt", the symbol in its colour)."""
    scale = data.scale
    forecast = data.period.is_forecast
    kf = data.kf_goals()
    areas = list(dict.fromkeys(list(data.areas) + [g.area for g in kf]))
    rows = []
    for area in areas:
        goals = [g for g in kf if g.area == area]
        if goals:
            rows.append({"omrade": _one_line(area), "antal": str(len(goals)),
                         "bedomningar": _counts_text(goals, scale, forecast, add_symbol)})
    return {"maluppfyllelse_omraden": rows,
            "maluppfyllelse_totalt": _counts_text(kf, scale, forecast, add_symbol)}


def _counts_text(goals: Sequence[Goal], scale: Scale, forecast: bool,
                 add_symbol: Callable[[Any, Step], None]) -> Any:
    rt = rich_text_class()()
    counts: dict[str, int] = {}
    for g in goals:
        status = g.status if g.status in scale.statuses else EJ_MATT
        counts[status] = counts.get(status, 0) + 1
    steps = list(scale.steps) + list(scale.specials)
    first = True
    for step in steps:
        n = counts.get(step.status, 0)
        if not n:
            continue
        if not first:
            rt.add("   ")
        first = False
        add_symbol(rt, step)
        rt.add(f"{NBSP}{n}{NBSP}{step.forecast_label if forecast else step.label}")
    return rt


def glossary(data: ReportData, *, parties: bool = True) -> list[tuple[str, str]]:
    """The ordlista: the default words, the styrmodell's goal and area words, the short names
    of the nämnder (and with ``parties`` of the parties), then the kommun's own ``ordlista``
    over them (an empty explanation drops a word); in Swedish alphabetical order."""
    words: dict[str, tuple[str, str]] = {}

    def put(term: str, explanation: str) -> None:
        words[term.strip().lower()] = (term.strip(), _one_line(explanation))

    for term, explanation in texts.DEFAULT_GLOSSARY:
        put(term, explanation)
    w = data.words
    kf = w.goal("kommun").lower().bestämd_plural
    put(w.goal("kommun").grundform, "Mål som kommunfullmäktige beslutar för hela kommunen.")
    put(w.goal("nämnd").grundform, f"Mål som {w.level('nämnd').lower().bestämd} beslutar "
        f"för sin verksamhet och som bidrar till {kf}.")
    put(w.area.grundform, f"Område som {kf} är ordnade efter.")
    for c in data.committees:
        if _short(c):
            put(_short(c), _one_line(c.name) + ".")
    for p in data.parties if parties else []:
        if p.short:
            put(p.short, _one_line(p.name) + ".")
    for term, explanation in data.glossary:
        put(term, explanation)
    return sorted(((t, e) for t, e in words.values() if e),
                  key=lambda te: te[0].lower().translate(_SWEDISH_ORDER))


def reading_aid_charts(data: ReportData) -> dict[str, tuple[Any, dict[str, Any]]]:
    """"Vart går 100 kronor" (``diagram_hundra_kronor``) when the drift has costs."""
    rows = _hundred_rows(data)
    if not rows:
        return {}
    year = data.period.year
    title = f"Vart går 100 kronor? Nettokostnaderna {year} fördelade i kronor av 100"
    if data.period.is_forecast:
        title += " (prognos)"
    return {"diagram_hundra_kronor": (charts.hundred_kronor, {
        "title": title, "rows": rows, "name": "hundra-kronor"})}


def politics_missing(v: dict[str, Any], problems: list[Problem]) -> str:
    """``uppgifter_saknas.mandatfordelning``: a marked placeholder (and a varning) when the
    document shows its political organisation but the styrmodell has no ``politik``."""
    if v["mandatfordelning"] or not v["avsnitt"].get("politisk_organisation", False):
        return ""
    problems.append(problem("document-politics-missing",
                            document=v["dokument_titel"].lower() or "dokumentet"))
    return ("[Uppgifter saknas: mandatfördelningen i kommunfullmäktige – skriv den under "
            "politik: i styrmodellen]")
