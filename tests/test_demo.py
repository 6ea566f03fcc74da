"""``reportkit demo``: the full round, level by level, ending in KF's decisions."""

from __future__ import annotations

import pytest
from testkit import ooxml_errors

from reportkit.demo import DEMO_DECISIONS, run_demo


@pytest.mark.slow
def test_the_demo_runs_the_round_level_by_level_and_kf_decides(tmp_path) -> None:
    from reportkit.storage import store
    from reportkit.styrmodell.project import Project

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
