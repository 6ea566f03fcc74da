"""The render engine: a kansli-owned docxtpl template + a flat context → a finished .docx.

Steps of :func:`render_document`, each guarding against one way a KF document goes wrong:

1. **Pre-flight** (:func:`check_template`): the template's tags are parsed before anything is
   rendered. A Jinja syntax error, or a variable the context does not have, is a Swedish ``fel``
   naming the template, the variable and the nearby paragraph text: never a silent blank.
2. **Sanitising** (:func:`sanitize`): every string in the context loses control characters,
   U+FFFE/U+FFFF and lone surrogates (a lone surrogate makes docxtpl drop the rest of the
   document, TECH.md §4); blank lines become real paragraphs and ``\\n`` a line break. Jinja
   autoescaping is on, so ``{{ 7*7 }}``, ``<w:p>`` and ``&`` from a unit appear literally.
3. **Pictures** (:class:`AltImage`): every :class:`~reportkit.documents.charts.Chart` found in
   the context becomes an inline picture with its alt text in ``wp:docPr/@descr`` only.
4. **Subdocuments**: the kansli's section texts and the ekonomiavdelning's financial statements
   (.docx) are inserted with docxcompose; a missing one is a marked placeholder paragraph.
5. **Accessibility and properties**: language sv-SE in the styles' defaults, table header rows
   repeat, core properties (title, subject, author = kommun) set.
6. **Determinism and atomic write**: fixed zip timestamps and core dates (``normalize_zip``),
   written beside the target and renamed, so the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit import texts
from reportkit.caching import Memo
from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import atomic_path, normalize_zip
from reportkit.formats import format_path
from reportkit.resources import templates_dir

__all__ = [
    "RenderResult",
    "AltImage",
    "clean_text",
    "sanitize",
    "find_template",
    "check_template",
    "template_variables",
    "render_document",
    "PLACEHOLDER_STYLE",
    "Insert",
    "demote_headings",
    "demote_document",
    "run_renders",
    "prepare_template",
    "timeout_problem",
    "TemplateMemo",
]

PLACEHOLDER_STYLE = "Text saknas"
"""Paragraph style of a missing text's placeholder (the templates define it; clearly marked)."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*")
_TAGS = re.compile(r"<[^>]+>")
_VAR_IN_TAG = r"(?:\{\{|\{%)[^}%]*?(?<![\w.])NAME(?![\w])"


@dataclass
class RenderResult:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    chapters: list[Path] = field(default_factory=list)
    """Chapter documents written beside the whole document (one per nämnd/bolag)."""


@dataclass(frozen=True)
class Insert:
    """A .docx to insert whole where the template says ``{{p value }}`` (docxcompose).

    May sit anywhere in the context (``namnder[2].kapitel``). ``placeholder`` is shown instead,
    in the style "Text saknas", when the file is missing or unreadable.
    """

    path: Path
    placeholder: str = ""


# --------------------------------------------------------------------------------------------
# Sanitising


def clean_text(text: str) -> str:
    """Text safe for a .docx: no control characters, no U+FFFE/FFFF, no lone surrogates.

    A surrogate *pair* (an emoji split in two by some reader) is joined back into the character.
    ``\\r\\n`` and ``\\r`` become ``\\n``; tabs stay (docxtpl makes them ``w:tab``). The result
    is always a plain ``str`` (a ``Markup`` from outside is not trusted).
    """
    text = str.__str__(text) if type(text) is not str else text
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
        text = _SURROGATE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _for_docx(text: str) -> str:
    """Clean, then blank lines → a new paragraph (docxtpl's ``\\a``), trailing space dropped."""
    text = clean_text(text).strip()
    return _BLANK_LINES.sub("\a", text)


