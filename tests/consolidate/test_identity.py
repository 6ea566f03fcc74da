"""No unit passes as another (issue 21, item 3): identity against the styrmodell, file names
that point at another unit, and a file that now holds another unit's styrkort."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from scenario import PERIOD, store_dump

from reportkit.cli import main
from reportkit.consolidate.run import consolidate
from reportkit.intake.check import check
from reportkit.storage import store
from reportkit.workbook import layout


def edit_meta(source: Path, dest: Path, **values: str) -> Path:
    """A copy of ``source`` with ``_meta`` fields set, as someone editing the very hidden sheet
    by hand (openpyxl) would leave it; nothing else changes."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    ws = wb[layout.META_SHEET]
    for row in range(1, len(layout.META_KEYS) + 1):
        key = ws.cell(row, 1).value
        if key in values:
            ws.cell(row, 2).value = values[key]
    wb.save(dest)
    return dest


def inbox_bytes(project) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(project.inbox(PERIOD).iterdir())}


def submissions(project) -> dict[str, tuple]:
    conn = store.connect(project.store_path)
    try:
        return {r["file"]: (r["unit_id"], r["state"]) for r in conn.execute(
            "SELECT file, unit_id, state FROM submission ORDER BY id")}
    finally:
        conn.close()


def verdicts(report) -> dict[str, tuple[str, str | None]]:
    return {e.file: (e.verdict, e.unit) for e in report.entries}


def test_a_workbook_whose_meta_claims_another_unit_is_refused_and_changes_nothing(
        make_project, scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["solrosens-forskola", "BUN"])
    consolidate(project, PERIOD)
    before = store_dump(project.store_path)
    # Ekbackens förskola's filled workbook with _meta saying it is Solrosens förskola's
    edit_meta(scenario_files["ekbackens-forskola"],
              project.inbox(PERIOD) / "ekbackens-forskola.xlsx",
              unit_id="solrosens-forskola")
    sent = inbox_bytes(project)
    report = consolidate(project, PERIOD)
    (rep,) = report.new
    assert rep.submission is None
    mismatch = [(p.location.sheet, p.location.cell) for p in rep.problems
                if p.code == "wb-unit-mismatch"]
    # its name is Ekbackens', and Mål!A4 holds ekbackens-forskola-E1, Ekbackens' own goal
    assert mismatch[:2] == [("_meta", "B5"), ("Mål", "A4")]
    goal = next(p for p in rep.problems if p.location.cell == "A4")
    assert "ekbackens-forskola-E1" in goal.message and "Ekbackens förskola" in goal.message
    assert report.has_errors
    assert verdicts(report)["ekbackens-forskola.xlsx"] == ("refused", None)
    assert verdicts(report)["solrosens-forskola.xlsx"] == ("unchanged", "solrosens-forskola")
    # Solrosens' real submission is untouched: still active, nothing replaced
    assert report.replaced == []
    subs = submissions(project)
    assert subs["solrosens-forskola.xlsx"] == ("solrosens-forskola", "aktiv")
    assert subs["ekbackens-forskola.xlsx"] == (None, "fel")
    after = store_dump(project.store_path)
    for table in ("indicator_value", "goal_entry", "activity", "text_entry"):
        assert after[table] == before[table], table
    assert inbox_bytes(project) == sent


def test_a_claimed_unit_never_pushes_the_units_own_new_file_aside(make_project,
                                                                   scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["solrosens-forskola"])
    inbox = project.inbox(PERIOD)
    fake = edit_meta(scenario_files["ekbackens-forskola"], inbox / "zz-solrosen.xlsx",
                     unit_id="solrosens-forskola", unit_name="Solrosens förskola")
    import os

    os.utime(fake, (4_000_000_000, 4_000_000_000))  # saved later than Solrosens' own
    report = consolidate(project, PERIOD)
    by_file = {f.file: f for f in report.new}
    assert by_file["solrosens-forskola.xlsx"].submission.unit_id == "solrosens-forskola"
    assert "wb-duplicate-unit" not in [p.code for p in by_file["solrosens-forskola.xlsx"].problems]
    assert "wb-unit-mismatch" in [p.code for p in by_file["zz-solrosen.xlsx"].problems]
    assert submissions(project)["solrosens-forskola.xlsx"] == ("solrosens-forskola", "aktiv")


