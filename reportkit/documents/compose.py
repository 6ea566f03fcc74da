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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.documents.codestamp import render_code_stamp
from reportkit.documents.render import (
    Insert,
    RenderResult,
    TemplateMemo,
    find_template,
    prepare_template,
    render_document,
    run_renders,
    template_variables,
    timeout_problem,
)
from reportkit.errors import Problem, ReportkitError

if TYPE_CHECKING:
    from reportkit.documents.reportdata import ReportData

__all__ = ["render_report", "render_chapter"]


def render_chapter(document: str, data: Any, committee: str, out: Path, *, texts_dir: Path,
                   template_dir: Path | None = None, standalone: bool = True,
                   with_charts: bool = True, chart_cache: Path | None = None) -> RenderResult:
    """One nämnd's chapter (``document`` is ``kapitel-namnd`` or ``kapitel-namnd-plan``).

    ``standalone`` gives it a cover (the nämnd's own document); otherwise it is the part the
    whole document inserts. The nämnd's own text files (intern kontroll, privata utförare)
    live in ``texts_dir/<nämnd-id>/``.
    """
    from reportkit.documents import stylesheet
    from reportkit.documents.context import build_context
    from reportkit.documents.sections import prepare_committee_texts

    template = find_template(document, template_dir)
    styles = stylesheet.source(template_dir)
    style_problems = stylesheet.check([template], styles)
    memo = TemplateMemo()  # this chapter's render remembers its template's pre-flight
    used = template_variables(template, memo=memo)
    if used is not None and not any(name.startswith("diagram") for name in used):
        with_charts = False  # a chapter's charts are the whole document's; drawn only if used
    built = build_context(data, document, committee=committee, with_charts=with_charts,
                          chart_cache=chart_cache, standalone=standalone)
    problems = list(built.problems) + style_problems
    chosen = next(c for c in data.committees if c.id == committee)
    if data.period.type != "plan":
        problems += prepare_committee_texts(built.values["namnd"], chosen.id, chosen.name,
                                            texts_dir)
    result = render_document(template, built.values, out, core=built.core, memo=memo,
                             styles=styles)
    result.problems = problems + result.problems
    return result


def render_report(document: str, data: Any, out: Path, *, texts_dir: Path,
                  template_dir: Path | None = None, committee: str | None = None,
                  with_charts: bool = True, chart_cache: Path | None = None,
                  statements: Path | None = None, statements_shown: str | None = None,
                  chapter_out: Callable[[str], Path] | None = None,
                  chapter_cache: Path | None = None,
                  whole: Callable[..., RenderResult] | None = None) -> RenderResult:
    """Render one of the KF documents from a :class:`~reportkit.documents.reportdata.ReportData`.

    ``document``: ``arsredovisning``, ``delarsrapport`` (also tertial), ``verksamhetsplan``, or
    a chapter template (``kapitel-namnd``, ``kapitel-namnd-plan``) with ``committee``. The
    section texts live in ``texts_dir`` (``<projekt>/texter/<period>``; created once with
    drafts, never overwritten). The template comes from ``template_dir`` if the kommun has its
    own, else the built-in one; so does ``avsnitt.yaml`` (which sections a period type shows).
    ``statements`` is the ekonomiavdelning's financial statements (.docx). ``chapter_out``
    (nämnd id → path) also writes each chapter as its own document. ``chapter_cache`` is a
    folder where each rendered chapter is kept under a hash of everything it is made of, so a
    render after one unit changed renders only that nämnd's chapter (the bytes are the same).
    ``whole`` renders the whole document (``render_document``'s arguments, without a memo):
    in a process forked before this one grew (documents/build.py); None renders it here.
    Returns the path, the chapters written and every varning; raises ReportkitError on a
    template fel.
    """
    from reportkit.documents import stylesheet
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
                          avsnitt=avsnitt, defer_charts=True)
    charts = _Charts(built.charts, chart_cache)
    shown = built.values["avsnitt"]
    texts = prepare_sections(document, data, texts_dir,
                             avsnitt=[k for k, on in shown.items() if on],
                             statements=statements, statements_shown=statements_shown)
    problems: list[Problem] = texts.problems + [p for p in built.problems
                                                if p.code not in _CHAPTER_CODES]
    written: list[Path] = []
    kapitel = chapter_template(document)
    styles = stylesheet.source(template_dir)
    problems += stylesheet.check([template, find_template(kapitel, template_dir)], styles)
    memo = TemplateMemo()  # the document's templates, compiled once for all its chapters
    with tempfile.TemporaryDirectory(prefix="reportkit-kapitel-") as tmp:
        if shown.get("namnder", True):
            ids = [n["id"] for n in built.values["namnder"]]
            job = _ChapterJob(kapitel, data, Path(tmp), texts_dir, template_dir, with_charts,
                              chart_cache, chapter_out, chapter_cache, charts=charts,
                              memo=memo, styles=styles)
            for n, (body, part_problems, alone) in zip(built.values["namnder"],
                                                      job.run_all(ids), strict=True):
                problems += part_problems
                n["kapitel"] = Insert(body)
                if alone is not None:
                    written.append(alone)
        else:
            for n in built.values["namnder"]:
                n["kapitel"] = None
        charts.finish()
        result = _render_whole(template, built.values, out, texts.subdocs, built.core,
                               chapter_cache, memo, styles, whole)
    if chapter_cache is not None:
        _prune(chapter_cache)
    result.problems = _unique(problems + result.problems)
    result.chapters = written
    return result


