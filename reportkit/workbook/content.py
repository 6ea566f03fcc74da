"""What goes into one unit's workbook for one period, decided from the styrmodell.

Pure data, no spreadsheet library: :func:`build_content` picks the goals the unit assesses,
the indicators it measures (its own and those it reports for goals above it), last year's
outcomes, and the texts the period asks of its level. ``generate.py`` writes it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from reportkit import texts
from reportkit.styrmodell.assess import DEFAULT_SCALE, EJ_MATT, Scale
from reportkit.styrmodell.config import Indicator, Period
from reportkit.styrmodell.kinds import node_name
from reportkit.styrmodell.model import Styrmodell, measures
from reportkit.styrmodell.periods import is_interim
from reportkit.styrmodell.source import source_of
from reportkit.styrmodell.targets import Mandate, Target
from reportkit.workbook import layout, plausible

DEFAULT_NOT_MEASURED = DEFAULT_SCALE.label(EJ_MATT)


@dataclass
class IndicatorRow:
    id: str
    goal: str
    name: str
    unit: str
    direction: str
    target_type: str
    target: Target | None
    """The målvärde the förslag is computed against (the mandatperiod's in its last year)."""
    previous: float | None
    baseline: float | None
    due: bool
    decimals: int
    targets: tuple[Target | None, ...] = ()
    """One målvärde per Målvärde column when the sheet has several
    (:attr:`WorkbookContent.target_headers`); empty: the one column shows ``target``."""
    target_column: int = 0
    """Which of ``targets`` is ``target`` (the förslag's formula points at it)."""
    goal_name: str = ""
    share: bool = False
    """A share of a whole (``andel``): plausible only within 0–100 % (workbook/plausible.py)."""
    reason: str = ""
    """Why a goal above the unit's is on its sheet ("" for its own goals' indicators)."""
    by_gender: bool = False
    """Kvinnor's and män's utfall typed beside the total (``kön: ja`` on an indicator the
    styrkort measures): its cells in the Kvinnor and Män columns are inputs."""


@dataclass
class GoalRow:
    id: str
    name: str
    area: str
    parents: str
    combine: str
    own: bool
    indicator_rows: list[int] = field(default_factory=list)


@dataclass
class BelowRow:
    """One row of the Underlag sheet: a goal linked below, or an indicator measured below."""

    id: str
    name: str
    unit: str
    proposal: str = ""
    assessment: str = ""
    motivation: str = ""
    analysis: str = ""
    status: str = ""  # the status id behind ``assessment`` (colours the cell), "" if none


@dataclass
class BelowBlock:
    """Per own goal: a heading (förslag from the underlag, counts, who is missing) and rows."""

    goal_id: str
    heading: str
    rows: list[BelowRow] = field(default_factory=list)


@dataclass
class Prefill:
    """What the project's store knows when the workbook is written.

    ``below`` and ``state`` fill the read-only Underlag sheet; ``proposals`` is the förslag
    (a status id) of own goals whose förslag the workbook cannot compute itself (no indicator of
    theirs is measured by this unit), written as a locked value. The rest is the unit's own
    earlier answers for the period (a re-prefill keeps them) or, for ``activities``, the plan's
    activities carried over into a follow-up."""

    below: list[BelowBlock] = field(default_factory=list)
    state: str = ""
    proposals: dict[str, str] = field(default_factory=dict)
    goals: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    source: str = ""  # where the own answers came from (the earlier file), "" if none
    locked: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Indicator id → the value reportkit fills in from its ``källa`` (an export, Kolada):
    ``{"cell": "actual" | "forecast", "value": …, "text": source and date}``, written locked."""


def workbook_file_name(unit_id: str) -> str:
    """The name of a unit's workbook in ``utskick/<period>/``: ``<id>.xlsx``."""
    return f"{unit_id}.xlsx"


@dataclass
class WorkbookContent:
    kommun: str
    kommun_id: str
    unit_id: str
    unit_name: str
    unit_kind: str
    level: str
    level_name: str
    committee_name: str
    period: str
    period_name: str
    period_type: str
    year: int
    deadline: str
    vision: str
    goals: list[GoalRow]
    indicators: list[IndicatorRow]
    texts: tuple[tuple[str, str, str], ...]
    goal_ids: list[str]
    scale: list[dict]
    forecast_labels: bool
    prefill: Prefill = field(default_factory=Prefill)
    area_word: str = layout.AREA_HEADER
    """What the goal areas are called (the goal sheet's column header)."""
    not_measured: str = DEFAULT_NOT_MEASURED
    """The label of Ej mätt (``bedömning.ej_mätt.etikett``), in the status column and list."""
    target_headers: tuple[str, ...] = ()
    """The Målvärde columns' headers when there are several (a plan over several years, a
    mandatperiod målvärde beside the year's); empty: one column, "Målvärde"."""
    goal_names: dict[str, str] = field(default_factory=dict)
    """Every goal id the workbook names (own and above) → the goal's name."""
    coordinator: tuple[str, str, str] = ("", "", "")
    """The styrkortssamordnare the workbook goes back to: name, e-post, telefon ("" unset)."""
    plausibility_factor: float | None = plausible.DEFAULT_FACTOR
    gender_headers: tuple[str, ...] = ()
    """The Kvinnor and Män columns' headers in the kommun's words when a row is split by kön
    (:func:`gender_headers`); empty: no such columns."""

    @property
    def has_activities(self) -> bool:
        return layout.has_activities(self.level)

    def prefilled_proposal(self, goal: GoalRow) -> str | None:
        """The förslag written as a locked value: for an own goal of a follow-up whose
        workbook has no indicator to compute it from, what the store computed at prefill."""
        if self.period_type == "plan" or any(self.indicators[i].due
                                             for i in goal.indicator_rows):
            return None
        return self.prefill.proposals.get(goal.id)

    def goal_choice(self, goal_id: str) -> str:
        """``KF1: Alla barn …``: how a goal is shown beside its id and offered in the
        Aktiviteter sheet's list (``check`` reads the id before the colon)."""
        name = self.goal_names.get(goal_id)
        return f"{goal_id}: {name}" if name else goal_id

    @property
    def file_name(self) -> str:
        return workbook_file_name(self.unit_id)

    def fingerprint(self) -> str:
        """A hash of everything locked: what the unit must not change."""
        data: dict[str, object] = {
            "goals": [asdict(g) for g in self.goals],
            # the fields of several Målvärde columns only when there are (the same hash as
            # before them otherwise)
            "indicators": [{k: v for k, v in asdict(i).items()
                            if (k not in ("targets", "target_column") or i.targets)
                            and (k != "by_gender" or i.by_gender)}
                           for i in self.indicators],
            "unit": self.unit_id, "period": self.period, "kommun": self.kommun_id,
        }
        if self.prefill.proposals:
            data["proposals"] = self.prefill.proposals
        if self.target_headers:
            data["targets"] = self.target_headers
        if self.gender_headers:
            data["genders"] = self.gender_headers
        if self.prefill.locked:
            data["locked"] = self.prefill.locked
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                         default=str).encode()).hexdigest()[:16]