def test_meta_naming_another_unit_or_level_is_a_mismatch_in_meta(make_project, scenario_files,
                                                                  tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN"])
    edit_meta(scenario_files["VON"], project.inbox(PERIOD) / "von.xlsx",
              unit_name="Barn- och utbildningsnämnden", level="verksamhet")
    report = consolidate(project, PERIOD)
    rep = next(f for f in report.new if f.file == "von.xlsx")
    cells = {(p.location.sheet, p.location.cell) for p in rep.problems
             if p.code == "wb-unit-mismatch"}
    meta_row = {k: i + 1 for i, k in enumerate(layout.META_KEYS)}
    assert ("_meta", f"B{meta_row['level']}") in cells


def test_check_inside_a_project_finds_the_mismatch_and_outside_cannot(make_project,
                                                                       scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN"])
    inside = edit_meta(scenario_files["ekbackens-forskola"],
                       project.inbox(PERIOD) / "ekbackens-forskola.xlsx",
                       unit_id="solrosens-forskola")
    outside = shutil.copy(inside, tmp_path / "lös-fil.xlsx")
    report = check([inside, outside])
    assert "wb-unit-mismatch" in [p.code for p in report.files[0].problems]
    assert report.files[0].submission is None and report.files[0].values == []
    assert report.files[1].problems == [] or "wb-unit-mismatch" not in [
        p.code for p in report.files[1].problems]
    result = CliRunner().invoke(main, ["check", str(inside), "--json"])
    assert result.exit_code == 1
    codes = [p["code"] for p in json.loads(result.stdout)["files"][0]["problems"]]
    assert "wb-unit-mismatch" in codes


def test_legitimate_workbooks_of_every_level_have_no_identity_problem(exempel,
                                                                        delar_workbooks):
    from reportkit.intake.check import check_file
    from reportkit.intake.identity import Identities

    model, _ = exempel
    identities = Identities(model)
    levels = set()
    for unit_id, path in delar_workbooks.items():
        rep = check_file(path)
        assert rep.submission is not None, unit_id
        assert identities.problems(rep.submission, rep.file) == [], unit_id
        assert identities.name_problem(rep.submission, rep.file) is None, unit_id
        levels.add(rep.submission.level)
    assert levels == {"kommun", "nämnd", "verksamhet", "enhet"}


def test_allowed_ids_are_those_the_generator_writes(exempel):
    from reportkit.intake.identity import Identities
    from reportkit.workbook.content import build_content

    model, period = exempel
    identities = Identities(model)
    for unit in model.reporting_units(period):
        content = build_content(model, unit.id, period)
        goals, pairs = identities.allowed(unit.id)
        assert goals == set(content.goal_ids), unit.id
        assert pairs == {(i.goal, i.id) for i in content.indicators}, unit.id


def test_prefilled_higher_levels_with_underlag_load_without_mismatch(make_project, tmp_path):
    """A verksamhet's, nämnd's and the kommun's workbooks prefilled with the Underlag of the
    units below (their ids) are their own."""
    from reportkit.outputs.outbox import generate_workbooks

    units = ["solrosens-forskola", "ekbackens-forskola", "larkans-forskola"]
    project = make_project(tmp_path / "kommun", units=units)
    consolidate(project, PERIOD)
    made = generate_workbooks(project, PERIOD, units=["forskola", "BUN", "kommun"],
                              out_dir=tmp_path / "utskick")
    for path in made:
        shutil.copy(path, project.inbox(PERIOD) / path.name)
    report = consolidate(project, PERIOD)
    assert sorted(f.file for f in report.new) == ["BUN.xlsx", "forskola.xlsx", "kommun.xlsx"]
    for rep in report.new:
        assert rep.submission is not None, rep.problems
        assert not [p for p in rep.problems if p.is_error], rep.problems


def test_file_named_for_another_unit_is_a_varning_naming_both(make_project, scenario_files,
                                                               tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN"])
    shutil.copy(scenario_files["VON"], project.inbox(PERIOD) / "KS (1).xlsx")
    report = consolidate(project, PERIOD)
    rep = next(f for f in report.new if f.file == "KS (1).xlsx")
    named = [p for p in rep.problems if p.code == "wb-file-name-unit"]
    assert len(named) == 1 and not named[0].is_error
    assert "(KS)" in named[0].message and "(VON)" in named[0].message
    assert rep.submission.unit_id == "VON"
    assert not report.has_errors


def test_a_file_that_now_holds_another_units_styrkort_keeps_the_first_units_submission(
        make_project, scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN", "VON"])
    consolidate(project, PERIOD)
    # VON's workbook saved over BUN's file (saved again: other bytes than VON.xlsx)
    import zipfile

    shutil.copy(scenario_files["VON"], project.inbox(PERIOD) / "BUN.xlsx")
    with zipfile.ZipFile(project.inbox(PERIOD) / "BUN.xlsx", "a") as zf:
        zf.comment = b"sparad igen"
    with_von = (project.inbox(PERIOD) / "BUN.xlsx").read_bytes()
    report = consolidate(project, PERIOD)
    (rep,) = report.new
    codes = [p.code for p in rep.problems]
    assert "wb-file-changed-unit" in codes and "wb-file-name-unit" in codes
    changed = next(p for p in rep.problems if p.code == "wb-file-changed-unit")
    assert "(BUN)" in changed.message and "(VON)" in changed.message
    # BUN's submission from the file's earlier content stays in use, marked as changed
    conn = store.connect(project.store_path)
    try:
        active = store.active_submissions(conn, PERIOD)
    finally:
        conn.close()
    assert active["BUN"]["file"] == "BUN.xlsx" and active["VON"]["file"] == "BUN.xlsx"
    assert report.source_changed == {"BUN": "BUN.xlsx"}
    assert any("BUN.xlsx (BUN)" in line for line in report.summary_lines())
    # the status list and explain say the source file has changed
    from reportkit.outputs.explain import explain, submission_overview

    statuses, _ = submission_overview(project, PERIOD)
    bun = next(s for s in statuses if s.unit_id == "BUN")
    assert bun.state == "inkommen" and bun.source_changed
    assert not next(s for s in statuses if s.unit_id == "VON").source_changed
    lines = explain(project, "BUN-M1", PERIOD)
    assert any("BUN.xlsx" in line and "annat innehåll" in line for line in lines)
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD],
                                env={"COLUMNS": "250"})
    assert "inkommen (källfilen ändrad)" in result.stdout
    import openpyxl

    sheet = openpyxl.load_workbook(project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx").active
    files = {row[1]: row[9] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert files["Barn- och utbildningsnämnden"] == \
        "BUN.xlsx (filen har ändrats sedan inläsningen)"
    assert (project.inbox(PERIOD) / "BUN.xlsx").read_bytes() == with_von


def test_a_file_saved_over_with_another_files_exact_bytes_is_the_same_content(
        make_project, scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN", "VON"])
    consolidate(project, PERIOD)
    shutil.copy(scenario_files["VON"], project.inbox(PERIOD) / "BUN.xlsx")
    report = consolidate(project, PERIOD)
    assert report.new == []
    entries = {e.file: e for e in report.entries}
    assert (entries["VON.xlsx"].verdict, entries["VON.xlsx"].unit) == ("unchanged", "VON")
    assert entries["BUN.xlsx"].verdict == "ignored"
    assert entries["BUN.xlsx"].reason == "samma innehåll som VON.xlsx; VON.xlsx används"
    assert report.source_changed == {"BUN": "BUN.xlsx"}


def test_a_file_name_names_a_unit_by_id_or_name_with_copy_suffixes(exempel):
    from reportkit.intake.identity import Identities

    identities = Identities(exempel[0])
    named = {name: identities.named_unit(name) for name in (
        "BUN.xlsx", "bun (1).xlsx", "BUN-rattad.xlsx", "solrosens-forskola-v2.xlsx",
        "Solrosens förskola.xlsx", "forskola_ny.xlsx", "kommunen.xlsx", "styrkort.xlsx")}
    assert named == {
        "BUN.xlsx": "BUN", "bun (1).xlsx": "BUN", "BUN-rattad.xlsx": "BUN",
        "solrosens-forskola-v2.xlsx": "solrosens-forskola",
        "Solrosens förskola.xlsx": "solrosens-forskola", "forskola_ny.xlsx": "forskola",
        "kommunen.xlsx": None, "styrkort.xlsx": None}
