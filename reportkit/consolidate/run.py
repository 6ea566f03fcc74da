"""``reportkit consolidate``: check every returned workbook of a period and load it.

Files are hashed first; a file whose SHA-256 is already in the store for the period is not
read again, so a re-run with the same files changes nothing. New files are checked in worker
processes that return records; one writer stores them in one transaction. A broken workbook
is stored as a ``fel`` submission with its problems and the rest go on. Only one consolidation
of a project runs at a time (an advisory lock on ``.reportkit.lock``); a second one is refused
with ``project-locked``.

Killing the process at any moment leaves the previous complete state: the store is written in
one SQLite transaction and every output through :func:`reportkit.files.atomic_path`
(``tests/consolidate/test_crash.py`` kills it at such moments).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import os
import pickle
import stat
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from reportkit import isolate
from reportkit.consolidate.fingerprint import code_stamp as _code_stamp
from reportkit.consolidate.fingerprint import file_hash as _hash
from reportkit.consolidate.fingerprint import fingerprint as _fingerprint
from reportkit.consolidate.fingerprint import model_file as _model_file
from reportkit.errors import Problem, problem
from reportkit.formats import format_path
from reportkit.intake.check import FileReport, check_file
from reportkit.memory import collector_paused, frozen
from reportkit.storage import queries
from reportkit.storage.access import project_lock
from reportkit.styrmodell.project import Project, as_project

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
    still in the inbox, not replaced in this run; ``replaced``: files whose submission a new
    file replaced; ``replaced_refused``: the files refused in this run that the unit's
    accepted file of the same run replaced (listed with their problems, not counted as fel);
    ``entries``: one verdict per name in the inbox, by name
    (:class:`reportkit.consolidate.inbox.InboxEntry`); ``fixed``: per corrected file, the
    problems of the submission it replaced that it no longer has; ``source_changed``: unit id
    → file, the active submissions whose file now holds other bytes
    (:func:`reportkit.storage.store.changed_sources`);
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
    replaced_refused: list[str] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)
    source_changed: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    exports: Any = None
    outputs: list[Path] = field(default_factory=list)
    submissions: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    seconds: float = 0.0
    goals_word: str = "KF-mål"
    """What the kommun's goals are called (the styrmodell's word, plural), for the summary."""
    period_type: str = ""
    """The period's type (``delår``, ``helår`` …): which document it gives, without
    reading the styrmodell again."""

    @property
    def has_errors(self) -> bool:
        """True when a file in the inbox (new or unchanged), the history or an export has a fel."""
        return any(p.is_error for f in self._counted() for p in f.problems) or any(
            p.is_error for p in self.problems) or bool(self.unchanged_with_errors) or (
            self.exports is not None and self.exports.has_errors)

    def _counted(self) -> list[FileReport]:
        """The new files whose problems count: not those a file of the same run replaced."""
        return [f for f in self.new if f.file not in self.replaced_refused]

    def summary_lines(self) -> list[str]:
        """The Swedish summary printed after the file table (``reportkit consolidate``)."""
        from reportkit import texts
        from reportkit.formats import counted

        lines = []
        for f in self.fixed:
            lines.append(texts.CONSOLIDATE_FIXED.format(
                file=f["file"], other=f["replaces"], problems=", ".join(
                    f"{p['code']} {p['sheet']}!{p['cell']}" if p["cell"] else p["code"]
                    for p in f["problems"])))
        if self.source_changed:
            lines.append(texts.CONSOLIDATE_SOURCE_CHANGED.format(files=", ".join(
                f"{f} ({u})" for u, f in self.source_changed.items())))
        if self.unchanged_with_errors:
            lines.append(texts.CONSOLIDATE_UNCHANGED_ERRORS.format(
                files=", ".join(self.unchanged_with_errors)))
        history = [p for p in self.problems
                   if (p.location.file or "").startswith(HISTORY_FOLDER + "/")]
        if history:
            errors = sum(1 for p in history if p.is_error)
            lines.append(texts.CONSOLIDATE_HISTORY.format(errors=errors, warnings=counted(
                len(history) - errors, "varning", "varningar")))
        if self.exports is not None and self.exports.items:
            lines.append(self.exports.summary_line())
        if self.submissions:
            lines.append(texts.CONSOLIDATE_SUBMISSIONS.format(counts=", ".join(
                f"{k} {v}" for k, v in self.submissions.items())))
        if self.goals:
            lines.append(texts.CONSOLIDATE_GOALS.format(
                goals=self.goals_word, counts=", ".join(
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
            "entries": [e.to_dict() for e in self.entries],
            "fixed": self.fixed,
            "source_changed": dict(sorted(self.source_changed.items())),
            "skipped": self.skipped,
            "unchanged_with_errors": self.unchanged_with_errors,
            "replaced": self.replaced,
            "replaced_refused": self.replaced_refused,
            "problems": [p.to_dict() for p in self.problems],
            "exports": self.exports.to_dict()["exports"] if self.exports is not None else [],
            "outputs": [str(p) for p in self.outputs],
            "submissions": dict(sorted(self.submissions.items())),
            "goals": dict(sorted(self.goals.items())),
            "errors": sum(1 for f in self._counted() for p in f.problems if p.is_error)
            + sum(1 for p in self.problems if p.is_error),
            "warnings": sum(1 for f in self._counted() for p in f.problems if not p.is_error)
            + sum(1 for p in self.problems if not p.is_error),
        }


def inbox_files(folder: Path) -> list[Path]:
    """The inbox's files, folders and links by name (no hidden files, no Office lock files,
    nothing that is not a regular file): :func:`reportkit.consolidate.inbox.scan`."""
    from reportkit.consolidate.inbox import scan

    return scan(folder)[0]


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
    recorded = queries.file_stats(conn)
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
    report = ConsolidationReport(period.id, goals_word=model.words.goal("kommun").plural,
                                 period_type=period.type)
    # the styrmodell and what was imported live to the end: out of the collector's way (each
    # collection walked them; the check workers forked below inherit this)
    with frozen() as freeze:
        _consolidate(project, model, period, report, workers, outputs, progress,
                     freeze)
    report.seconds = time.perf_counter() - started
    return report


def _consolidate(project: Project, model: Any, period: Any, report: ConsolidationReport,
                 workers: int | None, outputs: bool,
                 progress: Callable[[int, int], None] | None, freeze: bool) -> None:
    from reportkit.consolidate import inbox
    from reportkit.storage import store

    with isolate.Standby(functools.partial(_write_outputs, project, model, period.id,
                                           freeze)) as later, project_lock(project):
        # the roll-up and the sammanställning files are made by `later`, a child forked
        # here while this process holds little more than the styrmodell: on Storstad the
        # checked reports and the history take this process from 70 to 107 MiB, the roll-up
        # and the kommun's file add 70 MiB more, and neither needs the other's. It is
        # forked before the lock is taken, so that it never holds the lock's file open (a
        # killed consolidation's lock is free at once); it works while this process holds it
        files, ignored = inbox.scan(project.inbox(period.id))
        conn = store.connect(project.store_path)
        try:
            sorted_inbox = _sort_inbox(conn, project, period.id, files, report)
            todo = sorted_inbox.todo
            n_workers = workers or (os.cpu_count() or 1)
            checked = _map(_check, todo, n_workers if len(todo) > 8 else 1, progress,
                           _unreadable)
            run = _Run(conn, project, model, period.id, report, {e.file: e for e in ignored})
            run.store(sorted_inbox, checked)
            _unchanged(conn, period.id, report, sorted_inbox.unchanged, run.entries)
            for name, other in sorted_inbox.copies:
                run.entries[name] = inbox.same_as(name, run.entries[other])
            report.entries = [run.entries[name] for name in sorted(run.entries)]
            report.skipped.sort()
            report.unchanged_with_errors.sort()
            report.source_changed = store.changed_sources(conn, period.id,
                                                          sorted_inbox.folder)
            if outputs and not _outputs_unchanged(conn, project, model, period.id, report):
                later.run().tell(report)
                _remember_outputs(conn, project, model, period.id, report)
        finally:
            conn.close()


@dataclass
class _SortedInbox:
    """The inbox's files sorted out before any is read (:func:`_sort_inbox`)."""

    folder: str
    """The inbox as a path in the project (``inkommet/<period>``)."""
    in_project: list[str]
    """Each file's path in the project, as ``file_stat`` keeps it."""
    stats: list[tuple[Any, ...]]
    """The ``file_stat`` rows to record (:func:`_inbox_hashes`)."""
    todo: list[tuple[str, str]] = field(default_factory=list)
    """(path, period) of the files to check."""
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    """(file, SHA-256) of the files already in the store."""
    copies: list[tuple[str, str]] = field(default_factory=list)
    """(file, the file with the same bytes)."""


