"""Sammanställning and inlämningsstatus: what the coordinator opens after a consolidation.

One ``.xlsx`` for the kommun and one per nämnd/bolag in ``rapporter/<period>/``: goals with
förslag and bedömning (symbol, text and colour), motivation, analysis and åtgärder;
indicators with the three previous years, målvärde, utfall, prognos and a trend; activities;
and who has submitted (the same Inlämning sheet as ``reportkit status`` writes, from
:func:`write_status_sheet`). Text that came from units is written with ``write_string``: a
unit typing ``=HYPERLINK(...)``, ``+cmd`` or ``@SUM(...)`` gets text, never a live formula.
Files are written atomically and byte-identically for the same store content.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import multiprocessing
import os
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit import texts
from reportkit.compat import xlsxwriter as xlsxwriter_door
from reportkit.consolidate.rollup import IndicatorResult, PeriodResults, compute
from reportkit.consolidate.status import UnitStatus, column_names, project_status
from reportkit.files import atomic_path, normalize_zip
from reportkit.formats import format_value
from reportkit.styrmodell import assess
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.targets import TargetRange, TargetTrend, target_text
from reportkit.workbook.generate import FIXED_CREATED, number_format

if TYPE_CHECKING:
    from reportkit.consolidate.control import ControlFollowUp
    from reportkit.consolidate.economy_sheets import EconomySheetData

TREND_YEARS = 3
# in_memory: xlsxwriter otherwise writes every part to a temporary file before zipping
_NO_FORMULAS = {"strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False, "in_memory": True}


def write_status_sheet(wb: Any, model: Styrmodell, statuses: list[UnitStatus], title: str
                       ) -> Any:
    """Add the Inlämning sheet to an xlsxwriter workbook: one row per unit, ready to mail from.

    The one writer of the list, used by the sammanställning, by consolidate's
    ``inlamning-<period>.xlsx`` and by ``reportkit status``.
    """
    ws = wb.add_worksheet(texts.STATUS_SHEET)
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
                          "text_wrap": True, "valign": "top", "border": 1})
    state_fmt = {"försenad": wb.add_format({"bold": True, "font_color": "#C62828"}),
                 "saknas": wb.add_format({"bold": True, "font_color": "#C62828"}),
                 "inkommen med fel": wb.add_format({"bold": True, "font_color": "#9A6700"}),
                 "ej utskickad": wb.add_format({"italic": True, "font_color": "#595959"})}
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    for c, (header, (_, width)) in enumerate(zip(column_names(model), texts.STATUS_COLUMNS,
                                                 strict=True)):
        ws.write_string(1, c, header, head)
        ws.set_column(c, c, width)
    for r, s in enumerate(statuses, start=2):
        for c, v in enumerate((s.committee, s.name, s.level)):
            ws.write_string(r, c, v)
        ws.write_string(r, 3, s.state, state_fmt.get(s.state))
        ws.write_number(r, 4, s.errors)
        ws.write_number(r, 5, s.warnings)
        ws.write_string(r, 6, s.manager)
        ws.write_string(r, 7, s.email)
        if s.deadline:
            ws.write_datetime(r, 8, dt.datetime.fromisoformat(s.deadline), date_fmt)
        ws.write_string(r, 9, s.file_note)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, max(2, len(statuses) + 1), len(texts.STATUS_COLUMNS) - 1)
    return ws


def write_status_workbook(path: Path, model: Styrmodell, statuses: list[UnitStatus],
                          period_id: str) -> Path:
    """``inlamning-<period>.xlsx``: the Inlämning sheet alone, atomically and byte-identically."""
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), _NO_FORMULAS)
        wb.set_properties({"title": texts.STATUS_TITLE.format(
            scope=model.config.kommun.name, period=period_id),
            "author": model.config.kommun.name, "created": FIXED_CREATED})
        write_status_sheet(wb, model, statuses, texts.STATUS_TITLE.format(
            scope=model.config.kommun.name, period=period_id))
        wb.close()
        normalize_zip(tmp)
    return path


def write_summaries(project: Project, model: Styrmodell, period_id: str,
                    conn: sqlite3.Connection) -> list[Path]:
    """Compute the period's roll-up and write the sammanställning files."""
    return write_summary_files(project, model, compute(conn, model, period_id),
                               project_status(project, model, period_id, conn), conn)


