"""The PDF step: Word documents → accessible PDF (PDF/UA-1 and PDF/A-2b), checked.

Why it is built like this (details in ``docs/pdf.md`` and TECH.md §3, §5, §6):

- LibreOffice does not update a table of contents on ``--convert-to``; only a UNO-driven
  instance can (``getDocumentIndexes()`` → ``update()``). The UNO script runs under the
  system Python, which has ``uno``; this module never imports it.
- One soffice serves several documents (start-up is paid once) and is restarted every
  ``restart_every`` documents, because it grows to ~450 MB. Each soffice gets a private
  profile: a shared profile made a third of simultaneous conversions fail.
- LibreOffice 7.4 declares ``pdfuaid`` without the PDF/A extension schema and stamps dates,
  an ICC creation date and a trailer ``/ID`` on every run; pikepdf fixes all of that, so the
  same .docx gives the same PDF bytes.
- page-validation (``page``) is the gate: profiles ``ua1`` and ``2b``.
- A stream whose bytes end in CR would be written as CR LF ``endstream``, which a checker
  reads as an end-of-line marker, one byte short of ``/Length`` (PDFA2B-STREAM-LENGTH-001);
  such a stream gets an ASCII85 layer (:func:`_protect_stream_ends`).
- Speed: each PDF is post-processed and checked in a thread while LibreOffice converts the
  next document, largest first, so that only the smallest one's checks remain at the end.
  A caller with other work first can start LibreOffice early (:func:`start_libreoffice`) and
  hand documents over as they are written (:func:`hand_over`); :func:`convert_to_pdf` then
  given it (``early=``) takes that instance and the PDFs it already made.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import io
import json
import os
import queue
import secrets
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.errors import Problem, problem
from reportkit.files import atomic_path

if TYPE_CHECKING:
    import pikepdf

UNO_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("uno_worker.py")
DEFAULT_TIMEOUT = 120.0
START_TIMEOUT = 60.0
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)

# The typed-JSON form is the only one LibreOffice 7.4 honours on the command line; a typo or
# the short form is silently ignored (TECH.md §6).
FILTER_DATA: dict[str, Any] = {
    "UseTaggedPDF": True,
    "SelectPdfVersion": 2,
    "PDFUACompliance": True,
    "ExportBookmarks": True,
    "ExportNotes": False,
}

VALIDATION_PROFILES = (("ua1", "PDF/UA-1"), ("2b", "PDF/A-2b"))

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>sv-SE</value></prop></item>
</oor:items>
"""

# PDF/A requires every non-predefined XMP property to be declared; LibreOffice 7.4 writes
# pdfuaid:part without this declaration (page-validation PDFA2B-XMP-EXTENSION-*).
_PDFUA_EXTENSION = b"""  <rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"""

# Rule-id fragment → what the template author should do (the hint of pdf-validation-failed).
_RULE_ACTIONS: tuple[tuple[str, str], ...] = (
    ("FIGURE-ALTERNATIVE-TEXT",
     "Ge alla bilder en alternativtext i mallen (Word: högerklicka på bilden → Visa "
     "alternativtext) och ge diagrammen alt-text i reportkit; skapa sedan PDF igen."),
    ("METADATA-TITLE",
     "Ange en titel i Word-mallen (Arkiv → Info → Egenskaper → Titel) och skapa PDF igen."),
    ("CONTENT-TAGGING",
     "Otaggat innehåll kommer oftast från kantlinjer, former eller textrutor i mallen (till "
     "exempel formatmallen Rubrik med kantlinje); ta bort dem och skapa PDF igen."),
    # the table rules, most particular first (the first fragment found in the rule id wins)
    ("TABLE-ROW-COLUMNSPAN",
     "En cell i en tabell sträcker sig över fler kolumner än raden har (sammanfogade celler som "
     "inte går jämnt ut). Ge varje rad lika många kolumner, eller skriv en rad som spänner över "
     "hela tabellen (en mellanrubrik) som en rubrik ovanför tabellen, och skapa PDF igen."),
    ("TABLE-COLUMN-ROWSPAN",
     "En cell i en tabell sträcker sig över fler rader än tabellen har. Dela upp den "
     "sammanfogade cellen (Tabell → Dela celler) och skapa PDF igen."),
    ("TABLE-CELL-INTERSECTION",
     "Sammanfogade celler i en tabell överlappar varandra. Dela upp dem så att varje cell har "
     "en egen plats i rader och kolumner och skapa PDF igen."),
    ("TABLE-HEADERS",
     "Tabellens rubrikceller säger inte vilka celler de gäller. Låt första raden vara rubrikrad "
     "och undvik rubriker mitt i tabellen; skapa PDF igen."),
    ("TABLE-CAPTION",
     "En tabell har fler än en tabellrubrik, eller den står mitt i tabellen. Skriv rubriken i ett "
     "eget stycke ovanför tabellen och skapa PDF igen."),
    ("TABLE-THEAD", "Markera bara de första raderna i tabellen som rubrikrad (Tabellegenskaper → "
     "Rad → Upprepa som rubrikrad) och skapa PDF igen."),
    ("TABLE",
     "Markera första raden i varje tabell som rubrikrad (Tabellegenskaper → Rad → Upprepa som "
     "rubrikrad) och skapa PDF igen."),
    ("HEADING",
     "Använd rubriknivåerna i ordning (Rubrik 1, sedan Rubrik 2) utan att hoppa över en nivå."),
    ("LANG",
     "Sätt språket svenska i mallens standardformat (Granska → Språk) och skapa PDF igen."),
    ("NOTE-ID",
     "Fotnoterna saknar eller delar id; infoga dem med Referenser → Infoga fotnot och skapa PDF "
     "igen."),
    ("LINK",
     "En länk saknar beskrivning; skriv länken som läsbar text (eller ge den en skärmtips-text) "
     "och skapa PDF igen."),
    ("ANNOTATION",
     "En kommentar eller annan anteckning i dokumentet saknar text eller tagg; ta bort "
     "kommentarerna ur mallen och skapa PDF igen."),
    ("FONT", "Ett typsnitt i mallen kan inte bäddas in helt. Använd ett typsnitt som finns på "
     "datorn som skapar PDF (till exempel Liberation Sans) och skapa PDF igen."),
    ("GLYPH", "Ett tecken saknas i typsnittet. Använd ett typsnitt som har alla tecken (till "
     "exempel Liberation Sans) och skapa PDF igen."),
)
_DEFAULT_ACTION = (
    "Rätta det regeln gäller i Word-mallen och skapa PDF igen; går det inte, skicka PDF-filen "
    "till den som förvaltar reportkit."
)


