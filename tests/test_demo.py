"""``reportkit demo``: the full round, level by level, ending in KF's decisions."""

from __future__ import annotations

import pytest
from testkit import ooxml_errors

from reportkit.demo import DEMO_DECISIONS, run_demo


@pytest.mark.slow
def test_the_demo_runs_the_round_level_by_level_and_kf_decides(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from reportkit.storage import store
    from reportkit.styrmodell.project import Project

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise OSError("network blocked in the test")

    # the demo's Kolada comparison comes from recorded answers: no network at all
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    summary = run_demo(tmp_path / "demo", pdf=False)
    delår = [r for r in summary.rounds if r.period.startswith("Delårsrapport")]
    assert [(r.level, r.files) for r in delår] == [("Enhet", 60), ("Verksamhet", 20),
                                                    ("Nämnd", 7), ("Kommun", 1)]
    # the higher levels judged on what came in, and departed from a förslag with a motivation
    assert any(r.deviations for r in summary.rounds if r.level == "Kommun")
    assert summary.example_deviation.split(": ", 1)[0] in ("2026-delår", "2026-helår")
    text = summary.text()
    for decision in DEMO_DECISIONS.values():
        assert decision.split(" ", 1)[1].split(" §")[0] in text
    assert "Verksamhet: 20 styrkort" in text and "Kommun: 1 styrkort" in text
    conn = store.connect(Project.open(summary.out).store_path)
    try:
        decided = {r["period"] for r in conn.execute("SELECT period FROM decision")}
    finally:
        conn.close()
    assert decided == set(DEMO_DECISIONS)
    # every document and chapter is valid OOXML (issue 29: a table's w:tblLayout was written
    # twice, by python-docx and by hand, in the templates and the kommun's statements)
    documents = sorted((summary.out / "rapporter").rglob("*.docx"))
    assert len(documents) == 24
    assert ooxml_errors(documents) == []
    # the verksamheter's workbooks were prefilled with what their enheter sent in
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(summary.out / "utskick" / "2026-delår" /
                                          "grundskola.xlsx"))
    assert "Underlag" in book.sheet_names
    rows = book.get_sheet_by_name("Underlag").to_python()
    assert rows[1][0].endswith("har lämnat in.") and "Saknas" not in rows[1][0]
    # issue 31: the årsredovisning compares its Kolada indicators with the group, offline
    from docx import Document

    # KF decides the demo's årsredovisning: its file carries the decision (issue 29)
    [decided_docx] = (summary.out / "rapporter" / "2026-helår").glob(
        "arsredovisning-2026-helår-beslutad-KF-*.docx")
    doc = Document(str(decided_docx))
    notes = [p.text for p in doc.paragraphs if p.text.startswith("Källa: Kolada, hämtat")]
    assert len(notes) == 2 and all("Gruppens median: Egen beräkning på data från Kolada"
                                   in n for n in notes)
    compared = [[c.text for c in r.cells] for t in doc.tables for r in t.rows
                if [c.text for c in t.rows[0].cells][:3] == ["Indikator", "År", "Kommunen"]]
    result = next(r for r in compared if r[0].startswith("Årets resultat"))
    assert result[1] == "2025"  # cost figures of 2026 arrive after the årsredovisning
    assert (summary.out / "kolada" / "svar").is_dir()
