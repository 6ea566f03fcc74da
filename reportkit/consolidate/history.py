"""Earlier years' outcomes: ``historik/utfall.csv`` (or ``utfall.xlsx``), loaded into the store.

The shape, documented for kommuner in ``docs/historik.md``: one row per unit, indicator and
year, with the header ``år;period;enhet;indikator;utfall`` (case and column order free, other
columns ignored)::

    år;period;enhet;indikator;utfall
    2025;helår;solrosens-forskola;FORSKOLA-V1-I1;86,5

- CSV: semicolon-separated (a tab or a comma also works when the header has no semicolon),
  UTF-8 with or without BOM, or Windows-1252 as Swedish Excel saves "CSV (semikolonavgränsad)";
  decimal comma. xlsx: the first sheet, header in the first row.
- ``period`` is ``helår``, ``delår`` or ``tertial``; ``enhet`` and ``indikator`` are the
  styrmodell's stable ids, so trends join across years.
- ``utfall`` is read like an utfall cell in a styrkort (percent in percent points, ``85`` or
  ``85 %``; ``ja``/``nej`` for ja/nej indicators); empty means "not measured that year".

Every value keeps its provenance: file, SHA-256, row and column. A row that cannot be read is
left out and reported as a Problem with file, row and column; the rest load. The files are
re-read for their problems on every consolidation (a few milliseconds) but written to the
store only when one of them changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import operator
import sqlite3
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import sha256_file
from reportkit.storage import queries, store
from reportkit.styrmodell.config import Period
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.targets import reading_target
from reportkit.workbook.parse import (
    Issue,
    clean_text,
    indicator_value_key,
    is_blank,
    parse_indicator_value,
    parse_number,
)

_K = TypeVar("_K")
_V = TypeVar("_V")

HistoryRow = tuple[int, str, str, str, float | None, int, str]
"""year, period, unit id, indicator id, value, file row, column."""

COLUMNS = ("år", "period", "enhet", "indikator", "utfall")
PERIOD_TYPES = ("tertial", "delår", "helår")
FILE_NAMES = ("utfall.csv", "utfall.xlsx")
KIND = "historik"


@dataclass
class HistoryFile:
    """One history file read: its rows and the problems of the rows left out."""

    name: str
    sha256: str
    rows: list[HistoryRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class HistoryLoad:
    """What :func:`load_history` did: rows written (0 = unchanged) and the problems found."""

    loaded: int = 0
    problems: list[Problem] = field(default_factory=list)


def history_files(project: Project) -> list[Path]:
    """The project's history files that exist, CSV before xlsx."""
    folder = project.history_file().parent
    return [folder / name for name in FILE_NAMES if (folder / name).is_file()]


def read_history(path: Path) -> list[HistoryRow]:
    """The readable rows of a history file (problems dropped; see :func:`parse_history`)."""
    return parse_history(path).rows