@dataclass
class PdfResult:
    """What :func:`convert_to_pdf` made: the PDFs written, the Problems found, wall time (s).

    ``timeline``: (seconds since the start, what happened) for profiling, for example
    ``(1.08, "soffice klar")``, ``(2.19, "konverterad arsredovisning.docx")``, ``(2.45,
    "kontrollerad arsredovisning.pdf")``; ``benchmarks/bench_pdf.py`` prints it.
    """

    pdfs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    timeline: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class _Job:
    src: Path
    raw: Path
    final: Path
    error: str | None = None
    timed_out: bool = False
    via_uno: bool = False
    problems: list[Problem] = field(default_factory=list)
    post: Future[tuple[bool, list[Problem]]] | None = None
    given: bool = False  # already handed to the early worker (:func:`hand_over`)


def _find_soffice() -> str | None:
    return os.environ.get("REPORTKIT_SOFFICE") or shutil.which("soffice")


def _find_uno_python() -> str | None:
    """The system Python for the UNO worker; whether it has ``uno`` the worker itself says."""
    exe = os.environ.get("REPORTKIT_UNO_PYTHON", UNO_PYTHON)
    found = shutil.which(exe)
    return found if found and os.access(found, os.X_OK) else None


def libreoffice_available() -> bool:
    """True when ``soffice`` is found (``REPORTKIT_SOFFICE`` or ``PATH``): PDFs can be made.

    Updating tables of contents also needs the system Python with ``uno`` (Debian package
    ``python3-uno``); without it :func:`convert_to_pdf` still converts, with a varning.
    """
    return _find_soffice() is not None


def convert_to_pdf(docx_paths: list[Path], out_dir: Path | None = None, *,
                   title: str | None = None, restart_every: int = 4,
                   timeout: float = DEFAULT_TIMEOUT, validate: bool = True,
                   early: _Worker | None = None) -> PdfResult:
    """Convert Word documents to tagged PDF/A-2b + PDF/UA-1 files and check them.

    Each ``X.docx`` becomes ``X.pdf`` in ``out_dir`` (``None``: beside the .docx), written
    atomically; the same .docx gives the same PDF bytes. ``title`` overrides the title from
    the .docx core properties for every document (``None``: use the core properties; if
    they have none, the file name is used and a varning added). One LibreOffice serves
    ``restart_every`` documents; a document that takes longer than ``timeout`` seconds is
    abandoned (``pdf-conversion-failed``) and the run goes on.

    Never raises for LibreOffice trouble: without soffice the result has no PDFs and one
    ``pdf-libreoffice-missing`` varning; a failed document is a Problem. With ``validate``
    each PDF is checked with page-validation (see :func:`validate_pdf`). ``early``: the
    LibreOffice :func:`start_libreoffice` started for this conversion (it is taken).
    """
    started = time.monotonic()
    result = PdfResult()

    def note(event: str) -> None:  # list.append is atomic: threads may call it
        result.timeline.append((round(time.monotonic() - started, 3), event))

    early = _take_early(early)
    soffice = _find_soffice()
    if soffice is None:
        if early is not None:
            _discard(early)
        result.problems.append(problem("pdf-libreoffice-missing", count=len(docx_paths)))
        result.seconds = time.monotonic() - started
        return result
    uno_python = _find_uno_python()
    if early is not None and (early.soffice, early.python) != (soffice, uno_python):
        _discard(early)
        early = None
    if early is not None:
        note(f"soffice startades i förväg, {started - early.started:.2f} s tidigare")
    tmp = early.tmp if early is not None else Path(tempfile.mkdtemp(prefix="reportkit-pdf-"))
    try:
        _convert_all(docx_paths, out_dir, title, restart_every, timeout, validate, soffice,
                     uno_python, early, tmp, result, note)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    note("klart")
    result.seconds = time.monotonic() - started
    return result


