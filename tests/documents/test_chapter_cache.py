"""Chapters and whole documents kept in the render cache give the very bytes a render without
it gives; after one nämnd's data changed only that nämnd's chapter is rendered again."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit.documents import compose, sections
from reportkit.documents.reportdata import example_reportdata


def _render(tmp: Path, data, cache: Path | None, name: str) -> tuple[bytes, dict, list[str]]:
    texts = tmp / "texter" / data.period.id
    result = compose.render_report(
        "arsredovisning", data, tmp / f"{name}.docx", texts_dir=texts,
        chart_cache=tmp / "diagram", chapter_cache=cache,
        chapter_out=lambda committee: tmp / name / f"{committee}.docx")
    return (result.path.read_bytes(), {p.name: p.read_bytes() for p in result.chapters},
            [p.line() for p in result.problems])


@pytest.mark.slow
def test_cached_chapters_are_the_same_bytes_and_only_a_changed_one_is_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compose, "PARALLEL_MIN_CHAPTERS", 10_000)  # in turn
    rendered: list[str] = []
    real = compose._render_chapters

    def counting(job, template):  # the chapters the cache lacks (rendered in a forked worker)
        rendered.extend(chapter.committee for chapter in job.todo)
        return real(job, template)

    monkeypatch.setattr(compose, "_render_chapters", counting)
    composed: list[Path] = []
    real_document = compose.render_document

    def counting_document(template, values, out, **kwargs):
        if "subdocs" in kwargs:  # the whole document, composed of its chapters
            composed.append(out)
        return real_document(template, values, out, **kwargs)

    monkeypatch.setattr(compose, "render_document", counting_document)
    data = example_reportdata("helår")
    cache = tmp_path / "kapitelcache"
    plain = _render(tmp_path, data, None, "utan")
    first = _render(tmp_path, data, cache, "forsta")
    rendered.clear()
    composed.clear()
    again = _render(tmp_path, data, cache, "andra")
    assert rendered == [] and composed == []  # nothing changed: the whole document is reused
    assert plain == first == again

    changed_id = data.committees[1].id
    data.committees[1].texts["handelser"] = "Nämnden öppnade två nya verksamheter under året."
    changed_plain = _render(tmp_path, data, None, "utan-ny")
    rendered.clear()
    composed.clear()
    changed = _render(tmp_path, data, cache, "andra-ny")
    assert rendered == [changed_id, changed_id]  # its part of the whole and its own document
    assert len(composed) == 1
    assert changed == changed_plain
    assert changed[0] != plain[0]


def test_has_text_reads_the_main_part_as_python_docx_does(tmp_path: Path) -> None:
    from docx import Document

    empty = tmp_path / "tom.docx"
    sections.write_draft(empty, "Intern kontroll", [])
    filled = tmp_path / "ifylld.docx"
    doc = Document(str(empty))
    doc.add_paragraph("Den interna kontrollen har följts upp.")
    doc.save(str(filled))
    table = tmp_path / "tabell.docx"
    doc = Document(str(empty))
    doc.add_table(rows=1, cols=1)
    doc.save(str(table))
    assert [sections.has_text(p) for p in (empty, filled, table)] == [False, True, True]
    assert sections._quick_body(filled) is not None

    # a package that is not a Word document is refused by python-docx, with its reason
    import zipfile

    macro = tmp_path / "makro.docx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(macro, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml",
                                          b"document.macroEnabled.main+xml")
            dst.writestr(info, content)
    assert sections._quick_body(macro) is None
    with pytest.raises(ValueError, match="not a Word file"):
        sections.has_text(macro)
    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"inte en zip")
    with pytest.raises(Exception):  # noqa: B017, PT011 - python-docx's own error, as before
        sections.has_text(broken)


@pytest.mark.parametrize("title", ["Händelser av väsentlig betydelse – Storstad Energi AB",
                                   "A & B <c> \"d\" 'e' ]]>", "Åäö – é ü ß\u00a0nbsp"])
def test_an_empty_draft_has_the_bytes_python_docx_writes(tmp_path, title) -> None:
    # a large kommun's first render writes 42 empty drafts: one made with python-docx, the
    # others that one with their own title put in
    from reportkit.documents import sections

    fast, slow = tmp_path / "fast.docx", tmp_path / "slow.docx"
    sections.write_draft(fast, title, [])
    sections._write_draft(slow, title, [])
    assert fast.read_bytes() == slow.read_bytes()
