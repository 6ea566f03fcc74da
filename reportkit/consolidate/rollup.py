"""Roll the accepted submissions of a period up the goal chain: enhet → verksamhet → nämnd → KF.

For every goal: its indicators (aggregated over the units that measure them, by the
indicator's rule), the förslag from those indicators (or, for a goal without indicators, from
the goals linked below it), the underlag (the final statuses of the goals below, counted per
status; a goal with two parents counts under both), and the bedömning its own level made in
its workbook. The final status is that bedömning, or the förslag where the level has not
judged. Everything computed here is recomputed from stored values; nothing is trusted from a
workbook's formula cells. The draft's roll-up is remembered in the store's run cache:
consolidate computes it (:func:`remember`), render reads it back (:func:`compute_cached`).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reportkit import texts
from reportkit.consolidate.history import earlier_history, history_inputs
from reportkit.consolidate.sourced import SourcedValue, earlier_years, sourced_values
from reportkit.memory import collector_paused
from reportkit.storage import queries
from reportkit.storage.decisions import Decision, version_submissions
from reportkit.storage.kolada import state as kolada_state
from reportkit.storage.store import active_submissions
from reportkit.styrmodell import assess
from reportkit.styrmodell.applicable import not_applicable
from reportkit.styrmodell.model import LEVELS, GoalNode, OrgUnit, Styrmodell, measures
from reportkit.styrmodell.periods import is_interim
from reportkit.styrmodell.source import GENDERS, KOLADA_FILE, gender_text
from reportkit.styrmodell.targets import (
    Target,
    TargetTrend,
    target_from_json,
    target_to_json,
)
from reportkit.version import code_stamp
from reportkit.workbook.content import scale_of

if TYPE_CHECKING:
    from reportkit.styrmodell.config import Indicator, Period


@dataclass(slots=True)  # tens of thousands of them: no __dict__ each
class Measurement:
    """One unit's value of an indicator, with where it came from."""

    unit_id: str
    actual: float | None
    forecast: float | None
    comment: str
    file: str
    sha256: str
    sheet: str
    cell: str | None
    reading: str = ""
    """How the share-or-percent rule read the actual (explain), '' where it did not decide."""
    by_gender: dict[str, tuple[float | None, str | None]] = field(default_factory=dict)
    """Kvinnor's and män's utfall typed beside ``actual`` (``kön: ja``): ``{"K": (65.0,
    "H7")}``, the value and its cell; a kön not given is absent."""


@dataclass(slots=True)  # tens of thousands of them: no __dict__ each
class IndicatorResult:
    indicator_id: str
    goal_id: str
    name: str
    unit: str
    direction: str
    target: Target | None
    actual: float | None
    forecast: float | None
    aggregation: str
    degree: float | None
    status: str
    rule: str
    measurements: list[Measurement] = field(default_factory=list)
    history: dict[int, float] = field(default_factory=dict)
    missing_units: list[str] = field(default_factory=list)
    source_note: str = ""
    """"senaste tillgängliga värde (år)" when an export- or Kolada-sourced value (or one of
    ``mätår: föregående``) is older than the period's year, "ej hämtat" without one, and
    kvinnor and män for ``kön: ja``; "" otherwise."""
    by_gender: dict[str, float | None] = field(default_factory=dict)
    """``kön: ja``: {"K": kvinnor, "M": män} beside ``actual`` (the total, T)."""


@dataclass(slots=True)  # tens of thousands of them: no __dict__ each
class GoalResult:
    goal_id: str
    level: str
    owner: str
    proposal: str | None
    proposal_degree: float | None
    proposal_rule: str
    underlag: dict[str, int]
    underlag_proposal: str | None
    assessment: str | None
    assessed_by: str | None
    chosen: bool
    motivation: str
    analysis: str
    actions: str
    plan_comment: str
    final: str | None
    indicators: list[IndicatorResult] = field(default_factory=list)
    source: tuple[str, str, str] | None = None  # file, sheet, cell of the bedömning
    source_sha256: str = ""  # SHA-256 of that file

    @property
    def deviates(self) -> bool:
        return self.chosen and self.assessment is not None and \
            assess.needs_motivation(self.proposal, self.assessment)


