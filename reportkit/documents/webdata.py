"""ReportData → the web site's pages: plain values (strings, lists, dicts) for the HTML templates.

Every figure is taken from the same template context the Word documents are made of
(:func:`reportkit.documents.context.build_context`), so the site shows the documents' numbers
written the same way; what the web adds is the split into pages, a status as a badge (symbol on
the step's colour, the label beside it in text) and each chart as inline SVG with the same
figures as a table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportkit.documents import charts
from reportkit.documents.context import build_context, trend_spec
from reportkit.documents.reportdata import Goal, ReportData
from reportkit.formats import DASH, MINUS, format_value
from reportkit.styrmodell import kinds
from reportkit.styrmodell.assess import EJ_MATT, Scale

INDEX = "index.html"
FIGURES_PAGE = "siffror.html"
COMMITTEES_PAGE = "namnder.html"
ACCESSIBILITY_PAGE = "tillganglighet.html"
ASSIGNMENTS_PAGE = "uppdrag.html"
CONTROL_PAGE = "intern-kontroll.html"


@dataclass
class Page:
    file: str
    """The page's file name in the site's folder (every page at the top: relative links)."""
    template: str
    """The body template in ``templates/web/`` (``mal.html.j2``)."""
    title: str
    values: dict[str, Any] = field(default_factory=dict)


def slug(text: str) -> str:
    """``Barn- och utbildningsnämnden`` → ``barn-och-utbildningsnamnden`` (ASCII, for a file)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "sida"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A file-safe name per name, unique (``-2``, ``-3`` … added where two would be alike)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = candidate = slug(name)
        n = 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out[name] = candidate
    return out


def status_view(scale: Scale, status: str | None, forecast: bool) -> dict[str, str]:
    """A status as the pages show it: the symbol on the step's colour (text on it black or
    white, ≥ 4.5:1) and the label in words; colour never carries it alone."""
    if status is None or status not in scale.statuses:
        return {"id": "", "symbol": DASH, "text": "Ej bedömd", "farg": "FFFFFF",
                "textfarg": "000000"}
    step = scale.step(status)
    return {"id": status, "symbol": step.symbol,
            "text": step.forecast_label if forecast else step.label,
            "farg": step.color, "textfarg": step.text_color}


def inline_svg(chart: charts.Chart, title: str) -> Any:
    """The chart's SVG for an HTML page: ``role="img"`` named by a ``<title>`` and described
    by a ``<desc>`` (the chart's alt text), without matplotlib's comments; as markup (it is
    made here, from escaped text, never from a unit's HTML)."""
    from html import escape

    from markupsafe import Markup

    svg = re.sub(r"<!--.*?-->\s*", "", chart.svg, flags=re.S)
    head_end = svg.index(">") + 1
    ident = chart.name
    head = svg[:head_end - 1] + (f' role="img" aria-labelledby="{ident}-titel" '
                                 f'aria-describedby="{ident}-beskrivning">')
    inner = (f'<title id="{ident}-titel">{escape(title)}</title>'
             f'<desc id="{ident}-beskrivning">{escape(chart.alt)}</desc>')
    return Markup(head + inner + svg[head_end:])


def _value(v: float | None, unit: str, decimals: int | None = None) -> str:
    return DASH if v is None else format_value(v, unit, decimals).replace("-", MINUS)


def _trend(goal: Goal, year: int) -> dict[str, Any] | None:
    """The goal's first indicator with three years or more as an SVG line chart, and the
    same figures as a table."""
    spec = trend_spec(goal, year)
    if spec is None:
        return None
    fn, kwargs = spec
    chart = fn(**{**kwargs, "svg": True})
    unit = kwargs["unit"]
    shown = [x for x in (*kwargs["actual"], *kwargs["targets"]) if x is not None]
    # one number of decimals in the whole table, as in the chart (83,0 % beside 83,7 %)
    decimals = max((0 if float(x).is_integer() else 1 for x in shown), default=0)
    rows = [{"ar": str(y), "utfall": _value(a, unit, decimals),
             "malvarde": _value(t, unit, decimals)}
            for y, a, t in zip(kwargs["years"], kwargs["actual"], kwargs["targets"],
                               strict=True)]
    return {"svg": inline_svg(chart, kwargs["title"]), "rubrik": kwargs["title"],
            "beskrivning": chart.alt,
            "id": chart.name, "rader": rows}