class _Charts:
    """The whole document's charts: those the chart cache lacks are drawn beside the chapters
    (in the same 2 forked workers), then placed into the context."""

    def __init__(self, pending: tuple[list[Any], Any] | None, cache: Path | None) -> None:
        from reportkit.documents import charts

        self.specs: list[Any]
        self.place: Any
        self.specs, self.place = pending if pending is not None else ([], None)
        self.found, self.keys = charts.from_cache(self.specs, cache)
        self.cache = cache
        self.todo = [i for i, chart in enumerate(self.found) if chart is None]
        self.drawn: dict[int, Any] = {}

    def finish(self) -> None:
        """Draw what is still missing (in 2 workers when many), keep it in the cache and
        place every chart."""
        from reportkit.documents import charts
        from reportkit.documents.context import chart_workers

        left = [i for i in self.todo if i not in self.drawn]
        if left:
            drawn = charts.render_many([self.specs[i] for i in left],
                                       workers=chart_workers(len(left)))
            self.drawn.update(zip(left, drawn, strict=True))
        for i in self.todo:
            self.found[i] = self.drawn[i]
            if self.cache is not None:
                charts.to_cache(self.cache, str(self.keys[i]), self.drawn[i])
        if self.place is not None:
            self.place(self.found)


def _render_whole(template: Path, values: dict[str, Any], out: Path,
                  subdocs: Mapping[str, Path | str], core: dict[str, Any],
                  cache: Path | None, memo: TemplateMemo,
                  styles: Path | None = None,
                  whole: Callable[..., RenderResult] | None = None) -> RenderResult:
    """The whole document from its context, its section texts and its chapters; from the
    cache when the same template, values, texts and chapters made it before (then nothing
    needs composing: after a unit changed whose figures no chapter or table shows)."""
    import shutil

    from reportkit.documents.render import check_template
    from reportkit.files import atomic_path

    key = None
    if cache is not None:
        errors = check_template(template, set(values) | set(subdocs), cache, memo)
        if errors:
            raise ReportkitError(errors)
        key = _key(template, template_variables(template, cache, memo), values, core,
                   f"whole subdocs={sorted(subdocs)}", extra=dict(subdocs), styles=styles)
        cached = _cache_file(cache, key) if key is not None else None
        if cached is not None and cached.is_file():
            with atomic_path(out) as tmp:
                shutil.copyfile(cached, tmp)
            return RenderResult(out, [])
    if whole is not None:  # the values, charts and chapter paths travel (1.5 MB on Storstad)
        result = whole(template, values, out, subdocs=dict(subdocs), core=core, styles=styles)
    else:
        result = render_document(template, values, out, subdocs=subdocs, core=core, memo=memo,
                                 styles=styles)
    if cache is not None and key is not None and not result.problems:
        _store_file(cache, key, out)
    return result


