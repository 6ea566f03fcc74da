"""Any file name: one that is not UTF-8 is shown escaped, one that begins with ``-`` is a file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from reportkit.cli import main
from reportkit.console import report_lines
from reportkit.intake.check import check

REPO = Path(__file__).resolve().parents[2]
UNIT = "solrosens-forskola"


def _bytes_named(folder: Path, name: bytes, content: Path | bytes) -> bytes:
    """A file in ``folder`` whose name is the raw bytes ``name``; its path as bytes."""
    path = os.fsencode(folder) + b"/" + name
    if isinstance(content, bytes):
        with open(path, "wb") as fh:
            fh.write(content)
    else:
        shutil.copyfile(content, path)
    return path


def test_check_json_is_valid_utf8_with_a_name_that_is_not(delar_workbooks, tmp_path) -> None:
    good = _bytes_named(tmp_path, b"enhet-\xff.xlsx", delar_workbooks[UNIT])
    junk = _bytes_named(tmp_path, b"trasig-\xfe.xlsx", b"inte en arbetsbok")
    # a real process and its stdout bytes: what a script reading the JSON receives
    done = subprocess.run([sys.executable, "-c", "from reportkit.cli import main; main()",
                           "check", "--json", good, junk], cwd=REPO, capture_output=True)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout.decode("utf-8", errors="strict"))
    assert [f["file"] for f in data["files"]] == ["enhet-\\xff.xlsx", "trasig-\\xfe.xlsx"]
    assert data["files"][1]["problems"][0]["location"]["file"] == "trasig-\\xfe.xlsx"


def test_check_text_view_shows_the_escaped_name(delar_workbooks, tmp_path) -> None:
    path = Path(os.fsdecode(_bytes_named(tmp_path, b"enhet-\xff.xlsx", delar_workbooks[UNIT])))
    lines = report_lines(check([path]))
    assert lines[0] == "enhet-\\xff.xlsx"
    assert lines[-1].startswith("enhet-\\xff.xlsx: 0 fel, ")
    "\n".join(lines).encode("utf-8")  # strict


def test_check_takes_a_name_beginning_with_a_dash_after_two_dashes(delar_workbooks, tmp_path,
                                                                   monkeypatch) -> None:
    shutil.copyfile(delar_workbooks[UNIT], tmp_path / "-x.xlsx")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--", "-x.xlsx"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("-x.xlsx: 0 fel, ")
    assert "reportkit check -- -" in CliRunner().invoke(main, ["check", "--help"]).output
    # without the two dashes: a Swedish answer that says what to write, exit 2
    wrong = CliRunner().invoke(main, ["check", "-x.xlsx"])
    assert wrong.exit_code == 2
    assert "Skriv -- före filnamnet: reportkit check -- -x.xlsx" in wrong.output
