"""The render engine: what a kansli and a KF member see in the rendered .docx."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK  # noqa: F401  (python-docx import check)
from docx.oxml.ns import qn
from docx.shared import RGBColor
from testkit import docx_text

from reportkit.documents.compose import render_report
from reportkit.documents.render import (
    check_template,
    clean_text,
    find_template,
    render_document,
)
from reportkit.documents.reportdata import example_reportdata
from reportkit.errors import ReportkitError

R15 = [
    "Översikt över verksamhetens utveckling",
    "Den kommunala koncernen",
    "Viktiga förhållanden för resultat och ekonomisk ställning",
    "Händelser av väsentlig betydelse",
    "Styrning och uppföljning av den kommunala verksamheten",
    "God ekonomisk hushållning och ekonomisk ställning",
    "Balanskravsresultat",
    "Väsentliga personalförhållanden",
    "Förväntad utveckling",
]
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture(scope="module")
def charts_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("charts")


def render(tmp_path: Path, cache: Path, data=None, *, name: str = "ar.docx",
           document: str = "arsredovisning", **kwargs):
    data = data or example_reportdata()
    texts = tmp_path / "projekt" / "texter" / data.period.id
    return render_report(document, data, tmp_path / name, texts_dir=texts, chart_cache=cache,
                         **kwargs)


def headings(path: Path) -> list[tuple[int, str]]:
    out = []
    for p in Document(str(path)).paragraphs:
        if p.style.name.startswith("Heading "):
            out.append((int(p.style.name.split()[1]), p.text))
    return out


all_text = docx_text


@pytest.fixture(scope="module")
def arsredovisning(tmp_path_factory: pytest.TempPathFactory, charts_cache: Path):
    tmp = tmp_path_factory.mktemp("ar")
    return render(tmp, charts_cache)


def test_arsredovisning_has_the_nine_r15_headings_in_order(arsredovisning) -> None:
    heads = headings(arsredovisning.path)
    level2 = [t for lvl, t in heads if lvl == 2]
    positions = [level2.index(h) for h in R15]
    assert positions == sorted(positions)
    first = [t for lvl, t in heads if lvl == 1]
    # the reading aids (issue 29) before the förvaltningsberättelse, the ordlista last
    assert first[:4] == ["Förord", "Året i korthet", "Måluppfyllelse i korthet",
                         "Politisk organisation"]
    assert first[4:9] == ["Förvaltningsberättelse", "Driftredovisning",
                          "Investeringsredovisning", "Finansiella rapporter",
                          "Nämndernas verksamhetsberättelser"]
    assert first[-1] == "Ordlista"


def test_headings_never_skip_a_level(arsredovisning) -> None:
    previous = 1
    for level, text in headings(arsredovisning.path):
        assert level <= previous + 1, text
        previous = level


def test_every_kf_goal_is_shown_with_its_bedomning(arsredovisning) -> None:
    data = example_reportdata()
    doc = Document(str(arsredovisning.path))
    paras = doc.paragraphs
    labels = {"uppfyllt": "● Uppfyllt", "delvis": "◐ Delvis uppfyllt",
              "ej_uppfyllt": "○ Ej uppfyllt"}
    for goal in data.kf_goals():
        at = next(i for i, p in enumerate(paras)
                  if p.text == goal.name and p.style.name == "Heading 4")
        status = paras[at + 1].text
        assert status == "Bedömning: " + labels[goal.status].replace(" ", "\u00a0", 1)


def test_status_symbol_carries_the_scale_colour_and_text(arsredovisning) -> None:
    xml = zipfile.ZipFile(arsredovisning.path).read("word/document.xml").decode()
    assert '<w:color w:val="2E7D32"/></w:rPr><w:t xml:space="preserve">●</w:t>' in xml
    assert "\u00a0Delvis uppfyllt" in xml


def test_balanskravsutredning_and_sick_leave_ratios(arsredovisning) -> None:
    doc = Document(str(arsredovisning.path))
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    bk = tables["Balanskravsutredning, mnkr"]
    assert [c.text for c in bk.rows[0].cells] == ["Balanskravsutredning, mnkr", "2024", "2025",
                                                  "2026"]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in bk.rows[1:]}
    assert rows["= Årets balanskravsresultat"] == ["8,6", "13,6", "20,2"]
    assert rows["− samtliga realisationsvinster"] == ["\u22121,2", "\u22120,4", "\u22122,1"]
    sick = tables["Sjukfrånvaro"]
    assert len(sick.rows) == 8
    ratios = {r.cells[0].text: r.cells[3].text for r in sick.rows[1:]}
    assert ratios["Total sjukfrånvaro i procent av ordinarie arbetstid"] == "7,1\u00a0%"
    assert ratios["Sjukfrånvaro för anställda 30–49 år"] == "6,9\u00a0%"


def test_every_table_header_repeats_and_language_is_swedish(arsredovisning) -> None:
    doc = Document(str(arsredovisning.path))
    assert doc.tables
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    assert lang.get(qn("w:eastAsia")) == "sv-SE"
    cp = doc.core_properties
    assert (cp.title, cp.author) == ("Årsredovisning 2026 – Exempelkommun", "Exempelkommun")
    assert cp.subject.startswith("Årsredovisning för Exempelkommun")


def test_every_picture_has_alt_text(arsredovisning) -> None:
    doc = Document(str(arsredovisning.path))
    pictures = doc.element.body.findall(".//" + WP + "docPr")
    assert len(pictures) >= 5
    for pr in pictures:
        assert pr.get("descr", "").strip(), pr.get("name")
        assert pr.get("title") is None


def test_cover_toc_and_title_style(arsredovisning) -> None:
    doc = Document(str(arsredovisning.path))
    styles = [p.style.name for p in doc.paragraphs[:8]]
    assert "Omslagsrubrik" in styles and "Title" not in styles
    assert any(p.text == "Utkast" and p.style.name == "Omslagsstatus" for p in doc.paragraphs)
    xml = zipfile.ZipFile(arsredovisning.path).read("word/document.xml").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml
    contents = next(p for p in doc.paragraphs if p.text == "Innehåll")
    assert not contents.style.name.startswith("Heading")


def test_decided_version_says_so_on_cover_and_header(tmp_path: Path, charts_cache: Path) -> None:
    data = example_reportdata()
    data.decision = "KF 2027-04-20 § 45"
    result = render(tmp_path, charts_cache, data)
    text = all_text(result.path)
    assert "Beslutad av KF 2027-04-20 § 45" in text
    with zipfile.ZipFile(result.path) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert any("Beslutad av KF 2027-04-20 § 45" in h for h in headers)


def test_missing_section_texts_are_marked_placeholders_and_varningar(arsredovisning) -> None:
    text = all_text(arsredovisning.path)
    assert ("[Text saknas: Den kommunala koncernen – skriv texten i "
            "texter/2026-helår/kommunala-koncernen.docx]") in text
    codes = [(p.code, p.values.get("section")) for p in arsredovisning.problems]
    assert ("section-text-missing", "Den kommunala koncernen") in codes
    assert ("section-text-missing", "Intern kontroll") in codes
    assert ("section-text-missing", "Intern kontroll (Socialnämnden)") in codes
    assert ("[Text saknas: Intern kontroll – skriv texten i "
            "texter/2026-helår/SN/intern-kontroll.docx]") in text
    assert ("unit-mission-missing", None) in codes  # Socialnämnden has no uppdrag
    assert ("unit-text-missing", "Verksamhetsuppföljning") in codes
    assert all(p.severity == "varning" for p in arsredovisning.problems)


def test_section_drafts_come_from_the_units_texts(arsredovisning) -> None:
    text = all_text(arsredovisning.path)
    assert "Förskolan Solrosen öppnade i augusti med 120 platser." in text


def test_kansli_edit_survives_a_rerender(tmp_path: Path, charts_cache: Path) -> None:
    first = render(tmp_path, charts_cache)
    texts = tmp_path / "projekt" / "texter" / "2026-helår"
    handelser = texts / "handelser.docx"
    assert handelser.exists()
    doc = Document(str(handelser))
    doc.add_paragraph("Kansliets egen text om stormen i januari.")
    doc.save(str(handelser))
    koncern = Document()
    koncern.add_paragraph("Koncernen består av kommunen och Exempelbostäder AB.")
    koncern.save(str(texts / "kommunala-koncernen.docx"))
    second = render(tmp_path, charts_cache, name="ar2.docx")
    text = all_text(second.path)
    assert "Kansliets egen text om stormen i januari." in text
    assert "Koncernen består av kommunen och Exempelbostäder AB." in text
    assert "[Text saknas: Den kommunala koncernen" not in text
    assert "Den kommunala koncernen" not in {p.values.get("section") for p in second.problems}
    # the edited file is never overwritten
    assert "stormen i januari" in all_text(handelser)
    assert first.path != second.path


def test_injected_text_is_rendered_literally_and_never_cuts_the_document(
        tmp_path: Path, charts_cache: Path) -> None:
    data = example_reportdata()
    goal = data.kf_goals()[0]
    goal.analysis = "Farligt: {{ 7*7 }} <w:p>x</w:p> & {% if 1 %}y{% endif %}\x01 a\ud800b slut"
    data.committees[0].texts["handelser"] = "Händelse & <b>fet</b>\x0b{{ x }}"
    result = render(tmp_path, charts_cache, data)
    text = all_text(result.path)
    assert "Farligt: {{ 7*7 }} <w:p>x</w:p> & {% if 1 %}y{% endif %} ab slut" in text
    assert "Händelse & <b>fet</b>{{ x }}" in text
    assert "49" not in text.split("Farligt:")[1][:20]
    doc = Document(str(result.path))
    assert doc.element.body.find(qn("w:sectPr")) is not None
    texts = [p.text for p in doc.paragraphs]
    end = texts.index("Ordlista")  # the ordlista (issue 29) comes after the nämnder
    assert texts[end - 1]  # the last nämnd's Framtid is still there
    assert "Framtid" in texts[end - 5:end]
    assert len(doc.tables[-1].rows) > 20  # and the whole ordlista after it


def test_clean_text_removes_control_characters_and_lone_surrogates() -> None:
    assert clean_text("a\x00b\x01c\x0bd\x0ce\x1ff\ufffeg\uffffh") == "abcdefgh"
    assert clean_text("x\ud800y") == "xy"
    assert clean_text("\ud83d\ude00") == "😀"
    assert clean_text("rad 1\r\nrad 2\tflik") == "rad 1\nrad 2\tflik"


def test_render_twice_gives_identical_bytes(tmp_path: Path, charts_cache: Path) -> None:
    a = render(tmp_path, charts_cache, name="a.docx")
    b = render(tmp_path, charts_cache, name="b.docx")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (a.path, b.path)]
    assert digest[0] == digest[1]


def test_restyled_template_changes_the_output_without_code(tmp_path: Path,
                                                           charts_cache: Path) -> None:
    own = tmp_path / "mallar"
    own.mkdir()
    doc = Document(str(find_template("arsredovisning")))
    style = doc.styles["Heading 1"]
    style.font.name = "Georgia"
    style.font.color.rgb = RGBColor(0x8B, 0x00, 0x45)
    doc.save(str(own / "arsredovisning.docx"))
    result = render(tmp_path, charts_cache, template_dir=own)
    heading = Document(str(result.path)).styles["Heading 1"]
    assert heading.font.name == "Georgia"
    assert heading.font.color.rgb == RGBColor(0x8B, 0x00, 0x45)
    builtin = render(tmp_path, charts_cache, name="builtin.docx")
    assert Document(str(builtin.path)).styles["Heading 1"].font.name != "Georgia"


def test_find_template_falls_back_to_the_builtin(tmp_path: Path) -> None:
    assert find_template("delarsrapport", tmp_path).name == "delarsrapport.docx"
    with pytest.raises(ReportkitError) as err:
        find_template("okand", tmp_path)
    assert err.value.problems[0].code == "template-missing"


def _template_with(tmp_path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "egen.docx"
    doc.save(str(path))
    return path


def test_unknown_variable_is_a_swedish_error_naming_template_and_variable(
        tmp_path: Path) -> None:
    template = _template_with(tmp_path, "Kommun: {{ kommun_namn }}",
                              "Ordförande har ordet: {{ ordforande }}")
    out = tmp_path / "ut.docx"
    with pytest.raises(ReportkitError) as err:
        render_document(template, {"kommun_namn": "Exempelkommun"}, out, core={})
    [p] = err.value.problems
    assert p.code == "template-unknown-variable"
    assert p.severity == "fel"
    assert 'Mallen egen.docx (i ' in p.message  # which folder's template (issue 28)
    assert 'använder variabeln "ordforande"' in p.message
    assert "Ordförande har ordet" in p.message
    assert not out.exists()


def test_syntax_error_quotes_the_nearby_paragraph(tmp_path: Path) -> None:
    template = _template_with(tmp_path, "Inledning", "{%p for g in mal %}",
                              "Målet {{ g.namn }}")
    problems = check_template(template, {"mal"})
    [p] = problems
    assert p.code == "template-syntax"
    assert "endfor" in p.message


def test_unknown_field_in_a_loop_is_a_swedish_error(tmp_path: Path) -> None:
    template = _template_with(tmp_path, "{%p for g in mal %}", "Målet {{ g.namm }}",
                              "{%p endfor %}")
    with pytest.raises(ReportkitError) as err:
        render_document(template, {"mal": [{"namn": "A"}]}, tmp_path / "ut.docx", core={})
    [p] = err.value.problems
    assert p.code == "template-unknown-field"
    assert '"namm"' in p.message


@pytest.mark.parametrize("document", ["delarsrapport", "verksamhetsplan"])
def test_every_builtin_template_fits_its_context(tmp_path: Path, charts_cache: Path,
                                                 document: str) -> None:
    period = {"delarsrapport": "delår", "verksamhetsplan": "plan"}[document]
    result = render(tmp_path, charts_cache, example_reportdata(period), document=document)
    assert result.path.exists()
    assert all(p.severity == "varning" for p in result.problems)


def test_delarsrapport_shows_prognos_bedomning_and_helarsprognos(tmp_path: Path,
                                                                  charts_cache: Path) -> None:
    result = render(tmp_path, charts_cache, example_reportdata("delår"), document="delarsrapport")
    doc = Document(str(result.path))
    text = all_text(result.path)
    assert "Bedöms\u00a0uppfyllas" not in text  # the NBSP sits between symbol and label only
    assert "\u00a0Bedöms uppfyllas" in text
    assert "\u00a0Bedöms inte uppfyllas" in text
    drift = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nämnd"
                 and "Prognos helår" in [c.text for c in t.rows[0].cells])
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in drift.rows[1:]}
    assert rows["Socialnämnden"][3] == "468\u00a0500"
    assert rows["Socialnämnden"][4] == "\u221213\u00a0200"
    h1 = [t for lvl, t in headings(result.path) if lvl == 1]
    assert h1[0] == "Förvaltningsberättelse i sammandrag"
    assert "Balanskravsutredning med prognos för helåret" in text


def test_nämnd_chapter_holds_only_its_own_goals(tmp_path: Path, charts_cache: Path) -> None:
    result = render(tmp_path, charts_cache, document="kapitel-namnd", committee="BUN")
    text = all_text(result.path)
    assert "Fler elever når kunskapskraven i alla ämnen" in text
    assert "Brukarna i särskilt boende är trygga och har inflytande" not in text
    assert "Kommunens service är lätt att nå och ger snabba svar" not in text
    assert headings(result.path)[0] == (1, "Barn- och utbildningsnämnden")


def test_core_properties_are_in_the_core_namespace_and_keywords_survive(arsredovisning
                                                                         ) -> None:
    """docxcompose rebinds python-docx's ``cp`` prefix; the keywords, category, last modified
    by and revision must still be core properties (Word and the PDF read them from there)."""
    import subprocess
    import sys

    from lxml import etree

    core_ns = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    path = arsredovisning.path
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("docProps/core.xml"))
    namespaces = {etree.QName(el).namespace for el in root}
    assert "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" \
        not in namespaces
    local = [etree.QName(el).localname for el in root]
    assert len(local) == len(set(local)), "a core property written twice"
    assert root.find(f"{{{core_ns}}}keywords") is not None
    # A fresh python-docx, with no docxcompose imported, reads the keywords back.
    code = ("import sys; from docx import Document; "
            "print(Document(sys.argv[1]).core_properties.keywords)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out.startswith("Årsredovisning")
