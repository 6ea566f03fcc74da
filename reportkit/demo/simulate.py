"""The filling simulator: fill generated styrkort workbooks the way units would, from a seed.

Used by the demo, the tests and the benchmarks: :func:`fill_workbooks` opens each generated
workbook with openpyxl, reads its ``_meta`` sheet (the rows, the model, the scale) and writes
utfall, prognoser, bedömningar, analyses, activities and texts in plausible Swedish. Utfall are
drawn per goal so that about 55 % of the goals end Uppfyllt, 30 % Delvis and 15 % Ej uppfyllt
(the förslag is recomputed with :mod:`reportkit.styrmodell.assess`, exactly as ``check`` does).

With ``mistakes=True`` about one file in twelve gets exactly one realistic mistake (a missing
utfall, an unmotivated bedömning, an unreadable number, an activity ending before it starts);
each is recorded as a :class:`Mistake` with the cell and the catalogue code ``check`` reports.
Each file draws from ``random.Random(f"{seed}:{unit_id}")``, so its result depends only on the
seed and its own content, and the same seed gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from reportkit.files import atomic_path, normalize_zip
from reportkit.formats import format_number
from reportkit.styrmodell import assess
from reportkit.styrmodell.targets import target_from_json
from reportkit.workbook import layout

__all__ = ["MISTAKE_CODES", "MISTAKE_RATE", "FillNote", "Mistake", "fill_workbook",
           "fill_workbooks"]

_T = TypeVar("_T")

MISTAKE_RATE = 1 / 12
MISTAKE_CODES = {
    "missing-actual": "indicator-not-measured",
    "unmotivated-assessment": "assessment-needs-motivation",
    "text-number": "cell-not-number",
    "end-before-start": "activity-end-before-start",
}
"""Each kind of mistake the simulator makes → the code ``reportkit check`` reports for it."""

GOAL_MIX = ((assess.UPPFYLLT, 0.55), (assess.DELVIS, 0.30), (assess.EJ_UPPFYLLT, 0.15))
OVERRIDE_RATE = 0.08
OVERRIDE_RATE_ABOVE = 0.25
"""A verksamhet, nämnd or the kommun judges on the underlag and departs from it more often."""


@dataclass(frozen=True)
class Mistake:
    kind: str
    sheet: str
    cell: str

    @property
    def code(self) -> str:
        return MISTAKE_CODES[self.kind]

    def __str__(self) -> str:
        return f"{self.kind} {self.cell}"


class FillNote(NamedTuple):
    file: Path
    unit_id: str
    mistakes: list[Mistake]


def fill_workbooks(paths: list[Path], out_dir: Path, *, seed: int = 2026,
                   mistakes: bool = True) -> list[FillNote]:
    """Fill each generated workbook and save it as ``out_dir/<same name>``."""
    return [fill_workbook(Path(p), Path(out_dir) / Path(p).name, seed=seed, mistakes=mistakes)
            for p in paths]


def fill_workbook(path: Path, target: Path, *, seed: int = 2026, mistakes: bool = True,
                  mistake: str | None = None) -> FillNote:
    """Fill one workbook into ``target``; ``mistake`` forces that one kind (tests, demos)."""
    import openpyxl

    if mistake is not None and mistake not in MISTAKE_CODES:
        raise ValueError(f"unknown mistake {mistake!r}; known: {', '.join(MISTAKE_CODES)}")
    wb = openpyxl.load_workbook(path)
    filler = _Filler(wb, seed)
    made = filler.fill(mistake if mistake else ("auto" if mistakes else None))
    # openpyxl keeps formulas but not their cached values: let Excel recompute on opening
    wb.calculation.fullCalcOnLoad = True
    with atomic_path(target) as tmp:
        wb.save(tmp)
        normalize_zip(tmp)
    return FillNote(Path(target), filler.unit_id, made)


class _Filler:
    # wb: an openpyxl Workbook, taken as Any: its cells' values are a wide union in the stubs,
    # and the filler reads them back as the generator wrote them
    def __init__(self, wb: Any, seed: int) -> None:
        self.wb = wb
        ws = wb[layout.META_SHEET]
        meta = {}
        for row in range(1, len(layout.META_KEYS) + 1):
            key, value = ws.cell(row, 1).value, ws.cell(row, 2).value
            if key in ("scale", "rows", "locked", "model"):
                value = json.loads(value)
            meta[key] = value
        self.meta = meta
        self.unit_id = str(meta["unit_id"])
        self.unit = str(meta["unit_name"])
        self.level = str(meta["level"])
        self.pt = str(meta["period_type"])
        self.year = int(float(meta["year"]))
        self.rows: dict[str, list[str]] = meta["rows"]
        self.model = meta["model"]
        self.targets = tuple(self.model.get("targets", ()))  # the Målvärde columns' headers
        self.genders = tuple(self.model.get("genders", ()))  # the kön columns' headers
        self.scale = assess.make_scale(meta["scale"]["steps"])
        self.forecast_labels = bool(meta["scale"].get("forecast"))
        deadline = str(meta.get("deadline") or "")
        self.today = (dt.date.fromisoformat(deadline) - dt.timedelta(days=8)
                      if deadline and self.pt != "plan" else dt.date(self.year, 12, 31))
        self.rng = random.Random(f"{seed}:{self.unit_id}")
        # kvinnor's and män's utfall (kön: ja) draw from their own stream, so the rest of a
        # workbook fills as it did before the kön columns
        self.gender_rng = random.Random(f"{seed}:{self.unit_id}:kön")
        self.mistakes: list[Mistake] = []
        self.when = _period_words(self.pt, self.year)

    # -- helpers -----------------------------------------------------------------------------
    def put(self, sheet: str, key: str, n: int, value: Any) -> str:
        if isinstance(value, str):
            value = value.lstrip("=")  # a leading "=" would make openpyxl write a formula
        addr = layout.cell_of(sheet, self.pt, key, n, self.targets, self.genders)
        self.wb[sheet][addr].value = value
        return addr

    def get(self, sheet: str, key: str, n: int) -> Any:
        return self.wb[sheet][layout.cell_of(sheet, self.pt, key, n, self.targets,
                                             self.genders)].value

    def put_genders(self, n: int, spec: dict[str, Any], total: float) -> None:
        """Kvinnor's and män's utfall around the total, for a row split by kön."""
        if not spec.get("by_gender") or not self.genders or spec["target_type"] == "janej":
            return
        spread = self.gender_rng.uniform(0.02, 0.12)
        for key, sign in zip(layout.GENDER_KEYS.values(), (1, -1), strict=True):
            value = round(total * (1 + sign * spread), 1)
            if spec["unit"] == "%":
                value = min(value, 100.0)
            self.put(layout.INDICATORS_SHEET, key, n,
                     int(value) if value.is_integer() else value)

    def label(self, status: str) -> str:
        return self.scale.label(status, forecast=self.forecast_labels)

    def pick(self, items: Sequence[_T]) -> _T:
        return items[int(self.rng.random() * len(items))]

    # -- the run -----------------------------------------------------------------------------
    def fill(self, mistake: str | None) -> list[Mistake]:
        roll, which = self.rng.random(), self.rng.random()
        due = [n for n, i in enumerate(self.rows.get(layout.INDICATORS_SHEET, []))
               if self.model["indicators"][i]["due"]] if self.pt in layout.FOLLOW_UP else []
        goals = self.rows.get(layout.GOALS_SHEET, [])
        feasible = ["end-before-start"] if self.activity_goals() and \
            layout.ACTIVITIES_SHEET in self.rows else []
        if self.pt in layout.FOLLOW_UP:
            typed = [n for n in due if self.model["indicators"][
                self.rows[layout.INDICATORS_SHEET][n]].get("locked") != "actual"]
            feasible = (["missing-actual", "text-number"] if typed else []) + \
                (["unmotivated-assessment"] if goals else []) + feasible
        if mistake == "auto":
            mistake = feasible[int(which * len(feasible))] if feasible and \
                roll < MISTAKE_RATE else None
        elif mistake is not None and mistake not in feasible:
            raise ValueError(f"{self.unit_id}: cannot make a {mistake!r} mistake in this workbook")
        self.mistake = mistake
        if self.pt in layout.FOLLOW_UP:
            results = self.fill_indicators(due)
            self.fill_goals(results)
        else:
            self.fill_plan()
        self.fill_activities()
        self.fill_texts()
        return self.mistakes

    # -- indicators --------------------------------------------------------------------------
    def fill_indicators(self, due: list[int]) -> dict[str, assess.IndicatorResult]:
        sheet = layout.INDICATORS_SHEET
        ids = self.rows[sheet]
        specs = self.model["indicators"]
        by_goal: dict[str, list[int]] = {}
        for n, ind_id in enumerate(ids):
            by_goal.setdefault(specs[ind_id]["goal"], []).append(n)
        values: dict[int, float | None] = {}
        self.goal_aim: dict[str, str] = {}
        for goal_id, rows in by_goal.items():
            aim = self.rng.choices([s for s, _ in GOAL_MIX], [w for _, w in GOAL_MIX])[0]
            self.goal_aim[goal_id] = aim
            combine = self.model["goals"].get(goal_id, {}).get("combine", "medel")
            values.update(self.draw_goal([n for n in rows if n in due], aim, combine))
        typed = [n for n in due if specs[ids[n]].get("locked") != "actual"]
        bad = self.pick(typed) if self.mistake in ("missing-actual", "text-number") else None
        results = {}
        for n, ind_id in enumerate(ids):
            spec = specs[ind_id]
            value = values.get(n)
            prefilled = self.get(sheet, "actual", n)
            locked = spec.get("locked") == "actual"  # filled in from its källa: left alone
            if isinstance(prefilled, (int, float)) and not isinstance(prefilled, bool) \
                    and n in due and (n != bad or locked):
                # a figure prefilled from the ekonomiavdelning (or an earlier answer) stays
                value = values[n] = float(prefilled)
            elif locked:
                value = values[n] = None
            if n in due and locked:
                # the figure reportkit filled in: not typed over, but the person's draws are
                # made as for a typed one, so the rest of the workbook fills as before
                self.typed(value if value is not None else 0.0, spec["unit"])
            if n in due and not locked:
                addr = layout.cell_of(sheet, self.pt, "actual", n, self.targets, self.genders)
                if n == bad and self.mistake == "missing-actual":
                    self.mistakes.append(Mistake("missing-actual", sheet, addr))
                    value = None
                elif n == bad:
                    text = self.number_text(value, spec["unit"])
                    self.put(sheet, "actual", n, self.pick(("ca {}", "{} ungefär", "ca {}?"))
                             .format(text))
                    self.mistakes.append(Mistake("text-number", sheet, addr))
                    value = None
                else:
                    assert value is not None  # drawn for every row that is due
                    self.put(sheet, "actual", n, self.typed(value, spec["unit"]))
                    self.put_genders(n, spec, value)
            if layout.has_forecast(self.pt) and (self.get(sheet, "forecast", n) is not None
                                                 or spec.get("locked") == "forecast"):
                pass  # prefilled prognos stays
            elif self.rng.random() < 0.5 and layout.has_forecast(self.pt):
                base = value if value is not None else self.value_for(
                    spec, self.draw_degree(self.goal_aim[spec["goal"]]))
                self.put(sheet, "forecast", n, self.forecast_of(spec, base))
            if self.get(sheet, "comment", n) is None and self.rng.random() < 0.3:
                self.put(sheet, "comment", n, self.pick(INDICATOR_COMMENTS))
            elif locked and not str(self.get(sheet, "comment", n)).startswith(
                    _ECONOMY_NOTE) and self.rng.random() < 0.3:
                # a figure from källa (not the ekonomiavdelning's, whose note was always
                # there): the draws of a typed row, so the rest fills as before; the note stays
                self.pick(INDICATOR_COMMENTS)
            results[ind_id] = _assess(spec, value if n in due else None, self.scale,
                                      due=n in due)
        self.values = values
        return results

    def draw_goal(self, rows: list[int], aim: str, combine: str) -> dict[int, float]:
        specs = self.model["indicators"]
        ids = self.rows[layout.INDICATORS_SHEET]
        best: dict[int, float] = {}
        for _ in range(40):
            best = {n: self.value_for(specs[ids[n]], self.draw_degree(aim)) for n in rows}
            got = assess.combine_indicators(
                [_assess(specs[ids[n]], v, self.scale) for n, v in best.items()], combine,
                self.scale).status
            if got == aim or not rows:
                break
        return best

    def draw_degree(self, aim: str) -> float:
        r = self.rng
        if aim == assess.UPPFYLLT:
            return 1.0 + abs(r.gauss(0.03, 0.04))
        if aim == assess.DELVIS:
            return r.uniform(1.0, 1.08) if r.random() < 0.35 else r.uniform(0.81, 0.985)
        return r.uniform(0.45, 0.8) if r.random() < 0.8 else r.uniform(0.8, 1.05)

    def value_for(self, spec: dict[str, Any], degree: float) -> float:
        t, kind, b = spec["target"], spec["target_type"], spec["baseline"]
        higher = spec["direction"] == "högre"
        reached = degree >= 1.0
        if isinstance(t, dict):  # a range {från, till}: inside it, or just outside
            low, high = t["från"], t["till"]
            inside = low + (high - low) * self.rng.uniform(0.1, 0.9)
            return self.rounded(spec, inside if reached else low - max(1.0, (high - low) / 4))
        if isinstance(t, str):  # a direction (ska öka): past last year's value, or not
            last = spec.get("previous")
            last = self.rng.uniform(40, 80) if last is None else last
            step = max(abs(last) * 0.04, 1.0) * (1 if higher == reached else -1)
            return self.rounded(spec, last + step)
        if kind == "janej" or isinstance(t, bool):
            return float(bool(t) == reached) if isinstance(t, bool) else float(reached)
        if t is None:
            return self.rounded(spec, b if b is not None else self.rng.uniform(20, 90))
        margin = max(abs(t) * abs(degree - 1.0), 1.0 if abs(t) >= 10 else 0.1)
        if kind in ("minst", "högst"):
            up = (kind == "minst") == reached
            return self.rounded(spec, t + margin if up else t - margin)
        if kind == "progression" and b is not None and t != b:
            return self.rounded(spec, b + degree * (t - b))
        if t <= 0 or kind == "progression":
            return self.rounded(spec, t + (margin if higher == reached else -margin))
        return self.rounded(spec, degree * t if higher else (2 - degree) * t)

    def rounded(self, spec: dict[str, Any], value: float) -> float:
        t = spec["target"]
        whole = spec["unit"] in ("antal", "dagar", "st", "kr") and (
            not isinstance(t, (int, float)) or float(t).is_integer() or abs(t) >= 20)
        value = max(0.0, value)
        if spec["unit"] == "%":
            value = min(100.0, value)
            whole = self.rng.random() < 0.4
        return float(round(value)) if whole else round(value, 1)

    def forecast_of(self, spec: dict[str, Any], base: float) -> float:
        t = spec["target"]
        if not isinstance(t, (int, float)) or isinstance(t, bool) or \
                spec["target_type"] == "janej":
            return base  # also a range or a direction
        return self.rounded(spec, base + (t - base) * self.rng.uniform(0.0, 0.7))

    def typed(self, value: float, unit: str) -> float | int | str:
        """The value as a person enters it: mostly a number, sometimes text Excel keeps."""
        if self.rng.random() >= 0.15:
            return int(value) if value.is_integer() else value
        text = self.number_text(value, unit, plain_space=True)
        if unit == "%" and self.rng.random() < 0.6:
            return text + self.pick((" %", "%"))
        return text

    def number_text(self, value: float | None, unit: str, plain_space: bool = False) -> str:
        value = 0.0 if value is None else value
        text = format_number(value, 0 if value.is_integer() else 1)
        return text.replace("\u00a0", " ") if plain_space else text

    # -- goals -------------------------------------------------------------------------------
    def fill_goals(self, results: dict[str, assess.IndicatorResult]) -> None:
        sheet = layout.GOALS_SHEET
        goals = self.rows.get(sheet, [])
        wrong = self.pick(range(len(goals))) if self.mistake == "unmotivated-assessment" \
            else None
        for n, goal_id in enumerate(goals):
            gm = self.model["goals"][goal_id]
            name = str(self.get(sheet, "name", n) or goal_id)
            rs = [results[i] for i in gm["indicators"] if i in results]
            proposal = assess.combine_indicators(rs, gm["combine"], self.scale).status \
                if rs else gm.get("proposal")
            status = proposal
            rate = OVERRIDE_RATE if self.level == "enhet" else OVERRIDE_RATE_ABOVE
            override = self.rng.random() < rate
            if n == wrong or override:
                status = self.other_status(proposal)
                self.put(sheet, "assessment", n, self.label(status))
                if n == wrong:
                    self.mistakes.append(Mistake("unmotivated-assessment", sheet,
                                                 layout.cell_of(sheet, self.pt, "motivation", n)))
                else:
                    self.put(sheet, "motivation", n, self.motivation(proposal, status,
                                                                     below=not rs))
            about = self.indicator_sentence(gm["indicators"])
            self.put(sheet, "analysis", n, self.analysis(name, about, status))
            at_risk = status in (assess.DELVIS, assess.EJ_UPPFYLLT, assess.EJ_MATT) or (
                status is None and self.goal_aim.get(goal_id, self.pick(
                    [s for s, _ in GOAL_MIX])) != assess.UPPFYLLT)
            if at_risk:
                self.put(sheet, "actions", n, self.sentences(ACTIONS, 1, 2))

    def other_status(self, proposal: str | None) -> str:
        steps = [s.status for s in self.scale.steps]
        if proposal not in steps:
            return self.pick(steps)
        i = steps.index(proposal)
        near = [steps[j] for j in (i - 1, i + 1) if 0 <= j < len(steps)]
        return self.pick(near)

    def motivation(self, proposal: str | None, status: str, below: bool = False) -> str:
        steps = [s.status for s in self.scale.steps]
        better = proposal not in steps or steps.index(status) < steps.index(proposal)
        pool: tuple[str, ...]
        if below and self.level != "enhet":
            pool = MOTIVATION_BELOW_UP if better else MOTIVATION_BELOW_DOWN
        else:
            pool = MOTIVATION_UP if better else MOTIVATION_DOWN
        return self.pick(pool).format(unit=self.unit, **self.when)

    def indicator_sentence(self, ind_ids: list[str]) -> str:
        """One sentence on one of the goal's indicators, with its utfall when there is one."""
        sheet = layout.INDICATORS_SHEET
        rows = [self.rows[sheet].index(i) for i in ind_ids]
        if not rows:
            return ""
        n = self.pick(rows)
        spec = self.model["indicators"][self.rows[sheet][n]]
        name = str(self.get(sheet, "name", n) or "")
        value, target = self.values.get(n), spec["target"]
        numeric = isinstance(target, (int, float)) and not isinstance(target, bool)
        if value is not None and numeric and spec["target_type"] != "janej":
            unit = spec["unit"]
            shown = self.number_text(value, unit) + (f"\u00a0{unit}" if unit == "%" else "")
            goal = self.number_text(float(target), unit) + (
                f"\u00a0{unit}" if unit == "%" else "")
            return self.pick(INDICATOR_SENTENCES).format(indicator=name, value=shown,
                                                        target=goal)
        return f"Indikatorn ”{name}” följs särskilt {self.when['ahead']}."

    def analysis(self, goal: str, about: str, status: str | None) -> str:
        pool = ANALYSIS.get(status or "", ANALYSIS[""])
        words = {"goal": goal, "unit": self.unit}
        first = self.pick(pool).format(reason=self.pick(REASONS), obstacle=self.pick(OBSTACLES),
                                       **words, **self.when)
        tone = "good" if status == assess.UPPFYLLT else "bad" if status else "any"
        more = self.pick(ANALYSIS_MORE[tone] + ANALYSIS_MORE["any"]).format(
            reason=self.pick(REASONS), obstacle=self.pick(OBSTACLES), **words, **self.when)
        parts = [first, about, more] if about else [first, more]
        if about and self.rng.random() < 0.35:
            parts.pop()
        return " ".join(_cap(p) for p in parts)

    def sentences(self, pool: tuple[str, ...], low: int, high: int) -> str:
        picked = self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))
        return " ".join(_cap(s.format(unit=self.unit, year=self.year, reason=self.pick(REASONS),
                                      obstacle=self.pick(OBSTACLES), **self.when))
                        for s in picked)

    # -- plan --------------------------------------------------------------------------------
    def fill_plan(self) -> None:
        sheet = layout.GOALS_SHEET
        for n, _ in enumerate(self.rows.get(sheet, [])):
            name = str(self.get(sheet, "name", n) or "")
            self.put(sheet, "plan_comment", n,
                     self.pick(PLAN_COMMENTS).format(goal=name, reason=self.pick(REASONS)))
        for n, _ in enumerate(self.rows.get(layout.INDICATORS_SHEET, [])):
            if self.rng.random() < 0.3:
                self.put(layout.INDICATORS_SHEET, "comment", n, self.pick(INDICATOR_COMMENTS))

    # -- activities and texts ----------------------------------------------------------------
    def activity_goals(self) -> list[str]:
        own = list(self.rows.get(layout.GOALS_SHEET, []))
        if own:
            return own
        return sorted({s["goal"] for s in self.model["indicators"].values()})

    def fill_activities(self) -> None:
        sheet = layout.ACTIVITIES_SHEET
        goals = self.activity_goals()
        if not goals or sheet not in self.wb.sheetnames:
            return
        carried = [n for n in range(len(self.rows.get(sheet, [])))
                   if self.get(sheet, "description", n)]
        if carried:
            self.update_activities(carried)
            return
        count = self.rng.randint(2, 4)
        wrong = self.rng.randrange(count) if self.mistake == "end-before-start" else None
        descriptions = self.rng.sample(ACTIVITIES, count)
        for n in range(count):
            start = dt.date(self.year, 1, 8) + dt.timedelta(days=self.rng.randint(0, 240))
            end = start + dt.timedelta(days=self.rng.randint(30, 200))
            end = min(end, dt.date(self.year, 12, 31))
            self.put(sheet, "goal", n, goals[n % len(goals)] if n < len(goals)
                     else self.pick(goals))
            self.put(sheet, "description", n, descriptions[n])
            self.put(sheet, "responsible", n, self.pick(NAMES))
            self.put(sheet, "start", n, start)
            if n == wrong:
                end = start - dt.timedelta(days=self.rng.randint(5, 60))
                self.mistakes.append(Mistake("end-before-start", sheet,
                                             layout.cell_of(sheet, self.pt, "end", n)))
            self.put(sheet, "end", n, end)
            if self.pt != "plan":
                self.put(sheet, "status", n, self.activity_status(start, end))
            if self.rng.random() < 0.6:
                self.put(sheet, "comment", n, self.pick(ACTIVITY_COMMENTS))

    def update_activities(self, rows: list[int]) -> None:
        """Activities already in the workbook (the plan's, or an earlier answer): set the
        status of each (and sometimes a comment) instead of writing new ones."""
        sheet = layout.ACTIVITIES_SHEET
        wrong = self.pick(rows) if self.mistake == "end-before-start" else None
        for n in rows:
            start, end = _date(self.get(sheet, "start", n)), _date(self.get(sheet, "end", n))
            if n == wrong and start is not None:
                end = start - dt.timedelta(days=self.rng.randint(5, 60))
                self.put(sheet, "end", n, end)
                self.mistakes.append(Mistake("end-before-start", sheet,
                                             layout.cell_of(sheet, self.pt, "end", n)))
            if self.pt != "plan" and start is not None and end is not None:
                self.put(sheet, "status", n, self.activity_status(start, end))
            if self.rng.random() < 0.6:
                self.put(sheet, "comment", n, self.pick(ACTIVITY_COMMENTS))

    def activity_status(self, start: dt.date, end: dt.date) -> str:
        r = self.rng.random()
        if r < 0.03:
            return "Avbruten"
        if start > self.today:
            return "Ej påbörjad"
        if end <= self.today:
            return "Klar" if r < 0.85 else "Försenad"
        return "Pågår" if r < 0.9 else "Försenad"

    def fill_texts(self) -> None:
        sheet = layout.TEXTS_SHEET
        for n, key in enumerate(self.rows.get(sheet, [])):
            self.put(sheet, "text", n, self.sentences(TEXTS.get(key, TEXTS["_"]), 2, 4))