def _area_chart(data: ReportData, areas: list[dict[str, Any]], forecast: bool
                ) -> dict[str, Any] | None:
    """Måluppfyllelse per målområde as stacked bars (SVG) and the same counts as a table."""
    scale = data.scale
    groups = [(a["namn"], a["antal"]) for a in areas if a["antal"]]
    if not groups:
        return None
    used = {s for _n, counts in groups for s in counts}
    shown = [(s.status, s.forecast_label if forecast else s.label, s.color)
             for s in list(scale.steps) + list(scale.specials)
             if s.status in used or s in scale.steps]
    title = f"{data.words.goal('kommun').bestämd_plural} per {data.words.area.lower().grundform}"
    chart = charts.status_shares(title, groups, shown, name="maluppfyllelse", svg=True)
    return {"svg": inline_svg(chart, title), "rubrik": title, "beskrivning": chart.alt,
            "id": chart.name, "kolumner": [label for _s, label, _c in shown],
            "rader": [{"namn": name, "v": [str(counts.get(s, 0)) for s, _l, _c in shown]}
                      for name, counts in groups]}


def _counts(goals: Sequence[Goal], scale: Scale) -> dict[str, int]:
    counts: dict[str, int] = {}
    for g in goals:
        status = g.status if g.status in scale.statuses else EJ_MATT
        counts[status] = counts.get(status, 0) + 1
    return counts


def site_pages(data: ReportData, document: str) -> tuple[list[Page], dict[str, Any]]:
    """Every page of the site and the values every page shares (``sajt``)."""
    built = build_context(data, document, with_charts=False)
    v = built.values
    forecast = data.period.is_forecast
    kf = [g for g in data.kf_goals()]
    goal_files = {g.id: f"mal-{s}.html" for g, s in
                  zip(kf, unique_slugs(g.id for g in kf).values(), strict=True)}
    areas_in = list(dict.fromkeys(list(data.areas) + [g.area for g in kf]))
    area_files = {a: f"omrade-{s}.html" for a, s in unique_slugs(areas_in).items()}
    committee_files = {c.id: f"namnd-{s}.html" for c, s in
                       zip(data.committees, unique_slugs(c.id for c in data.committees).values(),
                           strict=True)}
    goal_ctx = {g["id"]: g for g in v["kf_mal"]}
    names = {c.id: c.name for c in data.committees}

    def goal_item(g: Goal) -> dict[str, Any]:
        return {"id": g.id, "namn": goal_ctx[g.id]["namn"], "fil": goal_files[g.id],
                "status": status_view(data.scale, g.status, forecast)}

    areas: list[dict[str, Any]] = [
        {"namn": a, "fil": area_files[a], "mal": [goal_item(g) for g in kf if g.area == a],
         "antal": _counts([g for g in kf if g.area == a], data.scale)}
        for a in areas_in if any(g.area == a for g in kf)]
    pages = [Page(INDEX, "start.html.j2", v["kommun_namn"], {
        "vision": v["kommun_vision"], "omraden": areas,
        "diagram": _area_chart(data, areas, forecast),
        "sammanfattning": v["maluppfyllelse_tabell"], "summa": v["maluppfyllelse_summa"]})]
    for a in areas:
        pages.append(Page(a["fil"], "omrade.html.j2", a["namn"], {"omrade": a}))
    for g in kf:
        pages.append(_goal_page(data, g, goal_ctx[g.id], goal_files[g.id], area_files,
                                committee_files, forecast))
    pages += _committee_pages(data, v, committee_files, goal_files, forecast)
    pages.append(_figures_page(data, v, names))
    control = _control_pages(data, v)
    pages += control
    return pages, {"kontrollsidor": [{"fil": p.file, "text": p.title} for p in control],
                   "omraden": areas, "ord": v["malnamn"], "omradesnamn": v["omradesnamn"],
                   "nivanamn": v["nivanamn"], "prognos": forecast,
                   "namnder_rubrik": next(p.title for p in pages if p.file == COMMITTEES_PAGE)}


def _goal_page(data: ReportData, g: Goal, ctx: dict[str, Any], file: str,
               area_files: dict[str, str], committee_files: dict[str, str],
               forecast: bool) -> Page:
    below = [{"namn": c.name, "agare": c.owner_name, "analys": c.analysis or c.motivation,
              "fil": committee_files.get(c.committee or "", ""),
              "status": status_view(data.scale, c.status, forecast)}
             for c in data.goals if c.level == "nämnd" and g.id in c.parents]
    indicators = [{**{k: row[k] for k in ("namn", "malvarde", "utfall", "prognos",
                                          "foregaende", "kalla")},
                   "status": status_view(data.scale, ind.status, forecast)}
                  for row, ind in zip(ctx["indikatorer"], g.indicators, strict=True)]
    return Page(file, "mal.html.j2", ctx["namn"], {"mal": {
        "id": g.id, "namn": ctx["namn"], "omrade": ctx["omrade"],
        "omrade_fil": area_files.get(g.area, ""), "finansiellt": g.kind == "finansiellt",
        "status": status_view(data.scale, g.status, forecast), "analys": ctx["analys"],
        "motivering": ctx["motivering"], "bedomd_av": ctx["bedomd_av"],
        "indikatorer": indicators, "trend": _trend(g, data.period.year),
        "jamforelse": ctx["jamforelse"], "jamforelse_kalla": ctx["jamforelse_kalla"],
        "namndmal": below}})


