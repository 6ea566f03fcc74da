"""preflight refuses each hostile or foreign file with its own code, quickly, without raising."""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from reportkit.errors import CATALOGUE
from reportkit.workbook import safety
from reportkit.workbook.safety import preflight, preflight_read

try:
    from . import hostile
except ImportError:  # tests/workbook is not a package
    import hostile

# Generous: the limit is about 2 s on the slowest input; a test file takes milliseconds.
SANITY_SECONDS = 5.0

Builder = Callable[[Path, Path], Path]

HOSTILE: dict[str, tuple[Builder, str]] = {
    "zip-bomb-500mb": (lambda g, p: hostile.zip_bomb(g, p), "file-zip-bomb"),
    "lying-size": (hostile.lying_size, "file-zip-bomb"),
    "billion-laughs": (hostile.billion_laughs, "file-xml-entities"),
    "external-entity-utf16": (hostile.external_entity, "file-xml-entities"),
    "huge-dimension": (hostile.huge_dimension, "file-too-large-sheet"),
    "far-apart-cells": (hostile.far_apart_cells, "file-too-large-sheet"),
    "too-many-sheets": (lambda g, p: hostile.many_sheets(p), "file-too-large-sheet"),
    "row-beyond-excel": (lambda g, p: hostile.replaced(g, p, {hostile.SHEET1: hostile.members_of(
        g, hostile.SHEET1).replace(b"</sheetData>",
                                   b"<row r='99999999'><c r='a99999999'><v>1</v></c></row>"
                                   b"</sheetData>")}), "file-too-large-sheet"),
    "xlsm": (hostile.xlsm, "file-xlsm"),
    "ods": (lambda g, p: hostile.ods(p), "file-ods"),
    "docx": (lambda g, p: hostile.docx(p), "file-not-xlsx"),
    "zip-without-workbook": (lambda g, p: hostile.plain_zip(p), "file-not-xlsx"),
    "csv-renamed": (lambda g, p: hostile.csv_renamed(p), "file-not-xlsx"),
    "pdf-renamed": (lambda g, p: hostile.pdf(p), "file-not-xlsx"),
    "zero-bytes": (lambda g, p: hostile.empty(p), "file-empty"),
    "truncated-zip": (hostile.truncated, "file-corrupt"),
    "pk-garbage": (lambda g, p: hostile.pk_garbage(p), "file-corrupt"),
    "encrypted": (lambda g, p: hostile.encrypted(p), "file-encrypted"),
    "xls-renamed": (lambda g, p: hostile.xls(p), "file-xls"),
    "too-large": (lambda g, p: hostile.too_large(p, 60_000_000), "file-too-large"),
}


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return hostile.good_xlsx(tmp_path / "good.xlsx")


def timed_preflight(path: Path, **limits: int) -> list:
    start = time.monotonic()
    problems = preflight(path, **limits)
    assert time.monotonic() - start < SANITY_SECONDS
    # the check's variant, which keeps what it read, answers the same
    again, accepted = preflight_read(path, **limits)
    assert [p.to_dict() for p in again] == [p.to_dict() for p in problems]
    assert (accepted is None) == bool(problems)
    if accepted is not None:
        assert accepted.data == path.read_bytes()
        with zipfile.ZipFile(path) as zf:
            assert accepted.parts == {name: zf.read(name) for name in accepted.parts}
            sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and set(sheets) <= set(accepted.parts)
    return problems


def assert_refused(path: Path, code: str, **limits: int) -> None:
    problems = timed_preflight(path, **limits)
    assert [(p.location.file, p.code, p.severity) for p in problems] == [(path.name, code, "fel")]
    assert "{" not in problems[0].message + problems[0].hint


def test_good_xlsx_passes_and_calamine_reads_it(good: Path) -> None:
    assert timed_preflight(good) == []
    assert CalamineWorkbook.from_path(str(good)).sheet_names == ["Mål", "Dold", "Listor"]


def test_xlsxwriter_workbook_passes(tmp_path: Path) -> None:
    assert preflight(hostile.xlsxwriter_cached_error(tmp_path / "xw.xlsx")) == []