def _period_words(period_type: str, year: int) -> dict[str, str]:
    """The words a text needs to fit its period: during the year (tertial, delår …) it looks
    ahead to the rest of the year; in the årsredovisning (and a plan) to the next year."""
    from reportkit.styrmodell.periods import is_interim

    if is_interim(period_type):
        return {"ahead": "under resten av året", "ahead_year": f"resten av {year}",
                "later": "till hösten", "next_season": "under hösten",
                "target_when": "vid årets slut",
                "outcome": "Prognosen för helåret är ett litet överskott",
                "in_balance": "Vi bedömer att verksamheten är i balans vid årets slut och att "
                              "inga ytterligare åtgärder behövs"}
    return {"ahead": "under nästa år", "ahead_year": str(year + 1), "later": "till nästa år",
            "next_season": "under nästa år", "target_when": "nästa år",
            "outcome": "Året slutade med ett litet överskott",
            "in_balance": "Verksamheten var i balans vid årets slut, och inga ytterligare "
                          "åtgärder behövs"}


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_ECONOMY_NOTE = "Låst: enligt ekonomiavdelningens"
"""How the prefill's note on a finansiellt figure begins (outputs/prefill.py)."""


def _assess(spec: dict[str, Any], value: float | None, scale: assess.Scale,
            due: bool = True) -> assess.IndicatorResult:
    actual: float | bool | None = value
    if spec["target_type"] == "janej" and value is not None:
        actual = bool(value)
    return assess.assess_indicator(actual, target_from_json(spec["target"]),
                                   direction=spec["direction"],
                                   target_type=spec["target_type"], baseline=spec["baseline"],
                                   scale=scale, due=due, previous=spec.get("previous"))