def parse_history(path: Path, name: str | None = None,
                  model: Styrmodell | None = None,
                  earlier: dict[str, int] | None = None) -> HistoryFile:
    """Read a history file; each unreadable row becomes a Problem and is left out.

    ``name`` is how the file is named in problems and provenance (default: its file name).
    With ``model``, utfall are read in the indicator's unit exactly as in a styrkort, and ids
    the styrmodell does not know are reported as a varning (the row still loads): an id of an
    earlier year's styrmodell (``earlier``: id → the last year that had it) as dropped
    ("fanns 2026 men inte 2027"), any other as unknown. An indicator's ``tidigare_id`` is
    known.
    """
    name = name or path.name
    out = HistoryFile(name, "")
    try:
        if path.suffix.lower() == ".xlsx":
            out.sha256 = sha256_file(path)
            table = iter(_read_xlsx(path, name, out))
        else:
            table = _read_csv(path, name, out)
    except OSError as exc:
        out.problems.append(problem("file-unreadable", file=name, reason=exc.strerror or exc))
        return out
    first = next(table, None)
    if first is None:
        if not out.problems:
            out.problems.append(problem("history-empty", file=name))
        return out
    header = [clean_text(h).lstrip("\ufeff").casefold() for h in first]
    cols = {h: i for i, h in reversed(list(enumerate(header))) if h}
    missing = [c for c in COLUMNS if c not in cols]
    if missing:
        out.problems.append(problem(
            "history-column-missing", file=name, row=1, column=missing[0], name=missing[0],
            found=", ".join(h for h in header if h) or "inga"))
        return out
    unknown = _read_rows(table, cols, name, model, out, path.suffix.lower() != ".xlsx")
    renamed = _earlier_ids(model)
    for (column, value), rows in unknown.items():
        if column == "indikator" and value in renamed:
            continue
        then = (earlier or {}).get(value)
        if then is not None:
            out.problems.append(problem(
                "history-dropped-id", file=name, row=rows[0], column=column, value=value,
                then=then, year=model.year if model else "", rows=len(rows)))
            continue
        out.problems.append(problem("history-unknown-id", file=name, row=rows[0], column=column,
                                    value=value, year=model.year if model else "", rows=len(rows)))
    out.problems.sort(key=lambda p: p.location.row or 0)
    return out


def _earlier_ids(model: Styrmodell | None) -> set[str]:
    """The ids the model's indicators had in earlier years (``tidigare_id``)."""
    if model is None:
        return set()
    return {old for spec, _goal in model.indicators.values() for old in spec.earlier_ids}


def earlier_ids(models: list[Styrmodell]) -> dict[str, int]:
    """``{unit or indicator id: the last year that had it}`` of earlier years' styrmodeller."""
    out: dict[str, int] = {}
    for m in models:
        for unit in m.units:
            out[unit] = m.year
        for ind in m.indicators:
            out[ind] = m.year
    return out


def _row(cells: dict[str, Any], n: int, name: str, model: Styrmodell | None,
         problems: list[Problem]) -> HistoryRow | None:
    def bad(column: str, expected: str) -> None:
        problems.append(problem("history-invalid-value", file=name, row=n, column=column,
                                value=clean_text(cells[column]), expected=expected))

    year_text = clean_text(cells["år"])
    if not (year_text.isdigit() and year_text.isascii() and len(year_text) == 4):
        bad("år", "ett årtal med fyra siffror, till exempel 2025")
        return None
    period = clean_text(cells["period"]).casefold()
    if period not in PERIOD_TYPES:
        bad("period", "helår, delår eller tertial")
        return None
    unit, indicator = clean_text(cells["enhet"]), clean_text(cells["indikator"])
    if not unit:
        bad("enhet", "enhetens id i styrmodellen")
        return None
    if not indicator:
        bad("indikator", "indikatorns id i styrmodellen")
        return None
    value, issue = _value(cells["utfall"], _reading(model, indicator))
    if issue:
        problems.append(problem(issue[0], file=name, row=n, column="utfall", **issue[1]))
        return None
    return int(year_text), period, unit, indicator, value, n, "utfall"


def _reading(model: Styrmodell | None, indicator: str
             ) -> tuple[str, float | bool | None, str] | None:
    """The unit, målvärde and måltyp an indicator's utfall is read by, None without a model or
    spec."""
    if model is None:
        return None
    spec = model.indicators.get(indicator)
    if spec is None:  # an earlier id (tidigare_id) reads as the indicator that has it now
        spec = next((s for s in model.indicators.values() if indicator in s[0].earlier_ids),
                    None)
    if spec is None:
        return None
    return spec[0].unit, reading_target(spec[0].target_for(model.year)), spec[0].target_type


def _value(raw: object, reading: tuple[str, float | bool | None, str] | None
           ) -> tuple[float | None, Issue]:
    """An utfall as a value and an issue: ja/nej, else in the indicator's unit as in a styrkort."""
    text = clean_text(raw).casefold()
    if text in ("ja", "nej"):
        return (1.0 if text == "ja" else 0.0), None
    if reading is not None:
        return parse_indicator_value(raw, *reading)
    value, _, issue = parse_number(raw)
    return value, issue


