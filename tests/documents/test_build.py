"""`reportkit render` on a consolidated Exempelkommun project: chapters per nämnd, the whole
document composed of them, the ekonomiavdelning's statements, and decided versions that come out
byte for byte as they were decided."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from testkit import docx_text

from reportkit.errors import ReportkitError

PERIOD = "2026-delår"
NB = "\u00a0"
DECISION = "KF 2026-10-19 § 112"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    """Exempelkommun 2026-delår, every unit's workbook filled and consolidated, with the
    kommun's own template folder (``dokument: mallar: mallar``)."""
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.resources import templates_dir
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("render") / "kommun"
    init_project(root)
    yaml = root / "styrmodell" / "2026.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert "  # mallar: mallar" in text
    yaml.write_text(text.replace("  # mallar: mallar", "  mallar: mallar", 1), encoding="utf-8")
    shutil.copytree(templates_dir() / "docx", root / "mallar" / "docx")
    project = Project.open(root)
    paths = generate_workbooks(project, PERIOD)
    fill_workbooks(paths, project.inbox(PERIOD), mistakes=False)
    consolidate(project, PERIOD)
    return project


def _copy(project, tmp_path: Path):
    """A private copy of the project, so tests do not see each other's decisions and edits."""
    from reportkit.styrmodell.project import Project

    root = tmp_path / "kommun"
    shutil.copytree(project.root, root, ignore=shutil.ignore_patterns("rapporter", ".cache"))
    return Project.open(root)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_text = docx_text


def _headings(path: Path) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[1]), p.text) for p in Document(str(path)).paragraphs
            if p.style.name.startswith("Heading ")]


@pytest.fixture(scope="module")
def rendered(project):
    """The draft delårsrapport with a chapter per nämnd/bolag."""
    from reportkit.documents.build import render_document_for

    return render_document_for(project, "delarsrapport", PERIOD, chapters=True)


def test_one_chapter_per_nämnd_and_bolag_with_only_its_own_goals(project, rendered) -> None:
    model, _period = project.period(PERIOD)
    chapters = {p.stem.rsplit("-", 1)[1]: p for p in rendered.paths if p.parent.name == "kapitel"}
    committees = [u for u in model.children_of(model.kommun.id)]
    assert sorted(chapters) == sorted(c.id for c in committees)
    goals = {c.id: [g.name for g in model.goals.values()
                    if g.level == "nämnd" and g.owner == c.id] for c in committees}
    for committee in committees:
        text = _text(chapters[committee.id])
        assert _headings(chapters[committee.id])[0] == (1, committee.name)
        shown = [t for _level, t in _headings(chapters[committee.id])]
        assert ("Privata utförare" in shown) == (committee.kind != "bolag"), committee.id
        for own in goals[committee.id]:
            assert own in text, (committee.id, own)
        for other, names in goals.items():
            if other != committee.id:
                assert not [n for n in names if n in text and n not in goals[committee.id]], \
                    (committee.id, other)


def test_whole_document_is_composed_of_the_chapters(project, rendered) -> None:
    model, _period = project.period(PERIOD)
    whole = rendered.paths[0]
    assert whole.name == "delarsrapport-2026-delår.docx"
    heads = _headings(whole)
    # Exempelkommun has nämnder and a bolag: the heading names both (issue 24 item 2)
    at = heads.index((1, "Nämndernas och bolagens redovisning"))
    names = [t for level, t in heads[at + 1:] if level == 2]
    assert names == [c.name for c in model.children_of(model.kommun.id)]
    # chapters moved one level down; only the ordlista (issue 29) follows them at level 1
    assert [t for lvl, t in heads[at + 1:] if lvl == 1] == ["Ordlista"]
    # every chapter's own text is in the whole document, word for word
    chapter = next(p for p in rendered.paths if p.stem.endswith("-BUN"))
    body = _text(chapter).split("Barn- och utbildningsnämnden", 2)[-1]
    assert body.strip() and body.strip()[:200] in _text(whole)
    # each nämnd after the first starts on a new page
    doc = Document(str(whole))
    starts = [p for p in doc.paragraphs if p.style.name == "Heading 2"
              and p.text in names]
    assert [p.paragraph_format.page_break_before for p in starts][1:] == \
        [True] * (len(names) - 1)
    ids = [pr.get("id") for pr in doc.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(ids) == len(set(ids))


def test_financial_statements_from_the_ekonomiavdelning_are_inserted(rendered) -> None:
    heads = _headings(rendered.paths[0])
    at = heads.index((1, "Resultaträkning och balansräkning"))
    assert (2, "Resultaträkning") in heads[at:at + 6]
    assert (2, "Balansräkning") in heads[at:at + 6]
    assert "finansiella-rapporter" not in {p.values.get("path", "")[-30:].split("/")[0]
                                           for p in rendered.problems}
    assert "Verksamhetens nettokostnad" in _text(rendered.paths[0])
    # they take the report's table style: header row repeats, amounts right-aligned
    doc = Document(str(rendered.paths[0]))
    statement = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mnkr")
    assert statement.style.name == "Rapporttabell"
    assert statement.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    costs = next(r for r in statement.rows if r.cells[0].text == "Verksamhetens kostnader")
    assert costs.cells[-2].text == "\u22121\u00a0045,5"
    assert costs.cells[-2].paragraphs[0].style.name == "Tabelltext höger"


def test_a_bolags_chapter_shows_its_key_figures(project, rendered) -> None:
    chapter = next(p for p in rendered.paths if p.stem.endswith("-EXBO"))
    table = next(t for t in Document(str(chapter)).tables
                 if t.rows[0].cells[0].text == "Nyckeltal")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows}
    # bolag.csv of the delår: 2024 and 2025, no 2026 yet
    assert rows["Nyckeltal"] == ["2024", "2025", "2026"]
    assert rows["Omsättning, mnkr"] == ["182,4", "189,9", "\u2013"]
    assert rows["Soliditet, %"] == ["18,2", "18,9", "\u2013"]
    nämnd = next(p for p in rendered.paths if p.stem.endswith("-BUN"))
    assert "Nyckeltal" not in [t.rows[0].cells[0].text for t in Document(str(nämnd)).tables]


