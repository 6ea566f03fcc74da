"""One resolver for every id a command takes: ids in any case, names with or without å/ä/ö,
a part of a name, "menade du …?" for a typo and the candidates of an ambiguous name, each
message in the kommun's own words (Exempelkommun and Fyrkanta)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit.errors import ReportkitError
from reportkit.styrmodell.lookup import (
    find_committee,
    find_goal_or_indicator,
    find_unit,
    normalize,
)
from reportkit.styrmodell.project import Project

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exempel():
    return Project.open(REPO / "fixtures" / "exempelkommun").styrmodell(2026)


@pytest.fixture(scope="module")
def fyrkanta():
    return Project.open(REPO / "fixtures" / "fyrkanta").styrmodell(2026)


def _refused(call, *args) -> ReportkitError:
    with pytest.raises(ReportkitError) as err:
        call(*args)
    return err.value


def test_normalize_ignores_case_marks_and_punctuation() -> None:
    assert normalize("Solrosens Förskola") == normalize("solrosens-forskola") == \
        "solrosens forskola"
    assert normalize("  Turistbyrån ") == "turistbyran"


@pytest.mark.parametrize("given", ["solrosens-forskola", "SOLROSENS-FORSKOLA",
                                   "Solrosens förskola", "solrosens forskola", "solrosen"])
def test_a_unit_is_found_by_id_name_or_part_of_its_name(exempel, given: str) -> None:
    assert find_unit(exempel, given).id == "solrosens-forskola"


@pytest.mark.parametrize(("given", "found"), [("kf1", "KF1"), ("Kf1-i2", "KF1-I2"),
                                              ("Kommunens klimatpåverkan minskar", "KF5"),
                                              ("klimatpaverkan", "KF5")])
def test_goals_and_indicators_by_id_in_any_case_or_by_name(exempel, given, found) -> None:
    assert find_goal_or_indicator(exempel, given) == found


def test_a_typo_suggests_the_nearest_ids_with_their_names(exempel) -> None:
    p = _refused(find_unit, exempel, "solrosns-forskola").problems[0]
    assert p.code == "id-unknown" and p.is_error
    assert "'solrosns-forskola'" in p.message and "enheter" in p.message
    assert p.hint.startswith("Menade du solrosens-forskola (Solrosens förskola)")
    goal = _refused(find_goal_or_indicator, exempel, "kf11").problems[0]
    assert goal.code == "id-unknown" and "KF-mål" in goal.message
    assert "KF1 (Alla barn och elever" in goal.hint


def test_nothing_near_gives_examples_instead(exempel) -> None:
    p = _refused(find_unit, exempel, "qqqqqqq").problems[0]
    assert p.code == "id-unknown-no-suggestion" and "t.ex." in p.hint


def test_an_ambiguous_name_lists_the_candidates(exempel) -> None:
    p = _refused(find_unit, exempel, "skola").problems[0]
    assert p.code == "id-ambiguous"
    assert "solrosens-forskola (Solrosens förskola)" in p.message
    assert int(p.values["count"]) > 2


def test_an_exact_name_wins_over_the_names_it_is_part_of(exempel) -> None:
    """'Förskola' is a verksamhet's name and part of every förskola's: the verksamhet."""
    assert find_unit(exempel, "förskola").level == "verksamhet"


def test_a_committee_by_its_name(exempel, fyrkanta) -> None:
    assert find_committee(exempel, "barn- och utbildningsnämnden").id == "BUN"
    assert find_committee(fyrkanta, "Samhallsnamnden").id == "SN"
    # a unit that is no committee is not one of the candidates
    assert _refused(find_committee, fyrkanta, "eken").problems[0].code.startswith("id-unknown")


def test_fyrkanta_is_found_and_answered_in_its_own_words(fyrkanta) -> None:
    assert find_unit(fyrkanta, "Ekens äldreboende").id == "eken"
    assert find_unit(fyrkanta, "EKEN").id == "eken"
    assert find_goal_or_indicator(fyrkanta, "im1") == "IM1"
    unit = _refused(find_unit, fyrkanta, "ekenn").problems[0]
    assert "arbetsplatser" in unit.message and "nämnder och bolag" in unit.message
    assert "enheter" not in unit.message and "eken (Ekens äldreboende)" in unit.hint
    goal = _refused(find_goal_or_indicator, fyrkanta, "im9").problems[0]
    assert "inriktningsmål" in goal.message and "KF-mål" not in goal.message
