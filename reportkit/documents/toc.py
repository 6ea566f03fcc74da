"""The table of contents filled in the .docx itself, not only in the PDF (issue 29).

A Word TOC field shows what was last written between its ``separate`` and ``end`` marks until
the reader updates fields. The template holds a placeholder there; :func:`fill` writes the
entries instead, as Word would: one paragraph per heading in the field's outline range
(``\\o "1-2"``, the paragraph's own outline level with ``\\u``), styled "toc N", a link to a
``_Toc…`` bookmark on the heading (``\\h``) and a ``PAGEREF`` field for its page. The page
numbers are known only once the document is laid out: :func:`set_pages` writes those
LibreOffice gave when it made the PDF (``uno_worker.py`` reads its updated index); without a
PDF they stay empty and the field stays marked for update, so Word fills them on opening.

Everything here is plain lxml on the body: the same document gives the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from lxml import etree

from reportkit.documents.structure import heading_levels
from reportkit.files import atomic_path, normalize_zip

__all__ = ("fill", "set_pages", "TocEntry")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_RANGE = re.compile(r'\\o\s+"(\d)-(\d)"')
_BOOKMARK = "_Toc{:08d}"


class TocEntry(NamedTuple):
    """One line of the table of contents."""

    level: int
    text: str
    bookmark: str


def _el(tag: str, **attrs: str) -> Any:
    el = etree.Element(_W + tag)
    for k, v in attrs.items():
        el.set(_W + k, v)
    return el


def _run(*children: Any) -> Any:
    r = _el("r")
    for c in children:
        r.append(c)
    return r


def _text(value: str) -> Any:
    t = _el("t")
    t.text = value
    if value != value.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def _fld(kind: str) -> Any:
    return _run(_el("fldChar", fldCharType=kind))


def _toc_field(body: Any) -> tuple[Any, tuple[int, int]] | None:
    """The paragraph holding a TOC field's whole placeholder (begin … end in one paragraph,
    as the templates write it) and its outline range; None when there is none, or it was
    filled already."""
    for instr in body.iter(_W + "instrText"):
        code = (instr.text or "").strip()
        if not code.startswith("TOC"):
            continue
        para = next(instr.iterancestors(_W + "p"), None)
        if para is None:
            return None
        kinds = [f.get(_W + "fldCharType") for f in para.iter(_W + "fldChar")]
        if kinds.count("begin") != 1 or kinds.count("end") != 1:
            return None
        m = _RANGE.search(code)
        return para, ((int(m.group(1)), int(m.group(2))) if m else (1, 3))
    return None


def _headings(body: Any, levels: dict[str, int], lo: int, hi: int,
              skip: Any) -> Iterator[tuple[Any, int, str]]:
    for para in body.iter(_W + "p"):
        if para is skip:
            continue
        own = para.find(f"{_W}pPr/{_W}outlineLvl")
        style = para.find(f"{_W}pPr/{_W}pStyle")
        if own is not None and int(own.get(_W + "val", "9")) < 9:
            lvl: int | None = int(own.get(_W + "val", "9")) + 1
        else:
            lvl = levels.get(style.get(_W + "val")) if style is not None else None
        if lvl is None or not lo <= lvl <= hi:
            continue
        text = " ".join("".join(t.text or "" for t in para.iter(_W + "t")).split())
        if text:
            yield para, lvl, text


def _toc_style_ids(document: Any) -> dict[int, str]:
    """Level → the style id of "toc N" (the templates define toc 1–3)."""
    out = {}
    for s in document.styles.element.iter(_W + "style"):
        name = s.find(_W + "name")
        m = re.fullmatch(r"toc (\d)", (name.get(_W + "val") if name is not None else "").lower())
        if m:
            out[int(m.group(1))] = s.get(_W + "styleId")
    return out


def _text_width(document: Any) -> int:
    """The first section's text width in twentieths of a point (the right tab stop)."""
    sec = document.sections[0]
    try:
        return int((sec.page_width - sec.left_margin - sec.right_margin) / 635)
    except TypeError:  # a section without a size: A4 with 2,5 cm margins
        return 9071


def _ensure_toc_styles(document: Any, levels: set[int]) -> dict[int, str]:
    """Level → "toc N" style id; a template without one (Word makes them only when a TOC is
    first updated) gets a plain one: a dotted right tab at the text width, indented by level."""
    have = _toc_style_ids(document)
    root = document.styles.element
    for lvl in sorted(levels - set(have)):
        sid = f"toc{lvl}"
        style = _el("style", type="paragraph", styleId=sid)
        style.append(_el("name", val=f"toc {lvl}"))
        style.append(_el("basedOn", val="Normal"))
        style.append(_el("next", val="Normal"))
        style.append(_el("uiPriority", val="39"))
        ppr = _el("pPr")
        tabs = _el("tabs")
        tabs.append(_el("tab", val="right", leader="dot", pos=str(_text_width(document))))
        ppr.append(tabs)
        ppr.append(_el("spacing", after="60"))
        ppr.append(_el("ind", left=str(220 * (lvl - 1))))
        style.append(ppr)
        root.append(style)
        have[lvl] = sid
    return have