def _sort_inbox(conn: Any, project: Project, period_id: str, files: list[Path],
                report: ConsolidationReport) -> _SortedInbox:
    """Which files to check: not those whose bytes are stored already or are another file's
    in the inbox (both noted as skipped in ``report``)."""
    known = queries.submission_files(conn, period_id)
    folder = project.inbox_folder(period_id)
    # names as shown and stored (format_path: a name that is not UTF-8 is escaped,
    # SQLite and JSON take only UTF-8); the paths themselves open the files
    shown = [format_path(p.name) for p in files]
    in_project = [os.path.join(folder, name) for name in shown]
    digests, stats = _inbox_hashes(conn, files, in_project)
    out = _SortedInbox(folder, in_project, stats)
    seen: dict[str, str] = {}
    # of two files with bytes already stored, the one under the stored name is the
    # one in use; the other has the same content
    first = sorted(range(len(files)), key=lambda i: (
        known.get(digests[i] or "") != shown[i], i))
    for path, name, digest in ((files[i], shown[i], digests[i]) for i in first):
        if digest is not None and digest in seen:
            # the same bytes twice in the inbox ("BUN (1).xlsx"): read once
            report.skipped.append(name)
            out.copies.append((name, seen[digest]))
            continue
        if digest is not None:
            seen[digest] = name
        if digest is not None and digest in known:
            report.skipped.append(name)
            out.unchanged.append((name, digest))
        else:
            out.todo.append((str(path), period_id))
    return out


