"""read_xml_info finds what calamine cannot: states, protection, validations, formulas, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportkit.errors import ReportkitError
from reportkit.workbook import layout
from reportkit.workbook.safety import preflight
from reportkit.workbook.xmlinfo import read_xml_info

try:
    from . import hostile
except ImportError:  # tests/workbook is not a package
    import hostile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return hostile.good_xlsx(tmp_path / "good.xlsx")


def test_sheet_states_in_workbook_order(good: Path) -> None:
    info = read_xml_info(good)
    assert [(s.name, s.state) for s in info.sheets.values()] == [
        ("Mål", "visible"),
        ("Dold", "hidden"),
        ("Listor", "veryHidden"),
    ]


def test_protection_and_locked_cells_not_selectable(good: Path) -> None:
    info = read_xml_info(good)
    assert info.sheets["Mål"].protected
    assert not info.sheets["Mål"].select_locked_cells
    assert not info.sheets["Dold"].protected
    assert info.sheets["Dold"].select_locked_cells


def test_validations_with_formulas_and_show_error(good: Path) -> None:
    found = {
        (v.sqref, v.type, v.formula1, v.formula2, v.show_error)
        for v in read_xml_info(good).sheets["Mål"].validations
    }
    assert found == {
        ("C3:C4", "list", '"Uppnått,Delvis uppnått,Ej uppnått"', None, True),
        ("B3", "decimal", "0", "1000000", True),
    }


def test_formula_and_error_value_that_calamine_reads_as_empty(good: Path) -> None:
    sheet = read_xml_info(good).sheets["Mål"]
    assert sheet.formulas == {"D3": "B3*2"}
    assert sheet.errors == {"E3": "#DIV/0!"}


def test_formulas_in_limits_the_cells_collected(good: Path) -> None:
    info = read_xml_info(good, formulas_in={"Mål": {"E3", "$C$3"}})
    assert info.sheets["Mål"].formulas == {}
    assert info.sheets["Mål"].errors == {"E3": "#DIV/0!"}


def test_sheets_limits_the_sheets_parsed(good: Path) -> None:
    info = read_xml_info(good, sheets=["Dold"])
    assert info.sheets["Mål"].state == "visible"
    assert not info.sheets["Mål"].protected
    assert info.sheets["Mål"].validations == []


def test_defined_names_date_system_and_unlocked_styles(good: Path) -> None:
    info = read_xml_info(good)
    assert info.defined_names == {"Enheter": "Listor!$A$1:$A$3"}
    assert not info.date1904
    assert info.unlocked_styles


def test_cached_error_of_a_formula_written_by_xlsxwriter(tmp_path: Path) -> None:
    info = read_xml_info(hostile.xlsxwriter_cached_error(tmp_path / "xw.xlsx"))
    sheet = info.sheets["Mål"]
    assert sheet.errors == {"B2": "#DIV/0!"}
    assert sheet.formulas == {"B2": "1/0", "B3": "SUM(1,2)"}
    assert info.date1904


def _libreoffice_like(path: Path) -> Path:
    """Absolute rel targets, parts not named sheetN, TRUE() bools, shared formulas, cells
    without r, an x14 list validation, and a prefixed namespace."""
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="true"/><sheets>'
        '<sheet name="Listor" sheetId="1" state="hidden" r:id="rIdB"/>'
        '<sheet name="Mål" sheetId="2" r:id="rIdA"/></sheets>'
        '<definedNames><definedName name="Urval" localSheetId="1">Mål!$A$1</definedName>'
        "</definedNames></workbook>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdA" Type="{REL}/worksheet" Target="/xl/worksheets/data_a.xml"/>'
        f'<Relationship Id="rIdB" Type="{REL}/worksheet" Target="worksheets/b.xml"/>'
        "</Relationships>"
    )
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="b"><x:f>TRUE()</x:f><x:v>1</x:v></x:c>'
        '<x:c r="B1"><x:f t="shared" ref="B1:B2" si="0">A1*2</x:f><x:v>2</x:v></x:c></x:row>'
        '<x:row r="2"><x:c><x:v>5</x:v></x:c><x:c r="B2"><x:f t="shared" si="0"/><x:v>10</x:v>'
        '</x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row></x:sheetData>'
        '<x:sheetProtection sheet="true" selectLockedCells="false"/>'
        '<x:extLst><x:ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations>'
        '<x14:dataValidation type="list" showErrorMessage="1"><x14:formula1><xm:f>Listor!$A$1:'
        "$A$3</xm:f></x14:formula1><xm:sqref>C1:C9</xm:sqref></x14:dataValidation>"
        "</x14:dataValidations></x:ext></x:extLst></x:worksheet>"
    )
    other = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    return hostile.write_zip(
        path,
        [
            ("xl/workbook.xml", workbook.encode()),
            ("xl/_rels/workbook.xml.rels", rels.encode()),
            ("xl/worksheets/data_a.xml", sheet.encode()),
            ("xl/worksheets/b.xml", other.encode()),
        ],
    )


def test_libreoffice_style_parts_are_found_and_read(tmp_path: Path) -> None:
    path = _libreoffice_like(tmp_path / "lo.xlsx")
    assert preflight(path) == []
    info = read_xml_info(path)
    assert list(info.sheets) == ["Listor", "Mål"]
    assert info.date1904
    assert info.defined_names == {"Mål!Urval": "Mål!$A$1"}
    sheet = info.sheets["Mål"]
    assert sheet.part == "xl/worksheets/data_a.xml"
    assert (sheet.protected, sheet.select_locked_cells) == (True, True)
    assert sheet.formulas == {"B1": "A1*2", "B2": "A1*2"}
    assert sheet.errors == {"C2": "#N/A"}
    assert [(v.sqref, v.type, v.formula1, v.show_error) for v in sheet.validations] == [
        ("C1:C9", "list", "Listor!$A$1:$A$3", True)
    ]


def test_entities_are_refused_even_without_preflight(good: Path, tmp_path: Path) -> None:
    path = hostile.billion_laughs(good, tmp_path / "lol.xlsx")
    with pytest.raises(ReportkitError) as caught:
        read_xml_info(path)
    assert [p.code for p in caught.value.problems] == ["file-xml-entities"]


def test_corrupt_file_raises_a_problem_not_a_zip_error(good: Path, tmp_path: Path) -> None:
    path = hostile.truncated(good, tmp_path / "half.xlsx")
    with pytest.raises(ReportkitError) as caught:
        read_xml_info(path)
    assert [p.code for p in caught.value.problems] == ["file-corrupt"]


@given(st.integers(min_value=0, max_value=16383))
def test_column_letters_round_trip(n: int) -> None:
    assert layout.col_index(layout.col_letter(n)) == n
    assert layout.split_address(layout.address(n, 7)) == (7, n)


def test_column_letters_known_values() -> None:
    assert [layout.col_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == \
        ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
    assert layout.col_index("xfd") == 16383


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_resave_keeps_protection_and_validations(good: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "lo"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(good),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    resaved = outdir / "good.xlsx"
    with zipfile.ZipFile(resaved) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    assert preflight(resaved) == []
    info = read_xml_info(resaved)
    assert [(s.name, s.state) for s in info.sheets.values()] == [
        ("Mål", "visible"),
        ("Dold", "hidden"),
        ("Listor", "hidden"),  # ODS has no veryHidden (TECH.md §7)
    ]
    sheet = info.sheets["Mål"]
    assert (sheet.protected, sheet.select_locked_cells) == (True, False)
    assert {(v.sqref, v.type) for v in sheet.validations} == {("C3:C4", "list"), ("B3", "decimal")}
    assert sheet.formulas == {"D3": "B3*2"}
    assert sheet.errors == {"E3": "#DIV/0!"}
    assert info.defined_names["Enheter"] == "Listor!$A$1:$A$3"
