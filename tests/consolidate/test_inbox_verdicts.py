"""One verdict per inbox entry (issue 21, item 4), and a replaced file is not reported as
failing (item 9). Files in inkommet are allmänna handlingar: never deleted or overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scenario import PERIOD, fill_exact

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workbook"))
import hostile  # noqa: E402

from reportkit.cli import main  # noqa: E402
from reportkit.consolidate.run import consolidate  # noqa: E402
from reportkit.storage import store  # noqa: E402


def snapshot(folder: Path) -> dict[str, str]:
    """Every name in the folder with its bytes' hash (or its kind when not a regular file)."""
    out = {}
    for p in sorted(folder.iterdir()):
        st = os.lstat(p)
        out[p.name] = (hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode)
                       else oct(stat.S_IFMT(st.st_mode)))
    return out


def test_every_name_in_the_inbox_gets_one_verdict(make_project, scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["BUN", "VON"])
    inbox = project.inbox(PERIOD)
    consolidate(project, PERIOD)
    (inbox / "~$BUN.xlsx").write_bytes(b"\x08kalle   " + bytes(155))  # Excel's lock file
    (inbox / ".~lock.VON.xlsx#").write_text("kalle,datorn,2026-09-01;")  # LibreOffice's
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    os.mkfifo(inbox / "ror.xlsx")
    hostile.xls(inbox / "gammal.xls")
    shutil.copy(inbox / "gammal.xls", inbox / "gammal.xlsx")  # renamed, same bytes
    shutil.copy(inbox / "BUN.xlsx", inbox / "BUN (1).xlsx")
    shutil.copy(scenario_files["forskola"], inbox / "forskola.xlsx")
    fill_exact(scenario_files["VON"], inbox / "VON-rattad.xlsx",
               {"actual": {"VON-M1-I1": 98}})
    (inbox / "gamla").mkdir()
    before = snapshot(inbox)

    result = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD,
                                       "--json"])
    assert result.exit_code == 1, result.output  # the .xls is a fel
    data = json.loads(result.stdout)
    entries = {e["file"]: e for e in data["entries"]}
    assert sorted(entries) == sorted(os.listdir(inbox))  # nothing goes unmentioned
    assert [e["file"] for e in data["entries"]] == sorted(entries)
    assert all(list(e) == sorted(e) for e in data["entries"])
    verdict = {name: (e["verdict"], e["unit"]) for name, e in entries.items()}
    assert verdict == {
        "~$BUN.xlsx": ("ignored", None),
        ".~lock.VON.xlsx#": ("ignored", None),
        ".DS_Store": ("ignored", None),
        "ror.xlsx": ("ignored", None),
        "gammal.xls": ("refused", None),
        "gammal.xlsx": ("refused", None),
        "BUN.xlsx": ("unchanged", "BUN"),
        "BUN (1).xlsx": ("ignored", None),
        "forskola.xlsx": ("loaded", "forskola"),
        "VON-rattad.xlsx": ("replaced", "VON"),
        "VON.xlsx": ("unchanged", None),
        "gamla": ("refused", None),
    }
    reason = {name: e["reason"] for name, e in entries.items()}
    assert "låsfil" in reason["~$BUN.xlsx"] and "låsfil" in reason[".~lock.VON.xlsx#"]
    assert reason[".DS_Store"] == "dold fil"
    assert reason["ror.xlsx"] == "inte en vanlig fil (namngiven pipe)"
    assert reason["BUN (1).xlsx"] == "samma innehåll som BUN.xlsx; BUN.xlsx används"
    assert entries["gammal.xls"]["codes"] == ["file-xls"]
    assert entries["gammal.xlsx"]["codes"] == ["file-xls"]
    assert "gammal.xls" in reason["gammal.xlsx"]
    assert reason["VON-rattad.xlsx"] == "ersätter VON.xlsx"
    assert reason["VON.xlsx"] == "ersatt av VON-rattad.xlsx"
    assert entries["gamla"]["codes"] == ["file-is-directory"]
    assert {e["label"] for e in data["entries"]} <= {
        "inläst", "ersätter tidigare", "oförändrad", "avvisad", "ignoreras"}
    # the library report is what --json printed
    again = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert again.exit_code == 1
    for name in ("ror.xlsx", "BUN (1).xlsx", "VON-rattad.xlsx", ".DS_Store"):
        assert name in again.stdout
    assert snapshot(inbox) == before  # nothing deleted, nothing written


