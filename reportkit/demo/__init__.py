"""``reportkit demo``: the whole yearly cycle on Exempelkommun (or another fixture kommun,
``--kommun``), in one command.

Creates a project in ``out``, and for the plan, delår and helår periods (another fixture
kommun: every period of its year) writes every unit's workbook, fills them the way units would
(with a few mistakes), checks and consolidates them; then renders each period's document – the
verksamhetsplan, the delårsrapport, the årsredovisning, a follow-up's uppföljning (and PDFs
when LibreOffice is installed).
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportkit.errors import ReportkitError, problem
from reportkit.styrmodell.kinds import per_groups

if TYPE_CHECKING:
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

MARKER = ".reportkit-demo"
DEMO_PERIODS = (("2026-plan", "verksamhetsplan"), ("2026-delår", "delarsrapport"),
                ("2026-helår", "arsredovisning"))
"""Exempelkommun's periods in the demo (its tertial is not run); another fixture kommun runs
every period of its year (:func:`demo_periods`)."""
DEMO_DECISIONS = {"2026-plan": "KF 2025-11-24 § 130", "2026-delår": "KF 2026-10-19 § 112",
                  "2026-helår": "KF 2027-04-20 § 45"}
"""Kommunfullmäktige's decision that freezes each period once every level has reported."""
ROUND = ("enhet", "verksamhet", "nämnd", "kommun")
"""The order the levels report in: each level's workbooks are prefilled with what came in."""


@dataclass
class LevelRound:
    """One level's turn in a period of the demo: workbooks out, filled, consolidated."""

    period: str
    level: str
    files: int
    errors: int
    warnings: int
    deviations: int = 0  # bedömningar that differ from the förslag, with a motivation


@dataclass
class DemoSummary:
    out: Path
    units: int = 0
    workbooks: int = 0
    errors: int = 0
    warnings: int = 0
    examples: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    documents: list[Path] = field(default_factory=list)
    chapters: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rounds: list[LevelRound] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    example_deviation: str = ""
    kommun: str = "Exempelkommun"
    goals_word: str = "KF-målen"
    """What the kommun's goals are called (the styrmodell's word, definite plural)."""
    chapters_per: str = "per nämnd och bolag"
    """Whose chapters the documents have, by kind (styrmodell/kinds.py ``per_groups``)."""

    def text(self) -> str:
        lines = [
            "",
            f"{self.kommun} – demo klar på {self.seconds:.1f} s",
            f"  Enheter som rapporterar: {self.units}",
            f"  Styrkort skapade, ifyllda och kontrollerade: {self.workbooks}",
            f"  Fel hittade: {self.errors}, varningar: {self.warnings}",
        ]
        for example in self.examples:
            lines.append(f"    {example}")
        period = None
        for r in self.rounds:
            if r.period != period:
                period = r.period
                lines.append(f"  {period}, nivå för nivå:")
            dev = f", {r.deviations} egna bedömningar som avviker från förslaget" \
                if r.deviations else ""
            lines.append(f"    {r.level}: {r.files} styrkort, {r.errors} fel, "
                         f"{r.warnings} varningar{dev}")
        if self.example_deviation:
            lines.append(f"  Exempel: {self.example_deviation}")
        for decision in self.decisions:
            lines.append(f"  Beslut: {decision}")
        if self.statuses:
            lines.append(f"  {self.goals_word} vid helår: " + ", ".join(
                f"{k}: {v}" for k, v in self.statuses.items()))
        for message in self.problems:
            lines.append(f"  {message}")
        lines.append("  Dokument:")
        for path in self.documents:
            lines.append(f"    {path}")
        folders = sorted({p.parent for p in self.chapters})
        if folders:
            lines.append(f"  Kapitel {self.chapters_per}: {len(self.chapters)} filer i "
                         + ", ".join(str(f) for f in folders))
        lines.append(f"  Projektet (styrkort, sammanställningar, historiklager): {self.out}")
        return "\n".join(lines)


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ReportkitError(problem(
                "file-unreadable", file=str(out),
                reason="mappen finns och är inte en tidigare demo; välj en annan med --ut"))
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def _deviations(project: Project, model: Styrmodell, period_id: str, rounds: list[LevelRound],
                levels: list[str], summary: DemoSummary) -> None:
    """Per level, how many goals got a bedömning other than the förslag, with a motivation;
    the first one at the highest level becomes the summary's example."""
    from reportkit.consolidate.rollup import compute
    from reportkit.storage.access import opened

    period = model.period(period_id)
    if period is None or period.type == "plan":
        return
    with opened(project, period_id) as opening:
        results = compute(opening.conn, model, period_id)
    for turn, level in zip(rounds, levels, strict=True):
        found = [g for g in results.goals.values()
                 if g.level == level and g.deviates and g.motivation]
        turn.deviations = len(found)
        if found and level == "kommun":
            g = found[0]
            assert g.assessment is not None  # it deviates from the proposal
            summary.example_deviation = (
                f"{results.period}: {model.units[g.owner].name} bedömde {g.goal_id} "
                f"{results.scale.label(g.assessment)} mot förslaget "
                f"{results.scale.label(g.proposal) if g.proposal else '–'}: {g.motivation}")


