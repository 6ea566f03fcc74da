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
    result = render.render_report(
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
        plain.setattr(render, "_new_subdoc", lambda tpl, path: tpl.new_subdoc(str(path)))
        plain.setattr(compose, "template_variables",
                      lambda template, cache=None: None)  # every chart
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
