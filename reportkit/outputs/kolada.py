"""``reportkit kolada``: fetch the kommun's Kolada values, its comparison group's and riket's,
keep every answer, and show what is kept (issue 31; docs/kolada.md).

A fetch asks Kolada (:mod:`reportkit.sources.kolada_api`) for the comparison group
(``kolada:`` in the styrmodell), the KPIs' titles and the values of every indicator with a
Kolada id for the kommun, the group and riket (``0000``) over ``kolada: år`` years. Each
answer's bytes are kept under ``kolada/svar/<sha256>.json`` and listed with its URL, time and
hash in ``kolada/hamtningar/<tid>.json`` and in the store; the values go into the store with
the answer they came from. A value that differs from the one fetched before is a revision
(before → after); both are kept. Only this fetch touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import write_bytes_atomic
from reportkit.sources import kolada_api as api
from reportkit.storage import kolada as stored
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.source import kolada_kpi

FOLDER = "kolada"
RAW = "svar"
LOG = "hamtningar"


@dataclass
class KoladaReport:
    """What one fetch did (``reportkit kolada hämta``)."""

    started_at: str
    base_url: str
    kommun: tuple[str, str]
    group_kind: str
    group_title: str
    members: list[tuple[str, str]]
    years: list[int]
    kpis: dict[str, str] = field(default_factory=dict)
    """KPI id → Kolada's title (removed ones left out)."""
    requests: int = 0
    values: int = 0
    files: list[str] = field(default_factory=list)
    revisions: list[stored.Revision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def kpis_of(model: Styrmodell) -> dict[str, list[str]]:
    """KPI id → the ids of the indicators compared on it, in the styrmodell's order."""
    out: dict[str, list[str]] = {}
    for ind, _goal in model.indicators.values():
        kpi = kolada_kpi(ind)
        if kpi:
            out.setdefault(kpi, []).append(ind.id)
    return out


class _Keeper:
    """Keeps each answer: its bytes in ``kolada/svar/``, a row in the store, a log line."""

    def __init__(self, project: Project, conn: Any, fetch_id: int) -> None:
        self.root, self.conn, self.fetch_id = project.root, conn, fetch_id
        self.log: list[dict[str, Any]] = []

    def __call__(self, page: api.Page) -> int:
        rel = f"{FOLDER}/{RAW}/{page.sha256}.json"
        path = self.root / rel
        if not path.exists():
            write_bytes_atomic(path, page.body)
        self.log.append({"url": page.url, "hämtad": page.fetched_at, "sha256": page.sha256,
                         "fil": rel, "status": page.status})
        return stored.add_response(self.conn, self.fetch_id, page.url, page.fetched_at,
                                   page.sha256, rel, page.status)


def fetch_kolada(project: Project | Path | str, period_id: str | None = None, *,
                 base_url: str = api.BASE_URL, transport: api.Transport | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 **client_options: Any) -> KoladaReport:
    """Fetch and keep (see the module's text). Raises ReportkitError when Kolada cannot be
    asked at all (no network, an HTTP error, no kommunkod); a removed KPI or an empty answer
    is a varning in the report."""
    from reportkit.storage.access import opened

    with opened(project, period_id, lock=True) as ctx:
        model, conn = ctx.model, ctx.conn
        code = model.config.kommun.code
        if not code:
            raise ReportkitError(problem("kolada-no-kommunkod", key="kommun.kommunkod"))
        wanted = kpis_of(model)
        settings = model.config.kolada
        years = list(range(model.year - settings.years + 1, model.year + 1))
        started = _now()
        report = KoladaReport(started, base_url, (code, model.config.kommun.name),
                              settings.comparison, "", [], years)
        if not wanted:
            report.problems.append(problem("kolada-nothing-to-fetch"))
            return report
        client = api.Client(base_url, transport=transport, progress=progress,
                            **client_options)
        fetch_id = stored.new_fetch(conn, started, base_url, code, settings.comparison, "", [])
        keep = _Keeper(ctx.project, conn, fetch_id)
        try:
            _fetch(client, keep, model, wanted, report)
        except api.KoladaFailure as exc:
            raise ReportkitError(exc.problem) from None
        finally:
            report.requests = client.requests
            report.files = sorted({e["fil"] for e in keep.log})
            if keep.log:
                stamp = started.replace(":", "-").replace("+00-00", "Z")
                write_bytes_atomic(ctx.project.root / FOLDER / LOG / f"{stamp}.json",
                                   json.dumps({"startad": started, "api": base_url,
                                               "svar": keep.log}, ensure_ascii=False,
                                              indent=1, sort_keys=True).encode("utf-8"))
        return report


def _fetch(client: api.Client, keep: _Keeper, model: Styrmodell,
           wanted: dict[str, list[str]], report: KoladaReport) -> None:
    conn = keep.conn
    title, members = _group(client, keep, model, report.kommun)
    report.group_title, report.members = title, members
    stored.set_group(conn, keep.fetch_id, title, members)
    report.kpis = _titles(client, keep, wanted, report)
    if not report.kpis:
        return
    codes = [report.kommun[0], *[m for m, _ in members if m != report.kommun[0]], api.RIKET]
    seen: set[str] = set()
    last_url = ""
    for page in client.data(list(report.kpis), codes, report.years):
        response_id = keep(page)
        last_url = page.url
        values = _parsed(api.parse_data, page)
        seen.update(v[0] for v in values)
        report.revisions += stored.add_values(conn, response_id, page.fetched_at, values)
        report.values += len(values)
    for kpi in report.kpis:
        if kpi not in seen:  # a misspelt parameter gives an empty list, no error
            report.problems.append(problem("kolada-empty", what=kpi, url=last_url))


def _titles(client: api.Client, keep: _Keeper, wanted: dict[str, list[str]],
            report: KoladaReport) -> dict[str, str]:
    """Kolada's title of each KPI; a KPI Kolada does not know is a varning and not asked."""
    found: dict[str, str] = {}
    fetched = ""
    for batch in api.chunks(list(wanted), client.batch):
        for page in client.pages(client.url(f"/kpi/{','.join(batch)}")):
            response_id = keep(page)
            fetched = page.fetched_at
            try:
                titles = api.parse_titles(page.data)
            except ValueError as exc:
                raise api.KoladaFailure(problem("kolada-bad-answer", url=page.url,
                                                reason=str(exc))) from None
            for kpi, title in titles:
                if kpi in wanted:
                    found[kpi] = title
                    stored.add_kpi(keep.conn, kpi, title, False, response_id,
                                   page.fetched_at)
    for kpi, indicators in wanted.items():
        if kpi not in found:
            report.problems.append(problem("kolada-kpi-removed", kpi=kpi,
                                           indicator=", ".join(indicators)))
            stored.add_kpi(keep.conn, kpi, "", True, None, fetched or report.started_at)
    return {k: found[k] for k in wanted if k in found}


def _group(client: api.Client, keep: _Keeper, model: Styrmodell, kommun: tuple[str, str]
           ) -> tuple[str, list[tuple[str, str]]]:
    """The comparison group's title and members (kod, namn), as ``kolada:`` says."""
    settings = model.config.kolada
    if settings.comparison == "liknande":
        prefix = f"Liknande kommuner {settings.aspect}, {kommun[1]}"
        groups = []
        for page in client.pages(client.url("/municipality_groups", title=prefix)):
            keep(page)
            groups += _parsed(api.parse_groups, page)
        pattern = re.compile(re.escape(prefix) + r",\s*(\d{4})\s*$", re.IGNORECASE)
        dated = [(int(m.group(1)), title, members) for _id, title, members in groups
                 if (m := pattern.match(title))]
        limit = settings.group_year or model.year
        dated = [g for g in dated if (g[0] == limit if settings.group_year else g[0] <= limit)]
        if not dated:
            wanted = f"{prefix}, {settings.group_year or limit}"
            raise api.KoladaFailure(problem("kolada-group-missing", title=wanted,
                                            key="kolada.aspekt"))
        _year, title, members = max(dated, key=lambda g: g[0])
        return title, [(c, n) for c, n in members if c != kommun[0]]
    municipalities = []
    for page in client.pages(client.url("/municipality")):
        keep(page)
        municipalities += _parsed(api.parse_municipalities, page)
    kommuner = [(c, n) for c, n, kind in municipalities if kind in ("K", "")]
    if settings.comparison == "län":
        county = settings.county or ""
        return (f"Kommunerna i län {county}",
                [(c, n) for c, n in kommuner if c.startswith(county) and c != kommun[0]])
    by_name = {n.casefold(): (c, n) for c, n in kommuner}
    by_code = {c: (c, n) for c, n in kommuner}
    chosen = []
    for item in settings.municipalities:
        hit = by_code.get(item.strip()) or by_name.get(item.strip().casefold())
        if hit is None:
            raise api.KoladaFailure(problem("kolada-unknown-municipality", name=item,
                                            key="kolada.kommuner"))
        chosen.append(hit)
    return "Egen jämförelsegrupp", [m for m in chosen if m[0] != kommun[0]]


def _parsed(parse: Callable[[dict[str, Any]], list[Any]], page: api.Page) -> list[Any]:
    try:
        return parse(page.data)
    except (ValueError, KeyError, TypeError) as exc:
        raise api.KoladaFailure(problem("kolada-bad-answer", url=page.url, reason=str(exc))
                                ) from None


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass
class KoladaOverview:
    """What is kept (``reportkit kolada visa``)."""

    fetch: stored.Fetch | None
    kpis: dict[str, tuple[str, bool]]
    values: list[stored.StoredValue]
    revisions: list[stored.Revision]
    indicators: dict[str, list[str]]


def kolada_overview(project: Project | Path | str, period_id: str | None = None
                    ) -> KoladaOverview:
    """The kept fetch, values and revisions; offline."""
    from reportkit.storage.access import opened

    with opened(project, period_id) as ctx:
        conn = ctx.conn
        return KoladaOverview(stored.latest_fetch(conn), stored.kpi_titles(conn),
                              stored.current_values(conn), stored.revisions(conn),
                              kpis_of(ctx.model))
