"""Förslag and underlag up Exempelkommun's goal chain, against figures worked out by hand.

The values are the scenario's (tests/consolidate/conftest.py). Rules: docs/bedomning.md
(kvot = utfall / målvärde; lower is better = 2 − utfall / målvärde; a goal = mean of its
indicators' degrees, each at most 100 %; underlag by majority, a tie to the worse step; special
statuses are counted but never vote). Missing units' goals have no utfall, so Ej mätt.
"""

from __future__ import annotations

import pytest
from scenario import MOTIVATION_SOLROS, MOTIVATION_VON, PERIOD, cell

from reportkit.consolidate.rollup import compute
from reportkit.storage import store

U, D, E, M = "uppfyllt", "delvis", "ej_uppfyllt", "ej_matt"


@pytest.fixture(scope="module")
def results(consolidated):
    project, _ = consolidated
    model, _ = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        return compute(conn, model, PERIOD)
    finally:
        conn.close()


def ind(results, goal_id: str, indicator_id: str):
    return next(i for i in results.goals[goal_id].indicators if i.indicator_id == indicator_id)


def test_enhet_with_own_bedomning_differing_from_forslag(results):
    # Solrosens förskola: 90/90 = 100 %, 84/80 = 105 % → capped (100 + 100) / 2 → Uppfyllt;
    # the unit chose Delvis uppfyllt and wrote why
    g = results.goals["solrosens-forskola-E1"]
    assert (g.proposal, g.proposal_degree) == (U, pytest.approx(1.0))
    assert (g.assessment, g.chosen, g.final) == (D, True, D)
    assert g.motivation == MOTIVATION_SOLROS
    assert g.deviates
    assert g.assessed_by == "solrosens-forskola"
    assert g.source == ("solrosens-forskola.xlsx", "Mål", cell("Mål", "assessment", 0))


def test_enhet_with_a_missing_measurement(results):
    # Lärkans förskola: 63/90 = 70 %, the second utfall empty → Ej mätt and left out:
    # mean of 70 % alone → Ej uppfyllt; the empty cell is still its source
    g = results.goals["larkans-forskola-E1"]
    assert (g.proposal, g.proposal_degree, g.final) == (E, pytest.approx(0.7), E)
    missing = ind(results, "larkans-forskola-E1", "larkans-forskola-E1-I2")
    assert (missing.actual, missing.status) == (None, M)
    assert [(m.unit_id, m.actual, m.cell) for m in missing.measurements] == \
        [("larkans-forskola", None, cell("Indikatorer", "actual", 1))]
    assert g.proposal_rule.endswith("1 utan grad räknas inte")


def test_missing_unit_goal_is_ej_matt(results):
    g = results.goals["bjorkens-forskola-E1"]
    assert (g.proposal, g.assessment, g.assessed_by, g.final) == (M, None, None, M)