_TEXTS = (("verksamhetsuppfoljning", "Verksamheten under året"),
          ("handelser", "Viktiga händelser"), ("forvantad_utveckling", "Framtiden"),
          ("trend_omvarld", "Omvärlden"), ("nulage", "Nuläget"),
          ("forbattringsomraden", "Det här ska bli bättre"))


def _committee_pages(data: ReportData, v: dict[str, Any], files: dict[str, str],
                     goal_files: dict[str, str], forecast: bool) -> list[Page]:
    out = []
    listed = []
    for n, c in zip(v["namnder"], data.committees, strict=True):
        goals = [{"namn": g.name, "analys": g.analysis or g.motivation,
                  "kf": [{"namn": p.name, "fil": goal_files[p.id]} for p in data.kf_goals()
                         if p.id in g.parents],
                  "status": status_view(data.scale, g.status, forecast)}
                 for g in data.committee_goals(c.id) if g.level == "nämnd"]
        texts = [{"rubrik": title, "text": n[key]} for key, title in _TEXTS
                 if n.get(key) and not n["saknas"].get(key, False)]
        listed.append({"namn": n["namn"], "fil": files[c.id], "typ": n["typ_namn"]})
        out.append(Page(files[c.id], "namnd.html.j2", n["namn"], {"namnd": {
            "namn": n["namn"], "typ": n["typ_namn"],
            "uppdrag": "" if n["saknas"].get("uppdrag") else n["uppdrag"], "mal": goals,
            "texter": texts, "drift": n["drift_summa"] if n["har_drift"] else None,
            "bolag_ar": n["bolag_ar"], "bolag_nyckeltal": n["bolag_nyckeltal"],
            "kontroll": n["ik"], "kontroll_rubrik": v["ik"]["rubrik"],
            "uppdragen": n["up"], "uppdrag_rubrik": v["up"]["rubrik"]}}))
    groups = [g for g in kinds.GROUPS if any(kinds.group_of(c.kind) == g
                                             for c in data.committees)]
    plural = {**kinds.GROUP_PLURAL, "nämnd": data.words.levels["nämnd"].plural.lower()}
    heading = kinds.joined_names([plural[g] for g in groups]) or plural["nämnd"]
    heading = heading[:1].upper() + heading[1:]
    out.append(Page(COMMITTEES_PAGE, "namnder.html.j2", heading, {"namnder": listed}))
    return out


def hundred_kronor(drift: Sequence[Any]) -> list[dict[str, str]]:
    """"Vart går 100 kr": each nämnd's share of the drift utfall, in whole kronor of 100
    (largest remainder, so they add up to 100); nämnder with a cost only."""
    rows = [(r.name, -r.actual if r.actual is not None and r.actual < 0 else r.actual)
            for r in drift if r.actual]
    rows = [(name, value) for name, value in rows if value and value > 0]
    total = sum(value for _n, value in rows)
    if not total:
        return []
    exact = [value * 100 / total for _n, value in rows]
    whole = [int(x) for x in exact]
    for i in sorted(range(len(rows)), key=lambda i: whole[i] - exact[i])[:100 - sum(whole)]:
        whole[i] += 1
    return [{"namn": name, "kronor": f"{k}\u00a0kr"} for (name, _v), k in
            zip(rows, whole, strict=True)]


def _figures_page(data: ReportData, v: dict[str, Any], names: dict[str, str]) -> Page:
    """"Året i siffror": the flerårsöversikt, the drift per nämnd, where 100 kr goes and the
    investments, as the document has them."""
    return Page(FIGURES_PAGE, "siffror.html.j2", "Året i siffror", {
        "flerarsoversikt_ar": v["flerarsoversikt_ar"], "flerarsoversikt": v["flerarsoversikt"],
        "drift": v["drift"], "drift_summa": v["drift_summa"], "drift_not": v["drift_not"],
        "hundra_kronor": hundred_kronor(data.economy.drift),
        "investeringar_summa": v["investeringar_summa"] if v["investeringar"] else None,
        "investeringar": v["investeringar"]})


