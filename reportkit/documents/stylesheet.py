"""One style source: ``stilmall.docx``, the one Word file the kansli restyles.

Every document and chapter template takes its look from the stilmall in its template folder
(the kommun's ``mallar/docx/stilmall.docx``, copied there by ``reportkit mallar``; the built-in
one for the built-in templates), so one restyle in Word changes all of them. At render:

- **styles** (``styles.xml``): each style of the rendered document is replaced by the
  stilmall's style of the same name (headings, body, captions, table styles, the cover's and
  the tables' own styles), keeping the document's style id, so a stilmall saved by a Swedish
  Word (ids such as ``Rubrik1``) fits templates made elsewhere; the default font, size and
  language (``docDefaults``) come from the stilmall too. A style the stilmall lacks stays as
  the template has it, and :func:`check` names it as a varning;
- **theme** (colours and fonts of Word's Design tab): the stilmall's;
- **page setup**: size, orientation and margins of the stilmall's (last) section;
- **footer**: the stilmall's footer (its default one: text and fields such as the page number)
  replaces each document's; the cover's own first-page footer stays. A footer with a picture,
  a link or a template tag cannot be moved this way: the templates' own footers are kept and
  :func:`check` says why.

The header stays in each template (it holds the document's own tags); its look comes from the
style Header. Numbering (lists) stays with the template. The merge is a
pure function of the two files' bytes, so the output stays byte-identical; with the built-in
stilmall the built-in templates render as before (their styles are the stilmall's).

A kommun folder without a stilmall (copies made before there was one) keeps each template's
own styles, as before.
"""

from __future__ import annotations

import copy
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit import texts
from reportkit.errors import Problem, ReportkitError, problem
from reportkit.resources import templates_dir

STYLESHEET = "stilmall.docx"
CODE_STYLES = ("text saknas", "statussymbol")
"""Styles reportkit itself puts text in (by name, lower case): the placeholder of a missing text
and the assessment symbol; needed when the template defines them."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES_REL = f"{_REL}/styles"
_THEME_REL = f"{_REL}/theme"
_OFFICE_REL = f"{_REL}/officeDocument"
_REFS = ("basedOn", "next", "link")
_USED = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"')


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


@dataclass(frozen=True)
class StyleSheet:
    """What a render takes from the stilmall."""

    path: Path
    styles: bytes
    theme: bytes | None = None
    page: dict[str, dict[str, str]] = field(default_factory=dict)
    """``pgSz`` and ``pgMar`` of its last section: attribute (local name) → value."""
    footer: bytes | None = None
    """Its default footer part, when it can be moved (no picture, link or tag)."""
    footer_issue: str = ""
    """Why its footer cannot be moved (empty: it can, or it has none)."""


def source(template_dir: Path | None) -> Path | None:
    """The stilmall for templates taken from ``template_dir`` (None: the built-in templates):
    ``stilmall.docx`` in that folder, None when it has none."""
    folder = Path(template_dir) if template_dir is not None else templates_dir() / "docx"
    path = folder / STYLESHEET
    return path if path.is_file() else None


def _parts(names: dict[str, bytes]) -> dict[str, str]:
    """The main document's part name and its styles and theme parts, found through the
    package's relationships: ``{"document": …, "styles": …, "theme": …}``."""
    found: dict[str, str] = {}
    main = _targets(names.get("_rels/.rels", b""), "")
    found["document"] = main.get(_OFFICE_REL, "word/document.xml")
    folder, _, base = found["document"].rpartition("/")
    rels = _targets(names.get(f"{folder}/_rels/{base}.rels", b""), folder)
    for key, kind in (("styles", _STYLES_REL), ("theme", _THEME_REL)):
        if kind in rels:
            found[key] = rels[kind]
    return found


def _relationships(xml: bytes, folder: str) -> list[tuple[str, str, str]]:
    """(id, type, the part name it targets) of each relationship in a ``.rels`` part, the
    target made absolute from ``folder``."""
    out = []
    for rel in re.finditer(rb"<Relationship\b[^>]*>", xml):
        found = dict(re.findall(rb'\b(Id|Type|Target)="([^"]*)"', rel.group(0)))
        if b"Target" not in found:
            continue
        name = found[b"Target"].decode()
        name = name[1:] if name.startswith("/") else f"{folder}/{name}" if folder else name
        out.append((found.get(b"Id", b"").decode(), found.get(b"Type", b"").decode(), name))
    return out