# -- the Swedish the simulated units write -----------------------------------------------------

NAMES = ("Anna Lindberg", "Erik Johansson", "Maria Svensson", "Johan Karlsson", "Sara Nilsson",
         "Mikael Andersson", "Elin Persson", "Fredrik Olsson", "Karin Gustafsson", "Ali Hassan",
         "Lena Pettersson", "Jonas Eklund", "Fatima Yusuf", "Per Holm", "Sofia Berglund",
         "Emma Sandberg", "Oskar Lund", "Helena Åberg", "Nils Öberg", "Amira Khalil")

REASONS = ("ett mer systematiskt kvalitetsarbete", "den fortbildning alla medarbetare har fått",
           "ett nära samarbete med vårdnadshavare och anhöriga",
           "nya rutiner för uppföljning varje månad", "en stabilare bemanning under våren",
           "de digitala verktyg som infördes förra året", "tydligare mål på arbetsplatsträffarna",
           "ett utökat samarbete med andra förvaltningar")

OBSTACLES = ("hög sjukfrånvaro under vintern", "vakanta tjänster som har varit svåra att "
             "tillsätta", "ett ökat antal ärenden", "förseningar i en upphandling",
             "brist på ändamålsenliga lokaler", "en hög personalomsättning",
             "införandet av ett nytt verksamhetssystem")

