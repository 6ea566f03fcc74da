"""``reportkit webb`` and ``reportkit översikt``: static HTML from the store.

The site (:func:`build_site`) is the kommun's goals and results for its residents: a folder of
files (``rapporter/<period>/webb/`` or ``webb: mapp:``) to put on any web server or file
share, every link relative, nothing fetched from elsewhere (no fonts, scripts or trackers),
the same bytes for the same store. It shows a decided version unless asked for the draft.
The overview (:func:`build_overview`) is the coordinator's page in the project, not for
publishing: inlämning per nämnd and level, måluppfyllelse, what changed since the last
consolidation.

Pages are made from the kansli's templates (``templates/web/``, copied by ``reportkit
mallar`` into ``mallar/web/``): Jinja HTML rendered in the same sandbox as the Word templates
(:mod:`reportkit.documents.sandbox`: autoescaping on, undefined names are errors, a forked
worker with a time limit), so a unit's text is always shown as text, never as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.documents.webdata import ACCESSIBILITY_PAGE, Page
from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import write_bytes_atomic
from reportkit.resources import templates_dir
from reportkit.styrmodell.project import Project

if TYPE_CHECKING:
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell

LAYOUT = "sida.html.j2"
STYLESHEET = "stil.css"
FIGURES_JSON = "siffror.json"
SCHEMA_VERSION = 1
DIGG_REPORT = "https://www.digg.se/tdosanmalan"
"""Where DIGG takes complaints about a public web site's accessibility (DOS-lagen)."""
OVERVIEW_FOLDER = "oversikt"


@dataclass
class WebOutcome:
    folder: Path
    """Where the pages are."""
    start: Path
    """The page to open (``index.html``)."""
    paths: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    decision: str | None = None
    """The decision the site shows; None for the draft (the overview: always None)."""


def web_templates(project: Project, model: Styrmodell) -> Path:
    """The kansli's web templates (``<dokument: mallar:>/web``) when it has them, else the
    built-in ones."""
    own = model.config.documents.templates
    if own and (project.root / own / "web" / LAYOUT).is_file():
        return project.root / own / "web"
    return templates_dir() / "web"


def _environment() -> Any:
    from jinja2 import StrictUndefined

    from reportkit.compat import jinja
    from reportkit.documents.sandbox import environment_class

    return jinja.environment(environment_class(), None, autoescape=True,
                             undefined=StrictUndefined)


def _render_pages(sources: dict[str, str], pages: list[Page], shared: dict[str, Any]
                  ) -> dict[str, str]:
    """Each page's body template, then the layout around it (the body as markup: it was
    escaped when it was rendered)."""
    from markupsafe import Markup

    env = _environment()
    compiled: dict[str, Any] = {}
    out = {}
    for page in pages:
        for name in (page.template, LAYOUT):
            if name not in compiled:
                compiled[name] = _compile(env, name, sources[name])
        values = {**shared, **page.values, "sidtitel": page.title, "sidfil": page.file}
        body = _run(compiled[page.template], page.template, values)
        out[page.file] = _run(compiled[LAYOUT], LAYOUT, {**values, "innehall": Markup(body)})
    return out


def _refused(name: str, exc: BaseException) -> ReportkitError:
    from reportkit.documents.sandbox import template_line

    _source, line = template_line(exc)
    line = line or getattr(exc, "lineno", None)
    return ReportkitError(problem("web-template-error", template=name,
                                  reason=str(exc).strip() or type(exc).__name__,
                                  line=line if line is not None else "?"))


def _compile(env: Any, name: str, source: str) -> Any:
    from jinja2 import TemplateError

    try:
        return env.from_string(source)
    except TemplateError as exc:
        raise _refused(name, exc) from None