def write_summary_files(project: Project, model: Styrmodell, results: PeriodResults,
                        statuses: list[UnitStatus], conn: sqlite3.Connection | None = None,
                        meanwhile: Callable[[], None] | None = None) -> list[Path]:
    """``sammanstallning-<period>.xlsx`` for the kommun and ``…-<nämnd>.xlsx`` per nämnd/bolag,
    with the economy sheets from the exports in the store (``conn``, or the project's).
    ``meanwhile`` is called once in this process, while worker processes write the files
    (for a large kommun), else after they are written.

    Call under the consolidation lock: it removes temporary files a killed run left behind.
    """
    from reportkit.consolidate.economy_sheets import economy_sheet_data
    from reportkit.consolidate.exports import DATA_DIR
    from reportkit.sources.mapping import load_mapping
    from reportkit.storage.store import connect

    mapping, _ = load_mapping(project.root / DATA_DIR)  # its problems come with the exports
    if conn is not None:
        economy = economy_sheet_data(conn, model, results.period, mapping)
    else:
        own = connect(project.store_path)
        try:
            economy = economy_sheet_data(own, model, results.period, mapping)
        finally:
            own.close()
    control = _control(project, model, results, conn)
    out_dir = project.reports(results.period)
    if out_dir.is_dir():
        for stale in out_dir.glob(f".*sammanstallning-{results.period}*.tmp"):
            stale.unlink(missing_ok=True)
    every: list[tuple[Path, str | None]] = [
        (out_dir / f"sammanstallning-{results.period}.xlsx", None)]
    every += [(out_dir / f"sammanstallning-{results.period}-{com.id}.xlsx", com.id)
              for com in model.committees()]
    if _parallel(results):
        digests = _write_parallel(every, project, model, results, statuses, economy, conn,
                                  meanwhile, control)
    else:
        digests = _Digests(project, model, results, statuses, economy, conn, control)
        for path, com in every:
            if not digests.unchanged(path, com):
                _write(path, model, results, statuses, economy, com, control)
        if meanwhile is not None:
            meanwhile()
    digests.remember([path for path, _ in every])
    return [path for path, _ in every]


