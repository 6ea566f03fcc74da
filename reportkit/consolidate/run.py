"""``reportkit consolidate``: check every returned workbook of a period and load it.

Files are hashed first; a file whose SHA-256 is already in the store for the period is not
read again, so a re-run with the same files changes nothing. New files are checked in worker
processes that return records; one writer stores them in one transaction. A broken workbook
is stored as a ``fel`` submission with its problems and the rest go on. Only one consolidation
of a project runs at a time (an advisory lock on ``.reportkit.lock``); a second one is refused
with ``project-locked``.

Killing the process at any moment leaves the previous complete state: the store is written in
one SQLite transaction and every output through :func:`reportkit.files.atomic_path`. For the
tests that prove it, ``REPORTKIT_TEST_PAUSE=<point>:<n>`` makes the process announce itself on
stderr and sleep the n-th time it reaches ``point`` (``insert``: after storing a file inside the
transaction; ``output``: with an output written but not yet renamed into place).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import gc
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import sha256_file
from reportkit.intake.check import FileReport, check_file
from reportkit.memory import collector_paused, frozen
from reportkit.project import Project, as_project

REPORT_VERSION = 1
HISTORY_FOLDER = "historik"
PROGRESS_MIN_FILES = 6
"""The progress bar shows from this many files to check; a handful finish before it would."""


@dataclass
class ConsolidationReport:
    """What one consolidation did.

    ``new``: the files checked in this run (sorted by name) with their problems; what they
    hold is in the store (a report keeps its submission's unit, level and period, not its
    goals, indicators, activities, texts or list of values); ``skipped``: files already loaded
    (same SHA-256); ``unchanged_with_errors``: the skipped files whose stored check found fel,
    still in the inbox; ``replaced``: files whose submission a new file replaced;
    ``problems``: problems outside the workbooks (the history file, the exports in
    ``data/<period>/``); ``exports``: what happened to each export
    (:class:`reportkit.consolidate.exports.ExportSummary`); ``submissions``: counts per
    inlämningsstatus; ``goals``: the kommun's goals (KF-mål) per final status id.
    """

    period: str
    new: list[FileReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged_with_errors: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    exports: Any = None
    outputs: list[Path] = field(default_factory=list)
    submissions: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    seconds: float = 0.0

    @property
    def has_errors(self) -> bool:
        """True when a file in the inbox (new or unchanged), the history or an export has a fel."""
        return any(p.is_error for f in self.new for p in f.problems) or any(
            p.is_error for p in self.problems) or bool(self.unchanged_with_errors) or (
            self.exports is not None and self.exports.has_errors)

    def summary_lines(self) -> list[str]:
        """The Swedish summary printed after the file table (``reportkit consolidate``)."""
        from reportkit import texts

        lines = []
        if self.unchanged_with_errors:
            lines.append(texts.CONSOLIDATE_UNCHANGED_ERRORS.format(
                files=", ".join(self.unchanged_with_errors)))
        history = [p for p in self.problems
                   if (p.location.file or "").startswith(HISTORY_FOLDER + "/")]
        if history:
            errors = sum(1 for p in history if p.is_error)
            lines.append(texts.CONSOLIDATE_HISTORY.format(
                errors=errors, warnings=len(history) - errors))
        if self.exports is not None and self.exports.items:
            lines.append(self.exports.summary_line())
        if self.submissions:
            lines.append(texts.CONSOLIDATE_SUBMISSIONS.format(counts=", ".join(
                f"{k} {v}" for k, v in self.submissions.items())))
        if self.goals:
            lines.append(texts.CONSOLIDATE_GOALS.format(counts=", ".join(
                f"{self.labels.get(k, k)} {v}" for k, v in self.goals.items())))
        lines.append(texts.CONSOLIDATE_DONE.format(
            seconds=f"{self.seconds:.1f}".replace(".", ",")))
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The JSON view (``reportkit consolidate --json``): sorted keys, no values read."""
        files = []
        for f in self.new:
            files.append({
                "file": f.file, "sha256": f.sha256,
                "unit": f.submission.unit_id if f.submission else None,
                "errors": sum(1 for p in f.problems if p.is_error),
                "warnings": sum(1 for p in f.problems if not p.is_error),
                "problems": [p.to_dict() for p in f.problems]})
        return {
            "reportkit_consolidate": REPORT_VERSION,
            "period": self.period,
            "files": files,
            "skipped": self.skipped,
            "unchanged_with_errors": self.unchanged_with_errors,
            "replaced": self.replaced,
            "problems": [p.to_dict() for p in self.problems],
            "exports": self.exports.to_dict()["exports"] if self.exports is not None else [],
            "outputs": [str(p) for p in self.outputs],
            "submissions": dict(sorted(self.submissions.items())),
            "goals": dict(sorted(self.goals.items())),
            "errors": sum(1 for f in self.new for p in f.problems if p.is_error)
            + sum(1 for p in self.problems if p.is_error),
            "warnings": sum(1 for f in self.new for p in f.problems if not p.is_error)
            + sum(1 for p in self.problems if not p.is_error),
        }