class _Stored(NamedTuple):
    """A file stored in this run and its submission's id."""

    submission_id: int
    report: FileReport


class _Refused(NamedTuple):
    """A file refused in this run that claims to be ``unit``'s."""

    submission_id: int
    unit: str
    report: FileReport


class _Run:
    """The store as this run found it and what it has stored so far: :meth:`store` writes
    the checked files, the history and the exports in one transaction."""

    def __init__(self, conn: Any, project: Project, model: Any, period_id: str,
                 report: ConsolidationReport, entries: dict[str, Any]) -> None:
        from reportkit.intake.identity import Identities

        self.conn, self.project, self.model, self.period_id = conn, project, model, period_id
        self.report, self.entries = report, entries
        self.identities = Identities(model)
        self.loaded_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        self.accepted: dict[str, _Stored] = {}
        self.refused_now: list[_Refused] = []
        self.active_before: dict[str, Any] = {}
        self.refused_before: dict[str, list[Any]] = {}
        self.file_units: dict[str, str] = {}

    def _read_before(self) -> None:
        from reportkit.storage import store

        conn, period_id = self.conn, self.period_id
        self.active_before = store.active_submissions(conn, period_id)
        for r in queries.refused_with_claim(conn, period_id):
            self.refused_before.setdefault(r["claimed_unit"], []).append(r)
        self.file_units = queries.submission_units_by_file(conn, period_id)

    def store(self, sorted_inbox: _SortedInbox,
              checked: list[tuple[tuple[str, str] | None, bytes]]) -> None:
        from reportkit.consolidate.exports import load_exports
        from reportkit.storage import store

        conn, report, todo = self.conn, self.report, sorted_inbox.todo
        names = [Path(path).name for path, _ in todo]
        mismatched = _mismatched(checked, self.identities)
        dropped = _unknown_and_duplicates(
            [(Path(path), None if i in mismatched else head)
             for i, ((path, _), (head, _)) in enumerate(zip(todo, checked, strict=True))],
            self.model)
        self._read_before()
        with store.transaction(conn):
            queries.record_file_stats(conn, sorted_inbox.folder, sorted_inbox.in_project,
                                      sorted_inbox.stats)
            for i in sorted(range(len(todo)), key=names.__getitem__):
                rep = pickle.loads(checked[i][1])
                checked[i] = (None, b"")  # stored below: its bytes go
                self._store_file(rep, mismatched.get(i), dropped.get(i))
            _replace_refused(conn, report, self.refused_now, self.accepted, self.entries)
            with collector_paused():
                report.problems.extend(_history(conn, self.project, self.loaded_at,
                                                self.model))
            report.exports, found = load_exports(conn, self.project, self.model,
                                                 self.period_id, self.loaded_at)
            report.problems.extend(found)
        from reportkit.consolidate.sourced import load_kolada_csv

        report.problems.extend(load_kolada_csv(conn, self.project.root, self.model))

    def _store_file(self, rep: FileReport, mismatched: list[Problem] | None,
                    dropped: Problem | None) -> None:
        """Store one checked file and give it its verdict; ``mismatched``: the problems of a
        file whose rows are another unit's, ``dropped``: why a file of an unknown unit or a
        unit's second new file is not loaded."""
        from reportkit.storage import store

        if mismatched is not None:
            rep.problems.extend(mismatched)
            rep.submission = None
        elif dropped is not None:
            rep.problems.append(dropped)
            rep.submission = None
        if rep.submission is not None:
            rep.problems.extend(_file_name_warnings(rep, self.identities, self.file_units))
            rep.problems.extend(_changed_since_sent(rep, self.model))
        self.report.new.append(rep)
        ok = rep.submission is not None
        # a refused file's claim, unless the claim itself was found false (or, for a
        # second file of a unit, stays as it always was: a fel row)
        claimed = None if ok or mismatched is not None or dropped is not None \
            else rep.claimed_unit
        if not rep.sha256:
            self.entries[rep.file] = _verdict(rep, [])
            return
        sid = store.insert_report(self.conn, self.period_id, rep, self.loaded_at, ok, claimed)
        if ok:
            self._accepted(sid, rep)
        else:
            self.entries[rep.file] = _verdict(rep, [])
            if claimed:
                self.refused_now.append(_Refused(sid, claimed, rep))

    def _accepted(self, sid: int, rep: FileReport) -> None:
        """An accepted file: what it replaced and fixed, and its verdict."""
        assert rep.submission is not None
        report = self.report
        unit = rep.submission.unit_id
        self.accepted[unit] = _Stored(sid, rep)
        earlier = [self.active_before[unit]] if unit in self.active_before else []
        earlier += self.refused_before.pop(unit, [])
        for row in earlier:
            report.replaced.append(row["file"])
            _fixed(report, rep, row["file"], queries.problem_cells(self.conn, row["id"])
                   if row["errors"] or row["warnings"] else [])
        self.entries[rep.file] = _verdict(rep, [r["file"] for r in earlier])
        # stored: the report keeps who and what was wrong, not the values (nor what the
        # workbook was sent out with: compared above; 1,636 of them held 20 MB)
        rep.submission = dataclasses.replace(
            rep.submission, goals=[], indicators=[], activities=[], texts={}, controls=[],
            assignments=[], sent={})