class Record(Protocol):
    """A store row read by column name: a ``sqlite3.Row``, or a dict once through the run
    cache (:func:`compute_cached`)."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


@dataclass
class PeriodResults:
    period: str
    goals: dict[str, GoalResult]
    texts: dict[str, dict[str, str]]
    activities: Mapping[str, Sequence[Record]]
    submitted: Mapping[str, Record]
    scale: assess.Scale
    financial: dict[tuple[str, str], Measurement] = field(default_factory=dict)
    """The export- and Kolada-sourced indicators' figures (``källa``; the finansiella mål's
    from ``finansiella_mål``), by (indicator, measuring unit)."""


def _aggregate(values: list[float], rule: str) -> float | None:
    if not values:
        return None
    if rule == "summa":
        return sum(values)
    if rule == "min":
        return min(values)
    if rule == "max":
        return max(values)
    return sum(values) / len(values)


def _typed_by_gender(ind: Indicator, measured: list[Measurement], rule: str
                     ) -> dict[str, float | None]:
    """Kvinnor's and män's utfall of an indicator split by kön (``kön: ja``) typed in the
    units' styrkort, each combined over the units as the total is (``rule``); a kön no
    unit gave is None, and ``{}`` when none gave either (or the indicator is not split)."""
    if not ind.by_gender:
        return {}
    out: dict[str, float | None] = {}
    for letter, _ in GENDERS:
        values = [v for m in measured if (v := m.by_gender.get(letter, (None, None))[0])
                  is not None]
        out[letter] = _aggregate(values, rule)
    return out if any(v is not None for v in out.values()) else {}


def _measuring_units(model: Styrmodell) -> Callable[[Indicator, GoalNode], list[OrgUnit]]:
    """:meth:`Styrmodell.measuring_units` with every unit's descendants per level indexed once
    (the model walks the whole tree for each call: minutes for 1,500 units)."""
    below: dict[tuple[str, str], list[OrgUnit]] = {}
    for unit in model.units.values():  # the model's order, as descendants() returns them
        parent = unit.parent
        while parent is not None:
            below.setdefault((parent, unit.level), []).append(unit)
            parent = model.units[parent].parent

    order = {u: i for i, u in enumerate(model.units)}
    chosen: dict[tuple[str, str], list[OrgUnit]] = {}

    def measuring_units(indicator: Indicator, goal: GoalNode) -> list[OrgUnit]:
        on = indicator.measured_at
        if on is None or isinstance(on, str):
            level = on or goal.level
            if level == goal.level:
                return [model.units[goal.owner]]
            return list(below.get((goal.owner, level), []))
        found = chosen.get((indicator.id, goal.id))
        if found is None:  # a list of units or a category: those at or below the owner
            found = sorted((u for lv in LEVELS for u in below.get((goal.owner, lv), ())
                            if measures(u, indicator, goal)), key=lambda u: order[u.id])
            owner = model.units[goal.owner]
            if measures(owner, indicator, goal):
                found.insert(0, owner)
            chosen[(indicator.id, goal.id)] = found
        return list(found)

    return measuring_units


def _history_of(unit_history: list[dict[int, float]], rule: str, n_units: int
                ) -> dict[int, float]:
    """An indicator's earlier years, aggregated over its units' histories (in unit order)."""
    if not unit_history:
        return {}
    if len(unit_history) == 1:
        only = unit_history[0]
        if rule == "summa" and n_units != 1:
            return {}
        if rule in ("min", "max"):
            return {y: only[y] for y in sorted(only)}
        # _aggregate of one value: sum([v]) is 0 + v (-0.0 becomes 0.0), the mean divides by 1
        if rule == "summa":
            return {y: 0 + only[y] for y in sorted(only)}
        return {y: (0 + only[y]) / 1 for y in sorted(only)}
    hist: dict[int, list[float]] = {}
    for years in unit_history:
        for y, v in years.items():
            vs = hist.get(y)
            if vs is None:
                hist[y] = [v]
            else:
                vs.append(v)
    # a sum over some of the units would look like a fall: only whole years are summed
    return {y: _aggregate(vs, rule) for y, vs in sorted(hist.items())  # type: ignore[misc]
            if rule != "summa" or len(vs) == n_units}


_NOT_FOLLOWED_UP = assess.IndicatorResult(
    None, assess.EJ_UPPFOLJT, "följs inte upp denna period (nivån lämnar inget styrkort i den)")


def _assess(memo: dict[tuple[Any, ...], assess.IndicatorResult], value: float | bool | None,
            target: Target | None, ind: Indicator, scale: assess.Scale, due: bool,
            previous: float | None = None) -> assess.IndicatorResult:
    """:func:`assess.assess_indicator`, remembered for the same inputs within one roll-up (a
    large kommun has the same utfall and målvärde on many units). The key holds the types
    (True and 1.0 are equal keys) and zeros are never remembered (0.0 and -0.0 are equal keys
    but can give a degree of 0.0 or -0.0)."""
    baseline = ind.baseline
    key = (type(value), value, type(target), target, type(baseline), baseline,
           ind.direction, ind.target_type, due, type(previous), previous)
    res = memo.get(key)
    if res is None:
        res = assess.assess_indicator(
            value, target, direction=ind.direction, target_type=ind.target_type,
            baseline=baseline, scale=scale, due=due, previous=previous)
        if value != 0 and target != 0 and baseline != 0 and previous != 0:
            memo[key] = res
    return res


def _combine(memo: dict[tuple[Any, ...], assess.GoalResult],
             results: list[assess.IndicatorResult], rule: str,
             scale: assess.Scale) -> assess.GoalResult:
    """:func:`assess.combine_indicators`, remembered for the same degrees and statuses within
    one roll-up; never for a zero degree (0.0 and -0.0 are equal keys)."""
    key = (rule, *((r.degree, r.status) for r in results))
    combined = memo.get(key)
    if combined is None:
        combined = assess.combine_indicators(results, rule, scale)
        if all(r.degree != 0 for r in results):
            memo[key] = combined
    return combined


def compute(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
            version: Decision | None = None) -> PeriodResults:
    """The period's roll-up from the draft (the active submissions) or a decided ``version``."""
    with collector_paused():  # a large kommun's roll-up is ~10^6 objects and no cycles
        return _compute(conn, model, period_id, version)