def test_verksamhet_aggregates_units_including_lower_is_better(results):
    # FORSKOLA-V1, medel over the förskolor that reported (5 of 8 sent nothing):
    #   I1: (92 + 86 + 90) / 3 = 89,33 → 89,33/90 = 99,26 % Delvis
    #   I2 (antal, lower is better, target 5,2): Lärkans empty → (5,0 + 6,0) / 2 = 5,5
    #       → 2 − 5,5/5,2 = 94,23 % Delvis
    #   I3: (50 + 40 + 48) / 3 = 46 → 46/45 = 102,2 % Uppfyllt (counts as 100 %)
    #   förslag: (99,26 + 94,23 + 100) / 3 = 97,83 % → Delvis
    i1, i2, i3 = (ind(results, "FORSKOLA-V1", f"FORSKOLA-V1-I{n}") for n in (1, 2, 3))
    assert (i1.actual, i1.degree, i1.status) == (pytest.approx(268 / 3),
                                                 pytest.approx(268 / 270), D)
    assert (i2.actual, i2.degree, i2.status) == (pytest.approx(5.5),
                                                 pytest.approx(2 - 5.5 / 5.2), D)
    assert (i3.actual, i3.degree, i3.status) == (pytest.approx(46), pytest.approx(46 / 45), U)
    assert i2.aggregation == "medel" and i2.direction == "lägre"
    assert i2.rule.startswith("medel av 2 av 8 enheters utfall")
    assert sorted(m.unit_id for m in i2.measurements) == \
        ["ekbackens-forskola", "larkans-forskola", "solrosens-forskola"]
    assert len(i2.missing_units) == 5 and "bjorkens-forskola" in i2.missing_units
    g = results.goals["FORSKOLA-V1"]
    assert (g.proposal, g.proposal_degree) == \
        (D, pytest.approx((268 / 270 + 2 - 5.5 / 5.2 + 1) / 3))
    # underlag: Solrosens Delvis (its bedömning), Ekbackens Delvis (81/90 = 72/80 = 90 %),
    # Lärkans Ej uppfyllt, five Ej mätt (no workbook) → Delvis 2 beats Ej uppfyllt 1
    assert g.underlag == {D: 2, E: 1, M: 5}
    assert g.underlag_proposal == D
    # the verksamhet accepted the förslag (no choice in its workbook)
    assert (g.assessment, g.chosen, g.assessed_by, g.final) == (D, False, "forskola", D)


def test_verksamhet_lower_is_better_on_target_and_a_tie_in_the_underlag(results):
    # SABO-V1: I1 (95 + 90)/2 = 92,5 → 97,37 %; I2 (lower, 12): (15 + 9)/2 = 12 → 100 %;
    # I3 (90 + 81)/2 = 85,5 → 95 %; mean 97,46 % → Delvis.
    # underlag: Solgården Delvis ((95 % + 75 %)/2 = 85 %), Ekhagen Uppfyllt, three Ej mätt:
    # a tie of one and one goes to the worse step → Delvis
    g = results.goals["SABO-V1"]
    assert ind(results, "SABO-V1", "SABO-V1-I2").degree == pytest.approx(1.0)
    assert (g.proposal, g.proposal_degree) == (D, pytest.approx((92.5 / 95 + 1 + 0.95) / 3))
    assert results.goals["solgardens-boende-E1"].proposal_degree == pytest.approx(0.85)
    assert (g.underlag, g.underlag_proposal) == ({U: 1, D: 1, M: 3}, D)


def test_multi_parent_namndmal_counts_under_both_kf_goals(results):
    # BUN-M2: 95/95 = 100 %, 76/95 = 80 % → 90 % Delvis; underlag FORSKOLA-V1 Delvis
    g = results.goals["BUN-M2"]
    assert (g.proposal, g.proposal_degree, g.underlag, g.final) == \
        (D, pytest.approx(0.9), {D: 1}, D)
    # KF1 ← BUN-M1 (80/80, 80/80 → Uppfyllt), BUN-M2 Delvis, SN-M2 and KFN-M2 (no workbook,
    # Ej mätt): Uppfyllt 1 – Delvis 1 → the worse: Delvis
    kf1 = results.goals["KF1"]
    assert (kf1.underlag, kf1.underlag_proposal) == ({U: 1, D: 1, M: 2}, D)
    # KF3 ← BUN-M2 Delvis, VON-M1 Uppfyllt (99/90 → 100 %, 85/85), VON-M2 Ej uppfyllt (VON's
    # bedömning): one each → the worst: Ej uppfyllt
    kf3 = results.goals["KF3"]
    assert (kf3.underlag, kf3.underlag_proposal) == ({U: 1, D: 1, E: 1}, E)


def test_namnd_bedomning_against_forslag_reaches_the_kf_underlag(results):
    # VON-M2: lower is better, 66 against 60 → 2 − 1,1 = 90 % Delvis; VON chose Ej uppfyllt
    g = results.goals["VON-M2"]
    assert (g.proposal, g.proposal_degree, g.assessment, g.chosen, g.final) == \
        (D, pytest.approx(0.9), E, True, E)
    assert g.motivation == MOTIVATION_VON
    assert results.goals["VON-M1"].underlag == {D: 1, M: 3}