@dataclass
class _Outputs:
    """What :func:`_write_outputs` made, for the report (it travels back from a child)."""

    files: list[Path]
    submissions: dict[str, int]
    goals: dict[str, int]
    labels: dict[str, str]

    def tell(self, report: ConsolidationReport) -> None:
        report.outputs = self.files
        report.submissions = self.submissions
        report.goals = self.goals
        report.labels = self.labels


def _write_outputs(project: Project, model: Any, period_id: str, freeze: bool) -> _Outputs:
    """Compute the roll-up, write the sammanställning files and the Inlämning list
    (``inlamning-<period>.xlsx``) and count what the report says of them."""
    from reportkit.storage import store

    conn = store.connect(project.store_path)
    try:
        return _made_outputs(conn, project, model, period_id, freeze)
    finally:
        conn.close()


def _made_outputs(conn: Any, project: Project, model: Any, period_id: str,
                  freeze: bool) -> _Outputs:
    from reportkit.consolidate.rollup import compute, remember
    from reportkit.consolidate.status import NOT_RECEIVED, project_status, status_file_name
    from reportkit.consolidate.summary import write_status_workbook, write_summary_files
    from reportkit.storage import runs

    with collector_paused():
        results = compute(conn, model, period_id)
        # the roll-up lives to the end too: else the first collection after
        # the pause walks all of it (0.1 s on Storstad), and later ones again
        if freeze:
            gc.freeze()
    statuses = project_status(project, model, period_id, conn)
    # this run's picture, for `reportkit översikt`'s "changed since the last consolidation"
    runs.record_run(conn, period_id, {s.unit_id: s.state for s in statuses},
                    {gid: g.final or "" for gid, g in results.goals.items()})
    # the roll-up kept for render (rollup.compute_cached), while the files are
    # written in worker processes for a large kommun
    files = write_summary_files(project, model, results, statuses, conn,
                                meanwhile=lambda: remember(conn, model, period_id, results))
    # the list to chase from, fresh after every run (reportkit status writes the same)
    files.append(write_status_workbook(
        project.reports(period_id) / status_file_name(period_id), model, statuses, period_id))
    made = _Outputs(files, {}, {}, {})
    # consolidate's counts stay coarse: "saknas" is every unit whose workbook did not come in
    # (reportkit status tells försenad and ej utskickad apart)
    for state, n in (("inkommen", _count(statuses, ("inkommen",))),
                     ("inkommen med fel", _count(statuses, ("inkommen med fel",))),
                     ("saknas", _count(statuses, NOT_RECEIVED))):
        if n:
            made.submissions[state] = n
    finals = [g.final for g in results.goals.values()
              if g.level == "kommun" and g.final]
    for status in sorted(set(finals), key=results.scale.rank):
        made.goals[status] = finals.count(status)
        step = results.scale.step(status)
        made.labels[status] = f"{step.symbol} {step.label}"
    return made