def test_decided_version_renders_byte_identically_after_edits_and_resubmission(
        project, tmp_path: Path) -> None:
    from reportkit.consolidate.run import consolidate
    from reportkit.documents.build import render_document_for
    from reportkit.storage import decisions
    from reportkit.workbook import layout

    project = _copy(project, tmp_path)
    render_document_for(project, "delarsrapport", PERIOD)  # creates the section texts
    personal = project.texts(PERIOD) / "personal.docx"
    doc = Document(str(personal))
    doc.add_paragraph("Kansliets text om personalen, som den beslutades.")
    doc.save(str(personal))
    decision = decisions.record_decision(project, PERIOD, DECISION)
    first = render_document_for(project, "delarsrapport", PERIOD, version=DECISION)
    [decided] = first.paths
    assert decided.name == "delarsrapport-2026-delår-beslutad-KF-2026-10-19-112.docx"
    assert first.decision == DECISION
    kept = decided.read_bytes()
    assert "Beslutad av KF 2026-10-19 § 112" in _text(decided)
    assert "Kansliets text om personalen, som den beslutades." in _text(decided)

    # the kansli edits a section text and restyles Heading 1 for the next draft …
    handelser = project.texts(PERIOD) / "handelser.docx"
    doc = Document(str(handelser))
    doc.add_paragraph("Kansliets tillägg efter beslutet.")
    doc.save(str(handelser))
    Document().save(str(personal))  # emptied for the next draft
    template = project.root / "mallar" / "docx" / "stilmall.docx"  # the one style source
    doc = Document(str(template))
    doc.styles["Heading 1"].font.name = "Georgia"
    doc.styles["Heading 1"].font.color.rgb = RGBColor(0x8B, 0x00, 0x45)
    doc.save(str(template))
    # … and Kommunstyrelsen sends a corrected workbook, which is consolidated
    import openpyxl

    ks = project.inbox(PERIOD) / "KS.xlsx"
    wb = openpyxl.load_workbook(ks)
    wb[layout.TEXTS_SHEET][layout.cell_of(layout.TEXTS_SHEET, "delår", "text", 0)] = \
        "Rättad händelse som kom in efter beslutet."
    wb.save(ks)
    # … and the ekonomiavdelning sends a corrected drift export
    drift = project.data(PERIOD) / "ekonomi-drift.csv"
    raw = drift.read_bytes()
    assert b"-96 208;-145 379" in raw and b"-38 686;-59 110" in raw  # KS and its first ansvar
    drift.write_bytes(raw.replace(b"-96 208;-145 379", b"-97 208;-150 379")
                      .replace(b"-38 686;-59 110", b"-39 686;-64 110"))
    consolidate(project, PERIOD)

    again = render_document_for(project, "delarsrapport", PERIOD, version=str(decision.id))
    assert again.paths == [decided]
    assert decided.read_bytes() == kept
    assert not again.problems or all(p.severity == "varning" for p in again.problems)

    draft = render_document_for(project, "delarsrapport", PERIOD)
    text = _text(draft.paths[0])
    assert "Kansliets tillägg efter beslutet." in text
    assert "Rättad händelse som kom in efter beslutet." in text
    assert "Utkast" in text and "Beslutad av" not in text
    heading = Document(str(draft.paths[0])).styles["Heading 1"]
    assert heading.font.name == "Georgia"
    assert heading.font.color.rgb == RGBColor(0x8B, 0x00, 0x45)
    assert f"150{NB}379" in text and f"150{NB}379" not in _text(decided)
    assert "Rättad händelse som kom in efter beslutet." not in _text(decided)
    assert Document(str(decided)).styles["Heading 1"].font.name != "Georgia"

    # the ekonomiavdelning's statements replaced after the decision: the decided version
    # keeps the archived ones (beslut archives them), the draft shows the new note
    statements = project.data(PERIOD) / "finansiella-rapporter-delår.docx"
    doc = Document(str(statements))
    doc.add_paragraph("Rättad not efter beslutet.")
    doc.save(str(statements))
    third = render_document_for(project, "delarsrapport", PERIOD, version=DECISION)
    assert [p.code for p in third.problems if p.code == "decision-source-changed"] == []
    assert third.paths[0].read_bytes() == kept
    assert "Rättad not efter beslutet." not in _text(third.paths[0])