def _compute(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
             version: Decision | None) -> PeriodResults:
    period = model.period(period_id)
    assert period is not None
    subs = version_submissions(conn, version) if version is not None \
        else active_submissions(conn, period_id)
    rows = _submitted_rows(conn, period_id, {r["id"]: r for r in subs.values()})
    sourced = sourced_values(conn, model, period, version)
    financial = {k: _measurement(v) for k, v in sourced.items() if v.note == ""}
    for key, fig in financial.items():
        unit_value = rows.values.get(key)
        if unit_value is not None and sourced[key].on_forecast:
            # the workbook's utfall so far stays; the ekonom's helårsprognos is the prognos
            fig = Measurement(fig.unit_id, unit_value.actual, fig.forecast, unit_value.comment,
                              fig.file, fig.sha256, fig.sheet, fig.cell)
        elif unit_value is not None and fig.forecast is None and is_interim(period.type):
            # an utfall so far from the export (sjukfrånvaro); the unit's prognos stays
            fig = Measurement(fig.unit_id, fig.actual, unit_value.forecast, fig.comment,
                              fig.file, fig.sha256, fig.sheet, fig.cell)
        rows.values[key] = fig
    history = earlier_history(conn, model, period, _root(conn))
    for key, years in earlier_years(conn, model, sourced).items():
        history[key] = {**history.get(key, {}), **years}  # the export's years win
    roll = _RollUp(model, period, scale_of(model), rows.values, rows.entries, financial,
                   history, _measuring_units(model))
    roll.sourced = sourced
    results: dict[str, GoalResult] = {}
    # deepest level first, so every goal's children are done before it
    for goal in sorted(model.goals.values(), key=lambda g: -LEVELS.index(g.level)):
        results[goal.id] = roll.goal(goal, results)
    ordered = {g: results[g] for g in model.goals}
    return PeriodResults(period_id, ordered, rows.texts, rows.activities, subs, roll.scale,
                         financial)