def _convert_all(docx_paths: list[Path], out_dir: Path | None, title: str | None,
                 restart_every: int, timeout: float, validate: bool, soffice: str,
                 uno_python: str | None, early: _Worker | None, tmp: Path, result: PdfResult,
                 note: Callable[[str], None]) -> None:
    """:func:`convert_to_pdf`'s work in its temporary folder ``tmp``; fills ``result``."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="reportkit-pdf") as pool:
        jobs: list[_Job] = []
        for i, path in enumerate(docx_paths):
            src = Path(path).resolve()
            if not src.is_file():
                result.problems.append(problem("file-unreadable", file=str(path),
                                               reason="filen finns inte"))
                continue
            final = (Path(out_dir) if out_dir is not None else src.parent) / f"{src.stem}.pdf"
            raw = early.sent.get(str(src)) if early is not None else None
            jobs.append(_Job(src, raw or tmp / f"{i}.pdf", final.resolve(), given=bool(raw)))
        if jobs:
            # pikepdf and page load while LibreOffice starts (about a second).
            pool.submit(_import_checkers)

        def post(job: _Job) -> None:
            job.post = pool.submit(_post_process, job, title, validate, note)

        # Largest first: what is left when LibreOffice is done is the smallest PDF's checks.
        # (Those handed over before go first: LibreOffice has them already.)
        order = [job for job in jobs if job.given] + sorted(
            (job for job in jobs if not job.given), key=lambda job: -job.src.stat().st_size)
        if uno_python and order:
            _run_uno(order, soffice, uno_python, tmp, restart_every, timeout, post, note,
                     early)
        elif early is not None:
            _discard(early, keep_tmp=True)
        for job in order:
            if job.via_uno or job.timed_out:
                continue
            reason = job.error or "python3-uno saknas"
            _run_convert_to(job, soffice, tmp, timeout)
            note(f"soffice --convert-to {job.src.name}")
            if job.error is None:
                if _has_toc(job.src):
                    job.problems.append(problem("pdf-toc-not-updated", file=job.src.name,
                                                document=job.src.name, reason=reason))
                post(job)

        for job in jobs:
            result.problems += job.problems
            if job.error is not None:
                result.problems.append(problem("pdf-conversion-failed", file=job.src.name,
                                               document=job.src.name, reason=job.error))
                continue
            assert job.post is not None
            written, problems = job.post.result()
            result.problems += problems
            if written:
                result.pdfs.append(job.final)


def _import_checkers() -> None:
    import page  # noqa: F401
    import pikepdf  # noqa: F401


def _post_process(job: _Job, title: str | None, validate: bool,
                  note: Callable[[str], None]) -> tuple[bool, list[Problem]]:
    """Finish and check one converted PDF (in a worker thread). Returns (written, problems)."""
    try:
        problems = _finish(job, title)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return False, [problem("pdf-conversion-failed", file=job.src.name, document=job.src.name,
                               reason=f"efterbehandlingen misslyckades: {exc}")]
    note(f"efterbehandlad {job.final.name}")
    if validate:
        problems += validate_pdf(job.final)
        note(f"kontrollerad {job.final.name}")
    return True, problems


def validate_pdf(path: Path) -> list[Problem]:
    """Check one PDF with page-validation profiles ``ua1`` (PDF/UA-1) and ``2b`` (PDF/A-2b).

    Returns one ``pdf-validation-failed`` varning per (standard, rule) that fails, naming the
    document and the rule id; an empty list means compliant with both. A file that cannot be
    parsed gives one ``pdf-unreadable``.
    """
    import page

    path = Path(path)
    problems: list[Problem] = []
    # page releases the GIL: the two profiles are checked at the same time.
    with ThreadPoolExecutor(max_workers=len(VALIDATION_PROFILES)) as pool:
        running = [(standard, pool.submit(page.validate_pdf, str(path), profile=profile))
                   for profile, standard in VALIDATION_PROFILES]
    for standard, future in running:
        try:
            report = future.result()
        except Exception as exc:  # noqa: BLE001 - page raises several kinds for broken files
            return [problem("pdf-unreadable", file=path.name, document=path.name,
                            reason=str(exc) or type(exc).__name__)]
        seen: dict[str, int] = {}
        details: dict[str, str] = {}
        for failure in report.failures:
            seen[failure.rule_id] = seen.get(failure.rule_id, 0) + 1
            details.setdefault(failure.rule_id, failure.message)
        for rule_id, count in seen.items():
            detail = details[rule_id] + (f"; {count} ställen" if count > 1 else "")
            problems.append(problem("pdf-validation-failed", file=path.name,
                                    document=path.name, standard=standard, rule=rule_id,
                                    detail=detail, action=_action_for(rule_id)))
    return problems


def pdfcheck(paths: list[Path]) -> list[Problem]:
    """Check existing PDF files (``reportkit pdfcheck FILE.pdf``): PDF/UA-1 and PDF/A-2b."""
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            problems.append(problem("file-missing", file=str(path)))
            continue
        if not path.is_file():
            problems.append(problem("file-is-directory", file=str(path)))
            continue
        problems += validate_pdf(path)
    return problems


def _action_for(rule_id: str) -> str:
    for fragment, action in _RULE_ACTIONS:
        if fragment in rule_id:
            return action
    return _DEFAULT_ACTION


_TEMPLATE_DONE = "reportkit-profile-complete"


def _profile_template(soffice: str) -> Path | None:
    """Where a started-once LibreOffice profile is kept for this LibreOffice build, or None.

    A new profile costs soffice about half a second of first-start work (graphics tests,
    extension registration) on every run; a copy of one that has started before does not.
    ``REPORTKIT_LO_PROFILE_CACHE``: the folder to keep it in (default
    ``$XDG_CACHE_HOME/reportkit`` or ``~/.cache/reportkit``); ``0`` or empty turns it off.
    """
    setting = os.environ.get("REPORTKIT_LO_PROFILE_CACHE")
    if setting is not None and setting.strip() in ("", "0"):
        return None
    try:
        root = (Path(setting) if setting else
                Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportkit")
        real = Path(os.path.realpath(soffice))
        stat = real.stat()
    except (OSError, RuntimeError):
        return None
    key = hashlib.sha256(f"{real}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    with contextlib.suppress(OSError):
        key.update((real.parent / "versionrc").read_bytes())
    return root / f"libreoffice-profile-{key.hexdigest()[:16]}"


def _new_profile(tmp: Path, template: Path | None = None) -> tuple[Path, bool]:
    """A private profile in ``tmp``: a copy of ``template`` if there is one, else a new one.

    Returns the profile and whether it was copied. Either way it holds the sv-SE locale.
    """
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
    if template is not None and (template / _TEMPLATE_DONE).is_file():
        try:
            shutil.copytree(template / "user", profile / "user")
            return profile, True
        except OSError:  # being replaced by another run: start from nothing
            shutil.rmtree(profile / "user", ignore_errors=True)
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return profile, False


def _keep_template(profile: Path, template: Path) -> None:
    """Keep ``profile`` (of a soffice that ended cleanly) as the template; never raises."""
    if (template / _TEMPLATE_DONE).is_file():
        return
    staging: Path | None = None
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".profile-", dir=template.parent))
        shutil.copytree(profile / "user", staging / "user")
        (staging / _TEMPLATE_DONE).write_text("reportkit\n", encoding="utf-8")
        if template.exists():  # an unfinished template: replace it
            shutil.rmtree(template, ignore_errors=True)
        os.rename(staging, template)
        staging = None
    except OSError:
        pass
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _drop_template(template: Path | None) -> None:
    if template is not None:
        shutil.rmtree(template, ignore_errors=True)


def _subprocess_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.setdefault("HOME", tempfile.gettempdir())
    # soffice's own temporary files (lu*.tmp) go with ours, also when it is killed.
    env["TMPDIR"] = str(tmp)
    return env


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",") + "\N{NO-BREAK SPACE}s"


def _kill_group(pgid: int | None) -> None:
    if pgid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


@dataclass
class _Worker:
    """A running UNO worker (``uno_worker.py``) that has its settings and waits for documents.

    ``tmp`` is the folder of its profile and of soffice's temporary files; ``copied`` says
    whether the profile is a copy of the kept template; ``started`` is ``time.monotonic()``.
    """

    proc: subprocess.Popen[str]
    pipe: str
    profile: Path
    copied: bool
    tmp: Path
    soffice: str
    python: str
    started: float
    owner: int = field(default_factory=os.getpid)
    sent: dict[str, Path] = field(default_factory=dict)  # .docx handed over → its raw PDF
    taken: bool = False
    """Taken by a :func:`convert_to_pdf` (started early: :func:`start_libreoffice`)."""


HAND_OVER_LIMIT = 4
"""At most this many documents go to the early LibreOffice before :func:`convert_to_pdf`
(one soffice serves about this many before it is restarted)."""


def start_libreoffice() -> _Worker | None:
    """Start LibreOffice now, for the caller to give to its :func:`convert_to_pdf`
    (``early=``), which then finds it ready; None without soffice or the UNO Python.

    For a caller that knows PDFs will be wanted and has other work first (``render --pdf``
    renders the .docx): soffice's start (about a second) then runs beside that work. The
    caller owns it: a started LibreOffice that no conversion takes is stopped when this
    process ends (and by itself if the process dies: its worker then reads the end of its
    input).
    """
    soffice, python = _find_soffice(), _find_uno_python()
    if soffice is None or python is None:
        return None
    tmp = Path(tempfile.mkdtemp(prefix="reportkit-pdf-"))
    profile, copied = _new_profile(tmp, _profile_template(soffice))
    try:
        early = _spawn(soffice, python, profile, copied, tmp)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    atexit.register(discard_early, early)
    return early


def hand_over(early: _Worker | None, docx_paths: list[Path]) -> None:
    """Give documents to ``early``, the LibreOffice :func:`start_libreoffice` started, now.

    It converts them while the caller goes on (renders the next document); the next
    :func:`convert_to_pdf` that is given them collects the PDFs, post-processes and checks
    them as usual (the same bytes). Does nothing without a started LibreOffice, for a file
    that does not exist, or beyond :data:`HAND_OVER_LIMIT` documents (the rest wait for
    :func:`convert_to_pdf`). A document must not change after it is handed over.
    """
    if early is None or early.taken or early.owner != os.getpid() \
            or early.proc.poll() is not None:
        return
    for path in docx_paths:
        src = Path(path).resolve()
        if str(src) in early.sent or len(early.sent) >= HAND_OVER_LIMIT or not src.is_file():
            continue
        raw = early.tmp / f"given-{len(early.sent)}.pdf"
        try:
            assert early.proc.stdin is not None
            early.proc.stdin.write(json.dumps({"src": str(src), "dst": str(raw)}) + "\n")
            early.proc.stdin.flush()
        except (OSError, ValueError):  # the worker is gone: convert_to_pdf will see why
            return
        early.sent[str(src)] = raw


def _take_early(early: _Worker | None) -> _Worker | None:
    """``early`` for a conversion (None when it is no use), taken: nothing else uses it."""
    if early is None or early.taken:
        return None
    early.taken = True
    if early.owner != os.getpid() or early.proc.poll() is not None:
        # A forked child must not use its parent's worker; a worker that ended is no use.
        if early.owner == os.getpid():
            _discard(early)
        return None
    return early


def discard_early(early: _Worker) -> None:
    """Stop ``early`` unless a conversion took it (at exit: no conversion came)."""
    worker = _take_early(early)
    if worker is not None:
        _discard(worker)


def _discard(worker: _Worker, keep_tmp: bool = False) -> None:
    """Stop a worker that got no documents: the end of its input makes it stop soffice."""
    pgid: int | None = None
    try:
        out, _ = worker.proc.communicate(timeout=15)  # closes its input
        clean = worker.proc.returncode == 0
    except subprocess.TimeoutExpired:
        _kill_group(worker.proc.pid)
        out, _ = worker.proc.communicate()
        clean = False
    for line in (out or "").splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            event = json.loads(line)
            if event.get("event") == "soffice":
                pgid = int(event["pgid"])
    _kill_group(pgid)  # the worker's own stop does this too; a killed worker did not
    if not clean:
        with contextlib.suppress(OSError):
            Path(f"/tmp/OSL_PIPE_{os.getuid()}_{worker.pipe}").unlink(missing_ok=True)
    if not keep_tmp:
        shutil.rmtree(worker.tmp, ignore_errors=True)


def _spawn(soffice: str, python: str, profile: Path, copied: bool, tmp: Path) -> _Worker:
    """Start a UNO worker and give it its settings (it starts soffice at once). OSError if
    the worker cannot be started."""
    pipe = f"reportkit-{os.getpid()}-{secrets.token_hex(4)}"
    settings = {"soffice": soffice, "profile_url": profile.as_uri(), "pipe": pipe,
                "filter_data": FILTER_DATA}
    proc = subprocess.Popen([python, "-I", str(WORKER)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=_subprocess_env(tmp), start_new_session=True, text=True,
                            encoding="utf-8")
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.write(json.dumps(settings) + "\n")
        proc.stdin.flush()
    return _Worker(proc, pipe, profile, copied, tmp, soffice, python, time.monotonic())


def _run_uno(jobs: list[_Job], soffice: str, python: str, tmp: Path,
             restart_every: int, timeout: float, done: Callable[[_Job], None],
             note: Callable[[str], None], early: _Worker | None = None) -> None:
    """Convert ``jobs`` in UNO workers of ``restart_every`` documents; mark each job.

    ``done(job)`` is called as soon as a job's raw PDF is written. ``early``: a worker
    started before (:func:`start_libreoffice`) that takes the first documents.
    """
    step = max(1, restart_every)
    template = _profile_template(soffice)
    if early is not None:
        profile, copied = early.profile, early.copied
    else:
        profile, copied = _new_profile(tmp, template)
    worker = early
    # The first worker keeps every document handed to it before.
    first_size = max(step, sum(job.given for job in jobs))
    starts = [0, *range(first_size, len(jobs), step)]
    for begin, end in zip(starts, [*starts[1:], len(jobs)], strict=True):
        pending = jobs[begin:end]
        while pending:
            if worker is None:
                try:
                    worker = _spawn(soffice, python, profile, copied, tmp)
                except OSError as exc:
                    for job in pending:
                        job.error = f"UNO-skriptet kunde inte starta: {exc}"
                    break
            pending, clean, started = _uno_batch(pending, worker, timeout, done, note)
            worker = None
            for job in pending:  # a new worker has been given nothing
                job.given = False
            if clean:
                if template is not None and not copied:
                    _keep_template(profile, template)
                    copied = True
            else:
                # A killed soffice leaves its profile half written; never reuse it. If soffice
                # did not start from a copied profile, the template may be to blame: drop it.
                if copied and not started:
                    _drop_template(template)
                profile, copied = _new_profile(tmp)


@dataclass
class _BatchRun:
    """What a worker has said so far about its batch (``by_src``: the jobs by source path)."""

    by_src: dict[str, _Job]
    wait: float
    """Seconds to wait for the next event: soffice's start, then one document's conversion."""
    soffice_pgid: int | None = None
    current: _Job | None = None
    finished: set[str] = field(default_factory=set)
    clean: bool = False
    ready: bool = False
    fatal: str | None = None

    def no_answer(self, timeout: float) -> None:
        """Nothing came within ``wait``: the current document timed out, or soffice hangs."""
        if self.current is not None:
            self.current.error = f"LibreOffice svarade inte inom {_seconds(timeout)}"
            self.current.timed_out = True
            self.finished.add(str(self.current.src))
        elif self.ready:  # a document handed over but not asked for hangs
            self.fatal = f"LibreOffice svarade inte inom {_seconds(timeout)}"
        else:
            self.fatal = f"LibreOffice startade inte inom {_seconds(START_TIMEOUT)}"

    def ended(self, proc: subprocess.Popen[str], note: Callable[[str], None]) -> None:
        """The worker closed its output: it has ended (cleanly or not)."""
        self.clean = proc.wait(timeout=30) == 0
        note("soffice avslutad" if self.clean else "UNO-skriptet avslutades med fel")
        if self.current is not None and str(self.current.src) not in self.finished:
            self.fatal = "UNO-skriptet avbröts"

    def take(self, event: dict[str, Any], worker: _Worker, timeout: float,
             done: Callable[[_Job], None], note: Callable[[str], None]) -> None:
        """One event of the worker's (``uno_worker.py``)."""
        kind = event.get("event")
        if kind == "soffice":
            self.soffice_pgid = int(event["pgid"])
            note("soffice startad" + (" (kopia av sparad profil)" if (
                worker.profile / "user" / "extensions").is_dir() else " (ny profil)"))
        elif kind == "ready":
            self.ready = True
            note("soffice klar")
        elif kind == "start":
            self.current = self.by_src.get(event["src"])  # None: handed over, not asked for
            self.wait = timeout
        elif kind == "done":
            job = self.by_src.get(event["src"])
            self.current = None
            if job is None:
                return
            job.via_uno = True
            self.finished.add(event["src"])
            if event.get("toc"):
                # the .docx's own TOC gets the page numbers the PDF has (documents/toc.py)
                from reportkit.documents import toc

                toc.set_pages(job.src, event["toc"])
            note(f"konverterad {job.src.name}")
            done(job)
        elif kind == "failed":
            if event["src"] in self.by_src:
                self.by_src[event["src"]].error = event.get("error") or "okänt fel"
            self.finished.add(event["src"])
            self.current = None
        elif kind == "fatal":
            self.fatal = event.get("error") or "okänt fel"


