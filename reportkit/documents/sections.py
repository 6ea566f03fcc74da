"""The kansli's section texts: one small .docx per section, written by people, kept by reportkit.

``<projekt>/texter/<period>/<section-key>.docx`` is created **once**, holding a draft assembled
from the units' texts (all nämnders "Händelser av väsentlig betydelse", their "Förväntad
utveckling" …) or, where nothing feeds the section, left empty for the kansli to write.
reportkit never writes the file again: a re-render reads the kansli's edited version and inserts
it whole (paragraphs, lists, tables and pictures kept) with docxcompose.

A section whose file is missing, empty or unreadable becomes a clearly marked placeholder in the
document ("[Text saknas: Den kommunala koncernen – skriv texten i texter/2026-helår/…]") and a
``varning`` in the returned problems, so nothing is silently left out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit.documents.coreprops import set_core_properties
from reportkit.documents.render import clean_text
from reportkit.documents.reportdata import ReportData
from reportkit.errors import Problem, problem
from reportkit.files import atomic_path, normalize_zip, write_zip

__all__ = ["Section", "SECTIONS", "COMMITTEE_FILES", "SectionTexts", "prepare_sections",
           "prepare_committee_texts", "section_path", "write_draft", "has_text", "load_avsnitt"]

Block = tuple[str, str]
"""A draft block: ``("rubrik", "Socialnämnden")`` (a sub-heading) or ``("text", "…")``."""


@dataclass(frozen=True)
class Section:
    key: str
    """File stem in texter/<period>/: ``kommunala-koncernen``."""
    variable: str
    """Template variable, used as ``{{p text_kommunala_koncernen }}``."""
    title: str
    """Swedish section name shown in the placeholder and the varning."""
    draft: Callable[[ReportData], list[Block]] | None = None
    """Builds the first draft from the units' texts; ``None``: the file starts empty."""
    create: bool = True
    """``False`` for documents supplied by others (the ekonomiavdelning's statements)."""
    avsnitt: str | None = None
    """The switchable section (``AVSNITT``) it belongs to; ``None``: its own key."""

    @property
    def switch(self) -> str:
        return self.avsnitt or self.key.replace("-", "_")


def _committee_texts(key: str) -> Callable[[ReportData], list[Block]]:
    def draft(data: ReportData) -> list[Block]:
        blocks: list[Block] = []
        for c in data.committees:
            text = c.texts.get(key, "").strip()
            if text:
                blocks += [("rubrik", c.name), ("text", text)]
        return blocks

    return draft


def _kommun_text(key: str, then: str | None = None) -> Callable[[ReportData], list[Block]]:
    def draft(data: ReportData) -> list[Block]:
        blocks: list[Block] = []
        text = data.texts.get(key, "").strip()
        if text:
            blocks.append(("text", text))
        if then:
            blocks += _committee_texts(then)(data)
        return blocks

    return draft


def _default_text(paragraphs: tuple[str, ...]) -> Callable[[ReportData], list[Block]]:
    def draft(data: ReportData) -> list[Block]:
        return [("text", text) for text in paragraphs]

    return draft


def _accounts_sections(forecast: bool) -> list[Section]:
    """Redovisningsprinciper (a default draft) and, when the export books an effect of a
    changed principle, its note's text (documents/reconcile.py)."""
    from reportkit import texts

    return [Section("redovisningsprinciper", "text_redovisningsprinciper",
                    "Redovisningsprinciper", _default_text(texts.PRINCIPLES_DRAFT),
                    avsnitt="finansiella_rapporter"),
            *([] if forecast else [Section(
                "andrad-redovisningsprincip", "text_andrad_redovisningsprincip",
                texts.PRINCIPLE_CHANGE_TITLE, avsnitt="andrad_redovisningsprincip")])]


def _koncern_economy_section() -> Section:
    from reportkit import texts

    return Section("koncernforetagens-ekonomi", "text_koncernforetagens_ekonomi",
                   "Koncernföretagens ekonomi", _default_text(texts.KONCERN_ECONOMY_DRAFT),
                   avsnitt="ekonomi")


FINANSIELLA = Section("finansiella-rapporter", "finansiella_rapporter",
                      "Finansiella rapporter (resultaträkning, balansräkning, "
                      "kassaflödesanalys och noter)", None, create=False)

