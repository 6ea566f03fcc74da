"""The filling simulator: filled workbooks pass ``check`` except for the mistakes it records."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reportkit.demo.simulate import MISTAKE_CODES, fill_workbook, fill_workbooks
from reportkit.intake.check import check_file
from reportkit.styrmodell import assess
from reportkit.styrmodell.project import Project
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "exempelkommun"


def _generate(period_id: str, out: Path, level: str | None = None,
              ids: tuple[str, ...] = ()) -> list[Path]:
    model, period = Project.open(FIXTURE).period(period_id)
    units = [u for u in model.reporting_units(period)
             if (level is None or u.level == level) and (not ids or u.id in ids)]
    return [generate_workbook(build_content(model, u.id, period), out / f"{u.id}.xlsx")
            for u in units]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    root = tmp_path_factory.mktemp("sim")
    paths = _generate("2026-delår", root / "blank", level="enhet")
    notes = fill_workbooks(paths, root / "filled", seed=2026)
    reports = {n.file.name: check_file(n.file) for n in notes}
    return paths, notes, reports, root


def _where(report) -> set[tuple[str, str | None, str | None]]:
    return {(p.code, p.location.sheet, p.location.cell) for p in report.problems}


def test_every_enhet_workbook_is_filled_and_saved_under_the_same_name(filled):
    paths, notes, reports, root = filled
    assert len(paths) == 60
    assert [n.file for n in notes] == [root / "filled" / p.name for p in paths]
    assert all(n.unit_id == p.stem for n, p in zip(notes, paths, strict=True))
    sub = reports[paths[0].name].submission
    assert sub is not None and sub.goals and sub.indicators and sub.texts
    assert 2 <= len(sub.activities) <= 4
    assert all(g.analysis for g in sub.goals)


def test_files_without_mistakes_pass_check(filled):
    _, notes, reports, _ = filled
    clean = [n for n in notes if not n.mistakes]
    assert len(clean) >= 45
    for note in clean:
        report = reports[note.file.name]
        assert not report.has_errors, [p.to_dict() for p in report.problems]
        assert report.problems == []


def test_each_recorded_mistake_is_reported_at_its_cell(filled):
    _, notes, reports, _ = filled
    wrong = [n for n in notes if n.mistakes]
    assert 1 <= len(wrong) <= 12  # about one file in twelve
    for note in wrong:
        assert len(note.mistakes) == 1
        mistake = note.mistakes[0]
        assert str(mistake).endswith(mistake.cell)
        expected = {(mistake.code, mistake.sheet, mistake.cell)}
        assert _where(reports[note.file.name]) == expected


@pytest.mark.parametrize("kind", sorted(MISTAKE_CODES))
def test_each_kind_of_mistake_can_be_forced(filled, tmp_path, kind):
    paths = filled[0]
    note = fill_workbook(paths[0], tmp_path / paths[0].name, mistake=kind)
    assert [m.kind for m in note.mistakes] == [kind]
    m = note.mistakes[0]
    assert _where(check_file(note.file)) == {(MISTAKE_CODES[kind], m.sheet, m.cell)}


def test_same_seed_gives_identical_bytes(filled, tmp_path):
    paths, notes, _, _ = filled
    again = fill_workbooks(paths[:6], tmp_path / "a", seed=2026)
    for first, second in zip(notes[:6], again, strict=True):
        assert first.file.read_bytes() == second.file.read_bytes()
        assert first.mistakes == second.mistakes
    other = fill_workbooks(paths[:1], tmp_path / "b", seed=7)
    assert other[0].file.read_bytes() != notes[0].file.read_bytes()


def test_one_file_does_not_depend_on_the_others(filled, tmp_path):
    paths, notes, _, _ = filled
    alone = fill_workbooks([paths[5]], tmp_path, seed=2026)
    assert alone[0].file.read_bytes() == notes[5].file.read_bytes()


def test_no_mistakes_when_switched_off(filled, tmp_path):
    paths, notes, _, _ = filled
    chosen = [p for p, n in zip(paths, notes, strict=True) if n.mistakes][:3]
    for note in fill_workbooks(chosen, tmp_path, mistakes=False):
        assert note.mistakes == []
        assert check_file(note.file).problems == []


def test_proposals_are_spread_plausibly(filled):
    _, notes, reports, _ = filled
    goals = [g for r in reports.values() for g in r.submission.goals]
    counts = Counter(g.proposal for g in goals)
    for status in (assess.UPPFYLLT, assess.DELVIS, assess.EJ_UPPFYLLT):
        assert counts[status] > 0, counts
    assert 0.35 <= counts[assess.UPPFYLLT] / len(goals) <= 0.75, counts


def test_a_changed_assessment_is_motivated_unless_that_is_the_mistake(filled):
    _, notes, reports, _ = filled
    changed = 0
    for note in notes:
        if any(m.kind == "unmotivated-assessment" for m in note.mistakes):
            continue
        for goal in reports[note.file.name].submission.goals:
            if goal.assessment_chosen and goal.assessment != goal.proposal:
                changed += 1
                assert goal.motivation
    assert changed < len(notes) * 0.3


@pytest.mark.parametrize("period", ["2026-delår", "2026-plan"])
def test_higher_levels_fill_cleanly(tmp_path, period):
    ids = ("kommun", "KS", "klk") if period == "2026-delår" else ("kommun", "klk")
    paths = _generate(period, tmp_path / "blank", ids=ids)
    assert len(paths) == len(ids)
    for note in fill_workbooks(paths, tmp_path / "filled", mistakes=False):
        report = check_file(note.file)
        assert report.problems == [], [p.to_dict() for p in report.problems]
        sub = report.submission
        assert sub.texts
        # the kommun's styrkort has no activities (DOMAIN.md)
        assert bool(sub.activities) == (sub.unit_id != "kommun")
        if period == "2026-plan":
            assert all(g.plan_comment for g in sub.goals)
            assert all(a.status == "" for a in sub.activities)
        else:
            assert all(g.analysis for g in sub.goals)


def test_the_demo_texts_fit_their_period() -> None:
    """Issue 29: an årsredovisning never says "Under resten av 2026", "Prognosen för helåret"
    or "vid årets slut" of a target; a delårsrapport still looks ahead to the rest of the year.
    A goal judged delvis uppfyllt is never said to be "något under målvärdet" (its indicator
    may have reached it)."""
    from reportkit.demo import simulate as sim

    pools = [s for pool in sim.TEXTS.values() for s in pool] + [
        s for pool in sim.ANALYSIS.values() for s in pool] + [
        s for pool in sim.ANALYSIS_MORE.values() for s in pool] + list(sim.ACTIONS) + list(
        sim.MOTIVATION_BELOW_UP) + list(sim.INDICATOR_COMMENTS)
    words = {"unit": "Nämnden", "year": 2026, "reason": "x", "obstacle": "y", "goal": "Mål"}

    def texts(period_type: str) -> str:
        when = sim._period_words(period_type, 2026)
        return " ".join(s.format(**words, **when) for s in pools)

    whole = texts("helår")
    for wrong in ("resten av", "Prognosen för helåret", "nå målvärdet vid årets slut",
                  "till hösten", "under hösten", "något under målvärdet", "till och med juni"):
        assert wrong not in whole, wrong
    assert "Under 2027 väntas" in whole and "Året slutade med" in whole
    during = texts("delår")
    assert "Under resten av 2026 väntas" in during and "Prognosen för helåret" in during