@dataclass
class _Chapter:
    """One chapter as the whole document inserts it (or as the nämnd's own document)."""

    index: int
    committee: str
    values: dict[str, Any]
    core: dict[str, Any]
    problems: list[Problem]
    out: Path
    """Where it is rendered when the cache does not have it."""
    key: str | None = None
    """Its cache key (None: not cached)."""
    part: bool = True
    """A part of the whole document (headings one level down) rather than the nämnd's own."""
    opens_part: bool = False
    """The first chapter under its group's heading ("Kommunalförbundens …"): no page break of
    its own, the heading already began the page."""


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
    cache: Path | None = None
    charts: _Charts | None = None
    """The whole document's charts still to draw: drawn beside the chapters."""
    todo: list[_Chapter] = field(default_factory=list)
    memo: TemplateMemo = field(default_factory=TemplateMemo)
    """What the document's renders remember about their templates."""
    styles: Path | None = None
    """The stilmall (:mod:`reportkit.documents.stylesheet`)."""

    def run_all(self, ids: list[str]) -> list[tuple[Path, list[Problem], Path | None]]:
        """Every chapter in order: (the part to insert, its varningar, the nämnd's own
        document or None). Chapters the cache holds under the same key are not rendered."""
        from reportkit.documents.context import chapter_contexts
        from reportkit.documents.render import check_template
        from reportkit.documents.sections import prepare_committee_texts

        template = find_template(self.kapitel, self.template_dir)
        used = template_variables(template, self.cache, self.memo)
        with_charts = self.with_charts
        if used is not None and not any(name.startswith("diagram") for name in used):
            with_charts = False  # a chapter's charts are the whole document's; drawn only if used
        variants = [True] + ([False] if self.chapter_out is not None else [])
        opening = _opening_chapters(self.data, ids)
        chapters: dict[bool, list[_Chapter]] = {}
        for part in variants:
            built = chapter_contexts(self.data, self.kapitel, ids, with_charts=with_charts,
                                     chart_cache=self.chart_cache, standalone=not part)
            chapters[part] = []
            for i, (committee, ctx) in enumerate(zip(ids, built, strict=True)):
                problems = list(ctx.problems)
                chosen = next(c for c in self.data.committees if c.id == committee)
                if self.data.period.type != "plan":
                    problems += prepare_committee_texts(ctx.values["namnd"], chosen.id,
                                                        chosen.name, self.texts_dir)
                errors = check_template(template, set(ctx.values), self.cache, self.memo)
                if errors:
                    raise ReportkitError(errors)
                out = self.tmp / f"{i:03d}.docx" if part else self.chapter_out(committee)  # type: ignore[misc]
                chapter = _Chapter(i, committee, ctx.values, ctx.core, problems, out, part=part,
                                   opens_part=i in opening)
                if self.cache is not None:
                    chapter.key = _cache_key(template, used, chapter, self.styles)
                chapters[part].append(chapter)
        self.todo = [c for part in variants for c in chapters[part]
                     if not _from_cache(self.cache, c)]
        done = _render_chapters(self, template)
        rendered = {(c.part, c.index): r for c, r in zip(self.todo, done, strict=True)}
        out = []
        for i, chapter in enumerate(chapters[True]):
            problems = chapter.problems + rendered.get((True, i), [])
            alone = chapters[False][i].out if False in chapters else None
            out.append((chapter.out, problems, alone))
        return out

    def render(self, template: Path, chapter: _Chapter) -> list[Problem]:
        """Render one chapter to ``chapter.out`` (and into the cache); its render varningar."""
        result = render_document(template, chapter.values, chapter.out, core=chapter.core,
                                 demote=not chapter.opens_part if chapter.part else None,
                                 memo=self.memo, styles=self.styles)
        if self.cache is not None and chapter.key is not None and not result.problems:
            _store(self.cache, chapter)
        return result.problems


def _opening_chapters(data: ReportData, ids: list[str]) -> set[int]:
    """The indexes of the chapters that open a part of the document: under each group
    heading (nämnder and bolag; kommunalförbund) the first committee of its first group, as
    the template's ``namndgrupper`` lists them."""
    from reportkit.styrmodell import kinds

    kind_of = {c.id: c.kind for c in data.committees}
    groups = [kinds.group_of(kind_of[i]) for i in ids]
    return {groups.index(part[0]) for part in kinds.document_groups(kind_of[i] for i in ids)}


