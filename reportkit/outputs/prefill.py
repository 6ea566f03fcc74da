"""What the project's store already holds for a workbook about to be written.

For a verksamhet, nämnd or the kommun: the Underlag (per own goal, the goals linked below it
with who reported, förslag, bedömning, motivation and analysis, the indicators measured below,
the underlag counted per status and who has not reported yet), and the förslag of own goals
the workbook cannot compute itself, all from :func:`reportkit.consolidate.rollup.compute` on
the draft. For every unit: its own answers of an active submission for the period (so a
re-prefill loses nothing) or, in a follow-up, the activities of its plan.

Read-only use of the store; nothing here writes to it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from reportkit import texts
from reportkit.storage.queries import submission_rows
from reportkit.styrmodell import assess, periods
from reportkit.styrmodell.config import Period
from reportkit.styrmodell.model import Styrmodell, measures
from reportkit.styrmodell.periods import is_interim
from reportkit.workbook.content import BelowBlock, BelowRow, Prefill
from reportkit.workbook.layout import GENDER_KEYS

if TYPE_CHECKING:
    from reportkit.consolidate.rollup import IndicatorResult
    from reportkit.styrmodell.project import Project

PREFILLED_LEVELS = ("verksamhet", "nämnd", "kommun")


def previous_outcomes(project: Project, model: Styrmodell, period: Period,
                      conn: sqlite3.Connection | None = None
                      ) -> dict[tuple[str, str], float]:
    """Last year's outcomes per (unit, indicator), the workbooks' "Utfall förra året": the
    consolidated year before from the store (``conn``), else the history files (``historik/
    utfall.csv`` and/or ``utfall.xlsx``, read as they are now); docs/historik.md."""
    from reportkit.consolidate.history import earlier_history, files_history, previous_year

    history = earlier_history(conn, model, period, project.root,
                              files=files_history(project, model, period))
    return previous_year(history, model.year)


class PrefillSource:
    """The store's state for one period, computed once and asked per unit."""

    def __init__(self, conn: sqlite3.Connection, model: Styrmodell, period: Period):
        from reportkit.consolidate.rollup import compute
        from reportkit.storage.store import active_submissions

        self.conn = conn
        self.model = model
        self.period = period
        self.active = active_submissions(conn, period.id)
        self.results = compute(conn, model, period.id) if self.active else None
        self.forecast = is_interim(period.type)
        # a new year's plan: last year's activities that end after 31 December go on
        self.carried = _carried(conn, model) if period.type == "plan" else {}
        plan = [p for p in model.config.periods if p.type == "plan"]
        self.plan_active = active_submissions(conn, plan[0].id) \
            if plan and period.type != "plan" else {}
        from reportkit.consolidate.sourced import sourced_values

        # the export- and Kolada-sourced indicators' figures (källa; the finansiella mål's),
        # locked in the measuring unit's workbook, so it writes on the numbers the documents
        # show
        self.sourced = sourced_values(conn, model, period, None)

    def label(self, status: str | None) -> str:
        if not status or self.results is None:
            return ""
        return self.results.scale.label(status, forecast=self.forecast)

    def prefill(self, unit_id: str) -> Prefill:
        out = Prefill()
        unit = self.model.units[unit_id]
        if unit.level in PREFILLED_LEVELS:
            self._below(unit_id, out)
        sub = self.active.get(unit_id)
        if sub is not None:
            self._own(sub, out)
        elif unit_id in self.plan_active:
            out.activities = [
                {"goal": a["goal_id"] or "", "description": a["description"] or "",
                 "responsible": a["responsible"] or "", "start": a["start"], "end": a["end"],
                 "status": "", "comment": ""}
                for a in submission_rows(self.conn, "activity",
                                         self.plan_active[unit_id]["id"], "row")]
        elif unit_id in self.carried:
            out.activities = self.carried[unit_id]
        self._sourced(unit_id, out)
        return out

    def _sourced(self, unit_id: str, out: Prefill) -> None:
        """The unit's export- and Kolada-sourced values, locked with their source and date;
        a value not yet there is a locked empty cell saying where it will come from."""
        today = periods.today().isoformat()
        for (ind_id, unit), v in sorted(self.sourced.items()):
            if unit != unit_id or (v.note and v.source.via):
                # finansiella_mål without its figure: typed in the workbook, as before källa
                continue
            cell = "forecast" if v.on_forecast and self.forecast else "actual"
            value = v.forecast if cell == "forecast" else v.actual
            if v.note:
                text = texts.source_pending(v.source.where, v.note)
            else:
                ind = self.model.indicators[ind_id][0]
                text = texts.source_locked(
                    v.where(), "" if v.fetched else today,
                    texts.latest_available(v.year) if v.year is not None
                    and v.year < self.model.year else "",
                    v.gender_text(ind.unit, ind.decimals, ind.gender_words)
                    if v.by_gender else "")
            out.locked[ind_id] = {"cell": cell, "value": value, "text": text}
            own = out.indicators.setdefault(ind_id, {"actual": None, "forecast": None,
                                                     "comment": ""})
            if not own.get("comment"):
                own["comment"] = text

    # -- the Underlag --------------------------------------------------------------------------
    def _below(self, unit_id: str, out: Prefill) -> None:
        model = self.model
        unit = model.units[unit_id]
        expected = [u for u in model.children_of(unit_id) if u.level in self.period.levels]
        if not expected:
            return
        missing = [u.name for u in expected if u.id not in self.active]
        if missing:
            out.state = (f"{len(expected) - len(missing)} av {len(expected)} under {unit.name} "
                         f"har lämnat in. Saknas: {', '.join(missing)}.")
        else:
            out.state = f"Alla {len(expected)} under {unit.name} har lämnat in."
        res = self.results
        for goal in model.goals_of(unit_id):
            block = BelowBlock(goal.id, "")
            gr = res.goals.get(goal.id) if res else None
            parts = [f"{goal.id}: {goal.name}"]
            below_units: set[str] = set()
            for child_id in goal.children:
                child = model.goals[child_id]
                below_units.add(child.owner)
                owner = model.units[child.owner].name
                cr = res.goals.get(child_id) if res else None
                if cr is None or cr.assessed_by is None:
                    block.rows.append(BelowRow(child_id, child.name, owner,
                                               self.label(cr.proposal) if cr else "",
                                               "Saknas – inte inlämnat ännu"))
                    continue
                assessment = self.label(cr.assessment)
                if cr.assessment and not cr.chosen:
                    assessment += " (= förslaget)"
                block.rows.append(BelowRow(
                    child_id, child.name, owner, self.label(cr.proposal), assessment,
                    cr.motivation or ("(ingen motivering, fast bedömningen avviker från "
                                      "förslaget)" if cr.deviates else ""),
                    cr.analysis if self.period.type != "plan" else cr.plan_comment,
                    cr.assessment or ""))
            below_inds = {i.id for i in goal.indicators if not measures(unit, i, goal)}
            below_inds_only = len(below_inds) == len(goal.indicators)
            for ind in gr.indicators if gr is not None else []:
                if ind.indicator_id in below_inds:
                    block.rows.append(self._indicator_row(ind))
                    below_units.update(m.unit_id for m in ind.measurements)
                    below_units.update(ind.missing_units)
            if self.period.type != "plan" and res is not None and gr is not None:
                if gr.underlag:
                    scale = res.scale
                    counts = ", ".join(f"{n} {scale.label(s, forecast=self.forecast)}"
                                       for s, n in sorted(gr.underlag.items(),
                                                          key=lambda kv: scale.rank(kv[0])))
                    parts.append(f"Underlaget: {counts}; sammanvägt "
                                 f"{self.label(gr.underlag_proposal)}")
                if gr.proposal and below_inds_only:
                    parts.append(f"Förslag för målet: {self.label(gr.proposal)} "
                                 f"({gr.proposal_rule})")
            gone = sorted(model.units[u].name for u in below_units if u not in self.active)
            if gone:
                parts.append("Saknas: " + ", ".join(gone))
            elif self.period.type != "plan" and (gr is None or not (gr.underlag or
                                                                    gr.indicators)):
                parts.append("Inget underlag ännu")
            block.heading = "\n".join(parts)
            if block.rows or goal.children:
                out.below.append(block)
            if gr is not None and gr.proposal and self.period.type != "plan" and \
                    below_inds_only:
                out.proposals[goal.id] = gr.proposal

    def _indicator_row(self, ind: IndicatorResult) -> BelowRow:
        from reportkit.formats import format_value
        from reportkit.styrmodell.targets import target_text

        who = ", ".join(sorted(self.model.units[m.unit_id].name for m in ind.measurements
                               if m.actual is not None))
        target = ind.target
        actual = bool(ind.actual) if isinstance(target, bool) and ind.actual is not None \
            else ind.actual  # a ja/nej indicator: Ja/Nej
        text = (f"Utfall {format_value(actual, ind.unit)} mot målvärde "
                f"{target_text(target, ind.unit)}; {ind.rule}")
        if ind.missing_units:
            text += " Saknas: " + ", ".join(sorted(self.model.units[u].name
                                                   for u in ind.missing_units)) + "."
        status = ind.status if ind.status != assess.MATS_VID_HELAR else ""
        return BelowRow(ind.indicator_id, f"Indikator: {ind.name}", who,
                        self.label(ind.status), "", "", text, status)

    # -- the unit's own earlier answers ---------------------------------------------------------
    def _own(self, sub: sqlite3.Row, out: Prefill) -> None:
        sid = sub["id"]
        out.source = sub["file"]
        for r in submission_rows(self.conn, "goal_entry", sid, "goal_id"):
            out.goals[r["goal_id"]] = {
                "assessment": r["assessment"] if r["chosen"] else None,
                "motivation": r["motivation"] or "", "analysis": r["analysis"] or "",
                "actions": r["actions"] or "", "plan_comment": r["plan_comment"] or ""}
        genders = []
        for r in submission_rows(self.conn, "indicator_value", sid, "indicator_id"):
            if r["gender"] != "T":  # kvinnor's and män's utfall, in their own columns
                genders.append(r)
                continue
            out.indicators[r["indicator_id"]] = {
                "actual": r["actual"], "forecast": r["forecast"], "comment": r["comment"] or ""}
        for r in genders:
            if r["indicator_id"] in out.indicators:
                out.indicators[r["indicator_id"]][GENDER_KEYS[r["gender"]]] = r["actual"]
        out.activities = [
            {"goal": a["goal_id"] or "", "description": a["description"] or "",
             "responsible": a["responsible"] or "", "start": a["start"], "end": a["end"],
             "status": a["status"] or "", "comment": a["comment"] or ""}
            for a in submission_rows(self.conn, "activity", sid, "row")]
        out.texts = {r["key"]: r["text"]
                     for r in submission_rows(self.conn, "text_entry", sid, "key")}




def _carried(conn: sqlite3.Connection, model: Styrmodell) -> dict[str, list[dict[str, Any]]]:
    """Per unit, the previous year's activities that end after its 31 December and are
    neither Klar nor Avbruten, as a new plan's rows (status empty; a goal id no longer in the
    styrmodell left for the unit to choose)."""
    from reportkit.storage.queries import continuing_activities

    out: dict[str, list[dict[str, Any]]] = {}
    for a in continuing_activities(conn, model.year - 1, ("Klar", "Avbruten")):
        if a["unit_id"] not in model.units:
            continue
        goal = a["goal_id"] if a["goal_id"] in model.goals else ""
        out.setdefault(a["unit_id"], []).append(
            {"goal": goal, "description": a["description"] or "",
             "responsible": a["responsible"] or "", "start": a["start"], "end": a["end"],
             "status": "", "comment": texts.ACTIVITY_CARRIED.format(year=model.year - 1)})
    return out