ANALYSIS = {
    assess.UPPFYLLT: (
        "Resultatet för målet ”{goal}” har förbättrats jämfört med förra året tack vare "
        "{reason}.",
        "Målet ”{goal}” bedöms nås, främst tack vare {reason}.",
        "Arbetet med ”{goal}” har gått enligt plan och resultaten ligger i nivå med eller "
        "över målvärdena.",
    ),
    assess.DELVIS: (
        "Arbetet med ”{goal}” går framåt men når ännu inte hela vägen.",
        "Målet ”{goal}” nås delvis; {reason} har gett effekt, men {obstacle} har bromsat "
        "utvecklingen.",
        "Resultatet för ”{goal}” är bättre än förra året men når ännu inte alla målvärden.",
    ),
    assess.EJ_UPPFYLLT: (
        "Målet ”{goal}” nås inte under perioden, främst på grund av {obstacle}.",
        "Resultatet för ”{goal}” har försämrats jämfört med förra året.",
        "{unit} har inte nått målet ”{goal}”; {obstacle} har påverkat mer än väntat.",
    ),
    "": (
        "Målet ”{goal}” följs upp genom resultaten i verksamheterna under nämnden.",
        "Arbetet med ”{goal}” pågår, och de flesta aktiviteter är genomförda eller "
        "påbörjade.",
    ),
}