@dataclass
class _SubmittedRows:
    """What the submissions in use hold, read from the store once for the roll-up."""

    values: dict[tuple[str, str], Measurement]
    """(indicator id, unit id) → the unit's measurement."""
    entries: dict[tuple[str, str], sqlite3.Row]
    """(goal id, unit id) → the unit's goal entry (bedömning, texts, cells)."""
    texts: dict[str, dict[str, str]]
    activities: dict[str, list[sqlite3.Row]]


def _submitted_rows(conn: sqlite3.Connection, period_id: str,
                    by_id: dict[int, sqlite3.Row]) -> _SubmittedRows:
    """The rows of the submissions ``by_id`` (the period's other submissions are skipped)."""
    values: dict[tuple[str, str], Measurement] = {}
    subs_of = {i: (r["unit_id"], r["file"], r["sha256"]) for i, r in by_id.items()}
    for sub_id, ind_id, actual, forecast, comment, sheet, cell, reading in \
            queries.indicator_values(conn, period_id):
        sub = subs_of.get(sub_id)
        if sub is None:
            continue
        values[(ind_id, sub[0])] = Measurement(sub[0], actual, forecast, comment or "", sub[1],
                                               sub[2], sheet, cell, reading or "")
    for sub_id, ind_id, gender, actual, cell in queries.gender_values(conn, period_id):
        sub = subs_of.get(sub_id)
        m = values.get((ind_id, sub[0])) if sub is not None else None
        if m is not None:
            m.by_gender[gender] = (actual, cell)
    entries: dict[tuple[str, str], sqlite3.Row] = {}
    for r in queries.goal_entries(conn, period_id):
        if r["submission_id"] in by_id:
            entries[(r["goal_id"], r["unit_id"])] = r
    texts: dict[str, dict[str, str]] = {}
    for r in queries.text_entries(conn, period_id):
        if r["submission_id"] in by_id:
            texts.setdefault(r["unit_id"], {})[r["key"]] = r["text"]
    activities: dict[str, list[sqlite3.Row]] = {}
    for r in queries.activities(conn, period_id):
        if r["submission_id"] in by_id:
            activities.setdefault(r["unit_id"], []).append(r)
    return _SubmittedRows(values, entries, texts, activities)