SECTIONS: dict[str, list[Section]] = {
    "arsredovisning": [
        Section("forord", "text_forord", "Förord"),
        Section("oversikt", "text_oversikt", "Översikt över verksamhetens utveckling"),
        Section("kommunala-koncernen", "text_kommunala_koncernen", "Den kommunala koncernen"),
        Section("viktiga-forhallanden", "text_viktiga_forhallanden",
                "Viktiga förhållanden för resultat och ekonomisk ställning"),
        Section("handelser", "text_handelser", "Händelser av väsentlig betydelse",
                _committee_texts("handelser")),
        Section("styrning", "text_styrning",
                "Styrning och uppföljning av den kommunala verksamheten"),
        Section("privata-utforare", "text_privata_utforare", "Privata utförare",
                _committee_texts("privata_utforare"), avsnitt="styrning"),
        Section("intern-kontroll", "text_intern_kontroll", "Intern kontroll",
                _committee_texts("intern_kontroll"), avsnitt="styrning"),
        Section("god-ekonomisk-hushallning", "text_god_ekonomisk_hushallning",
                "God ekonomisk hushållning och ekonomisk ställning", _kommun_text("analys")),
        Section("balanskrav", "text_balanskrav", "Balanskravsresultat"),
        Section("personal", "text_personal", "Väsentliga personalförhållanden"),
        Section("forvantad-utveckling", "text_forvantad_utveckling", "Förväntad utveckling",
                _kommun_text("forvantad_utveckling", "forvantad_utveckling")),
        Section("driftredovisning", "text_driftredovisning", "Driftredovisning",
                _committee_texts("ekonomi")),
        Section("investeringsredovisning", "text_investeringsredovisning",
                "Investeringsredovisning"),
        FINANSIELLA,
        *_accounts_sections(forecast=False),
    ],
    "delarsrapport": [
        Section("handelser", "text_handelser", "Händelser av väsentlig betydelse",
                _committee_texts("handelser")),
        Section("god-ekonomisk-hushallning", "text_god_ekonomisk_hushallning",
                "God ekonomisk hushållning", _kommun_text("analys")),
        Section("ekonomi", "text_ekonomi", "Ekonomiskt resultat och helårsprognos",
                _committee_texts("ekonomi")),
        Section("balanskrav", "text_balanskrav", "Prognos för balanskravsresultatet"),
        Section("personal", "text_personal", "Personal"),
        Section("forvantad-utveckling", "text_forvantad_utveckling", "Förväntad utveckling",
                _kommun_text("forvantad_utveckling", "forvantad_utveckling")),
        FINANSIELLA,
        *_accounts_sections(forecast=True),
    ],
    "verksamhetsplan": [
        Section("inledning", "text_inledning", "Inledning", _kommun_text("inledning")),
        Section("ekonomiska-forutsattningar", "text_ekonomiska_forutsattningar",
                "Ekonomiska förutsättningar",
                _kommun_text("ekonomiska_forutsattningar", "ekonomiska_forutsattningar"),
                avsnitt="ekonomi"),
        _koncern_economy_section(),
    ],
    "kapitel-namnd": [],
    "kapitel-namnd-plan": [],
}

COMMITTEE_FILES = (("privata_utforare", "Privata utförare"), ("intern_kontroll", "Intern kontroll"))
"""A nämnd's texts that no workbook carries: ``texter/<period>/<nämnd-id>/<key>.docx``, created
empty once for the nämnd or the kansli to write (a text from the workbook is used otherwise)."""


@dataclass
class SectionTexts:
    subdocs: dict[str, Path | str] = field(default_factory=dict)
    """Variable → the kansli's .docx, or the placeholder text where it is missing."""
    problems: list[Problem] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)
    """Files made in this call (first render of the period)."""


def section_path(texts_dir: Path, section: Section) -> Path:
    return Path(texts_dir) / f"{section.key}.docx"


def _shown(texts_dir: Path, path: Path) -> str:
    """``texter/2026-helår/handelser.docx`` when the folder follows the project layout."""
    texts_dir = Path(texts_dir)
    if texts_dir.parent.name == "texter":
        return f"texter/{texts_dir.name}/{path.name}"
    return str(path)


def empty_swedish_document():
    """A new python-docx Document with an empty body and sv-SE as the language default: the
    start of every section file a person (or the demo's kansli) writes."""
    from docx import Document
    from docx.oxml.ns import qn

    from reportkit.documents.render import ensure_language

    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    ensure_language(doc)  # the same sv-SE default the rendered documents get
    return doc


_TITLE_MARK = "REPORTKITRUBRIKPLATS"
"""The title of the one empty draft :func:`_empty_draft` makes; each empty draft is that one
with its own title in its place."""


