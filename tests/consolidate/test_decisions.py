"""Decided versions: `reportkit beslut` freezes a period; later submissions land in the draft."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reportkit.errors import ReportkitError
from reportkit.storage import decisions, store

PERIOD = "2026-delår"


def _dump(conn: sqlite3.Connection, results) -> dict:
    """Everything a document shows of a roll-up, comparable with ==."""
    return {gid: (g.proposal, g.assessment, g.final, g.motivation, g.analysis,
                  tuple((i.indicator_id, i.actual, i.status) for i in g.indicators))
            for gid, g in results.goals.items()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("beslut") / "kommun"
    init_project(root)
    project = Project.open(root)
    paths = generate_workbooks(project, PERIOD)
    fill_workbooks(paths, project.inbox(PERIOD), mistakes=False)
    consolidate(project, PERIOD)
    return project


@pytest.fixture
def conn(project, tmp_path: Path):
    """A private copy of the consolidated store, so tests do not see each other's decisions."""
    copy = tmp_path / "reportkit.sqlite"
    src = store.connect(project.store_path)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    c = store.connect(copy)
    yield c
    c.close()


def test_parse_decision_forms():
    assert decisions.parse_decision("KF 2027-04-20 § 45") == ("KF", "2027-04-20", "45")
    assert decisions.parse_decision("Barn- och utbildningsnämnden 2026-09-15 §12") == \
        ("Barn- och utbildningsnämnden", "2026-09-15", "12")
    for bad in ("KF", "KF 2027-13-40 § 4", "KF 2027-04-20", "2027-04-20 § 4"):
        with pytest.raises(ReportkitError) as err:
            decisions.parse_decision(bad)
        assert err.value.problems[0].code == "decision-format"


def test_decided_version_unchanged_by_later_resubmission(project, conn, tmp_path):
    from reportkit.consolidate.rollup import compute
    from reportkit.intake.check import check_file

    model, period = project.period(PERIOD)
    kf = decisions.decide(conn, model, PERIOD, "KF 2026-10-19 § 112",
                          recorded_at="2026-10-19T10:00:00+00:00", recorded_by="kansliet")
    assert kf.label == "KF 2026-10-19 § 112" and kf.scope == "kommun"
    before = _dump(conn, compute(conn, model, PERIOD, version=kf))
    assert before == _dump(conn, compute(conn, model, PERIOD))

    # a unit sends a corrected workbook after the decision: one indicator changes
    unit = next(u for u in model.reporting_units(period) if u.level == "enhet")
    sent = project.inbox(PERIOD) / f"{unit.id}.xlsx"
    changed = _with_changed_indicator(sent, tmp_path / f"{unit.id}.xlsx")
    report = check_file(changed, expected_period=PERIOD)
    assert report.submission is not None
    with store.transaction(conn):
        store.insert_report(conn, PERIOD, report, "2026-10-20T08:00:00+00:00", True)

    draft = _dump(conn, compute(conn, model, PERIOD))
    after = _dump(conn, compute(conn, model, PERIOD, version=kf))
    assert after == before          # the decided version never moves
    assert draft != before          # the draft has the correction
    states = {s.committee: s for s in decisions.part_states(conn, model, PERIOD)}
    committee = next(a.id for a in model.ancestors(unit.id) if a.level == "nämnd")
    assert states[committee].state == "beslutad"
    assert states[committee].changed_after == (unit.id,)
    assert all(s.changed_after == () for c, s in states.items() if c != committee)


def _with_changed_indicator(source: Path, dest: Path) -> Path:
    import openpyxl

    from reportkit.workbook import layout

    wb = openpyxl.load_workbook(source)
    ws = wb[layout.INDICATORS_SHEET]
    for i in range(ws.max_row):
        cell = ws[layout.cell_of(layout.INDICATORS_SHEET, "delår", "actual", i)]
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            cell.value = cell.value + 7
            break
    wb.save(dest)
    return dest


