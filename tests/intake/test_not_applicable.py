""""Ej aktuell" in a styrkort (issue 25 item 3): the utfall left empty and the row's Kommentar
beginning "Ej aktuell" gives the status Ej aktuell, no "Utfall saknas", and a varning on the
comment cell when the motivation is missing. Norrskolan in Exempelkommun's measures variant."""

from __future__ import annotations

from pathlib import Path

import pytest
from measures_variant import BY_CATEGORY, write_variant

from reportkit.intake.check import check_file
from reportkit.styrmodell.assess import EJ_AKTUELL, EJ_MATT
from reportkit.styrmodell.model import load_styrmodell
from reportkit.workbook import layout
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook

PERIOD = "2026-delår"
UNIT = "norrskolan"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("measures")
    model, problems = load_styrmodell(write_variant(root))
    assert model is not None, [p.line() for p in problems]
    content = build_content(model, UNIT, model.period(PERIOD))
    path = generate_workbook(content, root / f"{UNIT}.xlsx")
    return path, [i.id for i in content.indicators]


def _cell(key: str, n: int) -> str:
    return layout.cell_of(layout.INDICATORS_SHEET, "delår", key, n)


def _found(report) -> list[tuple[str, str | None]]:
    return [(p.code, p.location.cell) for p in report.problems]


def test_ej_aktuell_with_motivation(blank, fill) -> None:
    path, ids = blank
    n = ids.index(BY_CATEGORY[1])
    cells = {f"Indikatorer!{_cell('actual', i)}": 80 for i in range(len(ids)) if i != n}
    cells[f"Indikatorer!{_cell('comment', n)}"] = "Ej aktuell: skolan har bara F–6"
    report = check_file(fill(path, cells), expected_period=PERIOD)
    assert [c for c in _found(report) if c[0].startswith("indicator-")] == []
    entry = report.submission.indicators[n]
    assert (entry.indicator_id, entry.actual, entry.status) == (BY_CATEGORY[1], None,
                                                                EJ_AKTUELL)
    assert entry.comment == "Ej aktuell: skolan har bara F–6"


def test_ej_aktuell_without_motivation_is_a_varning_on_the_comment(blank, fill) -> None:
    path, ids = blank
    n = ids.index(BY_CATEGORY[1])
    cells = {f"Indikatorer!{_cell('actual', i)}": 80 for i in range(len(ids)) if i != n}
    cells[f"Indikatorer!{_cell('comment', n)}"] = "ej aktuell"
    report = check_file(fill(path, cells), expected_period=PERIOD)
    assert [c for c in _found(report) if c[0].startswith("indicator-")] == \
        [("indicator-not-applicable-motivation", _cell("comment", n))]
    assert not report.has_errors
    assert report.submission.indicators[n].status == EJ_AKTUELL
    (found,) = [p for p in report.problems if p.code == "indicator-not-applicable-motivation"]
    assert found.location.sheet == layout.INDICATORS_SHEET
    assert BY_CATEGORY[1] in found.message


def test_an_empty_row_without_ej_aktuell_is_still_not_measured(blank, fill) -> None:
    path, ids = blank
    n = ids.index(BY_CATEGORY[1])
    cells = {f"Indikatorer!{_cell('actual', i)}": 80 for i in range(len(ids)) if i != n}
    cells[f"Indikatorer!{_cell('comment', n)}"] = "Mätningen är inte klar"
    report = check_file(fill(path, cells), expected_period=PERIOD)
    assert [c for c in _found(report) if c[0].startswith("indicator-")] == \
        [("indicator-not-measured", _cell("actual", n))]
    assert report.submission.indicators[n].status == EJ_MATT


def test_an_utfall_beside_ej_aktuell_counts(blank, fill) -> None:
    path, ids = blank
    n = ids.index(BY_CATEGORY[1])
    cells = {f"Indikatorer!{_cell('actual', i)}": 80 for i in range(len(ids))}
    cells[f"Indikatorer!{_cell('comment', n)}"] = "Ej aktuell"
    report = check_file(fill(path, cells), expected_period=PERIOD)
    assert [c for c in _found(report) if c[0].startswith("indicator-")] == []
    assert report.submission.indicators[n].actual == 80
    assert report.submission.indicators[n].status != EJ_AKTUELL


@pytest.mark.parametrize(("comment", "actual", "motivation"), [
    ("Ej aktuell: inga elever i åk 9", None, "inga elever i åk 9"),
    ("EJ AKTUELLT – ingen åk 9", None, "ingen åk 9"),
    ("ej aktuell", None, ""),
    ("Ej aktuell.", None, ""),
    ("Ej aktuellare än förra året", None, None),
    ("Inte mätt", None, None),
    ("Ej aktuell: x", 5.0, None),
    ("", None, None),
])
def test_the_ej_aktuell_mark(comment: str, actual: float | None,
                             motivation: str | None) -> None:
    from reportkit.styrmodell.applicable import not_applicable

    assert not_applicable(comment, actual) == motivation
