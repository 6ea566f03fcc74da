"""Drive one LibreOffice over UNO: open each .docx hidden, update its indexes, export PDF.

This script is run by the *system* Python (Debian's ``python3-uno``), never imported by
reportkit: the venv has no ``uno``. ``reportkit.documents.pdf`` starts it as a subprocess and
writes JSON lines to its stdin: first the settings, then one line per document, as they come;
closing stdin ends the run::

    {"soffice": "/usr/bin/soffice", "profile_url": "file:///tmp/x", "pipe": "reportkit-1",
     "filter_data": {"UseTaggedPDF": true, "SelectPdfVersion": 2, ...}}
    {"src": "/abs/a.docx", "dst": "/abs/tmp/a.pdf"}
    {"src": "/abs/b.docx", "dst": "/abs/tmp/b.pdf"}

soffice is started as soon as the settings are read, so the parent may start this script
before its documents exist (``pdf.start_libreoffice``: while they are rendered). The parent
reads one JSON event per line from this script's stdout:

``{"event": "soffice", "pgid": N}`` once soffice runs, ``{"event": "ready"}`` once
connected, then per document ``{"event": "start", "src": ...}`` and ``{"event": "done",
"src": ..., "indexes": N}`` (sent as soon as the PDF is written, before the document is
closed, so that the parent can post-process it while LibreOffice goes on) or ``{"event":
"failed", "src": ..., "error": ...}``; ``{"event": "fatal", "error": ...}`` when nothing more
can be done (also when this Python has no ``uno``).

soffice runs in its own process group so that both this script and its parent can kill the
whole tree (``/usr/bin/soffice`` is a shell script that execs ``oosplash``, which forks
``soffice.bin``: killing the first pid alone leaves ``soffice.bin`` running). The parent
enforces the per-document timeout: a UNO call cannot be interrupted from inside.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from typing import Any

CONNECT_SECONDS = 60.0
# soffice takes about a second to accept connections; a failed attempt costs well under a
# millisecond, so poll often rather than lose up to a whole interval after it is ready.
POLL_SECONDS = 0.02

# the uno module, imported in main() (a Python without uno reports that as an event); UNO has
# no type information, so it and the objects it hands out are Any
uno: Any = None


def _emit(**event: object) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _prop(name: str, value: object):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _start_soffice(job: dict) -> subprocess.Popen:
    args = [
        job["soffice"],
        f"-env:UserInstallation={job['profile_url']}",
        "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        "--nolockcheck",
        f"--accept=pipe,name={job['pipe']};urp;",
    ]
    return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _connect(pipe: str, proc: subprocess.Popen):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception as exc:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"soffice avslutades vid start (kod {proc.returncode})") from exc
            if time.monotonic() > deadline:
                raise
            time.sleep(POLL_SECONDS)


def _convert(desktop, src: str, dst: str, filter_data: dict):
    """Load ``src``, update its indexes, export ``dst``; returns (document, index count).

    The caller closes the document (after telling the parent the PDF is ready).
    """
    load = (
        _prop("Hidden", True),
        # No .~lock.X.docx# beside the user's file (left behind if soffice is killed); the
        # index update still works on a read-only document.
        _prop("ReadOnly", True),
        # 0 = NEVER_EXECUTE: a template must never run macros on the build machine.
        _prop("MacroExecutionMode", 0),
        _prop("UpdateDocMode", 0),
    )
    loaded = splittable(src, dst)
    try:
        return _load_and_export(desktop, loaded, dst, filter_data, load)
    finally:  # exported: LibreOffice has read what it reads lazily (pictures) by now
        if loaded != src:
            shutil.rmtree(os.path.dirname(loaded), ignore_errors=True)


def _load_and_export(desktop, src: str, dst: str, filter_data: dict, load: tuple):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load)
    if doc is None:
        raise RuntimeError("LibreOffice kunde inte öppna dokumentet")
    try:
        indexes = doc.getDocumentIndexes()
        count = indexes.getCount()
        # Once is enough: LibreOffice 7.4 lays the document out again after filling an index
        # and before it writes the page numbers, so a TOC that grows over a page boundary
        # still gets the right numbers (a second pass gave the same text; docs/pdf.md).
        for i in range(count):
            indexes.getByIndex(i).update()
        toc = _toc_lines(indexes, count)
        with contextlib.suppress(Exception):
            doc.getTextFields().refresh()
        data = uno.Any("[]com.sun.star.beans.PropertyValue",
                       tuple(_prop(k, v) for k, v in filter_data.items()))
        store = (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", data))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(dst), store))
    except BaseException:
        _close(doc)
        raise
    return doc, count, toc


_CANT_SPLIT = re.compile(rb'<w:cantSplit(?:\s+w:val="(?:true|1|on)")?\s*/>')


def splittable(src: str, dst: str) -> str:
    """The file LibreOffice is to load for ``src``: a copy beside ``dst`` whose table rows may
    split over a page break, when ``src`` has rows that may not; else ``src`` itself.

    LibreOffice 7.4 loses the rest of a table whose rows may not split (Word's
    ``cantSplit``, which the templates set) when it breaks over a page under a repeated
    header row: the rows are tagged but never drawn (seen in Storstad's årsredovisning, a
    bolag's nyckeltal table, where PDF/UA-1 then failed on rows without cells). The .docx
    keeps its setting for Word; only the copy LibreOffice reads drops it (stored, not
    deflated: it is read once). Setting each row's IsSplitAllowed over UNO instead cost 2 s
    for a large kommun's document."""
    import zipfile

    with zipfile.ZipFile(src) as z:
        body = z.read("word/document.xml")
        if not _CANT_SPLIT.search(body):
            return src
        folder = os.path.join(os.path.dirname(dst), "delbara-" + os.path.basename(dst))
        os.makedirs(folder, exist_ok=True)
        copy = os.path.join(folder, os.path.basename(src))
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
            for info in z.infolist():
                data = _CANT_SPLIT.sub(b"", body) if info.filename == "word/document.xml" \
                    else z.read(info.filename)
                out.writestr(info.filename, data)
    return copy


def _toc_lines(indexes, count: int) -> list[str]:
    """The first table of contents' entries as LibreOffice laid them out ("heading<TAB>page"),
    for the .docx's own TOC (documents/toc.py); empty when there is none."""
    for i in range(count):
        index = indexes.getByIndex(i)
        if index.supportsService("com.sun.star.text.ContentIndex"):
            text = index.getAnchor().getString()
            return [line for line in text.replace("\r", "\n").split("\n") if "\t" in line]
    return []


def _close(doc) -> None:
    with contextlib.suppress(Exception):
        doc.close(True)


def _stop(desktop, proc: subprocess.Popen) -> None:
    if desktop is not None:  # else there is no connection to ask soffice to stop over
        with contextlib.suppress(Exception):
            desktop.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    # The process group may still hold soffice.bin even after oosplash has gone.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.wait(timeout=5)


def main() -> int:
    global uno
    job = json.loads(sys.stdin.readline())
    try:
        import uno as uno_module
    except ImportError:
        _emit(event="fatal", error="python3-uno saknas")
        return 1
    uno = uno_module
    proc = _start_soffice(job)
    desktop = None
    try:
        # Inside the try: if the parent is gone (a broken pipe), soffice is still stopped.
        _emit(event="soffice", pgid=proc.pid)
        ctx = _connect(job["pipe"], proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        _emit(event="ready")
        for line in sys.stdin:
            if not line.strip():
                continue
            item = json.loads(line)
            _emit(event="start", src=item["src"])
            try:
                doc, count, toc = _convert(desktop, item["src"], item["dst"],
                                           job["filter_data"])
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which goes on
                _emit(event="failed", src=item["src"], error=f"{type(exc).__name__}: {exc}")
            else:
                _emit(event="done", src=item["src"], indexes=count, toc=toc)
                _close(doc)
    except Exception as exc:  # noqa: BLE001
        with contextlib.suppress(OSError):
            _emit(event="fatal", error=f"{type(exc).__name__}: {exc}")
        return 1
    finally:
        _stop(desktop, proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
