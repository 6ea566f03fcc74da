"""On the consolidated scenario: ``explain`` and ``beslut --nämnd`` take names and ids in any
case; each command ends with the next step; render's missing figures name their real cause
(export missing, not consolidated, refused for its fel), and a period with no styrkort loaded
or with files consolidate has not read says so."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from scenario import PERIOD, SCENARIO

from reportkit.cli import main
from reportkit.errors import problem

DRIFT = "ekonomi-drift.csv"


def _commands(output: str) -> list[list[str]]:
    """Every ``reportkit …`` command the output suggests, as argv (after ``reportkit``)."""
    return [shlex.split(line.split("reportkit ", 1)[1].split("   –", 1)[0])
            for line in output.splitlines() if line.lstrip().startswith("reportkit ")]


def test_explain_takes_an_id_in_any_case_and_a_name(consolidated) -> None:
    project, _ = consolidated
    run = CliRunner().invoke
    exact = run(main, ["explain", "KF3", str(project.root), "-p", PERIOD])
    lower = run(main, ["explain", "kf3", str(project.root), "-p", PERIOD])
    assert lower.exit_code == 0, lower.output
    assert lower.stdout.splitlines()[:8] == exact.stdout.splitlines()[:8]
    model, _ = project.period(PERIOD)
    by_name = run(main, ["explain", model.goals["KF3"].name.upper(), str(project.root),
                         "-p", PERIOD])
    assert by_name.stdout.splitlines()[1].startswith("KF-mål KF3: ")


def test_explain_of_a_typo_suggests_and_exits_2(consolidated) -> None:
    project, _ = consolidated
    result = CliRunner().invoke(main, ["explain", "KF33", str(project.root), "-p", PERIOD])
    assert result.exit_code == 2
    assert "Menade du KF3 (" in result.stderr and "Traceback" not in result.output


def test_explain_ends_with_the_underlag_for_the_revisorer(consolidated, tmp_path) -> None:
    project, _ = consolidated
    result = CliRunner().invoke(main, ["explain", "kf3", str(project.root), "-p", PERIOD])
    (last,) = [c for c in _commands(result.stdout) if c[0] == "explain"]
    assert last[:2] == ["explain", "kf3"] and "--xlsx" in last


def test_beslut_for_a_nämnd_named_by_its_name(make_project, tmp_path) -> None:
    from reportkit.consolidate.run import consolidate

    project = make_project(tmp_path / "kommun")
    consolidate(project, PERIOD)
    run = CliRunner().invoke
    decided = run(main, ["beslut", str(project.root), "-p", PERIOD, "--beslut",
                         "BUN 2027-03-20 § 4", "--namnd", "barn- och utbildningsnämnden"])
    assert decided.exit_code == 0, decided.output
    assert "(BUN)" in decided.output
    # the next step: render the decided version
    render = next(c for c in _commands(decided.output) if c[0] == "render")
    assert render[1] == "arsredovisning" and render[-2:] == ["--version", "1"]
    unknown = run(main, ["beslut", str(project.root), "-p", PERIOD, "--beslut",
                         "VON 2027-03-20 § 5", "--namnd", "vårdnämnden"])
    assert unknown.exit_code == 2 and "Menade du " in unknown.stderr
    assert "VON (Vård- och omsorgsnämnden)" in unknown.stderr


def test_consolidate_and_status_end_with_the_next_step(make_project, tmp_path) -> None:
    project = make_project(tmp_path / "kommun")
    run = CliRunner().invoke
    result = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert "Nästa steg:" in result.output
    steps = _commands(result.output)
    assert [c[0] for c in steps] == ["status", "render", "explain"]
    assert steps[0] == ["status", str(project.root), "-p", PERIOD]
    assert steps[1][:2] == ["render", "arsredovisning"]
    status = run(main, ["status", str(project.root), "-p", PERIOD])
    remind = status.stdout.splitlines()[-1]
    assert remind.startswith("Nästa steg: påminn 78 ")
    model, _ = project.period(PERIOD)
    reporting = model.reporting_units(project.period(PERIOD)[1])
    first = next(u for u in reporting if u.id not in SCENARIO)  # the first of the 78
    assert f"{first.name} (saknas, {first.email})" in remind and "… och 73 till" in remind
    assert str(project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx") in remind


def test_the_next_step_drops_the_project_inside_it(make_project, tmp_path, monkeypatch) -> None:
    project = make_project(tmp_path / "kommun")
    monkeypatch.chdir(project.inbox(PERIOD))
    result = CliRunner().invoke(main, ["consolidate", "-p", PERIOD])
    assert ["status", "-p", PERIOD] in _commands(result.output)


@pytest.fixture
def bare(tmp_path: Path):
    """A project whose exports are there but nothing else: no workbook in the inbox."""
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    init_project(tmp_path / "kommun")
    return Project.open(tmp_path / "kommun")


def _causes(project, problems):
    from reportkit.documents.causes import with_causes
    from reportkit.styrmodell.assess import DEFAULT_SCALE

    model, period = project.period(PERIOD)
    return with_causes(project, model, period, DEFAULT_SCALE, problems)


def _drift_missing():
    return problem("document-data-missing", table="Driftredovisning", period=PERIOD,
                   export="drift")


def test_a_period_with_no_styrkort_loaded_warns_that_every_goal_is_ej_matt(bare) -> None:
    from reportkit.consolidate.run import consolidate

    consolidate(bare, PERIOD)
    found = _causes(bare, [])
    assert [p.code for p in found] == ["document-no-submissions"]
    assert "'Ej mätt'" in found[0].message and f"inkommet/{PERIOD}/" in found[0].hint


def test_files_that_came_after_consolidate_are_named(make_project, scenario_files,
                                                     tmp_path) -> None:
    from reportkit.consolidate.run import consolidate

    project = make_project(tmp_path / "kommun", units=["kommun"])
    consolidate(project, PERIOD)
    assert _causes(project, []) == []
    shutil.copy2(scenario_files["BUN"], project.inbox(PERIOD) / "BUN.xlsx")
    (late,) = _causes(project, [])
    assert late.code == "document-inbox-not-consolidated" and "BUN.xlsx" in late.message


def test_missing_drift_figures_name_the_export_that_is_not_there(bare) -> None:
    from reportkit.consolidate.run import consolidate

    (bare.data(PERIOD) / DRIFT).unlink()
    consolidate(bare, PERIOD)
    found = _causes(bare, [_drift_missing()])
    cause = next(p for p in found if p.code.startswith("document-data"))
    assert cause.code == "document-data-export-missing"
    assert f"data/{PERIOD}/{DRIFT} finns inte" in cause.message


def test_missing_drift_figures_when_the_export_came_after_consolidate(bare, tmp_path) -> None:
    from reportkit.consolidate.run import consolidate

    drift = bare.data(PERIOD) / DRIFT
    kept = drift.read_bytes()
    drift.unlink()
    consolidate(bare, PERIOD)
    drift.write_bytes(kept)  # the ekonomiavdelning's export came; consolidate not run
    cause = next(p for p in _causes(bare, [_drift_missing()])
                 if p.code.startswith("document-data"))
    assert cause.code == "document-data-not-loaded"
    assert "finns men är inte inläst" in cause.message
    assert cause.hint.startswith(f"Kör reportkit consolidate -p {PERIOD}")
    assert "Lägg" not in cause.hint


def test_missing_drift_figures_when_the_export_has_fel(bare) -> None:
    from reportkit.consolidate.run import consolidate

    drift = bare.data(PERIOD) / DRIFT
    drift.write_text("ingen;riktig;export\n1;2;3\n", encoding="utf-8")
    consolidate(bare, PERIOD)
    cause = next(p for p in _causes(bare, [_drift_missing()])
                 if p.code.startswith("document-data"))
    assert cause.code == "document-data-export-fel"
    assert "har fel och används inte" in cause.message and "fel:" in cause.message


def test_a_loaded_export_keeps_the_plain_varning(bare) -> None:
    from reportkit.consolidate.run import consolidate

    consolidate(bare, PERIOD)
    assert _drift_missing() in _causes(bare, [_drift_missing()])


def test_an_export_figure_of_a_nämnd_named_by_its_name(consolidated) -> None:
    project, _ = consolidated
    run = CliRunner().invoke
    by_id = run(main, ["explain", "drift:BUN", str(project.root), "-p", PERIOD])
    by_name = run(main, ["explain", "drift:barn- och utbildningsnamnden", str(project.root),
                         "-p", PERIOD])
    assert by_name.exit_code == 0, by_name.output
    assert by_name.stdout.splitlines()[0] == by_id.stdout.splitlines()[0]
    assert "(BUN)" in by_name.stdout.splitlines()[0]
