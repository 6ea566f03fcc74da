"""Who measures an indicator (issue 25 item 3): ``kategorier`` on enheter and verksamheter,
``mäts_på`` as a level, a list of units or a category; the units not named get no row and the
identity check agrees with the generator; validate refuses what does not exist, in Swedish with
key path and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from measures_variant import (
    BY_CATEGORY,
    BY_LIST,
    GRUNDSKOLOR,
    LISTED,
    variant_text,
    write_variant,
)

from reportkit.intake.identity import Identities
from reportkit.styrmodell.model import load_styrmodell
from reportkit.workbook.content import build_content

PERIOD = "2026-delår"


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory):
    model, problems = load_styrmodell(write_variant(tmp_path_factory.mktemp("measures")))
    assert model is not None, [p.line() for p in problems]
    assert [p.line() for p in problems if p.is_error] == []
    period = model.period(PERIOD)
    assert period is not None
    return model, period


def _rows(model, period, unit_id: str) -> set[str]:
    return {i.id for i in build_content(model, unit_id, period).indicators}


def test_categories_are_read_onto_the_units(variant) -> None:
    model, _ = variant
    assert {u.id: u.categories for u in model.units.values() if u.categories} == {
        "centralskolan": ("grundskola",), "angskolan": ("grundskola",),
        "norrskolan": ("grundskola",), "solrosens-forskola": ("förskola",)}


def test_a_category_indicator_is_asked_of_the_units_with_the_category_only(variant) -> None:
    model, period = variant
    goal, ind = BY_CATEGORY
    assert [u.id for u in model.measuring_units(model.indicators[ind][0], model.goals[goal])] \
        == list(GRUNDSKOLOR)
    for unit in GRUNDSKOLOR:
        assert ind in _rows(model, period, unit), unit
    for unit in ("vasterskolan", "strandskolan", "solrosens-forskola", "larkans-forskola",
                 "BUN", "grundskola"):
        assert ind not in _rows(model, period, unit), unit


def test_a_listed_indicator_is_asked_of_the_listed_units_only(variant) -> None:
    model, period = variant
    goal, ind = BY_LIST
    assert [u.id for u in model.measuring_units(model.indicators[ind][0], model.goals[goal])] \
        == list(LISTED)
    for unit in LISTED:
        assert ind in _rows(model, period, unit), unit
    for unit in ("larkans-forskola", "BUN", "forskola", "norrskolan"):
        assert ind not in _rows(model, period, unit), unit


def test_the_goal_of_an_indicator_measured_below_has_no_row_of_its_own(variant) -> None:
    """BUN's own workbook no longer carries the åk 9 utfall: its units report it."""
    model, period = variant
    content = build_content(model, "BUN", period)
    own = next(g for g in content.goals if g.id == BY_CATEGORY[0])
    assert BY_CATEGORY[1] not in {content.indicators[i].id for i in own.indicator_rows}
    assert {content.indicators[i].id for i in own.indicator_rows} == {"BUN-M1-I2"}


def test_allowed_ids_agree_with_the_generator(variant) -> None:
    model, period = variant
    identities = Identities(model)
    for unit in model.reporting_units(period):
        content = build_content(model, unit.id, period)
        goals, pairs = identities.allowed(unit.id)
        assert goals == set(content.goal_ids), unit.id
        assert pairs == {(i.goal, i.id) for i in content.indicators}, unit.id


# -- validate ---------------------------------------------------------------------------------

def _problems(tmp_path: Path, text: str) -> list:
    model, problems = load_styrmodell(write_variant(tmp_path, text))
    assert model is None
    return [p for p in problems if p.is_error]


def test_an_unknown_unit_in_the_list_is_refused_with_its_key_and_line(tmp_path: Path) -> None:
    text = variant_text(units="[solrosens-forskola, okanda-forskolan]")
    (found,) = _problems(tmp_path, text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "okanda-forskolan" in t)
    assert found.code == "config-invalid-value"
    assert found.location.key == \
        f"nämnder[1].mål[1].indikatorer[1].mäts_på[1] (rad {line})"
    assert "'okanda-forskolan'" in found.message
    assert "enheten finns inte i styrmodellen" in found.message


def test_a_unit_outside_the_goals_owner_is_refused(tmp_path: Path) -> None:
    (found,) = _problems(tmp_path, variant_text(units="[solrosens-forskola, ekonomienheten]"))
    assert found.location.key.startswith("nämnder[1].mål[1].indikatorer[1].mäts_på[1] (rad ")
    assert "ligger inte under målets ägare Barn- och utbildningsnämnden (BUN)" in found.message


def test_an_unknown_category_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    (found,) = _problems(tmp_path, variant_text(category="{kategori: gymnasium}"))
    assert found.location.key.startswith("nämnder[1].mål[0].indikatorer[0].mäts_på.kategori")
    assert "(rad " in found.location.key
    assert "ingen enhet eller verksamhet har kategorin" in found.message
    assert "förskola, grundskola" in found.hint


def test_a_category_no_unit_below_the_owner_has_is_refused(tmp_path: Path) -> None:
    text = variant_text().replace(
        '''            namn: "Andel som får svar på e-post inom en arbetsdag"
            måttenhet: "%"
''', '''            namn: "Andel som får svar på e-post inom en arbetsdag"
            måttenhet: "%"
            mäts_på: {kategori: grundskola}
''', 1)
    (found,) = _problems(tmp_path, text)
    assert found.location.key.startswith("nämnder[0].mål[0].indikatorer[0].mäts_på.kategori")
    assert "ingen enhet under målets ägare" in found.message


@pytest.mark.parametrize(("value", "reason"), [
    ("{kategorin: grundskola}", "okänd nyckel 'kategorin'"),
    ("[]", "ska vara en lista med enheternas id"),
    ("12", "ska vara en nivå"),
    ("{kategori: 'två ord'}", "kategori ska vara ett ord"),
])
def test_a_malformed_mats_pa_is_one_clear_problem(tmp_path: Path, value: str,
                                                  reason: str) -> None:
    (found,) = _problems(tmp_path, variant_text(category=value))
    assert found.code == "config-invalid-value"
    assert found.location.key.startswith("nämnder[1].mål[0].indikatorer[0].mäts_på (rad ")
    assert reason in found.message


def test_a_level_above_the_goal_is_still_refused(tmp_path: Path) -> None:
    (found,) = _problems(tmp_path, variant_text(category="kommun"))
    assert "nivån ska vara målets egen eller lägre" in found.message