ANALYSIS_MORE = {
    "good": (
        "Vi ser att {reason} har gjort skillnad i vardagen.",
        "De planerade aktiviteterna är till största delen genomförda.",
        "Arbetssättet ska nu spridas till fler delar av verksamheten.",
    ),
    "bad": (
        "{obstacle} har påverkat förutsättningarna under perioden.",
        "Flera aktiviteter har fått skjutas upp {later}.",
        "Vi behöver förstärka arbetet för att nå målvärdet {target_when}.",
    ),
    "any": (
        "Medarbetarna har varit delaktiga i att ta fram och följa upp aktiviteterna.",
        "Resultaten har diskuterats på arbetsplatsträffar under perioden.",
    ),
}

INDICATOR_SENTENCES = (
    "Indikatorn ”{indicator}” landade på {value} mot målvärdet {target}.",
    "”{indicator}” blev {value}, att jämföra med målvärdet {target}.",
    "Utfallet för ”{indicator}” är {value} (målvärde {target}).",
)

ACTIONS = (
    "Vi tar fram en handlingsplan tillsammans med medarbetarna och följer upp den varje månad.",
    "Extra stöd sätts in i de grupper där resultatet är svagast.",
    "Rekryteringen av vakanta tjänster prioriteras {next_season}.",
    "Rutinerna ses över och förtydligas på nästa arbetsplatsträff.",
    "Vi utökar samarbetet med förvaltningens stödfunktioner för att vända utvecklingen.",
)

