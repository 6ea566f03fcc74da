"""A workbook that kills the native reader costs consolidate only that file (issue 21).

Before, a shared-string table declaring 4,294,967,295 strings made calamine abort the worker
process, consolidate stopped with "BrokenProcessPool" (exit 2) and nothing was loaded. Now
pre-flight refuses it, and a file that still kills the reader (``hostile.reader_abort``) is
found by checking the lost chunk again one file at a time in fresh children.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scenario import PERIOD, SCENARIO

from reportkit.cli import main
from reportkit.consolidate import run
from reportkit.consolidate.run import consolidate
from reportkit.storage import store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workbook"))
import hostile  # noqa: E402

BAD = ("orimlig-texttabell.xlsx", "dodar-lasaren.xlsx")


def with_bad_files(project, scenario_files) -> None:
    inbox = project.inbox(PERIOD)
    blank = scenario_files["BUN"].parent.parent / "utskick" / "BUN.xlsx"  # a shared-string table
    hostile.shared_string_counts(blank, inbox / BAD[0])
    hostile.reader_abort(scenario_files["VON"], inbox / BAD[1])


@pytest.mark.parametrize("workers", [1, 2])  # 12 files: with 2, a process pool
def test_files_that_kill_the_reader_are_reported_and_the_others_loaded(
        make_project, scenario_files, tmp_path, workers) -> None:
    project = make_project(tmp_path / "kommun")
    with_bad_files(project, scenario_files)
    report = consolidate(project, PERIOD, workers=workers)
    by_file = {f.file: f for f in report.new}
    assert set(by_file) == {f"{u}.xlsx" for u in SCENARIO} | set(BAD)
    for name in BAD:
        assert [(p.code, p.location.file) for p in by_file[name].problems] == [
            ("file-corrupt", name)]
        assert by_file[name].submission is None
    assert "läsaren avbröts" in by_file[BAD[1]].problems[0].message
    assert report.has_errors
    conn = store.connect(project.store_path)
    try:
        assert set(store.active_submissions(conn, PERIOD)) == {
            f.submission.unit_id for f in report.new if f.submission is not None} == set(SCENARIO)
    finally:
        conn.close()


def test_the_command_exits_1_with_the_verdict(make_project, scenario_files, tmp_path) -> None:
    project = make_project(tmp_path / "kommun", units=["kommun", "BUN"])
    with_bad_files(project, scenario_files)
    result = CliRunner().invoke(main, ["consolidate", str(project.root), "--period", PERIOD,
                                       "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    files = {f["file"]: [p["code"] for p in f["problems"] if p["severity"] == "fel"]
             for f in report["files"]}
    assert files == {"kommun.xlsx": [], "BUN.xlsx": [], BAD[0]: ["file-corrupt"],
                     BAD[1]: ["file-corrupt"]}
    assert report["submissions"]["inkommen"] == 2


def _dies_on_three(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * 10


def test_a_worker_killed_by_a_signal_costs_only_its_item() -> None:
    """The pool breaks; every item of the chunks it lost is worked through again, one child
    going through them, and only the item the child dies on gets ``died``."""
    done = []
    out = run._map(_dies_on_three, list(range(40)), 2, lambda d, t: done.append(d),
                   lambda item, death: ("died", item, death.kind, death.detail))
    assert out == [n * 10 if n != 3 else ("died", 3, "signal", "SIGKILL") for n in range(40)]
    assert done == list(range(1, 41))


def test_in_one_worker_too_the_file_never_runs_in_this_process() -> None:
    out = run._map(_dies_on_three, [1, 2, 3, 4], 1, None, lambda item, death: death.kind)
    assert out == [10, 20, "signal", 40]


def _hungry_on_five(n: int) -> int:
    if n == 5:
        bytearray(1 << 30)  # 1 GB: fine without a limit, over the 256 MB margin
    return n * 10


def test_a_worker_over_the_memory_limit_costs_only_its_item(monkeypatch) -> None:
    monkeypatch.setenv("REPORTKIT_WORKER_MEMORY_MB", "256")
    out = run._map(_hungry_on_five, list(range(20)), 2, None,
                   lambda item, death: (death.kind, item))
    assert out == [n * 10 if n != 5 else ("memory", 5) for n in range(20)]
