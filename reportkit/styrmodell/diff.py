"""What changed between two styrmodeller (``reportkit diff``): pure comparison, by id.

Compared: målområden, goals, indicators, their målvärde, units (nämnder, bolag, verksamheter,
enheter), the organisation's kinds (a unit's ``typ``, the levels' names), the
internkontrollplaner (their adoption), their kontrollmoment and the givna uppdrag. Each
:class:`Change` says what (``what``: målområde, mål, indikator, målvärde, enhet, organisation,
internkontrollplan, kontrollmoment, uppdrag),
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
from reportkit.styrmodell.control import Assignment, ControlPoint, InternalControl
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.targets import TargetRange, TargetTrend, target_text

WHAT_ORDER = ("organisation", "målområde", "enhet", "mål", "indikator", "målvärde",
              "internkontrollplan", "kontrollmoment", "uppdrag")
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
               *_goals(old, new), *_indicators(old, new), *_plans(old, new),
               *_control_points(old, new), *_assignments(old, new)]
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


def _adoption(ik: InternalControl | None, committee: str) -> str:
    plan = next((p for p in ik.plans if p.committee == committee), None) if ik else None
    if plan is None or not (plan.adopted or plan.paragraph):
        return ""
    return " ".join(x for x in (plan.adopted.isoformat() if plan.adopted else "",
                                plan.paragraph) if x)


def _plans(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    """A plan's adoption (antagen, paragraf), in the kommun's heading for intern kontroll."""
    ik_old, ik_new = old.config.internal_control, new.config.internal_control
    ids = [p.committee for p in ik_new.plans] if ik_new else []
    ids += [p.committee for p in ik_old.plans if p.committee not in ids] if ik_old else []
    either = ik_new or ik_old
    heading = either.heading if either is not None else ""
    for cid in ids:
        before, after = _adoption(ik_old, cid), _adoption(ik_new, cid)
        if before != after:
            unit = new.units.get(cid) or old.units.get(cid)
            name = f"{heading}: {unit.name if unit else cid}"
            yield Change("internkontrollplan", "ändrad", cid, name, before, after)


def _points(model: Styrmodell) -> dict[str, tuple[ControlPoint, str]]:
    """Kontrollmoment id → (the point, whose plan it is in: the nämnd's name or the
    kommungemensamma's)."""
    ik = model.config.internal_control
    if ik is None:
        return {}
    out = {p.id: (p, "kommungemensamt") for p in ik.common}
    for plan in ik.plans:
        unit = model.units.get(plan.committee)
        for p in plan.points:
            out.setdefault(p.id, (p, unit.name if unit else plan.committee))
    return out


def _risk(model: Styrmodell, p: ControlPoint) -> str:
    """``Möjlig × Allvarlig = 9 Hög risk``: the kommun's words for the steps and level."""
    ik = model.config.internal_control
    assert ik is not None
    scale = ik.scale
    words = (scale.likelihood[p.likelihood - 1] if p.likelihood <= scale.size else "",
             scale.consequence[p.consequence - 1] if p.consequence <= scale.size else "")
    return (f"{words[0]} ({p.likelihood}) × {words[1]} ({p.consequence}) = "
            f"{scale.value(p.likelihood, p.consequence)} "
            f"{scale.level(p.likelihood, p.consequence).label}")


_POINT_FIELDS = (("risk", "risk"), ("kontrollmetod", "method"), ("ansvarig", "responsible"),
                 ("frekvens", "frequency"), ("rapporteras", "reported"))


def _control_points(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    before, after = _points(old), _points(new)
    for pid, (point, place) in after.items():
        if pid not in before:
            yield Change("kontrollmoment", "tillagd", pid, point.process, "", place)
            continue
        was, was_place = before[pid]
        if was.process != point.process:
            yield Change("kontrollmoment", "omdöpt", pid, point.process, was.process,
                         point.process)
        if was_place != place:
            yield Change("kontrollmoment", "flyttad", pid, point.process, was_place, place)
        if (was.likelihood, was.consequence) != (point.likelihood, point.consequence):
            yield Change("kontrollmoment", "ändrad", pid, f"{point.process} (riskvärde)",
                         _risk(old, was), _risk(new, point))
        for label, attr in _POINT_FIELDS:
            if getattr(was, attr) != getattr(point, attr):
                yield Change("kontrollmoment", "ändrad", pid, f"{point.process} ({label})",
                             getattr(was, attr), getattr(point, attr))
    for pid, (point, place) in before.items():
        if pid not in after:
            yield Change("kontrollmoment", "borttagen", pid, point.process, place, "")


def _assignment_text(model: Styrmodell, a: Assignment) -> str:
    """``Socialnämnden, återrapportering 2027-06-30``."""
    unit = model.units.get(a.responsible)
    return f"{unit.name if unit else a.responsible}, återrapportering {a.due.isoformat()}"


def _assignments(old: Styrmodell, new: Styrmodell) -> Iterator[Change]:
    ua_old, ua_new = old.config.assignments, new.config.assignments
    before = {a.id: a for a in ua_old.items} if ua_old else {}
    after = {a.id: a for a in ua_new.items} if ua_new else {}
    for aid, a in after.items():
        was = before.get(aid)
        decision = _decision(a.reference, was.reference if was else None)
        if was is None:
            yield Change("uppdrag", "tillagd", aid, a.description, "",
                         _assignment_text(new, a), decision)
            continue
        if was.description != a.description:
            yield Change("uppdrag", "omdöpt", aid, a.description, was.description,
                         a.description, decision)
        if was.responsible != a.responsible:
            yield Change("uppdrag", "flyttad", aid, a.description, _assignment_text(old, was),
                         _assignment_text(new, a), decision)
        if was.due != a.due:
            yield Change("uppdrag", "ändrad", aid, f"{a.description} (återrapportering)",
                         was.due.isoformat(), a.due.isoformat(), decision)
        kinds_old = ua_old.kinds.words() if ua_old else {}
        kinds_new = ua_new.kinds.words() if ua_new else {}
        if (was.origin, was.given_by, was.kind) != (a.origin, a.given_by, a.kind):
            yield Change("uppdrag", "ändrad", aid, f"{a.description} (ursprung)",
                         f"{was.given_by or was.origin}, {kinds_old.get(was.kind, was.kind)}",
                         f"{a.given_by or a.origin}, {kinds_new.get(a.kind, a.kind)}",
                         decision)
    for aid, a in before.items():
        if aid not in after:
            yield Change("uppdrag", "borttagen", aid, a.description,
                         _assignment_text(old, a), "")