class _Digests:
    """Which sammanställning files need writing: a file is skipped when the rows it is made
    of (its goals, indicators, activities, statuses, the economy), the styrmodell and the code
    are those it was last written from and the file on disk is the one written then. The
    digests live in the store's run cache; without ``conn`` every file is written."""

    def __init__(self, project: Project, model: Styrmodell, results: PeriodResults,
                 statuses: list[UnitStatus], economy: EconomySheetData,
                 conn: sqlite3.Connection | None, control: ControlFollowUp | None = None
                 ) -> None:
        self.project, self.model, self.results, self.statuses = project, model, results, statuses
        self.conn = conn
        self.key = f"sammanstallning:{results.period}"
        self.new: dict[str, str | None] = {}
        self.old: dict[str, list[str]] = {}
        self.comments: dict[str, str] = {}
        self.parts: dict[tuple[str, str], bytes | None] = {}
        if conn is None:
            return
        from reportkit.consolidate.fingerprint import code_stamp as _code_stamp
        from reportkit.consolidate.fingerprint import file_hash as _hash
        from reportkit.consolidate.fingerprint import fingerprint as _fingerprint
        from reportkit.consolidate.fingerprint import model_file as _model_file
        from reportkit.storage import store

        self.hash = _hash
        model_path = _model_file(project, model)
        # the units' own economy comments go with each file's scope (see _digest)
        self.comments = getattr(economy, "comments", None) or {}
        if self.comments:
            economy = dataclasses.replace(economy, comments={})
        # the intern kontroll and uppdrag only when there are (the same digest as before them)
        shared = repr((results.period, results.scale, economy,
                       *((control,) if control is not None else ())))
        if " object at 0x" in shared:  # something without a stable repr: always write
            self.conn = None
            return
        self.base = _fingerprint(_code_stamp(), _hash(model_path) if model_path.exists()
                                 else None, shared)
        self.old = store.cache_get(conn, self.key, DIGESTS) or {}

    def _digest(self, committee: str | None) -> str | None:
        """A hash of what the file of ``committee`` (None: the kommun's) is made of: each
        goal (with its indicators and measurements) and each unit's activities are
        serialised once for all files (:func:`_stable_bytes`) and hashed; a file's digest is
        the hash of those hashes in its order, its statuses and its units' comments."""
        import hashlib

        model, results = self.model, self.results

        def in_scope(unit_id: str) -> bool:
            return committee is None or model.units[unit_id].committee == committee

        if not self.parts:
            for gid, g in results.goals.items():
                self.parts["g", gid] = _part_hash(g)
            for unit_id, acts in results.activities.items():
                self.parts["a", unit_id] = _part_hash(
                    [tuple(a) if isinstance(a, sqlite3.Row) else a for a in acts])
        h = hashlib.sha256(self.base.encode())
        for gid, g in results.goals.items():
            if in_scope(g.owner) and not (committee and g.level == "kommun"):
                h.update(self.parts["g", gid] or b"?")
        h.update(b"|")
        for unit_id in sorted(results.activities):
            if in_scope(unit_id):
                h.update(unit_id.encode("utf-8", "surrogatepass") + b"\0")
                h.update(self.parts["a", unit_id] or b"?")
        rest = _stable_bytes((
            [s for s in self.statuses if in_scope(s.unit_id) or s.unit_id == committee],
            sorted((u, t) for u, t in self.comments.items()
                   if u in model.units and in_scope(u))))
        if rest is None or any(v is None for v in self.parts.values()):
            return None  # something that does not serialise: always write
        h.update(b"|" + rest)
        return h.hexdigest()

    def _name(self, path: Path) -> str:
        return str(path.relative_to(self.project.root))

    def note(self, path: Path, committee: str | None) -> None:
        """The digest of a file written without asking :meth:`unchanged`, to remember."""
        if self.conn is not None:
            with contextlib.suppress(ValueError):  # a file outside the project: none
                self.new[self._name(path)] = self._digest(committee)

    def unchanged(self, path: Path, committee: str | None) -> bool:
        if self.conn is None:
            return False
        try:
            name = self._name(path)
        except ValueError:
            return False
        digest = self.new[name] = self._digest(committee)
        old = self.old.get(name)
        return digest is not None and old is not None and old[0] == digest \
            and self.hash(path) == old[1]

    def remember(self, paths: list[Path]) -> None:
        if self.conn is None or not self.new:
            return
        from reportkit.consolidate.exports import _transaction
        from reportkit.storage import store

        data = {}
        for path in paths:
            name = self._name(path)
            digest = self.new.get(name)
            if digest is not None:
                data[name] = [digest, self.hash(path)]
        with _transaction(self.conn):
            store.cache_put(self.conn, self.key, DIGESTS, data)


DIGESTS = "v2"
"""The form of the digests in the run cache (v1: the repr of every row; v2: per goal hashes)."""


def _stable_bytes(obj: Any) -> bytes | None:
    """``obj`` pickled without the memo, so that equal values give equal bytes whichever
    objects they share; None for what does not pickle (or refers to itself)."""
    import io
    import pickle

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    try:
        pickler.dump(obj)
    except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    return buf.getvalue()


def _part_hash(obj: Any) -> bytes | None:
    import hashlib

    data = _stable_bytes(obj)
    return None if data is None else hashlib.sha256(data).digest()


def _parallel(results: PeriodResults) -> bool:
    """True for a large kommun on a machine with 2 cores that can fork."""
    rows = sum(len(g.indicators) + 1 for g in results.goals.values())
    return rows >= PARALLEL_MIN_ROWS and (os.cpu_count() or 1) >= 2 \
        and "fork" in multiprocessing.get_all_start_methods()