class _RollUp:
    """One roll-up's inputs and memos: :meth:`goal` computes a goal from its indicators and
    the goals below it."""

    def __init__(self, model: Styrmodell, period: Period, scale: assess.Scale,
                 values: dict[tuple[str, str], Measurement],
                 entries: dict[tuple[str, str], sqlite3.Row],
                 financial: dict[tuple[str, str], Measurement],
                 history: dict[tuple[str, str], dict[int, float]],
                 measuring_units: Callable[[Indicator, GoalNode], list[OrgUnit]]) -> None:
        self.model, self.period, self.scale = model, period, scale
        self.values, self.entries, self.financial = values, entries, financial
        self.history, self.measuring_units = history, measuring_units
        self.interim = is_interim(period.type)
        self.mandate = model.config.mandate
        self.every_period = period.type == "plan"
        self.assessed: dict[tuple[Any, ...], assess.IndicatorResult] = {}
        self.combined: dict[tuple[Any, ...], assess.GoalResult] = {}
        self.sourced: dict[tuple[str, str], SourcedValue] = {}

    def indicator(self, goal: GoalNode, ind: Indicator
                  ) -> tuple[IndicatorResult, assess.IndicatorResult]:
        """The indicator aggregated over its measuring units, and its assessment."""
        units = self.measuring_units(ind, goal)
        due = self.every_period or self.period.type in ind.measured_in
        ms = []
        missing: list[str] = []
        unit_history = []
        n_na = 0  # units that marked it Ej aktuell: left out of the aggregate
        for u in units:
            key = (ind.id, u.id)
            m = self.values.get(key)
            if m is None:
                missing.append(u.id)
            else:
                ms.append(m)
                if not_applicable(m.comment, m.actual) is not None:
                    n_na += 1
                    continue
            h = self.history.get(key)
            if h is not None:
                unit_history.append(h)
        applying = [m for m in ms if not_applicable(m.comment, m.actual) is None] \
            if n_na else ms
        measured = [m.actual for m in applying if m.actual is not None]
        forecasts = [m.forecast for m in applying if m.forecast is not None]
        rule = ind.aggregation if len(units) > 1 else "nivå"
        actual = _aggregate(measured, rule)
        forecast = _aggregate(forecasts, rule)
        target, of_mandate = ind.assessed_target(self.model.year, self.mandate)
        history = _history_of(unit_history, rule, len(units) - n_na)
        # a direction (ska öka) is compared with the year before's value
        previous = history.get(self.model.year - 1) if isinstance(target, TargetTrend) \
            else None
        if ind.target_type == "janej" and actual is not None:
            actual = bool(actual)
        fin, on_forecast, source_text, source_note = self.source_of(ind, units)
        if fin is None and not measured and source_note != "ej hämtat":
            source_text = source_note = ""  # no value of the year before either
        if fin is None and units and not self.every_period and not any(
                u.level in self.period.levels for u in units):
            res = _NOT_FOLLOWED_UP  # no level that measures it reports in the period
        elif fin is None and n_na and n_na == len(units):
            res = assess.assess_indicator(
                None, target, direction=ind.direction, target_type=ind.target_type,
                baseline=ind.baseline, scale=self.scale, due=due, applicable=False)
        else:
            res = _assess(self.assessed, forecast if on_forecast else actual, target, ind,
                          self.scale, due, previous)
        agg_text = "" if rule == "nivå" else \
            f"{rule} av {len(measured)} av {len(units)} enheters utfall; " + (
                f"{n_na} ej aktuell; " if n_na else "")
        mandate_text = f"mandatperiodens målvärde ({self.mandate.text}); " if of_mandate \
            else ""
        if source_text:
            agg_text = source_text if len(units) == 1 else agg_text + source_text
        split = dict(fin.by_gender) if fin is not None and len(units) == 1 else \
            _typed_by_gender(ind, applying, rule) if fin is None else {}
        if split and fin is None:  # typed in the styrkort: shown as an export's split is
            shown = gender_text(split.items(), ind.unit, ind.decimals, ind.gender_words)
            source_note = f"{source_note}; {shown}" if source_note else shown
            agg_text += f"{shown}; "
        return IndicatorResult(
            ind.id, goal.id, ind.name, ind.unit, ind.direction, target,
            actual if not isinstance(actual, bool) else float(actual), forecast, rule,
            res.degree, res.status, agg_text + mandate_text + res.rule, ms, history,
            missing, source_note, split), res

    def source_of(self, ind: Indicator, units: list[OrgUnit]
                  ) -> tuple[SourcedValue | None, bool, str, str]:
        """For an export- or Kolada-sourced indicator (``källa``): one of its figures (None
        when there is none), whether it is assessed on the ekonom's prognos, the rule's
        opening words and the documents' note; ``(None, False, "", "")`` for a workbook one."""
        found = [v for u in units if (v := self.sourced.get((ind.id, u.id))) is not None]
        if not found:
            if ind.measurement_year == "föregående":  # the units typed the year before's
                note = texts.latest_available(self.model.year - 1)
                return None, False, f"{note}; ", note
            return None, False, "", ""
        have = [v for v in found if not v.note]
        if not have:
            return None, False, found[0].note + "; ", "ej hämtat"
        first = have[0]
        on_forecast = self.interim and any(v.on_forecast for v in have)
        src = first.source
        if src.kind == "export" and src.figure_kind == "nyckeltal":
            said = "ekonomiavdelningens helårsprognos" if on_forecast else \
                "utfall enligt ekonomiavdelningen"
        else:
            said = f"utfall enligt {src.where}"
        where = f"{first.refs[0].file}, {first.cell()}" if first.refs else ""
        if first.fetched:
            where += f", hämtad {first.fetched}"
        text = f"{said} ({where}); " if len(units) == 1 else f"ur {src.where}; "
        years = [v.year for v in have if v.year is not None]
        note = texts.latest_available(max(years)) \
            if years and max(years) < self.model.year else ""
        if note:
            text = f"{note}, " + text
        if first.by_gender and len(units) == 1:
            split = first.gender_text(ind.unit, ind.decimals, ind.gender_words)
            text += f"{split}; "
            note = f"{note}; {split}" if note else split
        return first, on_forecast, text, note

    def goal(self, goal: GoalNode, done: dict[str, GoalResult]) -> GoalResult:
        """The goal's förslag (from its indicators, else the underlag of the goals below it
        in ``done``), its own level's bedömning and the final status."""
        model, scale = self.model, self.scale
        pairs = [self.indicator(goal, ind) for ind in goal.indicators]
        ind_results = [p[0] for p in pairs]
        combine = goal.combine or model.config.assessment.combine
        child_status = [done[c].final for c in goal.children if c in done]
        underlag = assess.roll_up(child_status, model.config.assessment.rollup, scale) \
            if goal.children else None
        if ind_results:
            # combine_indicators reads degree and status only
            combined = _combine(self.combined, [p[1] for p in pairs], combine, scale)
            proposal, degree, prule = combined.status, combined.degree, combined.rule
        elif underlag is not None and underlag.proposal is not None:
            proposal, degree, prule = underlag.proposal, None, "underlag: " + underlag.rule
        elif not self.every_period and goal.level not in self.period.levels:
            proposal, degree, prule = assess.EJ_UPPFOLJT, None, _NOT_FOLLOWED_UP.rule
        else:
            proposal, degree, prule = None, None, "inget underlag"
        entry = self.entries.get((goal.id, goal.owner))
        chosen = bool(entry["chosen"]) if entry else False
        assessment = entry["assessment"] if entry and chosen else (proposal if entry else None)
        source = None
        if entry:
            cells = json.loads(entry["cells"])
            source = (entry["file"], entry["sheet"], cells.get("assessment", ""))
        return GoalResult(
            goal.id, goal.level, goal.owner, proposal, degree, prule,
            underlag.counts if underlag else {}, underlag.proposal if underlag else None,
            assessment, goal.owner if entry else None, chosen,
            (entry["motivation"] or "") if entry else "", (entry["analysis"] or "") if entry
            else "", (entry["actions"] or "") if entry else "",
            (entry["plan_comment"] or "") if entry else "",
            assessment if assessment is not None else proposal, ind_results, source,
            entry["sha256"] if entry else "")


