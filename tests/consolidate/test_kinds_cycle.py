"""A cycle with every kind of organisation (issue 24 item 2), end to end: workbooks for an
enhet directly under a gemensam nämnd, a dotterbolag and a kommunalförbund; a consolidation
that rolls the enhet up to its nämnd's goal; an årsredovisning (no PDF) grouping the
committees by kind under headings in their own words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from orgkinds import write_variant
from scenario import PERIOD, fill_exact, read_meta

UNITS = ["OFN", "ofn-kansli", "STADSHUS", "EXEN", "RTJF"]
FILLED = {"ofn-kansli": {"actual": {"ofn-kansli-E1-I1": 95}},
          "EXEN": {"actual": {"EXEN-M1-I1": 60}},
          "RTJF": {"actual": {"RTJF-M1-I1": 11}}}


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory):
    from reportkit.consolidate.run import consolidate
    from reportkit.documents.build import render_documents
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("slag") / "kommun"
    init_project(root)
    write_variant(root)
    project = Project.open(root)
    blanks = {p.stem: p for p in generate_workbooks(project, PERIOD, UNITS)}
    inbox = project.inbox(PERIOD)
    inbox.mkdir(parents=True, exist_ok=True)
    for unit, spec in FILLED.items():
        fill_exact(blanks[unit], root / f"{unit}.xlsx", spec)
        shutil.copy2(root / f"{unit}.xlsx", inbox / f"{unit}.xlsx")
    report = consolidate(project, PERIOD)
    rendered = render_documents(project, ["arsredovisning"], PERIOD)
    return project, blanks, report, rendered


def test_workbooks_for_the_enhet_under_a_nämnd_the_dotterbolag_and_the_förbund(cycle) -> None:
    import openpyxl

    _project, blanks, _report, _rendered = cycle
    assert sorted(blanks) == sorted(UNITS)
    meta = read_meta(openpyxl.load_workbook(blanks["ofn-kansli"]))
    assert (meta["level"], meta["unit_name"]) == ("enhet", "Överförmyndarkansliet")
    assert "ofn-kansli-E1-I1" in meta["rows"]["Indikatorer"]
    for unit in ("EXEN", "RTJF"):
        assert read_meta(openpyxl.load_workbook(blanks[unit]))["level"] == "nämnd"


def test_the_enhet_rolls_up_to_its_nämnd_goal(cycle) -> None:
    from reportkit.consolidate.rollup import compute
    from reportkit.storage import store

    project, _blanks, report, _rendered = cycle
    assert [f.path.name for f in report.new if any(p.is_error for p in f.problems)] == []
    model, _ = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, PERIOD)
    finally:
        conn.close()
    kansli = results.goals["ofn-kansli-E1"]
    assert kansli.proposal == "uppfyllt"  # 95 % against 90 %
    assert results.goals["OFN-M1"].underlag == {"uppfyllt": 1}
    assert results.goals["OFN-M1"].underlag_proposal == "uppfyllt"
    assert results.goals["EXEN-M1"].proposal == "ej_uppfyllt"  # 60 against 80
    assert results.goals["RTJF-M1"].proposal == "uppfyllt"  # 11 minuter, lower is better
    # a sammanställning of its own for each committee, the dotterbolag too
    folder = project.reports(PERIOD)
    for committee in ("OFN", "STADSHUS", "EXEN", "RTJF"):
        assert (folder / f"sammanstallning-{PERIOD}-{committee}.xlsx").is_file(), committee


def headings(path: Path) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[1]), p.text) for p in Document(str(path)).paragraphs
            if p.style.name.startswith("Heading ")]


def test_the_årsredovisning_groups_the_committees_by_kind(cycle) -> None:
    project, _blanks, _report, rendered = cycle
    [path] = [p for p in rendered.paths if p.suffix == ".docx" and p.parent.name != "kapitel"]
    heads = headings(path)
    level1 = [t for lvl, t in heads if lvl == 1]
    assert "Nämndernas verksamhetsberättelser" not in level1
    assert level1[-3:] == ["Nämndernas och bolagens verksamhetsberättelser",
                           "Kommunalförbundens verksamhetsberättelser", "Ordlista"]
    first = heads.index((1, "Nämndernas och bolagens verksamhetsberättelser"))
    second = heads.index((1, "Kommunalförbundens verksamhetsberättelser"))
    assert [t for lvl, t in heads[first:second] if lvl == 2] == [
        "Kommunstyrelsen", "Barn- och utbildningsnämnden", "Vård- och omsorgsnämnden",
        "Socialnämnden", "Kultur- och fritidsnämnden", "Miljö- och byggnämnden",
        "Gemensamma överförmyndarnämnden", "Exempelkommuns Bostads AB",
        "Exempelkommuns Stadshus AB", "Exempelkommuns Energi AB"]
    assert [t for lvl, t in heads[second:] if lvl == 2] == [  # the ordlista has none
        "Räddningstjänstförbundet Exempeldalen", "Vattenförbundet Exempeldalen"]
    # a förbund without goals says so in its own words
    text = [p.text for p in Document(str(path)).paragraphs]
    assert "Kommunalförbundet har inga egna mål för perioden." in text
    assert "Nämnden har inga egna mål för perioden." not in text
    # the chart of the committees' goals names the kinds it shows
    xml = "".join(Document(str(path)).element.xml.split())
    assert "pernämnd,bolagochförbund" in xml
