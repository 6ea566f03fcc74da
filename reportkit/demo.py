"""``reportkit demo``: the whole yearly cycle on Exempelkommun, in one command.

Creates a project in ``out``, and for the plan, delår and helår periods writes every unit's
workbook, fills them the way units would (with a few mistakes), checks and consolidates them;
then renders the verksamhetsplan, the delårsrapport and the årsredovisning (and PDFs when
LibreOffice is installed).
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportkit.errors import ReportkitError, problem

MARKER = ".reportkit-demo"
DEMO_PERIODS = (("2026-plan", "verksamhetsplan"), ("2026-delår", "delarsrapport"),
                ("2026-helår", "arsredovisning"))


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

    def text(self) -> str:
        lines = [
            "",
            f"Exempelkommun – demo klar på {self.seconds:.1f} s",
            f"  Enheter som rapporterar: {self.units}",
            f"  Styrkort skapade, ifyllda och kontrollerade: {self.workbooks}",
            f"  Fel hittade: {self.errors}, varningar: {self.warnings}",
        ]
        for example in self.examples:
            lines.append(f"    {example}")
        if self.statuses:
            lines.append("  KF-målen vid helår: " + ", ".join(
                f"{k}: {v}" for k, v in self.statuses.items()))
        for message in self.problems:
            lines.append(f"  {message}")
        lines.append("  Dokument:")
        for path in self.documents:
            lines.append(f"    {path}")
        folders = sorted({p.parent for p in self.chapters})
        if folders:
            lines.append(f"  Kapitel per nämnd och bolag: {len(self.chapters)} filer i "
                         + ", ".join(str(f) for f in folders))
        lines.append(f"  Projektet (styrkort, sammanställningar, historiklager): {self.out}")
        return "\n".join(lines)


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ReportkitError(problem(
                "file-unreadable", file=str(out),
                reason="mappen finns och är inte en tidigare demo; välj en annan med --out"))
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def run_demo(out: Path | str = Path("output/demo"), *, pdf: bool = True,
             echo: Callable[[str], None] | None = None) -> DemoSummary:
    from reportkit.consolidate.run import consolidate
    from reportkit.documents.build import render_document_for
    from reportkit.project import Project
    from reportkit.simulate import fill_workbooks
    from reportkit.styrmodell.project_setup import init_project
    from reportkit.workbook.outbox import generate_workbooks

    say = echo or (lambda _text: None)
    started = time.perf_counter()
    out = Path(out)
    _prepare(out)
    init_project(out)
    (out / MARKER).write_text("reportkit demo\n", encoding="utf-8")
    project = Project.open(out)
    summary = DemoSummary(out=project.root)
    for period_id, _doc in DEMO_PERIODS:
        model, period = project.period(period_id)
        paths = generate_workbooks(project, period_id)
        say(f"{period.name}: {len(paths)} styrkort skapade, fylls i av enheterna …")
        fill_workbooks(paths, project.inbox(period_id))
        report = consolidate(project, period_id)
        summary.workbooks += len(paths)
        summary.units = max(summary.units, len(paths))
        for f in report.new:
            for p in f.problems:
                if p.is_error:
                    summary.errors += 1
                    if len(summary.examples) < 3:
                        summary.examples.append(p.line())
                else:
                    summary.warnings += 1
        say(f"  sammanställt: {len(report.new)} filer, "
            f"{sum(1 for f in report.new if f.has_errors)} med fel")
    from reportkit.consolidate import store
    from reportkit.consolidate.rollup import compute

    model, period = project.period(DEMO_PERIODS[-1][0])
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, period.id)
    finally:
        conn.close()
    counts = Counter(results.scale.label(g.final) for g in results.goals.values()
                     if g.level == "kommun" and g.final)
    summary.statuses = dict(sorted(counts.items()))
    first_document = len(summary.documents)
    for period_id, doc in DEMO_PERIODS:
        say(f"Skapar {doc} …")
        # The PDFs come after the loop: one LibreOffice for all three documents.
        outcome = render_document_for(project, doc, period_id, chapters=True)
        summary.documents.extend(p for p in outcome.paths if p.parent.name != "kapitel")
        summary.chapters.extend(p for p in outcome.paths if p.parent.name == "kapitel")
        waiting = Counter(p.code for p in outcome.problems
                          if p.code in ("section-text-missing", "unit-text-missing",
                                        "unit-mission-missing", "document-data-missing"))
        for p in outcome.problems:
            if p.code not in waiting:
                summary.problems.append(p.line())
        if waiting:
            summary.problems.append(
                f"{doc}: {sum(waiting.values())} avsnitt väntar på text eller uppgifter från "
                "kansliet, nämnderna eller ekonomiavdelningen (markerade i dokumentet, listade "
                "med reportkit render)")
    if pdf:
        from reportkit.documents.pdf import convert_to_pdf

        say("Skapar PDF (PDF/UA-1 och PDF/A-2b) …")
        converted = convert_to_pdf(summary.documents[first_document:])
        summary.documents.extend(converted.pdfs)
        summary.problems.extend(p.line() for p in converted.problems)
    summary.seconds = time.perf_counter() - started
    return summary
