"""The doors to the libraries' internals (``reportkit/compat/``) give the same bytes as the
libraries' public path, which is what runs on a version outside the tested range or with
``REPORTKIT_COMPAT=stock`` (docs/testing.md)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reportkit import compat
from reportkit.caching import Memo
from reportkit.compat import docxtpl as docxtpl_door
from reportkit.compat import jinja as jinja_door

STOCK = {"REPORTKIT_COMPAT": "stock"}


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_tested_versions_are_the_installed_ones_and_others_take_the_public_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, (low, high) in compat.TESTED.items():
        found = compat.installed(name)
        assert found is not None and low <= found < high, name
        assert compat.fast_path(name)
        assert not compat.fast_path(name, high)  # the next release outside the range
        assert not compat.fast_path(name, low[:-1] + (low[-1] - 1,))
    monkeypatch.setenv("REPORTKIT_COMPAT", "stock")
    assert not any(compat.fast_path(name) for name in compat.TESTED)
    assert not docxtpl_door.fast()


def test_pyproject_bounds_are_the_tested_ranges() -> None:
    import re
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml")
                            .read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        m = re.fullmatch(r"([\w-]+)>=([\d.]+),<([\d.]+)", requirement)
        if m:
            bounds[m.group(1).lower()] = (m.group(2), m.group(3))
    for name, (low, high) in compat.TESTED.items():
        assert bounds[name] == (".".join(map(str, low)), ".".join(map(str, high))), name


def _small_template(tmp: Path) -> tuple[Path, Path]:
    """A template with a picture, a rich text, an inserted document and a table; the
    document it inserts."""
    from docx import Document

    doc = Document()
    doc.add_heading("{{ rubrik }}", level=1)
    doc.add_paragraph("{{r rik }}")
    doc.add_paragraph("{{ diagram }}")
    doc.add_paragraph("{{p kapitel }}")
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Mål"
    table.rows[1].cells[0].text = "{{ rader[0].namn }}"
    template = tmp / "mall.docx"
    doc.save(str(template))
    inserted = Document()
    inserted.add_heading("Infogat kapitel", level=2)
    inserted.add_paragraph("Text med egen stil.", style="Quote")
    part = tmp / "kapitel.docx"
    inserted.save(str(part))
    return template, part


def _render_small(tmp: Path) -> bytes:
    from reportkit.documents import charts
    from reportkit.documents.render import Insert, render_document, rich_text_class

    tmp.mkdir()
    template, part = _small_template(tmp)
    png = _png()
    rik = rich_text_class()()
    rik.add("fet", bold=True)
    context = {"rubrik": "Årsredovisning", "rik": rik, "rader": [{"namn": "Trygg skola"}],
               "kapitel": Insert(part)}
    out = tmp / "ut.docx"
    render_document(template, context, out, images={"diagram": charts.Chart(
        "utfall", png, "Stapeldiagram: utfall")}, core={"title": "T", "author": "Kommun",
                                                          "keywords": "k"})
    return out.read_bytes()


def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().bar(["A", "B"], [1, 2])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def test_a_rendered_document_has_the_same_bytes_on_the_public_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _render_small(tmp_path / "fast")
    with monkeypatch.context() as stock:
        stock.setenv("REPORTKIT_COMPAT", "stock")
        public = _render_small(tmp_path / "stock")
    assert public == fast
    body = _members(tmp_path / "fast" / "ut.docx")["word/document.xml"]
    assert b'descr="Stapeldiagram: utfall"' in body and b"Infogat kapitel" in body


@pytest.mark.slow
def test_a_whole_document_has_the_same_bytes_on_the_public_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.documents.compose import render_report
    from reportkit.documents.reportdata import example_reportdata

    def whole(folder: Path) -> dict[str, bytes]:
        folder.mkdir()
        monkeypatch.chdir(folder)  # the placeholders name the texts' folder: the same one
        data = example_reportdata("helår")
        result = render_report("arsredovisning", data, Path("ar.docx"),
                               texts_dir=Path("texter"), chart_cache=tmp_path / "diagram")
        return _members(result.path)

    fast = whole(tmp_path / "fast")
    with monkeypatch.context() as stock:
        stock.setenv("REPORTKIT_COMPAT", "stock")
        public = whole(tmp_path / "stock")
    assert public == fast


def test_core_properties_have_the_same_bytes_on_the_public_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docxtpl  # noqa: F401 - docxcompose rebinds the cp prefix when it is imported
    from docx import Document
    from docx.oxml.ns import nsmap

    from reportkit.documents.coreprops import set_core_properties

    def core(name: str) -> bytes:
        doc = Document()
        set_core_properties(doc, title="Årsredovisning 2026", subject="KF", author="Kommun",
                            keywords="mål, budget", comments="c", category="Rapport",
                            language="sv-SE")
        doc.save(str(tmp_path / name))
        return _members(tmp_path / name)["docProps/core.xml"]

    before = nsmap.get("cp")
    fast = core("fast.docx")
    with monkeypatch.context() as stock:
        stock.setenv("REPORTKIT_COMPAT", "stock")
        public = core("stock.docx")
    assert public == fast
    assert b"<cp:keywords>m\xc3\xa5l, budget</cp:keywords>" in fast
    assert b"core-properties" in fast and b"custom-properties" not in fast
    assert nsmap.get("cp") == before  # docxcompose's binding given back


def _template_xml() -> list[tuple[Path, str]]:
    from reportkit.documents.render import find_template

    out = []
    for name in ("arsredovisning", "delarsrapport", "verksamhetsplan", "kapitel-namnd",
                 "kapitel-namnd-plan"):
        path = find_template(name)
        tpl = docxtpl_door.template(path)
        tpl.init_docx()
        out.append((path, tpl.get_xml()))
    return out


def test_remembered_patch_xml_is_docxtpls_own() -> None:
    from docxtpl import DocxTemplate

    memo: Memo[str] = Memo()
    for path, xml in _template_xml():
        stock = DocxTemplate(str(path)).patch_xml(xml)
        first = docxtpl_door.template(path, memo).patch_xml(xml)
        again = docxtpl_door.template(path, memo).patch_xml(xml)
        assert first == again == stock
    assert len(memo) == 5


def test_remembered_jinja_templates_compile_and_render_as_stock() -> None:
    from jinja2 import StrictUndefined

    from reportkit.documents.sandbox import environment_class

    base = environment_class()
    memo: Memo[object] = Memo()
    remembering = jinja_door.environment(base, memo, autoescape=True,
                                         undefined=StrictUndefined)
    stock = base(autoescape=True, undefined=StrictUndefined)
    assert isinstance(remembering, base)  # still the sandbox
    from docxtpl import DocxTemplate

    for path, xml in _template_xml():
        source = DocxTemplate(str(path)).patch_xml(xml)
        assert remembering.compile(source, raw=True) == stock.compile(source, raw=True)
        template = remembering.from_string(source)
        assert remembering.from_string(source) is template and template.source == source
    small = "{% for r in rader %}{{ r.namn }} & {{ r.v * 2 }};{% endfor %}"
    rows = {"rader": [{"namn": "<A>", "v": 2}, {"namn": "B", "v": 3}]}
    assert remembering.from_string(small).render(rows) == stock.from_string(small).render(rows) \
        == "&lt;A&gt; & 4;B & 6;"


def test_the_sandbox_stays_a_sandbox_behind_the_door(monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    from reportkit.documents.sandbox import environment_class

    for mode in ("", "stock"):
        monkeypatch.setenv("REPORTKIT_COMPAT", mode)
        env = jinja_door.environment(environment_class(), Memo(), autoescape=True)
        assert isinstance(env, ImmutableSandboxedEnvironment)
        with pytest.raises(SecurityError):
            env.from_string("{{ x.append(1) }}").render(x=[])


@pytest.mark.parametrize("formula", [
    '=IF(A1="","",IF(ISNUMBER(A1),ABS(A1),"x"))',
    "=IFERROR(INDEX($I$6:$I$9,MATCH(1,$L$6:$L$9,0)),\"\")",
    '=IF(A1>0,"Andel SORT(x) och FILTER(y)","")',  # names inside a text are prefixed too
    '=IF(A1>0,"mINGLE(","")',
    "=XLOOKUP(A1,B1:B9,C1:C9)",
    "{=SUM(A1:A3)}",
    "=_xlfn.CONCAT(A1,B1)",
])
def test_a_styrkort_formula_is_prepared_as_xlsxwriter_prepares_it(formula: str) -> None:
    """The styrkort's worksheet class skips xlsxwriter's regular expressions only for
    formulas that name Excel 2007 functions alone, with the same result."""
    from xlsxwriter.worksheet import Worksheet

    from reportkit.compat import xlsxwriter as xlsxwriter_door

    sheet_class = xlsxwriter_door.formula_sheet_class()
    assert sheet_class is not None
    assert sheet_class()._prepare_formula(formula) == Worksheet()._prepare_formula(formula)
    assert sheet_class()._prepare_formula(formula, True) == \
        Worksheet()._prepare_formula(formula, True)


def test_a_styrkort_has_the_same_bytes_on_the_public_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    root = Path(__file__).resolve().parents[1] / "fixtures" / "exempelkommun"
    model, period = Project.open(root).period("2026-delår")
    content = build_content(model, "ekonomienheten", period)
    fast = generate_workbook(content, tmp_path / "fast.xlsx").read_bytes()
    monkeypatch.setenv(compat.MODE_ENV, "stock")
    assert generate_workbook(content, tmp_path / "stock.xlsx").read_bytes() == fast
