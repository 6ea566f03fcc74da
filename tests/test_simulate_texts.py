"""The demo's kansli step: section texts written as the kansli and the nämnder would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from reportkit.demo.simulate_texts import KANSLI, write_section_texts
from reportkit.documents.sections import COMMITTEE_FILES, SECTIONS, has_text, write_draft
from reportkit.formats import NBSP, format_number, format_percent

HELAR, DELAR, PLAN = "2026-helår", "2026-delår", "2026-plan"


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory):
    """Exempelkommun with the nämnder's workbooks filled and every period consolidated (the
    enheter and verksamheter have not reported: that is enough for the kommun's texts)."""
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("kansli") / "kommun"
    init_project(root)
    project = Project.open(root)
    paths = generate_workbooks(project, HELAR, levels=["nämnd"])
    fill_workbooks(paths, project.inbox(HELAR), mistakes=False)
    for period in (PLAN, DELAR, HELAR):
        consolidate(project, period, outputs=False)
    return project


@pytest.fixture
def project(consolidated, tmp_path: Path):
    """A private copy, so each test starts without texts."""
    from reportkit.styrmodell.project import Project

    root = tmp_path / "kommun"
    shutil.copytree(consolidated.root, root, ignore=shutil.ignore_patterns("rapporter",
                                                                           ".cache"))
    return Project.open(root)


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _expected(project, period: str, document: str) -> set[Path]:
    model = project.styrmodell(2026)
    folder = project.texts(period)
    wanted = {folder / f"{s.key}.docx" for s in SECTIONS[document] if s.create}
    if document != "verksamhetsplan":
        for c in model.config.committees:
            for key, _title in COMMITTEE_FILES:
                if key == "privata_utforare" and c.kind == "bolag":
                    continue
                wanted.add(folder / c.id / f"{key.replace('_', '-')}.docx")
    return wanted


@pytest.mark.parametrize(("period", "document"), [(HELAR, "arsredovisning"),
                                                  (DELAR, "delarsrapport"),
                                                  (PLAN, "verksamhetsplan")])
def test_kansli_writes_every_section_text_the_document_asks_for(project, period, document):
    written = write_section_texts(project, period)

    assert set(written) == _expected(project, period, document)
    assert all(has_text(p) for p in written)
    assert not (project.texts(period) / "EXBO" / "privata-utforare.docx").exists()


def test_the_units_drafts_stay_and_the_kansli_writes_the_rest(project):
    write_section_texts(project, HELAR)
    folder = project.texts(HELAR)

    handelser = Document(str(folder / "handelser.docx"))
    assert handelser.core_properties.author == "reportkit"  # sections.py's draft of the units'
    assert "Socialnämnden" in [p.text for p in handelser.paragraphs]
    styrning = Document(str(folder / "styrning.docx"))
    assert styrning.core_properties.author == KANSLI
    assert Document(str(folder / "BUN" / "intern-kontroll.docx")).core_properties.author \
        == "Barn- och utbildningsnämnden"
    bullets = [p for p in Document(str(folder / "VON" / "intern-kontroll.docx")).paragraphs
               if p.style.name == "List Bullet"]
    assert len(bullets) == 3


def test_figures_in_the_texts_are_the_exports_figures(project):
    from reportkit.consolidate.rollup import compute
    from reportkit.documents.build import to_report_data
    from reportkit.storage import store

    write_section_texts(project, HELAR)
    model, period = project.period(HELAR)
    conn = store.connect(project.store_path)
    try:
        data = to_report_data(project, model, compute(conn, model, HELAR), period)
    finally:
        conn.close()
    final = next(ln for ln in data.economy.balanskrav if ln.key == "balanskravsresultat")
    sick = next(s for s in data.economy.sick_leave if s.year == 2026)
    folder = project.texts(HELAR)

    balance = " ".join(_paragraphs(folder / "balanskrav.docx"))
    assert f"Årets balanskravsresultat är {format_number(final.values[2026], 1)}{NBSP}mnkr" \
        in balance
    personnel = " ".join(_paragraphs(folder / "personal.docx"))
    assert f"sjukfrånvaron var {format_percent(sick.total, 1)} av den ordinarie" in personnel
    overview = " ".join(_paragraphs(folder / "oversikt.docx"))
    assert f"Av kommunfullmäktiges {len(data.kf_goals())} mål" in overview


def test_a_file_with_text_is_never_written_and_an_empty_one_is_filled(project):
    folder = project.texts(HELAR)
    folder.mkdir(parents=True)
    own, empty = folder / "personal.docx", folder / "balanskrav.docx"
    write_draft(own, "Väsentliga personalförhållanden", [("text", "Kansliets egen text.")])
    write_draft(empty, "Balanskravsresultat", [])
    before = own.read_bytes()

    written = write_section_texts(project, HELAR)

    assert own.read_bytes() == before and own not in written
    assert empty in written and has_text(empty)
    assert write_section_texts(project, HELAR) == []  # all there now: nothing more to write


def test_same_seed_gives_byte_identical_files(consolidated, tmp_path: Path):
    from reportkit.styrmodell.project import Project

    copies = []
    for name in ("a", "b"):
        root = tmp_path / name
        shutil.copytree(consolidated.root, root)
        copies.append(Project.open(root))
        write_section_texts(copies[-1], DELAR)
    a, b = (p.texts(DELAR) for p in copies)
    files = sorted(p.relative_to(a) for p in a.rglob("*.docx"))
    assert files and files == sorted(p.relative_to(b) for p in b.rglob("*.docx"))
    assert [(a / f).read_bytes() for f in files] == [(b / f).read_bytes() for f in files]


@pytest.mark.slow
def test_rendered_arsredovisning_has_no_section_placeholder(project):
    from reportkit.documents.build import render_document_for

    write_section_texts(project, HELAR)
    outcome = render_document_for(project, "arsredovisning", HELAR)

    codes = {p.code for p in outcome.problems}
    assert not codes & {"section-text-missing", "section-text-unreadable",
                        "unit-mission-missing"}
    text = "\n".join(p.text for p in Document(str(outcome.paths[0])).paragraphs)
    assert "Text saknas" not in text
    assert "Kommunstyrelsen leder och samordnar kommunens verksamheter" in text  # uppdrag


def test_the_kommuns_own_template_folder_has_one_owner(tmp_path) -> None:
    """``Project.docx_templates``: ``<dokument: mallar:>/docx`` when the styrmodell names a
    folder, None (the built-in templates) when it does not."""
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path / "kommun"
    init_project(root)
    project = Project.open(root)
    model = project.styrmodell(2026)
    assert project.docx_templates(model) is None
    yaml = root / "styrmodell" / "2026.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  # mallar: mallar", "  mallar: egna-mallar", 1), encoding="utf-8")
    project = Project.open(root)
    assert project.docx_templates(project.styrmodell(2026)) == root / "egna-mallar" / "docx"