def _write_parallel(every: list[tuple[Path, str | None]], project: Project, model: Styrmodell,
                    results: PeriodResults, statuses: list[UnitStatus], economy: EconomySheetData,
                    conn: sqlite3.Connection | None,
                    meanwhile: Callable[[], None] | None = None,
                    control: ControlFollowUp | None = None) -> _Digests:
    """The files of a large kommun in 2 forked workers (they inherit the results). The
    kommun's own file (first in ``every``) holds every row, about as much as all the nämnd
    files, and changes with nearly any input: it is written at once, and which nämnd files
    changed is worked out meanwhile (their digests take a third of a second on Storstad)."""
    global _FORKED
    _FORKED = (model, results, statuses, economy, control)
    try:
        with multiprocessing.get_context("fork").Pool(2) as pool:
            first = pool.apply_async(_write_forked, (every[0],))
            digests = _Digests(project, model, results, statuses, economy, conn, control)
            rest = [(path, com) for path, com in every[1:] if not digests.unchanged(path, com)]
            digests.note(*every[0])
            pending = pool.map_async(_write_forked, rest[::-1], chunksize=1)
            if meanwhile is not None:
                meanwhile()
            done = pending.get()
            first.get()
    finally:
        _FORKED = None
    assert len(done) == len(rest)
    return digests


PARALLEL_MIN_ROWS = 2000
"""From this many goal and indicator rows the files are written in 2 worker processes."""
_FORKED: Any = None
"""What the forked writers need (model, results, statuses, economy): set just before the fork
by :func:`_write_parallel` and cleared after it (the workers inherit it; allowed in
tests/test_state.py)."""


def _write_forked(job: tuple[Path, str | None]) -> Path:
    import gc

    # a worker that ends with the pool: no collections while the cells pile up (each one
    # walked every cell written so far; a fifth of the kommun's file)
    gc.disable()
    # xlsxwriter deflates every part, and normalize_zip inflates and deflates it again: in
    # this worker xlsxwriter only stores them. normalize_zip's bytes are the same; the
    # kommun's file 1.02 -> 0.86 s
    xlsxwriter_door.store_parts_only()
    model, results, statuses, economy, control = _FORKED
    return _write(job[0], model, results, statuses, economy, job[1], control)


def shown_degree(degree: float, status: str | None, scale: assess.Scale) -> tuple[float, str]:
    """A degree as the number and format to show, truncated like the documents (never 100 %
    for a Delvis): ``(0.99, "0%")``."""
    text = assess.display_degree(degree, status, scale)
    digits = "".join(ch for ch in text.rstrip("%") if ch not in " \u00a0\u202f")
    digits = digits.replace("\u2212", "-").replace(",", ".")
    places = len(digits.split(".")[1]) if "." in digits else 0
    value = float(Decimal(digits) / 100)
    return value, "0%" if not places else "0." + "0" * places + "%"


def _control(project: Project, model: Styrmodell, results: PeriodResults,
             conn: sqlite3.Connection | None) -> ControlFollowUp | None:
    """The period's intern kontroll and uppdrag (None: the styrmodell has neither)."""
    from reportkit.consolidate.control import follow_up
    from reportkit.storage.store import connect

    period = model.period(results.period)
    if period is None or (model.config.internal_control is None
                          and model.config.assignments is None):
        return None
    own = conn if conn is not None else connect(project.store_path)
    try:
        return follow_up(own, model, period.end, dict(results.submitted))
    finally:
        if conn is None:
            own.close()


def trend_text(ind: IndicatorResult, year: int) -> str:
    """The utfall against the latest earlier year, in the indicator's direction."""
    earlier = [y for y in sorted(ind.history) if y < year]
    if ind.actual is None or not earlier:
        return ""
    last = earlier[-1]
    before = ind.history[last]
    if abs(ind.actual - before) < 1e-9:
        key = "same"
    else:
        up = ind.actual > before
        key = "better" if up == (ind.direction != "lägre") else "worse"
    return texts.TREND[key].format(year=last)


