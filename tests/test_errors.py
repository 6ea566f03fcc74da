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


PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# what problem() takes as the location; a template may name them ("Bladet '{sheet}' saknas")
LOCATION = {"file": "solrosens-forskola.xlsx", "sheet": "Aktiviteter", "cell": "A5", "row": 5,
            "column": "Belopp", "key": "nämnder[0].id"}


@pytest.mark.parametrize("code", KINDS)
def test_every_message_and_hint_is_complete_in_the_line_the_table_and_the_json(code: str) -> None:
    # built the way the code builds them: problem() with each declared field as a keyword,
    # so a field that is also a location (sheet=, row=, file=) lands in the location
    import json

    from reportkit.console import report_lines
    from reportkit.intake.check import CheckReport, FileReport

    kind = CATALOGUE[code]
    values = {name: LOCATION.get(name, f"<{name}>") for name in kind.fields}
    where = {k: v for k, v in LOCATION.items() if k in ("file", "sheet", "cell")}
    p = problem(code, **{**where, **values})
    shown = {
        "line": p.line(),
        "json": json.dumps(p.to_dict(), ensure_ascii=False),
        "table": "\n".join(report_lines(CheckReport([FileReport(
            file=LOCATION["file"], path=LOCATION["file"], problems=[p])]), width=10_000)),
    }
    for view, text in shown.items():
        assert not PLACEHOLDER.search(text), (view, text)
        for name, value in values.items():
            assert str(value) in text, (view, name, text)


def test_the_four_reported_messages_name_their_sheet_and_row() -> None:
    assert problem("wb-sheet-missing", file="a.xlsx", sheet="Aktiviteter").message == (
        "Bladet 'Aktiviteter' saknas. Det kan ha bytt namn eller tagits bort.")
    assert "namnet 'Aktiviteter'" in problem("wb-sheet-missing", sheet="Aktiviteter").hint
    assert problem("wb-protection-removed", sheet="Mål").message == (
        "Bladet 'Mål' är inte längre skyddat.")
    assert problem("activity-incomplete", sheet="Aktiviteter", cell="A5", row=5,
                   missing="mål").message == "Aktiviteten på rad 5 saknar mål."


def test_a_problem_made_without_a_field_of_its_texts_is_refused_in_tests(monkeypatch) -> None:
    monkeypatch.setenv("REPORTKIT_STRICT_PROBLEMS", "1")
    with pytest.raises(ValueError, match="row"):
        problem("activity-incomplete", sheet="Aktiviteter", cell="A5", missing="status")
    monkeypatch.delenv("REPORTKIT_STRICT_PROBLEMS")
    # outside the tests the user still sees which value is missing, never a blank
    p = problem("activity-incomplete", sheet="Aktiviteter", cell="A5", missing="status")
    assert "{row}" in p.message


def test_every_call_in_the_code_passes_every_field_of_its_texts() -> None:
    # a static look at each problem(...)/self.add(...) call with a literal code: the calls
    # the tests do not reach are checked too
    import ast
    from pathlib import Path

    import reportkit

    missed = []
    for path in sorted(Path(reportkit.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in CATALOGUE):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "_kind":
                continue
            given = {k.arg for k in node.keywords}
            if None in given:  # **values: checked when it runs (REPORTKIT_STRICT_PROBLEMS)
                continue
            lacking = [f for f in CATALOGUE[node.args[0].value].fields if f not in given]
            if lacking:
                missed.append(f"{path.name}:{node.lineno} {node.args[0].value} {lacking}")
    assert missed == []


def test_a_file_name_that_is_not_utf8_is_shown_escaped_everywhere() -> None:
    import json
    import os

    name = os.fsdecode(b"enhet-\xff.xlsx")
    p = problem("file-unreadable", file=name, reason=f"[Errno 13] {name}")
    assert p.location.file == "enhet-\\xff.xlsx"
    assert p.line().startswith("enhet-\\xff.xlsx: fel: Filen kan inte läsas: [Errno 13] "
                               "enhet-\\xff.xlsx.")
    json.dumps(p.to_dict(), ensure_ascii=False).encode("utf-8")  # strict: no surrogate left
