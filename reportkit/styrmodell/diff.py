"""What changed between two styrmodeller (``reportkit diff``): pure comparison, by id.

Compared: målområden, goals, indicators, their målvärde, units (nämnder, bolag, verksamheter,
enheter) and the organisation's kinds (a unit's ``typ``, the levels' names). Each
:class:`Change` says what (``what``: målområde, mål, indikator, målvärde, enhet, organisation),
how (``change``: tillagd, borttagen, omdöpt, flyttad, ändrad), the id, the value before and
after, and the decision reference (``beslut``) the new file gives the thing when that
reference is new or differs from the old file's: an unchanged reference belongs to an
earlier decision, not to this change.

Målvärden are compared year by year, for the newer file's year and later (and the
``mandatperiod`` target): a multi-year target the old file already had and the new one keeps
is no change; one set or changed for the new year is (with its beslut). The same year twice
(the file now against the one the workbooks were made from) shows a target changed after
utskick.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from reportkit.formats import format_value
from reportkit.styrmodell.config import Goal, Indicator
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.targets import TargetRange, TargetTrend, target_text

WHAT_ORDER = ("organisation", "målområde", "enhet", "mål", "indikator", "målvärde")
CHANGE_ORDER = ("tillagd", "borttagen", "omdöpt", "flyttad", "ändrad")


@dataclass(frozen=True)
class Change:
    what: str
    change: str
    id: str
    name: str
    before: str = ""
    after: str = ""
    decision: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _goal_configs(model: Styrmodell) -> dict[str, Goal]:
    out = {g.id: g for g in model.config.goals}

    def walk(node: Any) -> None:
        for goal in node.goals:
            out[goal.id] = goal
        for key in ("operations", "units", "subsidiaries"):
            for child in getattr(node, key, []):
                walk(child)

    for com in model.config.committees:
        walk(com)
    return out


def _unit_decisions(model: Styrmodell) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if node.decision:
            out[node.id] = node.decision
        for key in ("operations", "units", "subsidiaries"):
            for child in getattr(node, key, []):
                walk(child)

    for com in model.config.committees:
        walk(com)
    return out


def _decision(new: str | None, old: str | None) -> str:
    return new if new and new != old else ""


def _target(ind: Indicator, key: str) -> str:
    value = ind.targets.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, TargetRange | TargetTrend):  # 80–90 %, Ska öka
        return target_text(value, ind.unit)
    return format_value(float(value), ind.unit, ind.decimals)


def compare(old: Styrmodell, new: Styrmodell) -> list[Change]:
    """Every change from ``old`` to ``new``, in a stable order: by what, then the order of
    the files (removed things where they stood in the old file, after the new file's)."""
    changes = [*_org_kinds(old, new), *_areas(old, new), *_units(old, new),
               *_goals(old, new), *_indicators(old, new)]
    return sorted(changes, key=lambda c: (WHAT_ORDER.index(c.what),
                                          CHANGE_ORDER.index(c.change)))


def _org_kinds(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    for level in ("kommun", "nämnd", "verksamhet", "enhet"):
        for label, before, after in (
                ("namn", old.level_name(level), new.level_name(level)),
                ("målnamn", old.goal_name(level), new.goal_name(level))):
            if before != after:
                yield Change("organisation", "ändrad", level, f"nivån {level}: {label}",
                             before, after)
    if old.words.area.grundform != new.words.area.grundform:
        yield Change("organisation", "ändrad", "målområdesnamn", "målområdesnamn",
                     old.words.area.grundform, new.words.area.grundform)


def _areas(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    before = {a.id: a for a in old.config.areas}
    after = {a.id: a for a in new.config.areas}
    for aid, area in after.items():
        if aid not in before:
            yield Change("målområde", "tillagd", aid, area.name)
        elif before[aid].name != area.name:
            yield Change("målområde", "omdöpt", aid, area.name, before[aid].name, area.name)
    for aid, area in before.items():
        if aid not in after:
            yield Change("målområde", "borttagen", aid, area.name)


def _units(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    decided_old, decided_new = _unit_decisions(old), _unit_decisions(new)

    def parent(model: Styrmodell, uid: str) -> str:
        p = model.units[uid].parent
        return "" if p is None else f"{p} {model.units[p].name}"

    for uid, unit in new.units.items():
        decision = _decision(decided_new.get(uid), decided_old.get(uid))
        was = old.units.get(uid)
        if was is None:
            yield Change("enhet", "tillagd", uid, unit.name, "", parent(new, uid), decision)
            continue
        if was.name != unit.name:
            yield Change("enhet", "omdöpt", uid, unit.name, was.name, unit.name, decision)
        if was.parent != unit.parent:
            yield Change("enhet", "flyttad", uid, unit.name, parent(old, uid), parent(new, uid),
                         decision)
        if (was.level, was.kind) != (unit.level, unit.kind):
            yield Change("organisation", "ändrad", uid, unit.name,
                         _kind_text(old, was.level, was.kind),
                         _kind_text(new, unit.level, unit.kind), decision)
    for uid, unit in old.units.items():
        if uid not in new.units:
            yield Change("enhet", "borttagen", uid, unit.name, parent(old, uid), "")


def _kind_text(model: Styrmodell, level: str, kind: str) -> str:
    return kind.replace("_", " ") if level == "nämnd" else model.level_name(level)


def _goals(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    old_cfg, new_cfg = _goal_configs(old), _goal_configs(new)

    def place(model: Styrmodell, gid: str) -> str:
        goal = model.goals[gid]
        owner = model.units[goal.owner].name
        return owner + (f" (under {', '.join(goal.parents)})" if goal.parents else "")

    for gid, goal in new.goals.items():
        decision = _decision(new_cfg[gid].decision, old_cfg[gid].decision
                             if gid in old_cfg else None)
        was = old.goals.get(gid)
        if was is None:
            yield Change("mål", "tillagd", gid, goal.name, "", place(new, gid), decision)
            continue
        if was.name != goal.name:
            yield Change("mål", "omdöpt", gid, goal.name, was.name, goal.name, decision)
        if (was.owner, was.parents) != (goal.owner, goal.parents):
            yield Change("mål", "flyttad", gid, goal.name, place(old, gid), place(new, gid),
                         decision)
        if was.area != goal.area:
            yield Change("mål", "ändrad", gid, goal.name, old.area_name(was.area),
                         new.area_name(goal.area), decision)
    for gid, goal in old.goals.items():
        if gid not in new.goals:
            yield Change("mål", "borttagen", gid, goal.name, place(old, gid), "")


def _indicators(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    for iid, (ind, gid) in new.indicators.items():
        found = old.indicators.get(iid)
        was, was_goal = found if found is not None else (None, None)
        decision = _decision(ind.decision, was.decision if was is not None else None)
        if was is None:
            yield Change("indikator", "tillagd", iid, ind.name, "", gid, decision)
            continue
        if was.name != ind.name:
            yield Change("indikator", "omdöpt", iid, ind.name, was.name, ind.name, decision)
        if was_goal != gid:
            yield Change("indikator", "flyttad", iid, ind.name, str(was_goal), gid, decision)
        for label, before, after in (("måttenhet", was.unit, ind.unit),
                                     ("riktning", was.direction, ind.direction),
                                     ("måltyp", was.target_type, ind.target_type)):
            if before != after:
                yield Change("indikator", "ändrad", iid, f"{ind.name} ({label})", before,
                             after, decision)
        yield from _target_changes(was, ind, new.year, decision)
    for iid, (ind, gid) in old.indicators.items():
        if iid not in new.indicators:
            yield Change("indikator", "borttagen", iid, ind.name, gid, "")



def _target_changes(was: Indicator, ind: Indicator, year: int, decision: str
                    ) -> Iterator[Change]:
    """The målvärden for ``year`` and later (and ``mandatperiod``) that differ: a multi-year
    target already in the old file and the same in the new one is no change."""
    keys = sorted({k for k in (*was.targets, *ind.targets)
                   if k == "mandatperiod" or (k.isdigit() and int(k) >= year)})
    for key in keys:
        before, after = _target(was, key), _target(ind, key)
        if before == after:
            continue
        change = "tillagd" if not before else "borttagen" if not after else "ändrad"
        label = "mandatperioden" if key == "mandatperiod" else key
        yield Change("målvärde", change, ind.id, f"{ind.name} ({label})", before, after,
                     decision)
