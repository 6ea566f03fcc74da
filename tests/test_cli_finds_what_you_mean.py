"""The CLI finds what you mean: a unit by its name in ``workbooks --enhet`` (Exempelkommun and
Fyrkanta), "menade du …?" for a typo, a unit that reports nothing in the period named as
such, and the project found from any folder inside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reportkit.cli import main
from reportkit.styrmodell.project import Project, find_root
from reportkit.styrmodell.project_setup import init_project


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("finds")
    return {kommun: init_project(root / kommun, kommun)
            for kommun in ("exempelkommun", "fyrkanta")}


@pytest.mark.parametrize(("kommun", "name", "unit"), [
    ("exempelkommun", "Solrosens förskola", "solrosens-forskola"),
    ("exempelkommun", "SOLROSENS-FORSKOLA", "solrosens-forskola"),
    ("fyrkanta", "ekens äldreboende", "eken"),
    ("fyrkanta", "Norrskolan", "norrskolan"),
])
def test_workbooks_for_a_unit_named_by_its_name(projects, tmp_path, kommun, name, unit) -> None:
    result = CliRunner().invoke(main, ["workbooks", str(projects[kommun]), "-p", "2026-delår",
                                       "--enhet", name])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 styrkort skrevs")
    assert (projects[kommun] / "utskick" / "2026-delår" / f"{unit}.xlsx").is_file()


def test_workbooks_for_an_unknown_unit_suggests_and_exits_2(projects) -> None:
    result = CliRunner().invoke(main, ["workbooks", str(projects["fyrkanta"]), "-p",
                                       "2026-delår", "--enhet", "norskolan"])
    assert result.exit_code == 2
    assert "Menade du norrskolan (Norrskolan)" in result.stderr
    assert "styrkort skrevs" not in result.output


def test_workbooks_for_a_unit_that_reports_nothing_in_the_period(projects) -> None:
    """Exempelkommun's tertial is reported by enhet, verksamhet and nämnd: not the kommun."""
    result = CliRunner().invoke(main, ["workbooks", str(projects["exempelkommun"]), "-p",
                                       "2026-T1", "--enhet", "exempelkommun"])
    assert result.exit_code == 2
    assert "lämnar inget styrkort för 2026-T1" in result.stderr


def test_a_unit_that_reports_nothing_is_told_in_fyrkantas_words(projects) -> None:
    """Fyrkanta's kvartal K2 is reported by arbetsplatser and nämnder och bolag only."""
    result = CliRunner().invoke(main, ["workbooks", str(projects["fyrkanta"]), "-p",
                                       "2026-K2", "--enhet", "Skolavdelningen"])
    assert result.exit_code == 2
    assert "Skolavdelningen (skola) lämnar inget styrkort för 2026-K2" in result.stderr
    assert "arbetsplats, nämnd och bolag" in result.stderr and "enhet" not in result.stderr


def test_the_project_is_found_from_a_subfolder(projects, monkeypatch) -> None:
    root = projects["fyrkanta"]
    inner = root / "inkommet" / "2026-delår"
    inner.mkdir(parents=True, exist_ok=True)
    assert find_root(inner.resolve()) == root.resolve()
    assert Project.open(inner).root == root.resolve()
    monkeypatch.chdir(inner)
    validated = CliRunner().invoke(main, ["validate", "--no-tree"])
    assert validated.exit_code == 0, validated.output
    written = CliRunner().invoke(main, ["workbooks", "-p", "2026-delår", "--enhet", "soderskolan"])
    assert written.exit_code == 0, written.output
    assert (root / "utskick" / "2026-delår" / "soderskolan.xlsx").is_file()
    assert not (inner / "utskick").exists()
    # the next step: where the workbooks come back, and consolidate (inside the project)
    assert "reportkit consolidate -p 2026-delår" in written.output


def test_a_misspelt_project_inside_a_project_is_no_project(projects, monkeypatch) -> None:
    monkeypatch.chdir(projects["exempelkommun"])
    result = CliRunner().invoke(main, ["validate", "exempelkommunn"])
    assert result.exit_code == 2 and "är inget reportkit-projekt" in result.stderr
    assert CliRunner().invoke(main, ["status", "exempelkommunn"]).exit_code == 2


def test_a_folder_outside_any_project_is_still_no_project(tmp_path) -> None:
    assert find_root(tmp_path.resolve()) is None
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and "är inget reportkit-projekt" in result.stderr
