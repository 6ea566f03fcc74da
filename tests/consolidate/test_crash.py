"""Killing a consolidation leaves the previous complete state; a second one at once is refused.

A real ``reportkit`` process is started and stopped at a known point (``pausing.py`` wraps
the real function there before it runs the CLI), then killed with SIGKILL: no ``finally``, no
rollback in Python, only what SQLite's journal and the atomic renames give.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from pausing import ANNOUNCE
from scenario import PERIOD, SCENARIO, store_dump

from reportkit.cli import main
from reportkit.consolidate.run import consolidate
from reportkit.errors import ReportkitError

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIRST = ["kommun", "BUN", "VON", "forskola", "sabo"]
LATER = [u for u in SCENARIO if u not in FIRST]


@contextmanager
def paused(root: Path, point: str) -> Iterator[subprocess.Popen]:
    """A ``reportkit consolidate`` process of ``root``, stopped at ``point`` (e.g. insert:3)."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "pausing.py"), point, "consolidate", str(root),
         "-p", PERIOD], env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            ready, _, _ = select.select([proc.stderr], [], [], deadline - time.monotonic())
            if not ready:
                pytest.fail(f"the consolidation never reached {point}")
            line = proc.stderr.readline()
            if not line:
                pytest.fail(f"the consolidation ended before {point}: exit {proc.wait()}")
            if line.startswith(f"{ANNOUNCE} {point}"):
                break
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def half_done(make_project, scenario_files, tmp_path):
    """A project consolidated once with five files, then five more and a correction arrive."""
    project = make_project(tmp_path / "kommun", units=FIRST)
    consolidate(project, PERIOD)
    for unit in LATER:
        shutil.copy2(scenario_files[unit], project.inbox(PERIOD) / f"{unit}.xlsx")
    return project


def outputs(project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(project.reports(PERIOD).iterdir())}


def test_kill_inside_the_transaction_keeps_the_previous_state(half_done):
    project = half_done
    before, files_before = store_dump(project.store_path), outputs(project)
    with paused(project.root, "insert:3") as proc:
        kill(proc)  # three of five new files are inserted, nothing committed
    assert integrity(project.store_path) == "ok"
    assert store_dump(project.store_path) == before
    assert outputs(project) == files_before
    # the next run completes what the killed one started
    report = consolidate(project, PERIOD)
    assert sorted(f.file for f in report.new) == sorted(f"{u}.xlsx" for u in LATER)
    assert integrity(project.store_path) == "ok"
    assert report.submissions["inkommen"] == len(SCENARIO)


def test_kill_while_writing_the_outputs_leaves_no_half_written_file(half_done):
    project = half_done
    bun_before = (project.reports(PERIOD) / f"sammanstallning-{PERIOD}-BUN.xlsx").read_bytes()
    with paused(project.root, "output:3") as proc:
        kill(proc)  # the kommun and KS files renamed into place, BUN written, not renamed
    folder = project.reports(PERIOD)
    leftovers = [p for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers, "the kill came too late to test anything"
    for path in folder.glob("*.xlsx"):
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None, path.name
    assert (folder / f"sammanstallning-{PERIOD}-BUN.xlsx").read_bytes() == bun_before
    # the store committed before the outputs: the new files are in
    assert integrity(project.store_path) == "ok"
    again = consolidate(project, PERIOD)
    assert again.new == [] and again.submissions["inkommen"] == len(SCENARIO)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    assert (folder / f"sammanstallning-{PERIOD}-BUN.xlsx").read_bytes() != bun_before
    rerun = outputs(project)
    consolidate(project, PERIOD)
    assert outputs(project) == rerun


def test_a_second_consolidation_at_the_same_time_is_refused(half_done):
    project = half_done
    with paused(project.root, "insert:1") as proc:
        with pytest.raises(ReportkitError) as err:
            consolidate(project, PERIOD)
        assert err.value.problems[0].code == "project-locked"
        result = CliRunner().invoke(main, ["consolidate", str(project.root), "-p", PERIOD])
        assert result.exit_code == 2
        assert result.stderr.startswith("fel: En annan körning av reportkit arbetar redan med "
                                        f"projektet ({project.root}).")
        assert "Vänta tills den är klar" in result.stderr
        kill(proc)
    # the kernel released the lock with the process
    assert consolidate(project, PERIOD).submissions["inkommen"] == len(SCENARIO)