def run_demo(out: Path | str = Path("output/demo"), *, pdf: bool = True,
             echo: Callable[[str], None] | None = None,
             kommun: str = "exempelkommun") -> DemoSummary:
    """Run the whole cycle of a fixture kommun (``kommun``: a folder in ``fixtures/``, by
    default Exempelkommun) into ``out`` (refused when ``out`` holds anything but an earlier
    demo): a project, every level's workbooks filled and consolidated for each period with
    KF's decisions, the section texts and the three documents (with PDF when ``pdf`` and
    LibreOffice is installed). ``echo`` gets a Swedish line per step."""
    say = echo or (lambda _text: None)
    started = time.perf_counter()
    project = _new_project(Path(out), kommun)
    periods = demo_periods(project, kommun)
    model, _period = project.period(periods[-1][0])
    summary = DemoSummary(out=project.root, kommun=model.config.kommun.name,
                          goals_word=model.words.goal("kommun").bestämd_plural,
                          chapters_per=per_groups(c.kind for c in model.committees()))
    for period_id, _doc in periods:
        _run_period(project, period_id, summary, say)
    summary.statuses = _kf_statuses(project, periods[-1][0])
    _render_documents(project, summary, pdf, say, periods)
    summary.seconds = time.perf_counter() - started
    return summary


def demo_periods(project: Project, kommun: str = "exempelkommun"
                 ) -> tuple[tuple[str, str], ...]:
    """The periods the demo runs, in order, each with its document: Exempelkommun's
    :data:`DEMO_PERIODS`; another fixture kommun's every period of its (first) year, in the
    styrmodell's order (a kvartal's document is the ``uppfoljning``)."""
    from reportkit.documents.build import document_for

    if kommun == "exempelkommun":
        return DEMO_PERIODS
    model = project.styrmodell(project.years()[0])
    return tuple((p.id, document_for(p.type)) for p in model.config.periods)


def _new_project(out: Path, kommun: str = "exempelkommun") -> Project:
    """A new project in ``out`` from fixture ``kommun``, marked as the demo's."""
    from reportkit.resources import fixture_kommuner, kommun_dir
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    if kommun_dir(kommun) is None:  # before anything in out is touched
        raise ReportkitError(problem(
            "file-unreadable", file=f"fixtures/{kommun}",
            reason="det finns ingen sådan exempelkommun; välj en av "
                   + ", ".join(fixture_kommuner())))
    _prepare(out)
    init_project(out, kommun)
    (out / MARKER).write_text("reportkit demo\n", encoding="utf-8")
    return Project.open(out)


def _run_period(project: Project, period_id: str, summary: DemoSummary,
                say: Callable[[str], None]) -> None:
    """One period: level by level, workbooks out, filled and consolidated; the section texts
    written; KF's decision."""
    from reportkit.demo.simulate_texts import write_section_texts

    model, period = project.period(period_id)
    levels = [lv for lv in ROUND if lv in period.levels]
    units = 0
    for level in levels:
        units += _run_level(project, model, period, level, level == levels[-1], summary, say)
    summary.units = max(summary.units, units)
    _deviations(project, model, period_id, summary.rounds[-len(levels):], levels, summary)
    # the kansli and the nämnder write their section texts before the document goes to KF
    written = write_section_texts(project, period_id)
    say(f"  kansliet och nämnderna skrev {len(written)} avsnittstexter")
    text = DEMO_DECISIONS.get(period_id)
    if text:
        from reportkit.storage.decisions import record_decision

        decision = record_decision(project, period_id, text)
        summary.decisions.append(f"{period.name}: {decision.label}")
        say(f"  {period.name} beslutad: {decision.label}")