@contextlib.contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Refuse a second consolidation of the same project while one runs.

    ``flock`` is released by the kernel when the process ends, however it ends, so a killed
    consolidation never leaves the project locked.
    """
    path = project.root / ".reportkit.lock"
    fh = open(path, "a+")  # noqa: SIM115 - held open for the whole block
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportkitError(problem("project-locked", path=str(project.root))) from None
        yield
    finally:
        fh.close()


def inbox_files(folder: Path) -> list[Path]:
    """The inbox's files, folders and links by name (no hidden files, no Office lock files),
    from one directory listing (its entries know their type: no stat per file)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries
                       if not e.name.startswith((".", "~$"))
                       and (e.is_file() or e.is_dir() or e.is_symlink()))
    return [folder / name for name in names]


RACY_NS = 2_000_000_000
"""A file's recorded SHA-256 is trusted only when the file was last modified this long before
it was hashed (a file changed again within the same timestamp tick is hashed anew, as git
does with "racily clean" entries; some network shares keep 2 s ticks)."""


def _inbox_hashes(conn: Any, files: list[Path], names: list[str]
                  ) -> tuple[list[str | None], list[tuple[Any, ...]]]:
    """The SHA-256 of each inbox file (None for what is not a regular file), and the
    ``file_stat`` rows to record. A file whose size, modification and change times and inode
    are those recorded when it was hashed keeps that hash (reading 1,600 workbooks took a
    fifth of a run with nothing changed); any other file is read. ``names``: the files'
    paths in the project, as ``file_stat`` keeps them."""
    recorded = {r[0]: r[1:] for r in conn.execute(
        "SELECT file, size, mtime_ns, ctime_ns, ino, sha256, checked_ns FROM file_stat")}
    digests: list[str | None] = []
    rows: list[tuple[Any, ...]] = []
    for path, name in zip(files, names, strict=True):
        try:
            st = os.lstat(path)
        except OSError:
            digests.append(None)
            continue
        if not stat.S_ISREG(st.st_mode):
            digests.append(None)
            continue
        now = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        old = recorded.get(name)
        if old is not None and old[:4] == now and st.st_mtime_ns < old[5] - RACY_NS:
            digests.append(old[4])
            continue
        checked = time.time_ns()
        digest = _hash(path)
        digests.append(digest)
        if digest is not None:
            rows.append((name, *now, digest, checked))
    return digests, rows


def _record_stats(conn: Any, folder: str, names: list[str], rows: list[tuple[Any, ...]]
                  ) -> None:
    """Keep what :func:`_inbox_hashes` hashed; forget the files of ``folder`` (the inbox,
    as a path in the project) no longer there."""
    if rows:
        conn.executemany("INSERT OR REPLACE INTO file_stat VALUES (?,?,?,?,?,?,?)", rows)
    present = set(names)
    gone = [(r[0],) for r in conn.execute("SELECT file FROM file_stat")
            if r[0].startswith(folder + os.sep) and r[0] not in present]
    if gone:
        conn.executemany("DELETE FROM file_stat WHERE file = ?", gone)


def _hash(path: Path) -> str | None:
    try:
        if path.is_file() and not path.is_symlink():
            return sha256_file(path)
    except OSError:
        pass
    return None


def _check(args: tuple[str, str]) -> tuple[tuple[str, str] | None, bytes]:
    """Check one file (in a worker): ``((unit id, kommun id) or None, the pickled report)``.

    The report travels without its list of values (the store takes the submission; the
    values are the check's own view) and stays pickled in the parent until it is stored, so
    1,500 reports do not sit in memory as objects while the others are checked."""
    rep = check_file(Path(args[0]), expected_period=args[1])
    rep.values = []
    sub = rep.submission
    return ((sub.unit_id, sub.kommun_id) if sub is not None else None,
            pickle.dumps(rep, protocol=pickle.HIGHEST_PROTOCOL))


def _unreadable(args: tuple[str, str], death: Any) -> tuple[None, bytes]:
    """:func:`_check`'s answer for a file whose check ended its worker process."""
    from reportkit.intake.check import died_report

    return None, pickle.dumps(died_report(Path(args[0]), death),
                              protocol=pickle.HIGHEST_PROTOCOL)


