"""Build the default Word templates in templates/docx/ (run once; the output is committed).

    /work/venv/bin/python templates/make_templates.py

After that the .docx files belong to the kansli: they restyle them in Word (styles, header,
logo, cover) and reportkit never rewrites them. Everything visible is built on named styles so
a change to a style in Word changes every document:

- Heading 1–4 (no skipped levels; Heading 1 starts a new page), Caption, a table style
  "Rapporttabell" with paragraph styles "Tabelltext", "Tabelltext höger", "Tabellrubrik",
  "Tabellrubrik höger";
- the cover uses custom styles "Logotyp", "Omslagskommun", "Omslagsrubrik" (never the built-in
  Title style: its border prints untagged in PDF, TECH.md §6), "Omslagsunderrubrik",
  "Omslagsstatus";
- "Innehållsrubrik" (a non-heading style, so the TOC does not list itself) above a TOC field;
- "Text saknas" marks a placeholder for a text that nobody has written yet;
- language sv-SE in the styles' defaults; A4, 2,5 cm margins (16 cm text width = chart width);
- header with kommun, document and status; footer "Sida X av Y" (PAGE, NUMPAGES fields).

The variables and loops each template receives are listed in templates/docx/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "docx"
FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x38, 0x64)
DARK = RGBColor(0x26, 0x26, 0x26)
MUTED = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH_CM = 16.0


# ---------------------------------------------------------------------------------------------
# Styles


def _plain_fonts(style) -> None:
    """Drop theme font/colour references so a font or colour set in Word really applies."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    rpr.insert(0, fonts)


def _para_style(doc, name: str, *, base: str = "Normal", size: float | None = None,
                bold: bool | None = None, italic: bool | None = None,
                color: RGBColor | None = None, before: float | None = None,
                after: float | None = None, align=None, keep_next: bool | None = None,
                page_break: bool | None = None, next_style: str | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    if style.base_style is None and name != "Normal":
        style.base_style = styles[base]
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
    pf = style.paragraph_format
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if align is not None:
        pf.alignment = align
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if page_break is not None:
        pf.page_break_before = page_break
    if next_style is not None:
        style.next_paragraph_style = styles[next_style]
    return style


TABLE_STYLE_XML = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="Rapporttabell">
  <w:name w:val="Rapporttabell"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="8" w:space="0" w:color="1F3864"/>
      <w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F3864"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr>
      <w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F3864"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="DCE3EF"/>
    </w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def _styles(doc) -> None:
    styles = doc.styles
    # language and fonts for everything (TECH.md §5: PDF /Lang comes only from here)
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")) + rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    rpr.insert(0, fonts)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)

    normal = _para_style(doc, "Normal", size=10.5, color=DARK, after=6)
    _plain_fonts(normal)
    normal.paragraph_format.line_spacing = 1.15
    heads = [(1, 18, ACCENT, 0, 12, True), (2, 14, ACCENT, 18, 6, False),
             (3, 12, ACCENT, 14, 4, False), (4, 10.5, DARK, 12, 3, False)]
    for level, size, color, before, after, new_page in heads:
        st = _para_style(doc, f"Heading {level}", size=size, bold=True, color=color,
                         before=before, after=after, keep_next=True, page_break=new_page,
                         next_style="Normal")
        _plain_fonts(st)
        st.font.italic = False
    _para_style(doc, "Caption", size=9, italic=True, bold=False, color=MUTED, before=3,
                after=12)
    _plain_fonts(styles["Caption"])
    _para_style(doc, "Tabellrubrik före", base="Caption", keep_next=True, before=6, after=4)
    _para_style(doc, "Figur", keep_next=True, before=6, after=2, align=WD_ALIGN_PARAGRAPH.LEFT)

    _para_style(doc, "Logotyp", after=0, before=0, size=10)
    _para_style(doc, "Omslagskommun", size=16, bold=True, color=ACCENT, before=150, after=6)
    _para_style(doc, "Omslagsrubrik", size=32, bold=True, color=ACCENT, before=0, after=8,
                keep_next=True)
    _para_style(doc, "Omslagsunderrubrik", size=16, color=DARK, after=30)
    _para_style(doc, "Omslagsstatus", size=12, bold=True, color=MUTED, after=6)
    _para_style(doc, "Innehållsrubrik", size=18, bold=True, color=ACCENT, after=12)
    for level in (1, 2, 3):
        st = _para_style(doc, f"toc {level}", after=2 if level > 1 else 4,
                         before=6 if level == 1 else 0, bold=level == 1)
        st.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        st.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT,
                                                   WD_TAB_LEADER.DOTS)
    _para_style(doc, "Ingress", size=12, italic=True, color=DARK, after=12)
    _para_style(doc, "Bedömning", keep_next=True, after=4)
    symbol = styles.add_style("Statussymbol", WD_STYLE_TYPE.CHARACTER)
    symbol.font.name = "Segoe UI Symbol"
    symbol.font.size = Pt(11)
    symbol.quick_style = True
    _para_style(doc, "Text saknas", italic=True, bold=True, color=RGBColor(0xA1, 0x1D, 0x1D),
                before=4, after=8)
    _para_style(doc, "Tabelltext", size=9, after=0, before=0)
    _para_style(doc, "Tabelltext höger", base="Tabelltext", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para_style(doc, "Tabellrubrik", base="Tabelltext", bold=True, color=ACCENT)
    _para_style(doc, "Tabellrubrik höger", base="Tabellrubrik", align=WD_ALIGN_PARAGRAPH.RIGHT)
    for st in (styles["Tabelltext"],):
        st.paragraph_format.line_spacing = 1.0
        st.paragraph_format.keep_together = True
    for name in ("Header", "Footer"):
        st = _para_style(doc, name, size=8.5, color=MUTED, after=0)
        st.paragraph_format.tab_stops.clear_all()
        st.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    # the Title style stays unused (TECH.md §6); hide it from the quick gallery
    styles["Title"].quick_style = False
    styles.element.append(parse_xml(TABLE_STYLE_XML))


# ---------------------------------------------------------------------------------------------
# Building blocks


def _field(paragraph, instr: str, placeholder: str) -> None:
    def fld(kind: str) -> None:
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin" and instr.strip().startswith("TOC"):
            el.set(qn("w:dirty"), "true")
        run._r.append(el)

    fld("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instr
    run._r.append(text)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _page_setup(doc, header_text: str) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.2)
    sec.header_distance, sec.footer_distance = Cm(1.2), Cm(1.0)
    sec.different_first_page_header_footer = True
    header = sec.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run(header_text)
    header.add_run("\t{{ status_rad }}")
    footer = sec.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("\tSida ")
    _field(footer, " PAGE ", "1")
    footer.add_run(" av ")
    _field(footer, " NUMPAGES ", "1")
    # the cover page has empty first-page header and footer
    sec.first_page_header.paragraphs[0].text = ""
    sec.first_page_footer.paragraphs[0].text = ""


def new_document(header: str = "{{ kommun_namn }} · {{ dokument_titel }}"):
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _styles(doc)
    _page_setup(doc, header)
    return doc


def cover(doc, *, subtitle: str = "{{ period_namn }}") -> None:
    doc.add_paragraph("", style="Logotyp")
    doc.add_paragraph("{{ kommun_namn }}", style="Omslagskommun")
    doc.add_paragraph("{{ dokument_titel }}", style="Omslagsrubrik")
    doc.add_paragraph(subtitle, style="Omslagsunderrubrik")
    doc.add_paragraph("{{ status_rad }}", style="Omslagsstatus")
    doc.add_paragraph("", style="Normal").add_run().add_break(WD_BREAK.PAGE)


def contents(doc) -> None:
    """"Innehåll" (not a heading style) and a TOC of chapters and sections (Heading 1–2)."""
    doc.add_paragraph("Innehåll", style="Innehållsrubrik")
    para = doc.add_paragraph(style="Normal")
    _field(para, ' TOC \\o "1-2" \\h \\z \\u ',
           "Innehållsförteckningen visas när fälten uppdateras "
           "(högerklicka här och välj Uppdatera fält).")


def h(doc, text: str, level: int) -> None:
    doc.add_paragraph(text, style=f"Heading {level}")


def p(doc, text: str, style: str = "Normal") -> None:
    doc.add_paragraph(text, style=style)


def status(doc, expr: str, label: str = "Bedömning: ") -> None:
    para = doc.add_paragraph(style="Bedömning")
    para.add_run(label).bold = True
    para.add_run("{{r %s }}" % expr)


def figure(doc, expr: str, caption_expr: str) -> None:
    """A chart (with its alt text from the context) and a caption below it, if present."""
    p(doc, "{%%p if %s %%}" % expr)
    p(doc, "{{ %s }}" % expr, "Figur")
    p(doc, "{{ %s }}" % caption_expr, "Caption")
    p(doc, "{%p endif %}")


def switch(doc, key: str) -> None:
    """Start a section the kommun may switch off per period type (avsnitt.yaml)."""
    p(doc, "{%%p if avsnitt.%s %%}" % key)


def end(doc) -> None:
    p(doc, "{%p endif %}")


def table(doc, caption: str | None, columns: list[tuple[str, float, bool]], loop: str,
          cells: list[str], total: list[str] | None = None, *,
          missing: str | None = None) -> None:
    """A table: header row (repeats on each page), ``{%tr for %}`` rows, optional total row.

    ``columns`` = (header text, width in cm, numeric). ``cells`` are the Jinja expressions of
    one row; ``total`` the expressions of a bold sum row after the loop. ``missing`` names the
    ``uppgifter_saknas`` entry shown instead of the table when it has no rows.
    """
    if missing:
        p(doc, "{%%p if %s %%}" % loop.split(" in ", 1)[1])
    if caption:
        p(doc, caption, "Tabellrubrik före")
    n = len(columns)
    rows = 4 + (1 if total else 0)
    tbl = doc.add_table(rows=rows, cols=n)
    tbl.style = doc.styles["Rapporttabell"]
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl.autofit = False
    tbl_pr = tbl._tbl.tblPr  # autofit = False above gave it <w:tblLayout w:type="fixed"/>
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(c[1] for c in columns) / 2.54 * 1440)))
    for i, (_head, w, _num) in enumerate(columns):
        tbl.columns[i].width = Cm(w)
        for row in tbl.rows:
            row.cells[i].width = Cm(w)

    def put(row: int, col: int, text: str, style: str, bold: bool = False) -> None:
        cell = tbl.rows[row].cells[col]
        para = cell.paragraphs[0]
        para.style = doc.styles[style]
        run = para.add_run(text)
        if bold:
            run.bold = True

    for i, (head, _w, num) in enumerate(columns):
        put(0, i, head, "Tabellrubrik höger" if num else "Tabellrubrik")
    put(1, 0, "{%%tr for %s %%}" % loop, "Tabelltext")
    for i, (expr, (_h, _w, num)) in enumerate(zip(cells, columns, strict=True)):
        put(2, i, expr, "Tabelltext höger" if num else "Tabelltext")
    put(3, 0, "{%tr endfor %}", "Tabelltext")
    if total:
        for i, (expr, (_h, _w, num)) in enumerate(zip(total, columns, strict=True)):
            put(4, i, expr, "Tabelltext höger" if num else "Tabelltext", bold=True)
    tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    # a row never splits over two pages
    for row in tbl.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.add_paragraph("", style="Normal")
    if missing:
        p(doc, "{%p else %}")
        if caption:
            p(doc, caption, "Tabellrubrik före")
        p(doc, "{{ uppgifter_saknas.%s }}" % missing, "Text saknas")
        p(doc, "{%p endif %}")


