"""The check's fast read of a sheet (``validations=False``): protection, formulas and error values
from the sheet's bytes, and the same answer from the XML parser for every shape it does not read.

Each sheet below is written out in full, so what a cell holds is visible in the test. The fast
scan must give the expected facts on its own (the parser is switched off where the test says
so), and a sheet in a foreign shape must give the expected facts through the parser.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reportkit.errors import ReportkitError
from reportkit.workbook import xmlinfo
from reportkit.workbook.xmlinfo import SheetXmlInfo, read_xml_info

try:
    from . import hostile
except ImportError:  # tests/workbook is not a package
    import hostile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PROTECTION = '<sheetProtection selectLockedCells="1" selectUnlockedCells="0" sheet="1"/>'


def sheet_xml(cells: str, protection: str = PROTECTION, root: str = f'<worksheet xmlns="{MAIN}">',
              end: str = "</worksheet>") -> bytes:
    return (f'{root}<dimension ref="A1:H9"/><sheetData>{cells}</sheetData>{protection}'
            f'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
            f'footer="0.5"/>{end}').encode()


# the cells as openpyxl and xlsxwriter write them: a text, a number, an unlocked empty input
# cell, a formula with references in its text, a formula copied from the proposal cell, an
# error value typed in, and the text ' t="e"' typed into a cell (not an error)
PLAIN = (
    '<row r="3"><c r="A3" t="inlineStr"><is><t>N&#246;jda brukare t="e" &gt; 5</t></is></c>'
    '<c r="B3" s="2" t="n"><v>42</v></c><c r="C3" s="1" t="n"></c>'
    '<c r="D3" s="3"><f>IF(B3&gt;=1,"Ej m&#228;tt",A3&amp;"x")</f><v></v></c>'
    '<c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3" s="1"><f>D3</f><v/></c></row>'
    '<row r="4"><c r="C4" s="1" t="n"></c><c r="E4" t="e"><f>#N/A</f><v>#N/A</v></c></row>'
)
FORMULAS = {"D3": 'IF(B3>=1,"Ej mätt",A3&"x")', "F3": "D3"}
ERRORS = {"E3": "#DIV/0!", "E4": "#N/A"}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile.good_xlsx(tmp_path_factory.mktemp("good") / "good.xlsx")


@pytest.fixture
def book(good: Path, tmp_path: Path):
    """``book(sheet_bytes)``: the good workbook with its sheet Mål replaced."""

    def _book(data: bytes, name: str = "blad.xlsx") -> Path:
        return hostile.replaced(good, tmp_path / name, {hostile.SHEET1: data})

    return _book


def fast(path: Path, **kw) -> SheetXmlInfo:
    return read_xml_info(path, validations=False, styles=False, **kw).sheets["Mål"]


def facts(sheet: SheetXmlInfo) -> tuple:
    return sheet.protected, sheet.select_locked_cells, sheet.formulas, sheet.errors


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The XML parser switched off: only the byte scan can answer."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the parser read a sheet the scan should have read")

    monkeypatch.setattr(xmlinfo, "_parse_sheet", refuse)


def test_plain_sheet_is_read_by_the_scan_alone(book, no_parser: None) -> None:
    path = book(sheet_xml(PLAIN))
    assert facts(fast(path)) == (True, False, FORMULAS, ERRORS)


def test_scan_and_parser_agree_on_the_plain_sheet(book) -> None:
    path = book(sheet_xml(PLAIN))
    full = read_xml_info(path).sheets["Mål"]
    assert facts(full) == facts(fast(path)) == (True, False, FORMULAS, ERRORS)
    assert full.validations == []  # this sheet has none; the fast read never fills them
    assert read_xml_info(path).unlocked_styles
    assert read_xml_info(path, validations=False, styles=False).unlocked_styles == frozenset()


def test_scan_keeps_to_formulas_in(book, no_parser: None) -> None:
    path = book(sheet_xml(PLAIN))
    sheet = fast(path, formulas_in={"Mål": {"$D$3", "E4"}})
    assert (sheet.formulas, sheet.errors) == ({"D3": FORMULAS["D3"]}, {"E4": "#N/A"})
    nothing = fast(path, formulas_in={"Annat": {"D3"}})
    assert facts(nothing) == (True, False, {}, {})


@pytest.mark.parametrize("protection, expected", [
    ("", (False, True)),
    ('<sheetProtection sheet="0" selectLockedCells="1"/>', (False, True)),
    ("<sheetProtection sheet='true' objects='1'/>", (True, True)),
    ('<sheetProtection password="CC3D" sheet="1" objects="1" scenarios="1"/>', (True, True)),
])
def test_protection_read_by_the_scan(book, no_parser: None, protection: str,
                                     expected: tuple[bool, bool]) -> None:
    path = book(sheet_xml(PLAIN, protection=protection))
    assert facts(fast(path))[:2] == expected


# other shapes the scan reads cell by cell (still without the parser)
@pytest.mark.parametrize("cells, formulas, errors", [
    # a single-quoted error type, attributes in another order, white space between elements
    ("<row r='2'><c t='e' r='B2'>\n  <v>#REF!</v>\n</c><c s=\"1\" r=\"C2\" t=\"str\">"
     "<f>B2&amp;\"x\"</f> <v>x</v></c></row>", {"C2": 'B2&"x"'}, {"B2": "#REF!"}),
    # an error type in single quotes or before r, beside plain cells
    ("<row r=\"2\"><c r=\"B2\" t='e'><v>#REF!</v></c><c t=\"e\" r=\"C2\"><v>#N/A</v></c>"
     '<c r="D2"><f>B2</f><v></v></c></row>', {"D2": "B2"}, {"B2": "#REF!", "C2": "#N/A"}),
    # a reference with a leading zero, or lower case with $: the address the parser gives it
    ('<row r="2"><c r="B02"><f>1+1</f></c><c r="C002" t="e"><v>#N/A</v></c></row>',
     {"B2": "1+1"}, {"C2": "#N/A"}),
    ('<row r="2"><c r="$b$02"><f>1+1</f></c></row>', {"B2": "1+1"}, {}),
    # an empty formula element, an error cell without a value
    ('<row r="2"><c r="B2"><f/><v>0</v></c><c r="C2" t="e"/></row>', {"B2": ""}, {}),
    # LibreOffice's literal boolean is no formula
    ('<row r="2"><c r="B2" t="b"><f>TRUE()</f><v>1</v></c></row>', {}, {}),
])
def test_other_shapes_read_by_the_scan(book, cells: str, formulas: dict[str, str],
                                       errors: dict[str, str]) -> None:
    scanned = SheetXmlInfo("Mål")
    assert xmlinfo._scan_sheet(sheet_xml(cells), scanned, None) is True
    assert facts(scanned) == (True, False, formulas, errors)
    parsed = read_xml_info(book(sheet_xml(cells))).sheets["Mål"]
    assert facts(parsed) == (True, False, formulas, errors)


def prefixed(data: bytes) -> bytes:
    """Every element of the sheet in the main namespace by the prefix x:, as some tools write."""
    text = data.decode().replace(f'<worksheet xmlns="{MAIN}">', f'<worksheet xmlns:x="{MAIN}">')
    for name in ("worksheet", "dimension", "sheetData", "sheetProtection", "pageMargins", "row",
                 "c", "is", "t", "f", "v"):
        text = text.replace(f"<{name} ", f"<x:{name} ").replace(f"<{name}>", f"<x:{name}>")
        text = text.replace(f"<{name}/>", f"<x:{name}/>").replace(f"</{name}>", f"</x:{name}>")
    return text.encode()


# shapes the scan leaves to the parser: the answer must still be the true one
@pytest.mark.parametrize("data, formulas, errors", [
    (prefixed(sheet_xml(PLAIN)), FORMULAS, ERRORS),
    # a comment and a CDATA section holding what would look like a formula and an error
    (sheet_xml(PLAIN + '<!-- <c r="H9" t="e"><f>1</f><v>#N/A</v></c> -->'), FORMULAS, ERRORS),
    (sheet_xml(PLAIN + '<row r="9"><c r="H9" t="inlineStr"><is><t><![CDATA[<c r="H8" t="e">'
                       '<f>1</f><v>#N/A</v>]]></t></is></c></row>'), FORMULAS, ERRORS),
    (b"<?xml version='1.0'?>\n<?mso-application progid='Excel.Sheet'?>" + sheet_xml(PLAIN),
     FORMULAS, ERRORS),
    # an error type written as a character reference is still an error
    (sheet_xml('<row r="2"><c r="B2" t="&#101;"><v>#VALUE!</v></c></row>'), {},
     {"B2": "#VALUE!"}),
    # a shared formula (its follower gets the anchor's text), LibreOffice's literal error
    (sheet_xml('<row r="2"><c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>2</v></c>'
               '<c r="C2" t="e"><f aca="false">#N/A</f><v>#N/A</v></c></row>'
               '<row r="3"><c r="B3"><f t="shared" si="0"/><v>4</v></c></row>'),
     {"B2": "A2*2", "B3": "A2*2"}, {"C2": "#N/A"}),
    # cells without r: the address comes from their position
    (sheet_xml('<row r="5"><c><v>1</v></c><c><f>A5*2</f><v>2</v></c><c t="e"><v>#N/A</v></c>'
               '</row>'), {"B5": "A5*2"}, {"C5": "#N/A"}),
    # a line break inside a formula is normalised by the XML parser
    (sheet_xml('<row r="2"><c r="B2"><f>1+\r\n2</f></c></row>'), {"B2": "1+\n2"}, {}),
    # another encoding
    (b'<?xml version="1.0" encoding="ISO-8859-1"?>' + sheet_xml(
        '<row r="2"><c r="B2" t="str"><f>"Ej mätt"</f><v>Ej mätt</v></c></row>'
     ).decode().encode("latin-1"), {"B2": '"Ej mätt"'}, {}),
])
def test_foreign_shapes_are_read_by_the_parser(book, data: bytes,
                                               formulas: dict[str, str],
                                               errors: dict[str, str]) -> None:
    target = SheetXmlInfo("Mål")
    assert xmlinfo._scan_sheet(data, target, None) is False
    assert target.formulas == target.errors == {}  # the scan left nothing half-done
    path = book(data)
    assert facts(fast(path)) == (True, False, formulas, errors)
    assert facts(read_xml_info(path).sheets["Mål"]) == (True, False, formulas, errors)


@pytest.mark.parametrize("broken", [
    sheet_xml(PLAIN).replace(b"</row>", b"</rad>", 1),              # not well-formed
    sheet_xml(PLAIN).replace(b"<f>D3</f>", b"<y:f>D3</y:f>"),        # an unbound prefix
    sheet_xml(PLAIN).replace(b"<f>D3</f>", b"<f>D3 &nbsp;</f>"),      # an undefined entity
])
def test_a_broken_sheet_fails_as_in_the_parser(book, broken: bytes) -> None:
    path = book(broken)
    with pytest.raises(ReportkitError) as scanned:
        fast(path)
    with pytest.raises(ReportkitError) as parsed:
        read_xml_info(path)
    assert [p.to_dict() for p in scanned.value.problems] == \
        [p.to_dict() for p in parsed.value.problems]
    assert scanned.value.problems[0].code == "file-corrupt"


def test_doctype_is_refused_by_the_fast_read_too(book) -> None:
    data = b'<!DOCTYPE worksheet [<!ENTITY x "y">]>' + sheet_xml(PLAIN)
    with pytest.raises(ReportkitError) as caught:
        fast(book(data))
    assert [p.code for p in caught.value.problems] == ["file-xml-entities"]


def test_read_from_bytes_the_caller_has(book, tmp_path: Path, no_parser: None) -> None:
    path = book(sheet_xml(PLAIN))
    data = path.read_bytes()
    path.unlink()
    info = read_xml_info(tmp_path / "borta.xlsx", data=data, validations=False, styles=False)
    assert facts(info.sheets["Mål"]) == (True, False, FORMULAS, ERRORS)
    with pytest.raises(ReportkitError) as caught:
        read_xml_info(tmp_path / "borta.xlsx", data=data[:100])
    assert caught.value.problems[0].location.file == "borta.xlsx"


def test_scan_gives_what_the_parser_gives_without_validations() -> None:
    """The facts of the plain sheet straight from the bytes, as the parser finds them."""
    data = sheet_xml(PLAIN)
    scanned, parsed = SheetXmlInfo("Mål"), SheetXmlInfo("Mål")
    assert xmlinfo._scan_sheet(data, scanned, None) is True
    xmlinfo._parse_sheet(io.BytesIO(data), parsed, None, validations=False)
    assert facts(scanned) == facts(parsed) == (True, False, FORMULAS, ERRORS)
