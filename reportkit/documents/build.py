"""``reportkit render``: from the history store to a finished document, as a draft or as decided.

Maps the consolidated :class:`~reportkit.consolidate.rollup.PeriodResults` (and the economy and
personnel exports, where the project has them) onto :class:`ReportData`, builds the template
context and renders the kansli's template; optionally converts to PDF.

- The whole document's part per nämnd/bolag is composed of the chapters (docxcompose);
  ``chapters=True`` also writes each chapter as its own document in ``rapporter/<period>/kapitel/``.
- ``version`` renders a decided version (``reportkit beslut``): the frozen submissions, with the
  section texts and templates archived with the decision, so the document comes out exactly as
  it was decided even after the kansli has edited texts or templates for the next draft.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit import isolate
from reportkit.documents.sections import AVSNITT_FILE
from reportkit.errors import Problem, ReportkitError, problem
from reportkit.resources import templates_dir
from reportkit.styrmodell.periods import FOLLOW_UP_TYPES, INTERIM_REPORT_TYPES
from reportkit.styrmodell.project import Project, as_project
from reportkit.styrmodell.source import source_of
from reportkit.styrmodell.targets import TargetRange, TargetTrend

if TYPE_CHECKING:
    from reportkit.consolidate.rollup import IndicatorResult, PeriodResults
    from reportkit.documents.render import TemplateMemo
    from reportkit.documents.reportdata import Economy, ReportData
    from reportkit.sources.mapping import ImportMapping
    from reportkit.storage.decisions import Decision
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell

DOCUMENT_PERIOD_TYPES = {"verksamhetsplan": ("plan",), "delarsrapport": INTERIM_REPORT_TYPES,
                         "arsredovisning": ("helår",), "uppfoljning": FOLLOW_UP_TYPES}
"""The period types each document is made for: plan → verksamhetsplan, delår and halvår (the
statutory one and the others) → delårsrapport, helår → årsredovisning, the short follow-ups
→ uppföljning (the ``uppfoljning.docx`` template). Without ``-p`` render makes each asked
document for every period of these types that has been consolidated (:func:`document_periods`)."""
ALSO_ACCEPTED = {"delarsrapport": ("tertial",)}
"""Period types a document still accepts with an explicit ``-p`` (a tertial's delårsrapport
is the ``tertialrapport`` it was before the uppföljning)."""
FILE_NAMES = {"verksamhetsplan": "verksamhetsplan", "delarsrapport": "delarsrapport",
              "arsredovisning": "arsredovisning", "uppfoljning": "uppfoljning"}
TITLES = {"verksamhetsplan": "Verksamhetsplan", "delarsrapport": "Delårsrapport",
          "arsredovisning": "Årsredovisning", "uppfoljning": "Uppföljning"}
_TEXT_KEYS = {"nulagesanalys": "nulage", "omvarldsanalys": "trend_omvarld"}
"""Workbook text keys (workbook/layout.py) → the documents' names for the same text."""


@dataclass
class RenderOutcome:
    paths: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    decision: str | None = None
    """The decision a decided version was rendered from (``KF 2027-04-20 § 45``)."""
    label: str = ""
    """Which document and period (``Årsredovisning 2026-helår``)."""
    groups: list[tuple[str, list[Problem]]] = field(default_factory=list)
    """:attr:`problems` per document (``label``, its problems), in order, then the PDF
    conversion's (``PDF``): what ``reportkit render`` of several documents prints under a
    heading each."""