def test_nämnd_decides_its_part(project, conn):
    model, _ = project.period(PERIOD)
    committee = next(u for u in model.units.values() if u.level == "nämnd")
    d = decisions.decide(conn, model, PERIOD, f"{committee.name} 2026-09-15 § 80",
                         scope=committee.id)
    version = decisions.version_submissions(conn, d)
    assert set(version) <= decisions.scope_units(model, committee.id)
    assert committee.id in version
    states = {s.committee: s.state for s in decisions.part_states(conn, model, PERIOD)}
    assert states[committee.id] == "beslutad"
    assert list(states.values()).count("beslutad") == 1


def test_one_live_decision_per_part_and_explicit_undo(project, conn):
    model, _ = project.period(PERIOD)
    d = decisions.decide(conn, model, PERIOD, "KF 2026-10-19 § 112")
    with pytest.raises(ReportkitError) as err:
        decisions.decide(conn, model, PERIOD, "KF 2026-11-02 § 130")
    assert err.value.problems[0].code == "decision-exists"
    with pytest.raises(ReportkitError) as err:
        decisions.undo(conn, PERIOD, str(d.id), "  ")
    assert err.value.problems[0].code == "decision-undo-reason"
    undone = decisions.undo(conn, PERIOD, "KF 2026-10-19 § 112", "Fel underlag för BUN",
                            who="anna.k", at="2026-10-21T09:00:00+00:00")
    assert (undone.undone_by, undone.undo_reason, undone.live) == \
        ("anna.k", "Fel underlag för BUN", False)
    with pytest.raises(ReportkitError) as err:
        decisions.undo(conn, PERIOD, str(d.id), "igen")
    assert err.value.problems[0].code == "decision-already-undone"
    again = decisions.decide(conn, model, PERIOD, "KF 2026-11-02 § 130")
    assert [x.live for x in decisions.decisions(conn, PERIOD)] == [False, True]
    assert decisions.get(conn, PERIOD, str(again.id)).label == "KF 2026-11-02 § 130"


def test_unknown_scope_and_decision(project, conn):
    model, _ = project.period(PERIOD)
    with pytest.raises(ReportkitError) as err:
        decisions.decide(conn, model, PERIOD, "KF 2026-10-19 § 1", scope="NOPE")
    assert err.value.problems[0].code == "decision-scope-unknown"
    with pytest.raises(ReportkitError) as err:
        decisions.get(conn, PERIOD, "99")
    assert err.value.problems[0].code == "decision-unknown"
    with pytest.raises(ReportkitError) as err:
        decisions.decide(conn, model, "2026-helår", "KF 2027-04-20 § 45")
    assert err.value.problems[0].code == "decision-nothing"


def test_archived_files_are_kept_byte_for_byte(project, conn, tmp_path):
    model, _ = project.period(PERIOD)
    text = tmp_path / "forvaltningsberattelse.docx"
    text.write_bytes(b"PK\x03\x04 not really a docx, but bytes are bytes")
    d = decisions.decide(conn, model, PERIOD, "KF 2026-10-19 § 112",
                         archive={"texter/forvaltningsberattelse.docx": text})
    text.write_bytes(b"edited for the next draft")
    assert decisions.archived_files(conn, d) == {
        "texter/forvaltningsberattelse.docx": b"PK\x03\x04 not really a docx, but bytes are bytes"}
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_cli_beslut_decides_lists_and_undoes(project, tmp_path):
    from click.testing import CliRunner

    from reportkit.cli import main

    copy = tmp_path / "kommun"
    shutil.copytree(project.root, copy, ignore=shutil.ignore_patterns("utskick", "rapporter"))
    run = CliRunner().invoke
    ok = run(main, ["beslut", str(copy), "--period", PERIOD, "--beslut", "KF 2026-10-19 § 112"])
    assert ok.exit_code == 0 and "KF 2026-10-19 § 112" in ok.output
    bad = run(main, ["beslut", str(copy), "--period", PERIOD, "--beslut", "KF i oktober"])
    assert bad.exit_code == 2 and "organ, datum och paragraf" in bad.output
    listed = run(main, ["beslut", str(copy), "--period", PERIOD])
    assert "BUN: beslutad av KF 2026-10-19 § 112" in listed.output
    no_reason = run(main, ["beslut", str(copy), "--period", PERIOD, "--angra", "1"])
    assert no_reason.exit_code == 2 and "skäl" in no_reason.output
    undone = run(main, ["beslut", str(copy), "--period", PERIOD, "--angra", "1",
                        "--skal", "Fel underlag"])
    assert undone.exit_code == 0 and "ångrat" in undone.output
    assert "BUN: utkast" in run(main, ["beslut", str(copy), "--period", PERIOD]).output


