"""The edges the mutation run found untested (issue 23 item 4): one (code, sheet, cell) per edge,
on real generated Exempelkommun workbooks.

- an activity that ends the day it starts is valid; a day earlier is ``activity-end-before-start``
  (``end < start`` in intake/check.py, not ``<=``);
- the share-or-percent rule of a percent cell (workbook/parse.py ``share_or_percent``): a
  bare 0,5 is 0,5 % against a målvärde below 2,5, ambiguous from 2,5 to 10 (5 to 20 times
  the number, both included) and read as 50 % above 10;
- an activity without a status is complete in the plan period (status is set at follow-up)
  and ``activity-incomplete`` on its row in a follow-up period.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reportkit.intake.check import check_file
from reportkit.workbook import layout
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook

UNIT = "solrosens-forskola"
GOAL = "solrosens-forskola-E1"
SHARE_INDICATOR = "solrosens-forskola-E1-I1"     # %, målvärde 90 in the model


def found(report) -> list[tuple[str, str | None, str | None]]:
    return [(p.code, p.location.sheet, p.location.cell) for p in report.problems]


def activities(report) -> list:
    assert report.submission is not None
    return report.submission.activities


def activity(pt: str, **cells: Any) -> dict[str, Any]:
    base = {"goal": GOAL, "description": "Utemiljö", "status": "Pågår"}
    base.update(cells)
    sheet = layout.ACTIVITIES_SHEET
    return {f"{sheet}!{layout.cell_of(sheet, pt, k, 0)}": v for k, v in base.items()}


# -- an activity of one day -----------------------------------------------------------------

def test_an_activity_that_ends_the_day_it_starts_is_valid(delar_workbooks, fill) -> None:
    day = dt.datetime(2026, 5, 4)
    path = fill(delar_workbooks[UNIT], activity("delår", start=day, end="2026-05-04"),
                name="en-dag.xlsx")
    report = check_file(path, expected_period="2026-delår")
    assert "activity-end-before-start" not in [c for c, *_ in found(report)]
    assert [(a.start, a.end) for a in activities(report)] == [
        (dt.date(2026, 5, 4), dt.date(2026, 5, 4))]


def test_an_activity_that_ends_the_day_before_it_starts_is_an_error(delar_workbooks,
                                                                    fill) -> None:
    path = fill(delar_workbooks[UNIT],
                activity("delår", start=dt.datetime(2026, 5, 4), end="2026-05-03"),
                name="dagen-fore.xlsx")
    report = check_file(path, expected_period="2026-delår")
    end = layout.cell_of(layout.ACTIVITIES_SHEET, "delår", "end", 0)
    assert ("activity-end-before-start", layout.ACTIVITIES_SHEET, end) in found(report)
    assert activities(report) == []


# -- the share-or-percent rule's edges: målvärde 5 and 20 times the number -------------------

TARGETS = (2.49, 2.5, 10.0, 10.01)


@pytest.fixture(scope="module")
def share_workbooks(exempel, tmp_path_factory: pytest.TempPathFactory) -> dict[float, Path]:
    """solrosens-forskola's delår workbook with the first indicator's målvärde set to each of
    :data:`TARGETS` (the model's is 90)."""
    model, period = exempel
    content = build_content(model, UNIT, period)
    out = tmp_path_factory.mktemp("andel")
    books = {}
    for target in TARGETS:
        rows = [dataclasses.replace(r, target=target) if r.id == SHARE_INDICATOR else r
                for r in content.indicators]
        changed = dataclasses.replace(content, indicators=type(content.indicators)(rows))
        books[target] = generate_workbook(changed, out / f"malvarde-{target}.xlsx")
    return books


def _actual_cell() -> str:
    return layout.cell_of(layout.INDICATORS_SHEET, "delår", "actual", 0)


@pytest.mark.parametrize("target", [2.5, 10.0])
def test_a_bare_share_5_to_20_times_below_the_target_is_ambiguous(share_workbooks, fill,
                                                                   target: float) -> None:
    # 0,5 against 2,5: 0,5 % is 5 times below, 50 % 20 times above; asked, not guessed
    addr = _actual_cell()
    path = fill(share_workbooks[target], {f"{layout.INDICATORS_SHEET}!{addr}": "0,5"},
                name=f"andel-{target}.xlsx")
    report = check_file(path, expected_period="2026-delår")
    assert ("cell-ambiguous-number", layout.INDICATORS_SHEET, addr) in found(report)
    assert not any(v.field == "indicator.actual" and v.item == SHARE_INDICATOR
                   for v in report.values)


@pytest.mark.parametrize("target, expected", [(2.49, 0.5), (10.01, 50.0)])
def test_a_bare_share_outside_the_close_call_is_read(share_workbooks, fill, target: float,
                                                     expected: float) -> None:
    addr = _actual_cell()
    path = fill(share_workbooks[target], {f"{layout.INDICATORS_SHEET}!{addr}": "0,5"},
                name=f"andel-{target}.xlsx")
    report = check_file(path, expected_period="2026-delår")
    assert ("cell-ambiguous-number", layout.INDICATORS_SHEET, addr) not in found(report)
    assert ("indicator.actual", SHARE_INDICATOR, expected, layout.INDICATORS_SHEET, addr) in {
        (v.field, v.item, v.value, v.sheet, v.cell) for v in report.values}


# -- activity status: set at follow-up, not in the plan ---------------------------------------

@pytest.fixture(scope="module")
def plan_workbook(exempel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit.styrmodell.project import Project

    model, _ = exempel
    project = Project.open(Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun")
    _, plan = project.period("2026-plan")
    return generate_workbook(build_content(model, UNIT, plan),
                             tmp_path_factory.mktemp("plan") / f"{UNIT}.xlsx")


def test_an_activity_without_status_is_complete_in_the_plan(plan_workbook, fill) -> None:
    path = fill(plan_workbook, activity("plan", status=None), name="plan-utan-status.xlsx")
    report = check_file(path, expected_period="2026-plan")
    assert "activity-incomplete" not in [c for c, *_ in found(report)]
    assert [(a.description, a.status) for a in activities(report)] == [
        ("Utemiljö", "")]


def test_an_activity_without_status_is_incomplete_at_follow_up(delar_workbooks, fill) -> None:
    path = fill(delar_workbooks[UNIT], activity("delår", status=None),
                name="delar-utan-status.xlsx")
    report = check_file(path, expected_period="2026-delår")
    row_cell = layout.address(0, layout.FIRST_ROW)
    assert ("activity-incomplete", layout.ACTIVITIES_SHEET, row_cell) in found(report)
    assert next(p for p in report.problems if p.code == "activity-incomplete").message == \
        "Aktiviteten på rad 4 saknar status."


def test_a_plan_activity_still_needs_its_goal_and_description(plan_workbook, fill) -> None:
    # the exemption is for the status only
    path = fill(plan_workbook, activity("plan", status=None, description=None),
                name="plan-utan-beskrivning.xlsx")
    report = check_file(path, expected_period="2026-plan")
    row_cell = layout.address(0, layout.FIRST_ROW)
    assert ("activity-incomplete", layout.ACTIVITIES_SHEET, row_cell) in found(report)
    assert next(p for p in report.problems if p.code == "activity-incomplete").message == \
        "Aktiviteten på rad 4 saknar aktivitet."
