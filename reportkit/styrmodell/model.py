"""The resolved styrmodell: the org tree, the goal chain and the indicators, indexed by id.

Built from a validated :class:`~reportkit.styrmodell.config.StyrmodellConfig` by
:func:`build`, which also checks what pydantic cannot: unique ids, parents that exist and sit
above in the same chain, and a sane assessment scale. Ids are stable across years, so a
project's styrmodeller for 2025 and 2026 join in the history store through them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.styrmodell.config import (
    Committee,
    Goal,
    Indicator,
    Operation,
    Period,
    StyrmodellConfig,
    Unit,
    _with_line,
    category,
)
from reportkit.styrmodell.control import control_problems
from reportkit.styrmodell.kinds import kind
from reportkit.styrmodell.periods import INTERIM_REPORT_TYPES
from reportkit.styrmodell.source import check_by_gender
from reportkit.styrmodell.targets import mandate_of
from reportkit.styrmodell.words import Words, word

if TYPE_CHECKING:
    from reportkit.styrmodell.assess import Scale

LEVELS = ("kommun", "nämnd", "verksamhet", "enhet")


@dataclass(frozen=True)
class OrgUnit:
    """A node of the org tree: the kommun, a committee (level ``nämnd``; ``kind`` is its
    ``typ``: nämnd, styrelse, gemensam_nämnd, bolag, kommunalförbund), a verksamhet, or an
    enhet. An enhet's parent is a verksamhet, or its committee where the branch has none; a
    dotterbolag's parent is its holding bolag."""

    id: str
    name: str
    level: str
    kind: str
    parent: str | None
    committee: str | None
    ansvar: tuple[str, ...] = ()
    manager: str | None = None
    email: str | None = None
    key: str = ""
    categories: tuple[str, ...] = ()
    """An enhet's or verksamhet's ``kategorier`` (for ``mäts_på: {kategori: …}``)."""

    @property
    def depth(self) -> int:
        return LEVELS.index(self.level)


@dataclass
class GoalNode:
    """A goal with its place in the chain: owner unit, level, parents and children."""

    id: str
    name: str
    level: str
    owner: str
    area: str | None
    kind: str
    parents: list[str]
    description: str
    combine: str | None
    indicators: list[Indicator]
    key: str
    children: list[str] = field(default_factory=list)


