"""The error catalogue: every kind renders with its declared fields, in Swedish, with a hint."""

from __future__ import annotations

import re

import pytest

from reportkit.errors import CATALOGUE, FEL, VARNING, Location, Problem, problem

KINDS = sorted(CATALOGUE)


@pytest.mark.parametrize("code", KINDS)
def test_code_is_kebab_case(code: str) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", code)
    assert CATALOGUE[code].code == code


@pytest.mark.parametrize("code", KINDS)
def test_kind_has_severity_title_message_and_hint(code: str) -> None:
    kind = CATALOGUE[code]
    assert kind.severity in (FEL, VARNING)
    assert kind.title.strip()
    assert kind.message.strip()
    assert kind.hint.strip()


@pytest.mark.parametrize("code", KINDS)
def test_every_template_renders_with_its_declared_fields(code: str) -> None:
    kind = CATALOGUE[code]
    values = {name: f"<{name}>" for name in kind.fields}
    p = Problem(code, Location(file="f.xlsx", sheet="Mål", cell="F7"), values)
    for text in (p.message, p.hint):
        assert "{" not in text and "}" not in text, text
        assert "None" not in text
    for name in kind.fields:
        assert f"<{name}>" in p.message + p.hint
    line = p.line()
    assert line.startswith("f.xlsx, blad Mål, cell F7: ")
    assert kind.severity in line


@pytest.mark.parametrize("code", [c for c in KINDS if CATALOGUE[c].fields])
def test_a_missing_field_shows_as_placeholder_not_blank(code: str) -> None:
    p = Problem(code)
    assert "{" in p.message + p.hint


def test_catalogue_texts_are_swedish() -> None:
    # Every kind's texts together contain Swedish letters or common Swedish words.
    swedish = re.compile(r"[åäöÅÄÖ]|\b(och|att|eller|inte|är|som|filen|cellen)\b")
    for code, kind in CATALOGUE.items():
        assert swedish.search(kind.message + " " + kind.hint + " " + kind.title), code


def test_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError):
        Problem("no-such-code")


def test_location_without_position_renders_empty_not_none() -> None:
    p = problem("wb-not-reportkit", file="a.xlsx")
    assert p.location.to_dict() == {"file": "a.xlsx"}
    assert p.line().startswith("a.xlsx: fel: ")
    assert "None" not in p.line()


def test_config_problem_names_file_and_key_path() -> None:
    p = problem("config-duplicate-id", file="styrmodell/2026.yaml",
                key="nämnder[2].verksamheter[0].id", id="skola", first="nämnder[1]")
    assert p.line().startswith("styrmodell/2026.yaml, nämnder[2].verksamheter[0].id: fel: ")
    assert 'id "skola" finns redan' in p.message


def test_list_values_render_comma_separated() -> None:
    p = problem("cell-invalid-choice", value="x", choices=["A", "B"])
    assert "(A, B)" in p.message