def _measurement(v: SourcedValue) -> Measurement:
    """A sourced figure as the roll-up holds a unit's value: its file, no sheet, the row and
    column as the cell."""
    src = v.refs[0] if v.refs else None
    return Measurement(v.unit_id, v.actual, v.forecast, "", src.file if src else "",
                       src.sha256 if src else "", "", v.cell() or None)


CACHE_FORMAT = 2
"""Raised when what :func:`remember` writes changes shape."""


def _root(conn: sqlite3.Connection) -> Path | None:
    """The project folder of a store in a project's ``reportkit.sqlite`` (None in memory)."""
    path = queries.database_path(conn)
    return path.parent if path is not None else None


def cache_key(period_id: str) -> str:
    return f"rollup:{period_id}"


def _file_hash(path: Path) -> str | None:
    from reportkit.files import sha256_file

    try:
        return sha256_file(path)
    except OSError:
        return None


def inputs(conn: sqlite3.Connection, root: Path, model: Styrmodell,
           period_id: str, *, draft: bool = True) -> list[Any]:
    """Everything the draft of ``period_id`` in the project at ``root`` is made of, for a
    fingerprint: the period's submissions (which are active), the history and export files in
    the store, the period's export loads, the styrmodell file, ``data/import.yaml``, the
    earlier years' styrmodell files, submissions and decisions (their values are this year's
    history: :func:`~reportkit.consolidate.history.history_inputs`) and the code. The
    roll-up's :func:`fingerprint` and consolidate's outputs (with the decisions) are keyed
    by it. ``draft=False``: without which submissions are active (a decided version names
    its own: :func:`fingerprint`)."""
    submissions, *loaded = queries.draft_inputs(conn, period_id)
    return [
        period_id, model.year,
        *([submissions] if draft else []), *loaded,
        _file_hash(root / "styrmodell" / f"{model.year}.yaml"),
        _file_hash(root / "data" / "import.yaml"),
        *([h] if (h := _file_hash(root / "data" / KOLADA_FILE)) else []),
        ("kolada", kolada_state(conn)),
        # the years before's exports as they lie (consolidate.sourced.earlier_years)
        *[(p.name, _file_hash(p)) for y in (model.year - 2, model.year - 1)
          for p in sorted((root / "data" / f"{y}-helår").glob("*")) if p.is_file()],
        history_inputs(conn, root, model),
        code_stamp(),
    ]