def test_content_decides_not_the_extension(good: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "styrkort.txt"
    shutil.copy(good, renamed)
    assert preflight(renamed) == []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_gets_its_own_code(case: str, good: Path, tmp_path: Path) -> None:
    build, code = HOSTILE[case]
    path = build(good, tmp_path / f"{case}.xlsx")
    assert_refused(path, code)


def test_actual_bytes_are_counted_when_the_declared_size_lies(good: Path, tmp_path: Path) -> None:
    # Declared 30 MiB passes the declared total; the ratio limit is lifted so that only the
    # bytes counted while inflating (60 MiB) can catch it.
    path = hostile.zip_bomb(good, tmp_path / "bomb.xlsx", megabytes=60, declared=30 << 20)
    assert_refused(path, "file-zip-bomb", max_ratio=10**6)


def test_too_many_entries(tmp_path: Path) -> None:
    assert_refused(hostile.many_entries(tmp_path / "e.xlsx", 60), "file-zip-bomb", max_entries=50)


def test_missing_directory_and_symlink(good: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.xlsx"
    link.symlink_to(good)
    folder = tmp_path / "undermapp"
    folder.mkdir()
    assert_refused(tmp_path / "finns-inte.xlsx", "file-missing")
    assert_refused(folder, "file-is-directory")
    assert_refused(link, "file-symlink")


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert_refused(fifo, "file-unreadable")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(good: Path) -> None:
    good.chmod(0)
    try:
        assert_refused(good, "file-unreadable")
    finally:
        good.chmod(0o644)


def test_every_code_preflight_returns_is_in_the_catalogue() -> None:
    for _, code in HOSTILE.values():
        assert CATALOGUE[code].severity == "fel"


def test_inbox_with_one_good_workbook_among_hostile_ones(good: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    shutil.copy(good, inbox / "skola.xlsx")
    expected = {"skola.xlsx": None}
    for case, (build, code) in HOSTILE.items():
        build(good, inbox / f"{case}.xlsx")
        expected[f"{case}.xlsx"] = code
    (inbox / "undermapp").mkdir()
    expected["undermapp"] = "file-is-directory"
    (inbox / "genväg.xlsx").symlink_to(inbox / "skola.xlsx")
    expected["genväg.xlsx"] = "file-symlink"

    start = time.monotonic()
    found = {}
    for path in sorted(inbox.iterdir()):
        problems = preflight(path)
        assert len(problems) <= 1
        found[path.name] = problems[0].code if problems else None
    assert found == expected
    assert time.monotonic() - start < SANITY_SECONDS * 2


def test_parts_over_the_keep_limit_are_not_kept(good: Path, monkeypatch) -> None:
    monkeypatch.setattr(safety, "_KEEP_PART", 600)
    problems, accepted = preflight_read(good)
    assert problems == [] and accepted is not None
    assert accepted.parts and all(len(data) <= 600 for data in accepted.parts.values())
    with zipfile.ZipFile(good) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > 600
    assert "xl/worksheets/sheet1.xml" not in accepted.parts


def test_preflight_read_has_the_defaults_of_preflight() -> None:
    import inspect

    defaults = {name: p.default for name, p in inspect.signature(preflight).parameters.items()
                if p.kind is p.KEYWORD_ONLY}
    assert defaults == safety._DEFAULT_LIMITS


@pytest.fixture
def styrkort(delar_workbooks: dict[str, Path]) -> Path:
    """A generated styrkort (xlsxwriter: its texts are in a shared-string table)."""
    return delar_workbooks["KS"]


@pytest.mark.parametrize("unique, count", [(4294967295, 4294967295), (4294967295, None),
                                           (None, 4294967295), ("00099999999999", None)])
def test_absurd_shared_string_counts_are_refused(styrkort: Path, tmp_path: Path, unique,
                                                 count) -> None:
    path = hostile.shared_string_counts(styrkort, tmp_path / "sst.xlsx", unique, count)
    assert_refused(path, "file-corrupt")


def test_shared_string_counts_are_judged_by_the_bytes_that_hold_them(styrkort: Path,
                                                                      tmp_path: Path) -> None:
    good = styrkort
    problems = timed_preflight(hostile.shared_string_counts(good, tmp_path / "sst.xlsx"))
    assert "uppger 4\u00a0294\u00a0967\u00a0295 olika texter" in problems[0].message
    # as many strings as the table can hold but more than the limit: too large, not corrupt
    assert_refused(hostile.shared_string_counts(good, tmp_path / "many.xlsx", unique=100,
                                                count=None), "file-too-large-sheet",
                   max_strings=99)
    # what writers really declare, and an odd but harmless spelling, pass
    for unique, count in ((None, None), (0, 0), ("+1", "007"), ("", "")):
        path = hostile.shared_string_counts(good, tmp_path / f"ok-{unique}.xlsx", unique, count)
        assert timed_preflight(path) == []


def test_rows_beyond_excels_last_are_refused_however_written(good: Path, tmp_path: Path) -> None:
    for n, row in enumerate((b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>',
                             b"<row r='2000000'><c r='B2000000'><v>1</v></c></row>",
                             b'<row><c r="a99999999"><v>1</v></c></row>',
                             b'<row r="99999999"><c><v>1</v></c></row>')):
        sheet = hostile.members_of(good, hostile.SHEET1).replace(b"</sheetData>",
                                                                 row + b"</sheetData>")
        path = hostile.replaced(good, tmp_path / f"rows{n}.xlsx", {hostile.SHEET1: sheet})
        assert_refused(path, "file-too-large-sheet")
    # rows without r count after the last numbered one
    many = b"<row><c><v>1</v></c></row>" * 30
    sheet = hostile.members_of(good, hostile.SHEET1).replace(b"</sheetData>",
                                                             many + b"</sheetData>")
    path = hostile.replaced(good, tmp_path / "unnumbered.xlsx", {hostile.SHEET1: sheet})
    assert timed_preflight(path) == []
    assert_refused(path, "file-too-large-sheet", max_rows=20)


def test_sheets_are_counted_before_the_workbook_is_parsed(good: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    from reportkit.workbook import xmlinfo

    workbook = hostile.members_of(good, "xl/workbook.xml")
    sheet = b'<sheet name="x" sheetId="9" r:id="rId1"/>'
    many = workbook.replace(b"</sheets>", sheet * 2_000 + b"</sheets>")
    path = hostile.replaced(good, tmp_path / "sheets.xlsx", {"xl/workbook.xml": many})
    real = xmlinfo.parse_xml

    def parse(data: bytes, *args, **kwargs):
        assert len(data) < len(many), "the workbook was parsed before its sheets were counted"
        return real(data, *args, **kwargs)

    monkeypatch.setattr(xmlinfo, "parse_xml", parse)
    assert_refused(path, "file-too-large-sheet")