def to_report_data(project: Project, model: Styrmodell, results: PeriodResults, period: Period
                   ) -> ReportData:
    """Map a period's results onto the documents' ReportData."""
    import datetime as dt

    from reportkit.documents import reportdata as rd
    from reportkit.workbook.content import area_of, target_years

    dates: dict[Any, dt.date | None] = {}

    def date(text: Any) -> dt.date | None:
        if isinstance(text, (str, type(None))) and text in dates:
            return dates[text]  # an activity's start and end: a few hundred distinct days
        try:
            found = dt.date.fromisoformat(str(text)[:10]) if text else None
        except ValueError:
            found = None
        if isinstance(text, (str, type(None))):
            dates[text] = found
        return found

    years = target_years(period, model.year)
    data_period = rd.Period(id=period.id, name=period.name, type=period.type,
                            year=model.year, start=period.start, end=period.end,
                            target_years=tuple(years) if len(years) > 1 else (),
                            mandate=model.config.mandate.text)
    kommun = rd.Kommun(name=model.config.kommun.name, vision=model.config.kommun.vision,
                       inhabitants=model.config.kommun.inhabitants)
    by_goal: dict[tuple[str, Any], list[Any]] = {}
    for owner_id, owned in results.activities.items():  # each goal's, in the owner's order
        for a in owned:
            by_goal.setdefault((owner_id, a["goal_id"]), []).append(a)
    goals = []
    for gid, g in results.goals.items():
        node = model.goals[gid]
        inds = [_indicator(model, i, years) for i in g.indicators]
        acts = [rd.Activity(description=a["description"] or "", responsible=a["responsible"]
                            or "", start=date(a["start"]), end=date(a["end"]),
                            status=a["status"] or "", comment=a["comment"] or "")
                for a in by_goal.get((g.owner, gid), ())]
        owner = model.units[g.owner]
        goals.append(rd.Goal(
            id=gid, name=node.name, level=g.level, owner_id=g.owner, owner_name=owner.name,
            committee=owner.committee, area=model.area_name(area_of(model, gid)),
            kind=node.kind, parents=list(node.parents), proposal_status=g.proposal,
            assessment_status=g.final, assessed_by=model.units[g.assessed_by].name
            if g.assessed_by else "", motivation=g.motivation, analysis=g.analysis,
            indicators=inds, activities=acts))
    committees = []
    for com in model.committees():
        cfg = model.committee_config(com.id)
        texts = {_TEXT_KEYS.get(k, k): v for k, v in results.texts.get(com.id, {}).items()}
        committees.append(rd.Committee(id=com.id, name=com.name, kind=com.kind,
                                       mission=cfg.mission, texts=texts))
    economy = _economy(project, model, period)
    kommun_texts = {_TEXT_KEYS.get(k, k): v
                    for k, v in results.texts.get(model.kommun.id, {}).items()}
    return rd.ReportData(kommun=kommun, period=data_period, scale=results.scale,
                         areas=[a.name for a in model.config.areas], goals=goals,
                         committees=committees, economy=economy, texts=kommun_texts,
                         goal_depth=model.config.documents.goal_depth, words=model.words,
                         **_reading_aid_config(model))


def _reading_aid_config(model: Styrmodell) -> dict[str, Any]:
    """The styrmodell's ``politik`` (mandatfördelning, styre) and ``ordlista`` as
    ``ReportData`` takes them."""
    from reportkit.documents import reportdata as rd

    politics = model.config.politics
    return {"parties": [rd.Party(p.name, p.short or "", p.seats)
                        for p in (politics.seats if politics else [])],
            "ruling": politics.ruling if politics else "",
            "glossary": [(g.term, g.explanation) for g in model.config.glossary]}