def fingerprint(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
                version: Decision | None = None) -> str | None:
    """A hash of everything the draft's roll-up of ``period_id`` is made of (:func:`inputs`);
    for a decided ``version`` the decision and every row of the decision tables (which
    submissions, exports and Kolada values it froze) instead of the draft's active
    submissions. None for a store outside a project (in memory), which is never cached."""
    import dataclasses
    import hashlib

    path = queries.database_path(conn)
    if path is None:
        return None
    decided = [] if version is None else [
        "beslut", dataclasses.astuple(version), queries.decision_rows(conn)]
    parts = [CACHE_FORMAT, *decided,
             *inputs(conn, path.parent, model, period_id, draft=version is None)]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _rows(rows: Sequence[Record]) -> list[Any]:
    """Store rows (or dicts) as ``[columns, values…]``: the column names once."""
    if not rows:
        return []
    columns = list(rows[0].keys())
    return [columns, *([r[c] for c in columns] for r in rows)]


def _unrows(data: list[Any]) -> list[Record]:
    if not data:
        return []
    columns = data[0]
    return [dict(zip(columns, values, strict=True)) for values in data[1:]]


_GOAL_FIELDS = [f for f in GoalResult.__dataclass_fields__ if f != "indicators"]
_INDICATOR_FIELDS = [f for f in IndicatorResult.__dataclass_fields__
                     if f not in ("measurements", "history")]  # by_gender: str keys, JSON-safe


def _encode(results: PeriodResults) -> bytes:
    """``results`` as compact JSON, deflated (no pickle: the store lives in a shared project
    folder); a measurement's file and SHA-256 are an index into one list. Written goal by
    goal into the compressor: json.dumps of the whole roll-up at once held a million small
    strings (+65 MiB on Storstad for a 12.7 MB text)."""
    sources: dict[tuple[str, str], int] = {}
    packer = zlib.compressobj(1)
    out: list[bytes] = []

    def put(text: str) -> None:
        out.append(packer.compress(text.encode("utf-8")))

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def measurement(m: Measurement) -> list[Any]:
        src = sources.setdefault((m.file, m.sha256), len(sources))
        return [m.unit_id, m.actual, m.forecast, m.comment, src, m.sheet, m.cell,
                *([m.by_gender] if m.by_gender else [])]

    def indicator(i: IndicatorResult) -> list[Any]:
        return [*(target_to_json(i.target) if f == "target" else getattr(i, f)
                  for f in _INDICATOR_FIELDS),
                [measurement(m) for m in i.measurements], list(i.history.items())]

    put(f'{{"period":{dumps(results.period)},"goals":[')
    for n, g in enumerate(results.goals.values()):
        put(("," if n else "") + dumps(
            [*(getattr(g, f) for f in _GOAL_FIELDS), [indicator(i) for i in g.indicators]]))
    put(f'],"texts":{dumps(results.texts)},"activities":{{')
    for n, (unit, acts) in enumerate(results.activities.items()):
        put(("," if n else "") + f"{dumps(unit)}:{dumps(_rows(acts))}")
    financial = [[ind, owner, measurement(m)] for (ind, owner), m in results.financial.items()]
    submitted = [list(results.submitted), _rows(list(results.submitted.values()))]
    put(f'}},"submitted":{dumps(submitted)},"financial":{dumps(financial)}'
        f',"sources":{dumps([list(s) for s in sources])}}}')
    out.append(packer.flush())
    return b"".join(out)