def test_decided_version_keeps_the_exports_it_was_decided_on(project, conn):
    """A corrected ekonomi export after the decision changes the draft's economy only."""
    from reportkit.consolidate.exports import load_exports
    from reportkit.documents.economy import build_economy

    model, period = project.period(PERIOD)
    d = decisions.decide(conn, model, PERIOD, "KF 2026-10-19 § 112")
    before = build_economy(conn, model, period, project=project, version=d)
    drift = project.root / "data" / PERIOD / "ekonomi-drift.csv"
    original = drift.read_bytes()
    try:
        # Förskola's helårsprognos and BUN's total both 100 tkr worse
        drift.write_bytes(original.replace(b";-151 855", b";-151 955")
                          .replace(b";-562 284", b";-562 384"))
        _, problems = load_exports(conn, project, model, PERIOD, "2026-10-25T08:00:00+00:00")
        assert [p for p in problems if p.is_error] == []
    finally:
        drift.write_bytes(original)
    draft = build_economy(conn, model, period, project=project)
    after = build_economy(conn, model, period, project=project, version=d)
    assert after == before
    bun = {r.committee_id: r.forecast for r in draft.drift if r.name.startswith("Barn")}
    decided = {r.committee_id: r.forecast for r in after.drift if r.name.startswith("Barn")}
    assert bun == {"BUN": 562_384} and decided == {"BUN": 562_284}


def test_status_and_explain_of_a_decided_version(project, tmp_path):
    from click.testing import CliRunner

    from reportkit.cli import main

    copy = tmp_path / "kommun"
    shutil.copytree(project.root, copy, ignore=shutil.ignore_patterns("utskick", "rapporter"))
    run = CliRunner().invoke
    model, _ = project.period(PERIOD)
    bun = model.units["BUN"]
    run(main, ["beslut", str(copy), "-p", PERIOD, "--beslut", f"{bun.name} 2026-09-15 § 80",
               "--namnd", "BUN"])
    status = run(main, ["status", str(copy), "-p", PERIOD])
    assert f"{bun.name}: beslutad, {bun.name} 2026-09-15 § 80" in status.output
    assert f"{model.units['VON'].name}: utkast" in status.output
    import openpyxl

    def listed(name: str) -> set[str]:
        ws = openpyxl.load_workbook(copy / "rapporter" / PERIOD / name).active
        return {str(c) for row in ws.iter_rows(values_only=True) for c in row if c}

    assert run(main, ["status", str(copy), "-p", PERIOD, "--version", "1"]).exit_code in (0, 1)
    decided = listed(f"inlamning-{PERIOD}-beslut-1.xlsx")
    draft = listed(f"inlamning-{PERIOD}.xlsx")
    von_unit = next(u for u in model.descendants("VON") if u.level == "enhet")
    bun_unit = next(u for u in model.descendants("BUN") if u.level == "enhet")
    assert bun_unit.name in decided and von_unit.name in draft
    assert von_unit.name not in decided   # only BUN's part was decided
    goal = next(g for g in model.goals.values() if g.owner == "BUN")
    explained = run(main, ["explain", goal.id, str(copy), "-p", PERIOD, "--version", "1"])
    assert explained.exit_code == 0, explained.output
    assert f"Beslutad version: {bun.name} 2026-09-15 § 80 (beslut 1)" in explained.output
    assert "Utkast" in run(main, ["explain", goal.id, str(copy), "-p", PERIOD]).output
    unknown = run(main, ["explain", goal.id, str(copy), "-p", PERIOD, "--version", "7"])
    assert unknown.exit_code == 2 and "finns inte" in unknown.output
