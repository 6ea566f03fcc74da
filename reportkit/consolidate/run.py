"""``reportkit consolidate``: check every returned workbook of a period and load it.

Files are hashed first; a file whose SHA-256 is already in the store for the period is not
read again, so a re-run with the same files changes nothing. New files are checked in worker
processes that return records; one writer stores them in one transaction. A broken workbook
is stored as a ``fel`` submission with its problems and the rest go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import sha256_file
from reportkit.intake.check import FileReport, check_file
from reportkit.project import Project


@dataclass
class ConsolidationReport:
    period: str
    new: list[FileReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for f in self.new for p in f.problems) or any(
            p.is_error for p in self.problems)


@contextlib.contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Refuse a second consolidation of the same project while one runs."""
    path = project.root / ".reportkit.lock"
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportkitError(problem("project-locked", path=str(project.root))) from None
        yield
    finally:
        fh.close()


def inbox_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if not p.name.startswith((".", "~$")) and (p.is_file() or p.is_dir()
                                                             or p.is_symlink()))


def _hash(path: Path) -> tuple[str, str | None]:
    try:
        if path.is_file() and not path.is_symlink():
            return str(path), sha256_file(path)
    except OSError:
        pass
    return str(path), None


def _check(args: tuple[str, str]) -> FileReport:
    return check_file(Path(args[0]), expected_period=args[1])


def consolidate(project: Project | Path | str, period_id: str | None = None, *,
                workers: int | None = None, outputs: bool = True,
                progress: Callable[[int, int], None] | None = None) -> ConsolidationReport:
    """Check and load the period's inkommet folder; write the sammanställning files.

    ``workers`` defaults to the CPU count when there are more than 8 new files.
    """
    from reportkit.consolidate import store
    from reportkit.consolidate.history import load_history

    if not isinstance(project, Project):
        project = Project.open(project)
    model, period = project.period(period_id)
    report = ConsolidationReport(period.id)
    files = inbox_files(project.inbox(period.id))
    with project_lock(project):
        conn = store.connect(project.store_path)
        try:
            known = store.known_hashes(conn, period.id)
            many = len(files) > 8
            n_workers = workers or (os.cpu_count() or 1 if many else 1)
            hashes = _map(_hash, files, n_workers if many else 1)
            todo = []
            for path_text, digest in hashes:
                if digest is not None and digest in known:
                    report.skipped.append(Path(path_text).name)
                else:
                    todo.append((path_text, period.id))
            checked = _map(_check, todo, n_workers if len(todo) > 8 else 1, progress)
            loaded_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            newest: dict[str, tuple[float, FileReport]] = {}
            for rep in checked:
                sub = rep.submission
                if sub is None:
                    continue
                unit = model.units.get(sub.unit_id)
                if unit is None or sub.kommun_id != model.config.kommun.id:
                    rep.problems.append(problem("wb-unknown-unit", file=rep.file,
                                                unit=sub.unit_id))
                    rep.submission = None
                    continue
                mtime = Path(rep.path).stat().st_mtime
                if sub.unit_id in newest:
                    other_time, other = newest[sub.unit_id]
                    keep, drop = (rep, other) if mtime >= other_time else (other, rep)
                    drop.problems.append(problem(
                        "wb-duplicate-unit", file=drop.file, other=keep.file, unit=sub.unit_id,
                        used=keep.file))
                    drop.submission = None
                    newest[sub.unit_id] = (max(mtime, other_time), keep)
                else:
                    newest[sub.unit_id] = (mtime, rep)
            active_before = store.active_submissions(conn, period.id)
            with store.transaction(conn):
                for rep in sorted(checked, key=lambda r: r.file):
                    if not rep.sha256:
                        continue
                    ok = rep.submission is not None
                    store.insert_report(conn, period.id, rep, loaded_at, ok)
                    if ok and rep.submission.unit_id in active_before:
                        report.replaced.append(active_before[rep.submission.unit_id]["file"])
                load_history(conn, project, loaded_at)
            report.new = sorted(checked, key=lambda r: r.file)
            if outputs:
                from reportkit.consolidate.summary import write_summaries

                report.outputs = write_summaries(project, model, period.id, conn)
        finally:
            conn.close()
    return report


def _map(fn, items, workers: int, progress: Callable[[int, int], None] | None = None):
    if workers <= 1 or len(items) <= 1:
        out = []
        for i, item in enumerate(items):
            out.append(fn(item))
            if progress:
                progress(i + 1, len(items))
        return out
    out = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, result in enumerate(pool.map(fn, items, chunksize=max(1, len(items) // 32))):
            out.append(result)
            if progress:
                progress(i + 1, len(items))
    return out
