"""What the native reader does to its process never ends ``reportkit check`` (issue 21).

python-calamine aborts the process (SIGABRT) when a file makes it reserve more memory than
there is. Pre-flight refuses the shapes known to do that; a file that gets past it is read in
a forked child (:mod:`reportkit.isolate`), whose death is the file's ``file-corrupt`` verdict.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportkit.cli import main
from reportkit.intake import check as check_module
from reportkit.intake.check import check

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workbook"))
import hostile  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def good(delar_workbooks: dict[str, Path], tmp_path: Path) -> Path:
    return Path(delar_workbooks["KS"])


@pytest.fixture
def absurd(good: Path, tmp_path: Path) -> Path:
    """The shared-string table declares 4,294,967,295 strings (calamine: SIGABRT)."""
    return hostile.shared_string_counts(good, tmp_path / "orimlig-texttabell.xlsx")


@pytest.fixture
def killer(good: Path, tmp_path: Path) -> Path:
    """Past pre-flight, and calamine aborts on it: the child's death is the verdict."""
    return hostile.reader_abort(good, tmp_path / "dodar-lasaren.xlsx")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "reportkit.cli", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)


def codes(report) -> dict[str, list[str]]:
    return {f.file: [p.code for p in f.problems if p.is_error] for f in report.files}


def test_absurd_shared_string_count_is_a_swedish_verdict_and_exit_1(absurd: Path,
                                                                   good: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(absurd), str(good)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == absurd.name
    assert "Filen är skadad eller ofullständig: tabellen med texter" in result.output
    as_json = CliRunner().invoke(main, ["check", "--json", str(absurd), str(good)])
    assert as_json.exit_code == 1
    files = json.loads(as_json.output)["files"]
    assert [(f["file"], [p["code"] for p in f["problems"]]) for f in files][0] == (
        absurd.name, ["file-corrupt"])
    assert files[1]["errors"] == 0


def test_absurd_shared_string_count_in_a_real_process(absurd: Path) -> None:
    done = run_cli("check", "--json", str(absurd))
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["files"][0]["problems"][0]["code"] == "file-corrupt"
    assert report["files"][0]["file"] == absurd.name


def test_a_file_that_kills_the_reader_is_a_verdict_not_a_signal(killer: Path,
                                                                good: Path) -> None:
    done = run_cli("check", "--json", str(killer), str(good))
    assert done.returncode == 1, done.stderr  # not -6: the reader died in a child
    assert "backtrace" not in done.stderr
    files = json.loads(done.stdout)["files"]
    assert [f["file"] for f in files] == [killer.name, good.name]
    problem = files[0]["problems"][0]
    assert (problem["code"], problem["location"]["file"]) == ("file-corrupt", killer.name)
    assert "läsaren avbröts" in problem["message"]
    assert files[1]["errors"] == 0
    text = run_cli("check", str(killer))
    assert text.returncode == 1
    assert text.stdout.splitlines()[0] == killer.name


def test_a_check_killed_by_a_signal_costs_only_its_file(good: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    real = check_module.check_file
    boom = tmp_path / "boom.xlsx"
    boom.write_bytes(good.read_bytes())

    def crashing(path: Path, **kwargs):
        if path.name == boom.name:
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, **kwargs)

    monkeypatch.setattr(check_module, "check_file", crashing)
    report = check([good, boom, good])
    assert codes(report) == {good.name: [], boom.name: ["file-corrupt"]}
    assert [f.file for f in report.files] == [good.name, boom.name, good.name]
    assert "SIGSEGV" in report.files[1].problems[0].message
    assert report.files[2].sha256 == report.files[0].sha256 != ""


def test_a_check_over_the_memory_limit_costs_only_its_file(good: Path, tmp_path: Path,
                                                           monkeypatch) -> None:
    real = check_module.check_file
    big = tmp_path / "stor.xlsx"
    big.write_bytes(good.read_bytes())

    def hungry(path: Path, **kwargs):
        if path.name == big.name:
            bytearray(64 << 30)  # 64 GB: over any margin
        return real(path, **kwargs)

    monkeypatch.setenv("REPORTKIT_WORKER_MEMORY_MB", "512")
    monkeypatch.setattr(check_module, "check_file", hungry)
    report = check([big, good])
    assert codes(report) == {big.name: ["file-corrupt"], good.name: []}
    assert "mer än 512 MB minne" in report.files[0].problems[0].message
