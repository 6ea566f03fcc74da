"""Check a returned styrkort workbook and read every value it holds, with its cell.

:func:`check_file` never raises for anything a file can do: a hostile, foreign or broken file
is one Problem in its :class:`FileReport`. A value with a ``fel`` is left out of the
submission; a ``varning`` is accepted with a note. Every status is recomputed here from the
values; the workbook's own formula cells are never trusted.

Imports only what a check needs (python-calamine, the catalogue, the assessment rules) so a
unit's ``reportkit check min_fil.xlsx`` answers at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.formats import format_path, format_value
from reportkit.styrmodell import assess
from reportkit.styrmodell.applicable import not_applicable
from reportkit.styrmodell.targets import reading_target, target_from_json
from reportkit.workbook import layout, plausible
from reportkit.workbook.parse import (
    clean_text,
    is_blank,
    parse_date,
    parse_indicator_value,
    read_indicator_value,
    unit_text,
)
from reportkit.workbook.read import RawBook, read_values

REPORT_VERSION = 1


def _pickled_by_fields(cls: type) -> type:
    """Pickle a dataclass as its class and field values (``Value('x', …)``), not as a dict per
    object: reports travel from the check workers to the parent by pickle, and this makes
    them about a fifth smaller and much quicker to unpickle. Equality and attributes are those
    of the dataclass."""
    getter = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return type(self), getter(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 - set on the class it decorates
    return cls


@_pickled_by_fields
@dataclass
class Value:
    """One value read: the field it fills, the item (goal, indicator …) and where it was."""

    field: str
    item: str
    value: Any
    sheet: str
    cell: str


@_pickled_by_fields
@dataclass
class GoalEntry:
    goal_id: str
    own: bool
    proposal: str | None = None
    proposal_degree: float | None = None
    proposal_rule: str = ""
    assessment: str | None = None
    assessment_chosen: bool = False
    motivation: str = ""
    analysis: str = ""
    actions: str = ""
    plan_comment: str = ""
    cells: dict[str, str] = field(default_factory=dict)


@_pickled_by_fields
@dataclass
class IndicatorEntry:
    indicator_id: str
    goal_id: str
    actual: float | bool | None = None
    forecast: float | None = None
    comment: str = ""
    status: str | None = None
    degree: float | None = None
    rule: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    reading: str = ""
    """How the share-or-percent rule read the utfall, for explain (parse.read_indicator_value);
    empty where it did not decide."""
    by_gender: dict[str, float | bool] = field(default_factory=dict)
    """Kvinnor's and män's utfall (``{"K": 65.0, "M": 59.0}``) beside ``actual`` (the total,
    T), for an indicator split by kön; a kön not given is absent."""


@_pickled_by_fields
@dataclass
class ActivityEntry:
    row: int
    goal_id: str
    description: str
    responsible: str
    start: dt.date | None
    end: dt.date | None
    status: str
    comment: str
    cells: dict[str, str] = field(default_factory=dict)


@_pickled_by_fields
@dataclass
class Submission:
    """Everything a unit reported in one workbook, accepted values only."""

    unit_id: str
    unit_name: str
    level: str
    period: str
    period_type: str
    kommun_id: str
    goals: list[GoalEntry] = field(default_factory=list)
    indicators: list[IndicatorEntry] = field(default_factory=list)
    activities: list[ActivityEntry] = field(default_factory=list)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What the workbook was sent out with, from its locked cells and ``_meta``:
    ``{"goals": {id: {"name", "cell"}}, "indicators": {id: {"name", "cell", "target",
    "target_cell"}}}``
    (consolidate compares it with the styrmodell: intake/sent.py)."""


@_pickled_by_fields
@dataclass
class FileReport:
    """One file's check: ``file`` is its name as shown and stored (``formats.format_path``:
    a name that is not UTF-8 escaped), ``path`` the path it was read from."""

    file: str
    path: str
    sha256: str = ""
    problems: list[Problem] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    submission: Submission | None = None
    claimed_unit: str | None = None
    """The unit id the workbook's ``_meta`` names, also when the file is refused (None when
    it has no readable ``_meta``); only a claim, not checked against the styrmodell."""

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        sub = self.submission
        return {
            "file": self.file,
            "sha256": self.sha256,
            "unit": sub.unit_id if sub else None,
            "period": sub.period if sub else None,
            "errors": sum(1 for p in self.problems if p.is_error),
            "warnings": sum(1 for p in self.problems if not p.is_error),
            "problems": [p.to_dict() for p in self.problems],
            "values": [_value_dict(v) for v in self.values],
        }


