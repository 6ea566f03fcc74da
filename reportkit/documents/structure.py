"""Structure a screen reader can follow: no empty paragraphs where spacing will do (issue 29).

An empty paragraph is nothing on the page but an empty ``P`` in the PDF's tag tree, and a
stop for a screen reader. The templates (a kansli's too) keep one after every table, as Word
needs something between two tables; :func:`tidy` removes those that stand between a table
and a paragraph and gives that paragraph the space before it instead. An empty paragraph
between two tables stays (without it Word and LibreOffice join the tables), as does one that
holds anything at all (a picture, a field, a bookmark, a page or section break). Headings
are nested without skipping a level (:func:`nest_headings`), whatever level a kansli text's
sub-headings were written at.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ("tidy", "nest_headings", "heading_levels", "keep_notes_with_tables",
           "SPACE_AFTER_TABLE", "KEEP_TABLE_ROWS")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPACE_AFTER_TABLE = 160
"""Space before the paragraph that follows a table, in twentieths of a point (8 pt)."""
_KEEP = frozenset(f"{_W}{tag}" for tag in ("t", "drawing", "pict", "object", "fldChar", "fldSimple",
                                  "instrText", "br", "bookmarkStart", "sectPr", "tab", "sym",
                                  "footnoteReference", "endnoteReference", "commentReference"))


def heading_levels(document: Any) -> dict[str, int]:
    """Style id → outline level (1-based) of every paragraph style that has one, through its
    ``basedOn`` chain, or whose name is "heading N" (as Word names them in every language)."""
    root = document.styles.element
    by_id = {s.get(_W + "styleId"): s for s in root.iter(_W + "style")
             if s.get(_W + "type") == "paragraph"}

    def level(style: Any, seen: int = 0) -> int | None:
        lvl = style.find(f"{_W}pPr/{_W}outlineLvl")
        if lvl is not None:
            value = int(lvl.get(_W + "val", "9"))
            return value + 1 if value < 9 else None
        name = style.find(_W + "name")
        m = re.fullmatch(r"heading (\d)", (name.get(_W + "val") if name is not None else "")
                         .lower())
        if m:
            return int(m.group(1))
        based = style.find(_W + "basedOn")
        parent = by_id.get(based.get(_W + "val")) if based is not None else None
        return level(parent, seen + 1) if parent is not None and seen < 10 else None

    out = {}
    for sid, style in by_id.items():
        lvl = level(style)
        if lvl is not None:
            out[sid] = lvl
    return out


def _heading_style_ids(document: Any) -> dict[int, str]:
    """Level → the id of the style named "heading N" (Word's names, in every language)."""
    out = {}
    for s in document.styles.element.iter(f"{_W}style"):
        name = s.find(f"{_W}name")
        m = re.fullmatch(r"heading (\d)", (name.get(f"{_W}val") if name is not None else "")
                         .lower())
        if m and s.get(f"{_W}type") == "paragraph":
            out[int(m.group(1))] = s.get(f"{_W}styleId")
    return out


def nest_headings(document: Any) -> int:
    """No heading more than one level below the one before it (PDF/UA's heading nesting): a
    sub-heading the kansli's text brings in as Heading 3 right under a Heading 1 becomes a
    Heading 2. The number of headings moved up."""
    levels = heading_levels(document)
    ids = _heading_style_ids(document)
    moved = 0
    previous = 0
    for para in document.element.body.iterchildren(f"{_W}p"):
        style = para.find(f"{_W}pPr/{_W}pStyle")
        level = levels.get(style.get(f"{_W}val")) if style is not None else None
        if level is None:
            continue
        if level > previous + 1 and previous + 1 in ids:
            assert style is not None
            style.set(f"{_W}val", ids[previous + 1])
            level = previous + 1
            moved += 1
        previous = level
    return moved


def _is_empty(para: Any) -> bool:
    return not any(el.tag in _KEEP for el in para.iter())


def _space_before(para: Any) -> None:
    """``SPACE_AFTER_TABLE`` before ``para`` unless it sets its own space before."""
    ppr = para.find(f"{_W}pPr")
    if ppr is None:
        ppr = para.makeelement(f"{_W}pPr", {})
        para.insert(0, ppr)
    spacing = ppr.find(f"{_W}spacing")
    if spacing is None:
        spacing = ppr.makeelement(f"{_W}spacing", {})
        # pPr's children have a fixed order: spacing comes after these
        before = [ppr.find(f"{_W}{t}") for t in (
            "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
            "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid")]
        present = [el for el in before if el is not None]
        if present:
            present[-1].addnext(spacing)
        else:
            ppr.insert(0, spacing)
    if spacing.get(f"{_W}before") is None and spacing.get(f"{_W}beforeLines") is None:
        spacing.set(f"{_W}before", str(SPACE_AFTER_TABLE))


def tidy(document: Any, *, nest: bool = True) -> int:
    """Remove the empty spacer paragraphs after the tables of ``document`` (a python-docx
    Document), in the body and in table cells, and (``nest``) nest its headings; the number
    removed. A chapter made to be part of a whole document is not nested on its own: its
    first heading sits under the whole document's."""
    removed = 0
    root = document.element.body
    for tbl in list(root.iter(f"{_W}tbl")):
        after = tbl.getnext()
        if after is None or after.tag != f"{_W}p" or not _is_empty(after):
            continue
        following = after.getnext()
        if following is None or following.tag != f"{_W}p":
            continue  # before another table, the end of a cell or the section: it must stay
        after.getparent().remove(after)
        _space_before(following)
        removed += 1
    keep_notes_with_tables(document)
    if nest:
        nest_headings(document)
    return removed


KEEP_TABLE_ROWS = 20
"""A table of at most this many rows moves whole to the next page with its note rather than
leave the note alone there; a longer one may split (only its last rows stay with the note
in Word; LibreOffice keeps a table with the next paragraph only when all of it is kept)."""


def keep_notes_with_tables(document: Any, note_style: str = "Caption") -> int:
    """Keep each body table that a note follows (a paragraph in ``note_style``: "Avvikelse =
    budget − utfall …", the abbreviations) on the page of its note: every paragraph of a table
    of at most :data:`KEEP_TABLE_ROWS` rows keeps with the next, as do those of a longer
    table's last row. The number of tables kept with their note."""
    kept = 0
    for tbl in document.element.body.iterchildren(f"{_W}tbl"):
        after = tbl.getnext()
        style = after.find(f"{_W}pPr/{_W}pStyle") if after is not None \
            and after.tag == f"{_W}p" else None
        if style is None or style.get(f"{_W}val") != note_style:
            continue
        rows = list(tbl.iterchildren(f"{_W}tr"))
        for row in rows if len(rows) <= KEEP_TABLE_ROWS else rows[-1:]:
            for para in row.iter(f"{_W}p"):
                _keep_next(para)
        kept += 1
    return kept


def _keep_next(para: Any) -> None:
    ppr = para.find(f"{_W}pPr")
    if ppr is None:
        ppr = para.makeelement(f"{_W}pPr", {})
        para.insert(0, ppr)
    if ppr.find(f"{_W}keepNext") is not None:
        return
    keep = ppr.makeelement(f"{_W}keepNext", {})
    style = ppr.find(f"{_W}pStyle")
    if style is not None:  # keepNext comes right after pStyle (CT_PPrBase's order)
        style.addnext(keep)
    else:
        ppr.insert(0, keep)
