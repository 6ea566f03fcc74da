"""One style source (issue 28 item 5): the kansli restyles ``stilmall.docx`` once in Word and
every document and chapter takes its styles, theme and page setup from it at render; the
output stays valid OOXML and byte-identical run to run; a style the stilmall lacks is a
Swedish varning naming the style and the file."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, RGBColor
from testkit import ooxml_errors

from reportkit.documents import compose, stylesheet
from reportkit.documents.reportdata import example_reportdata
from reportkit.errors import ReportkitError
from reportkit.resources import templates_dir

WINE = RGBColor(0x8B, 0x00, 0x45)
# every template: the three whole documents with their two chapter templates, and uppföljning
DOCUMENTS = [("helår", "arsredovisning"), ("delår", "delarsrapport"),
             ("plan", "verksamhetsplan"), ("tertial", "uppfoljning")]


def _own_templates(tmp: Path) -> Path:
    folder = tmp / "mallar" / "docx"
    shutil.copytree(templates_dir() / "docx", folder)
    return folder


def _restyle(folder: Path) -> None:
    """What the kansli does once in Word: Heading 1 in Georgia and wine red, the table
    headings wine red, a wider left margin and the kommun's address in the footer."""
    path = folder / stylesheet.STYLESHEET
    doc = Document(str(path))
    heading = doc.styles["Heading 1"]
    heading.font.name = "Georgia"
    heading.font.color.rgb = WINE
    doc.styles["Tabellrubrik"].font.color.rgb = WINE
    doc.sections[0].left_margin = Cm(3.0)
    doc.sections[0].footer.paragraphs[0].add_run(" · Norrby kommun, 123 45 Norrby")
    doc.save(str(path))


def _render_all(tmp: Path, template_dir: Path | None,
                documents: list[tuple[str, str]] = DOCUMENTS) -> list[Path]:
    paths = []
    for period_type, document in documents:
        data = example_reportdata(period_type)
        result = compose.render_report(
            document, data, tmp / f"{document}.docx", texts_dir=tmp / "texter" / data.period.id,
            template_dir=template_dir, chart_cache=tmp.parent / "diagram",
            chapter_cache=tmp.parent / "kapitelcache",
            chapter_out=lambda c, d=document: tmp / "kapitel" / f"{d}-{c}.docx")
        assert not [p for p in result.problems if p.code.startswith("stylesheet")]
        paths += [result.path, *result.chapters]
    return paths


@pytest.fixture(scope="module")
def restyled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    tmp = tmp_path_factory.mktemp("stilmall")
    folder = _own_templates(tmp)
    _render_all(tmp / "fore", folder, DOCUMENTS[:1])  # the chapter cache has the old look
    _restyle(folder)
    return folder, _render_all(tmp / "efter", folder)


def _heading1(path: Path) -> tuple[str | None, RGBColor | None]:
    style = Document(str(path)).styles["Heading 1"]
    return style.font.name, style.font.color.rgb


@pytest.mark.slow
def test_one_restyle_changes_every_document_and_chapter(restyled) -> None:
    _folder, paths = restyled
    assert {p.name for p in paths} >= {"arsredovisning.docx", "delarsrapport.docx",
                                       "verksamhetsplan.docx", "uppfoljning.docx"}
    assert any(p.parent.name == "kapitel" and p.name.startswith("arsredovisning-")
               for p in paths)  # kapitel-namnd
    assert any(p.parent.name == "kapitel" and p.name.startswith("verksamhetsplan-")
               for p in paths)  # kapitel-namnd-plan
    for path in paths:
        doc = Document(str(path))
        assert _heading1(path) == ("Georgia", WINE), path.name
        assert doc.styles["Tabellrubrik"].font.color.rgb == WINE, path.name
        assert all(round(s.left_margin.cm, 2) == 3.0 for s in doc.sections), path.name
        footer = doc.sections[-1].footer.paragraphs[0].text
        assert footer.startswith("\tSida ") and footer.endswith("· Norrby kommun, 123 45 Norrby")
        assert doc.sections[0].first_page_footer.paragraphs[0].text == ""  # the cover's
        assert any(p.style.name in ("Heading 1", "Heading 2") for p in doc.paragraphs)