def _cache_key(template: Path, used: frozenset[str] | None, chapter: _Chapter,
               styles: Path | None = None) -> str | None:
    """A hash of everything a chapter's bytes come from (see :func:`_key`), and whether it is
    a part of the whole document (and the first) or the nämnd's own."""
    return _key(template, used, chapter.values, chapter.core,
                f"part={chapter.part} first={chapter.opens_part}", styles=styles)


def _key(template: Path, used: frozenset[str] | None, values: Mapping[str, Any],
         core: Mapping[str, Any], variant: str, extra: Any = None,
         styles: Path | None = None) -> str | None:
    """A hash of the template's bytes, the values of the variables it uses (every inserted
    file by its bytes), the core properties, ``variant``, ``extra``, the stilmall's bytes and
    the code and libraries that render it. None when a value is of a kind not known here (then the
    document is rendered)."""
    import hashlib

    if used is None:
        return None
    h = hashlib.sha256()
    h.update(render_code_stamp().encode())
    h.update(hashlib.sha256(template.read_bytes()).digest())
    if styles is not None:  # the stilmall's bytes: a restyle renders again
        h.update(b"stilmall" + hashlib.sha256(styles.read_bytes()).digest())
    h.update(variant.encode())
    try:
        _feed(h, {name: values[name] for name in sorted(used) if name in values})
        _feed(h, core)
        _feed(h, extra)
    except _Unknown:
        return None
    return h.hexdigest()


class _Unknown(Exception):
    pass