def _read_rows(table: Iterator[list[Any]], cols: dict[str, int], name: str,
               model: Styrmodell | None, out: HistoryFile, text: bool
               ) -> dict[tuple[str, str], list[int]]:
    """Read the rows after the header into ``out``; return the ids the styrmodell does not know
    with their rows.

    A row is read by :func:`_row`, which reports what it cannot read. Rows of text (a CSV file)
    are first read with what repeats resolved once: each distinct year, period, unit and
    indicator text once, each indicator's unit and målvärde once, and each distinct utfall
    text once per way of reading it (:func:`indicator_value_key`); a row that does not read
    plainly so goes to :func:`_row`, so the problems are the same.
    """
    # while each row's key (year, period, unit, indicator) is above the one before, as in a
    # sorted file, no row can repeat an earlier one; at the first that is not, the rows so far
    # become the lookup that finds duplicates
    seen: dict[tuple[int, str, str, str], int] | None = None
    last: tuple[int, str, str, str] | None = None
    unknown: dict[tuple[str, str], list[int]] = {}
    known_units = model.units if model is not None else None
    known_indicators = model.indicators if model is not None else None
    at = [cols[c] for c in COLUMNS]
    pick, width = operator.itemgetter(*at), max(at) + 1
    # each text's reading, None where _row would not read it: the year, the period, the unit
    # id and whether the styrmodell knows it, the indicator id, how its utfall is read, whether
    # the styrmodell knows it and the utfall read so far that way
    years = _Memo(_year)
    periods = _Memo(_period)
    units: _Memo[str, tuple[str, bool] | None] = _Memo(lambda text: _id(text, known_units))
    readings: dict[object, _Reading] = {}
    indicators: _Memo[str, tuple[str, bool, _Reading] | None] = _Memo(
        lambda text: _indicator(text, model, known_indicators, readings))
    rows, problems = out.rows, out.problems
    for n, line in enumerate(table, start=2):
        row = None
        if text and len(line) >= width:
            y, p, u, i, v = pick(line)
            year, period, unit, ind = years[y], periods[p], units[u], indicators[i]
            if year is not None and period is not None and unit is not None and ind is not None:
                value, issue = ind[2][v]
                if not issue:
                    row = (year, period, unit[0], ind[0], value, n, "utfall")
                    unit_known, indicator_known = unit[1], ind[1]
        if row is None:
            if all(is_blank(c) for c in line):
                continue
            cells = {c: line[cols[c]] if cols[c] < len(line) else None for c in COLUMNS}
            row = _row(cells, n, name, model, problems)
            if row is None:
                continue
            unit_known = known_units is None or row[2] in known_units
            indicator_known = known_indicators is None or row[3] in known_indicators
        if not unit_known:
            unknown.setdefault(("enhet", row[2]), []).append(n)
        if not indicator_known:
            unknown.setdefault(("indikator", row[3]), []).append(n)
        key = row[:4]
        if seen is None:
            if last is None or key > last:
                last = key
                rows.append(row)
                continue
            seen = {r[:4]: r[5] for r in rows}
        first = seen.setdefault(key, n)
        if first != n:
            problems.append(problem(
                "history-duplicate-row", file=name, row=n, indicator=row[3], unit=row[2],
                year=row[0], period=row[1], first=first))
            continue
        rows.append(row)
    return unknown


class _Memo(dict[_K, _V]):
    """A dict that reads a key it does not hold with ``read`` and keeps the result."""

    def __init__(self, read: Callable[[_K], _V]) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self.read(key)
        return value


def _period(text: str) -> str | None:
    period = text.strip().casefold()
    return period if period in PERIOD_TYPES else None


# an utfall cell's text read the way one indicator reads it: the value and any issue
_Reading: TypeAlias = "_Memo[object, tuple[float | None, Issue]]"