def _uno_batch(batch: list[_Job], worker: _Worker, timeout: float,
               done: Callable[[_Job], None],
               note: Callable[[str], None]) -> tuple[list[_Job], bool, bool]:
    """Give ``batch`` to ``worker`` and follow it to its end.

    Returns the jobs still to try, whether it ended cleanly and whether soffice started and
    accepted the connection (when it did not, the profile may be to blame).
    """
    events, reader = _read_events(worker.proc)
    _hand_jobs(worker.proc, batch)
    run = _BatchRun({str(job.src): job for job in batch}, wait=START_TIMEOUT)
    try:
        while True:
            try:
                event = events.get(timeout=run.wait)
            except queue.Empty:
                run.no_answer(timeout)
                break
            if event is None:
                run.ended(worker.proc, note)
                break
            run.take(event, worker, timeout, done, note)
    finally:
        _stop_worker(worker, run, reader)
    return _batch_outcome(batch, run)


def _read_events(proc: subprocess.Popen[str]
                 ) -> tuple[queue.Queue[dict[str, Any] | None], threading.Thread]:
    """The worker's events (one JSON object a line), read in a thread into a queue that ends
    with ``None`` when the worker closes its output."""
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with contextlib.suppress(ValueError):
                events.put(json.loads(line))
        events.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return events, reader