def _decode(blob: bytes, scale: assess.Scale) -> PeriodResults:
    data = json.loads(zlib.decompress(blob))
    sources = data["sources"]

    def measurement(m: list[Any]) -> Measurement:
        file, sha = sources[m[4]]
        return Measurement(m[0], m[1], m[2], m[3], file, sha, m[5], m[6],
                           by_gender={g: (v, c) for g, (v, c) in m[7].items()}
                           if len(m) > 7 else {})

    n_ind = len(_INDICATOR_FIELDS)
    n_goal = len(_GOAL_FIELDS)
    goals: dict[str, GoalResult] = {}
    for g in data["goals"]:
        inds = []
        for i in g[n_goal]:
            res = IndicatorResult(**dict(zip(_INDICATOR_FIELDS, i[:n_ind], strict=True)))
            res.target = target_from_json(res.target)
            res.measurements = [measurement(m) for m in i[n_ind]]
            res.history = {int(y): v for y, v in i[n_ind + 1]}
            inds.append(res)
        values = dict(zip(_GOAL_FIELDS, g[:n_goal], strict=True))
        if values["source"] is not None:
            values["source"] = tuple(values["source"])
        goals[values["goal_id"]] = GoalResult(**values, indicators=inds)
    financial = {(ind, owner): measurement(m) for ind, owner, m in data["financial"]}
    units, rows = data["submitted"]
    return PeriodResults(data["period"], goals, data["texts"],
                         {u: _unrows(acts) for u, acts in data["activities"].items()},
                         dict(zip(units, _unrows(rows), strict=True)), scale, financial)


def remember(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
             results: PeriodResults) -> None:
    """Keep the draft's roll-up in the store's run cache for :func:`compute_cached` (what
    ``reportkit consolidate`` calls after computing it, inside its transaction)."""
    key = fingerprint(conn, model, period_id)
    if key is None:
        return
    with collector_paused():  # millions of small lists, no cycles
        data = _encode(results)
    queries.cache_put_raw(conn, cache_key(period_id), key, data)


def compute_cached(conn: sqlite3.Connection, model: Styrmodell, period_id: str,
                   version: Decision | None = None) -> PeriodResults:
    """:func:`compute`, or the roll-up remembered from the same inputs: the draft's, which
    consolidate remembered; a decided ``version``'s, remembered here the first time it is
    computed (its site and documents are made again and again from the same frozen
    submissions: 2 s on Storstad each time). Nothing is remembered when the store cannot be
    written now (a consolidation holds it): it is computed again next time."""
    key = fingerprint(conn, model, period_id, version)
    name = cache_key(period_id) + ("" if version is None else f":beslut:{version.id}")
    if key is not None:
        row = queries.cache_get_raw(conn, name)
        if row is not None and row[0] == key:
            try:
                with collector_paused():  # millions of small lists, no cycles
                    return _decode(row[1], scale_of(model))
            except (ValueError, TypeError, KeyError, IndexError, zlib.error):
                pass  # an unreadable entry: compute again
    results = compute(conn, model, period_id, version=version)
    if version is not None and key is not None:
        _remember_version(conn, name, key, results)
    return results


def _remember_version(conn: sqlite3.Connection, name: str, key: str,
                      results: PeriodResults) -> None:
    from reportkit.storage import store

    with collector_paused():
        data = _encode(results)
    store.cache_put_if_free(conn, name, key, data)
