"""render's varningar grouped by kind and counted, the most important first; a kind with one
or two shown in full, a larger one as one line with its count and first example."""

from __future__ import annotations

from reportkit import texts
from reportkit.console import grouped_lines
from reportkit.errors import group_problems, problem


def _unit_text(unit: str):
    return problem("unit-text-missing", unit=unit, committee=unit, section="Framtid")


def _section(name: str):
    return problem("section-text-missing", section=name, path=f"texter/x/{name}.docx")


def _data():
    return problem("document-data-missing", table="Driftredovisning", period="2026-helår",
                   export="drift")


def _template():
    return problem("template-unknown-variable", template="a.docx", folder="mallar/docx",
                   variable="x", near="y")


def test_groups_put_fel_first_then_figures_then_texts_then_the_rest() -> None:
    problems = [_unit_text("KS"), _section("Översikt"), _unit_text("BUN"), _data(),
                _template(), problem("pdf-libreoffice-missing", count=1)]
    groups = group_problems(problems)
    assert [g.code for g in groups] == ["template-unknown-variable", "document-data-missing",
                                        "section-text-missing", "unit-text-missing",
                                        "pdf-libreoffice-missing"]
    assert [g.count for g in groups] == [1, 1, 1, 2, 1]
    assert [p.values["unit"] for p in groups[3].problems] == ["KS", "BUN"]  # as found


def test_a_large_kind_is_one_line_with_its_count_and_first_example() -> None:
    many = [_unit_text(f"N{i}") for i in range(28)] + [_section("Översikt")]
    lines = grouped_lines(many)
    assert lines[0] == _section("Översikt").line()
    first = many[0]
    assert lines[1] == texts.GROUP_LINE.format(severity="varning", count=28,
                                               title=first.kind.title, message=first.message,
                                               hint=first.hint)
    assert lines[1].startswith("varning (28 st) Text saknas för en nämnd, t.ex.: ")
    assert len(lines) == 2


def test_a_kind_with_two_is_shown_in_full() -> None:
    two = [_unit_text("KS"), _unit_text("BUN")]
    assert grouped_lines(two) == [p.line() for p in two]