def _run(template: Any, name: str, values: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    from reportkit.documents.sandbox import Bound

    try:
        text: str = template.render(values)
    except (TemplateError, Bound) as exc:
        raise _refused(name, exc) from None
    return text if text.endswith("\n") else text + "\n"


def render_limited(folder: Path, pages: list[Page], shared: dict[str, Any]) -> dict[str, str]:
    """The pages rendered from the templates in ``folder`` in the sandbox's forked worker
    under its time limit (a kommun's template is untrusted)."""
    from reportkit.documents.sandbox import run_limited, time_limit

    names = {LAYOUT} | {p.template for p in pages}
    sources = {}
    for name in sorted(names):
        path = folder / name
        if not path.is_file():  # a kansli's folder without this page: the built-in one
            path = templates_dir() / "web" / name
        sources[name] = path.read_text(encoding="utf-8")
    return run_limited(lambda: _render_pages(sources, pages, shared), time_limit())


def _chosen_decision(conn: Any, period: Period, version: str | int | None, draft: bool
                     ) -> Decision | None:
    from reportkit.storage import decisions

    if version is not None:
        return decisions.get(conn, period.id, str(version))
    if draft:
        return None
    live = [d for d in decisions.decisions(conn, period.id, live_only=True)
            if d.scope == decisions.KOMMUN]
    if not live:
        raise ReportkitError(problem("web-no-decision", period=period.id))
    return live[-1]


def _data_date(conn: Any, period: Period, decision: Decision | None) -> tuple[str, str]:
    """(ISO date, sentence) of the data shown: the decision's day, or for a draft the day of
    the last consolidation that changed a status."""
    from reportkit.formats import format_date
    from reportkit.storage import runs

    if decision is not None:
        day = dt.date.fromisoformat(decision.date)
        return day.isoformat(), (f"Beslutad av {decision.label}: uppgifterna är de som "
                                 f"beslutades {format_date(day)}.")
    last = runs.last_runs(conn, period.id, 1)
    day = dt.date.fromisoformat(last[0].ran_at[:10]) if last else period.end
    return day.isoformat(), (f"Utkast, inte beslutat. Uppgifterna sammanställdes "
                             f"{format_date(day)}.")


def _look(model: Styrmodell, period: Period) -> dict[str, Any]:
    """The kommun, the period and the kommun's colour with the text colour on it."""
    from reportkit.styrmodell.assess import text_color_on

    color = model.config.web.color.upper()
    return {"kommun": model.config.kommun.name, "period_namn": period.name,
            "period_id": period.id, "farg": color, "textfarg": text_color_on(color),
            "stilmall": STYLESHEET}


def _shared(model: Styrmodell, period: Period, decision: Decision | None,
            date: tuple[str, str], logo: str | None) -> dict[str, Any]:
    """What every page shows around its own part: kommun, colours, logo, the data's date."""
    return {
        **_look(model, period), "logotyp": logo,
        "datum": date[0], "datum_text": date[1],
        "utkast": decision is None, "beslut": decision.label if decision else "",
        "tillganglighet": ACCESSIBILITY_PAGE,
    }


def _documents(project: Project, model: Styrmodell, period: Period, folder: Path,
               problems: list[Problem]) -> list[dict[str, str]]:
    """The PDFs in ``rapporter/<period>/`` and the revisionsberättelse, copied beside the
    pages (so the links stay relative); a missing revisionsberättelse is said on the page."""
    reports = project.reports(period.id)
    found = []
    pdfs = sorted(reports.glob("*.pdf")) if reports.is_dir() else []
    audit = model.config.web.audit_report
    for pdf in pdfs:
        if pdf.name == audit:
            continue
        found.append({"namn": _pdf_label(pdf.stem), "fil": pdf.name,
                      "storlek": _size(pdf)})
    if (reports / audit).is_file():
        found.append({"namn": "Revisionsberättelse", "fil": audit,
                      "storlek": _size(reports / audit)})
    elif period.type == "helår":
        shown = f"rapporter/{period.id}/{audit}"
        problems.append(problem("web-file-missing", what="Revisionsberättelsen", file=shown))
        found.append({"namn": "Revisionsberättelse", "fil": "", "storlek": ""})
    for item in found:
        if item["fil"]:
            _copy(reports / item["fil"], folder / "dokument" / item["fil"])
            item["fil"] = f"dokument/{item['fil']}"
    return found


def _pdf_label(stem: str) -> str:
    """``arsredovisning-2026-helår`` → ``Årsredovisning 2026 helår`` (the document's title)."""
    from reportkit.documents.build import TITLES

    for key, title in TITLES.items():
        if stem.startswith(key):
            return f"{title} {stem[len(key):].replace('-', ' ').strip()}".strip()
    return stem.replace("-", " ")


def _size(path: Path) -> str:
    from reportkit.formats import format_number

    return f"PDF, {format_number(max(1, round(path.stat().st_size / 1024)))}\u00a0kB"


def _copy(source: Path, target: Path) -> None:
    data = source.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        write_bytes_atomic(target, data)


def _logo(project: Project, model: Styrmodell, folder: Path, problems: list[Problem]
          ) -> str | None:
    given = model.config.web.logo
    if not given:
        return None
    source = project.root / given
    if not source.is_file():
        problems.append(problem("web-file-missing", what="Logotypen", file=given))
        return None
    name = f"logotyp{source.suffix.lower()}"
    _copy(source, folder / name)
    return name


def site_folder(project: Project, model: Styrmodell, period: Period) -> Path:
    given = model.config.web.folder
    return project.root / given if given else project.reports(period.id) / "webb"


def build_site(project: Project | Path | str, period_id: str | None = None, *,
               version: str | int | None = None, draft: bool = False,
               out: Path | None = None) -> WebOutcome:
    """``reportkit webb``: the site of the period's decided version (the latest live decision
    of the whole kommun; ``version`` another one) or with ``draft`` of the draft, written to
    ``out`` (default :func:`site_folder`). Refused (``web-no-decision``) when there is no
    decision and ``draft`` is not given."""
    from reportkit.consolidate.rollup import compute_cached
    from reportkit.documents.build import to_report_data
    from reportkit.documents.control import control_data
    from reportkit.documents.economy import economy_for
    from reportkit.documents.kolada import attach_comparisons
    from reportkit.storage.access import opened

    with opened(project, period_id, consolidated=True) as (project, model, period, conn):
        decision = _chosen_decision(conn, period, version, draft)
        results = compute_cached(conn, model, period.id, version=decision)
        date = _data_date(conn, period, decision)
        data = to_report_data(project, model, results, period)
        # the Kolada comparison, the intern kontroll and the uppdrag as the documents read them
        attach_comparisons(conn, model, data, decision)
    data.control = control_data(project, model, period, dict(results.submitted),
                                decision.scope if decision is not None else None)
    if decision is not None:
        data.decision = decision.label
        data.economy = economy_for(project, model, period, version=decision)
    folder = Path(out) if out is not None else site_folder(project, model, period)
    return _write_site(project, model, period, data, decision, date, folder)


def _write_site(project: Project, model: Styrmodell, period: Period, data: Any,
                decision: Decision | None, date: tuple[str, str], folder: Path) -> WebOutcome:
    from reportkit.documents.webdata import figures_json, site_pages

    outcome = WebOutcome(folder, folder / "index.html",
                         decision=decision.label if decision else None)
    folder.mkdir(parents=True, exist_ok=True)
    logo = _logo(project, model, folder, outcome.problems)
    pages, shared = site_pages(data, document_name(period))
    shared.update(_shared(model, period, decision, date, logo))
    shared["dokument"] = _documents(project, model, period, folder, outcome.problems)
    shared["kontakt"] = model.config.web.contact or model.config.kommun.email or ""
    shared["digg"] = DIGG_REPORT
    shared["meny"] = _menu(shared)
    pages.append(Page(ACCESSIBILITY_PAGE, "tillganglighet.html.j2",
                      "Tillgänglighetsredogörelse", {}))
    source = web_templates(project, model)
    rendered = render_limited(source, pages, shared)
    for name, html in rendered.items():
        outcome.paths.append(_write(folder / name, html.encode("utf-8")))
    css = source / STYLESHEET if (source / STYLESHEET).is_file() \
        else templates_dir() / "web" / STYLESHEET
    outcome.paths.append(_write(folder / STYLESHEET, css.read_bytes()))
    meta = {"kommun": model.config.kommun.name, "period": period.id,
            "beslut": decision.label if decision else None, "datum": date[0]}
    figures = json.dumps(figures_json(data, pages, meta), ensure_ascii=False, indent=1,
                         sort_keys=True) + "\n"
    outcome.paths.append(_write(folder / FIGURES_JSON, figures.encode("utf-8")))
    outcome.paths.append(_write(folder / "sitemap.xml", _sitemap(
        [p.file for p in pages], date[0]).encode("utf-8")))
    return outcome


def document_name(period: Period) -> str:
    from reportkit.documents.build import document_for

    return document_for(period.type)


def _menu(shared: dict[str, Any]) -> list[dict[str, str]]:
    from reportkit.documents.webdata import COMMITTEES_PAGE, FIGURES_PAGE, INDEX

    return [{"fil": INDEX, "text": "Start"},
            {"fil": COMMITTEES_PAGE, "text": shared.get("namnder_rubrik", "Nämnder")},
            {"fil": FIGURES_PAGE, "text": "Året i siffror"},
            *shared.get("kontrollsidor", [])]


def _write(path: Path, data: bytes) -> Path:
    """Written only when the bytes differ (a rerun leaves the files and their times)."""
    if not path.is_file() or path.read_bytes() != data:
        write_bytes_atomic(path, data)
    return path


def _sitemap(files: list[str], day: str) -> str:
    """sitemap.xml with relative addresses: the site does not know where it will be put, so
    the kommun's web server (or whoever publishes it) prefixes its own address."""
    from xml.sax.saxutils import escape

    rows = "".join(f"  <url><loc>{escape(f)}</loc><lastmod>{day}</lastmod></url>\n"
                   for f in files)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</urlset>\n")


def build_overview(project: Project | Path | str, period_id: str | None = None,
                   out: Path | None = None) -> WebOutcome:
    """``reportkit översikt``: the coordinator's page (``rapporter/<period>/oversikt/``)."""
    from reportkit.documents.weboverview import overview_page
    from reportkit.storage.access import opened

    with opened(project, period_id, consolidated=True) as (project, model, period, conn):
        page, shared = overview_page(project, model, period, conn)
    folder = Path(out) if out is not None else project.reports(period.id) / OVERVIEW_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shared.update({**_look(model, period), "logotyp": None, "utkast": True, "beslut": "",
                   "meny": [], "tillganglighet": "", "oversikt": True})
    source = web_templates(project, model)
    outcome = WebOutcome(folder, folder / "index.html")
    for name, html in render_limited(source, [page], shared).items():
        outcome.paths.append(_write(folder / name, html.encode("utf-8")))
    css = source / STYLESHEET if (source / STYLESHEET).is_file() \
        else templates_dir() / "web" / STYLESHEET
    outcome.paths.append(_write(folder / STYLESHEET, css.read_bytes()))
    return outcome