class _Pauses:
    """The ``REPORTKIT_TEST_PAUSE`` hook (see the module docs); inert when the variable is unset."""

    def __init__(self) -> None:
        spec = os.environ.get("REPORTKIT_TEST_PAUSE", "")
        point, _, n = spec.partition(":")
        self.point = point
        self.at = int(n) if n.isdigit() else 1
        self.seen = 0

    def __call__(self, point: str) -> None:
        if point != self.point:
            return
        self.seen += 1
        if self.seen == self.at:
            sys.stderr.write(f"REPORTKIT_TEST_PAUSE {point}:{self.seen}\n")
            sys.stderr.flush()
            time.sleep(600)


def consolidate(project: Project | Path | str, period_id: str | None = None, *,
                workers: int | None = None, outputs: bool = True,
                progress: Callable[[int, int], None] | None = None) -> ConsolidationReport:
    """Check and load the period's inkommet folder; write the sammanställning files.

    ``workers`` defaults to the CPU count when there are more than 8 new files. ``progress``
    is called as ``progress(done, total)`` after each file checked. Raises ReportkitError
    (``project-locked``) when another consolidation of the project is running.
    """
    started = time.perf_counter()
    project = as_project(project)
    model, period = project.period(period_id)
    report = ConsolidationReport(period.id)
    pause = _Pauses()
    # the styrmodell and what was imported live to the end: out of the collector's way (each
    # collection walked them; the check workers forked below inherit this)
    with frozen() as freeze:
        _consolidate(project, model, period, report, pause, workers, outputs, progress,
                     freeze)
    report.seconds = time.perf_counter() - started
    return report


def _consolidate(project: Project, model: Any, period: Any, report: ConsolidationReport,
                 pause: _Pauses, workers: int | None, outputs: bool,
                 progress: Callable[[int, int], None] | None, freeze: bool) -> None:
    from reportkit.consolidate import store
    from reportkit.consolidate.exports import load_exports

    with project_lock(project):
        files = inbox_files(project.inbox(period.id))
        conn = store.connect(project.store_path)
        try:
            known = {r["sha256"]: r for r in conn.execute(
                "SELECT sha256, file, state, errors FROM submission WHERE period = ?",
                (period.id,))}
            todo = []
            seen: dict[str, str] = {}
            folder = str(project.inbox(period.id).relative_to(project.root))
            in_project = [os.path.join(folder, p.name) for p in files]
            digests, stats = _inbox_hashes(conn, files, in_project)
            for path, digest in zip(files, digests, strict=True):
                if digest is not None and digest in known:
                    report.skipped.append(path.name)
                    row = known[digest]
                    if row["errors"] and row["state"] != "ersatt":
                        report.unchanged_with_errors.append(path.name)
                elif digest is not None and digest in seen:
                    # the same bytes twice in the inbox ("BUN (1).xlsx"): read once
                    report.skipped.append(path.name)
                else:
                    if digest is not None:
                        seen[digest] = path.name
                    todo.append((str(path), period.id))
            n_workers = workers or (os.cpu_count() or 1)
            checked = _map(_check, todo, n_workers if len(todo) > 8 else 1, progress,
                           _unreadable)
            loaded_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            names = [Path(path).name for path, _ in todo]
            dropped = _unknown_and_duplicates(
                [(Path(path), head) for (path, _), (head, _) in zip(todo, checked, strict=True)],
                model)
            active_before = store.active_submissions(conn, period.id)
            with store.transaction(conn):
                _record_stats(conn, folder, in_project, stats)
                for i in sorted(range(len(todo)), key=names.__getitem__):
                    rep = pickle.loads(checked[i][1])
                    checked[i] = (None, b"")  # stored below: its bytes go
                    if i in dropped:
                        rep.problems.append(dropped[i])
                        rep.submission = None
                    report.new.append(rep)
                    if not rep.sha256:
                        continue
                    ok = rep.submission is not None
                    store.insert_report(conn, period.id, rep, loaded_at, ok)
                    if ok:
                        if rep.submission.unit_id in active_before:
                            report.replaced.append(
                                active_before[rep.submission.unit_id]["file"])
                        # stored: the report keeps who and what was wrong, not the values
                        rep.submission = dataclasses.replace(
                            rep.submission, goals=[], indicators=[], activities=[], texts={})
                    pause("insert")
                with collector_paused():
                    report.problems.extend(_history(conn, project, loaded_at, model))
                report.exports, found = load_exports(conn, project, model, period.id,
                                                     loaded_at)
                report.problems.extend(found)
            if outputs and not _outputs_unchanged(conn, project, model, period.id, report):
                from reportkit.consolidate.rollup import compute, remember
                from reportkit.consolidate.summary import submission_status, write_summary_files

                with collector_paused():
                    results = compute(conn, model, period.id)
                    # the roll-up lives to the end too: else the first collection after
                    # the pause walks all of it (0.1 s on Storstad), and later ones again
                    if freeze:
                        gc.freeze()
                statuses = submission_status(conn, model, period.id)
                # the roll-up kept for render (rollup.compute_cached), while the files are
                # written in worker processes for a large kommun
                report.outputs = write_summary_files(
                    project, model, results, statuses, conn, pause=pause,
                    meanwhile=lambda: remember(conn, model, period.id, results))
                for state in ("inkommen", "inkommen med fel", "saknas"):
                    n = sum(1 for s in statuses if s.state == state)
                    if n:
                        report.submissions[state] = n
                finals = [g.final for g in results.goals.values()
                          if g.level == "kommun" and g.final]
                for status in sorted(set(finals), key=results.scale.rank):
                    report.goals[status] = finals.count(status)
                    step = results.scale.step(status)
                    report.labels[status] = f"{step.symbol} {step.label}"
                _remember_outputs(conn, project, model, period.id, report)
        finally:
            conn.close()


