"""Is a workbook the unit's own? The ids on its rows against the styrmodell.

A workbook names its unit in the very hidden ``_meta`` sheet, which anyone can edit. The ids
on its rows (goals on Mål, indicator and goal pairs on Indikatorer, the goal of each activity)
are what it holds; each must belong, in the styrmodell, to the unit it claims: its own goals,
and the indicators it measures of its own goals and of goals owned above it (the rule of
:func:`reportkit.workbook.content.build_content`). A row of another unit's is
``wb-unit-mismatch`` with its cell, and consolidate loads nothing from the file.

Texts and målvärden that differ from the styrmodell are not identity, nor are ids the
styrmodell no longer knows; the Underlag sheet of a higher level (ids of the units below) is
never read. The check needs the styrmodell, so it runs in consolidate and in ``check`` when the
file lies inside a project (:func:`model_for_file`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from reportkit.errors import Problem, problem
from reportkit.workbook import layout

_COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")  # "BUN (1)": a file saved twice
_SEPARATORS = " -_.("


class Identities:
    """The ids each unit's workbook may hold, from one styrmodell (built once per run)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self._owned: dict[str, list[Any]] = defaultdict(list)
        for goal in model.goals.values():
            self._owned[goal.owner].append(goal)
        self._names: dict[str, list[str]] = defaultdict(list)
        for unit in model.units.values():
            self._names[unit.name.casefold()].append(unit.id)
        self._ids = {u.casefold(): u for u in model.units}
        self._cache: dict[str, tuple[set[str], set[tuple[str, str]]]] = {}

    def allowed(self, unit_id: str) -> tuple[set[str], set[tuple[str, str]]]:
        """``(goal ids, (goal id, indicator id) pairs)`` a workbook of ``unit_id`` may hold:
        its own goals and the goals it measures an indicator of, and those indicators."""
        found = self._cache.get(unit_id)
        if found is not None:
            return found
        from reportkit.styrmodell.model import measures

        model = self.model
        unit = model.units[unit_id]
        goals: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for goal in self._owned.get(unit_id, ()):
            goals.add(goal.id)
            for ind in goal.indicators:
                if measures(unit, ind, goal):
                    pairs.add((goal.id, ind.id))
        for above in model.ancestors(unit_id):
            for goal in self._owned.get(above.id, ()):
                for ind in goal.indicators:
                    if measures(unit, ind, goal):
                        goals.add(goal.id)
                        pairs.add((goal.id, ind.id))
        self._cache[unit_id] = (goals, pairs)
        return goals, pairs

    def label(self, unit_id: str) -> str:
        """``Name (id)``, or the id of a unit the styrmodell lacks."""
        unit = self.model.units.get(unit_id)
        return f"{unit.name} ({unit_id})" if unit is not None else unit_id

    def _owner(self, goal_id: str) -> str:
        goal = self.model.goals.get(goal_id)
        if goal is None:
            return "okänt mål"
        return f"{goal_id} ägs av {self.label(goal.owner)}"

    def problems(self, sub: Any, file: str) -> list[Problem]:
        """``wb-unit-mismatch`` for the first row of each sheet (and each ``_meta`` field) that
        belongs to another unit than ``sub.unit_id`` claims; [] for a unit the styrmodell
        lacks (``wb-unknown-unit`` says that)."""
        model = self.model
        unit = model.units.get(sub.unit_id)
        if unit is None:
            return []
        claimed = self.label(sub.unit_id)
        goals, pairs = self.allowed(sub.unit_id)
        own = {g.id for g in self._owned.get(sub.unit_id, ())}
        found: list[Problem] = []

        def add(sheet: str, cell: str, item: str, owner: str) -> None:
            found.append(problem("wb-unit-mismatch", file=file, sheet=sheet, cell=cell,
                                 unit=claimed, item=item, owner=owner))

        meta_cell = {key: f"B{i + 1}" for i, key in enumerate(layout.META_KEYS)}
        if sub.level != unit.level:
            add(layout.META_SHEET, meta_cell["level"], f"nivån {sub.level}",
                f"{claimed} är på nivån {unit.level}")
        others = [u for u in self._names.get(str(sub.unit_name).casefold(), ())
                  if u != sub.unit_id]
        if others and str(sub.unit_name).casefold() != unit.name.casefold():
            add(layout.META_SHEET, meta_cell["unit_name"], f"namnet {sub.unit_name}",
                f"det är namnet på {self.label(others[0])}")
        for n, entry in enumerate(sub.goals):
            if entry.goal_id in model.goals and entry.goal_id not in own:
                add(layout.GOALS_SHEET, layout.address(0, layout.FIRST_ROW + n),
                    f"målet {entry.goal_id}", self._owner(entry.goal_id))
                break
        for n, entry in enumerate(sub.indicators):
            known = model.indicators.get(entry.indicator_id)
            if known is None:
                continue
            if (entry.goal_id, entry.indicator_id) not in pairs:
                add(layout.INDICATORS_SHEET, layout.address(0, layout.FIRST_ROW + n),
                    f"indikatorn {entry.indicator_id}", self._owner(known[1]))
                break
        for entry in sub.activities:
            if entry.goal_id in model.goals and entry.goal_id not in goals:
                add(layout.ACTIVITIES_SHEET, entry.cells.get("goal", ""),
                    f"målet {entry.goal_id}", self._owner(entry.goal_id))
                break
        return found

    def named_unit(self, file_name: str) -> str | None:
        """The known unit a file name points at: its stem (without a copy suffix such as
        `` (1)``) is a unit's id or name, or begins with a unit's id and a separator
        (``BUN-rattad.xlsx``); the longest id wins. None when it names none."""
        stem = _COPY_SUFFIX.sub("", Path(file_name).stem).strip().casefold()
        if stem in self._ids:
            return self._ids[stem]
        names = self._names.get(stem)
        if names and len(names) == 1:
            return names[0]
        for end in range(len(stem) - 1, 0, -1):  # the longest id before a separator
            if stem[end] in _SEPARATORS and stem[:end] in self._ids:
                return self._ids[stem[:end]]
        return None

    def name_problem(self, sub: Any, file: str) -> Problem | None:
        """``wb-file-name-unit`` when ``file`` names a known unit other than ``sub``'s."""
        named = self.named_unit(file)
        if named is None or named == sub.unit_id:
            return None
        return problem("wb-file-name-unit", file=file, name=file, named=self.label(named),
                       unit=self.label(sub.unit_id))


def project_root(path: Path) -> Path | None:
    """The project ``path`` lies in: the nearest folder above it with ``styrmodell/``."""
    try:
        folder = path.resolve().parent
        return next((r for r in (folder, *folder.parents) if (r / "styrmodell").is_dir()), None)
    except OSError:
        return None


def identities_for(root: Path, period_id: str) -> Identities | None:
    """The identities of the styrmodell of ``period_id`` in the project at ``root``, or None
    when the project cannot give it (consolidate reports why)."""
    from reportkit.errors import ReportkitError
    from reportkit.styrmodell.project import Project

    try:
        return Identities(Project(root).period(period_id)[0])
    except (ReportkitError, OSError, ValueError):
        return None