def _feed(h: Any, value: Any) -> None:
    """Feed ``value`` to the hash ``h``, each kind tagged and every string length-prefixed, so
    two different values never feed the same bytes."""
    import dataclasses
    import datetime as dt
    import hashlib

    from reportkit.documents.charts import Chart
    from reportkit.documents.render import rich_text_class

    rich_text = rich_text_class()
    update = h.update

    def feed(value: Any) -> None:  # the imports above once, not once per value
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            update(b"s%d:" % len(data) + data)
        elif value is None or isinstance(value, (bool, int, float)):
            update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, Mapping):
            update(b"d%d:" % len(value))
            for k, v in value.items():
                feed(k)
                feed(v)
        elif isinstance(value, (list, tuple)):
            update(b"l%d:" % len(value))
            for v in value:
                feed(v)
        elif type(value) is rich_text:
            update(b"r")
            feed(getattr(value, "xml"))  # noqa: B009 - docxtpl's RichText, typed as object
        elif isinstance(value, Chart):
            update(b"c")
            feed([value.name, hashlib.sha256(value.png).hexdigest(), value.alt,
                  float(value.width_mm)])
        elif isinstance(value, (Insert, Path)):
            path, placeholder = (value.path, value.placeholder) if isinstance(value, Insert) \
                else (value, None)
            try:
                content = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError as exc:
                raise _Unknown from exc
            update(b"i")
            feed([content, placeholder])
        elif isinstance(value, (dt.date, dt.datetime)):
            update(f"{type(value).__name__}:{value.isoformat()};".encode())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            update(f"o{type(value).__module__}.{type(value).__qualname__}:".encode())
            feed({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
        else:
            raise _Unknown(type(value).__name__)

    feed(value)


def _cache_file(cache: Path, key: str) -> Path:
    return cache / f"{key}.docx"


def _from_cache(cache: Path | None, chapter: _Chapter) -> bool:
    """True (and ``chapter.out`` the cached file, or a copy of it for the nämnd's own
    document) when the cache holds the chapter."""
    import os

    from reportkit.files import write_bytes_atomic

    if cache is None or chapter.key is None:
        return False
    cached = _cache_file(cache, chapter.key)
    try:
        data = cached.read_bytes() if not chapter.part else None
        os.utime(cached)  # in use: kept by the pruning
    except OSError:
        return False
    if data is None:
        chapter.out = cached
    else:
        write_bytes_atomic(chapter.out, data)
    return True


def _store(cache: Path, chapter: _Chapter) -> None:
    _store_file(cache, str(chapter.key), chapter.out)


def _store_file(cache: Path, key: str, path: Path) -> None:
    import contextlib

    from reportkit.files import write_bytes_atomic

    with contextlib.suppress(OSError):  # a cache that cannot be written is no error
        write_bytes_atomic(_cache_file(cache, key), path.read_bytes())


CACHE_DAYS = 30
"""Cached chapters not used for this many days are removed."""


def _prune(cache: Path) -> None:
    import os
    import time

    limit = time.time() - CACHE_DAYS * 86400
    try:
        entries = list(os.scandir(cache))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name.endswith((".docx", ".json")) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
        except OSError:
            pass


PARALLEL_MIN_CHAPTERS = 8
"""From this many chapters to render the chapters are rendered in 2 forked worker processes
(with the whole document's charts that are not in the cache)."""
_FORKED: tuple[_ChapterJob, Path] | None = None
"""The job handed to the forked chapter workers: set just before the fork, cleared after it
(the workers inherit it; allowed in tests/test_state.py)."""


def _render_chapters(job: _ChapterJob, template: Path) -> list[list[Problem]]:
    """Render ``job.todo`` in order (their render varningar): in 2 forked workers when there
    are many, with the whole document's missing charts (``job.charts``), else in turn. The
    chapters are independent files (each nämnd's texts live in its own folder) and a chart
    has the same bytes in any process, so the bytes are the same either way; a worker that
    fails makes the chapters render in turn, which reports the failure as usual (and the
    charts are drawn by :meth:`_Charts.finish`)."""
    import functools
    import multiprocessing
    import os

    from reportkit.documents import sandbox
    from reportkit.documents.context import CHART_WORKERS_FROM

    todo = job.todo
    chart_todo = job.charts.todo if job.charts is not None else []
    items = [("diagram", i) for i in chart_todo] + [("kapitel", i) for i in range(len(todo))]
    workers = min(os.cpu_count() or 1, 2, len(items))
    seconds = sandbox.time_limit()
    if todo:
        prepare_template(template, job.memo)  # compiled once here, not in each worker
    if (len(todo) >= PARALLEL_MIN_CHAPTERS or len(chart_todo) >= CHART_WORKERS_FROM) \
            and workers >= 2 and not multiprocessing.current_process().daemon \
            and "fork" in multiprocessing.get_all_start_methods():
        global _FORKED
        _FORKED = (job, template)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = []
                results = pool.imap(_run_forked, items, chunksize=1)
                for _item in items:
                    try:  # each render stops itself at its limit; this is for one that cannot
                        d = results.next(timeout=seconds + sandbox.GRACE)
                    except multiprocessing.TimeoutError as exc:
                        raise ReportkitError(timeout_problem(template, seconds)) from exc
                    if isinstance(d, _Refused):  # as in turn: the first in order, at once
                        raise ReportkitError(d.problems)
                    done.append(d)
        finally:
            _FORKED = None
        if all(d is not None for d in done):
            if job.charts is not None:
                job.charts.drawn.update(
                    (i, d) for (kind, i), d in zip(items, done, strict=True) if kind == "diagram")
            return [d for (kind, _i), d in zip(items, done, strict=True) if kind == "kapitel"]
    # in turn, in one forked worker (a template is untrusted: sandbox.py)
    return run_renders([functools.partial(job.render, template, chapter) for chapter in todo],
                       template, seconds)


def _run_forked(item: tuple[str, int]) -> Any:
    from reportkit.documents import charts, sandbox

    assert _FORKED is not None
    job, template = _FORKED
    kind, i = item
    sandbox.become_worker()  # renders here, each under its own alarm, without forking again
    try:
        if kind == "diagram":
            assert job.charts is not None
            return charts.draw(job.charts.specs[i])
        return job.render(template, job.todo[i])
    except ReportkitError as exc:  # a template fel (one that timed out is not tried again)
        return _Refused(exc.problems)
    except Exception:  # noqa: BLE001 - done again in turn, which reports it
        return None
    finally:
        # what python-docx leaves in cycles goes before the next item, not at a full
        # collection that may never come (a worker grew 70 MB over Storstad's 33 items);
        # the parent's objects are frozen, so this walks only the worker's own
        import gc

        gc.collect()


@dataclass
class _Refused:
    """A chapter a worker could not render: its fel."""

    problems: list[Problem]


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
