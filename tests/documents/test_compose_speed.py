"""The faster ways of composing a whole document give the very same bytes as the plain way:
chapters in forked workers instead of in turn, the faster style copying instead of
docxcompose's own, and chapters that leave out the charts their template does not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit.documents import compose, render
from reportkit.documents.reportdata import example_reportdata


def _whole(tmp: Path, period_type: str, document: str) -> dict[str, bytes]:
    data = example_reportdata(period_type)
    texts = tmp / "projekt" / "texter" / data.period.id
    result = compose.render_report(
        document, data, tmp / f"{document}.docx", texts_dir=texts, chart_cache=tmp / "diagram",
        chapter_out=lambda committee: tmp / "kapitel" / f"{committee}.docx")
    assert len(result.chapters) == len(data.committees) >= 2
    return {p.name: p.read_bytes() for p in [result.path, *result.chapters]}


@pytest.mark.slow
@pytest.mark.parametrize(("period_type", "document"), [("helår", "arsredovisning"),
                                                       ("plan", "verksamhetsplan")])
def test_parallel_chapters_and_fast_styles_give_the_same_bytes_as_the_plain_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, period_type: str,
        document: str) -> None:
    with monkeypatch.context() as plain:
        plain.setattr(compose, "PARALLEL_MIN_CHAPTERS", 10_000)  # in turn
        plain.setenv("REPORTKIT_COMPAT", "stock")  # docxtpl's own Subdoc and composer
        plain.setattr(compose, "template_variables",
                      lambda *args, **kwargs: None)  # every chart
        expected = _whole(tmp_path / "plain", period_type, document)
    monkeypatch.setattr(compose, "PARALLEL_MIN_CHAPTERS", 1)  # in 2 forked workers
    got = _whole(tmp_path / "fast", period_type, document)
    assert sorted(got) == sorted(expected)
    for name, content in expected.items():
        assert got[name] == content, f"{name} differs"


def test_template_variables_are_the_templates_own_or_none_when_unreadable(tmp_path: Path) -> None:
    used = render.template_variables(render.find_template("kapitel-namnd"))
    assert used is not None and "namnd" in used
    assert render.template_variables(tmp_path / "saknas.docx") is None


def test_a_templates_variables_come_from_the_cache_folder_without_parsing_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Kommun: {{ kommun_namn }}")
    doc.add_paragraph("Ordförande har ordet: {{ ordforande }}")
    template = tmp_path / "egen.docx"
    doc.save(str(template))
    cache = tmp_path / "cache"
    cache.mkdir()
    assert render.template_variables(template, cache) == {"kommun_namn", "ordforande"}
    assert render.check_template(template, {"kommun_namn", "ordforande"}, cache) == []
    # another run (each call without a memo is one): the template is not parsed again
    parsed: list[Path] = []
    real = render._template_parts
    monkeypatch.setattr(render, "_template_parts",
                        lambda path, memo: parsed.append(path) or real(path, memo))
    assert render.template_variables(template, cache) == {"kommun_namn", "ordforande"}
    assert render.check_template(template, {"kommun_namn", "ordforande"}, cache) == []
    assert parsed == []
    # a variable the context lacks: parsed, to say where the template uses it
    [p] = render.check_template(template, {"kommun_namn"}, cache)
    assert p.code == "template-unknown-variable" and "Ordförande har ordet" in p.message
    assert parsed == [template]
    # the template changed: its new variables, not the remembered ones
    doc.add_paragraph("{{ ny }}")
    doc.save(str(template))
    assert "ny" in render.template_variables(template, cache)


def test_rich_text_without_the_rest_of_docxtpl_is_docxtpls_class() -> None:
    import subprocess
    import sys

    code = ("import sys\n"
            "from reportkit.documents.render import rich_text_class\n"
            "cls = rich_text_class()\n"
            "assert not {'docxtpl', 'docx', 'jinja2'} & set(sys.modules), sorted(sys.modules)\n"
            "rt = cls(); rt.add('x', bold=True)\n"
            "import docxtpl\n"
            "assert cls is docxtpl.RichText\n"
            "assert rt.xml == docxtpl.RichText('x', bold=True).xml\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_chapter_that_opens_a_group_gets_no_page_break_of_its_own() -> None:
    """Under "Kommunalförbundens verksamhetsberättelser" the förbund's chapter starts on the
    heading's page (it stood alone on a page before); nämnder and bolag share one part."""
    from types import SimpleNamespace

    from reportkit.documents.compose import _opening_chapters

    kinds = {"KS": "styrelse", "SN": "nämnd", "AB": "bolag", "RTJ": "kommunalförbund",
             "VA": "kommunalförbund"}
    data = SimpleNamespace(committees=[SimpleNamespace(id=i, kind=k) for i, k in kinds.items()])
    assert _opening_chapters(data, list(kinds)) == {0, 3}
    assert _opening_chapters(data, ["RTJ", "VA"]) == {0}
    assert _opening_chapters(data, ["AB", "KS"]) == {1}  # the part lists nämnder first
