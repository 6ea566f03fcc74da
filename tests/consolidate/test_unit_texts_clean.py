"""A unit's text reaches the store and the KF document clean: no bidirectional control
character, nothing cut without a varning (#21 item 8; the rules are tested in
tests/intake/test_unit_texts.py)."""

from __future__ import annotations

from scenario import PERIOD
from testkit import docx_text, write_cells

from reportkit.consolidate.run import consolidate
from reportkit.storage import store
from reportkit.workbook import layout

RLO = "\u202e"


def test_a_right_to_left_override_never_reaches_the_store_or_the_document(
        make_project, scenario_files, tmp_path) -> None:
    from reportkit.documents.build import render_document_for

    project = make_project(tmp_path / "kommun", units=["BUN", "VON"])
    analysis = layout.cell_of(layout.GOALS_SHEET, "helår", "analysis", 0)
    write_cells(scenario_files["kommun"],
                {f"{layout.GOALS_SHEET}!{analysis}": f"Analysen {RLO}gnidaläv{RLO} slut."},
                project.inbox(PERIOD) / "kommun.xlsx")

    report = consolidate(project, PERIOD)
    kommun = next(f for f in report.new if f.file == "kommun.xlsx")
    assert [(p.code, p.location.sheet, p.location.cell) for p in kommun.problems
            if p.code.startswith("text-")] == [("text-bidi-removed", "Mål", analysis)]
    conn = store.connect(project.store_path)
    try:
        texts = [r[0] for r in conn.execute("SELECT analysis FROM goal_entry")
                 if r[0] and "Analysen" in r[0]]
    finally:
        conn.close()
    assert texts == ["Analysen gnidaläv slut."]

    outcome = render_document_for(project, "arsredovisning", PERIOD)
    text = docx_text(outcome.paths[0])
    assert "Analysen gnidaläv slut." in text
    assert RLO not in text
