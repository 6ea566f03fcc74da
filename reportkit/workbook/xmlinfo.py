"""What calamine cannot tell: sheet state, protection, validations, formulas and error values.

calamine reads values only (TECH.md §1): a formula without a cached value and an error value such
as ``#DIV/0!`` both come back as ``''``, exactly like an empty cell, and it has no API for data
validations, sheet protection or defined names. This module reads those straight from the xlsx
zip with a streaming, entity-free parser (defusedxml; a DOCTYPE is refused, nothing is fetched).

Run :func:`reportkit.workbook.safety.preflight` first: it bounds the sizes and scans every part
for DOCTYPE/ENTITY, so this module only has to parse. The check, which needs no validations,
reads protection, formulas and error values from a scan of the sheet's bytes instead, and falls
back to the parser for any sheet not in the plain shape the scan reads (:func:`_scan_sheet`).

Files written by openpyxl, xlsxwriter, Excel and LibreOffice are handled alike: sheet parts are
found through ``xl/_rels/workbook.xml.rels`` (LibreOffice sometimes writes absolute targets such as
``/xl/worksheets/sheet1.xml``), the transitional and the strict OOXML namespaces are both read,
and Excel 2010 ``x14:dataValidation`` extensions count as validations.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from reportkit.errors import ReportkitError, problem
from reportkit.workbook import layout

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_WORKSHEET = "/worksheet"
_TRUE = {"1", "true"}
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


@dataclass
class Validation:
    """One data validation: ``sqref`` is the space-separated ranges it covers (``"C3:C9 E3"``).

    ``type`` is the OOXML type (``list``, ``whole``, ``decimal``, ``date``, ``textLength``,
    ``custom``; ``none`` when absent). ``formula1``/``formula2`` are the texts as written, for
    example ``'"Uppnått,Delvis uppnått"'`` or ``"Enheter"``; ``None`` when absent.
    ``show_error`` is False when invalid input is accepted without complaint.
    """

    sqref: str
    type: str = "none"
    formula1: str | None = None
    formula2: str | None = None
    show_error: bool = False
    operator: str | None = None


@dataclass
class SheetXmlInfo:
    """The XML-only facts about one sheet.

    ``state`` is ``visible``, ``hidden`` or ``veryHidden`` (a LibreOffice re-save turns veryHidden
    into hidden). ``protected`` is True when ``<sheetProtection sheet="1">`` is present.
    ``select_locked_cells`` is False when locked cells cannot be selected
    (``selectLockedCells="1"``); it is True for an unprotected sheet. ``formulas`` maps an A1
    address to the formula text without ``=``; a follower of a shared formula gets its anchor's
    text untranslated. Literal booleans that LibreOffice writes as ``TRUE()``/``FALSE()`` are not
    formulas, nor are literal errors it writes as ``<f>#DIV/0!</f>``. ``errors`` maps an A1
    address to its error value (``#DIV/0!``), whether typed in or the cached result of a formula.
    """

    name: str
    state: str = "visible"
    protected: bool = False
    select_locked_cells: bool = True
    validations: list[Validation] = field(default_factory=list)
    formulas: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    part: str | None = None


@dataclass
class WorkbookXmlInfo:
    """Sheets by name in workbook order, the 1904 date flag, and the defined names.

    ``defined_names`` maps a global name to its formula text (``"Listor!$A$1:$A$40"``); a
    sheet-local name is keyed ``"Blad!Namn"``. ``unlocked_styles`` holds the ``cellXfs`` indices
    (a cell's ``s`` attribute) whose protection is ``locked="0"``.
    """

    sheets: dict[str, SheetXmlInfo] = field(default_factory=dict)
    date1904: bool = False
    defined_names: dict[str, str] = field(default_factory=dict)
    unlocked_styles: frozenset[int] = frozenset()


def read_xml_info(
    path: Path,
    sheets: Iterable[str] | None = None,
    formulas_in: dict[str, set[str]] | None = None,
    *,
    data: bytes | None = None,
    members: Mapping[str, bytes] | None = None,
    validations: bool = True,
    styles: bool = True,
) -> WorkbookXmlInfo:
    """Read sheet states, protection, validations, defined names, formulas and error values.

    ``sheets`` limits which sheets are parsed (others are listed with their state only); None
    parses all. ``formulas_in`` limits formula and error collection to the given A1 addresses per
    sheet (``{"Mål": {"F7", "F8"}}``); a sheet missing from it gets none; None collects every cell.
    ``data`` is the file's bytes when the caller has read them already (``path`` then only names
    the file in a problem); ``members`` are zip members the caller has decompressed already
    (member name → bytes, as :func:`~reportkit.workbook.safety.preflight_read` keeps them),
    read from there instead of the zip. ``validations=False`` leaves every sheet's
    ``validations`` empty and ``styles=False`` leaves ``unlocked_styles`` empty: a caller that
    needs neither (the check) gets its answer several times faster, from a scan of the sheet's
    bytes (see :func:`_scan_sheet`) instead of an XML event per element.

    Raises :class:`ReportkitError` (``file-corrupt`` or ``file-xml-entities``) when the file cannot
    be parsed; a file that passed :func:`~reportkit.workbook.safety.preflight` normally can.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as zf:
            return _read(zf, sheets, formulas_in, validations, styles, members or {})
    except ReportkitError:
        raise
    except (DefusedXmlException, _DoctypeError) as exc:
        raise ReportkitError(problem("file-xml-entities", file=path.name, part=str(exc))) from exc
    except (zipfile.BadZipFile, ParseError, expat.ExpatError, KeyError, OSError, EOFError,
            ValueError) as exc:
        raise ReportkitError(problem("file-corrupt", file=path.name, reason=str(exc))) from exc


class _DoctypeError(Exception):
    pass


def local(tag: str) -> str:
    """The local name of an ElementTree tag: ``{ns}sheet`` → ``sheet``."""
    return tag.rsplit("}", 1)[-1]


def _attr(elem: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``r:id`` is ``{…}id``)."""
    value = elem.get(name)
    if value is not None:
        return value
    for key, val in elem.attrib.items():
        if local(key) == name:
            return val
    return None


def name_map(zf: zipfile.ZipFile) -> dict[str, str]:
    """Zip member names keyed by a normalised form (lower case, ``/`` separators)."""
    names: dict[str, str] = {}
    for info in zf.infolist():
        names.setdefault(_norm(info.filename), info.filename)
    return names


def _norm(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target as a zip member name, relative to the part that holds the rels."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(source_part), target)
    return posixpath.normpath(joined).lstrip("/")


def rels_part(part: str) -> str:
    """``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


# Parsed small parts by their bytes: the workbooks of one kommun share their .rels and
# workbook.xml byte for byte, and preflight and the reader both parse them. Only what parsed
# is kept (a refused part raises again), and only small parts. These memos, like the cells'
# and texts' below, are pure functions of bytes that give immutable values (tuples): what
# they remember is the same for every run and never stale, so they live with the function
# (functools.lru_cache; tests/test_state.py lists them) and nothing resets them.
_PARSED_MAX_BYTES = 65_536


def parse_rels(data: bytes, source_part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target) for each internal relationship in a .rels part."""
    if len(data) > _PARSED_MAX_BYTES:
        return _parse_rels(data, source_part)
    return list(_frozen_rels(data, source_part))


@functools.lru_cache(maxsize=64)
def _frozen_rels(data: bytes, source_part: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(_parse_rels(data, source_part))


def _parse_rels(data: bytes, source_part: str) -> list[tuple[str, str, str]]:
    root = parse_xml(data)
    rels = []
    for rel in root.iter():
        if local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target")
        if target:
            rels.append(
                (rel.get("Id", ""), rel.get("Type", ""), resolve_target(source_part, target))
            )
    return rels


def office_document(rels: list[tuple[str, str, str]]) -> str | None:
    for _, typ, target in rels:
        if typ.endswith(_REL_OFFICE_DOCUMENT):
            return target
    return None


@dataclass
class SheetEntry:
    name: str
    state: str
    part: str | None
    local_id: int


def parse_workbook(
    data: bytes,
) -> tuple[list[tuple[str, str, str | None]], bool, list[tuple[str, str | None, str]]]:
    """(sheets as (name, state, r:id), date1904, defined names as (name, localSheetId, text))."""
    if len(data) > _PARSED_MAX_BYTES:
        return _parse_workbook(data)
    sheets, date1904, names = _frozen_workbook(data)
    return list(sheets), date1904, list(names)


@functools.lru_cache(maxsize=64)
def _frozen_workbook(data: bytes) -> tuple[tuple, bool, tuple]:
    sheets, date1904, names = _parse_workbook(data)
    return tuple(sheets), date1904, tuple(names)


def _parse_workbook(
    data: bytes,
) -> tuple[list[tuple[str, str, str | None]], bool, list[tuple[str, str | None, str]]]:
    root = parse_xml(data)
    sheets: list[tuple[str, str, str | None]] = []
    names: list[tuple[str, str | None, str]] = []
    date1904 = False
    for elem in root.iter():
        tag = local(elem.tag)
        if tag == "sheet":
            sheets.append((elem.get("name", ""), elem.get("state") or "visible", _attr(elem, "id")))
        elif tag == "workbookPr":
            date1904 = (elem.get("date1904") or "").lower() in _TRUE
        elif tag == "definedName":
            names.append((elem.get("name", ""), elem.get("localSheetId"), elem.text or ""))
    return sheets, date1904, names


DefinedNames = list[tuple[str, str | None, str]]


def sheet_parts(
    zf: zipfile.ZipFile, read: Callable[[str], bytes] | None = None
) -> tuple[str, list[SheetEntry], bool, DefinedNames]:
    """The workbook part, its sheets with their zip member (None if missing), date1904, names.

    ``read`` reads one member (default ``zf.read``); preflight passes a size-bounded reader.
    Raises KeyError when the zip holds no workbook part.
    """
    names = name_map(zf)
    read = read or zf.read
    workbook = None
    root_rels = names.get(_norm("_rels/.rels"))
    if root_rels:
        workbook = office_document(parse_rels(read(root_rels), ""))
    if not workbook or _norm(workbook) not in names:
        workbook = "xl/workbook.xml"
    workbook = names.get(_norm(workbook))
    if workbook is None:
        raise KeyError("xl/workbook.xml saknas")
    sheets, date1904, defined = parse_workbook(read(workbook))
    targets: dict[str, str] = {}
    wb_rels = names.get(_norm(rels_part(workbook)))
    if wb_rels:
        targets = {rid: target for rid, _, target in parse_rels(read(wb_rels), workbook)}
    entries = []
    for index, (name, state, rid) in enumerate(sheets):
        target = targets.get(rid or "")
        part = names.get(_norm(target)) if target else None
        entries.append(SheetEntry(name, state, part, index))
    return workbook, entries, date1904, defined


def parse_xml(data: bytes) -> Element:
    """Parse a whole small part; a DOCTYPE, entity or external reference raises."""
    return DET.fromstring(data, forbid_dtd=True)


def _read(
    zf: zipfile.ZipFile, wanted: Iterable[str] | None, formulas_in: dict[str, set[str]] | None,
    validations: bool = True, styles: bool = True, members: Mapping[str, bytes] | None = None,
) -> WorkbookXmlInfo:
    members = members or {}

    def read(name: str) -> bytes:
        data = members.get(name)
        return zf.read(name) if data is None else data

    _, entries, date1904, defined = sheet_parts(zf, read=read)
    info = WorkbookXmlInfo(date1904=date1904)
    by_index = {e.local_id: e.name for e in entries}
    for name, local_id, text in defined:
        key = name
        if local_id is not None and local_id.isdigit() and int(local_id) in by_index:
            key = f"{by_index[int(local_id)]}!{name}"
        info.defined_names[key] = text
    wanted_set = None if wanted is None else set(wanted)
    for entry in entries:
        sheet = SheetXmlInfo(name=entry.name, state=entry.state, part=entry.part)
        info.sheets[entry.name] = sheet
        if entry.part is None or (wanted_set is not None and entry.name not in wanted_set):
            continue
        cells: set[str] | None
        if formulas_in is None:
            cells = None
        else:
            cells = {c.replace("$", "").upper() for c in formulas_in.get(entry.name, set())}
        raw = members.get(entry.part)
        if raw is not None and not validations and len(raw) <= _SCAN_MAX:
            if not _scan_sheet(raw, sheet, cells):
                _parse_sheet(io.BytesIO(raw), sheet, cells, validations=False)
            continue
        if not validations and zf.getinfo(entry.part).file_size <= _SCAN_MAX:
            raw = zf.read(entry.part)
            if not _scan_sheet(raw, sheet, cells):
                _parse_sheet(io.BytesIO(raw), sheet, cells, validations=False)
            continue
        with zf.open(entry.part) as fh:
            _parse_sheet(fh, sheet, cells, validations)
    if styles:
        part = name_map(zf).get("xl/styles.xml")
        if part:
            with zf.open(part) as fh:
                info.unlocked_styles = _unlocked_styles(fh)
    return info


def _iterparse(fh: IO[bytes], events: tuple[str, ...]) -> Iterator[tuple[str, Element]]:
    return DET.iterparse(fh, events=events, forbid_dtd=True)


def _parse_sheet(fh: IO[bytes], sheet: SheetXmlInfo, cells: set[str] | None,
                 validations: bool = True) -> None:
    """Protection, validations, and formulas/error values of ``cells`` (None: all cells).

    Straight on expat, not ElementTree: a sheet has an element per cell and the reader needs
    few of them, so building no Element objects makes this several times faster. A DOCTYPE is
    refused (so there can be no entity declarations), as defusedxml's ``forbid_dtd`` does.
    """
    _SheetParser(sheet, cells, validations).parse(fh)


class _SheetParser:
    def __init__(self, sheet: SheetXmlInfo, cells: set[str] | None, validations: bool = True):
        self.sheet = sheet
        self.validations = validations
        self.cells = cells
        self.collect = cells is None or bool(cells)
        self.shared: dict[str, str] = {}
        self.row_no = 0
        self.col_no = 0
        self.cell: dict[str, str | None] | None = None  # the cell being collected
        self.validation: dict[str, str | None] | None = None
        self.capture: str | None = None  # which text is being gathered
        self.depth = 0  # nesting below a validation's formula element (x14: <xm:f>)
        self.text: list[str] = []
        self.nested: list[str] = []

    def parse(self, fh: IO[bytes]) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.buffer_text = True
        parser.ParseFile(fh)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition("}")[2]
        if self.capture is not None:
            self.depth += 1  # an element inside a formula1/formula2/sqref (x14 <xm:f>)
            return
        if tag == "c":
            self.start_cell(attrs)
        elif self.cell is not None and tag in ("f", "v"):
            self.capture, self.text = tag, []
            if tag == "f":
                self.cell["f_t"], self.cell["f_si"] = attrs.get("t"), attrs.get("si")
        elif tag == "row":
            r = attrs.get("r")
            self.row_no = int(r) if r and r.isdigit() else self.row_no + 1
            self.col_no = 0
        elif tag == "sheetProtection":
            protected = (attrs.get("sheet") or "").lower() in _TRUE
            locked_blocked = (attrs.get("selectLockedCells") or "").lower() in _TRUE
            self.sheet.protected = protected
            self.sheet.select_locked_cells = not (protected and locked_blocked)
        elif tag == "dataValidation" and self.validations:
            self.validation = {"sqref": attrs.get("sqref") or "", "type": attrs.get("type"),
                               "formula1": None, "formula2": None,
                               "show_error": attrs.get("showErrorMessage"),
                               "operator": attrs.get("operator")}
        elif self.validation is not None and tag in ("formula1", "formula2", "sqref"):
            self.capture, self.text, self.nested, self.depth = tag, [], [], 0

    def start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        match = _CELL_REF.match(ref) if ref else None
        if match:
            self.col_no = layout.col_index(match.group(1)) + 1
            address = f"{match.group(1).upper()}{int(match.group(2))}"
        else:
            self.col_no += 1
            address = layout.address(self.col_no - 1, self.row_no)
        if self.collect and (self.cells is None or address in self.cells):
            self.cell = {"address": address, "t": attrs.get("t"), "f": None, "v": None}
        else:
            self.cell = None

    def data(self, text: str) -> None:
        if self.capture is not None:
            (self.nested if self.depth else self.text).append(text)

    def end(self, name: str) -> None:
        if self.capture is not None and self.depth:
            self.depth -= 1
            return
        tag = name.rpartition("}")[2]
        if self.capture is not None and tag == self.capture:
            self.capture = None
            text = "".join(self.text)
            if self.cell is not None and tag in ("f", "v"):
                self.cell[tag] = text
            elif self.validation is not None:
                if tag == "sqref":
                    if not self.validation["sqref"]:
                        self.validation["sqref"] = text
                else:
                    # x14:formula1 wraps the text in an xm:f child
                    self.validation[tag] = text if text.strip() else "".join(self.nested)
        elif tag == "c":
            if self.cell is not None:
                self.finish_cell(self.cell)
            self.cell = None
        elif tag == "dataValidation" and self.validation is not None:
            v = self.validation
            self.validation = None
            sqref = (v["sqref"] or "").strip()
            if sqref:
                self.sheet.validations.append(Validation(
                    sqref=sqref, type=v["type"] or "none", formula1=v["formula1"],
                    formula2=v["formula2"], show_error=(v["show_error"] or "").lower() in _TRUE,
                    operator=v["operator"]))

    def finish_cell(self, cell: dict[str, str | None]) -> None:
        kind, formula, value = cell["t"], cell["f"], cell["v"]
        if formula is not None:
            si = cell["f_si"]
            if cell["f_t"] == "shared" and si is not None:
                if formula:
                    self.shared[si] = formula
                else:
                    formula = self.shared.get(si, "")
        # LibreOffice re-saves a literal boolean as <f>TRUE()</f><v>1</v> (TECH.md §7) and a
        # literal error as <f>#DIV/0!</f><v>#DIV/0!</v>: these are typed values, not formulas.
        text = (formula or "").strip()
        literal = (kind == "b" and text.upper() in {"TRUE()", "FALSE()"}) or (
            kind == "e" and text == (value or "").strip()
        )
        address = cell["address"] or ""
        if formula is not None and not literal:
            self.sheet.formulas[address] = formula
        if kind == "e" and value:
            self.sheet.errors[address] = value


def _refuse_doctype(*_: object) -> None:
    raise _DoctypeError("DOCTYPE")


def _unlocked_styles(fh: IO[bytes]) -> frozenset[int]:
    unlocked: set[int] = set()
    in_xfs = False
    index = -1
    for event, elem in _iterparse(fh, ("start", "end")):
        tag = local(elem.tag)
        if tag == "cellXfs":
            in_xfs = event == "start"
            if not in_xfs:
                break
        elif in_xfs and tag == "xf" and event == "start":
            index += 1
        elif (
            in_xfs
            and tag == "protection"
            and event == "end"
            and (elem.get("locked") or "").lower() in {"0", "false"}
        ):
            unlocked.add(index)
    return frozenset(unlocked)


# -- the fast path: protection, formulas and error values from the sheet's bytes ----------------
#
# The check needs three facts from a sheet's XML: is it protected, which cells hold a formula,
# which an error value. In the files reportkit writes (and most others) those are a handful of
# cells among hundreds, so instead of an expat event per element the bytes are searched for the
# few places that matter. Expat still reads the whole part first, without a handler (at C
# speed), so a malformed part, a DOCTYPE or an unbound prefix goes to the parser above and fails
# there as it always did; after that the part is well-formed and its text and attribute values
# hold no "<", so "<c " starts a cell's tag and "<f>" a formula element. Whenever the bytes are
# not in the plain shape the scan reads (a comment, CDATA, a processing instruction, a prefixed
# c/f/v/sheetProtection, a formula element with attributes such as a shared or array formula,
# "e" written as a character reference, a formula or error cell without a plain ``r`` or with
# other content, an encoding other than UTF-8 …), :func:`_scan_sheet` answers False and the
# parser reads the part instead, so such files get exactly what they always got.

_SCAN_MAX = 8_000_000  # larger parts are streamed through the parser
_XML_DECL = re.compile(rb"<\?xml\s[^?<>]*\?>")
_DECL_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
# what the scan does not read: a comment, CDATA, a processing instruction (or a DOCTYPE), a cell
# without attributes or with other white space after its name, a formula element with
# attributes; an element c, f, v or sheetProtection with a prefix (the second pattern also
# matches such text, which only sends the part to the parser); a row number in non-ASCII
# digits (the parser fails on it)
_NOT_PLAIN = re.compile(rb"<(?:[!?]|c[\t\r\n/>]|f\s)")
_PREFIXED = re.compile(rb":(?:c|f|v|sheetProtection)[\s/>]")
_ROW_NOT_ASCII = re.compile(rb"<row\s[^>]*[\x80-\xff]")
_E_REFERENCE = re.compile(rb"&#(?:x0*65|0*101);")  # "e" written as a reference
# the cells as xlsxwriter, openpyxl and Excel write them: all of a sheet's formula cells and
# error cells are found by these two in one pass each, and then nothing else needs a look
_PLAIN_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]+")?(?: t="([a-z]+)")?>'
    rb"(?:<f>([^<]*)</f>|(<f/>))(?:<v>([^<]*)</v>|(<v/>))?</c>"
)
_PLAIN_ERROR = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]+")? t="e">(?:<v>([^<]*)</v>|(<v/>))?</c>'
)
_FORMULA = re.compile(rb"<f(?:>|/>)")
_ERROR_TYPE = re.compile(rb"""\st\s*=\s*(?:"e"|'e')""")
_PROTECTION = re.compile(rb"<sheetProtection[\s/>]")
_PLAIN_PROTECTION = re.compile(rb'<sheetProtection((?: [A-Za-z]+="[^"&<\t\r\n]*")*)\s*/>')
_PROTECTION_SHEET = re.compile(rb' sheet="([^"]*)"')
_PROTECTION_SELECT = re.compile(rb' selectLockedCells="([^"]*)"')
_TAG = re.compile(rb"""<([A-Za-z_][\w.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""")
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CONTENT = re.compile(rb"\s*(?:<f>([^<]*)</f>\s*|<f/>\s*)?(?:<v>([^<]*)</v>\s*|<v/>\s*)?")
_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


class _NotPlain(Exception):
    """The bytes are not in the shape :func:`_scan_sheet` reads: the parser reads them."""


def _scan_sheet(data: bytes, sheet: SheetXmlInfo, cells: set[str] | None) -> bool:
    """What :func:`_parse_sheet` finds without validations, from ``data``; False: not plain.

    A part that is not well-formed (or has a DOCTYPE) is left to the parser too, so that it
    fails with the parser's own error.
    """
    try:
        _well_formed(data)
    except Exception:
        return False
    start = 0
    decl = _XML_DECL.match(data)
    if decl:
        encoding = _DECL_ENCODING.search(decl.group(0))
        if encoding and encoding.group(1).lower() != b"utf-8":
            return False
        start = decl.end()
    elif not data.startswith(b"<") or b"\x00" in data[:4]:
        return False  # a byte order mark, UTF-16, leading white space
    if (_NOT_PLAIN.search(data, start) or _PREFIXED.search(data, start)
            or _E_REFERENCE.search(data, start)
            or (not data.isascii() and _ROW_NOT_ASCII.search(data, start))):
        return False
    try:
        protection = _protection(data)
        found: dict[int, tuple[str, str | None, str | None, str | None]] = {}
        if cells is None or cells:
            plain = _plain_cells(data)
            found = _cells(data) if plain is None else plain
    except _NotPlain:
        return False
    if protection is not None:
        protected, locked_blocked = protection
        sheet.protected = protected
        sheet.select_locked_cells = not (protected and locked_blocked)
    for at in sorted(found):  # document order, as the parser sees them
        address, kind, formula, value = found[at]
        if cells is not None and address not in cells:
            continue
        text = (formula or "").strip()
        literal = (kind == "b" and text.upper() in {"TRUE()", "FALSE()"}) or (
            kind == "e" and text == (value or "").strip()
        )
        if formula is not None and not literal:
            sheet.formulas[address] = formula
        if kind == "e" and value:
            sheet.errors[address] = value
    return True


def _plain_cells(data: bytes) -> dict[int, tuple[str, str | None, str | None, str | None]] | None:
    """Every formula and error cell by where its tag starts, if all are plain; else None.

    A formula element is ``<f>`` or ``<f/>`` (``<f `` with attributes is not plain), and an
    error cell's ``t`` is ``"e"`` or ``'e'`` (a reference to "e" is not plain): when the plain
    cells found account for every one of those byte sequences in the part, they are all the
    formula and error cells there are.
    """
    found: dict[int, tuple[str, str | None, str | None, str | None]] = {}
    for formula in _FORMULA.finditer(data):
        at = data.rfind(b"<c ", 0, formula.start())
        m = _PLAIN_FORMULA.match(data, at) if at >= 0 else None
        if m is None or m.end() <= formula.start() or at in found:
            return None  # a formula element outside a plain cell, or two in one
        letters, digits, kind, text, empty_f, value, empty_v = m.groups()
        found[at] = _plain_cell(letters, digits, kind, text, empty_f is not None, value,
                                empty_v is not None)
    errors = data.count(b'"e"') + data.count(b"'e'")
    if errors:
        errors -= sum(1 for cell in found.values() if cell[1] == "e")
        for m in _PLAIN_ERROR.finditer(data):
            errors -= 1
            found[m.start()] = (m.group(1).decode() + str(int(m.group(2))), "e", None,
                                _text(m.group(3), m.group(4) is not None))
        if errors:
            return None
    return found


@functools.lru_cache(maxsize=4096)
def _plain_cell(letters: bytes, digits: bytes, kind: bytes | None, text: bytes | None,
                empty_f: bool, value: bytes | None, empty_v: bool,
                ) -> tuple[str, str | None, str | None, str | None]:
    """A plain formula cell from its parts: the workbooks of one kommun share most of them."""
    return (letters.decode() + str(int(digits)), _kind(kind), _text(text, empty_f),
            _text(value, empty_v))


def _kind(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode()


def _cells(data: bytes) -> dict[int, tuple[str, str | None, str | None, str | None]]:
    """Every formula and error cell by where its tag starts, cell by cell."""
    found: dict[int, tuple[str, str | None, str | None, str | None]] = {}
    for match in _FORMULA.finditer(data):
        at = data.rfind(b"<c ", 0, match.start())
        if at < 0:
            raise _NotPlain
        if at not in found:
            found[at] = _cell(data, at, match.start())
    for match in _ERROR_TYPE.finditer(data):
        at = data.rfind(b"<", 0, match.start())
        if at not in found and data.startswith(b"<c ", at):
            tag = _TAG.match(data, at)
            if tag is None:
                raise _NotPlain
            if tag.end() > match.start() and _attrs(tag.group(2)).get("t") == "e":
                found[at] = _cell(data, at, None)
    return found


def _well_formed(data: bytes) -> None:
    """Expat over the whole part with no handler but the DOCTYPE refusal: raises as the parser."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.Parse(data, True)


def _protection(data: bytes) -> tuple[bool, bool] | None:
    """(sheet="1", selectLockedCells="1") of the last ``<sheetProtection>``; None if none."""
    count = data.count(b"<sheetProtection")
    if not count:
        return None
    plain = _PLAIN_PROTECTION.findall(data)
    if len(plain) == count:
        attrs = plain[-1]
        sheet = _PROTECTION_SHEET.search(attrs)
        select = _PROTECTION_SELECT.search(attrs)
        return (sheet is not None and sheet.group(1).decode().lower() in _TRUE,
                select is not None and select.group(1).decode().lower() in _TRUE)
    result = None
    for match in _PROTECTION.finditer(data):
        tag = _TAG.match(data, match.start())
        if tag is None:
            raise _NotPlain
        attrs = _attrs(tag.group(2))
        locked, selectable = attrs.get("sheet"), attrs.get("selectLockedCells")
        result = ((locked or "").lower() in _TRUE, (selectable or "").lower() in _TRUE)
    return result


def _cell(data: bytes, at: int, formula_at: int | None
          ) -> tuple[str, str | None, str | None, str | None]:
    """(address, t, formula, value) of the cell whose tag starts at ``at``.

    ``formula_at`` is where a formula element was found that must lie inside this cell.
    """
    tag = _TAG.match(data, at)
    if tag is None:
        raise _NotPlain
    attrs = _attrs(tag.group(2))
    ref = attrs.get("r")
    match = _CELL_REF.match(ref) if ref else None
    if match is None:
        raise _NotPlain  # the parser would count its position
    address = f"{match.group(1).upper()}{int(match.group(2))}"
    kind = attrs.get("t")
    if tag.group(3):  # <c …/>: no formula, no value
        if formula_at is not None:
            raise _NotPlain
        return address, kind, None, None
    end = data.find(b"</c>", tag.end())
    if end < 0 or (formula_at is not None and not tag.end() <= formula_at < end):
        raise _NotPlain
    content = _CONTENT.fullmatch(data, tag.end(), end)
    if content is None:
        raise _NotPlain
    formula = _text(content.group(1), b"<f/>" in data[tag.end():end])
    value = _text(content.group(2), b"<v/>" in data[tag.end():end])
    return address, kind, formula, value


def _text(raw: bytes | None, empty: bool) -> str | None:
    """An element's text as expat gives it: references replaced, or raises _NotPlain."""
    if raw is None:
        return "" if empty else None
    return _decoded(raw)


@functools.lru_cache(maxsize=4096)  # decoded formula texts: a workbook repeats its few formulas
def _decoded(raw: bytes) -> str:
    if b"\r" in raw:
        raise _NotPlain  # expat turns line ends into \n
    text = raw.decode("utf-8")
    if "&" in text:
        text = _unescape(text)
    return text


def _attrs(raw: bytes) -> dict[str, str]:
    """The attributes of a tag (names with their prefix); raises _NotPlain on a reference."""
    attrs = {}
    for match in _ATTR.finditer(raw):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if b"&" in value or b"\t" in value or b"\n" in value or b"\r" in value:
            raise _NotPlain
        attrs[match.group(1).decode("utf-8")] = value.decode("utf-8")
    return attrs


def _unescape(text: str) -> str:
    result, replaced = _REFERENCE.subn(_replace, text)
    if replaced != text.count("&"):
        raise _NotPlain
    return result


def _replace(match: re.Match[str]) -> str:
    hex_code, code, name = match.groups()
    if name:
        return _NAMED[name]
    return chr(int(hex_code, 16) if hex_code else int(code))