def test_kf_goal_from_its_own_indicators_with_lower_is_better(results):
    # KF3: KF3-I1 85/85 = 100 %; KF3-I2 (dagar, lower is better) 69 against 60
    # → 2 − 1,15 = 85 % Delvis; mean 92,5 % → Delvis, accepted by the kommun
    i2 = ind(results, "KF3", "KF3-I2")
    assert (i2.actual, i2.degree, i2.status, i2.aggregation) == \
        (69, pytest.approx(0.85), D, "nivå")
    kf3 = results.goals["KF3"]
    assert (kf3.proposal, kf3.proposal_degree, kf3.assessment, kf3.final) == \
        (D, pytest.approx(0.925), D, D)
    assert [(m.unit_id, m.file, m.sheet, m.cell) for m in i2.measurements] == \
        [("kommun", "kommun.xlsx", "Indikatorer", cell("Indikatorer", "actual", 5))]
    # KF1: 88/88 = 100 %, 81/90 = 90 % → 95 % Delvis
    assert results.goals["KF1"].proposal_degree == pytest.approx(0.95)


def test_roll_up_agrees_with_the_forslag_each_workbook_computed(consolidated, results):
    # a unit's own goals: the store keeps the förslag its workbook showed; the roll-up
    # recomputes it from the stored utfall and must agree
    project, _ = consolidated
    conn = store.connect(project.store_path)
    try:
        rows = conn.execute("SELECT g.goal_id, g.proposal FROM goal_entry g JOIN submission s "
                            "ON s.id = g.submission_id WHERE s.unit_id LIKE '%-forskola' "
                            "OR s.unit_id LIKE '%-boende' OR s.unit_id = 'kommun'").fetchall()
    finally:
        conn.close()
    assert len(rows) == 5 + 8
    model, _ = project.period(PERIOD)
    for goal_id, proposal in rows:
        if model.goals[goal_id].kind == "finansiellt":
            continue  # from the ekonomiavdelning's exports, not the workbook (next test)
        if goal_id == "KF4":
            continue  # KF4-I1 has källa: {export: sjukfrånvaro} (the test after next)
        assert results.goals[goal_id].proposal == proposal, goal_id


def test_financial_goals_come_from_the_exports_with_their_rows(consolidated, results):
    """DOMAIN.md: the finansiella mål are measured by the ekonomiavdelning's figures; the
    kommun workbook's own utfall for them is replaced, and the source is the export row."""
    project, _ = consolidated
    model, _ = project.period(PERIOD)
    financial = [g for g in model.goals.values() if g.kind == "finansiellt"]
    assert financial
    checked = 0
    for goal in financial:
        for ind in results.goals[goal.id].indicators:
            if not ind.measurements:
                continue
            checked += 1
            [m] = ind.measurements
            assert m.file.startswith(f"data/{PERIOD}/") and m.sheet == ""
            assert m.cell.startswith("rad "), m.cell
            assert "ekonomiavdelningen" in ind.rule
    assert checked >= 2  # KF7-I1 and KF8-I1 are mapped in data/import.yaml


def test_an_export_sourced_indicator_replaces_what_a_workbook_typed(consolidated, results):
    """KF4-I1 has källa: {export: sjukfrånvaro}: the kommun's workbook, written without a
    store to prefill from, held 6,5 typed; the roll-up uses the HR export's figure (the
    personnel table's total) and says so."""
    i = ind(results, "KF4", "KF4-I1")
    assert round(i.actual, 1) == 6.9
    [m] = i.measurements
    assert (m.file, m.sheet) == (f"data/{PERIOD}/hr-sjukfranvaro.csv", "")
    assert i.rule.startswith("utfall enligt personalexporten (sjukfrånvaro) (data/")