def _hand_jobs(proc: subprocess.Popen[str], batch: list[_Job]) -> None:
    """Write the batch's documents not handed over already (:func:`hand_over`) to the worker,
    then close its input: the worker ends after the last one."""
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.write("".join(json.dumps({"src": str(job.src), "dst": str(job.raw)}) + "\n"
                                 for job in batch if not job.given))
        proc.stdin.close()


def _stop_worker(worker: _Worker, run: _BatchRun, reader: threading.Thread) -> None:
    """Kill the worker and its soffice unless it ended cleanly, and reap them."""
    proc = worker.proc
    if not run.clean:
        _kill_group(proc.pid)
        _kill_group(run.soffice_pgid)
        # A killed soffice leaves its pipe's socket in /tmp (whatever TMPDIR says).
        with contextlib.suppress(OSError):
            Path(f"/tmp/OSL_PIPE_{os.getuid()}_{worker.pipe}").unlink(missing_ok=True)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    reader.join(timeout=10)
    if not reader.is_alive() and proc.stdout is not None:
        proc.stdout.close()


def _batch_outcome(batch: list[_Job], run: _BatchRun) -> tuple[list[_Job], bool, bool]:
    """:func:`_uno_batch`'s answer: the jobs still to try, whether the worker ended cleanly,
    whether soffice started and accepted the connection."""
    if run.fatal is not None:
        # soffice could not start or died: give every unfinished document to the fallback.
        for job in batch:
            if str(job.src) not in run.finished:
                job.error = run.fatal
        return [], run.clean, run.ready or run.soffice_pgid is None
    remaining = [job for job in batch if str(job.src) not in run.finished]
    if remaining and (run.clean or not run.finished):
        # A clean worker that skipped documents, or one that died before finishing any:
        # trying again would not help (and could loop); the fallback takes them.
        reason = ("UNO-skriptet hoppade över dokumentet" if run.clean
                  else "UNO-skriptet avslutades utan svar")
        for job in remaining:
            job.error = reason
        return [], run.clean, True
    return remaining, run.clean, True


