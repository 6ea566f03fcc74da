"""Never lose the kansli's edits: a .docx render wrote and someone edited since is kept beside
the new one under a dated name, and a PDF older than its .docx is named as stale.

What render wrote (path, SHA-256, time) is kept in the store (``storage/written.py``), recorded
after reportkit's last rewrite of the file (the table of contents' page numbers that
``documents/pdf.py`` writes after the PDF is made), so reportkit's own rewrite is never taken
for an edit. A .docx with no record (made by an earlier release, or by hand) is not judged:
nothing tells whether it was edited.

A stale PDF is named in a varning, not removed: it may be the one already sent, and a file
reportkit did not make in this run is not its to delete.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from reportkit import texts
from reportkit.errors import Problem, problem
from reportkit.files import sha256_file
from reportkit.styrmodell.periods import today


def _relative(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _kept_name(path: Path, day: dt.date) -> Path | None:
    """The free dated name beside ``path``; None when a kept copy with the same bytes is
    already there (the same edit is kept once)."""
    stem, suffix = path.stem, path.suffix
    name = texts.EDITED_NAME.format(stem=stem, day=day.isoformat(), suffix=suffix)
    digest = sha256_file(path)
    for n in range(2, 1000):
        candidate = path.with_name(name)
        if not candidate.exists():
            return candidate
        if sha256_file(candidate) == digest:
            return None
        name = texts.EDITED_NAME_MORE.format(stem=stem, day=day.isoformat(), n=n,
                                             suffix=suffix)
    return None


def keep_edited(root: Path, store_path: Path, folder: Path, prefix: str,
                day: dt.date | None = None) -> list[Problem]:
    """Copy each .docx under ``folder`` (and its ``kapitel/``) whose name starts with
    ``prefix``, that render wrote and that was changed since, to its dated name
    (``arsredovisning-2026-helår (redigerad 2027-01-15).docx``; ``day`` defaults to
    :func:`today`); a ``document-edited-kept`` varning for each."""
    from reportkit.storage import store, written

    if not folder.is_dir():
        return []
    conn = store.connect(store_path)
    try:
        records = written.written_under(conn, _relative(root, folder))
    finally:
        conn.close()
    found = []
    for record in records:
        path = root / record.file
        if (not path.name.startswith(prefix) or texts.EDITED_MARK in path.name
                or not path.is_file() or sha256_file(path) == record.sha256):
            continue
        target = _kept_name(path, day or today())
        if target is None:
            continue
        shutil.copy2(path, target)
        found.append(problem("document-edited-kept", file=record.file,
                             written=record.written_at.replace("T", " "),
                             kept=_relative(root, target)))
    return found


def record_written(root: Path, store_path: Path, paths: list[Path]) -> None:
    """Record the SHA-256 and time of each .docx among ``paths`` as written by reportkit."""
    from reportkit.storage import store, written

    now = dt.datetime.now().isoformat(timespec="seconds")
    entries = [written.Written(_relative(root, p), sha256_file(p), now)
               for p in paths if p.suffix == ".docx" and p.is_file()]
    if not entries:
        return
    conn = store.connect(store_path)
    try:
        written.record_written(conn, entries)
    finally:
        conn.close()


def stale_pdfs(root: Path, paths: list[Path]) -> list[Problem]:
    """A ``document-pdf-stale`` varning for each .docx among ``paths`` with a PDF beside it
    that is older than it; a PDF among ``paths`` was made in this run (its .docx is rewritten
    after it, with the page numbers) and is not stale."""
    found = []
    made = set(paths)
    for path in paths:
        pdf = path.with_suffix(".pdf")
        if (path.suffix == ".docx" and pdf not in made and pdf.is_file()
                and pdf.stat().st_mtime_ns < path.stat().st_mtime_ns):
            found.append(problem("document-pdf-stale", file=_relative(root, path),
                                 pdf=_relative(root, pdf)))
    return found
