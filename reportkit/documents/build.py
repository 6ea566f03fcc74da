"""``reportkit render``: from the history store to a finished document.

Maps the consolidated :class:`~reportkit.consolidate.rollup.PeriodResults` (and the economy and
personnel exports, where the project has them) onto :class:`ReportData`, builds the template
context and renders the kansli's template; optionally converts to PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportkit.errors import Problem
from reportkit.project import Project

DOCUMENT_PERIOD_TYPES = {"verksamhetsplan": "plan", "delarsrapport": "delår",
                         "arsredovisning": "helår"}
FILE_NAMES = {"verksamhetsplan": "verksamhetsplan", "delarsrapport": "delarsrapport",
              "arsredovisning": "arsredovisning"}


@dataclass
class RenderOutcome:
    paths: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def to_report_data(project: Project, model, results, period):
    """Map a period's results onto the documents' ReportData."""
    from reportkit.documents import reportdata as rd
    from reportkit.workbook.content import area_of

    data_period = rd.Period(id=period.id, name=period.name, type=period.type,
                            year=model.year, start=period.start, end=period.end)
    kommun = rd.Kommun(name=model.config.kommun.name, vision=model.config.kommun.vision,
                       inhabitants=model.config.kommun.inhabitants)
    goals = []
    for gid, g in results.goals.items():
        node = model.goals[gid]
        inds = []
        for i in g.indicators:
            ind_cfg = model.indicators[i.indicator_id][0]
            targets = {int(y): v for y, v in ind_cfg.targets.items()
                       if y.isdigit() and not isinstance(v, bool)}
            inds.append(rd.Indicator(
                id=i.indicator_id, name=i.name, unit=i.unit,
                target=i.target if not isinstance(i.target, bool) else None,
                actual=i.actual, forecast=i.forecast, degree=i.degree, status=i.status,
                history=dict(i.history), target_history=targets,
                lower_is_better=i.direction == "lägre",
                source="; ".join(f"{m.file} {m.sheet}!{m.cell}" for m in i.measurements[:3])))
        acts = [rd.Activity(description=a["description"] or "", responsible=a["responsible"]
                            or "", status=a["status"] or "", comment=a["comment"] or "")
                for a in results.activities.get(g.owner, []) if a["goal_id"] == gid]
        owner = model.units[g.owner]
        goals.append(rd.Goal(
            id=gid, name=node.name, level=g.level, owner_id=g.owner, owner_name=owner.name,
            committee=owner.committee, area=model.area_name(area_of(model, gid)),
            kind=node.kind, parents=list(node.parents), proposal_status=g.proposal,
            assessment_status=g.final, assessed_by=model.units[g.assessed_by].name
            if g.assessed_by else "", motivation=g.motivation, analysis=g.analysis,
            indicators=inds, activities=acts))
    committees = []
    for com in model.children_of(model.kommun.id):
        cfg = next(c for c in model.config.committees if c.id == com.id)
        committees.append(rd.Committee(id=com.id, name=com.name, kind=com.kind,
                                       mission=cfg.mission,
                                       texts=dict(results.texts.get(com.id, {}))))
    economy = _economy(project, model, period)
    return rd.ReportData(kommun=kommun, period=data_period, scale=results.scale,
                         areas=[a.name for a in model.config.areas], goals=goals,
                         committees=committees, economy=economy,
                         texts=dict(results.texts.get(model.kommun.id, {})))


def _economy(project: Project, model, period):
    from reportkit.documents import reportdata as rd

    try:
        from reportkit.sources.context import economy_for
    except ImportError:
        return rd.Economy()
    try:
        return economy_for(project, model, period)
    except Exception:  # the economy is optional for the goal chapters; reported by consolidate
        return rd.Economy()


def render_document_for(project: Project | Path | str, document: str,
                        period_id: str | None = None, *, pdf: bool = False) -> RenderOutcome:
    """Render ``document`` for the period into ``rapporter/<period>/``; PDF too with ``pdf``."""
    from reportkit.consolidate import store
    from reportkit.consolidate.rollup import compute
    from reportkit.documents.render import render_report

    if not isinstance(project, Project):
        project = Project.open(project)
    if period_id is None:
        model = project.styrmodell()
        wanted = DOCUMENT_PERIOD_TYPES[document]
        period_id = next(p.id for p in model.config.periods if p.type == wanted)
    model, period = project.period(period_id)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, period.id)
    finally:
        conn.close()
    data = to_report_data(project, model, results, period)
    out = project.reports(period.id) / f"{FILE_NAMES[document]}-{period.id}.docx"
    template_dir = None
    if model.config.documents.templates:
        template_dir = project.root / model.config.documents.templates / "docx"
    outcome = RenderOutcome()
    result = render_report(document, data, out, texts_dir=project.texts(period.id),
                           template_dir=template_dir,
                           chart_cache=project.root / ".cache" / "diagram")
    outcome.problems.extend(result.problems)
    if result.path is not None:
        outcome.paths.append(result.path)
        if pdf:
            from reportkit.documents.pdf import convert_to_pdf

            pdf_result = convert_to_pdf([result.path])
            outcome.paths.extend(pdf_result.pdfs)
            outcome.problems.extend(pdf_result.problems)
    return outcome
