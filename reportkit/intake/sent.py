"""Changes after utskick: what a workbook was sent out with against the styrmodell now.

A workbook keeps the goal texts, indicator names and målvärden it was made with (its locked
cells and ``_meta``: :attr:`~reportkit.intake.check.Submission.sent`). When the styrmodell has
changed since ``reportkit workbooks`` wrote it (a målvärde raised, a goal reworded), each
difference is a varning per unit with both values (``wb-changed-after-sent``), so nobody
assumes the unit answered against the new text. Which målvärde applies is written in
docs/bedomning.md: the styrmodell's. A row id that does not belong to the unit is identity
(``wb-unit-mismatch``, :mod:`reportkit.intake.identity`), not this; an id the styrmodell no
longer has is left to the roll-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportkit.errors import Problem, problem
from reportkit.styrmodell.targets import target_from_json, target_text, target_to_json
from reportkit.workbook import layout
from reportkit.workbook.parse import clean_text

if TYPE_CHECKING:
    from reportkit.intake.check import Submission
    from reportkit.styrmodell.model import Styrmodell


def changed_since_sent(sub: Submission, model: Styrmodell, file: str) -> list[Problem]:
    """A varning per goal text, indicator name and målvärde of ``sub``'s workbook that the
    styrmodell now has otherwise (the målvärde for the styrmodell's year, as ``workbooks``
    writes it). Dict lookups only: consolidate calls it for every new workbook (1,636 in
    Storstad; making each unit's workbook content anew took 5 s)."""
    if not sub.sent or sub.unit_id not in model.units:
        return []
    out: list[Problem] = []

    def changed(sheet: str, cell: str, item: str, what: str, sent: str, current: str) -> None:
        out.append(problem("wb-changed-after-sent", file=file, sheet=sheet, cell=cell,
                           unit=sub.unit_name, item=item, what=what, sent=sent, now=current))

    for goal_id, was in sub.sent.get("goals", {}).items():
        goal = model.goals.get(goal_id)
        if goal is not None and was["name"] not in (None, clean_text(goal.name)):
            changed(layout.GOALS_SHEET, was["cell"], goal_id, "målets text", f"'{was['name']}'",
                    f"'{clean_text(goal.name)}'")
    for ind_id, was in sub.sent.get("indicators", {}).items():
        found = model.indicators.get(ind_id)
        if found is None:
            continue
        ind = found[0]
        if was["name"] not in (None, clean_text(ind.name)):
            changed(layout.INDICATORS_SHEET, was["cell"], ind_id, "indikatorns namn",
                    f"'{was['name']}'", f"'{clean_text(ind.name)}'")
        # what the workbook's förslag was computed against: the mandatperiod's in its last
        # year (the plan shows the year's own)
        target = ind.target_for(model.year) if sub.period_type == "plan" else \
            ind.assessed_target(model.year, model.config.mandate)[0]
        if "target" in was and not _same_target(was["target"], target):
            changed(layout.INDICATORS_SHEET, was["target_cell"], ind_id, "målvärdet",
                    _shown(was["target"], ind.unit), _shown(target, ind.unit))
    return out


def _same_target(sent: Any, now: Any) -> bool:
    sent, now = target_from_json(sent), target_from_json(target_to_json(now))
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (sent, now)):
        return type(sent) is type(now) and sent == now  # ja/nej, a range, a direction, none
    return abs(float(sent) - float(now)) <= 1e-9 * max(1.0, abs(float(now)))


def _shown(value: Any, unit: str) -> str:
    if value is None:
        return "(inget målvärde)"
    return target_text(target_from_json(target_to_json(value)), unit)  # 85 %, Ja, 80–90 %