def _targets(xml: bytes, folder: str) -> dict[str, str]:
    """Relationship type → the part name it targets (the first of each type)."""
    out: dict[str, str] = {}
    for _rid, kind, name in _relationships(xml, folder):
        out.setdefault(kind, name)
    return out


_MAX_PART = 50 * 1024 * 1024
"""The largest XML part read from a stilmall or template (a file anyone with access to the
folder can change: no zip bomb)."""


def _entries(path: Path) -> dict[str, bytes]:
    """The XML parts of a .docx by name (``KeyError`` for one larger than :data:`_MAX_PART`)."""
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if i.filename.endswith((".xml", ".rels"))]
        if any(i.file_size > _MAX_PART for i in infos):
            raise KeyError("för stor")
        return {i.filename: zf.read(i.filename) for i in infos}


def _xml(data: bytes) -> Any:
    """An XML part parsed without entities or network (the file is the kommun's)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def read(path: Path) -> StyleSheet:
    """The stilmall's styles, theme and page setup; a ``stylesheet-unreadable`` fel when it is
    not a Word document."""
    from lxml import etree

    try:
        entries = _entries(path)
        parts = _parts(entries)
        styles = entries[parts["styles"]]
        _xml(styles)
        body = _xml(entries[parts["document"]])
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        reason = "formatmallarna saknas" if isinstance(exc, KeyError) else str(exc)
        raise ReportkitError(problem("stylesheet-unreadable", file=path.name,
                                     stylesheet=_shown(path), reason=reason)) from exc
    page: dict[str, dict[str, str]] = {}
    sections = list(body.iter(_w("sectPr")))
    if sections:
        for tag in ("pgSz", "pgMar"):
            found = sections[-1].find(_w(tag))
            if found is not None:
                page[tag] = {etree.QName(k).localname: str(v) for k, v in found.attrib.items()}
    theme = entries.get(parts["theme"]) if "theme" in parts else None
    footer, issue = _movable_footer(entries, parts["document"])
    return StyleSheet(path, styles, theme, page, footer, issue)


_FOOTER_REF = re.compile(rb"<w:footerReference\b[^>]*>")


def _default_footers(entries: dict[str, bytes], document: str) -> list[str]:
    """The part names of the document's default footers (one per section), in order."""
    folder, _, base = document.rpartition("/")
    ids = _rel_ids(entries.get(f"{folder}/_rels/{base}.rels", b""), folder)
    out = []
    for ref in _FOOTER_REF.findall(entries.get(document, b"")):
        kind = re.search(rb'w:type="([^"]+)"', ref)
        rid = re.search(rb'r:id="([^"]+)"', ref)
        if kind is not None and kind.group(1) == b"default" and rid is not None \
                and rid.group(1).decode() in ids:
            out.append(ids[rid.group(1).decode()])
    return out


def _rel_ids(xml: bytes, folder: str) -> dict[str, str]:
    """Relationship id → the part name it targets."""
    return {rid: name for rid, _kind, name in _relationships(xml, folder)}


def _movable_footer(entries: dict[str, bytes], document: str) -> tuple[bytes | None, str]:
    """The stilmall's (last) default footer and why it cannot be moved (``""``: it can)."""
    found = _default_footers(entries, document)
    if not found or found[-1] not in entries:
        return None, ""
    name = found[-1]
    data = entries[name]
    folder, _, base = name.rpartition("/")
    if re.search(rb"<Relationship\b", entries.get(f"{folder}/_rels/{base}.rels", b"")) \
            or re.search(rb'r:(?:id|embed|link)="', data):
        return None, texts.STYLESHEET_FOOTER_PICTURE
    if b"{{" in data or b"{%" in data:
        return None, texts.STYLESHEET_FOOTER_TAG
    return data, ""


def _shown(path: Path) -> str:
    """``mallar/docx/stilmall.docx`` rather than a whole path (the folder names the copy)."""
    parts = path.parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else path.as_posix()


def _name(style: Any) -> str:
    found = style.find(_w("name"))
    return (found.get(_w("val")) or "").strip().lower() if found is not None else ""


def _raw_name(style: Any) -> str:
    found = style.find(_w("name"))
    return (found.get(_w("val")) or "").strip() if found is not None else ""