def _indicator(model: Styrmodell, i: IndicatorResult, years: list[int]) -> Any:
    """One indicator of the roll-up as the documents' ``reportdata.Indicator``: the year's own
    målvärde, each year's of a plan over several years, and the mandatperiod's beside them (in
    its last year the roll-up assessed against that one: its rule says so)."""
    from reportkit.documents import reportdata as rd

    ind_cfg = model.indicators[i.indicator_id][0]
    # the chart's målvärde line: numbers only (not ja/nej, a range or a direction)
    targets: dict[int, float | None] = {
        int(y): v for y, v in ind_cfg.targets.items()
        if y.isdigit() and isinstance(v, int | float) and not isinstance(v, bool)}
    yes_no = ind_cfg.target_type == "janej"  # its values shown as Ja/Nej (bool)
    target = ind_cfg.target_for(model.year)
    return rd.Indicator(
        id=i.indicator_id, name=i.name, unit=i.unit, decimals=ind_cfg.decimals,
        target=_yes_no(target) if yes_no and not isinstance(
            target, TargetRange | TargetTrend) else target,
        mandate_target=ind_cfg.mandate_target,
        year_targets={y: ind_cfg.target_for(y) for y in years} if len(years) > 1 else {},
        actual=_yes_no(i.actual) if yes_no else i.actual,
        forecast=_yes_no(i.forecast) if yes_no else i.forecast,
        degree=i.degree, status=i.status,
        history={y: _yes_no(v) for y, v in i.history.items()} if yes_no
        else dict(i.history), target_history=targets,
        lower_is_better=i.direction == "lägre",
        source=", ".join(t for t in (source_of(ind_cfg).label, i.source_note) if t),
        by_gender=dict(i.by_gender), gender_words=ind_cfg.gender_words)


def _comparisons(project: Project, model: Styrmodell, data: ReportData,
                 decision: Decision | None) -> None:
    """The KF-mål's Kolada comparisons, from the store (documents/kolada.py)."""
    from reportkit.documents.kolada import attach_comparisons
    from reportkit.storage import store

    conn = store.connect(project.store_path)
    try:
        attach_comparisons(conn, model, data, decision)
    finally:
        conn.close()


def _economy(project: Project, model: Styrmodell, period: Period,
             decision: Decision | None = None) -> Economy:
    """The economy of the draft, or of a decided version (the exports and import mapping the
    decision froze)."""
    from reportkit.documents import reportdata as rd

    try:
        from reportkit.documents.economy import economy_for

        return economy_for(project, model, period, version=decision)
    except Exception:  # the economy is optional for the goal chapters; reported by consolidate
        return rd.Economy()


def _statements(project: Project, period: Period, mapping: ImportMapping | None = None,
                data_dir: Path | None = None
                ) -> tuple[Path | None, str]:
    """The ekonomiavdelning's financial statements (.docx) for the period, and how to name the
    place it belongs (``data/2026-helår/finansiella-rapporter-helår.docx``). A decided version
    looks in its archive (``data_dir``) first."""
    from reportkit.sources.mapping import load_mapping

    if mapping is None:
        mapping, _problems = load_mapping(project.root / "data")  # reported by consolidate
    kind = period.id.split("-", 1)[-1]
    name = mapping.statements.format(typ=kind, period=period.id)
    shown = f"data/{period.id}/{name}"
    for folder in ([data_dir / period.id] if data_dir else []) + [project.data(period.id)]:
        if (folder / name).is_file():
            return folder / name, shown
    return None, shown


def _statements_changed(project: Project, decision: Decision, path: Path | None, shown: str
                        ) -> list[Problem]:
    """A varning when the statements differ from the file loaded when the decision was made
    (the decided document then shows today's file)."""
    import hashlib

    from reportkit.storage import store
    from reportkit.storage.decisions import decided_source_hash

    conn = store.connect(project.store_path)
    try:
        decided = decided_source_hash(conn, decision, "export:finansiella_rapporter")
    finally:
        conn.close()
    if decided is None or path is None or not path.is_relative_to(project.root):
        return []  # none was loaded, or the decision archived the file itself
    if hashlib.sha256(path.read_bytes()).hexdigest() == decided:
        return []
    return [problem("decision-source-changed", file=shown, label=decision.label)]


def document_for(period_type: str) -> str:
    """The document a period of ``period_type`` gives (``kvartal`` → ``uppfoljning``)."""
    return next(d for d, types in DOCUMENT_PERIOD_TYPES.items() if period_type in types)