def _id(text: str, known: Collection[str] | None) -> tuple[str, bool] | None:
    """A unit cell's id and whether the styrmodell knows it; None when _row would not read it."""
    unit = text.strip()
    return (unit, known is None or unit in known) if unit else None


def _indicator(text: str, model: Styrmodell | None, known: Collection[str] | None,
               readings: dict[object, _Reading]) -> tuple[str, bool, _Reading] | None:
    """An indicator cell's id, whether the styrmodell knows it, and its utfall read so far (by
    text) the way it reads them; None when _row would not read it."""
    indicator = text.strip()
    if not indicator:
        return None
    reading = _reading(model, indicator)
    key = indicator_value_key(*reading) if reading is not None else None
    if key not in readings:
        readings[key] = _Memo(lambda raw: _value(raw, reading))
    return indicator, known is None or indicator in known, readings[key]


def _year(text: str) -> int | None:
    """A year cell's text as the year, None when _row would not read it as one."""
    text = text.strip()
    if not (text.isdigit() and text.isascii() and len(text) == 4):
        return None
    try:
        return int(text)
    except ValueError:  # digits int() does not read (²⁰²⁵): _row meets them as before
        return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252, not UTF-8
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, name: str, out: HistoryFile) -> Iterator[list[str]]:
    data = path.read_bytes()
    out.sha256 = hashlib.sha256(data).hexdigest()  # as sha256_file, without reading it twice
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in (";", "\t", ",") if d in first), ";")
    return _guarded(_split_csv(text, delimiter), name, out)


def _split_csv(text: str, delimiter: str) -> Iterator[list[str]]:
    """The rows :mod:`csv` reads from ``text``, one at a time. Text without quotes or a lone
    carriage return is split directly, which gives the same rows in less time."""
    plain = text.replace("\r\n", "\n") if "\r" in text else text
    if '"' not in plain and "\r" not in plain:
        lines = plain.split("\n")
        if lines[-1] == "":
            lines.pop()
        # csv refuses a field longer than its limit: such text goes the csv way, as before
        if max(map(len, lines), default=0) <= csv.field_size_limit():
            if "" in lines:  # csv reads an empty line as no cells, not one empty cell
                return (line.split(delimiter) if line else [] for line in lines)
            return map(str.split, lines, itertools.repeat(delimiter))
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _guarded(rows: Iterator[list[str]], name: str, out: HistoryFile) -> Iterator[list[str]]:
    """The rows until one that :mod:`csv` cannot read (an unclosed quote, a field over its
    limit): that row becomes a Problem with its line, and reading stops there."""
    n = 0
    try:
        for n, row in enumerate(rows, start=1):  # noqa: B007 - n is the last row read
            yield row
    except csv.Error as exc:
        out.problems.append(problem(
            "history-csv-unreadable", file=name, row=n + 1,
            reason=_csv_reason(exc), limit=f"{csv.field_size_limit():,}".replace(",", "\u00a0")))


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "ett fält är för långt"
    if "EOF" in text or "quote" in text:
        return "ett citattecken stängs inte"
    return text


def _read_xlsx(path: Path, name: str, out: HistoryFile) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    from reportkit.workbook.safety import preflight

    refused = preflight(path)
    if refused:
        for p in refused:
            out.problems.append(problem(p.code, file=name, **p.values))
        return []
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        return [list(r) for r in wb.get_sheet_by_index(0).to_python(skip_empty_area=True)]
    except Exception as exc:  # calamine raises several classes for broken files
        out.problems.append(problem("file-corrupt", file=name, reason=str(exc)[:200]))
        return []