def _style_id(style: Any) -> str:
    return style.get(_w("styleId")) or ""


def _ui_name(name: str) -> str:
    """The name Word shows (``heading 1`` → ``Heading 1``)."""
    from docx.styles import BabelFish

    return BabelFish.internal2ui(name) if name in BabelFish.internal_style_names else name


# --------------------------------------------------------------------------------------------
# At render (in the worker): the merge


def restyle(entries: dict[str, bytes], sheet: StyleSheet) -> dict[str, bytes]:
    """The members of a rendered .docx (``entries``) that take the stilmall's look: its
    styles merged in, its theme (:func:`reportkit.files.normalize_zip`'s ``edit``)."""
    parts = _parts(entries)
    out: dict[str, bytes] = {}
    if "styles" in parts and parts["styles"] in entries:
        out[parts["styles"]] = merged_styles(entries[parts["styles"]], sheet.styles)
    if sheet.theme is not None and "theme" in parts and parts["theme"] in entries:
        out[parts["theme"]] = sheet.theme
    if sheet.footer is not None:
        for name in _default_footers(entries, parts["document"]):
            if name in entries:
                out[name] = sheet.footer
    return out


def merged_styles(document: bytes, stylesheet: bytes) -> bytes:
    """The document's ``styles.xml`` with each style replaced by the stilmall's of the same
    name (under the document's id, its references to other styles renamed alike), the styles
    those depend on that the document lacks added, and the stilmall's defaults."""
    from lxml import etree

    mine = _xml(document)
    theirs = _xml(stylesheet)
    by_name = {_name(s): s for s in theirs.iterfind(_w("style")) if _name(s)}
    rename = {}  # stilmall id → the document's id, for the styles both have
    for style in mine.iterfind(_w("style")):
        if _name(style) in by_name:
            rename[_style_id(by_name[_name(style)])] = _style_id(style)
    root = copy.deepcopy(theirs)
    for child in list(root):
        if child.tag != _w("docDefaults") and child.tag != _w("latentStyles"):
            root.remove(child)
    for tag in ("docDefaults", "latentStyles"):
        own = mine.find(_w(tag))
        if root.find(_w(tag)) is None and own is not None:
            root.insert(0 if tag == "docDefaults" else len(root), copy.deepcopy(own))
    taken = {_style_id(s) for s in mine.iterfind(_w("style"))}
    for style in mine.iterfind(_w("style")):
        theirs_style = by_name.get(_name(style))
        root.append(_renamed(theirs_style, _style_id(style), rename)
                    if theirs_style is not None else copy.deepcopy(style))
    _add_dependencies(root, theirs, rename, taken)
    _language(root)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _renamed(style: Any, style_id: str, rename: dict[str, str]) -> Any:
    new = copy.deepcopy(style)
    new.set(_w("styleId"), style_id)
    for tag in _REFS:
        ref = new.find(_w(tag))
        if ref is not None and ref.get(_w("val")) in rename:
            ref.set(_w("val"), rename[ref.get(_w("val"))])
    return new


def _add_dependencies(root: Any, theirs: Any, rename: dict[str, str], taken: set[str]) -> None:
    """Stilmall styles that a merged style is based on (or linked to) but the document does
    not have: added with their own ids (unless the document uses that id for another)."""
    by_id = {_style_id(s): s for s in theirs.iterfind(_w("style"))}
    present = {_style_id(s) for s in root.iterfind(_w("style"))}
    todo = [ref.get(_w("val")) for s in root.iterfind(_w("style"))
            for ref in (s.find(_w(t)) for t in _REFS) if ref is not None]
    while todo:
        wanted = todo.pop()
        if wanted in present or wanted in taken or wanted not in by_id:
            continue
        added = _renamed(by_id[wanted], wanted, rename)
        root.append(added)
        present.add(wanted)
        todo += [ref.get(_w("val")) for ref in (added.find(_w(t)) for t in _REFS)
                 if ref is not None]