def _check_period(document: str, period: Period) -> None:
    wanted = DOCUMENT_PERIOD_TYPES[document] + ALSO_ACCEPTED.get(document, ())
    if period.type not in wanted:
        raise ReportkitError(problem(
            "document-period-mismatch", document=FILE_NAMES[document], period=period.id,
            expected=" eller ".join(wanted), found=period.type,
            example=f"{period.id.split('-', 1)[0]}-{wanted[0]}"))


def _slug(text: str) -> str:
    """``KF 2027-04-20 § 45`` → ``KF-2027-04-20-45`` (safe in a file name on every system)."""
    return re.sub(r"[^\w-]+", "-", text.replace("§", " "), flags=re.UNICODE).strip("-")


def output_name(document: str, period: Period, decision: Decision | None = None,
                committee: str | None = None) -> str:
    """``arsredovisning-2026-helår.docx``; a decided version adds ``-beslutad-KF-2027-04-20-45``,
    a chapter the nämnd's id. A tertial period's delårsrapport (``-p`` only) is a
    ``tertialrapport``; the uppföljning of a kvartal ``uppfoljning-2026-K1.docx``."""
    base = FILE_NAMES[document]
    if document == "delarsrapport" and period.type == "tertial":
        base = "tertialrapport"
    name = f"{base}-{period.id}"
    if committee:
        name += f"-{committee}"
    if decision is not None:
        name += f"-beslutad-{_slug(decision.label)}"
    return name + ".docx"


def document_label(document: str, period: Period, decision: Decision | None = None) -> str:
    """``Årsredovisning 2026-helår`` (``Tertialrapport`` for a tertial period; a decided
    version adds ``, beslutad KF 2027-04-20 § 45``): which document a varning is about."""
    title = TITLES[document]
    if document == "delarsrapport" and period.type == "tertial":
        title = "Tertialrapport"
    label = f"{title} {period.id}"
    if decision is not None:
        label += f", beslutad {decision.label}"
    return label


def _extract_archive(files: dict[str, bytes], root: Path, period_id: str) -> dict[str, Path]:
    """Write a decision's archived files under ``root``: ``texter/<period>/``, ``mallar/``,
    ``data/`` (``import.yaml``; ``<period>/`` for documents). Returns the folders that
    received files."""
    folders = {"texter": root / "texter" / period_id, "mallar": root / "mallar",
               "data": root / "data"}
    used: dict[str, Path] = {}
    for name, content in sorted(files.items()):
        top, _, rest = name.partition("/")
        if top not in folders or not rest or ".." in Path(rest).parts:
            continue
        target = folders[top] / rest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        used[top] = folders[top]
    folders["texter"].mkdir(parents=True, exist_ok=True)
    used.setdefault("texter", folders["texter"])
    return used


def render_documents(project: Project | Path | str, documents: list[str],
                     period_id: str | None = None, *, pdf: bool = False,
                     version: str | int | None = None, chapters: bool = False,
                     on: dt.date | str | None = None) -> RenderOutcome:
    """``reportkit render``: :func:`render_document_for` for each of ``documents``: for
    ``period_id`` when given, else for each of the document's periods that
    :func:`document_periods` finds (every consolidated one; ``on`` is ``--datum``), and
    refused before anything is rendered when one has none. With ``pdf`` their PDFs from one
    LibreOffice that starts while the first document is rendered and converts each .docx
    while the next one is rendered. ``decision`` lists the decisions of decided versions,
    comma-separated."""
    names = list(dict.fromkeys(documents))
    early = None
    project = as_project(project)
    jobs = ([(name, period_id) for name in names] if period_id is not None else
            [(name, pid) for name in names for pid in document_periods(project, name, on)])
    if version is not None and period_id is None:
        for name in names:  # a decision is one period's: which one, when there are several
            found = [pid for doc, pid in jobs if doc == name]
            if len(found) > 1:
                raise ReportkitError(problem("period-ambiguous", document=TITLES[name],
                                             periods=", ".join(found), example=found[-1]))
    if pdf:
        from reportkit.documents import pdf as pdfs

        early = pdfs.start_libreoffice()
    outcome = RenderOutcome()
    decided: list[str] = []
    for name, pid in jobs:
        result = render_document_for(project, name, pid, version=version,
                                     chapters=chapters)
        outcome.problems += result.problems
        outcome.groups.append((result.label or TITLES.get(name, name), list(result.problems)))
        outcome.paths += result.paths
        decided += [result.decision] if result.decision else []
        if pdf and len(jobs) > 1:
            pdfs.hand_over(early, result.paths)
    if pdf and outcome.paths:
        converted = pdfs.convert_to_pdf(list(outcome.paths), early=early)
        outcome.paths += converted.pdfs
        outcome.problems += converted.problems
        if converted.problems:
            outcome.groups.append(("PDF", list(converted.problems)))
    _after_render(project, outcome)
    outcome.decision = ", ".join(dict.fromkeys(decided)) or None
    return outcome