def _value_dict(v: Value) -> dict[str, Any]:
    value = v.value.isoformat() if isinstance(v.value, dt.date) else v.value
    return {"cell": v.cell, "field": v.field, "item": v.item, "sheet": v.sheet, "value": value}


_BOOLEAN_FORMULAS = frozenset(("TRUE()", "FALSE()", "TRUE", "FALSE"))
"""A ja/nej cell's formula read as its answer (Checker.cell_raw)."""


@dataclass
class CheckReport:
    files: list[FileReport]

    @property
    def has_errors(self) -> bool:
        return any(f.has_errors for f in self.files)

    @property
    def exit_code(self) -> int:
        """``reportkit check``'s exit code as the README gives it: 2 when a named file does
        not exist (or is a folder), so the check could not run; else 1 with any fel, 0
        without (varningar are fine)."""
        from reportkit.errors import exit_code

        return exit_code([p for f in self.files for p in f.problems])

    def to_dict(self) -> dict[str, Any]:
        return {"reportkit_check": REPORT_VERSION,
                "files": [f.to_dict() for f in self.files],
                "errors": sum(1 for f in self.files for p in f.problems if p.is_error),
                "warnings": sum(1 for f in self.files for p in f.problems if not p.is_error)}


def check(paths: list[Path], *, expected_period: str | None = None) -> CheckReport:
    """Check several files; each gets its own report, whatever the others contain.

    A file inside a project (a folder above it has ``styrmodell/``) is also checked against
    the project's styrmodell: a workbook whose rows belong to another unit than the one it
    claims gets ``wb-unit-mismatch`` (:mod:`reportkit.intake.identity`).

    The files are checked in a forked child process under a memory limit
    (:func:`reportkit.isolate.each`): a file that makes the native reader abort, or exhausts
    the limit, is reported as ``file-corrupt`` (:func:`died_report`) and never ends this
    process."""
    from reportkit import isolate

    files = [Path(p) for p in paths]
    reports: list[FileReport | None] = [None] * len(files)

    def one(path: Path) -> FileReport:
        return check_file(path, expected_period=expected_period)

    for i, result in isolate.each(one, files):
        reports[i] = died_report(files[i], result) if isinstance(result, isolate.Death) \
            else result
    done = [r for r in reports if r is not None]
    known: dict[tuple[Path, str], Any] = {}  # (project, period): one styrmodell per run
    for rep in done:
        if rep.submission is not None:
            _check_identity(rep, known)
    return CheckReport(done)


def _check_identity(rep: FileReport, known: dict[tuple[Path, str], Any]) -> None:
    from reportkit.intake.identity import identities_for, project_root

    sub = rep.submission
    assert sub is not None
    root = project_root(Path(rep.path))
    if root is None:
        return  # a unit's own check: the styrmodell (pydantic, YAML) is never loaded
    key = (root, sub.period)
    if key not in known:
        known[key] = identities_for(root, sub.period)
    identities = known[key]
    if identities is None:
        return
    found = identities.problems(sub, rep.file)
    if found:
        rep.problems.extend(found)
        rep.submission, rep.values = None, []
        return
    named = identities.name_problem(sub, rep.file)
    if named is not None:
        rep.problems.append(named)


def died_report(path: Path, death: Any) -> FileReport:
    """The report of a file whose check ended the process checking it (``death`` is a
    :class:`reportkit.isolate.Death`): one ``file-corrupt`` saying what happened."""
    from reportkit import texts

    reason = texts.READ_DEATH.get(death.kind, texts.READ_DEATH["exit"])
    return FileReport(file=format_path(path.name), path=str(path), problems=[
        problem("file-corrupt", file=format_path(path.name),
                reason=reason.format(detail=death.detail))])