def load_history(conn: sqlite3.Connection, project: Project, loaded_at: str,
                 model: Styrmodell | None = None) -> HistoryLoad:
    """Read the project's history files; write them to the store if any of them changed.

    Call inside the consolidation's transaction. Files that disappeared take their rows with
    them. Rows present in an earlier file (CSV before xlsx) are kept from that file and the
    later ones reported as duplicates.
    """
    result = HistoryLoad()
    folder = project.history_file().parent
    earlier = earlier_ids(earlier_models(project.root, model.year)) if model is not None else {}
    files = [parse_history(p, f"{folder.name}/{p.name}", model, earlier)
             for p in history_files(project)]
    seen: dict[tuple[int, str, str, str], tuple[str, int]] = {}
    for f in files:
        if len(files) > 1:  # one file: parse_history has already left its duplicates out
            kept = []
            for row in f.rows:
                first = seen.get(row[:4])
                if first is not None:
                    f.problems.append(problem(
                        "history-duplicate-row", file=f.name, row=row[5], indicator=row[3],
                        unit=row[2], year=row[0], period=row[1],
                        first=f"{first[1]} i {first[0]}"))
                    continue
                seen[row[:4]] = (f.name, row[5])
                kept.append(row)
            f.rows = kept
        result.problems.extend(f.problems)
    stored = queries.source_files(conn, KIND)
    if stored == {f.name: f.sha256 for f in files if f.sha256}:
        return result
    for name in stored:
        queries.forget_history_file(conn, KIND, name)
    for f in files:
        if f.sha256:
            store.load_history_rows(conn, f.name, f.sha256, loaded_at, f.rows)
            result.loaded += len(f.rows)
    return result


# -- the store is the history (docs/historik.md, "Konsoliderade år") --------------------------

EarlierHistory: TypeAlias = dict[tuple[str, str], dict[int, float]]
"""Earlier years' utfall by (indicator id, unit id): ``{year: value}``."""


def earlier_models(root: Path | None, year: int | None) -> list[Styrmodell]:
    """The project's styrmodeller of the years before ``year`` (None: all years) that load,
    oldest first (none for a store outside a project). A year whose file has a fel is left
    out."""
    if root is None or not (root / "styrmodell").is_dir():
        return []
    project = Project(root)
    out = []
    for y in project.years():
        if year is None or y < year:
            try:
                out.append(project.styrmodell(y))
            except ReportkitError:
                continue
    return out


def matching_period(earlier: Styrmodell, period: Period) -> Period | None:
    """The period of an earlier year that is "the same period" as ``period``: for a plan or a
    helår, that year's helår; otherwise the period of the same type that ends on the same day
    of the year (2027-delår to 31 August → 2026's delår to 31 August). None when it has none."""
    if period.type in ("plan", "helår"):
        found = [p for p in earlier.config.periods if p.type == "helår"]
    else:
        end = (period.end.month, period.end.day)
        found = [p for p in earlier.config.periods
                 if p.type == period.type and (p.end.month, p.end.day) == end]
    return found[-1] if found else None


def matched_periods(root: Path | None, model: Styrmodell, period: Period) -> dict[str, int]:
    """``{period id: year}`` of the earlier years' periods matching ``period``."""
    out = {}
    for earlier in earlier_models(root, model.year):
        found = matching_period(earlier, period)
        if found is not None:
            out[found.id] = earlier.year
    return out


def store_values(conn: sqlite3.Connection, periods: dict[str, int]
                 ) -> dict[tuple[int, str, str], float]:
    """``{(year, unit id, indicator id): utfall}`` of the consolidated ``periods`` (``{period
    id: year}``): per unit the submission of the latest live decision covering it, otherwise
    the draft's (:func:`reportkit.storage.decisions.settled_submissions`)."""
    from reportkit.storage.decisions import settled_submissions

    chosen = {sid: (periods[pid], unit)
              for (pid, unit), sid in settled_submissions(conn, sorted(periods)).items()}
    out: dict[tuple[int, str, str], float] = {}
    for sid, indicator, actual in queries.indicator_actuals(conn, chosen):
        year, unit = chosen[sid]
        out.setdefault((year, unit, indicator), actual)
    return out


def _wanted_type(period_type: str) -> str:
    """The history files' period type for a period of ``period_type`` (a halvår reads as a
    delår; a plan, a month or a quarter as helår)."""
    kind_of = {"halvår": "delår"}.get(period_type, period_type)
    return kind_of if kind_of in ("tertial", "delår") else "helår"