def _after_render(project: Project, outcome: RenderOutcome) -> None:
    """Record the .docx files as written after reportkit's last rewrite of them (the table of
    contents' page numbers after the PDF), and name each PDF now older than its .docx."""
    from reportkit.documents import kept

    kept.record_written(project.root, project.store_path, outcome.paths)
    stale = kept.stale_pdfs(project.root, outcome.paths)
    if stale:
        outcome.problems += stale
        outcome.groups.append(("PDF", stale))


def number_notes(data: ReportData, statements: Path) -> None:
    """This document's notes are numbered after the financial statements' own."""
    from reportkit.documents.reconcile import number_notes as number

    number(data, statements)


def render_document_for(project: Project | Path | str, document: str,
                        period_id: str | None = None, *, version: str | int | None = None,
                        chapters: bool = False) -> RenderOutcome:
    """Render ``document`` for the period into ``rapporter/<period>/`` as .docx (the PDFs:
    :func:`render_documents` with ``pdf``).

    ``version``: a decision (its number or text, ``"KF 2027-04-20 § 45"``) to render the
    decided version instead of the draft; the file name then says ``beslutad``. A nämnd's own
    decision renders that nämnd's chapter only. ``chapters`` also writes one chapter document
    per nämnd/bolag into ``rapporter/<period>/kapitel/``. Raises ReportkitError on a template
    fel, an unknown decision or a period of the wrong type.
    """
    import contextlib

    from reportkit.documents import kept
    from reportkit.documents.render import TemplateMemo, render_document
    from reportkit.memory import collector_paused, frozen
    from reportkit.storage import decisions

    # the styrmodell and the roll-up are hundreds of thousands of objects that live to the
    # end and form no cycles: read with the cyclic collector paused and frozen out of its way
    # before it runs again (its first run would walk every one of them), so it need not scan
    # them while the document is composed
    with contextlib.ExitStack() as stack:
        with collector_paused():
            project = as_project(project)
            model, period = _document_period(project, document, period_id)
            # the whole document is composed (its 35 texts and 16 chapters, +80 MB on
            # Storstad) in a child forked here, before this process reads the roll-up,
            # draws and imports matplotlib: a fork starts at its parent's size
            memo = TemplateMemo()  # the child's: its template compiled while it waits
            whole = stack.enter_context(isolate.Standby(
                functools.partial(render_document, memo=memo),
                functools.partial(_warm_whole, project, model, document, memo)))
            decision, data, archive = _data_for(project, model, period, version)
            stack.enter_context(frozen())
        outcome = RenderOutcome(decision=decision.label if decision is not None else None,
                                label=document_label(document, period, decision))
        with tempfile.TemporaryDirectory(prefix="reportkit-beslut-") as tmp:
            inputs = _render_inputs(project, model, period, decision, archive, Path(tmp))
            if decision is not None:
                data.decision = decision.label
                data.economy = _economy(project, model, period, decision)
            _comparisons(project, model, data, decision)
            statements, statements_shown = _statements(project, period, inputs.mapping,
                                                       inputs.data_dir)
            number_notes(data, statements or inputs.texts_dir / "finansiella-rapporter.docx")
            if decision is not None:
                outcome.problems += _statements_changed(project, decision, statements,
                                                        statements_shown)
            only = None
            if decision is not None and decision.scope != decisions.KOMMUN:
                only = decision.scope
            if decision is None and inputs.template_dir is not None:
                outcome.problems += _lacking(document, inputs.template_dir, project.root)
            outcome.problems += kept.keep_edited(
                project.root, project.store_path, project.reports(period.id),
                output_name(document, period).removesuffix(".docx"))
            try:
                _render(project, document, data, period, decision, outcome,
                        texts_dir=inputs.texts_dir, template_dir=inputs.template_dir,
                        statements=statements, statements_shown=statements_shown,
                        chapters=chapters, only=only, whole=whole.run)
            except ReportkitError as exc:
                if decision is None:
                    raise
                raise ReportkitError(_decided_refusal(exc.problems, decision)) from exc
            kept.record_written(project.root, project.store_path, outcome.paths)
        if decision is None:  # a draft: why figures are missing, as the project is now
            from reportkit.documents.causes import with_causes

            outcome.problems = with_causes(project, model, period, data.scale,
                                           outcome.problems)
        return outcome


