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
"""

from __future__ import annotations

import contextlib
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportkit.errors import Problem, problem
from reportkit.files import atomic_path

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
    ("TABLE",
     "Markera första raden i varje tabell som rubrikrad (Tabellegenskaper → Rad → Upprepa som "
     "rubrikrad) och skapa PDF igen."),
    ("HEADING",
     "Använd rubriknivåerna i ordning (Rubrik 1, sedan Rubrik 2) utan att hoppa över en nivå."),
    ("LANG",
     "Sätt språket svenska i mallens standardformat (Granska → Språk) och skapa PDF igen."),
)
_DEFAULT_ACTION = (
    "Rätta det regeln gäller i Word-mallen och skapa PDF igen; går det inte, skicka PDF-filen "
    "till den som förvaltar reportkit."
)


@dataclass
class PdfResult:
    """What :func:`convert_to_pdf` made: the PDFs written, the Problems found, wall time (s)."""

    pdfs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Job:
    src: Path
    raw: Path
    final: Path
    error: str | None = None
    timed_out: bool = False
    via_uno: bool = False


def _find_soffice() -> str | None:
    return os.environ.get("REPORTKIT_SOFFICE") or shutil.which("soffice")


_UNO_CHECKED: dict[str, bool] = {}


def _find_uno_python() -> str | None:
    exe = os.environ.get("REPORTKIT_UNO_PYTHON", UNO_PYTHON)
    if exe not in _UNO_CHECKED:
        try:
            ok = subprocess.run([exe, "-I", "-c", "import uno"], capture_output=True,
                                timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        _UNO_CHECKED[exe] = ok
    return exe if _UNO_CHECKED[exe] else None


def libreoffice_available() -> bool:
    """True when ``soffice`` is found (``REPORTKIT_SOFFICE`` or ``PATH``): PDFs can be made.

    Updating tables of contents also needs the system Python with ``uno`` (Debian package
    ``python3-uno``); without it :func:`convert_to_pdf` still converts, with a varning.
    """
    return _find_soffice() is not None


def convert_to_pdf(docx_paths: list[Path], out_dir: Path | None = None, *,
                   title: str | None = None, restart_every: int = 4,
                   timeout: float = DEFAULT_TIMEOUT, validate: bool = True) -> PdfResult:
    """Convert Word documents to tagged PDF/A-2b + PDF/UA-1 files and check them.

    Each ``X.docx`` becomes ``X.pdf`` in ``out_dir`` (``None``: beside the .docx), written
    atomically; the same .docx gives the same PDF bytes. ``title`` overrides the title from
    the .docx core properties for every document (``None``: use the core properties; if
    they have none, the file name is used and a varning added). One LibreOffice serves
    ``restart_every`` documents; a document that takes longer than ``timeout`` seconds is
    abandoned (``pdf-conversion-failed``) and the run goes on.

    Never raises for LibreOffice trouble: without soffice the result has no PDFs and one
    ``pdf-libreoffice-missing`` varning; a failed document is a Problem. With ``validate``
    each PDF is checked with page-validation (see :func:`validate_pdf`).
    """
    started = time.monotonic()
    result = PdfResult()
    soffice = _find_soffice()
    if soffice is None:
        result.problems.append(problem("pdf-libreoffice-missing", count=len(docx_paths)))
        result.seconds = time.monotonic() - started
        return result

    with tempfile.TemporaryDirectory(prefix="reportkit-pdf-") as tmp_name:
        tmp = Path(tmp_name)
        jobs: list[_Job] = []
        for i, path in enumerate(docx_paths):
            src = Path(path).resolve()
            if not src.is_file():
                result.problems.append(problem("file-unreadable", file=str(path),
                                               reason="filen finns inte"))
                continue
            final = (Path(out_dir) if out_dir is not None else src.parent) / f"{src.stem}.pdf"
            jobs.append(_Job(src, tmp / f"{i}.pdf", final.resolve()))

        uno_python = _find_uno_python()
        if uno_python and jobs:
            _run_uno(jobs, soffice, uno_python, tmp, restart_every, timeout)
        for job in jobs:
            if job.via_uno or job.timed_out:
                continue
            reason = job.error or "python3-uno saknas"
            _run_convert_to(job, soffice, tmp, timeout)
            if job.error is None and _has_toc(job.src):
                result.problems.append(problem("pdf-toc-not-updated", file=job.src.name,
                                               document=job.src.name, reason=reason))

        for job in jobs:
            if job.error is not None:
                result.problems.append(problem("pdf-conversion-failed", file=job.src.name,
                                               document=job.src.name, reason=job.error))
                continue
            try:
                result.problems += _finish(job, title)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                result.problems.append(problem("pdf-conversion-failed", file=job.src.name,
                                               document=job.src.name,
                                               reason=f"efterbehandlingen misslyckades: {exc}"))
                continue
            result.pdfs.append(job.final)
            if validate:
                result.problems += validate_pdf(job.final)
    result.seconds = time.monotonic() - started
    return result


def validate_pdf(path: Path) -> list[Problem]:
    """Check one PDF with page-validation profiles ``ua1`` (PDF/UA-1) and ``2b`` (PDF/A-2b).

    Returns one ``pdf-validation-failed`` varning per (standard, rule) that fails, naming the
    document and the rule id; an empty list means compliant with both. A file that cannot be
    parsed gives one ``pdf-unreadable``.
    """
    import page

    path = Path(path)
    problems: list[Problem] = []
    for profile, standard in VALIDATION_PROFILES:
        try:
            report = page.validate_pdf(str(path), profile=profile)
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
        if not path.is_file():
            problems.append(problem("file-unreadable", file=str(path), reason="filen finns inte"))
            continue
        problems += validate_pdf(path)
    return problems


def _action_for(rule_id: str) -> str:
    for fragment, action in _RULE_ACTIONS:
        if fragment in rule_id:
            return action
    return _DEFAULT_ACTION


def _new_profile(tmp: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return profile


def _subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def _kill_group(pgid: int | None) -> None:
    if pgid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


def _run_uno(jobs: list[_Job], soffice: str, python: str, tmp: Path,
             restart_every: int, timeout: float) -> None:
    """Convert ``jobs`` in UNO workers of ``restart_every`` documents; mark each job."""
    step = max(1, restart_every)
    profile = _new_profile(tmp)
    for first in range(0, len(jobs), step):
        pending = jobs[first:first + step]
        while pending:
            pending, clean = _uno_batch(pending, soffice, python, profile, timeout)
            if not clean:
                # A killed soffice leaves its profile half written; never reuse it.
                profile = _new_profile(tmp)


def _uno_batch(batch: list[_Job], soffice: str, python: str, profile: Path,
               timeout: float) -> tuple[list[_Job], bool]:
    """Run one worker over ``batch``. Returns the jobs still to try and whether it ended cleanly."""
    by_src = {str(job.src): job for job in batch}
    request = {
        "soffice": soffice,
        "profile_url": profile.as_uri(),
        "pipe": f"reportkit-{os.getpid()}-{secrets.token_hex(4)}",
        "filter_data": FILTER_DATA,
        "documents": [{"src": str(job.src), "dst": str(job.raw)} for job in batch],
    }
    proc = subprocess.Popen([python, "-I", str(WORKER)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=_subprocess_env(), start_new_session=True, text=True,
                            encoding="utf-8")
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with contextlib.suppress(ValueError):
                events.put(json.loads(line))
        events.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.write(json.dumps(request))
        proc.stdin.close()

    soffice_pgid: int | None = None
    current: _Job | None = None
    finished: set[str] = set()
    clean = False
    fatal: str | None = None
    wait = START_TIMEOUT
    try:
        while True:
            try:
                event = events.get(timeout=wait)
            except queue.Empty:
                if current is not None:
                    current.error = f"LibreOffice svarade inte inom {timeout:g} s"
                    current.timed_out = True
                    finished.add(str(current.src))
                else:
                    fatal = f"LibreOffice startade inte inom {START_TIMEOUT:g} s"
                break
            if event is None:
                clean = proc.wait(timeout=30) == 0
                if current is not None and str(current.src) not in finished:
                    fatal = "UNO-skriptet avbröts"
                break
            kind = event.get("event")
            if kind == "soffice":
                soffice_pgid = int(event["pgid"])
            elif kind == "start":
                current = by_src[event["src"]]
                wait = timeout
            elif kind == "done":
                by_src[event["src"]].via_uno = True
                finished.add(event["src"])
                current = None
            elif kind == "failed":
                by_src[event["src"]].error = event.get("error") or "okänt fel"
                finished.add(event["src"])
                current = None
            elif kind == "fatal":
                fatal = event.get("error") or "okänt fel"
    finally:
        if not clean:
            _kill_group(proc.pid)
            _kill_group(soffice_pgid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        reader.join(timeout=10)
        if not reader.is_alive() and proc.stdout is not None:
            proc.stdout.close()

    if fatal is not None:
        # soffice could not start or died: give every unfinished document to the fallback.
        for job in batch:
            if str(job.src) not in finished:
                job.error = fatal
        return [], clean
    remaining = [job for job in batch if str(job.src) not in finished]
    if remaining and clean:
        for job in remaining:
            job.error = "UNO-skriptet hoppade över dokumentet"
        return [], clean
    return remaining, clean


def _run_convert_to(job: _Job, soffice: str, tmp: Path, timeout: float) -> None:
    """Fallback: plain ``soffice --convert-to`` (indexes are then not updated)."""
    options = json.dumps({
        name: {"type": "boolean" if isinstance(value, bool) else "long",
               "value": str(value).lower() if isinstance(value, bool) else str(value)}
        for name, value in FILTER_DATA.items()
    }, separators=(",", ":"))
    outdir = Path(tempfile.mkdtemp(prefix="convert-", dir=tmp))
    args = [soffice, f"-env:UserInstallation={_new_profile(tmp).as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", f"pdf:writer_pdf_Export:{options}",
            "--outdir", str(outdir), str(job.src)]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_subprocess_env(),
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        job.error = f"LibreOffice svarade inte inom {timeout:g} s"
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
            data = bytearray(icc.read_bytes())
            if len(data) >= 36:
                data[24:36] = struct.pack(">6H", *when.timetuple()[:6])
                icc.write(zlib.compress(bytes(data), 9), filter=pikepdf.Name.FlateDecode)
        for key in ("/DocChecksum", "/ID"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        with atomic_path(job.final) as tmp:
            pdf.save(tmp, deterministic_id=True)
            # mkstemp makes 0600 files; a published PDF is meant to be read by others.
            tmp.chmod(0o644)
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m reportkit.documents.pdf A.docx …``: convert and print the Problems."""
    args = argv if argv is not None else sys.argv[1:]
    res = convert_to_pdf([Path(a) for a in args])
    for pdf in res.pdfs:
        print(pdf)
    for p in res.problems:
        print(p.line())
    print(f"{res.seconds:.2f} s")
    return 1 if any(p.is_error for p in res.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
