"""Storstad, the benchmarks' large kommun (benchmarks/storstad.py), generated small (30
enheter) and consolidated for the helår and the delår: every unit's workbook loads, the
simulator's share of mistakes comes back as fel, and the koncern, the Kolada values, the intern
kontroll and the uppdrag reach the store. Storstad once broke silently when the workbooks
changed under it (KeyError 'Indikatorer.actual_k' after the kön columns landed): this catches
that in the default suite."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
UNITS = 30


def _storstad() -> ModuleType:
    spec = importlib.util.spec_from_file_location("storstad", REPO / "benchmarks" / "storstad.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def storstad(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path, dict]:
    module = _storstad()
    root = tmp_path_factory.mktemp("storstad") / "storstad"
    times = module.make_storstad(root, jobs=1, units=UNITS)
    return module, root, times


def _consolidated(root: Path, period_id: str) -> tuple[Any, Any]:
    """The consolidation's report and the roll-up's intern kontroll and uppdrag."""
    from reportkit import consolidate_period
    from reportkit.consolidate.rollup import compute_cached
    from reportkit.documents.control import control_data
    from reportkit.storage.access import opened

    report = consolidate_period(root, period_id, workers=1, outputs=False)
    with opened(root, period_id, consolidated=True) as (project, model, period, conn):
        results = compute_cached(conn, model, period.id)
    return report, control_data(project, model, period, dict(results.submitted))


@pytest.mark.parametrize("period_id", ["2026-helår", "2026-delår"])
def test_storstad_small_consolidates_with_every_feature(
        storstad: tuple[ModuleType, Path, dict], period_id: str) -> None:
    module, root, times = storstad
    org = module.Org(UNITS)
    units = 1 + len(org.committees) + len(module.COMPANIES) + org.ops + org.units
    assert org.units == UNITS and org.ops == 12  # at least one verksamhet per nämnd
    assert times["workbooks_count"] == 2 * units  # helår and delår
    assert len(list((root / "inkommet" / period_id).glob("*.xlsx"))) == units

    report, control = _consolidated(root, period_id)
    assert len(report.new) == units
    loaded = [f for f in report.new if f.submission is not None]
    assert len(loaded) == units, [f.file for f in report.new if f.submission is None]
    with_errors = [f.file for f in report.new if f.has_errors]
    assert 0 < len(with_errors) <= units // 4, with_errors  # the filler's mistakes, no more
    codes = {p.code for f in report.new for p in f.problems if p.is_error}
    assert codes <= {"indicator-not-measured", "assessment-needs-motivation",
                     "cell-not-number", "activity-end-before-start"}, codes
    assert not [p for p in report.problems if p.is_error], report.problems

    koncern = report.exports.item("koncern")
    assert koncern is not None and koncern.state != "fel" and koncern.rows > 50, koncern
    assert not report.exports.has_errors, report.exports.to_dict()

    # intern kontroll and uppdrag: every nämnd's and bolag's plan, answered in its workbook
    assert control is not None and control.ik is not None and control.ua is not None
    planned = {c.committee for c in control.follow.controls}
    assert planned == {c["id"] for c in org.committees} | {cid for cid, _ in module.COMPANIES}
    counts = control.follow.result_counts()
    assert counts["utan_anmarkning"] > 0 and counts["med_avvikelse"] > 0, counts
    assert sum(counts.values()) == len(control.follow.controls) > 12 * 5
    assert 40 <= len(control.follow.assignments) <= 60
    assert {a.origin for a in control.follow.assignments} == {"KF", "KS", "nämnd"}
    reported = [a for a in control.follow.assignments if a.status != "ej_rapporterat"]
    assert len(reported) > len(control.follow.assignments) // 2


def test_storstad_has_kolada_values_and_the_demos_keys(
        storstad: tuple[ModuleType, Path, dict]) -> None:
    from reportkit import kolada_overview
    from reportkit.styrmodell.project import Project

    _module, root, times = storstad
    assert times["kolada_values"] > 50
    overview = kolada_overview(root)
    assert overview.fetch is not None and "Storstad" in overview.fetch.group_title
    model = Project.open(root).styrmodell(2026)
    assert model.config.kolada.group_year == 2025
    assert model.config.politics is not None
    assert sum(p.seats for p in model.config.politics.seats) == 101
    assert model.config.glossary