def _run_convert_to(job: _Job, soffice: str, tmp: Path, timeout: float) -> None:
    """Fallback: plain ``soffice --convert-to`` (indexes are then not updated)."""
    options = json.dumps({
        name: {"type": "boolean" if isinstance(value, bool) else "long",
               "value": str(value).lower() if isinstance(value, bool) else str(value)}
        for name, value in FILTER_DATA.items()
    }, separators=(",", ":"))
    outdir = Path(tempfile.mkdtemp(prefix="convert-", dir=tmp))
    profile, _ = _new_profile(tmp, _profile_template(soffice))
    args = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", f"pdf:writer_pdf_Export:{options}",
            "--outdir", str(outdir), str(job.src)]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_subprocess_env(tmp),
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        job.error = f"LibreOffice svarade inte inom {_seconds(timeout)}"
        job.timed_out = True
        return
    finally:
        _kill_group(proc.pid)
    made = outdir / f"{job.src.stem}.pdf"
    if proc.returncode != 0 or not made.is_file():
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        job.error = f"soffice --convert-to gav kod {proc.returncode} {tail[0]}".strip()
        return
    job.error = None
    made.replace(job.raw)


def _has_toc(docx: Path) -> bool:
    try:
        with zipfile.ZipFile(docx) as z:
            body = z.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b"TOC \\" in body or b"w:docPartGallery w:val=\"Table of Contents\"" in body