def check_file(path: Path, *, expected_period: str | None = None) -> FileReport:
    """Check one returned workbook. Never raises for anything the file contains."""
    from reportkit.workbook.safety import preflight_read

    name = format_path(path.name)  # as shown: a name that is not UTF-8 escaped (\xff)
    report = FileReport(file=name, path=str(path))
    # the file is read once: preflight keeps its bytes and the parts it decompressed
    pre, accepted = preflight_read(path)
    if pre or accepted is None:
        report.problems.extend(pre)
        return report
    data = accepted.data
    report.sha256 = hashlib.sha256(data).hexdigest()
    try:
        book = read_values(data)
    except Exception:  # calamine raises several classes for broken files, in English
        from reportkit import texts

        report.problems.append(problem("file-corrupt", file=name, reason=texts.READ_FAILED))
        return report
    try:
        _Checker(path, book, report, expected_period, data, accepted.parts).run()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # the _meta sheet is the only thing the rules take on trust: a hand-edited one
        # whose JSON still parses but has another shape ends here, never in a traceback
        report.values, report.submission = [], None
        report.problems[:] = [problem("wb-meta-damaged", file=name,
                                      reason=f"{type(exc).__name__}: {exc}"[:120])]
    return report


class _Checker:
    def __init__(self, path: Path, book: RawBook, report: FileReport,
                 expected_period: str | None, data: bytes | None = None,
                 parts: dict[str, bytes] | None = None):
        self.path = path
        self.data = data  # the file's bytes and the zip members preflight decompressed
        self.parts = parts or {}
        self.name = report.file
        self.book = book
        self.report = report
        self.expected_period = expected_period
        self.formulas: dict[str, dict[str, str]] = {}
        self.errors: dict[str, dict[str, str]] = {}

    def add(self, code: str, sheet: str | None = None, cell: str | None = None,
            **values: Any) -> None:
        self.report.problems.append(problem(code, file=self.name, sheet=sheet, cell=cell,
                                            **values))

    def run(self) -> None:
        meta = self.book.meta()
        if meta is None:
            self.add("wb-not-reportkit")
            return
        version = int(float(meta.get("template_version", 0) or 0))
        if version != layout.TEMPLATE_VERSION:
            self.add("wb-template-version", found=version, expected=layout.TEMPLATE_VERSION)
            return
        self.meta = meta
        self.report.claimed_unit = str(meta.get("unit_id") or "") or None
        self.pt = str(meta["period_type"])
        # the Målvärde columns' headers, in meta only when the sheet has more than "Målvärde"
        self.targets = tuple(meta["model"].get("targets", ()))
        # the Kvinnor and Män columns' headers, in meta only when the sheet has them
        self.genders = tuple(meta["model"].get("genders", ()))
        if self.expected_period and meta["period"] != self.expected_period:
            self.add("wb-wrong-period", found=meta["period"], expected=self.expected_period)
            return
        steps = meta["scale"]["steps"]
        self.scale = assess.make_scale(steps)
        # the kommun's label for Ej mätt (bedömning.ej_mätt), in meta only when it has one
        self.not_measured = str(meta["scale"].get("not_measured") or "Ej mätt")
        self.forecast = bool(meta["scale"].get("forecast"))
        # the Underlag sheet of a prefilled workbook is never read: it only shows what came
        # in from below, so an edit there (the sheet is protected) changes nothing
        self.sheets = layout.table_sheets(str(meta.get("level", "")))
        self.missing = {s for s in self.sheets if s not in self.book.sheets}
        for sheet in self.sheets:
            if sheet in self.missing:
                self.add("wb-sheet-missing", sheet=sheet)
        # a renamed or deleted sheet costs its own values, not those of the other sheets
        self.sheets = tuple(s for s in self.sheets if s not in self.missing)
        if not self.sheets:
            return
        if not self.read_xml():
            return
        sub = Submission(unit_id=str(meta["unit_id"]), unit_name=str(meta["unit_name"]),
                         level=str(meta["level"]), period=str(meta["period"]),
                         period_type=self.pt, kommun_id=str(meta["kommun_id"]))
        ok = all([self.check_structure(s) for s in self.sheets])
        if not ok:
            return
        self.check_locked()
        if layout.INDICATORS_SHEET in self.sheets:
            self.read_indicators(sub)
        if layout.GOALS_SHEET in self.sheets:
            self.read_goals(sub)
        if layout.ACTIVITIES_SHEET in self.sheets:
            self.read_activities(sub)
        if layout.TEXTS_SHEET in self.sheets:
            self.read_texts(sub)
        sub.sent = self.sent()
        if not self.report.values and not self.missing:
            self.add("wb-nothing-filled")
        self.report.submission = sub

    def sent(self) -> dict[str, dict[str, Any]]:
        """The goal and indicator names (locked cells) and målvärden (``_meta``) the workbook
        was sent out with."""
        locked, out = self.meta["locked"], {}
        specs = self.meta["model"]["indicators"]
        for sheet, key in ((layout.GOALS_SHEET, "goals"), (layout.INDICATORS_SHEET,
                                                            "indicators")):
            rows: dict[str, dict[str, Any]] = {}
            for n, item in enumerate(self.meta["rows"].get(sheet, [])):
                cell = layout.cell_of(sheet, self.pt, "name", n)
                name = locked.get(f"{sheet}!{cell}")  # None: a layout without the cell
                rows.setdefault(item, {"name": None if name is None else clean_text(name),
                                       "cell": cell})
                if key == "indicators" and item in specs and "target" not in rows[item]:
                    rows[item]["target"] = specs[item]["target"]
                    # the Målvärde column the förslag used (the mandatperiod's in its last year)
                    column = layout.target_key(int(specs[item].get("target_column", 0)))
                    rows[item]["target_cell"] = layout.cell_of(sheet, self.pt, column, n,
                                                               self.targets)
            out[key] = rows
        return out

    def read_xml(self) -> bool:
        """Protection, formulas and error values of the table sheets; False when a sheet's XML
        cannot be read (calamine is more lenient: a mismatched tag, an unbound prefix), which
        is then the file's one problem."""
        from reportkit.workbook.xmlinfo import read_xml_info

        sheets = self.sheets
        try:
            info = read_xml_info(self.path, sheets=sheets, data=self.data, members=self.parts,
                                 validations=False, styles=False)
        except ReportkitError as exc:
            self.report.problems.extend(exc.problems)
            return False
        for sheet in sheets:
            sx = info.sheets.get(sheet)
            if sx is None:
                continue
            self.formulas[sheet] = {k: v.lstrip("=").replace("$", "").upper()
                                    for k, v in sx.formulas.items()}
            self.errors[sheet] = dict(sx.errors)
            if not sx.protected:
                self.add("wb-protection-removed", sheet=sheet)
        return True

    def check_structure(self, sheet: str) -> bool:
        ok = True
        area_word = self.meta.get("model", {}).get("area_word", layout.AREA_HEADER)
        for i, col in enumerate(layout.columns_for(sheet, self.pt, area_word, self.targets,
                                                   self.genders)):
            found = clean_text(self.book.value(sheet, layout.HEADER_ROW, i))
            if found != col.header and found not in col.former:
                self.add("wb-header-changed", sheet=sheet,
                         cell=layout.address(i, layout.HEADER_ROW), found=found,
                         expected=col.header)
                ok = False
        if not ok:
            return False
        expected_ids = self.meta["rows"].get(sheet, [])
        for n, expected in enumerate(expected_ids):
            row = layout.FIRST_ROW + n
            found = clean_text(self.book.value(sheet, row, 0))
            want = str(n + 1) if sheet in (layout.ACTIVITIES_SHEET, layout.TEXTS_SHEET) \
                else expected
            if found != want:
                self.add("wb-row-mismatch", sheet=sheet, cell=layout.address(0, row),
                         expected=want, found=found)
                return False
        extra_row = layout.FIRST_ROW + len(expected_ids)
        found = clean_text(self.book.value(sheet, extra_row, 0))
        if found:
            self.add("wb-row-mismatch", sheet=sheet, cell=layout.address(0, extra_row),
                     expected="(ingen rad)", found=found)
            return False
        return True

    def check_locked(self) -> None:
        value = self.book.value
        for ref, expected in self.meta["locked"].items():
            sheet, addr, row, col = _locked_cell(ref)
            if sheet in self.missing:
                continue  # reported once as wb-sheet-missing
            found = value(sheet, row, col)
            if type(found) is type(expected) and found == expected:
                continue  # what _same says for equal values of one type, without its checks
            if not _same(found, expected):
                self.add("wb-locked-changed", sheet=sheet, cell=addr,
                         expected=_show(expected), found=_show(found))

    def cell_raw(self, sheet: str, key: str, n: int, *, yes_no: bool = False
                 ) -> tuple[Any, str, bool]:
        """(value, A1, ok): ok is False when the cell holds a formula or an error value.

        ``yes_no``: a ja/nej cell, where ``=TRUE()``/``=FALSE()`` is read as the answer: it is
        how LibreOffice saves a typed SANT/FALSKT or TRUE/FALSE in xlsx (it has no boolean
        cells)."""
        col, letters = _column(sheet, self.pt, key, self.targets, self.genders)
        row = layout.FIRST_ROW + n
        addr = f"{letters}{row}"
        raw = self.book.value(sheet, row, col)
        errors = self.errors.get(sheet)
        if errors and addr in errors:
            self.add("cell-error-value", sheet=sheet, cell=addr, value=errors[addr])
            return None, addr, False
        formulas = self.formulas.get(sheet)
        if formulas and addr in formulas:
            if yes_no and formulas[addr].strip().lstrip("=").upper() in _BOOLEAN_FORMULAS:
                return formulas[addr].strip().lstrip("=").upper().startswith("TRUE"), addr, True
            cached = "" if is_blank(raw) else f" (visat värde {clean_text(raw)})"
            self.add("cell-formula-in-input", sheet=sheet, cell=addr,
                     formula="=" + self.formulas[sheet][addr], cached=cached)
            return None, addr, False
        return raw, addr, True

    def value(self, field_name: str, item: str, value: Any, sheet: str, cell: str) -> None:
        self.report.values.append(Value(field_name, item, value, sheet, cell))

    def text(self, sheet: str, key: str, n: int, item: str, field_name: str) -> tuple[str, str]:
        raw, addr, ok = self.cell_raw(sheet, key, n)
        text = self.unit_text(raw, sheet, addr) if ok else ""
        if text:
            self.value(field_name, item, text, sheet, addr)
        return text, addr

    def unit_text(self, raw: Any, sheet: str, addr: str) -> str:
        """A text the unit wrote as it is stored and printed (parse.unit_text), each change
        made to it a varning on its cell: nothing is changed silently on its way to KF."""
        text, issues = unit_text(raw)
        for code, values in issues:
            self.add(code, sheet=sheet, cell=addr, unit=self.meta["unit_name"], **values)
        return text

    def read_indicators(self, sub: Submission) -> None:
        sheet = layout.INDICATORS_SHEET
        model = self.meta["model"]["indicators"]
        for n, ind_id in enumerate(self.meta["rows"][sheet]):
            spec = model[ind_id]
            read_at = reading_target(target_from_json(spec["target"]))
            entry = IndicatorEntry(ind_id, spec["goal"])
            if self.pt != "plan" and spec["due"]:
                raw, addr, ok = self.cell_raw(sheet, "actual", n,
                                              yes_no=spec["target_type"] == "janej")
                entry.cells["actual"] = addr
                if ok:
                    value, issue, entry.reading = read_indicator_value(
                        raw, spec["unit"], read_at, spec["target_type"])
                    if issue:
                        self.add(issue[0], sheet=sheet, cell=addr, **issue[1])
                    elif value is None:
                        if spec.get("locked") != "actual":  # filled in at consolidate
                            self.add("indicator-not-measured", sheet=sheet, cell=addr,
                                     indicator=ind_id)
                    else:
                        entry.actual = value
                        self.value("indicator.actual", ind_id, value, sheet, addr)
                        self.plausible(spec, ind_id, n, value, addr)
                if spec.get("by_gender") and self.genders:
                    self.read_genders(entry, spec, n, read_at)
            if layout.has_forecast(self.pt):
                raw, addr, ok = self.cell_raw(sheet, "forecast", n,
                                              yes_no=spec["target_type"] == "janej")
                entry.cells["forecast"] = addr
                if ok:
                    value, issue = parse_indicator_value(raw, spec["unit"], read_at,
                                                         spec["target_type"])
                    if issue:
                        self.add(issue[0], sheet=sheet, cell=addr, **issue[1])
                    elif value is not None:
                        entry.forecast = value
                        self.value("indicator.forecast", ind_id, value, sheet, addr)
                        self.plausible(spec, ind_id, n, value, addr, forecast=True)
            entry.comment, entry.cells["comment"] = self.text(sheet, "comment", n, ind_id,
                                                              "indicator.comment")
            applies = self.not_applicable(entry, ind_id)
            result = self.assess(spec, entry.actual, applies)
            entry.status, entry.degree, entry.rule = result.status, result.degree, result.rule
            sub.indicators.append(entry)

    def read_genders(self, entry: IndicatorEntry, spec: dict[str, Any], n: int,
                     read_at: float | bool | None) -> None:
        """Kvinnor's and män's utfall (``kön: ja``) into ``entry.by_gender``, read as the
        utfall is (the same number rules, plausibility without last year's total); given
        without the total, a varning: the total is what is assessed and is not computed."""
        sheet = layout.INDICATORS_SHEET
        given = []
        for (letter, key), header in zip(layout.GENDER_KEYS.items(), self.genders,
                                         strict=True):
            raw, addr, ok = self.cell_raw(sheet, key, n, yes_no=spec["target_type"] == "janej")
            entry.cells[key] = addr
            if not ok:
                continue
            value, issue = parse_indicator_value(raw, spec["unit"], read_at,
                                                 spec["target_type"])
            if issue:
                self.add(issue[0], sheet=sheet, cell=addr, **issue[1])
            elif value is not None:
                entry.by_gender[letter] = value
                given.append(header.lower())
                self.value(f"indicator.{key}", entry.indicator_id, value, sheet, addr)
                self.plausible(spec, entry.indicator_id, n, value, addr, forecast=True)
        if given and entry.actual is None and entry.cells.get("actual"):
            self.add("indicator-gender-without-total", sheet=sheet, cell=entry.cells["actual"],
                     indicator=entry.indicator_id, groups=" och ".join(given))

    def plausible(self, spec: dict[str, Any], ind_id: str, n: int, value: float, addr: str,
                  forecast: bool = False) -> None:
        """Varningar for a value that is read but implausible (workbook/plausible.py): a share
        outside 0–100 %, a negative count, far from last year's utfall (not for a prognos).
        A workbook from before the rules has no ``share`` (a ``%`` indicator is a share) and
        no factor (the default); last year's utfall is its locked "Utfall förra året"."""
        if spec["target_type"] == "janej":
            return
        sheet = layout.INDICATORS_SHEET
        previous = factor = None
        if not forecast:
            ref = f"{sheet}!{layout.cell_of(sheet, self.pt, 'previous', n)}"
            previous = self.meta["locked"].get(ref)
            factor = self.meta["model"].get("plausibility_factor", plausible.DEFAULT_FACTOR)
        unit = str(spec["unit"])
        for code, values in plausible.problems(
                value, unit=unit, share=plausible.is_share(unit, spec.get("share")),
                previous=previous, factor=factor):
            shown = {k: format_value(v, unit if k != "factor" else "")
                     for k, v in values.items()}
            self.add(code, sheet=sheet, cell=addr, indicator=ind_id, **shown)

    def not_applicable(self, entry: IndicatorEntry, ind_id: str) -> bool:
        """False when the row is marked Ej aktuell (an empty utfall, a comment beginning "Ej
        aktuell"; styrmodell/applicable.py): no "Utfall saknas" then, but a varning on the
        comment cell when the motivation is missing."""
        motivation = not_applicable(entry.comment, entry.actual)
        if motivation is None:
            return True
        cell = entry.cells.get("actual")
        if cell:
            self.report.problems = [p for p in self.report.problems if not (
                p.code == "indicator-not-measured" and p.location.cell == cell
                and p.location.sheet == layout.INDICATORS_SHEET)]
        if not motivation:
            self.add("indicator-not-applicable-motivation", sheet=layout.INDICATORS_SHEET,
                     cell=entry.cells.get("comment"), indicator=ind_id)
        return False

    def assess(self, spec: dict[str, Any], actual: float | None, applicable: bool = True
               ) -> assess.IndicatorResult:
        target = target_from_json(spec["target"])
        if spec["target_type"] == "janej" and actual is not None:
            actual = bool(actual)
        return assess.assess_indicator(
            actual, target, direction=spec["direction"], target_type=spec["target_type"],
            baseline=spec["baseline"], scale=self.scale,
            due=self.pt == "plan" or bool(spec["due"]), applicable=applicable,
            previous=spec.get("previous"))

    def read_goals(self, sub: Submission) -> None:
        sheet = layout.GOALS_SHEET
        goals_meta = self.meta["model"]["goals"]
        # every read indicator is assessed (read_indicators): a status, never None
        by_id = {e.indicator_id: (e.degree, e.status, e.rule) for e in sub.indicators
                 if e.status is not None}
        labels = self._labels()
        for n, goal_id in enumerate(self.meta["rows"][sheet]):
            gm = goals_meta[goal_id]
            entry = GoalEntry(goal_id, bool(gm["own"]))
            if self.pt == "plan":
                entry.plan_comment, entry.cells["plan_comment"] = self.text(
                    sheet, "plan_comment", n, goal_id, "goal.plan_comment")
                sub.goals.append(entry)
                continue
            results = [assess.IndicatorResult(*by_id[i]) for i in gm["indicators"]
                       if i in by_id]
            if results:
                combined = assess.combine_indicators(results, gm["combine"], self.scale)
                entry.proposal, entry.proposal_degree = combined.status, combined.degree
                entry.proposal_rule = combined.rule
            elif gm.get("proposal"):
                # computed from the store when the workbook was prefilled (a locked cell, so
                # check_locked has seen it unchanged); the roll-up recomputes it from the draft
                entry.proposal = str(gm["proposal"])
                entry.proposal_rule = "underlag när styrkortet skapades"
            entry.motivation, entry.cells["motivation"] = self.text(
                sheet, "motivation", n, goal_id, "goal.motivation")
            entry.analysis, entry.cells["analysis"] = self.text(sheet, "analysis", n, goal_id,
                                                                "goal.analysis")
            entry.actions, entry.cells["actions"] = self.text(sheet, "actions", n, goal_id,
                                                              "goal.actions")
            self.read_assessment(sheet, n, entry, labels)
            sub.goals.append(entry)

    def _labels(self) -> dict[str, str]:
        labels = {}
        for step in self.scale.steps:
            labels[step.label.casefold()] = step.status
            labels[step.forecast_label.casefold()] = step.status
        labels["ej mätt"] = assess.EJ_MATT
        labels[self.not_measured.casefold()] = assess.EJ_MATT
        return labels

    def read_assessment(self, sheet: str, n: int, entry: GoalEntry,
                        labels: dict[str, str]) -> None:
        col = layout.column_index(sheet, self.pt, "assessment")
        addr = layout.address(col, layout.FIRST_ROW + n)
        entry.cells["assessment"] = addr
        proposal_addr = layout.address(layout.column_index(sheet, self.pt, "proposal"),
                                       layout.FIRST_ROW + n)
        formula = self.formulas.get(sheet, {}).get(addr)
        if formula == proposal_addr:
            entry.assessment = entry.proposal
            return
        raw, addr, ok = self.cell_raw(sheet, "assessment", n)
        if not ok:
            return
        text = clean_text(raw)
        if not text:
            entry.assessment = entry.proposal
            return
        status = labels.get(" ".join(text.split()).casefold())
        if status is None:
            choices = [s.forecast_label if self.forecast else s.label for s in self.scale.steps]
            self.add("cell-invalid-choice", sheet=sheet, cell=addr, value=text,
                     choices=", ".join([*choices, self.not_measured]))
            return
        entry.assessment = status
        entry.assessment_chosen = True
        self.value("goal.assessment", entry.goal_id, status, sheet, addr)
        if assess.needs_motivation(entry.proposal, status) and not entry.motivation:
            label = self.scale.label(status, forecast=self.forecast)
            proposal = (self.scale.label(entry.proposal, forecast=self.forecast)
                        if entry.proposal else "inget förslag")
            self.add("assessment-needs-motivation", sheet=sheet, cell=entry.cells["motivation"],
                     assessment=label, proposal=proposal)

    def read_activities(self, sub: Submission) -> None:
        sheet = layout.ACTIVITIES_SHEET
        goal_ids = set(self.meta["model"]["goals"]) | {
            s["goal"] for s in self.meta["model"]["indicators"].values()}
        keys = ("goal", "description", "responsible", "start", "end", "status", "comment")
        # a row left blank is skipped; without a formula or error value on the sheet (which
        # cell_raw would report) that is seen from its values alone
        plain = not self.errors.get(sheet) and not self.formulas.get(sheet)
        columns = [_column(sheet, self.pt, key)[0] for key in keys]
        at = self.book.value
        for n in range(len(self.meta["rows"][sheet])):
            if plain and all(is_blank(at(sheet, layout.FIRST_ROW + n, col))
                             for col in columns):
                continue
            raw = {}
            cells = {}
            ok_all = True
            for key in keys:
                value, addr, ok = self.cell_raw(sheet, key, n)
                raw[key], cells[key] = value, addr
                ok_all = ok_all and ok
            if all(is_blank(v) for v in raw.values()):
                continue
            row = layout.FIRST_ROW + n
            start, issue_s = parse_date(raw["start"])
            end, issue_e = parse_date(raw["end"])
            for key, issue in (("start", issue_s), ("end", issue_e)):
                if issue:
                    self.add(issue[0], sheet=sheet, cell=cells[key], **issue[1])
                    ok_all = False
            goal = _goal_id(clean_text(raw["goal"]), goal_ids)
            if goal and goal not in goal_ids:
                self.add("cell-invalid-choice", sheet=sheet, cell=cells["goal"], value=goal,
                         choices=", ".join(sorted(goal_ids)))
                ok_all = False
            status = clean_text(raw["status"])
            if status and status.casefold() not in {s.casefold()
                                                    for s in layout.ACTIVITY_STATUSES}:
                self.add("cell-invalid-choice", sheet=sheet, cell=cells["status"], value=status,
                         choices=", ".join(layout.ACTIVITY_STATUSES))
                ok_all = False
            if start and end and end < start:
                self.add("activity-end-before-start", sheet=sheet, cell=cells["end"],
                         start=start.isoformat(), end=end.isoformat())
                ok_all = False
            missing = [label for key, label in (("goal", "mål"), ("description", "aktivitet"),
                                                ("status", "status"))
                       if is_blank(raw[key]) and not (key == "status" and self.pt == "plan")]
            if missing and ok_all:
                self.add("activity-incomplete", sheet=sheet, cell=layout.address(0, row),
                         row=row, missing=", ".join(missing))
            if not ok_all:
                continue
            status = next((s for s in layout.ACTIVITY_STATUSES
                           if s.casefold() == status.casefold()), status)
            description, responsible, comment = (
                self.unit_text(raw[key], sheet, cells[key])
                for key in ("description", "responsible", "comment"))
            entry = ActivityEntry(row, goal, description, responsible, start, end, status,
                                  comment, cells)
            sub.activities.append(entry)
            for key in ("goal", "description", "responsible", "start", "end", "status",
                        "comment"):
                value = getattr(entry, key if key != "goal" else "goal_id")
                if value not in ("", None):
                    self.value(f"activity.{key}", str(n + 1), value, sheet, cells[key])

    def read_texts(self, sub: Submission) -> None:
        sheet = layout.TEXTS_SHEET
        for n, key in enumerate(self.meta["rows"][sheet]):
            text, addr = self.text(sheet, "text", n, key, "text")
            if text:
                sub.texts[key] = (text, addr)


