"""The README's ``reportkit check`` examples are what check really prints for that file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reportkit.console import report_lines
from reportkit.intake.check import CheckReport, check_file

README = Path(__file__).resolve().parents[2] / "README.md"
CELLS = {"Indikatorer!H4": "93 %", "Indikatorer!H5": 84, "Indikatorer!H6": "ca 90",
         "Indikatorer!H7": 5.2, "Indikatorer!H8": 40, "Mål!F4": "Bedöms inte uppfyllas"}


@pytest.fixture(scope="module")
def report(delar_workbooks, tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    from testkit import write_cells

    folder = tmp_path_factory.mktemp("readme")
    path = write_cells(delar_workbooks["solrosens-forskola"], CELLS,
                       folder / "solrosens-forskola.xlsx")
    return CheckReport(files=[check_file(path)])


def _block(after: str, fence: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(fence, text.index(after)) + len(fence)
    return text[start:text.index("```", start)].strip("\n")


def test_readme_shows_the_real_human_output(report: CheckReport) -> None:
    shown = _block("## Så ser ett fel ut", "```\n").splitlines()
    assert shown[0] == "$ reportkit check solrosens-forskola.xlsx"
    assert shown[1:] == [line.replace("\u00a0", " ") for line in report_lines(report, 100)]


def test_readme_json_example_is_the_real_output_shortened(report: CheckReport) -> None:
    shown = json.loads(_block("### `reportkit check --json`", "```json\n"))
    real = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    shown_values = shown["files"][0].pop("values")
    real_values = real["files"][0].pop("values")
    for doc in (shown, real):
        doc["files"][0].pop("sha256")
    assert shown == real
    assert all(v in real_values for v in shown_values)
    fields = re.findall(r"(\w+) poster", README.read_text(encoding="utf-8"))
    assert fields and fields[0] == {5: "fem"}.get(len(real_values))