@functools.cache  # made once per process, never changed after
def _empty_draft() -> tuple[tuple[str, bytes], ...]:
    """The zip members of an empty draft titled :data:`_TITLE_MARK`, as written by
    :func:`write_draft` itself."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory(prefix="reportkit-utkast-") as tmp:
        path = Path(tmp) / "tom.docx"
        _write_draft(path, _TITLE_MARK, [])
        with zipfile.ZipFile(path) as z:
            return tuple((i.filename, z.read(i.filename)) for i in z.infolist())


def write_draft(path: Path, title: str, blocks: list[Block]) -> None:
    """Write a section file: a Heading 3 for each ``rubrik``, paragraphs for ``text`` (blank lines
    separate paragraphs, a single newline is a line break). Language sv-SE.

    An empty one (each nämnd's text files on a first render: 42 of them for a large kommun's
    årsredovisning, 28 ms each through python-docx) is the one empty draft with its title put
    in: the same bytes (``tests/documents/test_chapter_cache.py``)."""
    from xml.sax.saxutils import escape

    shown = clean_text(title)
    if not blocks and shown and len(shown) <= 255 and _TITLE_MARK not in shown:
        mark, text = _TITLE_MARK.encode(), escape(shown).encode("utf-8")
        write_zip(path, [(name, data.replace(mark, text) if name == "docProps/core.xml"
                          else data) for name, data in _empty_draft()])
        return
    _write_draft(path, title, blocks)


def _write_draft(path: Path, title: str, blocks: list[Block]) -> None:
    doc = empty_swedish_document()
    for kind, text in blocks:
        text = clean_text(text).strip()
        if not text:
            continue
        if kind == "rubrik":
            # a real heading under the section's own (Heading 2), so a screen reader and the
            # PDF's tag tree see it as one (WCAG 1.3.1); the document's template styles it
            doc.add_paragraph(" ".join(text.split()), style="Heading 3")
            continue
        for chunk in [c.strip() for c in text.split("\n\n")]:
            if chunk:
                doc.add_paragraph(chunk)
    if not blocks:
        doc.add_paragraph("")
    set_core_properties(doc, title=clean_text(title), author="reportkit", fixed_dates=False)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
        normalize_zip(tmp)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def has_text(path: Path) -> bool:
    """True if the file holds any visible text, a table or a picture (raises if unreadable)."""
    body = _quick_body(path)
    if body is None:  # not the plain case: python-docx reads it (and says why it cannot)
        from docx import Document

        body = Document(str(path)).element.body
    if body.find(f"{_W}tbl") is not None:
        return True
    if next(body.iter(_BLIP), None) is not None:
        return True
    return any((t.text or "").strip() for t in body.iter(f"{_W}t"))


def _quick_body(path: Path) -> Any:
    """The ``w:body`` of ``word/document.xml`` read straight from the zip when the package
    names that part as its main Word document (python-docx would parse every part: 8 ms a
    file, 40 files a document), else None."""
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(path) as z:
            rels = etree.fromstring(z.read("_rels/.rels"))
            main = [r.get("Target") for r in rels if (r.get("Type") or "").endswith(
                "/relationships/officeDocument")]
            if [(m or "").lstrip("/") for m in main] != ["word/document.xml"]:
                return None
            types = etree.fromstring(z.read("[Content_Types].xml"))
            if [t.get("ContentType") for t in types if t.get("PartName") == "/word/document.xml"
                ] != [_MAIN_TYPE]:
                return None  # python-docx refuses it (a .docm, a template): it says why
            root = etree.fromstring(z.read("word/document.xml"),
                                    etree.XMLParser(resolve_entities=False))
    except Exception:  # noqa: BLE001 - python-docx reports it
        return None
    return root.find(f"{_W}body")


def prepare_sections(document: str, data: ReportData, texts_dir: Path, *,
                     avsnitt: Collection[str] | None = None, statements: Path | None = None,
                     statements_shown: str | None = None) -> SectionTexts:
    """Create missing section files once (with drafts), then collect what to insert.

    ``document`` is a template name (``arsredovisning``, ``delarsrapport``,
    ``verksamhetsplan``); ``texts_dir`` is ``<projekt>/texter/<period>``. Existing files are
    never written. Sections outside ``avsnitt`` (the switched-on sections; default all) get no
    file and no varning. The financial statements come from ``statements`` (the
    ekonomiavdelning's .docx in ``data/<period>/``, shown as ``statements_shown``) or, when
    that is missing, from ``finansiella-rapporter.docx`` in ``texts_dir``.
    """
    out = SectionTexts()
    texts_dir = Path(texts_dir)
    for section in SECTIONS.get(document, []):
        if avsnitt is not None and section.switch not in avsnitt:
            out.subdocs[section.variable] = ""
            continue
        path = section_path(texts_dir, section)
        shown = _shown(texts_dir, path)
        if not section.create:
            if statements is not None and statements.is_file():
                path = statements
            shown = statements_shown or shown
        if not path.exists() and section.create:
            blocks = section.draft(data) if section.draft else []
            write_draft(path, section.title, blocks)
            out.created.append(path)
        if section.create:
            missing = f"[Text saknas: {section.title} – skriv texten i {shown}]"
        else:
            missing = (f"[Text saknas: {section.title} – lägg ekonomiavdelningens dokument "
                       f"i {shown}]")
        if not path.exists():
            out.subdocs[section.variable] = missing
            out.problems.append(problem("section-text-missing", file=shown,
                                        section=section.title, path=shown))
            continue
        try:
            filled = has_text(path)
        except Exception as exc:  # noqa: BLE001 - a broken file is one Problem
            out.subdocs[section.variable] = missing
            out.problems.append(problem("section-text-unreadable", file=shown,
                                        section=section.title, reason=str(exc), path=shown))
            continue
        if filled:
            out.subdocs[section.variable] = path
        else:
            out.subdocs[section.variable] = missing
            out.problems.append(problem("section-text-missing", file=shown,
                                        section=section.title, path=shown))
    return out


def prepare_committee_texts(committee: dict[str, Any], committee_id: str, committee_name: str,
                            texts_dir: Path) -> list[Problem]:
    """A chapter's texts that live in files (COMMITTEE_FILES), filled into its context.

    ``committee`` is the chapter context of one nämnd (``namnd``): ``fil.<key>`` becomes the
    file to insert when it holds text; otherwise the workbook's text stays, or, when there is
    none either, the placeholder names the file to write and a varning is returned. A bolag
    has no privata utförare (the chapter leaves the section out).
    """
    from reportkit.documents.render import Insert

    problems: list[Problem] = []
    folder = Path(texts_dir) / committee_id
    files: dict[str, Any] = {}
    for key, title in COMMITTEE_FILES:
        files[key] = None
        if key == "privata_utforare" and committee.get("typ") == "bolag":
            continue
        path = folder / f"{key.replace('_', '-')}.docx"
        shown = (f"texter/{Path(texts_dir).name}/{committee_id}/{path.name}"
                 if Path(texts_dir).parent.name == "texter" else str(path))
        if not path.exists():
            write_draft(path, f"{title} – {committee_name}", [])
        files[key] = None
        try:
            filled = has_text(path)
        except Exception as exc:  # noqa: BLE001 - a broken file is one Problem
            problems.append(problem("section-text-unreadable", file=shown,
                                    section=f"{title} ({committee_name})", reason=str(exc),
                                    path=shown))
            filled = False
        if filled:
            files[key] = Insert(path)
            committee["saknas"][key] = False
        elif committee["saknas"].get(key, True):
            committee[key] = f"[Text saknas: {title} – skriv texten i {shown}]"
            committee["saknas"][key] = True
            problems.append(problem("section-text-missing", file=shown,
                                    section=f"{title} ({committee_name})", path=shown))
    committee["fil"] = files
    return problems


def load_avsnitt(document: str, period_type: str, template_dir: Path | None) -> list[str] | None:
    """The sections ``document`` shows for ``period_type``, from ``avsnitt.yaml`` in the
    kommun's template folder (else the built-in one). ``None``: the file does not list the
    document or period type, so every section is shown. Raises ReportkitError (a Swedish fel
    naming the file and key) on an unknown section or a broken file."""
    from reportkit.documents.context import AVSNITT
    from reportkit.errors import ReportkitError
    from reportkit.resources import templates_dir
    from reportkit.yamlfile import load_yaml

    folders = [Path(template_dir)] if template_dir is not None else []
    folders.append(templates_dir() / "docx")
    path = next((f / AVSNITT_FILE for f in folders if (f / AVSNITT_FILE).is_file()), None)
    if path is None:
        return None
    config, _lines, problems = load_yaml(path, file=str(path))
    if problems:
        raise ReportkitError(problems)
    chosen = (config.get(document) or {}).get(period_type) if isinstance(config, dict) else None
    if chosen is None:
        return None
    known = AVSNITT.get(document, ())
    if not isinstance(chosen, list):
        chosen = [chosen]
    for name in chosen:
        if name not in known:
            raise ReportkitError(problem(
                "sections-config-unknown", file=path.name, document=document,
                period_type=period_type, name=str(name), known=", ".join(known)))
    return [str(n) for n in chosen]


AVSNITT_FILE = "avsnitt.yaml"