def _file_history(conn: sqlite3.Connection, year: int, period_type: str) -> EarlierHistory:
    """The history files' values in the store by (indicator, unit): the same period type where
    the file has it, else helår (:func:`queries.history_values`); the wanted period type's
    rows are read last, so they win."""
    history: EarlierHistory = {}
    for kind in dict.fromkeys(("helår", _wanted_type(period_type))):
        for hyear, unit_id, ind_id, value in queries.history_values(conn, year, kind):
            key = (ind_id, unit_id)
            years = history.get(key)
            if years is None:
                history[key] = {hyear: value}
            else:
                years[hyear] = value
    return history


def files_history(project: Project, model: Styrmodell, period: Period) -> EarlierHistory:
    """:func:`_file_history` read from the project's history files themselves (before the
    first consolidation there is no store); the first file's row wins over a later file's."""
    wanted = _wanted_type(period.type)
    history: EarlierHistory = {}
    for kind in dict.fromkeys(("helår", wanted)):
        for path in reversed(history_files(project)):  # the first file's rows written last
            for year, ptype, unit, indicator, value, _, _ in read_history(path):
                if ptype == kind and year < model.year and value is not None:
                    history.setdefault((indicator, unit), {})[year] = value
    return history


def earlier_history(conn: sqlite3.Connection | None, model: Styrmodell, period: Period,
                    root: Path | None = None, files: EarlierHistory | None = None
                    ) -> EarlierHistory:
    """Every earlier year's utfall of the project, by (indicator, unit): the history files'
    values (``files``, else those loaded into the store), and over them the consolidated
    periods of earlier years that match ``period`` (:func:`matching_period`; the store wins
    where both have a value). An indicator's ``tidigare_id`` brings the values kept under its
    earlier ids (its own id's win)."""
    if files is not None:
        history = files
    else:
        history = _file_history(conn, model.year, period.type) if conn is not None else {}
    if conn is not None:
        for (year, unit, indicator), value in store_values(
                conn, matched_periods(root, model, period)).items():
            history.setdefault((indicator, unit), {})[year] = value
    return _renamed(history, model)


def _renamed(history: EarlierHistory, model: Styrmodell) -> EarlierHistory:
    renamed: dict[str, list[str]] = {}
    for ind_id, (spec, _goal) in model.indicators.items():
        for old in spec.earlier_ids:
            if old != ind_id:
                renamed.setdefault(old, []).append(ind_id)
    if not renamed:
        return history
    for (indicator, unit), years in list(history.items()):
        for new in renamed.get(indicator, ()):
            into = history.setdefault((new, unit), {})
            for y, v in years.items():
                into.setdefault(y, v)
    return history


def previous_year(history: EarlierHistory, year: int) -> dict[tuple[str, str], float]:
    """The year before ``year`` by (unit, indicator): the "Utfall förra året" of a workbook."""
    return {(unit, ind): years[year - 1] for (ind, unit), years in history.items()
            if years.get(year - 1) is not None}


def history_inputs(conn: sqlite3.Connection, root: Path | None, model: Styrmodell
                   ) -> list[Any]:
    """What the earlier years' part of a roll-up of ``model``'s year is made of, for a
    fingerprint: the earlier styrmodell files, and their periods' submissions and decisions
    in the store. Re-consolidating (or deciding) 2026 changes 2027's fingerprint."""
    models = earlier_models(root, model.year)
    if root is None or not models:
        return []
    from reportkit.storage.decisions import settled_inputs

    files = [sha256_file(root / "styrmodell" / f"{m.year}.yaml") for m in models]
    ids = sorted(p.id for m in models for p in m.config.periods)
    return [files, settled_inputs(conn, ids)]