def _write(path: Path, model: Styrmodell, results: PeriodResults,
           statuses: list[UnitStatus], economy: EconomySheetData, committee: str | None,
           control: ControlFollowUp | None = None) -> Path:
    import xlsxwriter

    options = _NO_FORMULAS
    if committee is None and sum(len(g.indicators) + 1 for g in results.goals.values()) \
            >= PARALLEL_MIN_ROWS:
        # a large kommun's own file (every row): its parts go through temporary files, so
        # that no sheet's XML sits in memory as text and bytes at once (30 of 45 MiB on
        # Storstad, as fast); the bytes are the same after normalize_zip
        options = {**_NO_FORMULAS, "in_memory": False}
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), options)
        sheet = xlsxwriter_door.worksheet_class()
        if sheet is not None:  # the faster row writer (reportkit/compat/xlsxwriter.py)
            wb.worksheet_class = sheet
        wb.set_properties({"title": f"Sammanställning {results.period}",
                           "author": model.config.kommun.name, "created": FIXED_CREATED})
        out = _SummaryFile(wb, model, results, committee)
        _goal_sheet(out)
        _indicator_sheet(out)
        _activity_sheet(out)
        write_status_sheet(wb, model, [s for s in statuses
                                if out.in_scope(s.unit_id) or s.unit_id == committee],
                           texts.STATUS_TITLE.format(scope=out.scope_name,
                                                     period=results.period))
        if economy is not None:
            from reportkit.consolidate.economy_sheets import write_economy_sheets

            write_economy_sheets(wb, economy, model, results.period, committee)
        if control is not None:  # after the sheets every sammanställning has had
            from reportkit.consolidate.control_sheets import write_control_sheets

            write_control_sheets(out, model, control, committee)
        wb.close()
        xlsxwriter_door.release(wb)
        del wb, out
        normalize_zip(tmp)
    return path


class _SummaryFile:
    """One sammanställning file being written: its scope (``committee``, None for the
    kommun's), its formats and the sheet helpers."""

    def __init__(self, wb: Any, model: Styrmodell, results: PeriodResults,
                 committee: str | None) -> None:
        self.wb, self.model, self.results, self.committee = wb, model, results, committee
        scale = self.scale = results.scale
        self.head = wb.add_format({"bold": True, "font_color": "#FFFFFF",
                                   "bg_color": "#1F4E79", "text_wrap": True, "valign": "top",
                                   "border": 1})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.status_fmt = {s: wb.add_format({"bold": True,
                                             "font_color": "#" + scale.step(s).text_color,
                                             "bg_color": "#" + scale.step(s).color,
                                             "valign": "top"})
                           for s in scale.statuses}
        self.pct_fmt: dict[str, Any] = {}
        self.unit_fmt: dict[str, Any] = {}
        self.scope_name = model.units[committee].name if committee \
            else model.config.kommun.name

    def status_cell(self, status: str | None) -> tuple[str, Any]:
        if status is None:
            return "", self.wrap
        step = self.scale.step(status)
        return f"{step.symbol} {step.label}", self.status_fmt.get(status, self.wrap)

    def sheet(self, name: str, heading: str, headers: list[tuple[str, int]]) -> Any:
        ws = self.wb.add_worksheet(name)
        for i, (h, width) in enumerate(headers):
            ws.write_string(1, i, h, self.head)
            ws.set_column(i, i, width)
        ws.freeze_panes(2, 1)
        ws.write_string(0, 0, f"{heading} – {self.scope_name} – {self.results.period}",
                        self.title)
        return ws

    def in_scope(self, unit_id: str) -> bool:
        return self.committee is None or self.model.units[unit_id].committee == self.committee

    def shows(self, goal: Any) -> bool:
        """The goal belongs in this file (a nämnd's file leaves out the KF-mål)."""
        return self.in_scope(goal.owner) and not (self.committee and goal.level == "kommun")

    def degree_cell(self, goal: Any) -> tuple[float | None, Any]:
        if goal.proposal_degree is None:
            return None, None
        degree, code = shown_degree(goal.proposal_degree, goal.proposal, self.scale)
        if code not in self.pct_fmt:
            self.pct_fmt[code] = self.wb.add_format({"num_format": code, "valign": "top"})
        return degree, self.pct_fmt[code]