def sanitize(value: Any) -> Any:
    """Clean every string in a context (dicts, lists, tuples, recursively); other values stay."""
    if isinstance(value, str):
        return _for_docx(value)
    if isinstance(value, Mapping):
        return {k: sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    return value


def rich_text_class() -> type:
    """docxtpl's ``RichText``, without importing the rest of docxtpl (python-docx, Jinja,
    docxcompose: a tenth of a second) when nothing is rendered (:mod:`reportkit.compat.docxtpl`):
    a render that ends as a cache hit builds its context with RichText but never opens a
    template."""
    from reportkit.compat import docxtpl

    return docxtpl.rich_text_class()


# --------------------------------------------------------------------------------------------
# Pictures with alt text


def _alt_image_class() -> type:
    """An inline picture whose alt text goes into ``wp:docPr/@descr`` (never ``title``), made
    as ``cls(tpl, png, width_mm, alt)`` with clean ``alt`` (:mod:`reportkit.compat.docxtpl`)."""
    from reportkit.compat import docxtpl

    return docxtpl.alt_image_class()


def AltImage(tpl: Any, png: bytes, alt: str, width_mm: float = 160) -> Any:  # noqa: N802
    """An ``InlineImage`` for ``tpl`` with alt text (``descr`` only, TECH.md §4)."""
    return _alt_image_class()(tpl, png, width_mm, clean_text(alt))


def _with_images(value: Any, tpl: Any, cls: type, problems: list[Problem] | None = None) -> Any:
    """Charts → pictures with alt text, Inserts → subdocuments, anywhere in the context."""
    from reportkit.documents.charts import Chart

    if isinstance(value, Chart):
        return cls(tpl, value.png, value.width_mm, clean_text(value.alt))
    if isinstance(value, Insert):
        return _subdoc(tpl, value.path, value.placeholder, problems if problems is not None
                       else [])
    if isinstance(value, Mapping):
        return {k: _with_images(v, tpl, cls, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_images(v, tpl, cls, problems) for v in value]
    return value


def _subdoc(tpl: Any, path: Path, placeholder: str, problems: list[Problem]) -> Any:
    try:
        return _new_subdoc(tpl, path)
    except Exception as exc:  # noqa: BLE001 - a broken part is one Problem
        problems.append(problem("section-text-unreadable", file=path.name, section=path.stem,
                                reason=str(exc), path=str(path)))
        return _placeholder_subdoc(tpl, placeholder or f"[Texten kunde inte läsas: {path}]")


def _new_subdoc(tpl: Any, path: Path) -> Any:
    """``tpl.new_subdoc(path)``, with the faster composer (:mod:`reportkit.compat.docxtpl`)."""
    from reportkit.compat import docxtpl

    return docxtpl.new_subdoc(tpl, path)


# --------------------------------------------------------------------------------------------
# Templates: finding and pre-flight


def find_template(name: str, template_dir: Path | None = None) -> Path:
    """The template ``name`` (``arsredovisning`` or ``arsredovisning.docx``).

    Looks in the kommun's own ``template_dir`` first, then in the built-in
    ``templates/docx``. Raises ReportkitError (``template-missing``) if neither has it.
    """
    file = name if name.endswith(".docx") else f"{name}.docx"
    builtin = templates_dir() / "docx"
    folders = [Path(template_dir)] if template_dir is not None else []
    folders.append(builtin)
    for folder in folders:
        if (folder / file).is_file():
            return folder / file
    raise ReportkitError(problem("template-missing", template=file,
                                 searched=", ".join(str(f) for f in folders)))


def _template_parts(template: Path, memo: TemplateMemo | None) -> list[tuple[str, str]]:
    """(part name, patched template XML with one paragraph per line) for body, headers, footers."""
    from docx.oxml import parse_xml

    tpl = _docx_template(template, memo)  # its clean-up remembered for the render
    tpl.init_docx()
    parts = [("document", tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, rel in sorted(tpl.docx.part.rels.items()):
            if rel.reltype == uri and not rel.is_external and rel.target_part.blob:
                xml = tpl.xml_to_string(parse_xml(rel.target_part.blob))
                parts.append((str(rel.target_part.partname).lstrip("/"), xml))
    out = []
    for name, xml in parts:
        xml = tpl.patch_xml(xml)
        out.append((name, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)))
    return out


def _text_of(line: str) -> str:
    return re.sub(r"\s+", " ", _TAGS.sub("", line)).strip()


def _near(lines: list[str], index: int) -> str:
    """The visible text of the paragraph at ``index`` (or the nearest one with text)."""
    for offset in (0, -1, 1, -2, 2, -3, 3):
        i = index + offset
        if 0 <= i < len(lines):
            text = _text_of(lines[i])
            if text:
                return text if len(text) <= 120 else text[:117] + "…"
    return ""


def _where_used(parts: list[tuple[str, str]], name: str) -> str:
    pattern = re.compile(_VAR_IN_TAG.replace("NAME", re.escape(name)))
    for _part, xml in parts:
        lines = xml.split("\n")
        for i, line in enumerate(lines):
            if pattern.search(_TAGS.sub("", line)):
                return _near(lines, i)
    return ""


_Preflight = tuple[list[tuple[str, str]], frozenset[str], tuple[Problem, ...]]


@dataclass
class TemplateMemo:
    """What the renders of one run (one document with its chapters, one ``render`` command)
    remember about their templates, created with the run and gone with it:

    - ``compiled``: each template source compiled once (a chapter template is filled once
      per nämnd); the parent compiles before it forks and the forked renders reuse it;
    - ``patched``: docxtpl's clean-up of each template XML;
    - ``preflight``: per template (name, SHA-256 of its bytes) its parts, the variables it
      uses and its syntax errors;
    - ``used``: the variables of each template that parses, as the pre-flight or a cache
      folder found them.
    """

    compiled: Memo[Any] = field(default_factory=lambda: Memo(32))
    patched: Memo[str] = field(default_factory=lambda: Memo(32))
    preflight: Memo[_Preflight] = field(default_factory=lambda: Memo(32))
    used: Memo[frozenset[str]] = field(default_factory=lambda: Memo(256))


def _environment(memo: TemplateMemo | None) -> Any:
    """Jinja's sandbox (:mod:`reportkit.documents.sandbox`) with autoescaping and undefined
    names as errors, compiling each source once per ``memo`` (:mod:`reportkit.compat.jinja`):
    every environment made here is configured alike, and compiling runs no template code."""
    from jinja2 import StrictUndefined

    from reportkit.compat import jinja
    from reportkit.documents.sandbox import environment_class

    return jinja.environment(environment_class(), memo.compiled if memo is not None else None,
                             autoescape=True, undefined=StrictUndefined)


_WORD_TAG = r"\{\{ *(?:malnamn|nivanamn|omradesnamn|maltyper)(?:\.\w+)+ *\}\}"
_WORD_ONLY_TEXT = re.compile(
    r'<w:t xml:space="preserve">((?=[^\s<])(?:[^<{ \t\n]| (?! )|' + _WORD_TAG + r')*(?<=[^\s<]))'
    r"</w:t>")


def _words_unpreserved(xml: str) -> str:
    """docxtpl marks every text holding a tag ``xml:space="preserve"``; a text whose only tags
    are the styrmodell's words (``{{ malnamn.kommun.plural }}``) and that has no whitespace to
    keep is written as plain text, as the word itself would be: a template that says
    "Antal {{ malnamn.kommun.plural }} per bedömning" gives the same bytes as one that said
    "Antal KF-mål per bedömning"."""
    def plain(m: re.Match[str]) -> str:
        text = m.group(1)
        return f"<w:t>{text}</w:t>" if re.search(_WORD_TAG, text) else m.group(0)

    return _WORD_ONLY_TEXT.sub(plain, xml)


def _docx_template(path: Path, memo: TemplateMemo | None) -> Any:
    """docxtpl's ``DocxTemplate(path)`` whose XML clean-up (a pure function of the template's
    XML) is done once per ``memo`` for the same XML (:mod:`reportkit.compat.docxtpl`)."""
    from reportkit.compat import docxtpl

    return docxtpl.template(path, memo.patched if memo is not None else None,
                            after=_words_unpreserved)


def _preflight(template: Path, memo: TemplateMemo) -> _Preflight | Problem:
    """The template's parts, the variables it uses and its syntax errors (cached by name and
    bytes), or the Problem that it cannot be read."""
    from jinja2 import TemplateSyntaxError, meta

    tname = Path(template).name
    try:
        content = Path(template).read_bytes()
    except OSError as exc:
        return problem("template-unreadable", file=tname, template=tname, reason=str(exc))
    key = (tname, hashlib.sha256(content).digest())
    known = memo.preflight.peek(key)
    if known is not None:
        return known
    try:
        parts = _template_parts(Path(template), memo)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one Problem
        return problem("template-unreadable", file=tname, template=tname, reason=str(exc))
    env = _environment(memo)
    used: set[str] = set()
    syntax: list[Problem] = []
    for _part, xml in parts:
        try:
            ast = env.parse(xml)
        except TemplateSyntaxError as exc:
            lines = xml.split("\n")
            near = _near(lines, (exc.lineno or 1) - 1)
            syntax.append(problem("template-syntax", file=tname, template=tname,
                                  folder=_folder(template), tag=_broken_tag(near),
                                  reason=_swedish_syntax(exc.message or ""), near=near))
            continue
        used |= meta.find_undeclared_variables(ast)
    return memo.preflight.put(key, (parts, frozenset(used), tuple(syntax)))


def _template_key(template: Path) -> tuple[str, bytes] | None:
    try:
        return Path(template).name, hashlib.sha256(Path(template).read_bytes()).digest()
    except OSError:
        return None


def _used_file(cache: Path, key: tuple[str, bytes]) -> Path:
    """Where ``cache`` keeps the variables of the template ``key``: named by a hash of its
    bytes and of the code that parses it (reportkit's and the libraries')."""
    from reportkit.documents.codestamp import render_code_stamp

    digest = hashlib.sha256(render_code_stamp().encode() + b"\0" + key[1]).hexdigest()
    return cache / f"mall-{digest}.json"


def _known_variables(template: Path, cache: Path | None,
                     memo: TemplateMemo) -> frozenset[str] | None:
    """The variables ``template`` uses, when it parses and this process or ``cache`` has
    seen the same bytes: without reading the template as a document (docxtpl, Jinja)."""
    import json

    key = _template_key(template)
    if key is None:
        return None
    found = memo.used.peek(key)
    if found is None and cache is not None:
        try:
            names = json.loads(_used_file(cache, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            found = memo.used.put(key, frozenset(names))
    return found


def _remember_variables(template: Path, used: frozenset[str], cache: Path | None,
                        memo: TemplateMemo) -> None:
    import contextlib
    import json

    from reportkit.files import write_bytes_atomic

    key = _template_key(template)
    if key is None:
        return
    memo.used.put(key, used)
    if cache is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written is no error
            write_bytes_atomic(_used_file(cache, key),
                               json.dumps(sorted(used), ensure_ascii=False).encode("utf-8"))


def check_template(template: Path, names: set[str] | list[str],
                   cache: Path | None = None, memo: TemplateMemo | None = None) -> list[Problem]:
    """Pre-flight: syntax errors and variables the template uses that ``names`` lacks.

    Returns Swedish ``fel`` Problems (empty list = the template fits the context). With
    ``cache`` (a folder), the variables of a template seen before are read from there, and
    the template is parsed only when ``names`` lacks one of them (to say where it is used).
    ``memo``: what the run remembers about its templates (None: this call only).
    """
    memo = memo if memo is not None else TemplateMemo()
    known_used = _known_variables(template, cache, memo)
    if known_used is not None and known_used <= set(names):
        return []
    known = _preflight(template, memo)
    if not isinstance(known, tuple):
        return [known]
    tname = Path(template).name
    parts, used, syntax = known
    if not syntax and cache is not None:
        _remember_variables(template, used, cache, memo)
    problems = list(syntax)
    for name in sorted(used - set(names)):
        problems.append(problem("template-unknown-variable", file=tname, template=tname,
                                folder=_folder(template),
                                variable=name, near=_where_used(parts, name)))
    return problems


def template_variables(template: Path, cache: Path | None = None,
                       memo: TemplateMemo | None = None) -> frozenset[str] | None:
    """The top-level variables ``template`` uses (from the pre-flight), or None when it cannot
    be read or parsed (the render then reports why). ``cache`` and ``memo`` as for
    :func:`check_template`."""
    memo = memo if memo is not None else TemplateMemo()
    found = _known_variables(template, cache, memo)
    if found is not None:
        return found
    known = _preflight(template, memo)
    if not isinstance(known, tuple) or known[2]:
        return None
    if cache is not None:
        _remember_variables(template, known[1], cache, memo)
    return known[1]


def _swedish_syntax(message: str) -> str:
    """Jinja's English message said in plain Swedish, without Jinja's own words."""
    m = re.search(r"Unexpected end of template.*?'(end\w+)'", message, re.S)
    if m:
        return f"{{% {m.group(1)} %}} saknas"
    m = re.search(r"Encountered unknown tag '(\w+)'", message)
    if m:
        return f"okänd tagg '{m.group(1)}' (saknas en {{% for %}} eller {{% if %}} före?)"
    if "unexpected '}'" in message:
        return "taggen stängs med en klammerparentes; en variabeltagg skrivs {{ namn }}"
    m = re.search(r"expected token '[^']*', got '([^']*)'", message)
    if m:
        return f"'{m.group(1)}' hör inte hemma i taggen (ett stavfel eller ett tecken för mycket?)"
    m = re.search(r"unexpected char '(.)'", message)
    if m:
        return f"tecknet '{m.group(1)}' kan inte stå i en tagg"
    if "unexpected end of template" in message.lower():
        return "taggen stängs aldrig (}} eller %} saknas)"
    return "taggen kan inte läsas"


_PIECE = re.compile(r"\{[{%](?:(?!\{[{%]).)*")


def _broken_tag(text: str) -> str:
    """The tag in a paragraph's visible text that is not closed as it was opened (``{{ namn }``),
    else its first tag: what the kansli looks for in Word."""
    pieces = []
    for piece in _PIECE.findall(text):
        close = "}}" if piece.startswith("{{") else "%}"
        end = piece.find(close)
        if end < 0:  # up to its one closing brace or percent sign, when it has one
            cut = re.match(r"\{\{[^}]*\}?" if close == "}}" else r"\{%[^%]*%?", piece)
            piece = (cut.group(0) if cut else piece).strip()[:60]
        pieces.append((end < 0, piece[:end + 2] if end >= 0 else piece))
    broken = [tag for bad, tag in pieces if bad] or [tag for _, tag in pieces]
    return f'"{broken[0]}"' if broken else "(okänd)"


def _folder(template: Path) -> str:
    """The folder a template is read from, as the user finds it: the kommun's own (relative
    to where the command runs, when below it) or reportkit's built-in one."""
    folder = Path(template).resolve().parent
    if folder == (templates_dir() / "docx").resolve():
        return texts.BUILTIN_TEMPLATES
    with contextlib.suppress(ValueError):
        below = folder.relative_to(Path.cwd().resolve())
        if below.parts:
            return format_path(below) + "/"
    return format_path(folder) + "/"


# --------------------------------------------------------------------------------------------
# Rendering


def ensure_language(document: Any) -> None:
    """sv-SE in ``w:docDefaults/w:rPrDefault/w:rPr/w:lang`` (the only source of PDF /Lang)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")


def _repeat_header_rows(document: Any) -> None:
    """Mark the first row of every table (with more than one row) as a repeating header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = document.element.body
    for tbl in body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        if len(rows) < 2:
            continue
        tr_pr = rows[0].find(qn("w:trPr"))
        if tr_pr is None:
            tr_pr = OxmlElement("w:trPr")
            rows[0].insert(0, tr_pr)
        if tr_pr.find(qn("w:tblHeader")) is None:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _renumber_pictures(document: Any) -> None:
    """Unique ``wp:docPr`` ids in document order: inserted documents bring their own ids
    (docxcompose numbers only what the template held), and Word repairs a file with twins."""
    for number, pr in enumerate(document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"),
            start=1):
        pr.set("id", str(number))


def demote_headings(path: Path, *, page_break: bool = False) -> None:
    """Shift every Heading N paragraph of ``path`` to Heading N+1 (in place, deterministic).

    A nämnd's chapter stands alone with the nämnd as Heading 1; inside the kommun's document
    it sits under "Nämndernas verksamhetsberättelser", so its headings move one level down.
    Styles are found by name, so a template whose style ids are localised ("Rubrik1") works.
    ``page_break`` starts the chapter on a new page. :func:`render_document` does the same
    before it writes (``demote=``), which saves reading the file again.
    """
    from docx import Document

    doc = Document(str(path))
    demote_document(doc, page_break=page_break)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
        normalize_zip(tmp)


def demote_document(doc: Any, *, page_break: bool = False) -> None:
    """:func:`demote_headings` on an open python-docx document."""
    from docx.oxml.ns import qn

    by_level: dict[int, str] = {}
    level_of: dict[str, int] = {}
    for style in doc.styles:
        m = re.fullmatch(r"heading (\d)", (style.name or "").lower())
        if m:
            by_level[int(m.group(1))] = style.style_id
            level_of[style.style_id] = int(m.group(1))
    first = True
    for para in doc.element.body.iter(qn("w:p")):
        ppr = para.pPr
        style = ppr.pStyle if ppr is not None else None
        if style is None or style.val not in level_of:
            continue
        target = by_level.get(level_of[style.val] + 1)
        if target is None:
            continue
        style.val = target
        if first and page_break:
            ppr.get_or_add_pageBreakBefore()
        first = False


def _set_core(document: Any, core: Mapping[str, Any]) -> None:
    from reportkit.documents.coreprops import set_core_properties

    author = clean_text(str(core.get("author", "")))
    set_core_properties(
        document, title=clean_text(str(core.get("title", ""))),
        subject=clean_text(str(core.get("subject", ""))), author=author,
        keywords=clean_text(str(core.get("keywords", ""))),
        comments=clean_text(str(core.get("comments", ""))),
        category=clean_text(str(core.get("category", ""))), language="sv-SE")


def _placeholder_subdoc(tpl: Any, text: str) -> Any:
    sd = tpl.new_subdoc()
    names = {s.name for s in tpl.docx.styles}
    if PLACEHOLDER_STYLE in names:
        sd.add_paragraph(clean_text(text), style=PLACEHOLDER_STYLE)
    else:
        run = sd.add_paragraph().add_run(clean_text(text))
        run.italic = True
        run.bold = True
    return sd


def _field_of(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined",
                                                                          message)
    return m.group(1) if m else message


def render_document(template: Path, context: Mapping[str, Any], out: Path, *,
                    images: Mapping[str, Any] | None = None,
                    subdocs: Mapping[str, Path | str] | None = None,
                    core: Mapping[str, Any], demote: bool | None = None,
                    time_limit: float | None = None,
                    memo: TemplateMemo | None = None,
                    styles: Path | None = None) -> RenderResult:
    """Render ``template`` with ``context`` into ``out`` (atomically, deterministically).

    ``context`` holds ready values: strings, lists of row dicts, RichText, and
    :class:`~reportkit.documents.charts.Chart` objects anywhere (they become pictures with alt
    text). ``images`` adds top-level charts by variable name. ``subdocs`` maps a variable
    (used as ``{{p name }}`` in the template) to a .docx path inserted whole, or to a string,
    which is shown as a marked placeholder paragraph (style "Text saknas"). ``core`` sets the
    core properties: ``title``, ``subject``, ``author`` (the kommun), optional ``keywords``.
    ``demote`` (not None) moves every heading one level down as :func:`demote_headings` does,
    ``True`` with a page break before the first (a chapter inside the whole document).

    The template is untrusted: it is rendered in Jinja's sandbox in a forked worker
    (:mod:`reportkit.documents.sandbox`). A tag that tries something not allowed
    (``template-unsafe``), goes past a bound (``template-too-large``) or a render longer than
    ``time_limit`` seconds (None: ``REPORTKIT_MALL_TIDSGRANS``, else 60; ``template-timeout``)
    is a fel. ``memo``: what the run remembers about its templates (:class:`TemplateMemo`;
    None: this render only). ``styles``: the stilmall whose styles, theme and page setup the
    document takes (:mod:`reportkit.documents.stylesheet`; None: the template's own).

    Raises ReportkitError with Swedish ``fel`` Problems when the template does not fit the
    context (unknown variable, syntax error, unknown field), is refused, or cannot be read;
    ``out`` is then untouched. Returns the path and any varningar.
    """
    from reportkit.documents import sandbox

    template = Path(template)
    out = Path(out)
    images = dict(images or {})
    subdocs = dict(subdocs or {})
    names = set(context) | set(images) | set(subdocs)
    memo = memo if memo is not None else TemplateMemo()
    errors = check_template(template, names, memo=memo)
    if errors:
        raise ReportkitError(errors)
    seconds = sandbox.time_limit(time_limit)
    prepare_template(template, memo)

    def work(tmp: Path) -> list[Problem]:
        return _render_into(template, context, tmp, images=images, subdocs=subdocs,
                            core=core, demote=demote, memo=memo, styles=styles)

    with atomic_path(out) as tmp:
        try:
            [problems] = run_renders([lambda: work(tmp)], template, seconds)
        except ReportkitError:
            _remove_strays(tmp)
            raise
    return RenderResult(out, problems)


def run_renders(works: list[Any], template: Path, seconds: float | None = None) -> list[Any]:
    """Renders of ``template`` (functions that call :func:`render_document`) in one forked
    worker, each limited to ``seconds`` (None: :func:`sandbox.time_limit`): their results in
    order. A render the worker could not finish is a ``template-timeout`` or
    ``template-render-failed`` fel."""
    from reportkit.documents import sandbox

    limit = sandbox.time_limit(seconds)
    try:
        return sandbox.run_each(works, limit)
    except sandbox.OutOfTime as exc:
        raise ReportkitError(timeout_problem(template, limit, getattr(exc, "near", ""))) \
            from exc
    except sandbox.WorkerDied as exc:
        tname = Path(template).name
        raise ReportkitError(problem(
            "template-render-failed", file=tname, template=tname,
            reason=texts.TEMPLATE_WORKER_DIED.format(status=exc.args[0] if exc.args else ""),
        )) from exc


def timeout_problem(template: Path, seconds: float, near: str = "") -> Problem:
    """``template-timeout`` for ``template`` and a limit of ``seconds``."""
    tname = Path(template).name
    return problem("template-timeout", file=tname, template=tname,
                   seconds=f"{seconds:g}".replace(".", ","), near=near)


def prepare_template(template: Path, memo: TemplateMemo) -> None:
    """Compile the template's parts into ``memo`` here, before a render forks, so every
    render of it with ``memo`` (here and in workers forked later) reuses them (compiling runs
    no template code: see the sandbox)."""
    from reportkit.compat import docxtpl

    known = _preflight(template, memo)
    if not isinstance(known, tuple) or known[2]:
        return
    env = _environment(memo)
    for _part, xml in known[0]:
        env.from_string(xml)
    docxtpl.prepare()


def _remove_strays(tmp: Path) -> None:
    """The half-written files of a killed render beside ``tmp`` (``normalize_zip`` writes
    its own temporary file there)."""
    import contextlib

    for stray in tmp.parent.glob(f".{tmp.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stray.unlink()


def _render_into(template: Path, context: Mapping[str, Any], tmp: Path, *,
                 images: dict[str, Any], subdocs: dict[str, Path | str],
                 core: Mapping[str, Any], demote: bool | None,
                 memo: TemplateMemo, styles: Path | None = None) -> list[Problem]:
    """The render itself (in the forked worker): the filled template saved to ``tmp``."""
    from jinja2 import TemplateError, UndefinedError

    from reportkit.documents import structure, stylesheet, toc

    tname = template.name
    sheet = stylesheet.read(styles) if styles is not None else None
    tpl = _docx_template(template, memo)
    tpl.init_docx()
    values: dict[str, Any] = sanitize(dict(context))
    values.update(sanitize(images))
    cls = _alt_image_class()
    problems: list[Problem] = []
    values = _with_images(values, tpl, cls, problems)
    for name, source in subdocs.items():
        if isinstance(source, Path):
            values[name] = _subdoc(tpl, source, "", problems)
        else:
            values[name] = _placeholder_subdoc(tpl, str(source))
    try:
        tpl.render(values, jinja_env=_environment(memo), autoescape=True)
    except Exception as exc:
        refused = _refusal(exc, tname)
        if refused is not None:
            raise ReportkitError(refused) from exc
        if isinstance(exc, UndefinedError):
            parts = _template_parts(template, memo)
            fld = _field_of(exc.message or "")
            raise ReportkitError(problem(
                "template-unknown-field", file=tname, template=tname, field=fld,
                reason=_swedish_undefined(exc.message or ""),
                near=_where_used_field(parts, fld),
            )) from exc
        if isinstance(exc, TemplateError):
            raise ReportkitError(problem("template-render-failed", file=tname, template=tname,
                                         reason=str(exc))) from exc
        raise

    document = tpl.docx
    ensure_language(document)
    _repeat_header_rows(document)
    _renumber_pictures(document)
    _set_core(document, core)
    if demote is not None:
        demote_document(document, page_break=demote)
    structure.tidy(document, nest=demote is None)
    toc.fill(document)
    if sheet is not None:
        stylesheet.page_setup(document, sheet)
    tpl.save(str(tmp))
    normalize_zip(tmp, edit=(lambda entries: stylesheet.restyle(entries, sheet))
                  if sheet is not None else None)
    return problems


def _refusal(exc: BaseException, tname: str) -> Problem | None:
    """The Problem for a render the sandbox stopped (None: another kind of error). A timeout
    is handed on to the parent with the nearby text (``near``)."""
    from jinja2 import TemplateError

    from reportkit.documents import sandbox

    source, line = sandbox.template_line(exc)
    near = _near(source.split("\n"), line - 1) if source and line else ""
    if isinstance(exc, sandbox.OutOfTime):
        exc.near = near  # type: ignore[attr-defined]
        exc.template_source = None  # type: ignore[attr-defined]  # not worth pickling
        raise exc
    if isinstance(exc, sandbox.Bound):
        reason = texts.TEMPLATE_BOUNDS[exc.kind].format(
            amount=_count(exc.amount), limit=_count(sandbox.MAX_RANGE),
            size=f"{sandbox.MAX_OUTPUT // (1024 * 1024)} MB")
    elif isinstance(exc, MemoryError):
        reason = texts.TEMPLATE_BOUNDS["memory"]
    elif isinstance(exc, RecursionError):
        reason = texts.TEMPLATE_BOUNDS["recursion"]
    elif sandbox.is_unsafe(exc) or _hidden_field(exc):
        m = re.search(r"attribute '([^']*)'", str(exc))
        other = sandbox.other_template(exc)
        if other is not None:
            reason = texts.TEMPLATE_UNSAFE_INCLUDE.format(name=other)
        elif m or _hidden_field(exc):
            name = m.group(1) if m else _field_of(str(exc))
            reason = texts.TEMPLATE_UNSAFE_ATTRIBUTE.format(name=name)
        else:
            reason = texts.TEMPLATE_UNSAFE_CALL
        return problem("template-unsafe", file=tname, template=tname, reason=reason, near=near)
    elif line is not None and not isinstance(exc, TemplateError):
        # raised by a tag's own Python (1/0, 1 + 'a'): said with the tag, never a traceback
        return problem("template-render-failed", file=tname, template=tname,
                       reason=texts.TEMPLATE_TAG_FAILED.format(
                           error=f"{type(exc).__name__}: {exc}", near=near))
    else:
        return None
    return problem("template-too-large", file=tname, template=tname, reason=reason, near=near)


def _hidden_field(exc: BaseException) -> bool:
    """An undefined field whose name begins with ``_`` (``range.__self__``): never a value."""
    from jinja2 import UndefinedError

    return isinstance(exc, UndefinedError) and _field_of(str(exc)).startswith("_")


def _count(n: int | None) -> str:
    return f"{n:,}".replace(",", "\u00a0") if n is not None else ""


def _swedish_undefined(message: str) -> str:
    m = re.search(r"'([^']+)' has no attribute '([^']+)'", message)
    if m:
        return f"{m.group(1).replace('dict object', 'raden')} har inget fält '{m.group(2)}'"
    m = re.search(r"'([^']+)' is undefined", message)
    if m:
        return f"'{m.group(1)}' är inte definierad"
    return message


def _where_used_field(parts: list[tuple[str, str]], fld: str) -> str:
    pattern = re.compile(r"\.\s*" + re.escape(fld) + r"(?![\w])")
    for _part, xml in parts:
        lines = xml.split("\n")
        for i, line in enumerate(lines):
            if pattern.search(_TAGS.sub("", line)):
                return _near(lines, i)
    return _where_used(parts, fld)