def scale_of(model: Styrmodell) -> Scale:
    """The styrmodell's scale (``bedömning``); validate has reported, in Swedish with key and
    line, anything that keeps it from being built (model.scale_problems)."""
    from reportkit.styrmodell.model import built_scale

    return built_scale(model, DEFAULT_SCALE)


def scale_dicts(scale: Scale) -> list[dict]:
    return [{"status": s.status, "label": s.label, "forecast_label": s.forecast_label,
             "threshold": s.threshold, "color": s.color, "symbol": s.symbol}
            for s in scale.steps]


def area_of(model: Styrmodell, goal_id: str) -> str | None:
    """A goal's målområde: its own, or inherited from its first parent."""
    seen: set[str] = set()
    while goal_id and goal_id not in seen:
        seen.add(goal_id)
        goal = model.goals[goal_id]
        if goal.area:
            return goal.area
        goal_id = goal.parents[0] if goal.parents else ""
    return None


def build_content(model: Styrmodell, unit_id: str, period: Period,
                  previous: dict[tuple[str, str], float] | None = None,
                  prefill: Prefill | None = None) -> WorkbookContent:
    """The workbook for ``unit_id`` in ``period``; ``previous`` maps (unit, indicator) to
    last year's outcome for the "Utfall förra året" column; ``prefill`` is what the store
    already holds (``reportkit.outputs.prefill``)."""
    previous = previous or {}
    unit = model.units[unit_id]
    year = model.year
    mandate = model.config.mandate
    goals: list[GoalRow] = []
    indicators: list[IndicatorRow] = []

    def ind_row(goal_id: str, ind: Indicator, reason: str = "") -> int:
        # mätår: föregående — the unit reports the year before's value (data arriving late)
        name = ind.name if ind.measurement_year == "samma" else \
            texts.measured_year(ind.name, year - 1)
        target, of_mandate = ind.assessed_target(year, mandate)
        if period.type == "plan":
            target, of_mandate = ind.target_for(year), False
        indicators.append(IndicatorRow(
            id=ind.id, goal=goal_id, name=name, unit=ind.unit, direction=ind.direction,
            target_type=ind.target_type, target=target,
            previous=previous.get((unit_id, ind.id)), baseline=ind.baseline,
            due=period.type == "plan" or period.type in ind.measured_in,
            decimals=ind.decimals, goal_name=model.goals[goal_id].name,
            share=ind.target_type != "janej" and plausible.is_share(ind.unit, ind.share),
            reason=reason, target_column=-1 if of_mandate else 0,
            by_gender=bool(ind.by_gender) and source_of(ind).kind == "styrkort"))
        return len(indicators) - 1

    for goal in model.goals_of(unit_id):
        parents = "\n".join(f"{p}: {model.goals[p].name}" if p in model.goals else p
                             for p in goal.parents)
        row = GoalRow(goal.id, goal.name, model.area_name(area_of(model, goal.id)),
                      parents, goal.combine or model.config.assessment.combine, True)
        for ind in goal.indicators:
            if measures(unit, ind, goal):
                row.indicator_rows.append(ind_row(goal.id, ind))
        goals.append(row)
    for goal, ind in model.contributions(unit_id):
        ind_row(goal.id, ind, inherited_reason(model, goal.owner, unit.name))

    headers = _target_columns(model, period, mandate, indicators)
    scale = scale_of(model)
    level_name = node_name(model.level_name(unit.level), unit.kind)
    committee = model.units[unit.committee].name if unit.committee else ""
    deadline = period.deadlines.get(unit.level)
    vision = model.config.kommun.vision if unit.level in ("kommun", "nämnd") else ""
    return WorkbookContent(
        kommun=model.config.kommun.name, kommun_id=model.config.kommun.id, unit_id=unit_id,
        unit_name=unit.name, unit_kind=unit.kind, level=unit.level, level_name=level_name,
        committee_name=committee, period=period.id, period_name=period.name,
        period_type=period.type, year=year,
        deadline=deadline.isoformat() if deadline else "", vision=vision, goals=goals,
        indicators=indicators, texts=layout.text_fields(period.type, unit.level),
        goal_ids=[g.id for g in goals] + sorted({i.goal for i in indicators} -
                                                {g.id for g in goals}),
        scale=scale_dicts(scale), forecast_labels=is_interim(period.type),
        prefill=prefill or Prefill(), area_word=model.words.area.grundform,
        not_measured=scale.label(EJ_MATT, is_interim(period.type)),
        goal_names={i.goal: i.goal_name for i in indicators} | {g.id: g.name for g in goals},
        coordinator=coordinator_of(model, unit_id),
        plausibility_factor=model.config.assessment.plausibility_factor,
        target_headers=headers, gender_headers=gender_headers(model, indicators))