def _goal_sheet(out: _SummaryFile) -> None:
    model, results, scale, wrap = out.model, out.results, out.scale, out.wrap
    ws = out.sheet("Mål", "Måluppfyllelse", [
        ("Id", 16), ("Nivå", 12), ("Mål", 50), ("Ansvarig", 24), ("Förslag", 20), ("Grad", 8),
        ("Bedömning", 20), ("Bedömd av", 20), ("Motivering", 40), ("Underlag", 30),
        ("Analys", 60), ("Åtgärder", 40)])
    r = 2
    for gid, g in results.goals.items():
        if not out.shows(g):
            continue
        node = model.goals[gid]
        proposal, proposal_fmt = out.status_cell(g.proposal)
        degree, degree_fmt = out.degree_cell(g)
        assessment, assessment_fmt = out.status_cell(g.assessment)
        xlsxwriter_door.put_row(ws, r, [
            (gid, None), (model.goal_name(g.level), None), (node.name, wrap),
            (model.units[g.owner].name, wrap), (proposal, proposal_fmt),
            (degree, degree_fmt), (assessment, assessment_fmt),
            (model.units[g.assessed_by].name if g.assessed_by else "", None),
            (g.motivation, wrap),
            (", ".join(f"{scale.label(s)}: {n}" for s, n in g.underlag.items()), wrap),
            (g.analysis, wrap), (g.actions, wrap)])
        r += 1
    if r > 2:
        ws.autofilter(1, 0, r - 1, 11)


def _indicator_sheet(out: _SummaryFile) -> None:
    model, results, wrap = out.model, out.results, out.wrap
    years = list(range(model.year - TREND_YEARS, model.year))
    ws = out.sheet("Indikatorer", "Indikatorer", [
        ("Id", 18), ("Mål", 16), ("Indikator", 44), ("Enhet", 8),
        *[(str(y), 9) for y in years], ("Målvärde", 10), ("Utfall", 10), ("Prognos", 10),
        ("Trend", 18), ("Status", 20), ("Beräkning", 60)])
    r = 2
    for g in results.goals.values():
        if not out.shows(g):
            continue
        for ind in g.indicators:
            if ind.unit not in out.unit_fmt:
                out.unit_fmt[ind.unit] = out.wb.add_format(
                    {"num_format": number_format(ind.unit, 1), "valign": "top"})
            fmt = out.unit_fmt[ind.unit]
            row: list[tuple[Any, Any]] = [(ind.indicator_id, None), (ind.goal_id, None),
                                          (ind.name, wrap), (ind.unit, None)]
            if isinstance(ind.target, bool):  # a ja/nej indicator: Ja/Nej, not 1/0
                row += [(_yes_no(ind.history.get(y)), None) for y in years]
                row += [(_yes_no(v), None) for v in (ind.target, ind.actual, ind.forecast)]
            else:
                row += [(ind.history.get(y), fmt) for y in years]
                row += [(v if isinstance(v, (int, float)) and not isinstance(v, bool)
                         else None, fmt) for v in (ind.target, ind.actual, ind.forecast)]
                if isinstance(ind.target, TargetRange | TargetTrend):  # 80–90 %, Ska öka
                    row[4 + len(years)] = (target_text(ind.target, ind.unit), None)
            row += [(trend_text(ind, model.year), None), out.status_cell(ind.status),
                    (ind.rule, wrap)]
            xlsxwriter_door.put_row(ws, r, row)
            r += 1
    if r > 2:
        ws.autofilter(1, 0, r - 1, 4 + len(years) + 5)


def _yes_no(value: float | bool | None) -> str | None:
    return None if value is None else format_value(bool(value))


def _activity_sheet(out: _SummaryFile) -> None:
    ws = out.sheet("Aktiviteter", "Aktiviteter", [
        ("Enhet", 24), ("Mål", 16), ("Aktivitet", 44), ("Ansvarig", 20), ("Start", 11),
        ("Slut", 11), ("Status", 12), ("Kommentar", 40)])
    r = 2
    for unit_id, acts in sorted(out.results.activities.items()):
        if not out.in_scope(unit_id):
            continue
        name = out.model.units[unit_id].name
        for a in acts:
            xlsxwriter_door.put_row(ws, r, [(v or "", out.wrap) for v in (
                name, a["goal_id"], a["description"], a["responsible"], a["start"],
                a["end"], a["status"], a["comment"])])
            r += 1
    if r > 2:
        ws.autofilter(1, 0, r - 1, 7)
