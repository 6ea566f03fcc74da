"""Builders of good and hostile workbook files, written into a test's tmp_path.

Each builder takes the target path and returns it. Nothing here is slow: the 500 MB zip bomb is
one megabyte of zeros deflated once with a full flush and repeated (the deflate stream stays
valid), so it costs about as much as writing its 0.5 MB.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET1 = "xl/worksheets/sheet1.xml"


def good_xlsx(path: Path) -> Path:
    """A protected styrkort-like workbook: sheet Mål with an unlocked input C3 under a list
    validation, a formula in D3, an error value in E3; a hidden sheet and a veryHidden list."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Mål"
    ws["A1"] = "Mål"
    ws["B1"] = "Utfall"
    ws["A3"] = "Nöjda brukare"
    ws["B3"] = 42
    ws["C3"].protection = Protection(locked=False)
    ws["C4"].protection = Protection(locked=False)
    ws["D3"] = "=B3*2"
    ws["E3"] = "#DIV/0!"
    ws.protection.sheet = True
    ws.protection.selectLockedCells = True
    dv = DataValidation(
        type="list",
        formula1='"Uppnått,Delvis uppnått,Ej uppnått"',
        showErrorMessage=True,
        errorStyle="stop",
        error="Välj i listan",
    )
    dv.add("C3:C4")
    ws.add_data_validation(dv)
    num = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="1000000", showErrorMessage=True
    )
    num.add("B3")
    ws.add_data_validation(num)
    hidden = wb.create_sheet("Dold")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    lists = wb.create_sheet("Listor")
    for i, name in enumerate(["Skola", "Vård", "Kultur"], start=1):
        lists[f"A{i}"] = name
    lists.sheet_state = "veryHidden"
    wb.defined_names["Enheter"] = DefinedName("Enheter", attr_text="Listor!$A$1:$A$3")
    wb.save(path)
    return path


def xlsxwriter_cached_error(path: Path) -> Path:
    """xlsxwriter: B2 is ``=1/0`` with the cached value ``#DIV/0!``, B3 a plain formula, 1904."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"date_1904": True})
    ws = wb.add_worksheet("Mål")
    ws.write_formula("B2", "=1/0", None, "#DIV/0!")
    ws.write_formula("B3", "=SUM(1,2)", None, 3)
    ws.write_number("B4", 5)
    wb.close()
    return path


def members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def write_zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def replaced(
    src: Path, dst: Path, changes: dict[str, bytes | None], extra: list[tuple[str, bytes]] = ()
) -> Path:
    """Copy a zip, replacing (or, with None, dropping) members and appending ``extra``."""
    out = []
    for name, data in members(src):
        if name in changes:
            if changes[name] is None:
                continue
            data = changes[name]
        out.append((name, data))
    return write_zip(dst, out + list(extra))


class RawEntry:
    """A zip member written byte by byte: ``raw`` is already deflated; sizes may lie."""

    def __init__(self, name: str, raw: bytes, crc: int, size: int, method: int = 8):
        self.name, self.raw, self.crc, self.size, self.method = name, raw, crc, size, method

    @classmethod
    def deflated(cls, name: str, data: bytes) -> RawEntry:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def write_raw_zip(path: Path, entries: list[RawEntry]) -> Path:
    """A minimal zip writer that trusts the caller's sizes, so a test can make them lie."""
    body = bytearray()
    central = bytearray()
    for e in entries:
        name = e.name.encode()
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            0,
            e.method,
            0,
            0x21,
            e.crc & 0xFFFFFFFF,
            len(e.raw),
            e.size,
            len(name),
            0,
        )
        body += name + e.raw
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            e.method,
            0,
            0x21,
            e.crc & 0xFFFFFFFF,
            len(e.raw),
            e.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
    eocd = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0
    )
    path.write_bytes(bytes(body + central + eocd))
    return path


def zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``megabytes`` MiB of zeros, cheaply, and its CRC-32."""
    block = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor starts afresh, so the same input gives the same bytes.
    segment = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return segment * megabytes + end, crc


def zip_bomb(good: Path, path: Path, megabytes: int = 500, declared: int | None = None) -> Path:
    """The good workbook with sheet1 replaced by ``megabytes`` MiB of zeros (~1 KB per MiB).

    ``declared`` makes the headers lie about the uncompressed size.
    """
    raw, crc = zeros_deflated(megabytes)
    size = megabytes << 20 if declared is None else declared
    entries = []
    for name, data in members(good):
        if name == SHEET1:
            entries.append(RawEntry(name, raw, crc, size))
        else:
            entries.append(RawEntry.deflated(name, data))
    return write_raw_zip(path, entries)


def lying_size(good: Path, path: Path) -> Path:
    """sheet1 claims 1,000 bytes but inflates to 5 MiB."""
    return zip_bomb(good, path, megabytes=5, declared=1000)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>
</worksheet>"""