def _run_level(project: Project, model: Styrmodell, period: Period, level: str, last: bool,
               summary: DemoSummary, say: Callable[[str], None]) -> int:
    """One level's turn: its workbooks generated, filled and consolidated (with the outputs
    when it is the ``last`` level); returns how many workbooks."""
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks

    # each level's workbooks are prefilled with what the levels below sent in
    paths = generate_workbooks(project, period.id, levels=[level])
    say(f"{period.name}, {model.level_name(level).lower()}: {len(paths)} styrkort "
        "skapade och ifyllda …")
    fill_workbooks(paths, project.inbox(period.id))
    report = consolidate(project, period.id, outputs=last)
    summary.workbooks += len(paths)
    turn = LevelRound(period.name, model.level_name(level), len(paths), 0, 0)
    for p in (p for f in report.new for p in f.problems):
        if p.is_error:
            turn.errors += 1
            if len(summary.examples) < 3:
                summary.examples.append(p.line())
        else:
            turn.warnings += 1
    summary.errors += turn.errors
    summary.warnings += turn.warnings
    summary.rounds.append(turn)
    say(f"  sammanställt: {len(report.new)} filer, "
        f"{sum(1 for f in report.new if f.has_errors)} med fel")
    return len(paths)


def _kf_statuses(project: Project, period_id: str) -> dict[str, int]:
    """How many KF goals have each final status, by the scale's label."""
    from reportkit.consolidate.rollup import compute
    from reportkit.storage.access import opened

    with opened(project, period_id) as (_, model, period, conn):
        results = compute(conn, model, period.id)
    counts = Counter(results.scale.label(g.final) for g in results.goals.values()
                     if g.level == "kommun" and g.final)
    return dict(sorted(counts.items()))


_WAITING = ("section-text-missing", "unit-text-missing", "unit-mission-missing",
            "document-data-missing", "document-data-export-missing",
            "document-data-not-loaded", "document-data-export-fel", "document-politics-missing")
"""Problems that mean a text or a table is still to come: one summary line per document."""


def _render_documents(project: Project, summary: DemoSummary, pdf: bool,
                      say: Callable[[str], None],
                      periods: tuple[tuple[str, str], ...] = DEMO_PERIODS) -> None:
    """Each period's document with its chapters, and with ``pdf`` their PDFs from one
    LibreOffice started while they are rendered."""
    from reportkit.documents.build import render_document_for

    first_document = len(summary.documents)
    early = None
    if pdf:  # one LibreOffice for all three documents, started while they are rendered
        from reportkit.documents.pdf import hand_over, start_libreoffice

        early = start_libreoffice()
    for period_id, doc in periods:
        say(f"Skapar {doc} …")
        # KF's decision is recorded: the decided version, "Beslutad av KF …", not "Utkast"
        outcome = render_document_for(project, doc, period_id, chapters=True,
                                      version=DEMO_DECISIONS.get(period_id))
        documents = [p for p in outcome.paths if p.parent.name != "kapitel"]
        if pdf:  # converted while the next document is rendered
            hand_over(early, documents)
        summary.documents.extend(documents)
        summary.chapters.extend(p for p in outcome.paths if p.parent.name == "kapitel")
        waiting = Counter(p.code for p in outcome.problems if p.code in _WAITING)
        summary.problems.extend(p.line() for p in outcome.problems if p.code not in waiting)
        if waiting:
            summary.problems.append(
                f"{doc}: {sum(waiting.values())} avsnitt väntar på text eller uppgifter från "
                "kansliet, nämnderna eller ekonomiavdelningen (markerade i dokumentet, listade "
                "med reportkit render)")
    if pdf:
        from reportkit.documents.pdf import convert_to_pdf

        say("Skapar PDF (PDF/UA-1 och PDF/A-2b) …")
        converted = convert_to_pdf(summary.documents[first_document:], early=early)
        summary.documents.extend(converted.pdfs)
        summary.problems.extend(p.line() for p in converted.problems)