def _bookmark(para: Any, name: str, bid: int) -> None:
    start = _el("bookmarkStart", id=str(bid), name=name)
    end = _el("bookmarkEnd", id=str(bid))
    ppr = para.find(_W + "pPr")
    para.insert(0 if ppr is None else para.index(ppr) + 1, start)
    para.append(end)


def _entry_content(text: str, bookmark: str) -> Any:
    link = _el("hyperlink", anchor=bookmark, history="1")
    link.append(_run(_text(text)))
    link.append(_run(_el("tab")))
    link.append(_fld("begin"))
    instr = _el("instrText")
    instr.text = f" PAGEREF {bookmark} \\h "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    link.append(_run(instr))
    link.append(_fld("separate"))
    link.append(_run(_text("")))
    link.append(_fld("end"))
    return link


def _set_style(para: Any, style_id: str | None) -> None:
    ppr = para.find(_W + "pPr")
    if ppr is None:
        ppr = _el("pPr")
        para.insert(0, ppr)
    old = ppr.find(_W + "pStyle")
    if old is not None:
        ppr.remove(old)
    if style_id:
        ppr.insert(0, _el("pStyle", val=style_id))


def fill(document: Any) -> list[TocEntry]:
    """Write the entries of ``document``'s TOC field (a python-docx Document) in place of its
    placeholder, with a bookmark on each heading; the entries in order (empty: no TOC field,
    one filled already, or no headings — then the placeholder stays)."""
    body = document.element.body
    found = _toc_field(body)
    if found is None:
        return []
    para, (lo, hi) = found
    headings = list(_headings(body, heading_levels(document), lo, hi, para))
    if not headings:
        return []
    ids = [int(b.get(_W + "id", "0")) for b in body.iter(_W + "bookmarkStart")
           if (b.get(_W + "id") or "").isdigit()]
    first_id = max(ids, default=0) + 1
    entries = []
    for i, (heading, lvl, text) in enumerate(headings):
        name = _BOOKMARK.format(i + 1)
        _bookmark(heading, name, first_id + i)
        entries.append(TocEntry(lvl, text, name))
    styles = _ensure_toc_styles(document, {e.level for e in entries})
    runs = [r for r in para if r.tag == _W + "r"]
    # keep begin, instrText and separate; the placeholder's runs and the end go
    keep = 0
    for keep, r in enumerate(runs, start=1):  # noqa: B007 - the index after separate
        if r.find(f"{_W}fldChar[@{_W}fldCharType='separate']") is not None:
            break
    for r in runs[keep:]:
        para.remove(r)
    _set_style(para, styles.get(entries[0].level))
    para.append(_entry_content(entries[0].text, entries[0].bookmark))
    last = para
    for lvl, text, name in entries[1:]:
        new = _el("p")
        _set_style(new, styles.get(lvl))
        new.append(_entry_content(text, name))
        last.addnext(new)
        last = new
    last.append(_fld("end"))
    return entries


def _page_results(root: Any) -> Iterator[Any]:
    """The ``w:t`` holding each ``PAGEREF _Toc…`` field's result, in document order."""
    pending = False
    in_result = False
    for el in root.iter(_W + "instrText", _W + "fldChar", _W + "t"):
        if el.tag == _W + "instrText":
            pending = (el.text or "").strip().startswith("PAGEREF _Toc")
        elif el.tag == _W + "fldChar":
            kind = el.get(_W + "fldCharType")
            in_result = pending and kind == "separate"
            if kind == "end":
                pending = in_result = False
        elif in_result:
            yield el
            in_result = pending = False


def _entry_texts(root: Any) -> list[str]:
    out = []
    for link in root.iter(_W + "hyperlink"):
        if (link.get(_W + "anchor") or "").startswith("_Toc"):
            first = link.find(f"{_W}r/{_W}t")
            out.append(" ".join((first.text or "").split()) if first is not None else "")
    return out


def set_pages(docx: Path, lines: Sequence[str]) -> bool:
    """Write the page numbers of LibreOffice's updated index (``lines``: its entries as
    "heading<TAB>page") into the filled TOC of ``docx``, atomically; False (the file
    untouched) when the entries do not match the headings one for one."""
    with zipfile.ZipFile(docx) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    texts = _entry_texts(root)
    pages = []
    for line in lines:
        text, _, page = line.rpartition("\t")
        pages.append((" ".join(text.split()), page.strip()))
    if not texts or len(texts) != len(pages) or any(
            t != p[0] for t, p in zip(texts, pages, strict=True)):
        return False
    for t, (_, page) in zip(_page_results(root), pages, strict=False):
        t.text = page
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    with atomic_path(docx) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
        normalize_zip(tmp)
    return True