def _count(statuses: Any, states: tuple[str, ...]) -> int:
    return sum(1 for s in statuses if s.state in states)


def _mismatched(checked: list[tuple[tuple[str, str] | None, bytes]], identities: Any
                ) -> dict[int, list[Problem]]:
    """The new files whose rows belong to another unit than the one they claim, by index
    (:mod:`reportkit.intake.identity`): found before the duplicates are chosen, so a file
    that only claims a unit never pushes that unit's own file aside."""
    found: dict[int, list[Problem]] = {}
    for i, (head, blob) in enumerate(checked):
        if head is None or head[0] not in identities.model.units:
            continue
        rep = pickle.loads(blob)
        problems = identities.problems(rep.submission, rep.file)
        if problems:
            found[i] = problems
    return found


def _file_name_warnings(rep: FileReport, identities: Any, file_units: dict[str, str]
                        ) -> list[Problem]:
    """Varningar for an accepted file: its name points at another known unit
    (``wb-file-name-unit``); the file held another unit's styrkort when it was last loaded
    (``wb-file-changed-unit``: that unit's submission stays in use)."""
    sub = rep.submission
    assert sub is not None
    found = []
    named = identities.name_problem(sub, rep.file)
    if named is not None:
        found.append(named)
    before = file_units.get(rep.file)
    if before is not None and before != sub.unit_id:
        found.append(problem("wb-file-changed-unit", file=rep.file, name=rep.file,
                             before=identities.label(before), unit=identities.label(sub.unit_id)))
    return found


