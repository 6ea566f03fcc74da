"""Documents per period type (issue 24): a kvartal gives the ``uppfoljning`` named by its
period, two delårsrapporter are rendered by one command, a level that does not report is
"Följs inte upp denna period", and a period with nothing consolidated is a fel naming the
consolidate to run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from periods_variant import write_variant
from testkit import docx_text

from reportkit.errors import ReportkitError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    """The variant (kvartal K1, K2; delår D1 and the statutory delår) with the nämnder's
    workbooks of K1, D1 and delår filled and consolidated; K2 and the plan untouched."""
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("perioder") / "kommun"
    init_project(root)
    write_variant(root)
    project = Project.open(root)
    for period in ("2026-K1", "2026-D1", "2026-delår"):
        paths = generate_workbooks(project, period, levels=["nämnd"])
        fill_workbooks(paths, project.inbox(period), mistakes=False)
        consolidate(project, period, outputs=False)
    return project


def test_a_kvartal_gives_the_uppfoljning_named_by_its_period(project) -> None:
    from reportkit.documents.build import render_documents

    outcome = render_documents(project, ["uppfoljning"], "2026-K1")
    [path] = outcome.paths
    assert path == project.reports("2026-K1") / "uppfoljning-2026-K1.docx"
    text = docx_text(path)
    assert "Kvartalsuppföljning januari–mars 2026" in text
    assert "Måluppföljning" in text
    # the kommun hands in no styrkort in a kvartal: its goals are not followed up, not Ej mätt
    assert "Följs inte upp denna period" in text
    assert "Resultaträkning" not in text and "Balanskrav" not in text


def test_two_delår_are_rendered_by_one_command(project, monkeypatch) -> None:
    from reportkit.cli import main

    monkeypatch.setenv("REPORTKIT_DATUM", "2026-10-01")
    result = CliRunner().invoke(main, ["render", "delarsrapport", "uppfoljning",
                                       str(project.root)])
    assert result.exit_code == 0, result.output
    written = sorted(Path(line.removeprefix("Skrev ")).name
                     for line in result.output.splitlines() if line.startswith("Skrev "))
    # both delår periods and the one consolidated kvartal (K2 has nothing: not rendered)
    assert written == ["delarsrapport-2026-D1.docx", "delarsrapport-2026-delår.docx",
                       "uppfoljning-2026-K1.docx"]


def test_a_period_with_nothing_consolidated_is_a_fel_naming_the_consolidate(project) -> None:
    from reportkit.cli import main
    from reportkit.documents.build import render_documents

    with pytest.raises(ReportkitError) as err:
        render_documents(project, ["uppfoljning"], "2026-K2")
    [p] = err.value.problems
    assert p.code == "period-empty"
    assert "reportkit consolidate" in p.hint and "-p 2026-K2" in p.hint
    # without -p: the only plan period has nothing consolidated
    result = CliRunner().invoke(main, ["render", "verksamhetsplan", str(project.root),
                                       "--datum", "2025-10-20"])
    assert result.exit_code == 2
    assert "-p 2026-plan" in result.output and "reportkit consolidate" in result.output
    docs = project.reports("2026-plan")
    assert not docs.exists() or not list(docs.glob("*.docx"))
    # status and explain of an empty period: the same fel
    for args in (["status", str(project.root), "-p", "2026-K2"],
                 ["explain", "KF1", str(project.root), "--datum", "2026-07-10"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "-p 2026-K2" in result.output


def test_datum_chooses_the_period_of_status(project) -> None:
    from reportkit.cli import main

    result = CliRunner().invoke(main, ["status", str(project.root), "--datum", "2026-04-02"])
    # the period of 2 April is 2026-D1; only the units sent a workbook count (the rest are
    # "ej utskickad"), and those have handed in: 0
    assert result.exit_code == 0, result.output
    assert "ej utskickad" in result.output and "inkommen" in result.output
    assert (project.reports("2026-D1") / "inlamning-2026-D1.xlsx").is_file()
    result = CliRunner().invoke(main, ["status", str(project.root), "--datum", "2026-13-01"])
    assert result.exit_code == 2
    assert "ÅÅÅÅ-MM-DD" in result.output


def test_a_decided_version_without_p_asks_which_delår(project) -> None:
    from reportkit.documents.build import render_documents

    with pytest.raises(ReportkitError) as err:
        render_documents(project, ["delarsrapport"], version="1")
    [p] = err.value.problems
    assert p.code == "period-ambiguous"
    assert "2026-D1, 2026-delår" in p.message