def test_a_nämnds_own_decision_renders_its_chapter(project, tmp_path: Path) -> None:
    from reportkit.documents.build import render_document_for
    from reportkit.storage import decisions

    project = _copy(project, tmp_path)
    decisions.record_decision(project, PERIOD, "BUN 2026-09-15 § 12", committee="BUN")
    outcome = render_document_for(project, "delarsrapport", PERIOD, version="BUN 2026-09-15 § 12")
    [chapter] = outcome.paths
    assert chapter.parent.name == "kapitel"
    assert chapter.name == "delarsrapport-2026-delår-BUN-beslutad-BUN-2026-09-15-12.docx"
    text = _text(chapter)
    assert "Beslutad av BUN 2026-09-15 § 12" in text
    assert _headings(chapter)[0] == (1, "Barn- och utbildningsnämnden")


def test_wrong_period_type_and_unknown_decision_are_swedish_errors(project) -> None:
    from reportkit.documents.build import render_document_for

    with pytest.raises(ReportkitError) as err:
        render_document_for(project, "arsredovisning", PERIOD)
    [p] = err.value.problems
    assert p.code == "document-period-mismatch"
    assert "2026-delår är av typen delår" in p.message
    with pytest.raises(ReportkitError) as err:
        render_document_for(project, "delarsrapport", PERIOD, version="KF 2030-01-01 § 1")
    assert err.value.problems[0].code == "decision-unknown"


def test_cli_render_with_kapitel_and_version(project, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reportkit.cli import main
    from reportkit.storage import decisions

    project = _copy(project, tmp_path)
    decisions.record_decision(project, PERIOD, DECISION)
    runner = CliRunner()
    result = runner.invoke(main, ["render", "delarsrapport", str(project.root), "--period",
                                  PERIOD, "--kapitel", "--version", DECISION])
    assert result.exit_code == 0, result.output
    assert f"Beslutad version: {DECISION}" in result.output
    written = [line for line in result.output.splitlines() if line.startswith("Skrev ")]
    assert len(written) == 1 + 7
    assert all("beslutad-KF-2026-10-19-112" in line for line in written)
    assert sum("/kapitel/" in line for line in written) == 7


def test_a_first_render_reads_the_rollup_in_a_child_and_a_later_one_here(
        project, tmp_path: Path, monkeypatch) -> None:
    """Memory: a first render composes every chapter in workers forked from the rendering
    process, so the 60-80 MB roll-up of a large kommun is read in a child and only the
    document's data comes back; a later render takes its chapters from the cache, forks no
    such workers and reads here (no 0.2 s of pickling). Same bytes either way."""
    import os

    from reportkit.documents import build
    from reportkit.documents.build import render_document_for

    copy = _copy(project, tmp_path)
    real = build._read_store
    readers = tmp_path / "readers"

    def read_store(*args, **kwargs):
        with open(readers, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "_read_store", read_store)
    first = render_document_for(copy, "delarsrapport", PERIOD)
    first_bytes = first.paths[0].read_bytes()
    first.paths[0].unlink()
    again = render_document_for(copy, "delarsrapport", PERIOD)
    pids = [int(line) for line in readers.read_text().split()]
    assert len(pids) == 2
    assert pids[0] != os.getpid()  # the first render: a child read it
    assert pids[1] == os.getpid()  # the chapters were kept: read here
    assert again.paths[0].read_bytes() == first_bytes