@pytest.mark.slow
def test_restyled_documents_are_valid_ooxml_and_the_same_bytes_again(restyled,
                                                                     tmp_path: Path) -> None:
    folder, paths = restyled
    assert ooxml_errors([p for p in paths if p.parent.name != "kapitel"][:2]) == []
    data = example_reportdata("helår")
    again = compose.render_report(
        "arsredovisning", data, tmp_path / "arsredovisning.docx",
        texts_dir=paths[0].parent / "texter" / data.period.id, template_dir=folder,
        chart_cache=tmp_path / "diagram")
    first = next(p for p in paths if p.name == "arsredovisning.docx")
    assert hashlib.sha256(again.path.read_bytes()).digest() == \
        hashlib.sha256(first.read_bytes()).digest()


def _rewrite_styles(path: Path, change) -> None:
    with zipfile.ZipFile(path) as src:
        entries = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            dst.writestr(info, change(data) if info.filename == "word/styles.xml" else data)


def _chapter(tmp: Path, folder: Path | None) -> Path:
    data = example_reportdata("helår")
    result = compose.render_report("kapitel-namnd", data, tmp / "kapitel.docx",
                                   texts_dir=tmp / "texter", template_dir=folder,
                                   committee=data.committees[0].id, with_charts=False)
    return result.path


def test_a_stilmall_saved_by_a_swedish_word_fits_templates_by_style_name(tmp_path: Path) -> None:
    folder = _own_templates(tmp_path)
    _restyle(folder)

    def swedish(xml: bytes) -> bytes:  # Word in Swedish names the ids after its own words
        return re.sub(rb'w:(styleId|val)="Heading(\d)"', rb'w:\1="Rubrik\2"', xml)

    _rewrite_styles(folder / stylesheet.STYLESHEET, swedish)
    doc = Document(str(_chapter(tmp_path, folder)))
    heading = doc.styles["Heading 1"]
    assert heading.style_id == "Heading1"  # the template's own id, which its text uses
    assert heading.font.name == "Georgia" and heading.font.color.rgb == WINE
    assert doc.styles["Heading 2"].base_style.name == "Normal"


def test_a_style_the_stilmall_lacks_is_a_varning_and_the_templates_own_is_kept(
        tmp_path: Path) -> None:
    folder = _own_templates(tmp_path)

    def without(xml: bytes) -> bytes:
        return re.sub('<w:style [^>]*w:styleId="Tabelltexthöger".*?</w:style>'.encode(), b"", xml,
                      flags=re.DOTALL)

    _rewrite_styles(folder / stylesheet.STYLESHEET, without)
    problems = stylesheet.check([folder / "kapitel-namnd.docx"], folder / "stilmall.docx")
    [p] = problems
    assert p.code == "stylesheet-style-missing" and p.severity == "varning"
    assert '"Tabelltext höger"' in p.message and "mallar/docx/stilmall.docx" in p.message
    assert "kapitel-namnd.docx" in p.message
    data = example_reportdata("helår")
    result = compose.render_report("kapitel-namnd", data, tmp_path / "k.docx",
                                   texts_dir=tmp_path / "texter", template_dir=folder,
                                   committee=data.committees[0].id, with_charts=False)
    assert [x.code for x in result.problems if x.code.startswith("stylesheet")] == \
        ["stylesheet-style-missing"]
    assert "Tabelltext höger" in [s.name for s in Document(str(result.path)).styles]


def test_an_unreadable_stilmall_is_a_swedish_fel_naming_it(tmp_path: Path) -> None:
    folder = _own_templates(tmp_path)
    (folder / stylesheet.STYLESHEET).write_bytes(b"inte en docx")
    with pytest.raises(ReportkitError) as err:
        _chapter(tmp_path, folder)
    [p] = err.value.problems
    assert p.code == "stylesheet-unreadable" and "stilmall.docx" in p.message