def _core_properties(docx: Path) -> dict[str, str]:
    from defusedxml import ElementTree

    names = {
        "{http://purl.org/dc/elements/1.1/}title": "title",
        "{http://purl.org/dc/elements/1.1/}subject": "subject",
        "{http://purl.org/dc/elements/1.1/}creator": "author",
        "{http://purl.org/dc/elements/1.1/}language": "language",
        "{http://purl.org/dc/terms/}created": "created",
        "{http://purl.org/dc/terms/}modified": "modified",
    }
    try:
        with zipfile.ZipFile(docx) as z:
            root = ElementTree.fromstring(z.read("docProps/core.xml"))
    except Exception:  # noqa: BLE001 - no or broken core properties: use defaults
        return {}
    return {names[el.tag]: (el.text or "").strip() for el in root
            if el.tag in names and (el.text or "").strip()}


def _stamp(props: dict[str, str]) -> datetime:
    """The document's own date (modified, else created), so reruns give the same bytes."""
    for key in ("modified", "created"):
        with contextlib.suppress(KeyError, ValueError):
            value = datetime.fromisoformat(props[key])
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value.astimezone(UTC).replace(microsecond=0)
    return FIXED_DATE


def _finish(job: _Job, title: str | None) -> list[Problem]:
    """Metadata, the pdfuaid extension schema, /Tabs, and fixed dates; write atomically."""
    import pikepdf

    from reportkit.documents.pdftags import mark_row_headers

    problems: list[Problem] = []
    props = _core_properties(job.src)
    doc_title = title or props.get("title")
    if not doc_title:
        doc_title = job.src.stem
        problems.append(problem("pdf-title-missing", file=job.src.name,
                                document=job.src.name, used=doc_title))
    when = _stamp(props)
    pdf_date = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    xmp_date = when.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    with pikepdf.open(job.raw) as pdf:
        lang = str(pdf.Root.get("/Lang") or props.get("language") or "sv-SE")
        pdf.Root.Lang = pikepdf.String(lang)
        mark_row_headers(pdf)  # a table's first column names its rows (TH, /Scope /Row)
        info = pdf.docinfo
        info["/Title"] = pikepdf.String(doc_title)
        if props.get("subject"):
            info["/Subject"] = pikepdf.String(props["subject"])
        if props.get("author"):
            info["/Author"] = pikepdf.String(props["author"])
        info["/CreationDate"] = pikepdf.String(pdf_date)
        info["/ModDate"] = pikepdf.String(pdf_date)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = doc_title
            if props.get("subject"):
                meta["dc:description"] = props["subject"]
            if props.get("author"):
                meta["dc:creator"] = [props["author"]]
            meta["dc:language"] = [lang]
            meta["xmp:CreateDate"] = xmp_date
            meta["xmp:ModifyDate"] = xmp_date
        xmp = pdf.Root.Metadata.read_bytes()
        if b"pdfuaid" in xmp and b"pdfaExtension:schemas" not in xmp:
            xmp = xmp.replace(b"</rdf:RDF>", _PDFUA_EXTENSION + b" </rdf:RDF>", 1)
        pdf.Root.Metadata.write(xmp)
        # PDF/UA: a page with annotations (the TOC's links) must declare its tab order.
        for pg in pdf.pages:
            if "/Annots" in pg.obj:
                pg.obj.Tabs = pikepdf.Name.S
        for intent in pdf.Root.get("/OutputIntents", []):
            icc = intent.get("/DestOutputProfile")
            if icc is None:
                continue
            profile = bytearray(icc.read_bytes())
            if len(profile) >= 36:
                profile[24:36] = struct.pack(">6H", *when.timetuple()[:6])
                icc.write(zlib.compress(bytes(profile), 9), filter=pikepdf.Name.FlateDecode)
        for key in ("/DocChecksum", "/ID"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        data = _save(pdf)
    with atomic_path(job.final) as tmp:
        tmp.write_bytes(data)
        # mkstemp makes 0600 files; a published PDF is meant to be read by others.
        tmp.chmod(0o644)
    return problems


def _save(pdf: pikepdf.Pdf) -> bytes:
    """The PDF's bytes, every stream exactly as LibreOffice (or :func:`_finish`) encoded it.

    qpdf writes ``LF endstream`` after a stream's data. When the data ends in CR, a checker
    sees ``CR LF`` there, takes both as the end-of-line marker and counts one byte less than
    ``/Length``: page-validation PDFA2B-STREAM-LENGTH-001 (ISO 19005-2, 6.1.7.1). Compressed
    data ends in the Adler-32 of its content, so about one stream in 256 does; LibreOffice's
    own output has the same flaw. Such streams get an ASCII85 layer (ending in ``~>``).
    ``compress_streams=False`` and no decoding keep qpdf from undoing that; LibreOffice
    compresses every stream except the XMP metadata, which PDF/A wants uncompressed anyway.
    """
    import pikepdf

    options = {"deterministic_id": True, "compress_streams": False,
               "stream_decode_level": pikepdf.StreamDecodeLevel.none}
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    if b"\r\nendstream" in buffer.getvalue() and _protect_stream_ends(pdf):
        buffer = io.BytesIO()
        pdf.save(buffer, **options)
    return buffer.getvalue()


def _protect_stream_ends(pdf: pikepdf.Pdf) -> int:
    """Give every stream whose encoded data ends in CR an ASCII85 layer; returns how many."""
    import pikepdf

    count = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        raw = obj.read_raw_bytes()
        if not raw.endswith(b"\r"):
            continue
        filters = obj.get("/Filter")
        names = ([] if filters is None else
                 [filters] if isinstance(filters, pikepdf.Name) else list(filters))
        parms = obj.get("/DecodeParms")
        # (the Array pikepdf would make of the list)
        decode_parms = None if parms is None else pikepdf.Array(
            [None, *([parms] if isinstance(parms, pikepdf.Dictionary) else parms)])
        obj.write(base64.a85encode(raw) + b"~>", filter=[pikepdf.Name.ASCII85Decode, *names],
                  decode_parms=decode_parms)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """``python -m reportkit.documents.pdf [--out DIR] A.docx …``: convert, print the Problems.

    Exit 0 when every PDF was written and passes, 1 on a fel, 2 on varningar only.
    """
    args = list(argv if argv is not None else sys.argv[1:])
    out_dir = None
    if args[:1] == ["--out"] and len(args) > 1:
        out_dir = Path(args[1])
        del args[:2]
    res = convert_to_pdf([Path(a) for a in args], out_dir)
    for pdf in res.pdfs:
        print(pdf)
    for p in res.problems:
        print(p.line())
    print(f"{res.seconds:.2f} s")
    if any(p.is_error for p in res.problems):
        return 1
    return 2 if res.problems else 0


if __name__ == "__main__":
    sys.exit(main())