def _code_stamp() -> list[Any]:
    """What identifies the code that writes the outputs (an edited reportkit never reuses what
    an older one wrote): :func:`reportkit.consolidate.rollup.code_stamp`."""
    from reportkit.consolidate.rollup import code_stamp

    return code_stamp()


def _fingerprint(*parts: Any) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _model_file(project: Project, model: Any) -> Path:
    return project.root / "styrmodell" / f"{model.year}.yaml"


def _history(conn: Any, project: Project, loaded_at: str, model: Any) -> list[Problem]:
    """:func:`load_history`, skipped when the history files, the styrmodell and the code are
    those of the last run and the store holds those files: their problems are then the ones
    that run found, kept in the store's run cache (parsing 100,000 rows takes seconds)."""
    import json

    from reportkit.consolidate import store
    from reportkit.consolidate.history import KIND, history_files, load_history

    folder = project.history_file().parent
    files = {f"{folder.name}/{p.name}": _hash(p) for p in history_files(project)}
    stored = {r[0]: r[1] for r in conn.execute(
        "SELECT file, sha256 FROM source_file WHERE kind = ?", (KIND,))}
    model_path = _model_file(project, model)
    key = _fingerprint(files, _hash(model_path) if model_path.exists() else None, _code_stamp())
    if files and stored == files:
        cached = store.cache_get(conn, KIND, key)
        if cached is not None:
            return [problem(p["code"], **p["location"], **p["values"]) for p in cached]
    history = load_history(conn, project, loaded_at, model)
    try:
        data = [{"code": p.code, "location": {k: v for k, v in p.location.__dict__.items()
                                              if v is not None}, "values": p.values}
                for p in history.problems]
        json.dumps(data)  # only plain values: what comes back is what went in
    except (TypeError, ValueError):
        conn.execute("DELETE FROM run_cache WHERE key = ?", (KIND,))
    else:
        store.cache_put(conn, KIND, key, data)
    return history.problems


def _outputs_key(conn: Any, project: Project, model: Any, period_id: str) -> str:
    """A hash of everything the sammanställning files are made of: what the roll-up is made
    of (:func:`reportkit.consolidate.rollup.inputs`) and the decisions."""
    from reportkit.consolidate.rollup import inputs

    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'decision%' "
        "ORDER BY name")]
    decided = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
               for t in tables}
    return _fingerprint(inputs(conn, project.root, model, period_id), decided)


def _outputs_unchanged(conn: Any, project: Project, model: Any, period_id: str,
                       report: ConsolidationReport) -> bool:
    """True (and ``report`` filled from the run cache) when the sammanställning files on disk
    are those the last run wrote from the same inputs: then nothing is computed or written."""
    from reportkit.consolidate import store

    cached = store.cache_get(conn, f"outputs:{period_id}",
                             _outputs_key(conn, project, model, period_id))
    if cached is None:
        return False
    paths = [project.root / name for name in cached["files"]]
    if any(_hash(p) != cached["files"][str(p.relative_to(project.root))] for p in paths):
        return False
    out_dir = project.reports(period_id)
    if out_dir.is_dir():  # what a killed run left behind, as write_summary_files does
        for stale in out_dir.glob(f".*sammanstallning-{period_id}*.tmp"):
            stale.unlink(missing_ok=True)
    report.outputs = paths
    report.submissions = dict(cached["submissions"])  # pairs: the order is the summary's
    report.goals = dict(cached["goals"])
    report.labels = dict(cached["labels"])
    return True