def _data_for(project: Project, model: Styrmodell, period: Period, version: str | int | None
              ) -> tuple[Decision | None, ReportData, dict[str, bytes]]:
    """:func:`_report_data`; on a first render (no chapters kept yet) in a child.

    A first render composes every chapter in workers forked from this process, and a fork
    starts at its parent's size: there the roll-up (78 MB decoded on Storstad) is read and
    made into the data (12 MB) in a child, and only the data comes back (6 MB pickled, 0.2 s
    each way), while this process imports what drawing and composing need. A later render
    takes its chapters from the cache and forks no such workers: it reads here."""
    if _chapter_cache(project).is_dir():
        return _report_data(project, model, period, version)
    with isolate.Standby(functools.partial(_report_data, project, model, period,
                                           version)) as reader:
        reader.ask()
        _warm_imports()
        return reader.answer()


def _report_data(project: Project, model: Styrmodell, period: Period,
                 version: str | int | None
                 ) -> tuple[Decision | None, ReportData, dict[str, bytes]]:
    """The decision ``version`` names (None: the draft), the document's data from the
    roll-up of the draft or of that decided version, and the files archived with it."""
    from reportkit.documents.control import control_data
    from reportkit.memory import collector_paused

    with collector_paused():
        decision, results, archive = _read_store(project, model, period, version)
        data = to_report_data(project, model, results, period)
        data.control = control_data(project, model, period, dict(results.submitted),
                                    decision.scope if decision is not None else None)
    return decision, data, archive


def _warm_imports() -> None:
    """What a render imports after its data is read, imported while a child reads it."""
    import docx  # noqa: F401
    import docxtpl  # noqa: F401
    import matplotlib.figure  # noqa: F401


def _chart_cache(project: Project) -> Path:
    """Where a project's rendered charts are kept (``.cache/diagram``)."""
    return project.root / ".cache" / "diagram"


def _chapter_cache(project: Project) -> Path:
    """Where a project's rendered chapters are kept (``.cache/kapitel``)."""
    return project.root / ".cache" / "kapitel"


def _warm_whole(project: Project, model: Styrmodell, document: str,
                memo: TemplateMemo) -> None:
    """What composing the whole document needs, made while the child waits: the imports
    and the kommun's template compiled into ``memo`` (0.2 s; a decided version's archived
    template, when it differs, is compiled when it is used)."""
    import reportkit.documents.toc  # noqa: F401
    from reportkit.documents.render import find_template, prepare_template

    prepare_template(find_template(document, project.docx_templates(model)), memo)