def _verdict(rep: FileReport, earlier: list[str]) -> Any:
    """The inbox verdict on a file checked in this run; ``earlier``: the files of the
    submissions it replaced."""
    from reportkit import texts
    from reportkit.consolidate.inbox import InboxEntry

    sub = rep.submission
    if sub is None:
        first = next((p for p in rep.problems if p.is_error), None) or (
            rep.problems[0] if rep.problems else None)
        return InboxEntry(rep.file, "refused", first.message if first else "",
                          codes=[p.code for p in rep.problems if p.is_error]
                          or [p.code for p in rep.problems])
    if earlier:
        replaces = list(dict.fromkeys(earlier))
        return InboxEntry(rep.file, "replaced", texts.INBOX_REPLACES.format(
            other=", ".join(replaces)), sub.unit_id, replaces=replaces)
    return InboxEntry(rep.file, "loaded", "", sub.unit_id)


def _fixed(report: ConsolidationReport, rep: FileReport, old_file: str,
           old: list[tuple[str, str | None, str | None]]) -> None:
    """Note what ``rep`` (accepted) fixed of the problems ``(code, sheet, cell)`` of the
    submission from ``old_file`` it replaced."""
    from reportkit.consolidate.inbox import fixed_problems

    fixed = fixed_problems(old, rep.problems)
    if fixed:
        report.fixed.append({"file": rep.file, "replaces": old_file, "problems": fixed})


def _replace_refused(conn: Any, report: ConsolidationReport,
                     refused: list[_Refused], accepted: dict[str, _Stored],
                     entries: dict[str, Any]) -> None:
    """A file refused in this run whose unit's accepted file came in the same run is replaced
    by it, whichever name sorts first: the unit has a working submission in use, so the refused
    one neither counts as a fel nor stays listed as failing."""
    from reportkit import texts

    for sid, unit, rep in refused:
        if unit not in accepted:
            continue
        by = accepted[unit].report
        queries.mark_replaced(conn, sid, accepted[unit].submission_id)
        report.replaced.append(rep.file)
        report.replaced_refused.append(rep.file)
        _fixed(report, by, rep.file, [(p.code, p.location.sheet, p.location.cell)
                                      for p in rep.problems])
        entry = entries[rep.file]
        entry.reason = texts.INBOX_REFUSED_REPLACED.format(other=by.file, reason=entry.reason)
        by_entry = entries[by.file]
        by_entry.verdict = "replaced"
        by_entry.replaces.append(rep.file)
        by_entry.reason = texts.INBOX_REPLACES.format(other=", ".join(by_entry.replaces))


def _unchanged(conn: Any, period_id: str, report: ConsolidationReport,
               unchanged: list[tuple[str, str]], entries: dict[str, Any]) -> None:
    """Verdicts for the files already in the store, as the store is after this run: a file
    whose submission a new one replaced is not "still with fel" (and does not set the exit
    code), whatever it was when the run began."""
    from reportkit import texts
    from reportkit.consolidate.inbox import InboxEntry

    if not unchanged:
        return
    rows = {r["sha256"]: r for r in queries.submissions_with_replacer(conn, period_id)}
    for name, digest in unchanged:
        row = rows[digest]
        if row["state"] == "ersatt":
            entries[name] = InboxEntry(name, "unchanged", texts.INBOX_UNCHANGED_REPLACED.format(
                other=row["by_file"]))
            continue
        if row["errors"]:
            report.unchanged_with_errors.append(name)
        if row["state"] == "fel":
            codes = queries.problem_codes(conn, row["id"])
            entries[name] = InboxEntry(name, "unchanged", texts.INBOX_UNCHANGED_REFUSED.format(
                errors=row["errors"]), codes=codes)
        else:
            entries[name] = InboxEntry(
                name, "unchanged", texts.INBOX_UNCHANGED_ERRORS.format(errors=row["errors"])
                if row["errors"] else "", row["unit_id"])


