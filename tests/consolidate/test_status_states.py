"""``reportkit status`` the coordinator can act on: inkommen, inkommen med fel, försenad (by
``--datum``), saknas, ej utskickad; filters by level and nämnd; 80 columns; the Inlämning
list fresh after consolidate; the headers in the kommun's own level words."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from scenario import PERIOD, SCENARIO

from reportkit.cli import main
from reportkit.consolidate.status import STATES, unit_state

# sent a workbook but nothing came in: an enhet (deadline 2027-01-20) and a verksamhet
# (2027-01-31) of Kommunstyrelsen
SENT_MISSING = ("ekonomienheten", "klk")


@pytest.fixture(scope="module")
def sent_project(make_project, tmp_path_factory: pytest.TempPathFactory):
    """The scenario with workbooks in utskick/ for its 10 units and SENT_MISSING only,
    consolidated."""
    from reportkit.consolidate.run import consolidate

    project = make_project(tmp_path_factory.mktemp("utskick") / "kommun")
    outbox = project.outbox(PERIOD)
    outbox.mkdir(parents=True)
    for unit in (*SCENARIO, *SENT_MISSING):
        (outbox / f"{unit}.xlsx").write_bytes(b"")  # what was sent is known by name
    report = consolidate(project, PERIOD)
    return project, report


def status_json(project, *args: str) -> dict:
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD, "--json",
                                       *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_each_state_counted_before_and_after_the_deadline(sent_project):
    project, _ = sent_project
    before = status_json(project, "--datum", "2027-01-15")
    assert before["counts"] == {"inkommen": 10, "inkommen med fel": 0, "försenad": 0,
                                "saknas": 2, "ej utskickad": 76}
    after = status_json(project, "--datum", "2027-01-25")
    assert after["counts"] == {"inkommen": 10, "inkommen med fel": 0, "försenad": 1,
                               "saknas": 1, "ej utskickad": 76}
    states = {u["unit_id"]: u["state"] for u in after["units"]}
    assert (states["ekonomienheten"], states["klk"]) == ("försenad", "saknas")
    assert states["solrosens-forskola"] == "inkommen" and states["kansliet"] == "ej utskickad"
    late = status_json(project, "--datum", "2027-03-02")["counts"]
    assert late["försenad"] == 2 and late["ej utskickad"] == 76


def test_without_an_outbox_nobody_is_ej_utskickad(consolidated):
    project, _ = consolidated
    counts = status_json(project, "--datum", "2027-01-25")["counts"]
    assert counts["ej utskickad"] == 0 and counts["inkommen"] == 10
    assert counts["försenad"] + counts["saknas"] == 78 and counts["försenad"] > 0


def test_unit_state_rules():
    import datetime as dt

    day = dt.date(2027, 1, 20)
    assert unit_state(0, False, day, day) == "inkommen"  # what came in counts, sent or not
    assert unit_state(2, True, day, day) == "inkommen med fel"
    assert unit_state(None, False, day, day + dt.timedelta(1)) == "ej utskickad"
    assert unit_state(None, True, day, day) == "saknas"  # the deadline day itself
    assert unit_state(None, True, day, day + dt.timedelta(1)) == "försenad"
    assert unit_state(None, True, None, day) == "saknas"
    assert set(STATES) == {"inkommen", "inkommen med fel", "försenad", "saknas",
                           "ej utskickad"}


def test_filters_by_level_and_namnd_by_id_or_name(sent_project):
    project, _ = sent_project
    model, _ = project.period(PERIOD)
    ks = [u for u in model.reporting_units(model.period(PERIOD)) if u.committee == "KS"]
    by_id = status_json(project, "--nämnd", "KS")
    assert {u["unit_id"] for u in by_id["units"]} == {u.id for u in ks}
    by_name = status_json(project, "--namnd", model.units["KS"].name.lower())
    assert by_name["units"] == by_id["units"]
    enheter = status_json(project, "--nämnd", "KS", "--nivå", "enhet")["units"]
    assert enheter and {u["unit_id"] for u in enheter} == {u.id for u in ks
                                                          if u.level == "enhet"}
    assert all(u["level_id"] == "enhet" for u in enheter)
    both = status_json(project, "--nivå", "verksamhet", "--nivå", "Nämnd")["units"]
    assert {u["level_id"] for u in both} == {"verksamhet", "nämnd"}


def test_an_unknown_namnd_is_told_in_swedish(sent_project):
    project, _ = sent_project
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD,
                                       "--nämnd", "Nämnden för månresor"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "Nämnden för månresor" in result.output


@pytest.mark.parametrize("width", [80, 200])
def test_the_table_fits_the_terminal(sent_project, width):
    project, _ = sent_project
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD,
                                       "--datum", "2027-01-25"], env={"COLUMNS": str(width)})
    lines = result.stdout.splitlines()
    table = lines[:lines.index(next(x for x in lines if x.startswith("inkommen: ")))]
    assert max(len(x) for x in table) <= width
    assert len(table) < 88 * 2  # one line per unit, a second only for a long name
    assert "inkommen: 10, försenad: 1, saknas: 1, ej utskickad: 76" in result.stdout
    assert ("E-post" in table[0] or "E-post" in table[1]) == (width >= 140)


def test_the_inlamning_list_is_fresh_after_consolidate(sent_project):
    project, report = sent_project
    path = project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx"
    assert path in report.outputs
    ws = openpyxl.load_workbook(path)["Inlämning"]
    states = [r[3] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert states.count("ej utskickad") == 76 and states.count("inkommen") == 10
    # consolidate's own counts stay coarse: what did not come in is "saknas"
    assert report.submissions == {"inkommen": 10, "saknas": 78}


def test_headers_in_the_kommuns_words(tmp_path):
    """Fyrkanta calls its nämnder and enheter otherwise: the list and the table say so."""
    from reportkit.consolidate.run import consolidate
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    init_project(tmp_path / "fyrkanta", kommun="fyrkanta")
    project = Project.open(tmp_path / "fyrkanta")
    model, period = project.period(PERIOD)
    units = [u.id for u in model.reporting_units(period) if u.level == "enhet"][:3]
    sent = generate_workbooks(project, PERIOD, units)
    project.inbox(PERIOD).mkdir(parents=True, exist_ok=True)
    shutil.copy2(sent[0], project.inbox(PERIOD) / sent[0].name)
    consolidate(project, PERIOD)
    words = (model.level_name("nämnd"), model.level_name("enhet"))
    assert words == ("Nämnd och bolag", "Arbetsplats")
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD],
                                env={"COLUMNS": "80"})
    head = " ".join(result.stdout.splitlines()[:3])
    assert all(w in head for w in words) and "Enhet" not in head
    assert "inkommen: 1, saknas: 2, ej utskickad: 15" in result.stdout
    ws = openpyxl.load_workbook(project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx")["Inlämning"]
    assert [ws["A2"].value, ws["B2"].value] == list(words)


def test_consolidate_rewrites_the_list_when_a_deadline_has_passed(make_project, tmp_path,
                                                                   monkeypatch):
    """Nothing new came in, but a day later a unit is försenad: the list says so."""
    from reportkit.consolidate.run import consolidate

    project = make_project(tmp_path / "kommun", units=["solrosens-forskola"])
    project.outbox(PERIOD).mkdir(parents=True)
    for unit in ("solrosens-forskola", "ekonomienheten"):
        (project.outbox(PERIOD) / f"{unit}.xlsx").write_bytes(b"")
    path = project.reports(PERIOD) / f"inlamning-{PERIOD}.xlsx"

    def listed() -> dict[str, str]:
        ws = openpyxl.load_workbook(path)["Inlämning"]
        return {r[1]: r[3] for r in ws.iter_rows(min_row=3, values_only=True)}

    consolidate(project, PERIOD)
    assert listed()["Ekonomienheten"] == "saknas"
    monkeypatch.setenv("REPORTKIT_DATUM", "2027-01-25")
    report = consolidate(project, PERIOD)
    assert listed()["Ekonomienheten"] == "försenad" and path in report.outputs


def test_exit_code_waits_only_for_units_sent_a_workbook(sent_project):
    project, _ = sent_project
    args = ["status", str(project.root), "-p", PERIOD, "--nämnd", "BUN", "--nivå", "enhet"]
    # BUN's enheter: Solrosens, Ekbackens and Lärkans förskola came in, the others were
    # never sent a workbook
    assert CliRunner().invoke(main, args).exit_code == 0
    assert CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD]).exit_code == 1


@given(st.dates(), st.dates(), st.none() | st.integers(0, 5), st.booleans())
def test_one_state_and_late_only_after_the_deadline(deadline, on, errors, sent):
    state = unit_state(errors, sent, deadline, on)
    assert state in STATES
    assert (state in ("inkommen", "inkommen med fel")) == (errors is not None)
    assert (state == "försenad") == (errors is None and sent and on > deadline)


def test_status_shows_the_next_steps_of_the_arshjul(sent_project):
    project, _ = sent_project
    data = status_json(project, "--datum", "2027-01-25")
    assert data["today"] == "2027-01-25"
    first = data["upcoming"][0]
    assert (first["date"], first["kind"], first["days"]) == ("2027-01-31", "sista dag", 6)
    assert first["title"] == "Sista dag: Verksamhet – Årsredovisning 2026"
    assert [e["date"] for e in data["upcoming"]] == sorted(e["date"] for e in data["upcoming"])
    assert any(e["kind"] == "sammanträde" for e in data["upcoming"])
    result = CliRunner().invoke(main, ["status", str(project.root), "-p", PERIOD,
                                       "--datum", "2027-01-31"])
    lines = result.stdout.splitlines()
    at = lines.index("Närmast i årshjulet:")
    assert lines[at + 1] == "  2027-01-31  Sista dag: Verksamhet – Årsredovisning 2026 (i dag)"
    assert lines[at + 2].startswith("  2027-02-15  Sista dag: Nämnd – ")
    assert lines[at + 2].endswith("(om 15 dagar)")