def test_a_kommun_folder_without_a_stilmall_keeps_each_templates_own_styles(
        tmp_path: Path) -> None:
    folder = _own_templates(tmp_path)
    (folder / stylesheet.STYLESHEET).unlink()
    template = Document(str(folder / "kapitel-namnd.docx"))
    template.styles["Heading 1"].font.name = "Garamond"
    template.save(str(folder / "kapitel-namnd.docx"))
    assert stylesheet.source(folder) is None
    assert _heading1(_chapter(tmp_path, folder))[0] == "Garamond"


def test_the_builtin_stilmall_has_the_builtin_templates_styles() -> None:
    # so the shipped templates render exactly as before there was a stilmall
    def styles(name: str) -> bytes:
        with zipfile.ZipFile(templates_dir() / "docx" / name) as zf:
            return zf.read("word/styles.xml") + zf.read("word/theme/theme1.xml")

    assert stylesheet.source(None) == templates_dir() / "docx" / "stilmall.docx"
    for name in ("arsredovisning.docx", "delarsrapport.docx", "verksamhetsplan.docx",
                 "uppfoljning.docx", "kapitel-namnd.docx", "kapitel-namnd-plan.docx"):
        assert styles(name) == styles("stilmall.docx"), name


def test_mallar_gives_a_kommun_with_restyled_copies_a_stilmall_in_their_look(
        tmp_path: Path) -> None:
    from reportkit import copy_templates
    from reportkit.styrmodell.project_setup import init_project

    root = init_project(tmp_path / "kommun")
    folder = copy_templates(root).folder
    assert (folder / stylesheet.STYLESHEET).is_file()  # copied with the templates
    (folder / stylesheet.STYLESHEET).unlink()  # as copies made before there was one
    own = Document(str(folder / "arsredovisning.docx"))
    own.styles["Heading 1"].font.name = "Garamond"
    own.sections[0].footer.paragraphs[0].add_run(" · Norrby")
    own.save(str(folder / "arsredovisning.docx"))
    outcome = copy_templates(root)
    assert "docx/stilmall.docx" in outcome.copied
    assert "docx/arsredovisning.docx" in outcome.kept
    sheet = Document(str(folder / stylesheet.STYLESHEET))
    assert sheet.styles["Heading 1"].font.name == "Garamond"
    assert sheet.sections[0].footer.paragraphs[0].text.endswith(" · Norrby")
    chapter = Document(str(_chapter(tmp_path, folder)))
    assert chapter.styles["Heading 1"].font.name == "Garamond"
    assert chapter.sections[0].footer.paragraphs[0].text.endswith(" · Norrby")


def test_a_kommun_footer_with_a_tag_stays_in_its_templates(tmp_path: Path) -> None:
    from reportkit import copy_templates
    from reportkit.styrmodell.project_setup import init_project

    root = init_project(tmp_path / "kommun")
    folder = copy_templates(root).folder
    (folder / stylesheet.STYLESHEET).unlink()
    for name in ("arsredovisning.docx", "kapitel-namnd.docx"):
        own = Document(str(folder / name))
        own.sections[0].footer.paragraphs[0].add_run(" {{ kommun_namn }}")
        own.save(str(folder / name))
    copy_templates(root)
    assert stylesheet.check([folder / "kapitel-namnd.docx"], folder / "stilmall.docx") == []
    footer = Document(str(_chapter(tmp_path, folder))).sections[0].footer.paragraphs[0].text
    assert footer.endswith(" Exempelkommun")  # the template's own footer, its tag filled in


def test_a_footer_with_a_tag_is_not_moved_and_says_why(tmp_path: Path) -> None:
    folder = _own_templates(tmp_path)
    doc = Document(str(folder / stylesheet.STYLESHEET))
    doc.sections[0].footer.paragraphs[0].add_run(" {{ dokument_titel }}")
    doc.save(str(folder / stylesheet.STYLESHEET))
    [p] = stylesheet.check([folder / "kapitel-namnd.docx"], folder / stylesheet.STYLESHEET)
    assert p.code == "stylesheet-footer-kept" and "en tagg" in p.message
    footer = Document(str(_chapter(tmp_path, folder))).sections[-1].footer.paragraphs[0].text
    assert "dokument_titel" not in footer and footer.startswith("\tSida ")