def _remember_outputs(conn: Any, project: Project, model: Any, period_id: str,
                      report: ConsolidationReport) -> None:
    from reportkit.consolidate import store

    try:
        files = {str(p.relative_to(project.root)): _hash(p) for p in report.outputs}
    except ValueError:  # an output outside the project: nothing to remember
        return
    with store.transaction(conn):
        store.cache_put(conn, f"outputs:{period_id}",
                        _outputs_key(conn, project, model, period_id),
                        {"files": files, "submissions": list(report.submissions.items()),
                         "goals": list(report.goals.items()),
                         "labels": list(report.labels.items())})


def _unknown_and_duplicates(checked: list[tuple[Path, tuple[str, str] | None]], model: Any
                            ) -> dict[int, Problem]:
    """Which new files are not loaded, by their index in ``checked`` (path, (unit id, kommun
    id) or None), with the problem that says why: a workbook of a unit the styrmodell lacks,
    or a second new one from a unit (the later saved wins; the same time goes to the later
    name, so the choice never depends on the order the worker processes returned them)."""
    dropped: dict[int, Problem] = {}
    newest: dict[str, tuple[float, int]] = {}
    for i, (path, head) in enumerate(checked):
        if head is None:
            continue
        unit_id, kommun_id = head
        if model.units.get(unit_id) is None or kommun_id != model.config.kommun.id:
            dropped[i] = problem("wb-unknown-unit", file=path.name, unit=unit_id)
            continue
        mtime = path.stat().st_mtime
        if unit_id in newest:
            other_time, other = newest[unit_id]
            other_file = checked[other][0].name
            later = (mtime, path.name) >= (other_time, other_file)
            keep, drop = (i, other) if later else (other, i)
            keep_file = checked[keep][0].name
            dropped[drop] = problem(
                "wb-duplicate-unit", file=checked[drop][0].name, other=keep_file,
                unit=unit_id, used=keep_file)
            newest[unit_id] = (max(mtime, other_time), keep)
        else:
            newest[unit_id] = (mtime, i)
    return dropped


def _map(fn: Callable[[Any], Any], items: list[Any], workers: int,
         progress: Callable[[int, int], None] | None = None,
         died: Callable[[Any, Any], Any] | None = None) -> list[Any]:
    """``fn`` over ``items`` in worker processes under a memory limit (:mod:`reportkit.isolate`),
    never in this process: the native reader may abort the process it runs in.

    With ``workers`` > 1 a process pool takes the items in chunks; when a worker dies (a
    signal, the memory limit) the pool breaks, and the items of the chunks it lost are worked
    through again by forked children, so that only the item a child dies on is lost. Such an
    item, or one whose ``fn`` raised, gets ``died(item, death)`` (:class:`isolate.Death`)."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    from reportkit import isolate

    out: list[Any] = [None] * len(items)
    done = 0

    def record(i: int, result: Any) -> None:
        nonlocal done
        if isinstance(result, isolate.Death):
            if died is None:
                raise RuntimeError(f"worker died: {result}")
            result = died(items[i], result)
        out[i] = result
        done += 1
        if progress:
            progress(done, len(items))

    left = list(range(len(items)))
    if workers > 1 and len(items) > 1:
        size = max(1, len(items) // 32)
        chunks = [left[i:i + size] for i in range(0, len(items), size)]
        left = []
        with ProcessPoolExecutor(max_workers=workers, initializer=isolate.worker_init) as pool:
            futures = {pool.submit(isolate.guarded_all, fn, [items[i] for i in chunk]): chunk
                       for chunk in chunks}
            for future in as_completed(futures):
                chunk = futures[future]
                try:
                    results = future.result()
                except BrokenProcessPool:
                    left.extend(chunk)
                    continue
                for i, result in zip(chunk, results, strict=True):
                    record(i, result)
        left.sort()
    for j, result in isolate.each(fn, [items[i] for i in left], workers=workers):
        record(left[j], result)
    return out


class ProgressBar:
    """A rich progress bar for checking files, drawn on ``console`` (stderr) when worth it.

    Use as the ``progress`` callback of :func:`consolidate`; nothing is drawn for fewer than
    :data:`PROGRESS_MIN_FILES` files. The bar disappears when done; the summary follows.
    """

    def __init__(self, console: Any, label: str | None = None) -> None:
        from reportkit import texts

        self.console = console
        self.label = label or texts.CONSOLIDATE_PROGRESS
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:
            return
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), console=self.console,
                                      transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