def gender_headers(model: Styrmodell, rows: list[IndicatorRow]) -> tuple[str, ...]:
    """The Kvinnor and Män columns' headers: the kommun's words for them (``kön: {kvinnor:
    Flickor, män: Pojkar}``), both where the rows split by kön name them differently
    ("Kvinnor / Flickor"); ``()`` when no row is split by kön."""
    out = []
    for letter in layout.GENDER_KEYS:
        words: list[str] = []
        for r in rows:
            word = model.indicators[r.id][0].gender_words[letter] if r.by_gender else ""
            if word and word not in words:
                words.append(word)
        out.append(" / ".join(words))
    return tuple(out) if out[0] else ()


def target_years(period: Period, year: int) -> list[int]:
    """The years whose målvärden a period shows: each year a plan spans (``från`` to
    ``till``; 2026–2028 for a three-year plan), else the styrmodell's year."""
    if period.type == "plan" and period.end.year > period.start.year:
        return list(range(period.start.year, period.end.year + 1))
    return [year]


def _target_columns(model: Styrmodell, period: Period, mandate: Mandate,
                    rows: list[IndicatorRow]) -> tuple[str, ...]:
    """The Målvärde columns' headers, and each row's ``targets``: one column per year the
    period shows and one for the mandatperiod when a row has a målvärde for it; ``()`` (one
    column, "Målvärde", as before) when that is just the year's."""
    years = target_years(period, model.year)
    specs = [model.indicators[r.id][0] for r in rows]
    with_mandate = any(s.mandate_target is not None for s in specs)
    if len(years) == 1 and not with_mandate:
        return ()
    for row, spec in zip(rows, specs, strict=True):
        row.targets = tuple(spec.target_for(y) for y in years) + (
            (spec.mandate_target,) if with_mandate else ())
        row.target_column = len(row.targets) - 1 if row.target_column == -1 else 0
    return tuple(f"{layout.TARGET_HEADER} {y}" for y in years) + (
        (f"{layout.TARGET_HEADER} mandatperioden {mandate.text}",) if with_mandate else ())


def inherited_reason(model: Styrmodell, owner_id: str, unit_name: str) -> str:
    """Why an indicator of a goal above is on the unit's sheet, in the kommun's words."""
    owner = model.units[owner_id]
    return texts.INHERITED_INDICATOR.format(
        goal_word=model.goal_name(owner.level), owner=owner.name, unit=unit_name)


def coordinator_of(model: Styrmodell, unit_id: str) -> tuple[str, str, str]:
    """The ``samordnare`` of the unit's nämnd (bolag, förbund), else the kommun's."""
    unit = model.units[unit_id]
    committee = unit.committee
    found = None
    if committee:
        try:
            found = model.committee_config(committee).coordinator
        except KeyError:
            found = None
    found = found or model.config.kommun.coordinator
    if found is None:
        return ("", "", "")
    return (found.name, found.email or "", found.phone or "")