def store_disagreements(conn: sqlite3.Connection, root: Path, model: Styrmodell
                        ) -> list[Problem]:
    """A varning per history file row whose year, period type, unit and indicator a
    consolidated period of an earlier year also holds, with another value (the store's value
    is used: docs/historik.md). A helår row is compared with that year's helår; a delår or
    tertial row with the year's period of that type when the year has exactly one."""
    from reportkit.formats import format_value

    periods: dict[str, tuple[int, str]] = {}
    units: dict[str, str] = {}
    stored = queries.stored_periods(conn)
    for m in earlier_models(root, model.year):
        for kind in PERIOD_TYPES:
            found = [p for p in m.config.periods if p.type == kind]
            if (len(found) == 1 or kind == "helår" and found) and found[-1].id in stored:
                periods[found[-1].id] = (m.year, kind)
        units.update({i: spec.unit for i, (spec, _goal) in m.indicators.items()})
    if not periods:
        return []
    values = store_values(conn, {pid: year for pid, (year, _kind) in periods.items()})
    by_year = {(year, kind): pid for pid, (year, kind) in periods.items()}
    out = []
    for year, kind, unit, indicator, value, file, row in queries.history_rows(
            conn, {year for year, _kind in periods.values()}):
        pid = by_year.get((year, kind))
        held = values.get((year, unit, indicator)) if pid is not None else None
        if value is None or held is None or abs(held - value) <= 1e-9 * max(1.0, abs(value)):
            continue
        shown = units.get(indicator, "")
        out.append(problem(
            "history-store-differs", file=file, row=row, column="utfall", indicator=indicator,
            unit=unit, year=year, period=kind, file_value=format_value(value, shown),
            store_value=format_value(held, shown), source=pid))
    return out


# -- export ----------------------------------------------------------------------------------

EXPORT_NAME = "historik-export.csv"


def history_table(conn: sqlite3.Connection, root: Path | None
                  ) -> list[tuple[int, str, str, str, float]]:
    """The whole history: ``(year, period type, unit, indicator, value)`` of the history files
    and, over them, every consolidated helår, delår and tertial of the project's styrmodeller
    (per unit the rule of :func:`store_values`; a year with several delår or tertial gives
    the last of them), by year, period, unit and indicator."""
    rows: dict[tuple[int, str, str, str], float] = {}
    for year, kind, unit, indicator, value, _file, _row in queries.history_rows(conn):
        if value is not None:
            rows[(year, kind, unit, indicator)] = value
    if root is not None:
        stored = queries.stored_periods(conn)
        for m in earlier_models(root, None):
            kinds: dict[str, str] = {}
            for p in m.config.periods:
                kind = {"halvår": "delår"}.get(p.type, p.type)
                if kind in PERIOD_TYPES and p.id in stored:
                    kinds[kind] = p.id  # the last of its type
            for kind, pid in kinds.items():
                for (year, unit, indicator), value in store_values(conn, {pid: m.year}).items():
                    rows[(year, kind, unit, indicator)] = value
    return [(*key, value) for key, value in sorted(rows.items())]


def _csv_number(value: float) -> str:
    from decimal import Decimal

    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text.replace(".", ",")


def export_history(project: Project | Path | str, out: Path | None = None) -> tuple[Path, int]:
    """``reportkit historik``: the history in the store (the history files' rows and every
    consolidated year) as one CSV file in the shape of ``historik/utfall.csv`` (semicolons,
    decimal comma, UTF-8 with BOM so Excel reads å, ä, ö). Written to ``out`` (default
    ``rapporter/historik-export.csv``); returns the path and the number of rows."""
    from reportkit.files import write_bytes_atomic
    from reportkit.styrmodell.project import as_project

    project = as_project(project)
    if not project.store_path.exists():
        raise ReportkitError(problem("history-no-store", path=str(project.root)))
    conn = store.connect(project.store_path)
    try:
        rows = history_table(conn, project.root)
    finally:
        conn.close()
    lines = [";".join(COLUMNS)]
    lines += [f"{year};{kind};{unit};{indicator};{_csv_number(value)}"
              for year, kind, unit, indicator, value in rows]
    path = out or project.root / "rapporter" / EXPORT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, ("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path, len(rows)