def billion_laughs(good: Path, path: Path) -> Path:
    return replaced(good, path, {SHEET1: BILLION_LAUGHS})


def external_entity(good: Path, path: Path) -> Path:
    """workbook.xml in UTF-16 with an external entity (the scan must see through the encoding)."""
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheets/></workbook>"
    )
    return replaced(good, path, {"xl/workbook.xml": b"\xff\xfe" + xml.encode("utf-16-le")})


def huge_dimension(good: Path, path: Path) -> Path:
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read(SHEET1)
    sheet = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    return replaced(good, path, {SHEET1: sheet})


def far_apart_cells(good: Path, path: Path) -> Path:
    """Two values at A1 and XFD1048576 and no dimension: calamine would allocate 17e9 cells."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>'
    )
    return replaced(good, path, {SHEET1: sheet})


def shared_string_counts(good: Path, path: Path, unique: int | str | None = 4294967295,
                         count: int | str | None = 4294967295) -> Path:
    """The good workbook whose shared-string table declares ``unique`` strings and ``count``
    uses (None: as written). calamine reserves room for ``uniqueCount`` strings before it
    reads one, so 4,294,967,295 makes it ask for 100 GB and abort the process (SIGABRT)."""
    with zipfile.ZipFile(good) as zf:
        part = next(n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml"))
        data = zf.read(part)
    if unique is not None:
        data = re.sub(rb'uniqueCount="[0-9]*"', b'uniqueCount="%s"' % str(unique).encode(),
                      data, count=1)
    if count is not None:
        data = re.sub(rb'\bcount="[0-9]*"', b'count="%s"' % str(count).encode(), data, count=1)
    return replaced(good, path, {part: data})


def reader_abort(good: Path, path: Path) -> Path:
    """A cell at row 4,294,967,295 whose r is not its first attribute, in a row without r:
    pre-flight's scan (r first, as every writer puts it) does not see it, and calamine asks
    for the dense range (hundreds of GB) and aborts the process. A real file that kills the
    reader, for the tests of what happens after pre-flight."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read(SHEET1)
    sheet = sheet.replace(b"</sheetData>",
                          b'<row><c t="n" r="B4294967295"><v>1</v></c></row></sheetData>', 1)
    return replaced(good, path, {SHEET1: sheet})


def many_sheets(path: Path, count: int = 51) -> Path:
    wb = Workbook()
    for i in range(1, count):
        wb.create_sheet(f"Blad{i + 1}")
    wb.save(path)
    return path


def xlsm(good: Path, path: Path) -> Path:
    with zipfile.ZipFile(good) as zf:
        types = zf.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return replaced(
        good, path, {"[Content_Types].xml": types}, extra=[("xl/vbaProject.bin", OLE2 + bytes(504))]
    )


def ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        zf.writestr(
            "content.xml",
            '<?xml version="1.0"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        zf.writestr("META-INF/manifest.xml", "<manifest/>", compress_type=zipfile.ZIP_DEFLATED)
    return path


def docx(path: Path) -> Path:
    return write_zip(
        path,
        [
            (
                "[Content_Types].xml",
                b'<?xml version="1.0"?><Types xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/content-types"/>',
            ),
            (
                "_rels/.rels",
                b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                b'Target="word/document.xml"/></Relationships>',
            ),
            ("word/document.xml", b"<w:document xmlns:w='urn:x'/>"),
        ],
    )


def plain_zip(path: Path) -> Path:
    return write_zip(path, [("readme.txt", b"hej")])


def many_entries(path: Path, count: int) -> Path:
    return write_zip(path, [(f"x/{i}.xml", b"<a/>") for i in range(count)])


def csv_renamed(path: Path) -> Path:
    path.write_text(
        "Enhet;Mål;Utfall\nSkola;Nöjda brukare;85 %\nVård;Väntetid;12\n", encoding="utf-8"
    )
    return path


def pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(good: Path, path: Path) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def pk_garbage(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04garbage" * 10)
    return path


def _ole2_file(path: Path, streams: list[str]) -> Path:
    """An OLE2 header, then directory-entry-like UTF-16LE stream names, padded to 4 KB."""
    body = bytearray(OLE2 + bytes(504))
    for name in ["Root Entry", *streams]:
        entry = name.encode("utf-16-le").ljust(64, b"\x00")
        body += entry + bytes(64)
    path.write_bytes(bytes(body.ljust(4096, b"\x00")))
    return path


def encrypted(path: Path) -> Path:
    return _ole2_file(path, ["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])


def xls(path: Path) -> Path:
    return _ole2_file(path, ["Workbook", "\x05SummaryInformation"])


def too_large(path: Path, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(size)  # sparse: costs nothing on disk
        fh.seek(0)
        fh.write(b"PK\x03\x04")
    return path


def members_of(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)