def section_text(doc, name: str) -> None:
    """The kansli's section text file (or a marked placeholder), inserted whole."""
    p(doc, "{{p %s }}" % name)


def years_header(var: str, n: int, width: float) -> list[tuple[str, float, bool]]:
    return [("{{ %s[%d] }}" % (var, i), width, True) for i in range(n)]


def goal_block(doc, var: str, level: int, *, with_chart: bool = True,
               forecast_note: bool = False) -> None:
    """One goal: heading, bedömning (symbol + text + colour), motivering, indicators, analysis."""
    h(doc, "{{ %s.namn }}" % var, level)
    status(doc, "%s.bedomning" % var, "Prognos: " if forecast_note else "Bedömning: ")
    p(doc, "{%%p if %s.motivering %%}" % var)
    para = doc.add_paragraph(style="Normal")
    para.add_run("Motivering till bedömningen: ").italic = True
    para.add_run("{{ %s.motivering }}" % var)
    p(doc, "{%p endif %}")
    p(doc, "{%%p if %s.indikatorer %%}" % var)
    table(doc, None,
          [("Indikator", 5.6, False), ("Målvärde", 2.0, True), ("Utfall", 2.0, True),
           ("Prognos helår" if forecast_note else "Föregående år", 2.2, True),
           ("Bedömning", 4.2, False)],
          "i in %s.indikatorer" % var,
          ["{{ i.namn }}", "{{ i.malvarde }}", "{{ i.utfall }}",
           "{{ i.prognos }}" if forecast_note else "{{ i.foregaende }}", "{{r i.bedomning }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%%p if %s.analys %%}" % var)
    p(doc, "{{ %s.analys }}" % var)
    p(doc, "{%p endif %}")
    if with_chart:
        figure(doc, "%s.diagram" % var, "%s.diagram_text" % var)


def goal_summary(doc, caption: str, forecast: bool) -> None:
    """Every KF goal with its bedömning, then the count per status (verksamhet / finansiella).

    Words of the goal chain are the styrmodell's (``malnamn``, ``omradesnamn``); the KF goals'
    two kinds are ``maltyper`` (never a level's name)."""
    para = doc.add_paragraph(style="Normal")
    para.add_run("Bedömningen är en prognos för helåret. " if forecast else "")
    para.add_run("Så visas bedömningarna: ")
    para.add_run("{{r skala_forklaring }}")
    table(doc, caption,
          [("Mål", 8.6, False), ("{{ omradesnamn.grundform }}", 3.0, False),
           ("Prognos helår" if forecast else "Bedömning", 4.4, False)],
          "g in kf_mal", ["{{ g.namn }}", "{{ g.omrade }}", "{{r g.bedomning }}"])
    table(doc, "Antal {{ malnamn.kommun.plural }} per bedömning",
          [("Bedömning", 6.4, False), ("{{ maltyper.verksamhet }}", 3.2, True),
           ("{{ maltyper.finansiella }}", 3.2, True), ("Totalt", 3.2, True)],
          "r in maluppfyllelse_tabell",
          ["{{r r.bedomning }}", "{{ r.verksamhet }}", "{{ r.finansiella }}", "{{ r.totalt }}"],
          ["Summa", "{{ maluppfyllelse_summa.verksamhet }}",
           "{{ maluppfyllelse_summa.finansiella }}", "{{ maluppfyllelse_summa.totalt }}"])


# ---------------------------------------------------------------------------------------------
# Shared chapters


def _drift_columns(first: str, forecast: bool, previous: bool) -> tuple[list, list[str]]:
    """Columns and row cells of a drift table: delår with helårsprognos; helår with or without
    the previous year's utfall (a column of dashes says nothing)."""
    if forecast:
        return ([(first, 5.2, False), ("Budget helår", 2.7, True), ("Utfall perioden", 2.7, True),
                 ("Prognos helår", 2.7, True), ("Prognos\u00adavvikelse", 2.7, True)],
                ["budget", "utfall", "prognos", "avvikelse"])
    if previous:
        return ([(first, 5.2, False), ("Utfall föregående år", 2.7, True),
                 ("Budget", 2.7, True), ("Utfall", 2.7, True), ("Avvikelse", 2.7, True)],
                ["utfall_fg", "budget", "utfall", "avvikelse"])
    return ([(first, 7.9, False), ("Budget", 2.7, True), ("Utfall", 2.7, True),
             ("Avvikelse", 2.7, True)], ["budget", "utfall", "avvikelse"])


def _drift(doc, caption: str, first: str, rows: str, total: str, forecast: bool,
           previous: bool, missing: str | None) -> None:
    columns, keys = _drift_columns(first, forecast, previous)
    table(doc, caption, columns, "r in %s" % rows,
          ["{{ r.namnd }}"] + ["{{ r.%s }}" % k for k in keys],
          ["{{ %s.namnd }}" % total] + ["{{ %s.%s }}" % (total, k) for k in keys],
          missing=missing)


def drift_table(doc, forecast: bool) -> None:
    if forecast:
        _drift(doc, "Driftredovisning per nämnd, tkr", "Nämnd", "drift", "drift_summa", True,
               False, "drift")
    else:
        p(doc, "{%p if drift_med_fg %}")
        _drift(doc, "Driftredovisning per nämnd, tkr", "Nämnd", "drift", "drift_summa", False,
               True, "drift")
        p(doc, "{%p else %}")
        _drift(doc, "Driftredovisning per nämnd, tkr", "Nämnd", "drift", "drift_summa", False,
               False, "drift")
        p(doc, "{%p endif %}")
    p(doc, "{%p if drift %}")
    p(doc, "{{ drift_not }}", "Caption")
    p(doc, "{%p endif %}")
    figure(doc, "diagram_drift", "diagram_drift_text")


def investment_table(doc, forecast: bool) -> None:
    """Investeringar per project (RKR R14): helår with beslutad and beräknad totalutgift for
    projects over several years; delår with the helårsprognos and its avvikelse."""
    total = "investeringar_summa"
    if forecast:
        table(doc, "Investeringar per projekt, tkr",
              [("Projekt", 3.4, False), ("Nämnd", 1.2, False), ("Budget helår", 1.8, True),
               ("Utfall perioden", 1.8, True), ("Prognos helår", 1.8, True),
               ("Prognos\u00adavvikelse", 2.0, True), ("Beslutad totalutgift", 2.0, True),
               ("Beräknad totalutgift", 2.0, True)],
              "r in investeringar",
              ["{{ r.projekt }}", "{{ r.namnd_kort }}", "{{ r.budget }}", "{{ r.utfall }}",
               "{{ r.prognos }}", "{{ r.avvikelse }}", "{{ r.total_beslutad }}",
               "{{ r.total_beraknad }}"],
              ["Summa", "–"] + ["{{ %s.%s }}" % (total, k) for k in
                               ("budget", "utfall", "prognos", "avvikelse", "total_beslutad",
                                "total_beraknad")],
              missing="investeringar")
        p(doc, "{%p if investeringar %}")
        p(doc, "Prognosavvikelse = budget − prognos. Beslutad och beräknad totalutgift gäller "
          "projekt som pågår flera år. {{ investeringar_forkortningar }}", "Caption")
        p(doc, "{%p endif %}")
    else:
        table(doc, "Investeringar per projekt, tkr",
              [("Projekt", 4.0, False), ("Nämnd", 1.4, False), ("Budget", 2.0, True),
               ("Utfall", 2.0, True), ("Avvikelse", 2.0, True),
               ("Beslutad totalutgift", 2.3, True), ("Beräknad totalutgift", 2.3, True)],
              "r in investeringar",
              ["{{ r.projekt }}", "{{ r.namnd_kort }}", "{{ r.budget }}", "{{ r.utfall }}",
               "{{ r.avvikelse }}", "{{ r.total_beslutad }}", "{{ r.total_beraknad }}"],
              ["Summa", "–"] + ["{{ %s.%s }}" % (total, k) for k in
                               ("budget", "utfall", "avvikelse", "total_beslutad",
                                "total_beraknad")],
              missing="investeringar")
        p(doc, "{%p if investeringar %}")
        p(doc, "Avvikelse = budget − utfall. Beslutad och beräknad totalutgift gäller projekt "
          "som pågår flera år. {{ investeringar_forkortningar }}", "Caption")
        p(doc, "{%p endif %}")
    figure(doc, "diagram_investeringar", "diagram_investeringar_text")


def sick_leave_table(doc) -> None:
    p(doc, "{%p if sjukfranvaro_rader %}")
    table(doc, "Sjukfrånvaro i procent av ordinarie arbetstid",
          [("Sjukfrånvaro", 8.8, False)] + years_header("sjukfranvaro_ar", 3, 2.4),
          "r in sjukfranvaro",
          ["{{ r.matt }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"])
    p(doc, "{{ sjukfranvaro_not }}", "Caption")
    figure(doc, "diagram_sjukfranvaro", "diagram_sjukfranvaro_text")
    p(doc, "{%p else %}")
    p(doc, "Sjukfrånvaro i procent av ordinarie arbetstid", "Tabellrubrik före")
    p(doc, "{{ uppgifter_saknas.sjukfranvaro_rader }}", "Text saknas")
    p(doc, "{%p endif %}")


def balanskrav_table(doc, caption: str) -> None:
    table(doc, caption,
          [("Balanskravsutredning, mnkr", 8.8, False)] + years_header("balanskrav_ar", 3, 2.4),
          "r in balanskrav",
          ["{{r r.post }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"], missing="balanskrav")


def unit_text(doc, var: str, key: str) -> None:
    """A nämnd's text; when it is missing, the placeholder in the style "Text saknas"."""
    p(doc, "{%%p if %s.saknas.%s %%}" % (var, key))
    p(doc, "{{ %s.%s }}" % (var, key), "Text saknas")
    p(doc, "{%p else %}")
    p(doc, "{{ %s.%s }}" % (var, key))
    p(doc, "{%p endif %}")


def unit_file_text(doc, var: str, key: str) -> None:
    """A nämnd's text that may live in its own file (texter/<period>/<nämnd>/…docx)."""
    p(doc, "{%%p if %s.fil.%s %%}" % (var, key))
    p(doc, "{{p %s.fil.%s }}" % (var, key))
    p(doc, "{%%p elif %s.saknas.%s %%}" % (var, key))
    p(doc, "{{ %s.%s }}" % (var, key), "Text saknas")
    p(doc, "{%p else %}")
    p(doc, "{{ %s.%s }}" % (var, key))
    p(doc, "{%p endif %}")


def no_own_goals(doc) -> None:
    """A chapter without goals, in its kind's words: "Nämnden …", "Bolaget …",
    "Kommunalförbundet har inga egna mål för perioden." (styrmodell/kinds.py)."""
    p(doc, "{{ namnd.typ_bestamd|capitalize }} har inga egna mål för perioden.")


def committee_groups(doc) -> None:
    """The committees' part of a whole document by kind (styrmodell/kinds.py): a Heading 1 per
    group ("Nämndernas och bolagens verksamhetsberättelser" only where both exist, a
    kommunalförbund's group of its own), then each one's chapter."""
    p(doc, "{%p for grp in namndgrupper %}")
    h(doc, "{{ grp.rubrik }}", 1)
    p(doc, "{%p for n in grp.namnder %}")
    p(doc, "{{p n.kapitel }}")
    p(doc, "{%p endfor %}")
    p(doc, "{%p endfor %}")


def chapter_header(doc) -> None:
    p(doc, "{%p if fristaende %}")
    cover(doc, subtitle="{{ namnd.namn }} – {{ period_namn }}")
    p(doc, "{%p endif %}")
    h(doc, "{{ namnd.namn }}", 1)


def _committee_drift(doc) -> None:
    """The nämnd's drift per verksamhet with the nämnd's total."""
    p(doc, "{%p if prognos %}")
    _drift(doc, "Driftredovisning, tkr", "Verksamhet", "namnd.drift", "namnd.drift_summa",
           True, False, None)
    p(doc, "{%p elif namnd.drift_med_fg %}")
    _drift(doc, "Driftredovisning, tkr", "Verksamhet", "namnd.drift", "namnd.drift_summa",
           False, True, None)
    p(doc, "{%p else %}")
    _drift(doc, "Driftredovisning, tkr", "Verksamhet", "namnd.drift", "namnd.drift_summa",
           False, False, None)
    p(doc, "{%p endif %}")
    p(doc, "{{ namnd.drift_not }}", "Caption")


def rr_budget_table(doc, forecast: bool) -> None:
    """The resultaträkning with budget and avvikelse (helår) or prognos (delår), mnkr."""
    p(doc, "{%p if rr_budget %}")
    h(doc, "Helårsprognos jämförd med budget" if forecast else
      "Resultaträkning jämförd med budget", 2)
    table(doc, "Resultaträkning med budget, mnkr",
          [("Mnkr", 6.4, False)] + years_header("rr_budget_ar", 4, 2.4), "r in rr_budget",
          ["{{r r.post }}"] + ["{{ r.v[%d] }}" % i for i in range(4)])
    p(doc, "Avvikelse = " + ("prognos" if forecast else "utfall") + " − budget; ett positivt "
      "tal är bättre än budget. Posterna är ekonomiavdelningens nyckeltal; summaraderna är "
      "räknade ur dem.", "Caption")
    p(doc, "{%p endif %}")


def solvency_part(doc) -> None:
    """The analysis of ekonomisk ställning: soliditet with and without the pensions earned
    before 1998 (RKR R15), referring to the ansvarsförbindelse note."""
    p(doc, "{%p if soliditet_analys %}")
    h(doc, "Soliditet och pensionsförpliktelser", 3)
    p(doc, "{{ soliditet_text }}")
    table(doc, "Soliditet med och utan pensionsförpliktelserna före 1998",
          [("", 9.6, False)] + years_header("soliditet_ar", 2, 2.4), "r in soliditet_analys",
          ["{{r r.post }}", "{{ r.v[0] }}", "{{ r.v[1] }}"])
    p(doc, "{%p endif %}")


def disclosure_notes(doc) -> None:
    """Ansvarsförbindelser (the list under the balansräkning, with note numbers), the
    numbered notes and the note on a changed principle."""
    p(doc, "{%p if ansvarsforbindelser %}")
    h(doc, "Ansvarsförbindelser", 2)
    table(doc, "Ansvarsförbindelser, mnkr",
          [("Mnkr", 8.4, False), ("Not", 1.2, False)] + years_header("soliditet_ar", 2, 2.4),
          "r in ansvarsforbindelser", ["{{r r.post }}", "{{ r.not }}", "{{ r.v[0] }}",
                                       "{{ r.v[1] }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if noter or princip_andring %}")
    h(doc, "Noter till ansvarsförbindelser och upplysningar", 2)
    p(doc, "{%p endif %}")
    p(doc, "{%p for n in noter %}")
    h(doc, "Not {{ n.nr }} {{ n.rubrik }}", 3)
    p(doc, "{%p if n.text %}")
    p(doc, "{{ n.text }}")
    p(doc, "{%p endif %}")
    table(doc, None, [("Mnkr", 9.6, False)] + years_header("soliditet_ar", 2, 2.4),
          "r in n.rader", ["{{r r.post }}", "{{ r.v[0] }}", "{{ r.v[1] }}"])
    p(doc, "{%p endfor %}")
    p(doc, "{%p if princip_andring %}")
    h(doc, "Not {{ princip_andring.nr }} Ändrad redovisningsprincip eller rättelse av fel", 3)
    p(doc, "Effekten på eget kapital, som redovisas direkt mot eget kapital, är "
      "{{ princip_andring.belopp }} mnkr.")
    section_text(doc, "text_andrad_redovisningsprincip")
    p(doc, "{%p endif %}")


def reconciliation_tables(doc) -> None:
    """Figures that legitimately differ, item by item (docs/avstamningar.md)."""
    p(doc, "{%p if avstamningar %}")
    h(doc, "Avstämningar", 2)
    p(doc, "Några belopp skiljer sig med rätta mellan delarna av redovisningen. Tabellerna "
      "visar skillnaderna post för post med exportraden varje belopp kommer från.")
    p(doc, "{%p for a in avstamningar %}")
    table(doc, "{{ a.rubrik }}, mnkr",
          [("Post", 8.4, False), ("Källa", 5.2, False), ("Mnkr", 2.4, True)], "r in a.rader",
          ["{{r r.post }}", "{{ r.kalla }}", "{{ r.belopp }}"])
    p(doc, "{%p endfor %}")
    p(doc, "{%p endif %}")


def accounts_part(doc, forecast: bool) -> None:
    """After the financial statements: RR with budget or prognos, ansvarsförbindelser and
    notes (årsredovisning), redovisningsprinciper and the reconciliations."""
    rr_budget_table(doc, forecast)
    if not forecast:
        disclosure_notes(doc)
    h(doc, "Redovisningsprinciper", 2)
    section_text(doc, "text_redovisningsprinciper")
    reconciliation_tables(doc)


def plan_budget_part(doc) -> None:
    """The verksamhetsplan's skattesats, resultat-, balans- and finansieringsbudget (KL 11
    kap.) and the koncernföretagens ekonomi."""
    p(doc, "{%p if skattesatser %}")
    h(doc, "Skattesats", 2)
    p(doc, "{{ skattesats_text }}")
    table(doc, "Kommunal skattesats, kronor per 100 kronor beskattningsbar inkomst",
          [("År", 3.0, False), ("Skattesats", 3.0, True), ("Beslut", 6.0, False)],
          "r in skattesatser", ["{{ r.ar }}", "{{ r.sats }}", "{{ r.typ }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p for b in plan_budgetar %}")
    h(doc, "{{ b.rubrik }}", 2)
    table(doc, "{{ b.rubrik }}, mnkr",
          [("Mnkr", 8.8, False)] + years_header("b.ar", 3, 2.4), "r in b.rader",
          ["{{r r.post }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"])
    p(doc, "{%p endfor %}")
    h(doc, "Koncernföretagens ekonomi", 2)
    section_text(doc, "text_koncernforetagens_ekonomi")


# ---------------------------------------------------------------------------------------------
# Reading aids (issue 29): each a section of its own that the kansli can switch off in
# avsnitt.yaml (documents/reading_aids.py makes their values)


def foreword(doc) -> None:
    """Förord: the kansli's (or kommunstyrelsens ordförande's) text."""
    switch(doc, "forord")
    h(doc, "Förord", 1)
    section_text(doc, "text_forord")
    end(doc)


def year_in_brief(doc) -> None:
    """Året i korthet: Kommunen i siffror (this year beside last year) and Vart går 100
    kronor? (the nämnders' nettokostnader in kronor of a hundred, a chart and its basis)."""
    switch(doc, "aret_i_korthet")
    h(doc, "Året i korthet", 1)
    p(doc, "{%p if i_korthet %}")
    h(doc, "Kommunen i siffror", 2)
    table(doc, None, [("Nyckeltal", 9.6, False), ("{{ i_korthet_ar[0] }}", 3.2, True),
                      ("{{ i_korthet_ar[1] }}", 3.2, True)],
          "r in i_korthet", ["{{ r.post }}", "{{ r.v[0] }}", "{{ r.v[1] }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if hundra_kronor %}")
    h(doc, "Vart går 100 kronor?", 2)
    p(doc, "{{ hundra_kronor_not }}")
    figure(doc, "diagram_hundra_kronor", "diagram_hundra_kronor_text")
    p(doc, "{%p endif %}")
    end(doc)


def goals_in_brief(doc) -> None:
    """Måluppfyllelse i korthet, on a page of its own: per målområde how many goals have
    each bedömning, and the chart of the same."""
    switch(doc, "maluppfyllelse_i_korthet")
    h(doc, "Måluppfyllelse i korthet", 1)
    p(doc, "Så många av {{ malnamn.kommun.liten.bestamd_plural }} i varje "
      "{{ omradesnamn.liten.grundform }} har fått varje bedömning. Bedömningarna och deras "
      "motiveringar redovisas under God ekonomisk hushållning och ekonomisk ställning.")
    table(doc, None, [("{{ omradesnamn.grundform }}", 4.6, False),
                      ("Antal {{ malnamn.kommun.liten.plural }}", 2.6, True),
                      ("Bedömning", 8.8, False)],
          "r in maluppfyllelse_omraden",
          ["{{ r.omrade }}", "{{ r.antal }}", "{{r r.bedomningar }}"],
          ["Totalt", "{{ maluppfyllelse_summa.totalt }}", "{{r maluppfyllelse_totalt }}"])
    figure(doc, "diagram_maluppfyllelse", "diagram_maluppfyllelse_text")
    end(doc)


def politics(doc) -> None:
    """Politisk organisation: the mandatfördelning in kommunfullmäktige (styrmodell
    ``politik``; a marked placeholder without it) and the nämnder, bolag and förbund."""
    switch(doc, "politisk_organisation")
    h(doc, "Politisk organisation", 1)
    h(doc, "Mandatfördelning i kommunfullmäktige", 2)
    p(doc, "{%p if mandatfordelning %}")
    p(doc, "{%p if styre %}")
    p(doc, "{{ styre }}")
    p(doc, "{%p endif %}")
    table(doc, None, [("Parti", 8.6, False), ("Förkortning", 3.0, False),
                      ("Mandat", 2.4, True)],
          "r in mandatfordelning", ["{{ r.parti }}", "{{ r.forkortning }}", "{{ r.mandat }}"],
          ["Summa", "–", "{{ mandat_summa }}"])
    p(doc, "{%p else %}")
    p(doc, "{{ uppgifter_saknas.mandatfordelning }}", "Text saknas")
    p(doc, "{%p endif %}")
    p(doc, "{%p if organisation %}")
    h(doc, "Organisation", 2)
    table(doc, None, [("Namn", 8.6, False), ("Förkortning", 3.0, False), ("Typ", 4.4, False)],
          "r in organisation", ["{{ r.namn }}", "{{ r.forkortning }}", "{{ r.typ }}"])
    p(doc, "{%p endif %}")
    end(doc)


def glossary(doc) -> None:
    """Ordlista: words and short names the document uses (a default list, the kommun's own
    ``ordlista``, its goal words and its nämnders' and parties' short names)."""
    switch(doc, "ordlista")
    h(doc, "Ordlista", 1)
    p(doc, "Ord och förkortningar som används i dokumentet.")
    table(doc, None, [("Ord", 4.6, False), ("Förklaring", 11.4, False)],
          "r in ordlista", ["{{ r.ord }}", "{{ r.forklaring }}"])
    end(doc)


# ---------------------------------------------------------------------------------------------
# The documents


def arsredovisning() -> Document:
    import make_koncern  # the kommunal koncern's parts (templates/make_koncern.py)

    doc = new_document()
    cover(doc)
    contents(doc)
    foreword(doc)
    year_in_brief(doc)
    goals_in_brief(doc)
    politics(doc)

    h(doc, "Förvaltningsberättelse", 1)
    h(doc, "Översikt över verksamhetens utveckling", 2)
    section_text(doc, "text_oversikt")
    table(doc, "Flerårsöversikt",
          [("", 6.0, False)] + years_header("flerarsoversikt_ar", 5, 2.0),
          "r in flerarsoversikt",
          ["{{ r.post }}"] + ["{{ r.v[%d] }}" % i for i in range(5)], missing="flerarsoversikt")
    make_koncern.multi_year(doc)
    h(doc, "Den kommunala koncernen", 2)
    section_text(doc, "text_kommunala_koncernen")
    make_koncern.group(doc)
    h(doc, "Viktiga förhållanden för resultat och ekonomisk ställning", 2)
    section_text(doc, "text_viktiga_forhallanden")
    h(doc, "Händelser av väsentlig betydelse", 2)
    section_text(doc, "text_handelser")
    h(doc, "Styrning och uppföljning av den kommunala verksamheten", 2)
    section_text(doc, "text_styrning")
    h(doc, "Privata utförare", 3)
    section_text(doc, "text_privata_utforare")
    h(doc, "{{ ik.rubrik }}", 3)
    section_text(doc, "text_intern_kontroll")
    control_summary(doc)
    assignment_summary(doc, 3)
    h(doc, "God ekonomisk hushållning och ekonomisk ställning", 2)
    section_text(doc, "text_god_ekonomisk_hushallning")
    solvency_part(doc)
    make_koncern.economy_text(doc)
    goal_summary(doc, "Kommunfullmäktiges mål och deras bedömning", forecast=False)
    figure(doc, "diagram_maluppfyllelse", "diagram_maluppfyllelse_text")
    figure(doc, "diagram_namndmal", "diagram_namndmal_text")
    goals_by_area(doc, 3, compared_goal_block)
    h(doc, "Finansiella mål", 3)
    goal_loop(doc, "finansiella_mal", 4, compared_goal_block)
    h(doc, "Balanskravsresultat", 2)
    section_text(doc, "text_balanskrav")
    balanskrav_table(doc, "Balanskravsutredning")
    h(doc, "Väsentliga personalförhållanden", 2)
    section_text(doc, "text_personal")
    sick_leave_table(doc)
    h(doc, "Förväntad utveckling", 2)
    section_text(doc, "text_forvantad_utveckling")

    h(doc, "Driftredovisning", 1)
    section_text(doc, "text_driftredovisning")
    drift_table(doc, forecast=False)
    h(doc, "Investeringsredovisning", 1)
    section_text(doc, "text_investeringsredovisning")
    investment_table(doc, forecast=False)
    h(doc, "Finansiella rapporter", 1)
    section_text(doc, "finansiella_rapporter")
    accounts_part(doc, forecast=False)
    make_koncern.statements(doc, full=True)

    switch(doc, "namnder")
    committee_groups(doc)
    end(doc)
    glossary(doc)
    return doc


def delarsrapport() -> Document:
    """Delårsrapport (LKBR kap 13, RKR R17) and, with avsnitt.yaml, the tertialrapport."""
    import make_koncern  # the kommunal koncern's parts (templates/make_koncern.py)

    doc = new_document()
    cover(doc)
    contents(doc)
    h(doc, '{{ "Förvaltningsberättelse i sammandrag" if period_typ == "delår" '
           'else "Sammanfattning" }}', 1)
    switch(doc, "handelser")
    h(doc, "Händelser av väsentlig betydelse", 2)
    section_text(doc, "text_handelser")
    end(doc)
    switch(doc, "maluppfyllelse")
    h(doc, "Måluppfyllelse", 2)
    goal_summary(doc, "Prognos för måluppfyllelsen per {{ malnamn.kommun.grundform }}",
                 forecast=True)
    figure(doc, "diagram_maluppfyllelse", "diagram_maluppfyllelse_text")
    goals_by_area(doc, 3, _forecast_goal_block)
    end(doc)
    p(doc, "{%p if ik.finns %}")
    h(doc, "{{ ik.rubrik }}", 2)
    control_summary(doc)
    p(doc, "{%p endif %}")
    assignment_summary(doc, 2)
    switch(doc, "god_ekonomisk_hushallning")
    h(doc, "God ekonomisk hushållning", 2)
    p(doc, "Bedömning av om målen för god ekonomisk hushållning kommer att nås vid årets slut.",
      "Ingress")
    section_text(doc, "text_god_ekonomisk_hushallning")
    h(doc, "Finansiella mål", 3)
    goal_loop(doc, "finansiella_mal", 4, _forecast_goal_block)
    end(doc)
    switch(doc, "ekonomi")
    h(doc, "Ekonomiskt resultat och helårsprognos", 2)
    section_text(doc, "text_ekonomi")
    drift_table(doc, forecast=True)
    end(doc)
    switch(doc, "balanskrav")
    h(doc, "Prognos för balanskravsresultatet", 2)
    section_text(doc, "text_balanskrav")
    balanskrav_table(doc, "Balanskravsutredning med prognos för helåret")
    end(doc)
    switch(doc, "investeringar")
    h(doc, "Investeringar", 2)
    investment_table(doc, forecast=True)
    end(doc)
    switch(doc, "personal")
    h(doc, "Personal", 2)
    section_text(doc, "text_personal")
    sick_leave_table(doc)
    end(doc)
    switch(doc, "forvantad_utveckling")
    h(doc, "Förväntad utveckling", 2)
    section_text(doc, "text_forvantad_utveckling")
    end(doc)
    switch(doc, "finansiella_rapporter")
    h(doc, "Resultaträkning och balansräkning", 1)
    section_text(doc, "finansiella_rapporter")
    accounts_part(doc, forecast=True)
    make_koncern.statements(doc, full=False)
    end(doc)
    switch(doc, "namnder")
    committee_groups(doc)
    end(doc)
    glossary(doc)
    return doc


def goal_loop(doc, items: str, level: int, block) -> None:
    """A paragraph loop over the goals in ``items``, each drawn by ``block(doc, "g", level)``."""
    p(doc, f"{{%p for g in {items} %}}")
    block(doc, "g", level)
    p(doc, "{%p endfor %}")


def goals_by_area(doc, level: int, block) -> None:
    """Every målområde as a heading at ``level``, its goals one level below (``block``)."""
    p(doc, "{%p for a in malomraden %}")
    h(doc, "{{ omradesnamn.grundform }} {{ a.namn }}", level)
    goal_loop(doc, "a.mal", level + 1, block)
    p(doc, "{%p endfor %}")


def comparison_block(doc, var: str) -> None:
    """The goal's indicators with a Kolada id beside the comparison group (issue 31): a table,
    the source note (raw values "Källa: Kolada", the median our own calculation) and the
    trend chart beside the group's median."""
    p(doc, "{%%p if %s.jamforelse %%}" % var)
    table(doc, "Jämförelse med andra kommuner",
          [("Indikator", 4.0, False), ("År", 1.1, True), ("Kommunen", 2.4, True),
           ("Lägst", 1.6, True), ("Median", 1.6, True), ("Högst", 1.6, True),
           ("Riket", 1.6, True), ("Plats", 1.5, True)],
          "k in %s.jamforelse" % var,
          ["{{ k.namn }}", "{{ k.ar }}", "{{ k.kommunen }}", "{{ k.lagst }}", "{{ k.median }}",
           "{{ k.hogst }}", "{{ k.riket }}", "{{ k.placering }}"])
    p(doc, "{{ %s.jamforelse_kalla }}" % var, "Caption")
    figure(doc, "%s.jamforelse_diagram" % var, "%s.jamforelse_diagram_text" % var)
    p(doc, "{%p endif %}")


def compared_goal_block(doc, var: str, level: int) -> None:
    """The årsredovisning's goal block: the goal, then its Kolada comparison."""
    goal_block(doc, var, level)
    comparison_block(doc, var)


def _forecast_goal_block(doc, var: str, level: int) -> None:
    """The delårsrapport's goal block: the prognos note, no chart."""
    goal_block(doc, var, level, with_chart=False, forecast_note=True)


def plan_goal_block(doc, var: str, level: int) -> None:
    h(doc, "{{ %s.namn }}" % var, level)
    p(doc, "{%%p if %s.indikatorer %%}" % var)
    table(doc, None,
          [("Indikator", 7.4, False), ("Utgångsvärde", 2.6, True), ("Målvärde", 2.4, True),
           ("Källa", 3.6, False)],
          "i in %s.indikatorer" % var,
          ["{{ i.namn }}", "{{ i.foregaende }}", "{{ i.malvarde }}", "{{ i.kalla }}"])
    p(doc, "{%p endif %}")
    plan_trend(doc, var)


def plan_trend(doc, var: str) -> None:
    """The goal's indicator trend toward the plan's målvärden (issue 29), if it has one."""
    figure(doc, "%s.diagram" % var, "%s.diagram_text" % var)


def verksamhetsplan() -> Document:
    doc = new_document()
    cover(doc)
    contents(doc)
    switch(doc, "inledning")
    h(doc, "Inledning", 1)
    h(doc, "Vision", 2)
    p(doc, "{{ kommun_vision }}", "Ingress")
    section_text(doc, "text_inledning")
    end(doc)
    switch(doc, "mal")
    h(doc, "Mål för mandatperioden", 1)
    p(doc, "Kommunfullmäktiges mål per {{ omradesnamn.liten.grundform }}, med indikatorer och "
      "målvärden för {{ malvarden_ar }}.")
    goals_by_area(doc, 2, plan_goal_block)
    h(doc, "Finansiella mål", 2)
    goal_loop(doc, "finansiella_mal", 3, plan_goal_block)
    end(doc)
    switch(doc, "ekonomi")
    h(doc, "Ekonomi", 1)
    h(doc, "Ekonomiska förutsättningar", 2)
    section_text(doc, "text_ekonomiska_forutsattningar")
    plan_budget_part(doc)
    end(doc)
    switch(doc, "ramar")
    h(doc, "Ramar per nämnd", 2)
    table(doc, "Kommunfullmäktiges ramar per nämnd, tkr",
          [("Nämnd", 8.8, False)] + years_header("plan_ar", 3, 2.4),
          "r in ramar", ["{{ r.namn }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"],
          ["Summa", "{{ ramar_summa[0] }}", "{{ ramar_summa[1] }}", "{{ ramar_summa[2] }}"],
          missing="ramar")
    figure(doc, "diagram_ramar", "diagram_ramar_text")
    end(doc)
    switch(doc, "investeringsplan")
    h(doc, "Investeringsplan", 2)
    table(doc, "Investeringsplan, tkr",
          [("Projekt", 6.4, False), ("Nämnd", 2.4, False)] + years_header("plan_ar", 3, 2.4),
          "r in investeringsplan",
          ["{{ r.namn }}", "{{ r.namnd_kort }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"],
          ["Summa", "–", "{{ investeringsplan_summa[0] }}", "{{ investeringsplan_summa[1] }}",
           "{{ investeringsplan_summa[2] }}"], missing="investeringsplan")
    p(doc, "{%p if investeringsplan_forkortningar %}")
    p(doc, "{{ investeringsplan_forkortningar }}", "Caption")
    p(doc, "{%p endif %}")
    figure(doc, "diagram_investeringsplan", "diagram_investeringsplan_text")
    end(doc)
    control_plan(doc, 1)
    switch(doc, "namnder")
    committee_groups(doc)
    end(doc)
    glossary(doc)
    return doc


def kapitel_namnd() -> Document:
    """One nämnd's verksamhetsberättelse or delårsredovisning: on its own (the nämnd decides
    it first) and, without the cover, as its chapter in the kommun's document. The headings
    are the ones real kommuner use (DOMAIN.md)."""
    doc = new_document(header="{{ namnd.namn }} · {{ dokument_titel }}")
    chapter_header(doc)
    var = "namnd"
    h(doc, "Uppdrag", 2)
    unit_text(doc, var, "uppdrag")
    h(doc, "Händelser av väsentlig betydelse", 2)
    unit_text(doc, var, "handelser")
    h(doc, "Verksamhetsuppföljning", 2)
    unit_text(doc, var, "verksamhetsuppfoljning")
    p(doc, '{%p if namnd.typ != "bolag" %}')
    h(doc, "Privata utförare", 3)
    unit_file_text(doc, var, "privata_utforare")
    p(doc, "{%p endif %}")
    h(doc, "{{ ik.rubrik }}", 3)
    unit_file_text(doc, var, "intern_kontroll")
    control_chapter(doc)
    h(doc, "Måluppföljning", 2)
    p(doc, "{%p if prognos %}")
    p(doc, "Bedömningen av {{ malnamn.namnd.artikel }} {{ malnamn.namnd.liten.grundform }} är "
      "en prognos för helåret.")
    p(doc, "{%p endif %}")
    p(doc, "{%p for k in namnd.kf_grupper %}")
    h(doc, "{{ k.namn }}", 3)
    status(doc, "k.bedomning", "{{ malnamn.kommun.genitiv }} bedömning: ")
    table(doc, None,
          [("{{ malnamn.namnd.grundform }}", 5.0, False), ("Bedömning", 4.3, False), ("Kommentar", 6.7, False)],
          "m in k.mal",
          ["{{ m.namn }}", "{{r m.bedomning }}", "{{ m.kommentar }}"])
    p(doc, "{%p endfor %}")
    p(doc, "{%p if not namnd.kf_grupper %}")
    no_own_goals(doc)
    p(doc, "{%p endif %}")
    h(doc, "Ekonomi", 2)
    unit_text(doc, var, "ekonomi")
    # a bolag's own key figures (bolag.csv), the last three years
    p(doc, "{%p if namnd.bolag_nyckeltal %}")
    table(doc, "Nyckeltal för {{ namnd.namn }}",
          [("Nyckeltal", 7.0, False), ("{{ namnd.bolag_ar[0] }}", 3.0, True),
           ("{{ namnd.bolag_ar[1] }}", 3.0, True), ("{{ namnd.bolag_ar[2] }}", 3.0, True)],
          "r in namnd.bolag_nyckeltal",
          ["{{ r.namn }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if namnd.ekonomi_atgarder %}")
    para = doc.add_paragraph(style="Normal")
    para.add_run("Åtgärder: ").bold = True
    para.add_run("{{ namnd.ekonomi_atgarder }}")
    p(doc, "{%p endif %}")
    p(doc, "{%p if namnd.har_drift %}")
    _committee_drift(doc)
    p(doc, "{%p endif %}")
    p(doc, "{%p if namnd.investeringar and prognos %}")
    table(doc, "Investeringar, tkr",
          [("Projekt", 5.6, False), ("Budget helår", 2.6, True), ("Utfall perioden", 2.6, True),
           ("Prognos helår", 2.6, True), ("Prognos\u00adavvikelse", 2.6, True)],
          "r in namnd.investeringar",
          ["{{ r.projekt }}", "{{ r.budget }}", "{{ r.utfall }}", "{{ r.prognos }}",
           "{{ r.avvikelse }}"])
    p(doc, "{%p elif namnd.investeringar %}")
    table(doc, "Investeringar, tkr",
          [("Projekt", 7.0, False), ("Budget", 3.0, True), ("Utfall", 3.0, True),
           ("Avvikelse", 3.0, True)],
          "r in namnd.investeringar",
          ["{{ r.projekt }}", "{{ r.budget }}", "{{ r.utfall }}", "{{ r.avvikelse }}"])
    p(doc, "{%p endif %}")
    h(doc, "Framtid", 2)
    unit_text(doc, var, "framtid")
    return doc


def kapitel_namnd_plan() -> Document:
    """One nämnd's verksamhetsplan: its goals under the KF-mål they serve, with indicators and
    målvärden, activities, and the four plan sections (DOMAIN.md "Årshjul")."""
    doc = new_document(header="{{ namnd.namn }} · {{ dokument_titel }}")
    chapter_header(doc)
    var = "namnd"
    h(doc, "Uppdrag", 2)
    unit_text(doc, var, "uppdrag")
    h(doc, "Mål och indikatorer", 2)
    p(doc, "{%p for k in namnd.kf_grupper %}")
    para = doc.add_paragraph(style="Bedömning")
    para.add_run("Bidrar till {{ malnamn.kommun.grundform }}: ").bold = True
    para.add_run("{{ k.namn }}")
    table(doc, None,
          [("{{ malnamn.namnd.grundform }}", 5.2, False), ("Indikator", 5.6, False),
           ("Utgångsvärde", 2.6, True), ("Målvärde", 2.6, True)],
          "m in k.indikatorrader",
          ["{{ m.mal }}", "{{ m.indikator }}", "{{ m.foregaende }}", "{{ m.malvarde }}"])
    p(doc, "{%p endfor %}")
    p(doc, "{%p if not namnd.kf_grupper %}")
    no_own_goals(doc)
    p(doc, "{%p endif %}")
    h(doc, "Aktiviteter", 2)
    p(doc, "{%p if namnd.aktiviteter %}")
    table(doc, None,
          [("Aktivitet", 5.0, False), ("Mål", 3.6, False), ("Ansvarig", 3.0, False),
           ("Start", 2.2, False), ("Slut", 2.2, False)],
          "a in namnd.aktiviteter",
          ["{{ a.beskrivning }}", "{{ a.mal }}", "{{ a.ansvarig }}", "{{ a.start }}",
           "{{ a.slut }}"])
    p(doc, "{%p else %}")
    p(doc, "Inga aktiviteter är planerade.")
    p(doc, "{%p endif %}")
    h(doc, "Trend- och omvärldsanalys", 2)
    unit_text(doc, var, "trend_omvarld")
    h(doc, "Nulägesanalys", 2)
    unit_text(doc, var, "nulage")
    h(doc, "Ekonomiska förutsättningar och investeringar", 2)
    unit_text(doc, var, "ekonomiska_forutsattningar")
    p(doc, "{%p if namnd.ramar %}")
    table(doc, "Ram, tkr", [("Nämnd", 8.8, False)] + years_header("plan_ar", 3, 2.4),
          "r in namnd.ramar", ["{{ r.namn }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if namnd.investeringsplan %}")
    table(doc, "Investeringsplan, tkr",
          [("Projekt", 8.8, False)] + years_header("plan_ar", 3, 2.4),
          "r in namnd.investeringsplan",
          ["{{ r.namn }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"])
    p(doc, "{%p endif %}")
    h(doc, "Prioriterade förbättringsområden", 2)
    unit_text(doc, var, "forbattringsomraden")
    control_chapter_plan(doc)
    return doc


def uppfoljning() -> Document:
    """Uppföljning (månad, kvartal, tertial): the short follow-up of the goals and indicators
    with the prognos for the year, and each nämnd's chapter; no economy or statutory parts."""
    doc = new_document()
    cover(doc)
    contents(doc)
    switch(doc, "maluppfyllelse")
    h(doc, "Måluppföljning", 1)
    goal_summary(doc, "Prognos för måluppfyllelsen per {{ malnamn.kommun.grundform }}",
                 forecast=True)
    figure(doc, "diagram_maluppfyllelse", "diagram_maluppfyllelse_text")
    goals_by_area(doc, 2, _forecast_goal_block)
    p(doc, "{%p if finansiella_mal %}")
    h(doc, "Finansiella mål", 2)
    goal_loop(doc, "finansiella_mal", 3, _forecast_goal_block)
    p(doc, "{%p endif %}")
    end(doc)
    switch(doc, "namnder")
    committee_groups(doc)
    end(doc)
    return doc


def control_summary(doc) -> None:
    """Intern kontroll across nämnder (issue #32): results per nämnd (the kommun's words, text
    and symbol), the riskmatris with its alt text, risks per level, avvikelser and åtgärder."""
    p(doc, "{%p if ik.finns %}")
    p(doc, "{{ ik.namnder }} internkontrollplaner med sammanlagt {{ ik.antal }} kontrollmoment "
      "följs upp {{ period_namn }}. Resultaten visas med text och symbol.")
    table(doc, "Resultat av den interna kontrollen",
          [("Nämnd", 4.4, False), ("{{ ik.rubriker.utan_anmarkning }}", 2.5, True),
           ("{{ ik.rubriker.med_avvikelse }}", 2.5, True),
           ("{{ ik.rubriker.ej_genomford }}", 2.5, True),
           ("{{ ik.rubriker.ej_rapporterat }}", 2.1, True), ("Öppna åtgärder", 2.0, True)],
          "r in ik.tabell",
          ["{{ r.namn }}", "{{ r.utan_anmarkning }}", "{{ r.med_avvikelse }}",
           "{{ r.ej_genomford }}", "{{ r.ej_rapporterat }}", "{{ r.atgarder }}"],
          ["Summa", "{{ ik.summa.utan_anmarkning }}", "{{ ik.summa.med_avvikelse }}",
           "{{ ik.summa.ej_genomford }}", "{{ ik.summa.ej_rapporterat }}",
           "{{ ik.summa.atgarder }}"])
    figure(doc, "diagram_riskmatris", "diagram_riskmatris_text")
    table(doc, "Kontrollmoment per risknivå",
          [("Risknivå", 6.0, False), ("Riskvärde", 3.0, True), ("Antal", 3.0, True)],
          "r in ik.risker", ["{{ r.niva }}", "{{ r.intervall }}", "{{ r.antal }}"])
    p(doc, "{%p if ik.avvikelser %}")
    table(doc, "Avvikelser och åtgärder",
          [("Nämnd", 3.2, False), ("Kontrollmoment", 3.4, False), ("Avvikelse", 3.6, False),
           ("Åtgärd", 3.8, False), ("Klar senast", 2.0, False)],
          "m in ik.avvikelser",
          ["{{ m.namnd }}", "{{ m.moment }}", "{{ m.avvikelse }}", "{{ m.atgard }}",
           "{{ m.atgard_klar }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p endif %}")


def assignment_summary(doc, level: int) -> None:
    """The uppdrag from KF, KS and the nämnder: per origin and status, then each one."""
    p(doc, "{%p if up.finns %}")
    h(doc, "{{ up.rubrik }}", level)
    table(doc, "Uppdrag per ursprung och status",
          [("Givet av", 3.4, False), ("{{ up.rubriker.ej_paborjat }}", 2.1, True),
           ("{{ up.rubriker.pagar }}", 2.0, True), ("{{ up.rubriker.genomfort }}", 2.1, True),
           ("{{ up.rubriker.avbrutet }}", 2.0, True),
           ("{{ up.rubriker.ej_rapporterat }}", 2.2, True),
           ("{{ up.rubriker.forsenat }}", 2.2, True)],
          "r in up.tabell",
          ["{{ r.namn }}", "{{ r.ej_paborjat }}", "{{ r.pagar }}", "{{ r.genomfort }}",
           "{{ r.avbrutet }}", "{{ r.ej_rapporterat }}", "{{ r.forsenat }}"],
          ["Summa", "{{ up.summa.ej_paborjat }}", "{{ up.summa.pagar }}",
           "{{ up.summa.genomfort }}", "{{ up.summa.avbrutet }}",
           "{{ up.summa.ej_rapporterat }}", "{{ up.summa.forsenat }}"])
    table(doc, "Uppdragen och deras status",
          [("Uppdrag", 4.6, False), ("Nämnd", 2.8, False), ("Givet av", 3.6, False),
           ("Åter­rapportering", 2.2, False), ("Status", 2.8, False)],
          "u in up.lista",
          ["{{ u.beskrivning }}", "{{ u.namnd }}", "{{ u.givet_av }}",
           "{{ u.aterrapportering }}", "{{ u.status }}"])
    p(doc, "{%p endif %}")


def control_plan(doc, level: int) -> None:
    """The verksamhetsplan's internkontrollplaner for the year and the uppdrag to report."""
    p(doc, "{%p if ik.finns %}")
    h(doc, "{{ ik.rubrik }}", level)
    p(doc, "Nämndernas och bolagens internkontrollplaner för {{ ar }} har {{ ik.antal }} "
      "kontrollmoment. Risken bedöms som sannolikhet × konsekvens och visas med text och "
      "symbol.")
    figure(doc, "diagram_riskmatris", "diagram_riskmatris_text")
    table(doc, "Kontrollmoment per risknivå",
          [("Risknivå", 6.0, False), ("Riskvärde", 3.0, True), ("Antal", 3.0, True)],
          "r in ik.risker", ["{{ r.niva }}", "{{ r.intervall }}", "{{ r.antal }}"])
    table(doc, "Kontrollmomenten i internkontrollplanerna",
          [("Nämnd", 3.2, False), ("Kontrollmoment", 3.8, False), ("Risk", 3.8, False),
           ("Kontrollmetod", 3.2, False), ("Frekvens", 2.0, False)],
          "m in ik.moment",
          ["{{ m.namnd }}", "{{ m.moment }}", "{{ m.risk }}", "{{ m.metod }}",
           "{{ m.frekvens }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if up.finns %}")
    h(doc, "{{ up.rubrik }}", level)
    table(doc, "Uppdrag att återrapportera",
          [("Uppdrag", 5.6, False), ("Nämnd", 3.2, False), ("Givet av", 3.6, False),
           ("Åter­rapportering", 2.6, False)],
          "u in up.lista",
          ["{{ u.beskrivning }}", "{{ u.namnd }}", "{{ u.givet_av }}",
           "{{ u.aterrapportering }}"])
    p(doc, "{%p endif %}")


def control_chapter(doc) -> None:
    """A nämnd's own intern kontroll (below its kansli text) and uppdrag."""
    p(doc, "{%p if namnd.ik.finns %}")
    p(doc, "{%p if namnd.ik.antagen %}")
    p(doc, "Internkontrollplanen, {{ namnd.ik.antagen }}, följs upp här.")
    p(doc, "{%p endif %}")
    table(doc, None,
          [("Kontrollmoment", 4.4, False), ("Risk", 3.8, False), ("Resultat", 3.2, False),
           ("Avvikelse och åtgärd", 4.6, False)],
          "m in namnd.ik.moment",
          ["{{ m.moment }}", "{{ m.risk }}", "{{ m.resultat }}",
           "{{ m.avvikelse }} {{ m.atgard }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if namnd.up.finns %}")
    h(doc, "{{ up.rubrik }}", 3)
    table(doc, None,
          [("Uppdrag", 5.6, False), ("Givet av", 3.4, False), ("Åter­rapportering", 2.4,
                                                                False), ("Status", 4.6, False)],
          "u in namnd.up.lista",
          ["{{ u.beskrivning }}", "{{ u.givet_av }} {{ u.referens }}", "{{ u.aterrapportering }}",
           "{{ u.status }}"])
    p(doc, "{%p endif %}")


def control_chapter_plan(doc) -> None:
    """A nämnd's internkontrollplan and its uppdrag in its verksamhetsplan."""
    p(doc, "{%p if namnd.ik.finns %}")
    h(doc, "{{ ik.rubrik }}", 2)
    p(doc, "{%p if namnd.ik.antagen %}")
    p(doc, "Internkontrollplanen, {{ namnd.ik.antagen }}.")
    p(doc, "{%p endif %}")
    table(doc, None,
          [("Kontrollmoment", 4.2, False), ("Risk", 4.0, False), ("Kontrollmetod", 3.8, False),
           ("Ansvarig", 2.2, False), ("Frekvens", 1.8, False)],
          "m in namnd.ik.moment",
          ["{{ m.moment }}", "{{ m.risk }}", "{{ m.metod }}", "{{ m.ansvarig }}",
           "{{ m.frekvens }}"])
    p(doc, "{%p endif %}")
    p(doc, "{%p if namnd.up.finns %}")
    h(doc, "{{ up.rubrik }}", 2)
    table(doc, None,
          [("Uppdrag", 7.0, False), ("Givet av", 5.0, False), ("Åter­rapportering", 4.0,
                                                                False)],
          "u in namnd.up.lista",
          ["{{ u.beskrivning }}", "{{ u.givet_av }} {{ u.referens }}",
           "{{ u.aterrapportering }}"])
    p(doc, "{%p endif %}")


def stilmall() -> Document:
    """stilmall.docx: the one style source (issue 28 item 5). Every document and chapter takes
    its styles, theme and page setup from it at render, so the kansli restyles this file once
    in Word; its text only shows each style (it is never rendered)."""
    doc = new_document(header="Stilmall · sidhuvud")
    doc.add_paragraph("", style="Logotyp")
    doc.add_paragraph("Omslagskommun", style="Omslagskommun")
    doc.add_paragraph("Stilmall för kommunens dokument", style="Omslagsrubrik")
    doc.add_paragraph("Omslagsunderrubrik", style="Omslagsunderrubrik")
    doc.add_paragraph("Omslagsstatus", style="Omslagsstatus")
    doc.add_paragraph("Innehållsrubrik", style="Innehållsrubrik")
    h(doc, "Rubrik 1", 1)
    doc.add_paragraph("Ingress: ändra formatmallarna här (Start → Formatmallar → högerklicka "
                      "→ Ändra), inte enstaka stycken. Alla dokument och kapitel får dem när "
                      "de skapas.", style="Ingress")
    p(doc, "Normal: brödtext. Mallarna för årsredovisning, delårsrapport, verksamhetsplan, "
           "uppföljning och nämndernas kapitel hämtar formatmallar, tema och sidinställningar "
           "härifrån; sidhuvud och sidfot finns i varje mall.")
    for level in (2, 3, 4):
        h(doc, f"Rubrik {level}", level)
    status_line = doc.add_paragraph("Bedömning: ", style="Bedömning")
    status_line.add_run("●", style="Statussymbol")
    status_line.add_run(" Uppfyllt")
    p(doc, "Tabellrubrik före", "Tabellrubrik före")
    tbl = doc.add_table(rows=2, cols=2)
    tbl.style = doc.styles["Rapporttabell"]
    for row, (left, right) in enumerate((("Tabellrubrik", "Tabellrubrik höger"),
                                         ("Tabelltext", "Tabelltext höger"))):
        for col, name in enumerate((left, right)):
            para = tbl.rows[row].cells[col].paragraphs[0]
            para.style = doc.styles[name]
            para.add_run(name)
    p(doc, "Caption (Beskrivning): figurtext och noter", "Caption")
    p(doc, "Figur: stycket som bär ett diagram", "Figur")
    p(doc, "Text saknas: platshållare för text som ingen har skrivit", "Text saknas")
    return doc


def _template_properties(doc) -> None:
    """Core properties of the template itself: no python-docx leftovers."""
    cp = doc.core_properties
    cp.author = "reportkit"
    cp.last_modified_by = "reportkit"
    cp.comments = ""
    cp.title = ""
    cp.subject = ""
    cp.keywords = ""
    cp.revision = 1
    import datetime as dt

    cp.created = cp.modified = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from reportkit.files import normalize_zip

    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (("arsredovisning", arsredovisning), ("delarsrapport", delarsrapport),
                        ("verksamhetsplan", verksamhetsplan), ("kapitel-namnd", kapitel_namnd),
                        ("kapitel-namnd-plan", kapitel_namnd_plan),
                        ("uppfoljning", uppfoljning), ("stilmall", stilmall)):
        doc = build()
        _template_properties(doc)
        path = OUT / f"{name}.docx"
        doc.save(path)
        normalize_zip(path)
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
