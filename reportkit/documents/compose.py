"""A KF document from ReportData: its context, the kansli's section texts and the chapters per
nämnd/bolag, composed into one .docx.

Each nämnd's (or bolag's) part is rendered with the chapter template (``kapitel-namnd.docx``,
``kapitel-namnd-plan.docx`` for plans), the same template that makes the chapter the nämnd
decides on its own. The whole document inserts those chapter documents with docxcompose (via
docxtpl subdocuments), one level down (the nämnd is Heading 2 under "Nämndernas …"), each on a
new page. So a nämnd's chapter reads the same alone and in the kommun's document, and
restyling the chapter template changes both. PDFs are never merged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportkit.documents.render import (
    Insert,
    RenderResult,
    demote_headings,
    find_template,
    render_document,
    template_variables,
)
from reportkit.errors import Problem

__all__ = ["render_report", "render_chapter"]


def render_chapter(document: str, data: Any, committee: str, out: Path, *, texts_dir: Path,
                   template_dir: Path | None = None, standalone: bool = True,
                   with_charts: bool = True, chart_cache: Path | None = None) -> RenderResult:
    """One nämnd's chapter (``document`` is ``kapitel-namnd`` or ``kapitel-namnd-plan``).

    ``standalone`` gives it a cover (the nämnd's own document); otherwise it is the part the
    whole document inserts. The nämnd's own text files (intern kontroll, privata utförare)
    live in ``texts_dir/<nämnd-id>/``.
    """
    from reportkit.documents.context import build_context
    from reportkit.documents.sections import prepare_committee_texts

    template = find_template(document, template_dir)
    used = template_variables(template)
    if used is not None and not any(name.startswith("diagram") for name in used):
        with_charts = False  # a chapter's charts are the whole document's; drawn only if used
    built = build_context(data, document, committee=committee, with_charts=with_charts,
                          chart_cache=chart_cache, standalone=standalone)
    problems = list(built.problems)
    chosen = next(c for c in data.committees if c.id == committee)
    if data.period.type != "plan":
        problems += prepare_committee_texts(built.values["namnd"], chosen.id, chosen.name,
                                            texts_dir)
    result = render_document(template, built.values, out, core=built.core)
    result.problems = problems + result.problems
    return result


def render_report(document: str, data: Any, out: Path, *, texts_dir: Path,
                  template_dir: Path | None = None, committee: str | None = None,
                  with_charts: bool = True, chart_cache: Path | None = None,
                  statements: Path | None = None, statements_shown: str | None = None,
                  chapter_out: Callable[[str], Path] | None = None) -> RenderResult:
    """Render one of the KF documents from a :class:`~reportkit.documents.reportdata.ReportData`.

    ``document``: ``arsredovisning``, ``delarsrapport`` (also tertial), ``verksamhetsplan``, or
    a chapter template (``kapitel-namnd``, ``kapitel-namnd-plan``) with ``committee``. The
    section texts live in ``texts_dir`` (``<projekt>/texter/<period>``; created once with
    drafts, never overwritten). The template comes from ``template_dir`` if the kommun has its
    own, else the built-in one; so does ``avsnitt.yaml`` (which sections a period type shows).
    ``statements`` is the ekonomiavdelning's financial statements (.docx). ``chapter_out``
    (nämnd id → path) also writes each chapter as its own document. Returns the path, the
    chapters written and every varning; raises ReportkitError on a template fel.
    """
    from reportkit.documents.context import CHAPTERS, build_context, chapter_template
    from reportkit.documents.sections import load_avsnitt, prepare_sections

    if document in CHAPTERS:
        if committee is None:
            raise ValueError("a chapter needs committee")
        return render_chapter(document, data, committee, out, texts_dir=texts_dir,
                              template_dir=template_dir, with_charts=with_charts,
                              chart_cache=chart_cache)
    template = find_template(document, template_dir)
    avsnitt = load_avsnitt(document, data.period.type, template_dir)
    built = build_context(data, document, with_charts=with_charts, chart_cache=chart_cache,
                          avsnitt=avsnitt)
    shown = built.values["avsnitt"]
    texts = prepare_sections(document, data, texts_dir,
                             avsnitt=[k for k, on in shown.items() if on],
                             statements=statements, statements_shown=statements_shown)
    problems: list[Problem] = texts.problems + [p for p in built.problems
                                                if p.code not in _CHAPTER_CODES]
    written: list[Path] = []
    kapitel = chapter_template(document)
    with tempfile.TemporaryDirectory(prefix="reportkit-kapitel-") as tmp:
        if shown.get("namnder", True):
            ids = [n["id"] for n in built.values["namnder"]]
            job = _ChapterJob(kapitel, data, Path(tmp), texts_dir, template_dir, with_charts,
                              chart_cache, chapter_out)
            template_variables(find_template(kapitel, template_dir))  # forked workers inherit it
            for n, (body, part_problems, alone) in zip(built.values["namnder"],
                                                      _render_chapters(job, ids), strict=True):
                problems += part_problems
                n["kapitel"] = Insert(body)
                if alone is not None:
                    written.append(alone)
        else:
            for n in built.values["namnder"]:
                n["kapitel"] = None
        result = render_document(template, built.values, out, subdocs=texts.subdocs,
                                 core=built.core)
    result.problems = _unique(problems + result.problems)
    result.chapters = written
    return result


@dataclass
class _ChapterJob:
    """What every chapter of one whole document is rendered with."""

    kapitel: str
    data: Any
    tmp: Path
    texts_dir: Path
    template_dir: Path | None
    with_charts: bool
    chart_cache: Path | None
    chapter_out: Callable[[str], Path] | None

    def run(self, i: int, committee: str) -> tuple[Path, list[Problem], Path | None]:
        """Chapter ``i`` as a part of the whole document (headings one level down, a new page
        from the second on) and, with ``chapter_out``, as the nämnd's own document."""
        body = self.tmp / f"{i:03d}.docx"
        part = render_chapter(self.kapitel, self.data, committee, body, texts_dir=self.texts_dir,
                              template_dir=self.template_dir, standalone=False,
                              with_charts=self.with_charts, chart_cache=self.chart_cache)
        demote_headings(body, page_break=i > 0)
        alone = None
        if self.chapter_out is not None:
            alone = render_chapter(self.kapitel, self.data, committee,
                                   self.chapter_out(committee), texts_dir=self.texts_dir,
                                   template_dir=self.template_dir, with_charts=self.with_charts,
                                   chart_cache=self.chart_cache).path
        return body, part.problems, alone


PARALLEL_MIN_CHAPTERS = 8
"""From this many nämnder and bolag the chapters are rendered in 2 forked worker processes."""
_FORKED: _ChapterJob | None = None


def _render_chapters(job: _ChapterJob, ids: list[str]
                     ) -> list[tuple[Path, list[Problem], Path | None]]:
    """Every chapter, in order: in 2 forked workers for a large kommun, else in turn. The
    chapters are independent files (each nämnd's texts live in its own folder), so the bytes
    are the same either way; a worker that fails makes the chapters render in turn, which
    reports the failure as usual."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, 2, len(ids))
    if len(ids) >= PARALLEL_MIN_CHAPTERS and workers >= 2 \
            and not multiprocessing.current_process().daemon \
            and "fork" in multiprocessing.get_all_start_methods():
        global _FORKED
        _FORKED = job
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.map(_run_forked, list(enumerate(ids)), chunksize=1)
        finally:
            _FORKED = None
        if all(d is not None for d in done):
            return done  # type: ignore[return-value]
    return [job.run(i, committee) for i, committee in enumerate(ids)]


def _run_forked(item: tuple[int, str]) -> tuple[Path, list[Problem], Path | None] | None:
    assert _FORKED is not None
    try:
        return _FORKED.run(*item)
    except Exception:  # noqa: BLE001 - rendered again in turn, which reports it
        return None


_CHAPTER_CODES = ("unit-text-missing", "unit-mission-missing")
"""Varningar about a nämnd's texts: reported by the chapter that shows them."""


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        key = p.line()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
