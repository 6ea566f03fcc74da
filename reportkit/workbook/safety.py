"""Pre-flight: refuse a hostile or foreign file before calamine (or openpyxl) opens it.

Units send back whatever their computer saved: an .xls, an .ods, a CSV renamed .xlsx, a
password-protected copy, a half-copied file. Some files may be built to hurt the reader: a zip
bomb, a zip whose headers lie about sizes, XML with entity expansion ("billion laughs"), a sheet
that declares 17 billion cells (calamine allocates the used range densely). :func:`preflight`
looks at the bytes, never at the file name, and answers with one Problem in bounded time and
memory.

:func:`preflight_read` gives the same answers and, for a file it accepts, keeps the file's
bytes and the parts it decompressed, so that ``reportkit check`` reads and decompresses each
file once.

A valid xlsx is accepted whatever its extension. Note that ``CalamineWorkbook.from_path`` picks
the format by extension (TECH.md §1): open an accepted file whose name does not end in .xlsx with
``CalamineWorkbook.from_filelike``, which sniffs the content.
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from reportkit.errors import Problem, problem
from reportkit.workbook import layout, xmlinfo

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")

MAX_ENTRIES = 10_000
# A part preflight keeps in memory to parse (workbook.xml, .rels, [Content_Types].xml).
_MAX_SMALL_PART = 16_000_000
# Entries below this size are not judged by their compression ratio: small XML compresses well.
_RATIO_FLOOR = 1_000_000
_CHUNK = 1 << 16
_OUT = 1 << 20
# Parts calamine never decompresses; their declared sizes are still checked.
_BINARY_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".bin",
    ".svg",
    ".wdp",
)

_ENTITY_NEEDLES = ("<!DOCTYPE", "<!ENTITY")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
# calamine allocates a sheet's used range densely, so a value at XFD1048576 costs 17e9 cells.
# Matching every cell costs ~0.3 µs a cell, so the patterns below only match rows and the rare
# cells beyond column Z or row 99999; each starts with a literal (the sheet's own namespace
# prefix included) so that re can skip ahead quickly.
_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,12})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,12}))?$")
_MACRO_TYPE = re.compile(rb"application/vnd\.ms-excel\.[A-Za-z]+\.macroEnabled", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_sheets: int
    max_cells: int
    max_entries: int
    max_rows: int = 1_048_576
    max_strings: int = 1_000_000


class _Refuse(Exception):
    def __init__(self, code: str, sheet: str | None = None, **values: Any):
        super().__init__(code)
        self.code = code
        self.sheet = sheet
        self.values = values


def preflight(
    path: Path,
    *,
    max_bytes: int = 50_000_000,
    max_uncompressed: int = 200_000_000,
    max_ratio: int = 100,
    max_sheets: int = 50,
    max_cells: int = 2_000_000,
    max_entries: int = MAX_ENTRIES,
    max_rows: int = 1_048_576,
    max_strings: int = 1_000_000,
) -> list[Problem]:
    """Check that ``path`` is a plausible, safe xlsx before any reader opens it.

    Returns ``[]`` when it is, else exactly one ``fel`` Problem located at the file name:
    ``file-missing``, ``file-is-directory``, ``file-symlink``, ``file-unreadable``,
    ``file-empty``, ``file-too-large`` (more than ``max_bytes`` on disk), ``file-encrypted``,
    ``file-xls``, ``file-not-xlsx`` (with ``looks_like``: CSV, PDF, Word, ...), ``file-corrupt``,
    ``file-ods``, ``file-xlsm``, ``file-zip-bomb`` (declared or actually decompressed sizes over
    ``max_uncompressed`` bytes in all, a compression ratio over ``max_ratio``, more than
    ``max_entries`` members, or a member larger than its header says), ``file-xml-entities``
    (a DOCTYPE or ENTITY declaration in any XML part), ``file-too-large-sheet`` (more than
    ``max_sheets`` sheets, a sheet whose declared or used range spans more than ``max_cells``
    or reaches beyond row ``max_rows`` (Excel's last row), or a shared-string table of more
    than ``max_strings`` strings); a shared-string table that declares more strings
    (``uniqueCount``) than its bytes can hold, or more uses (``count``) than the sheets have
    cells, is ``file-corrupt``: the reader allocates what the file declares.

    Content decides, not the extension. Every XML part is decompressed as a stream and its bytes
    counted, so the time and memory used are bounded by the limits whatever the input. Never
    raises for a bad file.
    """
    limits = Limits(max_bytes, max_uncompressed, max_ratio, max_sheets, max_cells, max_entries,
                    max_rows, max_strings)
    return _preflight(Path(path), limits, keep=False)[0]


@dataclass(frozen=True)
class Accepted:
    """What :func:`preflight_read` read of a file it accepted: the file's bytes, and the zip
    members it decompressed whole (member name → bytes; large ones are not kept)."""

    data: bytes
    parts: dict[str, bytes]


def preflight_read(path: Path, **limits: int) -> tuple[list[Problem], Accepted | None]:
    """:func:`preflight` (same limits, same answers) that reads the file once and keeps it.

    For a file it accepts, the Problems are ``[]`` and :class:`Accepted` holds the bytes (at
    most ``max_bytes``, checked before anything is read) and the parts it decompressed, so the
    reader does not read or decompress them again; else the one Problem and None.
    """
    path = Path(path)
    return _preflight(path, Limits(**{**_DEFAULT_LIMITS, **limits}), keep=True)


# preflight()'s defaults (tests/workbook/test_safety.py holds them to it)
_DEFAULT_LIMITS = {"max_bytes": 50_000_000, "max_uncompressed": 200_000_000, "max_ratio": 100,
                   "max_sheets": 50, "max_cells": 2_000_000, "max_entries": MAX_ENTRIES,
                   "max_rows": 1_048_576, "max_strings": 1_000_000}
# parts kept for the reader: each at most this many bytes, and this many in all
_KEEP_PART = 8_000_000
_KEEP_TOTAL = 32_000_000


def _preflight(path: Path, limits: Limits, keep: bool) -> tuple[list[Problem], Accepted | None]:
    try:
        accepted = _check(path, limits, keep)
    except _Refuse as refusal:
        return [problem(refusal.code, file=path.name, sheet=refusal.sheet,
                        **refusal.values)], None
    except MemoryError:
        return [problem("file-zip-bomb", file=path.name, detail="minnet räckte inte")], None
    except Exception as exc:  # a hostile file must never stop the other files
        return [problem("file-corrupt", file=path.name,
                        reason=f"{type(exc).__name__}: {exc}")], None
    return [], accepted


def _check(path: Path, limits: Limits, keep: bool = False) -> Accepted | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise _Refuse("file-missing") from None
    except OSError as exc:
        raise _Refuse("file-unreadable", reason=exc.strerror or str(exc)) from None
    if stat.S_ISLNK(st.st_mode):
        raise _Refuse("file-symlink")
    if stat.S_ISDIR(st.st_mode):
        raise _Refuse("file-is-directory")
    if not stat.S_ISREG(st.st_mode):
        raise _Refuse("file-unreadable", reason="det är ingen vanlig fil")
    _check_size(st.st_size, limits)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _Refuse("file-unreadable", reason=exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())  # the file may have been swapped since lstat
        if not stat.S_ISREG(st.st_mode):
            raise _Refuse("file-unreadable", reason="det är ingen vanlig fil")
        _check_size(st.st_size, limits)
        try:
            if not keep:
                _check_content(fh, st.st_size, limits, None)
                return None
            # the whole file in memory (its size is within max_bytes), read once
            data = fh.read(limits.max_bytes + 1)
            kept: dict[str, bytes] = {}
            _check_content(io.BytesIO(data), st.st_size, limits, kept)
            return Accepted(data, kept)
        except OSError as exc:
            raise _Refuse("file-unreadable", reason=exc.strerror or str(exc)) from None


def _check_size(size: int, limits: Limits) -> None:
    if size == 0:
        raise _Refuse("file-empty")
    if size > limits.max_bytes:
        raise _Refuse("file-too-large", size_mb=_mb(size), max_mb=_mb(limits.max_bytes))


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",")


def _check_content(fh: IO[bytes], size: int, limits: Limits,
                   kept: dict[str, bytes] | None) -> None:
    head = fh.read(4096)
    if head.startswith(_OLE2):
        code, values = _ole2(fh)
        raise _Refuse(code, **values)
    if not head.startswith(_ZIP_MAGIC):
        raise _Refuse("file-not-xlsx", looks_like=_looks_like(head))
    _check_zip(fh, size, limits, kept)


def _ole2(fh: IO[bytes]) -> tuple[str, dict[str, str]]:
    """file-encrypted, file-xls or file-not-xlsx, from the OLE2 stream names in the file.

    An encrypted xlsx is an OLE2 compound file holding "EncryptionInfo" and "EncryptedPackage";
    a real .xls holds a "Workbook" (or, before Excel 97, "Book") stream. msoffcrypto is not
    installed, and the directory sectors can sit anywhere, so the whole file (at most
    max_bytes) is scanned for the UTF-16LE names in chunks.
    """
    found = _scan_utf16(
        fh,
        (
            "EncryptedPackage",
            "EncryptionInfo",
            "Workbook",
            "Book",
            "WordDocument",
            "PowerPoint Document",
        ),
    )
    if found & {"EncryptedPackage", "EncryptionInfo"}:
        return "file-encrypted", {}
    if found & {"Workbook", "Book"}:
        return "file-xls", {}
    if "WordDocument" in found:
        return "file-not-xlsx", {"looks_like": "ett Word-dokument i gammalt format (.doc)"}
    if "PowerPoint Document" in found:
        return "file-not-xlsx", {"looks_like": "en PowerPoint-presentation i gammalt format (.ppt)"}
    return "file-not-xlsx", {"looks_like": "ett äldre Office-dokument som inte är en arbetsbok"}


def _scan_utf16(fh: IO[bytes], names: tuple[str, ...]) -> set[str]:
    needles = {name: name.encode("utf-16-le") for name in names}
    overlap = max(len(n) for n in needles.values())
    found: set[str] = set()
    fh.seek(0)
    tail = b""
    while True:
        chunk = fh.read(_OUT)
        if not chunk:
            break
        buf = tail + chunk
        for name, needle in needles.items():
            if name not in found and needle in buf:
                found.add(name)
        tail = buf[-overlap:]
    return found


def _looks_like(head: bytes) -> str:
    """A cheap Swedish guess at what a non-zip file is, for the file-not-xlsx message."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = stripped[:512].lower()
    if stripped.startswith(b"%PDF"):
        return "en PDF-fil"
    if stripped.startswith(b"{\\rtf"):
        return "ett RTF-dokument"
    if stripped.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "en bild"
    if lower.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in lower:
        return "en webbsida (HTML), till exempel en export som getts namnet .xls"
    if lower.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "en XML-kalkylbladsfil (Excel 2003 XML)"
        return "en XML-fil"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "en textfil (UTF-16)"
    text = _as_text(head)
    if text is not None:
        lines = [line for line in text.splitlines()[:5] if line.strip()]
        if lines and all(any(sep in line for sep in ";,\t") for line in lines):
            return "en CSV-fil (text med avgränsade värden)"
        return "en textfil"
    return "en fil i okänt format"


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # A multi-byte character cut at the end of the sample is still text.
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        if text and printable / len(text) > 0.95:
            return text
    return None


def _check_zip(fh: IO[bytes], size: int, limits: Limits, kept: dict[str, bytes] | None) -> None:
    _check_directory_size(fh, size, limits)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _Refuse("file-corrupt", reason=f"zip-arkivet kan inte läsas ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise _Refuse("file-zip-bomb", detail=f"{len(infos)} delar i arkivet")
        _check_declared(infos, limits)
        parts = _Parts(fh, zf, limits, kept)
        _check_kind(zf, parts)
        _check_workbook(zf, parts, limits)


def _check_directory_size(fh: IO[bytes], size: int, limits: Limits) -> None:
    """Refuse a central directory too big to parse cheaply, before zipfile parses it."""
    tail_len = min(size, _EOCD.size + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + _EOCD.size > len(tail):
        raise _Refuse("file-corrupt", reason="slutet av zip-arkivet saknas (filen är avklippt)")
    _, _, _, _, entries, cd_size, _, _ = _EOCD.unpack_from(tail, pos)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = pos - _ZIP64_LOCATOR.size
        if loc >= 0 and tail[loc : loc + 4] == b"PK\x06\x07":
            _, _, offset, _ = _ZIP64_LOCATOR.unpack_from(tail, loc)
            fh.seek(offset)
            record = fh.read(_ZIP64_EOCD.size)
            if len(record) == _ZIP64_EOCD.size and record[:4] == b"PK\x06\x06":
                fields = _ZIP64_EOCD.unpack(record)
                entries, cd_size = fields[7], fields[8]
    if entries > limits.max_entries or cd_size > limits.max_entries * 1024:
        raise _Refuse("file-zip-bomb", detail=f"{entries} delar i arkivet")


def _check_declared(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Refuse("file-encrypted")
        total += info.file_size
        if total > limits.max_uncompressed:
            raise _Refuse("file-zip-bomb", detail=f"uppackad storlek över {_mb(total)} MB")
        if info.file_size > _RATIO_FLOOR and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _Refuse("file-zip-bomb", detail=f"{info.filename} packas upp {ratio} gånger")


class _Parts:
    """Reads members by decompressing their raw bytes, counting what actually comes out.

    zipfile's own reader stops at the size the header declares, so it cannot see a member that
    lies about its size; calamine's reader may not stop there. Counting here is what bounds time
    and memory.
    """

    def __init__(self, fh: IO[bytes], zf: zipfile.ZipFile, limits: Limits,
                 kept: dict[str, bytes] | None = None):
        self.fh = fh
        self.zf = zf
        self.limits = limits
        self.total = 0
        self.names = xmlinfo.name_map(zf)
        self.done: set[str] = set()
        self.kept = kept  # whole parts for the reader (preflight_read), within _KEEP_*
        self.kept_size = 0

    def keep(self, name: str, data: bytes) -> None:
        if self.kept is not None and len(data) <= _KEEP_PART \
                and self.kept_size + len(data) <= _KEEP_TOTAL:
            self.kept_size += len(data) - len(self.kept.get(name, b""))
            self.kept[name] = data

    def stream(self, name: str) -> Iterator[bytes]:
        """Decompressed chunks of one member; refuses it when it exceeds the budget."""
        info = self.zf.getinfo(name)
        self.done.add(name)
        fh = self.fh
        fh.seek(info.header_offset)
        header = fh.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise _Refuse("file-corrupt", reason=f"delen {name} saknas i arkivet")
        name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
        fh.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
        if info.compress_type == zipfile.ZIP_STORED:
            inflater = None
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
        else:
            raise _Refuse("file-corrupt", reason=f"delen {name} är packad med en okänd metod")
        left = info.compress_size
        produced = 0
        crc = 0
        finished = inflater is None
        while left > 0:
            raw = fh.read(min(_CHUNK, left))
            if not raw:
                raise _Refuse("file-corrupt", reason=f"delen {name} är avklippt")
            left -= len(raw)
            if inflater is None:
                pieces: Iterator[bytes] = iter((raw,))
            else:
                pieces = self._inflate(inflater, raw, name)
            for data in pieces:
                produced += len(data)
                self.total += len(data)
                if self.total > self.limits.max_uncompressed:
                    raise _Refuse(
                        "file-zip-bomb", detail=f"uppackad storlek över {_mb(self.total)} MB"
                    )
                if produced > info.file_size:
                    raise _Refuse(
                        "file-zip-bomb", detail=f"delen {name} är större än arkivet uppger"
                    )
                crc = zlib.crc32(data, crc)
                yield data
            if inflater is not None and inflater.eof:
                finished = True
                break
        if not finished or produced != info.file_size or crc != info.CRC:
            raise _Refuse("file-corrupt", reason=f"delen {name} är skadad")

    @staticmethod
    def _inflate(inflater: Any, raw: bytes, name: str) -> Iterator[bytes]:
        try:
            data = inflater.decompress(raw, _OUT)
            yield data
            # A full output buffer may leave pending output even when all input is consumed.
            while not inflater.eof and (inflater.unconsumed_tail or len(data) == _OUT):
                data = inflater.decompress(inflater.unconsumed_tail, _OUT)
                yield data
        except zlib.error:
            raise _Refuse("file-corrupt", reason=f"delen {name} är skadad") from None

    def read(self, name: str) -> bytes:
        """A whole small part, scanned for DOCTYPE/ENTITY."""
        chunks: list[bytes] = []
        kept = 0
        for chunk in self.scan(name):
            kept += len(chunk)
            if kept > _MAX_SMALL_PART:
                raise _Refuse("file-zip-bomb", detail=f"delen {name} är orimligt stor")
            chunks.append(chunk)
        data = b"".join(chunks)
        self.keep(name, data)
        return data

    def scan(self, name: str) -> Iterator[bytes]:
        """Decompressed chunks; refuses the part if it holds a DOCTYPE or ENTITY declaration."""
        needles: tuple[bytes, ...] | None = None
        tail = b""
        for chunk in self.stream(name):
            if needles is None:
                needles = _needles(chunk)
            buf = tail + chunk
            if any(needle in buf for needle in needles):
                raise _Refuse("file-xml-entities", part=name)
            tail = buf[-32:]
            yield chunk

    def find(self, name: str) -> str | None:
        return self.names.get(name.lower())


def _needles(first: bytes) -> tuple[bytes, ...]:
    """The DOCTYPE/ENTITY markers in the part's encoding (UTF-8, or UTF-16 by BOM or pattern)."""
    if first.startswith(b"\xff\xfe") or first.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif first.startswith(b"\xfe\xff") or first.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        return tuple(n.encode("ascii") for n in _ENTITY_NEEDLES)
    return tuple(n.encode(encoding) for n in _ENTITY_NEEDLES)


def _check_kind(zf: zipfile.ZipFile, parts: _Parts) -> None:
    """ODS, docx, xlsb, xlsm and other zips are refused here, by what the zip holds."""
    mimetype = parts.find("mimetype")
    if mimetype:
        text = parts.read(mimetype)[:200]
        if text.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise _Refuse("file-ods")
        if text.startswith(b"application/vnd.oasis.opendocument"):
            raise _Refuse(
                "file-not-xlsx", looks_like="ett OpenDocument-dokument (till exempel .odt)"
            )
    elif parts.find("content.xml") and parts.find("meta-inf/manifest.xml"):
        manifest = parts.read(parts.find("meta-inf/manifest.xml") or "")
        if b"opendocument.spreadsheet" in manifest:
            raise _Refuse("file-ods")
        raise _Refuse("file-not-xlsx", looks_like="ett OpenDocument-dokument")
    workbook = _workbook_part(parts)
    if workbook is None:
        raise _Refuse("file-not-xlsx", looks_like=_zip_looks_like(parts))
    if workbook.lower().endswith(".bin"):
        raise _Refuse("file-not-xlsx", looks_like="en binär Excel-arbetsbok (.xlsb)")
    content_types = parts.find("[content_types].xml")
    macro_type = content_types is not None and _MACRO_TYPE.search(parts.read(content_types))
    if macro_type or any(n.startswith("xl/") and n.endswith("vbaproject.bin") for n in parts.names):
        raise _Refuse("file-xlsm")


def _workbook_part(parts: _Parts) -> str | None:
    """The zip member of the workbook part, or None when the zip's main part is no workbook."""
    rels = parts.find("_rels/.rels")
    target = None
    if rels:
        try:
            target = xmlinfo.office_document(xmlinfo.parse_rels(parts.read(rels), ""))
        except _Refuse:
            raise
        except Exception:
            target = None
    member = parts.find(target.lower()) if target else None
    if member is None:
        return parts.find("xl/workbook.xml") or parts.find("xl/workbook.bin")
    content_type = _content_type(parts, member)
    if content_type is not None:
        spreadsheet = "spreadsheetml" in content_type or "ms-excel" in content_type
    else:
        spreadsheet = member.lower().startswith("xl/")
    return member if spreadsheet else None


def _content_type(parts: _Parts, member: str) -> str | None:
    """The Override content type [Content_Types].xml gives ``member``, if any."""
    types = parts.find("[content_types].xml")
    if types is None:
        return None
    try:
        overrides = _overrides(parts.read(types))
    except _Refuse:
        raise
    except Exception:
        return None
    return overrides.get("/" + member.lower().lstrip("/"))


def _overrides(data: bytes) -> Mapping[str, str]:
    """[Content_Types].xml's Override content types by lower-case part name (first one wins);
    remembered by the part's bytes, which the workbooks of one kommun share (a pure function
    of bytes with a read-only answer: see :mod:`reportkit.workbook.xmlinfo`'s memos)."""
    if len(data) > 65_536:
        return _parse_overrides(data)
    return _remembered_overrides(data)


@functools.lru_cache(maxsize=64)
def _remembered_overrides(data: bytes) -> Mapping[str, str]:
    return MappingProxyType(_parse_overrides(data))


def _parse_overrides(data: bytes) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for elem in xmlinfo.parse_xml(data).iter():
        if xmlinfo.local(elem.tag) == "Override":
            name = (elem.get("PartName") or "").lower()
            overrides.setdefault(name, elem.get("ContentType") or "")
    return overrides


def _zip_looks_like(parts: _Parts) -> str:
    if parts.find("word/document.xml"):
        return "ett Word-dokument (.docx)"
    if parts.find("ppt/presentation.xml"):
        return "en PowerPoint-presentation (.pptx)"
    return "ett zip-arkiv utan Excel-arbetsbok"


_SHEET_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet[\s/>]")


def _check_workbook(zf: zipfile.ZipFile, parts: _Parts, limits: Limits) -> None:
    def read(name: str) -> bytes:
        """A part for sheet_parts; the sheets are counted before the workbook is parsed."""
        data = parts.read(name)
        if b"sheet" in data:
            count = sum(1 for _ in _SHEET_ELEMENT.finditer(data))
            if count > limits.max_sheets:
                raise _Refuse("file-too-large-sheet",
                              detail=f"{count} blad (högst {limits.max_sheets})")
        return data

    try:
        _, sheets, _, _ = xmlinfo.sheet_parts(zf, read=read)
    except _Refuse:
        raise
    except Exception as exc:
        raise _Refuse("file-corrupt", reason=f"arbetsboken kan inte tolkas ({exc})") from None
    if not sheets:
        raise _Refuse("file-corrupt", reason="arbetsboken innehåller inga blad")
    missing = [sheet.name for sheet in sheets if sheet.part is None]
    if missing:
        raise _Refuse(
            "file-corrupt", sheet=missing[0], reason=f"bladet {missing[0]} saknas i filen"
        )
    if len(sheets) > limits.max_sheets:
        raise _Refuse(
            "file-too-large-sheet", detail=f"{len(sheets)} blad (högst {limits.max_sheets})"
        )
    for sheet in sheets:
        if sheet.part is not None and sheet.part not in parts.done:  # None: refused above
            _check_sheet(parts, sheet.part, sheet.name, limits)
    for info in zf.infolist():
        name = info.filename
        if name in parts.done or name.endswith("/") or name.lower().endswith(_BINARY_SUFFIXES):
            continue
        tail = b""
        for chunk in parts.scan(name):
            buf = tail + chunk
            if b"sst" in buf:
                _check_strings(buf, name, info.file_size, len(sheets), limits)
            tail = buf[-_TAG_TAIL:]


# The start tag of a shared-string table (any namespace prefix) and its two counts. calamine
# reserves room for ``uniqueCount`` strings up front (24 bytes each), so a file that declares
# 4,294,967,295 makes it ask for 100 GB and abort the process; ``count`` is checked too.
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b([^>]*)>")
_SST_COUNT = re.compile(rb"\b(uniqueCount|count)\s*=\s*[\"']\s*\+?([0-9]+)")
_TAG_TAIL = 4096
_MIN_STRING_BYTES = 5  # <si/>


def _check_strings(buf: bytes, name: str, size: int, sheets: int, limits: Limits) -> None:
    for tag in _SST.finditer(buf):
        # uniqueCount first: it is the one the reader allocates
        for attr, digits in sorted(_SST_COUNT.findall(tag.group(1)), reverse=True):
            n = int(digits)
            if attr == b"uniqueCount":
                room = size // _MIN_STRING_BYTES
                if n > max(room, 1):
                    raise _Refuse("file-corrupt", reason=(
                        f"tabellen med texter ({name}) uppger {_thousands(n)} olika texter "
                        f"men rymmer högst {_thousands(room)}"))
                if n > limits.max_strings:
                    raise _Refuse("file-too-large-sheet", detail=(
                        f"{_thousands(n)} olika texter (högst {_thousands(limits.max_strings)})"))
            elif n > limits.max_cells * max(sheets, 1):
                raise _Refuse("file-corrupt", reason=(
                    f"tabellen med texter ({name}) uppger {_thousands(n)} användningar, fler "
                    f"än arbetsbokens blad har celler"))


@cache
def _sheet_patterns(prefix: bytes, quote: bytes = b'"') -> tuple[re.Pattern[bytes], ...]:
    """The patterns for attributes in ``quote`` (writers use ", a hand-made file may use ')."""
    p = re.escape(prefix)
    q = quote
    return (
        # rows that hold cells
        re.compile(rb"<" + p + rb"row r=" + q + rb"([0-9]+)" + q + rb"[^>]*?(?<!/)>"),
        re.compile(rb"<" + p + rb"c r=" + q + rb"([A-Za-z]{2,})([0-9]+)" + q),  # beyond column Z
        re.compile(rb"<" + p + rb"c r=" + q + rb"[A-Za-z]([0-9]{6,})" + q),  # beyond row 99999
        # every row element, and those whose first attribute is r: a row without r follows
        # the one before it (calamine counts them), so these add to the last row
        re.compile(rb"<" + p + rb"row[\s/>]"),
        re.compile(rb"<" + p + rb"row r=[\"']"),
    )


@cache
def _column_above(prefix: bytes, column: int, quote: bytes = b'"') -> re.Pattern[bytes]:
    """A cell in a one-letter column after ``column`` (1 = A)."""
    upper, lower = bytes([65 + column]), bytes([97 + column])
    return re.compile(rb"<" + re.escape(prefix) + rb"c r=" + quote + rb"[" + upper + rb"-Z"
                      + lower + rb"-z][0-9]")


def _check_sheet(parts: _Parts, part: str, sheet: str, limits: Limits) -> None:
    """Refuse a sheet whose declared or used range is over max_cells.

    The used range is over-estimated as A1 to (last row, last column). Rows come from the
    ``<row r>`` elements, so a cell whose own row disagrees is caught only beyond row 99999.
    """
    first = True
    tail = b""
    prefix = b""
    max_row = 0
    max_col = 0
    rows_without_r = 0
    chunks: list[bytes] | None = [] if parts.kept is not None else None
    size = 0
    for chunk in parts.scan(part):
        if chunks is not None:
            size += len(chunk)
            chunks.append(chunk)
            if size > _KEEP_PART:
                chunks = None  # too large to keep: the reader decompresses it itself
        buf = tail + chunk
        if first:
            first = False
            root = _ROOT_PREFIX.search(buf[:_CHUNK])
            prefix = (root.group(1) or b"") if root else b""
            match = _DIMENSION.search(buf[:_CHUNK])
            if match:
                ref = match.group(1).decode("ascii", "replace")
                cells = _range_cells(ref)
                if cells > limits.max_cells:
                    raise _Refuse(
                        "file-too-large-sheet",
                        sheet=sheet,
                        detail=_sheet_detail(sheet, ref, cells, limits),
                    )
        _, _, _, any_row, row_with_r = _sheet_patterns(prefix)
        # rows ending in this chunk (those wholly in the tail were counted before)
        rows_without_r += sum(1 for m in any_row.finditer(buf) if m.end() > len(tail))
        rows_without_r -= sum(1 for m in row_with_r.finditer(buf) if m.end() > len(tail))
        for quote in (b'"', b"'"):
            if quote == b"'" and b"r='" not in buf:
                break
            max_row, max_col = _used_range(buf, prefix, quote, max_row, max_col)
        last_row = max_row + max(rows_without_r, 0)
        if last_row > limits.max_rows:
            raise _Refuse("file-too-large-sheet", sheet=sheet, detail=(
                f"bladet {sheet} når rad {_thousands(last_row)} "
                f"(högst {_thousands(limits.max_rows)})"))
        if last_row * max_col > limits.max_cells:
            ref = f"A1:{_address(max_col, last_row)}"
            raise _Refuse(
                "file-too-large-sheet",
                sheet=sheet,
                detail=_sheet_detail(sheet, ref, last_row * max_col, limits),
            )
        tail = buf[-64:]
    if chunks is not None:
        parts.keep(part, b"".join(chunks))


def _used_range(buf: bytes, prefix: bytes, quote: bytes, max_row: int, max_col: int
                ) -> tuple[int, int]:
    """The last row and column seen so far, updated with the cells in ``buf``."""
    row_pattern, wide_pattern, long_pattern, _, _ = _sheet_patterns(prefix, quote)
    rows = row_pattern.findall(buf)
    if rows:
        max_row = max(max_row, max(map(int, rows)))
    for letters, row in set(wide_pattern.findall(buf)):
        max_col = max(max_col, _col_number(letters))
        max_row = max(max_row, int(row))
    long_rows = long_pattern.findall(buf)
    if long_rows:
        max_row = max(max_row, max(map(int, long_rows)))
    while max_col < 26:
        found = _column_above(prefix, max_col, quote).search(buf)
        if not found:
            break
        max_col = (found.group(0)[-2] | 0x20) - 96
    return max_row, max_col


def _col_number(letters: bytes) -> int:
    """1 for A (or a), 27 for AA; any number of letters."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _address(col: int, row: int) -> str:
    """The A1 address of 1-based ``col`` and ``row``, any size (``col`` ≤ 16,384 as Excel)."""
    if col > 16_384:
        return f"kolumn {_thousands(col)} rad {_thousands(row)}"
    return layout.address(col - 1, row)


def _range_cells(ref: str) -> int:
    """Cells in the largest range of a space-separated ``ref``; 0 when it cannot be read."""
    largest = 0
    for piece in ref.split():
        match = _RANGE.match(piece)
        if not match:
            continue
        c1, r1, c2, r2 = match.groups()
        c2, r2 = c2 or c1, r2 or r1
        rows = abs(int(r2) - int(r1)) + 1
        cols = abs(layout.col_index(c2) - layout.col_index(c1)) + 1
        largest = max(largest, rows * cols)
    return largest


def _sheet_detail(sheet: str, ref: str, cells: int, limits: Limits) -> str:
    return (
        f"bladet {sheet} omfattar området {ref}, {_thousands(cells)} celler "
        f"(högst {_thousands(limits.max_cells)})"
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")