def test_a_replaced_file_with_fel_is_not_reported_as_failing(make_project, scenario_files,
                                                             tmp_path):
    project = make_project(tmp_path / "kommun", units=["VON"])
    inbox = project.inbox(PERIOD)
    fill_exact(scenario_files["BUN"], inbox / "BUN.xlsx", {"actual": {"BUN-M1-I1": "ca 80"}})
    run = CliRunner().invoke
    first = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert first.exit_code == 1
    # BUN sends a corrected file under a new name; the faulty one stays (allmän handling)
    shutil.copy(scenario_files["BUN"], inbox / "BUN-rattad.xlsx")
    before = snapshot(inbox)
    second = run(main, ["consolidate", str(project.root), "-p", PERIOD, "--json"])
    assert second.exit_code == 0, second.stdout
    data = json.loads(second.stdout)
    assert data["unchanged_with_errors"] == []
    verdict = {e["file"]: (e["verdict"], e["reason"]) for e in data["entries"]}
    assert verdict["BUN.xlsx"] == ("unchanged", "ersatt av BUN-rattad.xlsx")
    assert verdict["BUN-rattad.xlsx"] == ("replaced", "ersätter BUN.xlsx")
    assert data["fixed"] == [{"file": "BUN-rattad.xlsx", "replaces": "BUN.xlsx", "problems": [
        {"code": "cell-not-number", "sheet": "Indikatorer", "cell": "H4"}]}]
    assert snapshot(inbox) == before
    conn = store.connect(project.store_path)
    try:
        states = {r["file"]: r["state"] for r in conn.execute(
            "SELECT file, state FROM submission WHERE unit_id = 'BUN'")}
    finally:
        conn.close()
    assert states == {"BUN.xlsx": "ersatt", "BUN-rattad.xlsx": "aktiv"}
    third = run(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert third.exit_code == 0
    assert "Oförändrade filer som fortfarande har fel" not in third.stdout


def test_the_summary_lists_what_a_corrected_file_fixed(make_project, scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["VON"])
    inbox = project.inbox(PERIOD)
    fill_exact(scenario_files["BUN"], inbox / "BUN.xlsx", {"actual": {"BUN-M1-I1": "ca 80"}})
    consolidate(project, PERIOD)
    shutil.copy(scenario_files["BUN"], inbox / "BUN-rattad.xlsx")
    result = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD])
    assert result.exit_code == 0, result.stdout
    assert "Rättat i BUN-rattad.xlsx (ersätter BUN.xlsx): cell-not-number Indikatorer!H4." \
        in result.stdout
    assert "Oförändrade filer som fortfarande har fel" not in result.stdout


def broken(source: Path, dest: Path) -> Path:
    """A copy of a filled workbook with a column heading typed over: refused as a whole."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    wb["Indikatorer"]["B3"] = "Min egen rubrik"
    wb.save(dest)
    return dest


def test_a_refused_file_is_replaced_by_the_units_next_accepted_file(make_project,
                                                                    scenario_files, tmp_path):
    project = make_project(tmp_path / "kommun", units=["VON"])
    inbox = project.inbox(PERIOD)
    broken(scenario_files["BUN"], inbox / "BUN.xlsx")
    run = CliRunner().invoke
    first = json.loads(run(main, ["consolidate", str(project.root), "-p", PERIOD,
                                  "--json"]).stdout)
    assert {e["file"]: e["verdict"] for e in first["entries"]}["BUN.xlsx"] == "refused"
    assert run(main, ["consolidate", str(project.root), "-p", PERIOD]).exit_code == 1
    shutil.copy(scenario_files["BUN"], inbox / "BUN-rattad.xlsx")
    second = run(main, ["consolidate", str(project.root), "-p", PERIOD, "--json"])
    assert second.exit_code == 0, second.stdout
    data = json.loads(second.stdout)
    entries = {e["file"]: e for e in data["entries"]}
    assert (entries["BUN.xlsx"]["verdict"], entries["BUN.xlsx"]["reason"]) == (
        "unchanged", "ersatt av BUN-rattad.xlsx")
    assert entries["BUN-rattad.xlsx"]["replaces"] == ["BUN.xlsx"]
    assert data["fixed"][0]["replaces"] == "BUN.xlsx"
    assert {p["code"] for p in data["fixed"][0]["problems"]} == {"wb-header-changed"}
    assert run(main, ["consolidate", str(project.root), "-p", PERIOD]).exit_code == 0


@pytest.mark.parametrize("bad", ["BUN-a.xlsx", "BUN-z.xlsx"])
def test_a_refused_file_and_the_units_accepted_file_in_one_run(make_project, scenario_files,
                                                               tmp_path, bad):
    project = make_project(tmp_path / "kommun", units=["VON"])
    inbox = project.inbox(PERIOD)
    broken(scenario_files["BUN"], inbox / bad)
    shutil.copy(scenario_files["BUN"], inbox / "BUN-m.xlsx")
    result = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD,
                                       "--json"])
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["errors"] == 0 and data["replaced_refused"] == [bad]
    entries = {e["file"]: e for e in data["entries"]}
    assert entries[bad]["verdict"] == "refused"
    assert entries[bad]["reason"].startswith("ersatt av BUN-m.xlsx (")
    assert (entries["BUN-m.xlsx"]["verdict"], entries["BUN-m.xlsx"]["replaces"]) == (
        "replaced", [bad])
    conn = store.connect(project.store_path)
    try:
        states = {r["file"]: r["state"] for r in conn.execute("SELECT file, state FROM submission")}
    finally:
        conn.close()
    assert states[bad] == "ersatt" and states["BUN-m.xlsx"] == "aktiv"


def test_a_store_of_the_previous_release_opens_and_migrates(tmp_path):
    import sqlite3

    path = tmp_path / "reportkit.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, "
                "applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    names = [name for name, _ in store.MIGRATIONS]
    before = names.index("0103_submission_claimed_unit")
    for name, sql in store.MIGRATIONS[:before]:  # what the previous release created
        for statement in sql.split(";"):
            if statement.strip():
                old.execute(statement)
        old.execute("INSERT INTO migrations(name) VALUES (?)", (name,))
    old.execute("INSERT INTO submission(period, unit_id, level, file, sha256, loaded_at, state) "
                "VALUES ('2026-helår', NULL, NULL, 'BUN.xlsx', 'ab', '2026-09-01', 'fel')")
    old.commit()
    old.close()
    conn = store.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]
        row = dict(conn.execute("SELECT * FROM submission").fetchone())
    finally:
        conn.close()
    assert "0103_submission_claimed_unit" in names
    assert row["file"] == "BUN.xlsx" and row["state"] == "fel" and row["claimed_unit"] is None