MOTIVATION_UP = (
    "Förslaget bygger på en mätning före sommaren. Åtgärderna som infördes i maj har redan "
    "gett effekt, och vi bedömer därför att resultatet blir bättre än förslaget visar.",
    "Senare uppföljningar visar en tydlig förbättring som inte syns i indikatorerna ännu. "
    "{unit} bedömer därför måluppfyllelsen högre än förslaget.",
    "Avvikelsen beror på ett fåtal svar i mätningen och speglar inte verksamheten som helhet.",
)

MOTIVATION_DOWN = (
    "Indikatorerna ser bra ut, men de fångar inte att flera planerade aktiviteter har "
    "skjutits upp. Vi gör därför en försiktigare bedömning än förslaget.",
    "Resultatet vilar på en mätning med lågt deltagande. {unit} bedömer läget som sämre än "
    "förslaget visar.",
    "Trenden under sommaren har varit negativ, så vi bedömer att målet inte nås fullt ut.",
)

MOTIVATION_BELOW_UP = (
    "Underlaget drar ned förslaget, men de enheter som inte når målet har redan satt in "
    "åtgärder som ger effekt {next_season}. {unit} bedömer därför måluppfyllelsen högre.",
    "Förslaget vägs ned av en enda verksamhet med tillfälliga problem; sett till helheten "
    "bedömer {unit} att målet nås i högre grad.",
)