def _history(conn: Any, project: Project, loaded_at: str, model: Any) -> list[Problem]:
    """:func:`load_history`, skipped when the history files, the styrmodell and the code are
    those of the last run and the store holds those files: their problems are then the ones
    that run found, kept in the store's run cache (parsing 100,000 rows takes seconds)."""
    import json

    from reportkit.consolidate.history import (
        KIND,
        history_files,
        load_history,
        store_disagreements,
    )
    from reportkit.storage import store

    folder = project.history_file().parent
    files = {f"{folder.name}/{p.name}": _hash(p) for p in history_files(project)}
    stored = queries.source_files(conn, KIND)
    model_path = _model_file(project, model)
    # the earlier years' styrmodeller name the ids that were dropped ("fanns 2026 men inte 2027")
    earlier = [_hash(p) for p in project.styrmodell_files() if int(p.stem) < model.year]
    key = _fingerprint(files, _hash(model_path) if model_path.exists() else None, _code_stamp(),
                       earlier)
    if files and stored == files:
        cached = store.cache_get(conn, KIND, key)
        if cached is not None:
            return [problem(p["code"], **p["location"], **p["values"]) for p in cached] + \
                store_disagreements(conn, project.root, model)
    history = load_history(conn, project, loaded_at, model)
    try:
        data = [{"code": p.code, "location": {k: v for k, v in p.location.__dict__.items()
                                              if v is not None}, "values": p.values}
                for p in history.problems]
        json.dumps(data)  # only plain values: what comes back is what went in
    except (TypeError, ValueError):
        queries.cache_forget(conn, KIND)
    else:
        store.cache_put(conn, KIND, key, data)
    return history.problems + store_disagreements(conn, project.root, model)


def _outputs_key(conn: Any, project: Project, model: Any, period_id: str) -> str:
    """A hash of everything the sammanställning files are made of: what the roll-up is made
    of (:func:`reportkit.consolidate.rollup.inputs`) and the decisions."""
    from reportkit.consolidate.rollup import inputs
    from reportkit.consolidate.status import project_status
    from reportkit.storage.store import changed_sources

    decided = queries.decision_rows(conn)

    # the Inlämning sheet notes a submission whose file has changed since it was loaded
    changed = changed_sources(conn, period_id, project.inbox_folder(period_id))
    # and each unit's state: past its deadline by today, never sent a workbook (a new day
    # writes the files again only when a unit became försenad)
    states = [s.state for s in project_status(project, model, period_id, conn)]
    return _fingerprint(inputs(conn, project.root, model, period_id), decided, changed, states)


def _outputs_unchanged(conn: Any, project: Project, model: Any, period_id: str,
                       report: ConsolidationReport) -> bool:
    """True (and ``report`` filled from the run cache) when the sammanställning files on disk
    are those the last run wrote from the same inputs: then nothing is computed or written."""
    from reportkit.storage import store

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
    from reportkit.storage import store

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


def _changed_since_sent(rep: FileReport, model: Any) -> list[Problem]:
    """The workbook's goal texts, indicator names and målvärden the styrmodell has changed
    since it was sent out (``wb-changed-after-sent``, intake/sent.py)."""
    from reportkit.intake.sent import changed_since_sent

    assert rep.submission is not None
    return changed_since_sent(rep.submission, model, rep.file)


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