def _language(root: Any) -> None:
    """sv-SE in the defaults, whatever the stilmall says (the PDF's /Lang comes from here)."""
    from lxml import etree

    defaults = root.find(_w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(_w("docDefaults"))
        root.insert(0, defaults)
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(_w("rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, _w("rPr"))
    lang = rpr.find(_w("lang"))
    if lang is None:
        lang = etree.SubElement(rpr, _w("lang"))
    lang.set(_w("val"), "sv-SE")
    lang.set(_w("eastAsia"), "sv-SE")


def page_setup(document: Any, sheet: StyleSheet) -> None:
    """Every section of the open python-docx ``document`` gets the stilmall's page size,
    orientation and margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    size, margins = sheet.page.get("pgSz", {}), sheet.page.get("pgMar", {})
    for section in document.sections:
        if "w" in size and "h" in size:
            section.page_width, section.page_height = Twips(int(size["w"])), Twips(int(size["h"]))
        if "orient" in size:
            section.orientation = (WD_ORIENT.LANDSCAPE if size["orient"] == "landscape"
                                   else WD_ORIENT.PORTRAIT)
        for attr, key in (("top_margin", "top"), ("bottom_margin", "bottom"),
                          ("left_margin", "left"), ("right_margin", "right"),
                          ("header_distance", "header"), ("footer_distance", "footer")):
            if key in margins:
                setattr(section, attr, Twips(int(margins[key])))


def seed(sheet: dict[str, bytes], own: dict[str, bytes]) -> dict[str, bytes]:
    """The members of a stilmall (``sheet``: its members by name) that give it the look of a
    kommun's own template (``own``): that template's styles, theme and footer. When that
    footer cannot be moved (a picture, a link, a tag) or there is none, the stilmall gets no
    footer, so each template keeps its own (``reportkit mallar`` adding a stilmall to copies
    made before there was one)."""
    sheet_parts, own_parts = _parts(sheet), _parts(own)
    out = {}
    for key in ("styles", "theme"):
        if key in sheet_parts and own_parts.get(key) in own and sheet_parts[key] in sheet:
            out[sheet_parts[key]] = own[own_parts[key]]
    footers = _default_footers(sheet, sheet_parts["document"])
    footer, _issue = _movable_footer(own, own_parts["document"])
    if footer is not None and footers:
        out[footers[-1]] = footer
    elif footers:
        out[sheet_parts["document"]] = re.sub(
            rb'<w:footerReference\b[^>]*w:type="default"[^>]*/>', b"",
            sheet[sheet_parts["document"]])
    return out


# --------------------------------------------------------------------------------------------
# Before render (in the parent): what the stilmall lacks


def check(templates: list[Path], stylesheet: Path | None) -> list[Problem]:
    """A ``stylesheet-style-missing`` varning for each style a template uses (in its text,
    header or footer, what those are based on, and the styles reportkit writes into) that the
    stilmall does not have; a ``stylesheet-unreadable`` fel is raised."""

    if stylesheet is None:
        return []
    sheet = read(stylesheet)
    have = {_name(s) for s in _xml(sheet.styles).iterfind(_w("style"))}
    out = []
    if sheet.footer_issue:
        out.append(problem("stylesheet-footer-kept", file=sheet.path.name,
                           stylesheet=_shown(sheet.path), reason=sheet.footer_issue))
    for template in dict.fromkeys(templates):
        for name in _needed(template):
            if name.lower() not in have:
                out.append(problem("stylesheet-style-missing", file=sheet.path.name,
                                   stylesheet=_shown(sheet.path), style=_ui_name(name),
                                   template=template.name))
    return out


def _needed(template: Path) -> list[str]:
    """The names of the styles ``template`` needs, in the order of its styles."""
    from lxml import etree

    try:
        entries = _entries(template)
        parts = _parts(entries)
        styles = list(_xml(entries[parts["styles"]]).iterfind(_w("style")))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []  # the template's own pre-flight names an unreadable template
    folder = parts["document"].rpartition("/")[0]
    used: set[str] = set()
    for name, data in entries.items():
        if name.startswith(f"{folder}/") and name.endswith(".xml") and (
                name == parts["document"] or "/header" in name or "/footer" in name):
            used |= {m.decode() for m in _USED.findall(data)}
    by_id = {_style_id(s): s for s in styles}
    todo = list(used) + [_style_id(s) for s in styles if _name(s) in CODE_STYLES]
    needed: set[str] = set()
    while todo:
        style = by_id.get(todo.pop())
        if style is None or _style_id(style) in needed:
            continue
        needed.add(_style_id(style))
        based = style.find(_w("basedOn"))
        if based is not None:
            todo.append(based.get(_w("val")) or "")
    return [_raw_name(s) for s in styles if _style_id(s) in needed and _name(s)]
