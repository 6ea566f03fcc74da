"""``reportkit consolidate`` on the scenario: re-runs, corrections, determinism, CLI views."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from scenario import PERIOD, SCENARIO, fill_exact, store_dump

from reportkit.cli import main
from reportkit.console import ProgressBar
from reportkit.consolidate.rollup import compute
from reportkit.consolidate.run import PROGRESS_MIN_FILES, consolidate
from reportkit.outputs.explain import explain, submission_overview
from reportkit.storage import store


def outputs_of(project) -> dict[str, bytes]:
    """Every file in rapporter/<period>/, by name."""
    folder = project.reports(PERIOD)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def all_outputs(project, tmp: Path) -> dict[str, bytes]:
    """Sammanställningar, the status list and an explain underlag, freshly written."""
    submission_overview(project, PERIOD)
    explain(project, "KF3", PERIOD, xlsx=project.reports(PERIOD) / "forklaring-KF3.xlsx")
    return outputs_of(project)


def test_first_run_loads_every_file_and_writes_the_outputs(consolidated):
    project, report = consolidated
    assert [f.file for f in report.new] == sorted(f"{u}.xlsx" for u in SCENARIO)
    assert report.skipped == [] and report.replaced == []
    assert not report.has_errors  # only varningar (the missing utfall)
    assert [p.name for p in report.outputs] == [
        f"sammanstallning-{PERIOD}.xlsx",
        *[f"sammanstallning-{PERIOD}-{c}.xlsx"
          for c in ("KS", "BUN", "VON", "SN", "KFN", "MBN", "EXBO")],
        f"inlamning-{PERIOD}.xlsx"]  # the list to remind from, fresh after every run
    assert report.submissions == {"inkommen": 10, "saknas": 78}
    assert sum(report.goals.values()) == 8
    # the period's exports (data/2026-helår/) load in the same run and show in the summary
    assert {i.state for i in report.exports.items} == {"inläst"}
    import openpyxl

    wb = openpyxl.load_workbook(report.outputs[0], read_only=True)
    sheets = wb.sheetnames
    wb.close()  # read-only holds the file open until closed
    assert sheets[:4] == ["Mål", "Indikatorer", "Aktiviteter", "Inlämning"]
    assert {"Drift", "Exporter"} <= set(sheets)


def test_rerun_changes_nothing_in_the_store_or_the_outputs(make_project, tmp_path):
    project = make_project(tmp_path / "kommun")
    consolidate(project, PERIOD)
    first_store = store_dump(project.store_path)
    first = all_outputs(project, tmp_path)
    again = consolidate(project, PERIOD)
    assert again.new == [] and sorted(again.skipped) == sorted(f"{u}.xlsx" for u in SCENARIO)
    assert {i.state for i in again.exports.items} == {"oförändrad"}
    # file_stat (what each inbox file looked like when hashed) is a cache and may be renewed
    again_store = store_dump(project.store_path)
    assert {k: v for k, v in again_store.items() if k != "file_stat"} == {
        k: v for k, v in first_store.items() if k != "file_stat"}
    assert [r[0] for r in again_store["file_stat"]] == [r[0] for r in first_store["file_stat"]]
    assert all_outputs(project, tmp_path) == first
    assert len(first) == 8 + 2


def test_a_fresh_project_with_the_same_files_gives_the_same_bytes(consolidated, make_project,
                                                                   tmp_path):
    project, _ = consolidated
    other = make_project(tmp_path / "kopia")
    consolidate(other, PERIOD)
    mine, theirs = all_outputs(project, tmp_path), all_outputs(other, tmp_path)
    assert sorted(theirs) == sorted(mine)
    for name in (f"inlamning-{PERIOD}.xlsx", "forklaring-KF3.xlsx"):
        assert theirs[name] == mine[name], name
    # the sammanställningar too: no load time in any output
    assert theirs == mine
    # the stores differ only in the load time
    a, b = store_dump(project.store_path), store_dump(other.store_path)
    strip = lambda rows: [tuple(v for v in r if not str(v).startswith("20")) for r in rows]  # noqa: E731
    assert strip(a["submission"]) == strip(b["submission"])
    for table in ("indicator_value", "goal_entry", "activity", "text_entry", "history",
                  "export_drift", "export_investment", "export_hr"):
        assert a[table] == b[table], table


def test_corrected_workbook_replaces_the_old_one_and_both_stay(make_project, scenario_files,
                                                               tmp_path):
    project = make_project(tmp_path / "kommun")
    consolidate(project, PERIOD)
    # Lärkans förskola sends a corrected workbook; the coordinator saves it over the old one
    target = project.inbox(PERIOD) / "larkans-forskola.xlsx"
    shutil.copy(scenario_files["larkans-rattad"], target)
    report = consolidate(project, PERIOD)
    assert [f.file for f in report.new] == ["larkans-forskola.xlsx"]
    assert report.replaced == ["larkans-forskola.xlsx"]
    conn = store.connect(project.store_path)
    try:
        subs = conn.execute("SELECT id, sha256, state, replaced_by FROM submission "
                            "WHERE unit_id = 'larkans-forskola' ORDER BY id").fetchall()
        assert [(s["state"], s["replaced_by"]) for s in subs] == \
            [("ersatt", subs[1]["id"]), ("aktiv", None)]
        assert subs[1]["sha256"] != subs[0]["sha256"]
        # the history keeps both submissions' values
        kept = {sid: dict(conn.execute(
            "SELECT indicator_id, actual FROM indicator_value WHERE submission_id = ?",
            (sid,)).fetchall()) for sid in (subs[0]["id"], subs[1]["id"])}
        assert kept[subs[0]["id"]]["FORSKOLA-V1-I2"] is None
        assert kept[subs[1]["id"]]["FORSKOLA-V1-I2"] == 5.2
        model, _ = project.period(PERIOD)
        results = compute(conn, model, PERIOD)
    finally:
        conn.close()
    # the roll-up uses the correction: (5,0 + 6,0 + 5,2) / 3 = 5,4; Lärkans (70 + 100) / 2
    i2 = next(i for i in results.goals["FORSKOLA-V1"].indicators
              if i.indicator_id == "FORSKOLA-V1-I2")
    assert i2.actual == pytest.approx(5.4)
    assert results.goals["larkans-forskola-E1"].proposal_degree == pytest.approx(0.85)
    lines = explain(project, "FORSKOLA-V1", PERIOD)
    assert any(line.startswith("  larkans-forskola: larkans-forskola.xlsx (sha256 "
                               f"{subs[0]['sha256'][:12]}") and "ersattes av" in line
               for line in lines)
    # a third run changes nothing
    assert consolidate(project, PERIOD).new == []


@pytest.mark.parametrize("parallel", [False, True])
def test_after_a_correction_only_the_files_it_touches_are_written_and_they_are_exact(
        make_project, scenario_files, tmp_path, monkeypatch, parallel):
    from reportkit.consolidate import summary

    if parallel:  # as for a large kommun: 2 forked writers, the kommun's file at once
        monkeypatch.setattr(summary, "PARALLEL_MIN_ROWS", 0)
    project = make_project(tmp_path / "kommun")
    consolidate(project, PERIOD)
    folder = project.reports(PERIOD)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.glob("sammanst*")}
    shutil.copy(scenario_files["larkans-rattad"], project.inbox(PERIOD) / "larkans-forskola.xlsx")
    consolidate(project, PERIOD)
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.glob("sammanst*")}
    written = sorted(n for n in after if after[n][0] != before[n][0])
    # Lärkans förskola is BUN's: the kommun's file and BUN's change, the others are left alone
    assert written == [f"sammanstallning-{PERIOD}-BUN.xlsx", f"sammanstallning-{PERIOD}.xlsx"]
    assert all(after[n][1] == before[n][1] for n in after if n not in written)
    assert all(after[n][1] != before[n][1] for n in written)
    # and every file is the one a full rewrite gives (in turn, in one process)
    monkeypatch.undo()
    shutil.rmtree(folder)
    consolidate(project, PERIOD)
    assert {p.name: p.read_bytes() for p in folder.glob("sammanst*")} == {
        n: b for n, (_, b) in after.items()}


def test_unchanged_files_are_not_read_again_and_a_changed_one_is(make_project, tmp_path,
                                                                  monkeypatch):
    import os
    import zipfile

    from reportkit.consolidate import run

    project = make_project(tmp_path / "kommun")
    inbox = project.inbox(PERIOD)
    target = inbox / "larkans-forskola.xlsx"
    with zipfile.ZipFile(target, "a") as zf:
        zf.comment = b"sparad 1"
    for path in inbox.iterdir():  # saved by the units long ago
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    consolidate(project, PERIOD)
    read: list[str] = []
    real_hash = run._hash
    monkeypatch.setattr(run, "_hash", lambda p: read.append(p.name) or real_hash(p))
    assert consolidate(project, PERIOD).new == []
    inboxed = {p.name for p in inbox.iterdir()}
    assert read and not [n for n in read if n in inboxed]  # (the outputs are checked)
    # Lärkans förskola's file is saved again in place, as long as before, and its old time
    # put back: the file's change time still tells, and it is read
    before = os.stat(target)
    with zipfile.ZipFile(target, "a") as zf:
        zf.comment = b"sparad 2"
    after = os.stat(target)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (after.st_size, after.st_ino) == (before.st_size, before.st_ino)
    report = consolidate(project, PERIOD)
    assert [f.file for f in report.new] == ["larkans-forskola.xlsx"]
    assert report.replaced == ["larkans-forskola.xlsx"]


def test_the_same_file_twice_in_the_inbox_is_read_once(make_project, tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN", "VON"])
    inbox = project.inbox(PERIOD)
    shutil.copy(inbox / "BUN.xlsx", inbox / "BUN (1).xlsx")  # an attachment saved twice
    report = consolidate(project, PERIOD)
    assert [f.file for f in report.new] == ["BUN (1).xlsx", "VON.xlsx"]
    assert report.skipped == ["BUN.xlsx"]
    assert consolidate(project, PERIOD).new == []


@pytest.mark.parametrize("workers", [1, 2])
def test_two_new_workbooks_of_one_unit_the_later_saved_is_used(make_project, scenario_files,
                                                               tmp_path, workers):
    import os
    import zipfile

    units = ["kommun", "BUN", "VON", "forskola", "sabo", "solrosens-forskola",
             "ekbackens-forskola"]  # with the three below more than 8: worker processes
    project = make_project(tmp_path / "kommun", units=units)
    inbox = project.inbox(PERIOD)
    shutil.copy(scenario_files["larkans-forskola"], inbox / "larkans-a.xlsx")
    shutil.copy(scenario_files["larkans-rattad"], inbox / "larkans-b.xlsx")
    shutil.copy(scenario_files["larkans-forskola"], inbox / "larkans-c.xlsx")
    with zipfile.ZipFile(inbox / "larkans-c.xlsx", "a") as zf:  # other bytes, same content
        zf.comment = b"sparad igen"
    for name, at in (("larkans-a.xlsx", 2_000_000_020), ("larkans-b.xlsx", 2_000_000_010),
                     ("larkans-c.xlsx", 2_000_000_030)):
        os.utime(inbox / name, (at, at))
    report = consolidate(project, PERIOD, workers=workers)
    assert [f.file for f in report.new] == sorted(
        [f"{u}.xlsx" for u in units] + ["larkans-a.xlsx", "larkans-b.xlsx", "larkans-c.xlsx"])
    by_file = {f.file: f for f in report.new}
    for name in ("larkans-a.xlsx", "larkans-b.xlsx"):
        assert by_file[name].submission is None
        assert [p.code for p in by_file[name].problems][-1:] == ["wb-duplicate-unit"]
    assert by_file["larkans-c.xlsx"].submission.unit_id == "larkans-forskola"
    assert "larkans-c.xlsx" in by_file["larkans-a.xlsx"].problems[-1].message
    conn = store.connect(project.store_path)
    try:
        rows = {r["file"]: (r["unit_id"], r["state"], r["warnings"]) for r in conn.execute(
            "SELECT file, unit_id, state, warnings FROM submission "
            "WHERE file LIKE 'larkans-%'")}
        values = conn.execute(
            "SELECT s.file, count(*) FROM indicator_value v JOIN submission s "
            "ON s.id = v.submission_id WHERE s.file LIKE 'larkans-%' GROUP BY s.file"
        ).fetchall()
    finally:
        conn.close()
    assert rows["larkans-c.xlsx"][:2] == ("larkans-forskola", "aktiv")
    # the others are stored as files with their warning, without a unit or values
    assert rows["larkans-a.xlsx"][:2] == rows["larkans-b.xlsx"][:2] == (None, "fel")
    assert rows["larkans-a.xlsx"][2] >= 1
    assert [v[0] for v in values] == ["larkans-c.xlsx"] and values[0][1] > 0


def test_unchanged_file_with_fel_keeps_the_exit_code(make_project, scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["VON"])
    fill_exact(scenario_files["BUN"], project.inbox(PERIOD) / "BUN.xlsx",
               {"actual": {"BUN-M1-I1": "ca 80"}})
    run = CliRunner().invoke
    first = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    second = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert (first.exit_code, second.exit_code) == (1, 1)
    assert "'ca 80' är inte ett tal" in first.stdout
    assert "Oförändrade filer som fortfarande har fel (be enheten rätta och skicka in på " \
           "nytt): BUN.xlsx" in second.stdout
    # once the unit's corrected file replaces it, the run is clean again
    shutil.copy(scenario_files["BUN"], project.inbox(PERIOD) / "BUN.xlsx")
    third = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert third.exit_code == 0, third.stdout


def test_cli_json_is_the_library_report_and_has_no_progress(make_project, tmp_path):
    project = make_project(tmp_path / "kommun")
    result = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD,
                                       "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["reportkit_consolidate"] == 1
    assert [f["file"] for f in data["files"]] == sorted(f"{u}.xlsx" for u in SCENARIO)
    assert data["submissions"] == {"inkommen": 10, "saknas": 78}
    # 5 indicators not measured, and sabo sent its workbook back with nothing typed in; BUN
    # and VON left their intern kontroll (7 + 8 results) and uppdrag (2 + 2 statuses, all 4
    # past their återrapportering at helår) blank (issue #32)
    assert data["errors"] == 0 and data["warnings"] == 6 + 15 + 4 + 4
    assert "Kontrollerar" not in result.output  # stderr is no terminal here


def test_cli_prints_a_summary_at_the_end(consolidated, tmp_path):
    project, _ = consolidated
    copy = tmp_path / "kommun"
    shutil.copytree(project.root, copy)
    result = CliRunner().invoke(main, ["consolidate", str(copy), "-p", PERIOD])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    nxt = lines.index("Nästa steg:")  # the summary, then the next step
    tail = lines[nxt - 3:nxt]
    assert tail[0] == "Inlämning: inkommen 10, saknas 78 (listan: reportkit status)."
    assert tail[1].startswith("KF-mål: ")
    assert tail[2].startswith("Klart på ") and tail[2].endswith(" s.")


def test_progress_bar_shows_for_many_files_on_a_terminal(make_project, tmp_path):
    from rich.console import Console

    assert len(SCENARIO) >= PROGRESS_MIN_FILES
    out = io.StringIO()
    project = make_project(tmp_path / "kommun")
    with ProgressBar(Console(file=out, force_terminal=True, width=80)) as bar:
        calls = []
        consolidate(project, PERIOD, progress=lambda d, t: (calls.append((d, t)), bar(d, t)))
    assert calls[-1] == (len(SCENARIO), len(SCENARIO))
    assert "Kontrollerar styrkort" in out.getvalue()


def test_progress_bar_stays_quiet_for_a_handful(make_project, tmp_path):
    from rich.console import Console

    out = io.StringIO()
    with ProgressBar(Console(file=out, force_terminal=True)) as bar:
        for i in range(PROGRESS_MIN_FILES - 1):
            bar(i + 1, PROGRESS_MIN_FILES - 1)
    assert out.getvalue() == ""


def test_store_has_provenance_on_every_value(consolidated):
    project, _ = consolidated
    conn = sqlite3.connect(project.store_path)
    try:
        rows = conn.execute(
            "SELECT s.file, s.sha256, s.loaded_at, v.sheet, v.cell_actual FROM indicator_value "
            "v JOIN submission s ON s.id = v.submission_id").fetchall()
        history = conn.execute("SELECT DISTINCT file, col FROM history").fetchall()
        migrations = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]
    finally:
        conn.close()
    assert rows and all(f and len(h) == 64 and t and s == "Indikatorer" and c
                        for f, h, t, s, c in rows)
    assert history == [("historik/utfall.csv", "utfall")]
    assert migrations[:2] == ["0001_submissions", "0002_history"]