def _lacking(document: str, template_dir: Path, root: Path | None = None) -> list[Problem]:
    """What the kommun's copies of the document's and its chapters' templates lack that this
    release's templates use (``documents/owned.py``); a varning when ``dokument: mallar:``
    names a folder that does not exist (the built-in templates are used)."""
    from reportkit.documents.context import chapter_template
    from reportkit.documents.owned import lacking_problems

    if not template_dir.is_dir():
        shown = template_dir.relative_to(root) if root and template_dir.is_relative_to(root) \
            else template_dir
        return [problem("templates-folder-missing", folder=f"{shown.as_posix()}/")]
    return lacking_problems(template_dir, list(dict.fromkeys(
        [f"{document}.docx", f"{chapter_template(document)}.docx"])))


_SANDBOX_CODES = ("template-unsafe", "template-too-large", "template-timeout")


def _decided_refusal(problems: list[Problem], decision: Decision) -> list[Problem]:
    """A decided version's frozen template the sandbox refuses: first a fel naming the
    version and what to do, then the template's own fel."""
    refused = next((p for p in problems if p.code in _SANDBOX_CODES), None)
    if refused is None:
        return problems
    return [problem("decision-template-refused", decision=decision.id, label=decision.label,
                    template=refused.values.get("template", "")), *problems]



def document_periods(project: Project | Path | str, document: str,
                     on: dt.date | str | None = None) -> list[str]:
    """The periods ``reportkit render <document>`` makes without ``-p``: every period of the
    document's types (:data:`DOCUMENT_PERIOD_TYPES`) that has been consolidated, in the
    latest budget year that has one, up to the year of the period being reported on ``on``
    (:meth:`~reportkit.styrmodell.project.Project.current`; ``--datum``, default today).
    None consolidated: a fel that names the command to run (``period-empty``) when that year
    has one such period, else asks for ``-p`` (``period-ambiguous``); never an empty
    document, never a period skipped."""
    from reportkit.storage import store
    from reportkit.storage.access import empty_period

    project = as_project(project)
    types = DOCUMENT_PERIOD_TYPES[document]
    now = project.current(on)[0].year
    conn = store.connect(project.store_path)
    try:
        done = store.consolidated_periods(conn)
    finally:
        conn.close()
    years = [y for y in project.years() if y <= now] or project.years()[:1]
    for year in reversed(years):
        found = [p.id for p in project.styrmodell(year).config.periods
                 if p.type in types and p.id in done]
        if found:
            return found
    year = years[-1]
    periods = [p for p in project.styrmodell(year).config.periods if p.type in types]
    if len(periods) == 1:
        raise ReportkitError(empty_period(project, periods[0]))
    if not periods:
        raise ReportkitError(problem("document-no-period", document=TITLES[document],
                                     expected=" eller ".join(types), year=year,
                                     example=types[0]))
    raise ReportkitError(problem("period-ambiguous", document=TITLES[document],
                                 periods=", ".join(p.id for p in periods),
                                 example=periods[0].id))


def _document_period(project: Project, document: str, period_id: str | None
                     ) -> tuple[Styrmodell, Period]:
    """The period ``period_id`` (default: the one :func:`document_periods` finds, asking for
    ``-p`` when it finds several) and its styrmodell; refused when the document is not made
    for its type or nothing has been consolidated for it."""
    from reportkit.storage import store
    from reportkit.storage.access import require_consolidated

    if period_id is None:
        found = document_periods(project, document)
        if len(found) > 1:
            raise ReportkitError(problem("period-ambiguous", document=TITLES[document],
                                         periods=", ".join(found), example=found[-1]))
        period_id = found[0]
    model, period = project.period(period_id)
    _check_period(document, period)
    conn = store.connect(project.store_path)
    try:
        require_consolidated(project, conn, period)
    finally:
        conn.close()
    return model, period


