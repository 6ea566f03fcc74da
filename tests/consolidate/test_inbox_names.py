"""consolidate takes any name in the inbox as a file: one that is not UTF-8 is loaded,
stored and shown escaped (``enhet-\\xff.xlsx``), never a UnicodeEncodeError."""

from __future__ import annotations

import json
import os
import shutil

from click.testing import CliRunner
from scenario import PERIOD

from reportkit.cli import main
from reportkit.consolidate.run import consolidate
from reportkit.storage import store


def test_an_inbox_name_that_is_not_utf8_is_loaded_and_shown_escaped(make_project, scenario_files,
                                                                    tmp_path) -> None:
    project = make_project(tmp_path / "kommun", units=["kommun"])
    inbox = os.fsencode(project.inbox(PERIOD))
    shutil.copyfile(scenario_files["BUN"], inbox + b"/BUN-\xff.xlsx")
    with open(inbox + b"/trasig-\xfe\n.xlsx", "wb") as fh:
        fh.write(b"inte en arbetsbok")

    report = consolidate(project, PERIOD)
    assert [f.file for f in report.new] == ["BUN-\\xff.xlsx", "kommun.xlsx",
                                            "trasig-\\xfe\\n.xlsx"]
    assert [p.code for p in report.new[2].problems] == ["file-not-xlsx"]
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # strict
    conn = store.connect(project.store_path)
    try:
        active = store.active_submissions(conn, PERIOD)
    finally:
        conn.close()
    assert active["BUN"]["file"] == "BUN-\\xff.xlsx"

    # the second run knows the workbook by its shown name: skipped, not read again (a refused
    # file has no stored hash and is checked again)
    again = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD, "--json"])
    data = json.loads(again.stdout_bytes.decode("utf-8", errors="strict"))
    assert [f["file"] for f in data["files"]] == ["trasig-\\xfe\\n.xlsx"]
    assert data["skipped"] == ["BUN-\\xff.xlsx", "kommun.xlsx"]


def test_the_consolidation_table_shows_brackets_in_names_and_messages_as_they_are() -> None:
    # rich reads "[kopia]" as markup: the table showed "enhet .xlsx"
    from rich.console import Console

    from reportkit.console import print_consolidation
    from reportkit.consolidate.run import ConsolidationReport
    from reportkit.errors import problem
    from reportkit.intake.check import FileReport

    name = "enhet [kopia].xlsx"
    report = ConsolidationReport(PERIOD, new=[FileReport(name, name, problems=[
        problem("file-not-xlsx", file=name, looks_like="en [bold]textfil")])])
    console = Console(record=True, width=300, highlight=False)
    print_consolidation(report, console)
    shown = console.export_text()
    assert name in shown and "en [bold]textfil" in shown


def test_a_large_inbox_lists_the_files_that_need_a_word_and_counts_the_rest() -> None:
    # 1 500 plain "oförändrad" rows hid the few files with fel (and took rich a second)
    from rich.console import Console

    from reportkit.console import print_consolidation
    from reportkit.consolidate.inbox import InboxEntry
    from reportkit.consolidate.run import ConsolidationReport

    plain = [InboxEntry(f"enhet-{n:03}.xlsx", "unchanged", unit=f"E{n}") for n in range(60)]
    noted = [InboxEntry("trasig.xlsx", "refused", "har 2 fel"),
             InboxEntry("enhet-fel.xlsx", "unchanged", "redan inläst, har 1 fel", "EF")]
    report = ConsolidationReport(PERIOD, entries=[*plain, *noted])
    console = Console(record=True, width=200, highlight=False)
    print_consolidation(report, console)
    shown = console.export_text()
    assert "trasig.xlsx" in shown and "enhet-fel.xlsx" in shown
    assert "enhet-001.xlsx" not in shown
    assert "60 filer till är oförändrad utan anmärkning" in shown

    small = ConsolidationReport(PERIOD, entries=[*plain[:10], *noted])
    console = Console(record=True, width=200, highlight=False)
    print_consolidation(small, console)
    assert "enhet-001.xlsx" in console.export_text()  # a small inbox lists every file