def _goal_id(text: str, goal_ids: set[str]) -> str:
    """The goal id of an Aktiviteter cell: the id itself (workbooks before the names), or
    ``KF1: Alla barn …`` as the list offers it (the id before the first colon)."""
    if text in goal_ids or ":" not in text:
        return text
    head = text.split(":", 1)[0].strip()
    return head if head in goal_ids else text


@cache
def _column(sheet: str, period_type: str, key: str, targets: tuple[str, ...] = (),
            genders: tuple[str, ...] = ()) -> tuple[int, str]:
    """The 0-based index and the letters of the column of ``key`` on ``sheet``."""
    col = layout.column_index(sheet, period_type, key, targets, genders)
    return col, layout.col_letter(col)


@lru_cache(maxsize=16_384)
def _locked_cell(ref: str) -> tuple[str, str, int, int]:
    """``"Mål!B4"`` → (sheet, A1, 1-based row, 0-based column); the same refs recur per file."""
    sheet, addr = ref.split("!", 1)
    row, col = layout.split_address(addr)
    return sheet, addr, row, col


def _same(found: Any, expected: Any) -> bool:
    if expected is None or expected == "":
        return found is None or found == ""
    if isinstance(expected, bool):
        return found == expected
    if isinstance(expected, (int, float)):
        if isinstance(found, bool) or not isinstance(found, (int, float)):
            return False
        # LibreOffice rounds to 15 significant digits on save (TECH.md §7)
        return abs(found - expected) <= 1e-12 * max(1.0, abs(expected))
    return clean_text(found) == clean_text(expected)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(tomt)"
    if isinstance(value, float):
        text = clean_text(value)
        return text.replace(".", ",")
    return f"'{clean_text(value)}'"