def _control_pages(data: ReportData, v: dict[str, Any]) -> list[Page]:
    """The uppdrag (per origin and status, each with its status in symbol and text) and the
    intern kontroll (results per nämnd, the riskmatris as a figure and a table, avvikelser)
    as the document has them, under the styrmodell's headings; none where there are none."""
    out = []
    if v["up"]["finns"]:
        out.append(Page(ASSIGNMENTS_PAGE, "uppdrag.html.j2", v["up"]["rubrik"], {"up": v["up"]}))
    if v["ik"]["finns"]:
        out.append(Page(CONTROL_PAGE, "kontroll.html.j2", v["ik"]["rubrik"],
                        {"ik": v["ik"], "matris": _risk_matrix(data)}))
    return out


def _risk_matrix(data: ReportData) -> dict[str, Any] | None:
    """The riskmatris as inline SVG and the same cells as a table: a row per sannolikhet (the
    highest first), a column per konsekvens, each cell its level's symbol, label and count."""
    from reportkit.documents.control import risk_chart

    spec = risk_chart(data, data.period.year)
    control = data.control
    if spec is None or control is None or control.ik is None:
        return None
    fn, kwargs = spec
    chart = fn(**{**kwargs, "svg": True})
    scale = control.ik.scale
    counts = control.follow.risk_counts()
    rows = []
    for s in range(scale.size, 0, -1):
        cells = []
        for k in range(1, scale.size + 1):
            lv = scale.level(s, k)
            cells.append(f"{lv.symbol} {lv.label}: {counts.get((s, k), 0)}")
        rows.append({"namn": scale.likelihood[s - 1], "v": cells})
    return {"svg": inline_svg(chart, kwargs["title"]), "rubrik": kwargs["title"],
            "beskrivning": chart.alt, "id": chart.name,
            "kolumner": list(scale.consequence), "rader": rows}


def _comparisons_json(g: Goal) -> list[dict[str, Any]]:
    return [{"indikator": c.indicator_id, "kpi": c.kpi, "ar": c.year, "kommunen": c.own,
             "lagst": c.low, "median": c.median, "hogst": c.high, "riket": c.riket,
             "placering": c.rank, "antal": c.ranked if c.rank is not None else None,
             "hamtat": c.fetched or None}
            for c in g.comparisons]


def _control_json(data: ReportData) -> dict[str, Any]:
    """The uppdrag and the kontrollmoment (codes as in docs/json; the words on the pages)."""
    d = data.control
    if d is None:
        return {"uppdrag": [], "intern_kontroll": []}
    return {
        "uppdrag": [{"id": a.id, "namnd": a.committee, "ursprung": a.origin,
                     "givet_av": a.given_by, "beskrivning": a.description,
                     "aterrapportering": a.due.isoformat(), "status": a.status,
                     "forsenat": a.overdue, "forslag": a.status == "genomfort"
                     and not d.declared(a)} for a in d.follow.assignments],
        "intern_kontroll": [{"id": c.id, "namnd": c.committee, "moment": c.process,
                             "sannolikhet": c.likelihood, "konsekvens": c.consequence,
                             "riskvarde": c.value, "riskniva": c.level.id,
                             "resultat": c.result} for c in d.follow.controls]}


def figures_json(data: ReportData, pages: list[Page], meta: dict[str, Any]) -> dict[str, Any]:
    """The site's figures as open data (``docs/json/webb_siffror.schema.json``)."""
    forecast = data.period.is_forecast
    goals = []
    for g in data.kf_goals():
        goals.append({
            "id": g.id, "namn": g.name, "omrade": g.area, "typ": g.kind,
            "status": g.status or None,
            "status_text": status_view(data.scale, g.status, forecast)["text"],
            "indikatorer": [{"id": i.id, "namn": i.name, "enhet": i.unit,
                             "utfall": _plain(i.actual), "prognos": _plain(i.forecast),
                             "status": i.status,
                             "historik": {str(y): _plain(x) for y, x in sorted(i.history.items())}}
                            for i in g.indicators],
            "jamforelser": _comparisons_json(g)})
    drift = [{"id": r.committee_id, "namn": r.name, "budget": r.budget, "utfall": r.actual,
              "prognos": r.forecast} for r in data.economy.drift]
    return {"reportkit_webb_siffror": 1, **meta,
            "sidor": [p.file for p in pages], "mal": goals, "drift": drift,
            "flerarsoversikt": [{"post": r.label, "enhet": r.unit,
                                 "varden": {str(y): x for y, x in sorted(r.values.items())}}
                                for r in data.economy.key_figures],
            "jamforelsegrupp": data.comparison_group or None, **_control_json(data)}


def _plain(value: Any) -> float | bool | None:
    if value is None or isinstance(value, bool):
        return value
    return float(value)