MOTIVATION_BELOW_DOWN = (
    "Underlaget ser bra ut, men flera analyser nedifrån pekar på risker som ännu inte syns i "
    "resultaten. {unit} gör därför en försiktigare bedömning än förslaget.",
    "De verksamheter som väger tyngst för målet redovisar svagare resultat än de mindre, så "
    "{unit} bedömer måluppfyllelsen lägre än förslaget.",
)

INDICATOR_COMMENTS = (
    "Mätningen gjordes i mars.", "Svarsfrekvensen var lägre än förra året.",
    "Nytt mätsätt från i år, jämför med försiktighet.", "Utfallet avser den senaste "
    "mätningen.", "Uppgiften kommer från verksamhetssystemet.",
    "Något bättre än förra året.", "Påverkas av hög sjukfrånvaro under februari.",
)

PLAN_COMMENTS = (
    "Vi arbetar mot målet ”{goal}” genom {reason}.",
    "Under året prioriterar vi ”{goal}” och följer upp arbetet på varje arbetsplatsträff.",
    "För att nå ”{goal}” bygger vi vidare på {reason} och tar fram en tydlig aktivitetsplan.",
)

ACTIVITIES = (
    "Kompetensutveckling i språkutvecklande arbetssätt", "Ny rutin för uppföljning av "
    "sjukfrånvaro", "Medarbetardialoger om arbetsmiljö", "Workshop om digitala arbetssätt",
    "Översyn av schemaläggningen", "Brukarundersökning med uppföljande samtal",
    "Energieffektivisering av lokalerna", "Samverkan med elevhälsan kring närvaro",
    "Utbildning i systematiskt kvalitetsarbete", "Införande av ny e-tjänst för ansökningar",
    "Friskvårdssatsning för medarbetare", "Översyn av rutiner för synpunkter och klagomål",
    "Utökad introduktion för nyanställda", "Mentorsprogram för nya chefer",
)

