"""Exit codes as the README's table gives them: every command is in the table, and a missing
file, an unknown id or a project that is not there exits 2 (kunde inte köras)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from reportkit.cli import main

REPO = Path(__file__).resolve().parent.parent


def _readme_table() -> dict[str, str]:
    """``{command: its row}`` of the README's exit code table."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("| Kommando | 0 | 1 | 2 |", 1)[1].split("\n\n", 1)[0]
    rows: dict[str, str] = {}
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        for name in re.findall(r"`([\w-]+)`", first):
            rows[name] = line
    return rows


def test_every_command_has_its_exit_codes_in_the_readme() -> None:
    assert sorted(_readme_table()) == sorted(main.commands)


def test_check_of_a_file_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "finns-inte.xlsx")])
    assert result.exit_code == 2
    assert "Filen finns inte" in result.output
    as_json = CliRunner().invoke(main, ["check", "--json", str(tmp_path / "finns-inte.xlsx")])
    assert as_json.exit_code == 2
    assert "en fil finns inte" in _readme_table()["check"]


def test_check_of_a_folder_exits_2_and_of_a_broken_file_1(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["check", str(tmp_path)]).exit_code == 2
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"inte en arbetsbok")
    assert CliRunner().invoke(main, ["check", str(broken)]).exit_code == 1


def test_pdfcheck_of_a_file_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pdfcheck", str(tmp_path / "finns-inte.pdf")])
    assert result.exit_code == 2 and "Filen finns inte" in result.output


def test_a_command_outside_any_project_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["workbooks", str(tmp_path), "-p", "2026-delår"])
    assert result.exit_code == 2 and "är inget reportkit-projekt" in result.output
