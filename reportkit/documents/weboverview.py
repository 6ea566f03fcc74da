"""The coordinator's overview page (``reportkit översikt``): inlämning per nämnd and level with
the one per-unit status (:mod:`reportkit.consolidate.status`, as ``reportkit status`` shows
it), each unit's problems a link away, måluppfyllelse per level as a chart with its table,
and what changed since the last consolidation that changed anything
(:mod:`reportkit.storage.runs`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from reportkit.consolidate.status import STATES, UnitStatus, counts, project_status
from reportkit.documents import charts
from reportkit.documents.webdata import Page, inline_svg, status_view
from reportkit.styrmodell.assess import EJ_MATT
from reportkit.styrmodell.config import Period
from reportkit.styrmodell.model import LEVELS, Styrmodell
from reportkit.styrmodell.project import Project


def _latest_submissions(conn: sqlite3.Connection, period_id: str) -> dict[str, int]:
    from reportkit.storage import queries

    latest: dict[str, int] = {}
    for row in queries.unit_submissions(conn, period_id):
        if row["state"] != "ersatt":
            latest[row["unit_id"]] = row["id"]
    return latest


def _unit_rows(conn: sqlite3.Connection, statuses: list[UnitStatus], period_id: str
               ) -> list[dict[str, Any]]:
    from reportkit.storage import queries

    latest = _latest_submissions(conn, period_id)
    rows = []
    for s in statuses:
        found = queries.submission_problems(conn, latest[s.unit_id]) \
            if s.unit_id in latest else []
        rows.append({
            "id": s.unit_id, "namn": s.name, "niva": s.level, "namnd": s.committee or s.name,
            "status": s.state, "fil": s.file, "sista_dag": s.deadline, "fel": s.errors,
            "varningar": s.warnings, "ankare": f"enhet-{s.unit_id}",
            "problem": [{"allvar": p["severity"], "plats": "!".join(
                x for x in (p["sheet"], p["cell"]) if x), "text": p["message"],
                "rad": p["hint"]} for p in found]})
    return rows


def _by_committee(rows: list[dict[str, Any]], statuses: list[UnitStatus]
                  ) -> list[dict[str, Any]]:
    """Per nämnd, per level: how many units are in each state."""
    out: dict[str, dict[str, Any]] = {}
    for row, s in zip(rows, statuses, strict=True):
        group = out.setdefault(row["namnd"], {"namnd": row["namnd"], "nivaer": {}})
        group["nivaer"].setdefault(s.level, []).append(s)
    return [{"namnd": g["namnd"],
             "nivaer": [{"niva": level, "antal": [str(counts(members).get(st, 0))
                                                  for st in STATES]}
                        for level, members in g["nivaer"].items()]}
            for g in out.values()]


def _goal_chart(model: Styrmodell, results: Any, forecast: bool) -> dict[str, Any] | None:
    scale = results.scale
    groups = []
    for level in LEVELS:
        found: dict[str, int] = {}
        for g in results.goals.values():
            if g.level == level:
                status = g.final if g.final in scale.statuses else EJ_MATT
                found[status] = found.get(status, 0) + 1
        if found:
            groups.append((model.words.goal(level).plural, found))
    if not groups:
        return None
    used = {s for _n, c in groups for s in c}
    shown = [(s.status, s.forecast_label if forecast else s.label, s.color)
             for s in list(scale.steps) + list(scale.specials)
             if s in scale.steps or s.status in used]
    title = "Måluppfyllelse per nivå"
    chart = charts.status_shares(title, groups, shown, name="maluppfyllelse-per-niva",
                                 svg=True)
    return {"svg": inline_svg(chart, title), "rubrik": title, "beskrivning": chart.alt,
            "id": chart.name,
            "kolumner": [label for _s, label, _c in shown],
            "rader": [{"namn": name, "v": [str(c.get(s, 0)) for s, _l, _c in shown]}
                      for name, c in groups]}


def _changes(conn: sqlite3.Connection, model: Styrmodell, period: Period, scale: Any,
             forecast: bool) -> dict[str, Any]:
    from reportkit.storage import runs

    kept = runs.last_runs(conn, period.id, 2)
    if len(kept) < 2:
        return {"finns": False, "enheter": [], "mal": [], "sedan": ""}
    now, before = kept
    units = [{"namn": model.units[u].name if u in model.units else u,
              "fore": before.units.get(u, "–"), "nu": state}
             for u, state in now.units.items() if before.units.get(u) != state]
    goals = [{"namn": model.goals[g].name if g in model.goals else g,
              "fore": status_view(scale, before.goals.get(g) or None, forecast)["text"],
              "nu": status_view(scale, status or None, forecast)["text"]}
             for g, status in now.goals.items() if before.goals.get(g) != status]
    return {"finns": True, "enheter": units, "mal": goals, "sedan": before.ran_at[:10],
            "nu_datum": now.ran_at[:10]}


def overview_page(project: Project, model: Styrmodell, period: Period,
                  conn: sqlite3.Connection) -> tuple[Page, dict[str, Any]]:
    """The overview's page and the values its layout shares."""
    from reportkit.consolidate.rollup import compute_cached
    from reportkit.styrmodell.periods import is_interim

    statuses = project_status(project, model, period.id, conn)
    rows = _unit_rows(conn, statuses, period.id)
    results = compute_cached(conn, model, period.id)
    forecast = is_interim(period.type)
    page = Page("index.html", "oversikt.html.j2", f"Översikt {period.name}", {
        "tillstand": list(STATES), "summa": counts(statuses),
        "namnder": _by_committee(rows, statuses), "enheter": rows,
        "diagram": _goal_chart(model, results, forecast),
        "andringar": _changes(conn, model, period, results.scale, forecast),
        "nivanamn_namnd": model.level_name("nämnd"),
        "nivanamn_enhet": model.level_name("enhet")})
    return page, {"datum_text": "Översikten är för samordnaren och ska inte publiceras.",
                  "datum": ""}