@dataclass
class Styrmodell:
    config: StyrmodellConfig
    file: str
    units: dict[str, OrgUnit] = field(default_factory=dict)
    goals: dict[str, GoalNode] = field(default_factory=dict)
    indicators: dict[str, tuple[Indicator, str]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.config.year

    @property
    def kommun(self) -> OrgUnit:
        return self.units[self.config.kommun.id]

    @cached_property
    def words(self) -> Words:
        """The kommun's words: level names, goal names (per level id) and the area word."""
        levels = self.config.levels
        return Words(levels={lv: word(levels[i].name) for i, lv in enumerate(LEVELS)},
                     goals={lv: word(levels[i].goal_name) for i, lv in enumerate(LEVELS)},
                     area=word(self.config.area_word))

    def level_name(self, level: str) -> str:
        return self.words.level(level).grundform

    def goal_name(self, level: str) -> str:
        """What goals at a level are called: ``KF-mål``, ``Nämndmål`` …"""
        return self.words.goal(level).grundform

    def area_name(self, area_id: str | None) -> str:
        for area in self.config.areas:
            if area.id == area_id:
                return area.name
        return ""

    def period(self, period_id: str) -> Period | None:
        for p in self.config.periods:
            if p.id == period_id:
                return p
        return None

    def committees(self) -> list[OrgUnit]:
        """Every committee (nämnd, styrelse, gemensam nämnd, bolag, kommunalförbund) in tree
        order, a holding bolag's dotterbolag right after it."""
        return [u for u in self.units.values() if u.level == "nämnd"]

    def committee_config(self, committee_id: str) -> Committee:
        """The ``nämnder`` entry (or ``dotterbolag`` entry) of a committee."""
        todo = list(self.config.committees)
        while todo:
            com = todo.pop(0)
            if com.id == committee_id:
                return com
            todo[:0] = com.subsidiaries
        raise KeyError(committee_id)

    def children_of(self, unit_id: str) -> list[OrgUnit]:
        return [u for u in self.units.values() if u.parent == unit_id]

    def ancestors(self, unit_id: str) -> list[OrgUnit]:
        """Parents up to the kommun, nearest first."""
        out = []
        parent = self.units[unit_id].parent
        while parent is not None:
            out.append(self.units[parent])
            parent = self.units[parent].parent
        return out

    def descendants(self, unit_id: str, level: str | None = None) -> list[OrgUnit]:
        out = []
        for unit in self.units.values():
            if unit.id != unit_id and any(a.id == unit_id for a in self.ancestors(unit.id)) \
                    and (level is None or unit.level == level):
                out.append(unit)
        return out

    def goals_of(self, unit_id: str) -> list[GoalNode]:
        return [g for g in self.goals.values() if g.owner == unit_id]

    def reporting_units(self, period: Period) -> list[OrgUnit]:
        """The units that get a workbook in ``period``, in tree order."""
        return [u for u in self.units.values() if u.level in period.levels]

    def indicator_goal(self, indicator_id: str) -> GoalNode:
        return self.goals[self.indicators[indicator_id][1]]

    def measuring_units(self, indicator: Indicator, goal: GoalNode) -> list[OrgUnit]:
        """The units whose workbooks carry an utfall for ``indicator``, in tree order."""
        on = indicator.measured_at
        if on is None or isinstance(on, str):
            level = on or goal.level
            if level == goal.level:
                return [self.units[goal.owner]]
            return self.descendants(goal.owner, level)
        return [u for u in [self.units[goal.owner], *self.descendants(goal.owner)]
                if measures(u, indicator, goal)]

    def measures(self, unit: OrgUnit, indicator: Indicator, goal: GoalNode) -> bool:
        """Does ``unit`` (the goal's owner or a unit below it) report ``indicator``?"""
        return measures(unit, indicator, goal)

    def contributions(self, unit_id: str) -> list[tuple[GoalNode, Indicator]]:
        """Indicators of goals owned above ``unit_id`` that this unit measures."""
        unit = self.units[unit_id]
        above = {a.id for a in self.ancestors(unit_id)}
        out = []
        for goal in self.goals.values():
            if goal.owner in above:
                for ind in goal.indicators:
                    if measures(unit, ind, goal):
                        out.append((goal, ind))
        return out


def measures(unit: OrgUnit, indicator: Indicator, goal: GoalNode) -> bool:
    """Does ``unit``, the owner of ``goal`` or a unit below it, report ``indicator``?

    ``mäts_på`` a level (default the goal's own): the units at that level; a list of ids: those
    units; ``{kategori: …}``: the units whose ``kategorier`` hold it. Every other unit is not
    asked (no row in its workbook) and does not count in the roll-up."""
    on = indicator.measured_at
    if on is None or isinstance(on, str):
        return (on or goal.level) == unit.level
    if isinstance(on, dict):
        return category(on) in unit.categories
    return unit.id in on


# what build() hands the checks: a config key path -> the path with its line ("… (rad 12)")
Where = Callable[[str], str]
# build()'s indexers: a unit (with its key path), and the goals (owner, level, key path) of one
AddUnit = Callable[[OrgUnit], None]
AddGoals = Callable[[list[Goal], str, str, str], None]


def build(config: StyrmodellConfig, file: str, lines: Mapping[str, int] | None = None
          ) -> tuple[Styrmodell, list[Problem]]:
    """Index the config and check the chain. Problems name the file and key path."""
    lines = lines if lines is not None else {}
    model = Styrmodell(config=config, file=file)
    problems: list[Problem] = []
    seen_units: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    # goals of a unit whose id is a duplicate: their owner is unknown, so their chain is not
    # checked (it would only repeat the duplicate as confusing level errors)
    orphan_keys: set[str] = set()
    orphan_goals: set[str] = set()

    def where(path: str) -> str:
        return _with_line(path, lines)

    def add_unit(unit: OrgUnit) -> None:
        if unit.id in seen_units:
            problems.append(problem("config-duplicate-id", file=file, key=where(unit.key + ".id"),
                                    id=unit.id, first=seen_units[unit.id]))
            orphan_keys.add(unit.key)
            return
        seen_units[unit.id] = unit.key or "kommun"
        model.units[unit.id] = unit

    def add_goals(goals: list[Goal], owner: str, level: str, key: str) -> None:
        for gi, goal in enumerate(goals):
            gkey = f"{key}mål[{gi}]" if not key else f"{key}.mål[{gi}]"
            if goal.id in seen_ids:
                problems.append(problem("config-duplicate-id", file=file, key=where(gkey + ".id"),
                                        id=goal.id, first=seen_ids[goal.id]))
                continue
            seen_ids[goal.id] = gkey
            node = GoalNode(goal.id, goal.name, level, owner, goal.area, goal.kind,
                            list(goal.parents), goal.description, goal.combine,
                            list(goal.indicators), gkey)
            model.goals[goal.id] = node
            if key in orphan_keys:
                orphan_goals.add(goal.id)
            for ii, ind in enumerate(goal.indicators):
                ikey = f"{gkey}.indikatorer[{ii}]"
                if ind.id in seen_ids:
                    problems.append(problem("config-duplicate-id", file=file,
                                            key=where(ikey + ".id"), id=ind.id,
                                            first=seen_ids[ind.id]))
                    continue
                seen_ids[ind.id] = ikey
                model.indicators[ind.id] = (ind, goal.id)

    k = config.kommun
    add_unit(OrgUnit(k.id, k.name, "kommun", "kommun", None, None, (), k.manager, k.email, ""))
    add_goals(config.goals, k.id, "kommun", "")
    for ci, com in enumerate(config.committees):
        _add_committee(com, ci, k.id, add_unit, add_goals)

    _check_org(config, problems, where, file)
    _check_areas(model, problems, where)
    _check_chain(model, problems, where, orphan_goals)
    _check_periods(model, problems, where)
    _check_indicators(model, problems, where)
    problems += control_problems(config.internal_control, config.assignments,
                                 [c.id for c in model.committees()], file, where)
    return model, problems


def _add_committee(com: Committee, ci: int, kommun_id: str, add_unit: AddUnit,
                   add_goals: AddGoals, ckey: str = "") -> None:
    """A committee (nämnd, styrelse, gemensam nämnd, bolag, kommunalförbund), what is below
    it, and its dotterbolag (bolag under it, ``parent`` the holding). Enheter directly under
    it have the committee as parent: the branch has no verksamhet level."""
    ckey = ckey or f"nämnder[{ci}]"
    add_unit(OrgUnit(com.id, com.name, "nämnd", com.kind, kommun_id, com.id, tuple(com.ansvar),
                     com.manager, com.email, ckey))
    add_goals(com.goals, com.id, "nämnd", ckey)
    for oi, op in enumerate(com.operations):
        _add_operation(op, f"{ckey}.verksamheter[{oi}]", com.id, add_unit, add_goals)
    for ui, unit in enumerate(com.units):
        _add_unit(unit, f"{ckey}.enheter[{ui}]", com.id, com.id, add_unit, add_goals)
    for si, sub in enumerate(com.subsidiaries):
        _add_committee(sub, si, com.id, add_unit, add_goals, f"{ckey}.dotterbolag[{si}]")


def _check_org(config: StyrmodellConfig, problems: list[Problem], where: Where,
               file: str) -> None:
    """What pydantic lets through but the tree does not allow: verksamheter and enheter side
    by side under one committee, dotterbolag under anything but a bolag."""
    def walk(com: Committee, ckey: str) -> None:
        words = kind(com.kind)
        if com.operations and com.units:
            problems.append(problem("config-org-both", file=file,
                                    key=where(f"{ckey}.enheter"), id=com.id,
                                    kind=words.singular.capitalize(),
                                    definite=words.definite))
        if com.subsidiaries and com.kind != "bolag":
            problems.append(problem("config-org-subsidiary", file=file,
                                    key=where(f"{ckey}.dotterbolag"), id=com.id,
                                    kind=words.singular.capitalize()))
        for si, sub in enumerate(com.subsidiaries):
            skey = f"{ckey}.dotterbolag[{si}]"
            if sub.kind != "bolag":
                problems.append(problem(
                    "config-invalid-value", file=file, key=where(f"{skey}.typ"),
                    value=repr(sub.kind), reason="ett dotterbolag är ett bolag",
                    expected="skriv typ: bolag eller ta bort typ"))
            walk(sub, skey)

    for ci, com in enumerate(config.committees):
        walk(com, f"nämnder[{ci}]")


def _add_operation(op: Operation, okey: str, com_id: str, add_unit: AddUnit,
                   add_goals: AddGoals) -> None:
    add_unit(OrgUnit(op.id, op.name, "verksamhet", "verksamhet", com_id, com_id,
                     tuple(op.ansvar), op.manager, op.email, okey, tuple(op.categories)))
    add_goals(op.goals, op.id, "verksamhet", okey)
    for ui, unit in enumerate(op.units):
        _add_unit(unit, f"{okey}.enheter[{ui}]", op.id, com_id, add_unit, add_goals)


def _add_unit(unit: Unit, ukey: str, parent_id: str, com_id: str, add_unit: AddUnit,
              add_goals: AddGoals) -> None:
    add_unit(OrgUnit(unit.id, unit.name, "enhet", "enhet", parent_id, com_id, tuple(unit.ansvar),
                     unit.manager, unit.email, ukey, tuple(unit.categories)))
    add_goals(unit.goals, unit.id, "enhet", ukey)


def _check_areas(model: Styrmodell, problems: list[Problem], where: Where) -> None:
    area_ids = [a.id for a in model.config.areas]
    for goal in model.goals.values():
        if goal.area is not None and goal.area not in area_ids:
            problems.append(problem(
                "config-invalid-value", file=model.file, key=where(goal.key + ".område"),
                value=repr(goal.area), reason="målområdet finns inte under 'målområden'",
                expected=f"välj ett av {', '.join(area_ids)}"))


def _check_chain(model: Styrmodell, problems: list[Problem], where: Where,
                 skip: Collection[str] = frozenset()) -> None:
    """Every goal below the kommun links to goals one level up in its own chain (DOMAIN.md)."""
    for goal in model.goals.values():
        if goal.id in skip:
            continue
        depth = LEVELS.index(goal.level)
        # the level just above in the owner's own branch: an enhet directly under a nämnd
        # links to nämndmål; a dotterbolag (a nämnd-level node under its holding) to KF-mål
        ancestors = model.ancestors(goal.owner)
        above = max((LEVELS.index(a.level) for a in ancestors
                     if LEVELS.index(a.level) < depth), default=depth - 1)
        expected = model.goal_name(LEVELS[above]) if depth > 0 else ""
        if depth > 0 and not goal.parents:
            problems.append(problem("config-no-parent", file=model.file,
                                    key=where(goal.key + ".förälder"),
                                    goal=goal.id, level=model.goal_name(goal.level)))
        chain = {a.id for a in ancestors}
        for pi, parent_id in enumerate(goal.parents):
            pkey = where(f"{goal.key}.förälder[{pi}]") if goal.parents else goal.key
            parent = model.goals.get(parent_id)
            if parent is None:
                problems.append(problem("config-parent-missing", file=model.file, key=pkey,
                                        goal=goal.id, parent=parent_id,
                                        expected_level=expected))
                continue
            if LEVELS.index(parent.level) != above or parent.owner not in chain:
                problems.append(problem("config-parent-level", file=model.file, key=pkey,
                                        goal=goal.id, level=model.goal_name(goal.level),
                                        parent=parent_id,
                                        parent_level=f"{model.goal_name(parent.level)} "
                                                     f"({model.units[parent.owner].name})",
                                        expected_level=f"{expected} i den egna målkedjan"))
                continue
            parent.children.append(goal.id)
    _check_measured_on(model, problems, where)


def _check_measured_on(model: Styrmodell, problems: list[Problem], where: Where) -> None:
    """``mäts_på``: a level at or below the goal's own, units at or below the goal's owner, or
    a category some unit there has."""
    categories = sorted({c for u in model.units.values() for c in u.categories})
    for goal in model.goals.values():
        if goal.owner not in model.units:
            continue
        subtree: list[OrgUnit] | None = None
        for ii, ind in enumerate(goal.indicators):
            on = ind.measured_at
            key = f"{goal.key}.indikatorer[{ii}].mäts_på"
            if on is None:
                continue
            if isinstance(on, str):
                if on not in LEVELS or LEVELS.index(on) < LEVELS.index(goal.level):
                    problems.append(problem(
                        "config-invalid-value", file=model.file, key=where(key),
                        value=repr(on), reason="nivån ska vara målets egen eller lägre",
                        expected=f"välj en av {', '.join(LEVELS[LEVELS.index(goal.level):])}, "
                                 "en lista med enheter eller {kategori: …}"))
                continue
            if subtree is None:
                subtree = [model.units[goal.owner], *model.descendants(goal.owner)]
            owner = model.units[goal.owner]
            if isinstance(on, dict):
                _check_category(model, problems, where(f"{key}.kategori"), on["kategori"],
                                categories, subtree, owner)
                continue
            inside = {u.id for u in subtree}
            for ui, unit_id in enumerate(on):
                if unit_id in inside:
                    continue
                reason = (f"enheten ligger inte under målets ägare {owner.name} ({owner.id})"
                          if unit_id in model.units else "enheten finns inte i styrmodellen")
                problems.append(problem(
                    "config-invalid-value", file=model.file, key=where(f"{key}[{ui}]"),
                    value=repr(unit_id), reason=reason,
                    expected=f"skriv id:t på en enhet eller verksamhet under {owner.name}, "
                             "t.ex. " + ", ".join(u.id for u in subtree[1:3])))


def _check_category(model: Styrmodell, problems: list[Problem], key: str, category: str,
                    categories: list[str], subtree: list[OrgUnit], owner: OrgUnit) -> None:
    if category not in categories:
        problems.append(problem(
            "config-invalid-value", file=model.file, key=key, value=repr(category),
            reason="ingen enhet eller verksamhet har kategorin (kategorier:)",
            expected=(f"välj en av {', '.join(categories)}, eller ge enheterna kategorin "
                      "med kategorier:") if categories else
                     "ge enheterna kategorin med kategorier: [" + category + "]"))
    elif not any(category in u.categories for u in subtree):
        problems.append(problem(
            "config-invalid-value", file=model.file, key=key, value=repr(category),
            reason=f"ingen enhet under målets ägare {owner.name} ({owner.id}) har kategorin",
            expected="ge enheterna under " + owner.name + " kategorin med kategorier:, "
                     "eller välj en annan kategori"))


def _check_periods(model: Styrmodell, problems: list[Problem], where: Where) -> None:
    seen: set[str] = set()
    for pi, period in enumerate(model.config.periods):
        key = f"perioder[{pi}]"
        if period.id in seen:
            problems.append(problem("config-duplicate-id", file=model.file,
                                    key=where(key + ".id"), id=period.id, first="perioder"))
        seen.add(period.id)
        if not period.id.startswith(f"{model.year}-"):
            problems.append(problem(
                "config-invalid-value", file=model.file, key=where(key + ".id"),
                value=repr(period.id), reason=f"periodens id ska börja med året {model.year}",
                expected=f"skriv till exempel {model.year}-delår"))
        if period.end < period.start:
            problems.append(problem(
                "config-invalid-value", file=model.file, key=where(key + ".till"),
                value=period.end.isoformat(), reason="slutdatum före startdatum",
                expected="ange ett slutdatum efter 'från'"))
        for li, level in enumerate(period.levels):
            if level not in LEVELS:
                problems.append(problem(
                    "config-invalid-value", file=model.file, key=where(f"{key}.nivåer[{li}]"),
                    value=repr(level), reason="okänd nivå",
                    expected=f"välj bland {', '.join(LEVELS)}"))
        for level in period.deadlines:
            if level not in LEVELS:
                problems.append(problem(
                    "config-invalid-value", file=model.file, key=where(f"{key}.sista_dag"),
                    value=repr(level), reason="okänd nivå",
                    expected=f"välj bland {', '.join(LEVELS)}"))
    _check_statutory(model, problems, where)
    problems += scale_problems(model, where)


def scale_problems(model: Styrmodell, where: Where = str, *, build: bool = True
                   ) -> list[Problem]:
    """Everything in ``bedömning`` that keeps the scale from being built, in Swedish with key
    path (and line, through ``where``): what assess.make_scale would refuse in English. Any
    colour is accepted (a light one is drawn with an outline; assess.Step.light). ``build``:
    also try to build it, for what these checks do not name."""
    import math

    from reportkit.styrmodell import assess

    out: list[Problem] = []
    assessment = model.config.assessment

    def bad(key: str, reason: str) -> None:
        out.append(problem("config-scale-invalid", file=model.file, key=where(key),
                           reason=reason))

    scale = assessment.scale
    if scale:
        thresholds = [s.threshold for s in scale]
        limits = [t for t in thresholds[:-1] if t is not None]
        ok = thresholds[-1] is None and len(limits) == len(thresholds) - 1 and all(
            a > b for a, b in zip(limits[:-1], limits[1:], strict=True))
        if not ok:
            out.append(problem("config-scale-order", file=model.file,
                               key=where("bedömning.skala"),
                               reason="sista steget ska ha gräns: null, övriga fallande"))
        for i, step in enumerate(scale):
            key = f"bedömning.skala[{i}]"
            if step.status in assess.SPECIAL_STATUSES:
                bad(f"{key}.status", f"'{step.status}' är en särskild status, inte ett steg i "
                    "skalan (etikett och färg för ej mätt och ej uppföljt sätts under "
                    "bedömning.ej_mätt och bedömning.ej_uppföljt)")
            for field_key, value in (("etikett", step.label), ("prognos", step.forecast_label),
                                     ("symbol", step.symbol)):
                if not value.strip():
                    bad(f"{key}.{field_key}", f"'{field_key}' får inte vara tom")
            t = step.threshold
            if i < len(scale) - 1 and t is not None and (not math.isfinite(t) or t <= 0):
                bad(f"{key}.gräns", f"gränsen ska vara en andel över 0 (0.8 = 80 %), inte {t}")
        if ok and limits and limits[-1] > 1.0:
            bad(f"bedömning.skala[{len(scale) - 2}].gräns",
                f"den lägsta gränsen är {limits[-1]}: ett utfall på målvärdet (1.0 = 100 %) "
                "skulle hamna i sämsta steget; minst en gräns ska vara högst 1.0")
    specials = {d["status"]: d for d in assessment.special_overrides()}
    steps = [(f"bedömning.skala[{i}]", s.status, s.label, s.forecast_label, s.symbol)
             for i, s in enumerate(scale or ())] or [
        ("bedömning.skala", s.status, s.label, s.forecast_label, s.symbol)
        for s in assess.DEFAULT_SCALE.steps]
    keys = {assess.EJ_MATT: "bedömning.ej_mätt", assess.EJ_UPPFOLJT: "bedömning.ej_uppföljt"}
    for sp in assess.DEFAULT_SCALE.specials:
        d = specials.get(sp.status, {})
        steps.append((keys.get(sp.status, "bedömning"), sp.status, d.get("label", sp.label),
                      d.get("forecast_label", sp.forecast_label), d.get("symbol", sp.symbol)))
    for index, name in ((2, "etikett"), (4, "symbol")):
        seen: dict[str, str] = {}
        for entry in steps:
            value = entry[index]
            if value in seen and seen[value] != entry[1]:
                bad(f"{entry[0]}.{name}" if entry[0] != "bedömning" else entry[0],
                    f"{name} '{value}' används redan av status {seen[value]}; varje status "
                    f"behöver en egen")
            seen.setdefault(value, entry[1])
    if build and not out:
        try:
            built_scale(model, assess.DEFAULT_SCALE)
        except ReportkitError as exc:
            out += exc.problems
    return out


def built_scale(model: Styrmodell, default: Scale) -> Scale:
    """The scale of ``bedömning`` (``default`` when it sets neither steps nor ej_mätt or
    ej_uppföljt). A scale that cannot be built raises ReportkitError with the Swedish problems
    validate reports (:func:`scale_problems`): never the English ValueError of make_scale."""
    from reportkit.styrmodell.assess import make_scale

    assessment = model.config.assessment
    specials = assessment.special_overrides()
    if not assessment.scale and not specials:
        return default
    steps = [s.model_dump() for s in assessment.scale] if assessment.scale else [
        {"status": s.status, "label": s.label, "forecast_label": s.forecast_label,
         "threshold": s.threshold, "color": s.color, "symbol": s.symbol} for s in default.steps]
    try:
        return make_scale(steps, specials)
    except ValueError:
        found = scale_problems(model, build=False)
        raise ReportkitError(found or problem(
            "config-scale-invalid", file=model.file, key="bedömning",
            reason="skalan kan inte byggas av stegen och de särskilda statusarna")) from None


def _check_statutory(model: Styrmodell, problems: list[Problem], where: Where) -> None:
    """A year with delår/halvår periods flags exactly one as the statutory delårsrapport
    (``lagstadgad: true``; LKBR 13 kap); none or several is a varning. A single delår period
    is taken as the statutory one without the flag (the styrmodeller written before it)."""
    interim = [(pi, p) for pi, p in enumerate(model.config.periods)
               if p.type in INTERIM_REPORT_TYPES]
    flagged = [(pi, p) for pi, p in interim if p.statutory]
    for pi, p in flagged:
        months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1
        if not 6 <= months <= 8:
            problems.append(problem(
                "config-statutory-length", file=model.file,
                key=where(f"perioder[{pi}].lagstadgad"), period=p.id, months=months,
                start=p.start.isoformat(), end=p.end.isoformat()))
    if len(flagged) == 1 or not interim or (len(interim) == 1 and not flagged):
        return
    key = f"perioder[{flagged[1][0]}].lagstadgad" if flagged else f"perioder[{interim[0][0]}]"
    problems.append(problem(
        "config-statutory-interim", file=model.file, key=where(key),
        year=model.year, periods=", ".join(p.id for _, p in interim), count=len(flagged)))


def _check_indicators(model: Styrmodell, problems: list[Problem], where: Where) -> None:
    mandate = model.config.mandate
    if not mandate.first <= model.year <= mandate.last:
        problems.append(problem(
            "config-invalid-value", file=model.file, key=where("kommun.mandatperiod"),
            value=repr(mandate.text), reason=f"året {model.year} ligger inte i mandatperioden",
            expected=f"skriv den mandatperiod som {model.year} hör till, t.ex. "
                     f"{mandate_of(model.year).text}"))
    # the later years of a plan over several years show their målvärden too
    later = sorted({y for p in model.config.periods if p.type == "plan"
                    for y in range(p.start.year, p.end.year + 1)} - {model.year})
    for goal in model.goals.values():
        for ii, ind in enumerate(goal.indicators):
            for year in (y for y in later if ind.target_for(y) is None):
                problems.append(problem("config-target-missing", file=model.file,
                                        key=where(f"{goal.key}.indikatorer[{ii}].målvärde"),
                                        indicator=ind.id, year=year))
            if ind.assessed_target(model.year, mandate)[0] is None:
                problems.append(problem("config-target-missing", file=model.file,
                                        key=where(f"{goal.key}.indikatorer[{ii}].målvärde"),
                                        indicator=ind.id, year=model.year))
            if ind.by_gender and (why := check_by_gender(ind.source)):
                problems.append(problem("config-gender-source", file=model.file,
                                        key=where(f"{goal.key}.indikatorer[{ii}].kön"),
                                        indicator=ind.id, reason=why))


def load_styrmodell(path: Path) -> tuple[Styrmodell | None, list[Problem]]:
    """Read, validate and index ``path``. The model is ``None`` when there is any ``fel``."""
    from reportkit.styrmodell.config import _display_name, load_config

    config, problems, lines = load_config(path)
    if config is None:
        return None, problems
    model, more = build(config, _display_name(path), lines)
    problems = problems + more
    if any(p.is_error for p in problems):
        return None, problems
    return model, problems