def _read_store(project: Project, model: Styrmodell, period: Period,
                version: str | int | None
                ) -> tuple[Decision | None, PeriodResults, dict[str, bytes]]:
    """The decision ``version`` names (``None``: the draft), the roll-up of the draft or of
    that decided version, and the files archived with the decision."""
    from reportkit.consolidate.rollup import compute_cached
    from reportkit.storage import decisions, store

    conn = store.connect(project.store_path)
    try:
        decision = (decisions.get(conn, period.id, str(version))
                    if version is not None else None)
        results = compute_cached(conn, model, period.id, version=decision)
        archive = (decisions.archived_files(conn, decision)
                   if decision is not None else {})
    finally:
        conn.close()
    return decision, results, archive


@dataclass
class _RenderInputs:
    """Where a render reads the section texts, the templates and the exports' import
    mapping: the project's own for the draft, the decision's archive for a decided version."""

    texts_dir: Path
    template_dir: Path | None
    data_dir: Path | None = None
    mapping: ImportMapping | None = None


def _render_inputs(project: Project, model: Styrmodell, period: Period,
                   decision: Decision | None, archive: dict[str, bytes], tmp: Path
                   ) -> _RenderInputs:
    """The render's inputs; a decided version's archive is extracted under ``tmp``."""
    template_dir = project.docx_templates(model)
    inputs = _RenderInputs(project.texts(period.id), template_dir)
    if decision is None:
        return inputs
    used = _extract_archive(archive, tmp, period.id)
    inputs.texts_dir = used["texter"]
    inputs.data_dir = used.get("data")
    if inputs.data_dir is not None and (inputs.data_dir / "import.yaml").is_file():
        from reportkit.sources.mapping import load_mapping

        inputs.mapping, _problems = load_mapping(inputs.data_dir)
    if "mallar" in used:
        live = template_dir or templates_dir() / "docx"
        if not (used["mallar"] / AVSNITT_FILE).is_file() and (live / AVSNITT_FILE).is_file():
            # avsnitt.yaml came with the templates only from a later release
            shutil.copyfile(live / AVSNITT_FILE, used["mallar"] / AVSNITT_FILE)
        inputs.template_dir = used["mallar"]
    return inputs


def _render(project: Project, document: str, data: ReportData, period: Period,
            decision: Decision | None, outcome: RenderOutcome, *,
            texts_dir: Path, template_dir: Path | None, statements: Path | None,
            statements_shown: str, chapters: bool, only: str | None,
            whole: Callable[..., Any] | None = None) -> None:
    from reportkit.documents.compose import render_report
    from reportkit.documents.context import chapter_template

    folder = project.reports(period.id)
    cache = _chart_cache(project)
    if only is not None:
        out = folder / "kapitel" / output_name(document, period, decision, only)
        result = render_report(chapter_template(document), data, out, texts_dir=texts_dir,
                               template_dir=template_dir, committee=only, chart_cache=cache)
        outcome.paths.append(result.path)
        outcome.problems.extend(result.problems)
        return
    out = folder / output_name(document, period, decision)

    def chapter_out(committee_id: str) -> Path:
        return folder / "kapitel" / output_name(document, period, decision, committee_id)

    result = render_report(document, data, out, texts_dir=texts_dir, template_dir=template_dir,
                           chart_cache=cache, chapter_cache=_chapter_cache(project),
                           statements=statements,
                           statements_shown=statements_shown,
                           chapter_out=chapter_out if chapters else None, whole=whole)
    outcome.paths.append(result.path)
    outcome.paths.extend(result.chapters)
    outcome.problems.extend(result.problems)


def _yes_no(value: float | bool | None) -> bool | None:
    """A ja/nej indicator's value (1/0 or a bool) as a bool: documents show it as Ja/Nej."""
    return None if value is None else bool(value)