ACTIVITY_COMMENTS = (
    "Genomförs enligt plan.", "Har tagit längre tid än beräknat.", "Följs upp på APT i höst.",
    "Samordnas med övriga enheter.", "Alla medarbetare har deltagit.",
    "Utvärdering pågår.",
)

TEXTS: dict[str, tuple[str, ...]] = {
    "handelser": (
        "Under perioden har {unit} fått en ny ledningsorganisation.",
        "{unit} har flyttat in i renoverade lokaler, vilket har förbättrat arbetsmiljön.",
        "En omfattande rekrytering har genomförts och alla tjänster är nu tillsatta.",
        "Ett nytt verksamhetssystem har införts, vilket krävt mycket tid av medarbetarna.",
        "Efterfrågan har ökat tydligt jämfört med samma period förra året.",
    ),
    "verksamhetsuppfoljning": (
        "Verksamheten vid {unit} har i stort bedrivits enligt plan.",
        "Volymerna har ökat något jämfört med förra året, medan kvaliteten har hållits på en "
        "jämn nivå.",
        "Brukarnas och invånarnas nöjdhet är fortsatt hög enligt årets undersökning.",
        "Samarbetet med privata utförare fungerar väl och följs upp två gånger per år.",
        "Arbetet har präglats av {reason}.",
    ),
    "forvantad_utveckling": (
        "Under {ahead_year} väntas efterfrågan fortsätta att öka.",
        "{unit} behöver anpassa verksamheten till en växande befolkning.",
        "Kompetensförsörjningen är den största utmaningen de kommande åren.",
        "Digitaliseringen väntas ge effekt i form av kortare handläggningstider.",
        "Vi räknar med att {obstacle} fortsätter att påverka verksamheten.",
    ),
    "ekonomi": (
        "{unit} redovisar ett resultat nära budget för perioden.",
        "Personalkostnaderna är något högre än budgeterat på grund av vikarier.",
        "{outcome} tack vare lägre lokalkostnader.",
        "Intäkterna från statsbidrag har blivit högre än beräknat.",
        "Avvikelsen mot budget beror främst på {obstacle}.",
    ),
    "ekonomi_atgarder": (
        "{unit} ser över bemanningen och återbesätter inte alla vakanser.",
        "Inköp som inte är nödvändiga skjuts upp till nästa år.",
        "Vikarieanvändningen följs upp varje vecka för att minska kostnaderna.",
        "{in_balance}.",
    ),
    "nulagesanalys": (
        "{unit} har en stabil verksamhet med engagerade medarbetare.",
        "Resultaten är goda inom de flesta områden, men sjukfrånvaron är fortsatt för hög.",
        "En styrka är {reason}.",
        "En svaghet är att {obstacle} påverkar kontinuiteten.",
    ),
    "omvarldsanalys": (
        "Befolkningen i kommunen växer och blir äldre, vilket påverkar efterfrågan.",
        "Konkurrensen om kompetent personal ökar i hela regionen.",
        "Nya krav i lagstiftningen påverkar {unit} från och med {year}.",
        "Kostnadsökningar för energi och material väntas fortsätta.",
    ),
    "forbattringsomraden": (
        "{unit} prioriterar arbetsmiljön och en minskad sjukfrånvaro.",
        "Vi ska utveckla den digitala servicen till invånarna.",
        "Kvalitetsarbetet ska bli mer systematiskt genom {reason}.",
        "Samverkan med andra verksamheter ska stärkas.",
    ),
    "ekonomiska_forutsattningar": (
        "Ramen för {year} är i stort sett oförändrad jämfört med förra året.",
        "Större investeringar under året är ombyggnaden av lokaler och nya IT-system.",
        "Löneökningar och prisökningar kompenseras delvis i ramen.",
        "{unit} behöver effektivisera för att rymmas inom tilldelad ram.",
    ),
    "_": (
        "{unit} har arbetat enligt plan under perioden.",
        "Arbetet har präglats av {reason}.",
        "Vi följer utvecklingen noga {ahead}.",
    ),
}
