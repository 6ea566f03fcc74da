"""Percent cells show what was typed: "85 %", "85%" and "85" typed in LibreOffice Calc.

Calc stores "85 %" as 0,85 and "85" as 85. The utfall cell's number format
(generate.input_number_format) shows both as 85 %, the reader reads both as 85, and the live
degree, status and förslag formulas count 85 too (after Calc recalculates). Typed over UNO
(tests/uno_calc.py: Calc's own input line, ``.uno:EnterString``) with sv-SE and en-US, in the
Exempelkommun's kommun workbook, which holds percent indicators against large målvärden and
one against a målvärde of 2 % (the issue's "0,6").

Also here: a workbook of the previous release (literal ``" %"`` format, 85 stored as 85) reads
as before, and generated values read back as themselves.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from reportkit.intake.check import check_file
from reportkit.workbook import layout
from reportkit.workbook.checksheet import percent_points
from reportkit.workbook.content import scale_of
from reportkit.workbook.generate import input_number_format

UNO_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).resolve().parent.parent / "uno_calc.py"
PERIOD = "2026-delår"
SHEET = layout.INDICATORS_SHEET

# indicator → (typed in sv-SE, typed in en-US, read as, shown in sv-SE, shown in en-US)
TYPED = {
    "KF1-I1": ("85 %", "85 %", 85.0, "85,0 %", "85.0 %"),
    "KF1-I2": ("85%", "85%", 85.0, "85,0 %", "85.0 %"),
    "KF2-I1": ("85", "85", 85.0, "85,0 %", "85.0 %"),
    "KF3-I1": ("0,85", "0.85", 85.0, "85,0 %", "85.0 %"),
    "KF5-I1": ("100 %", "100 %", 100.0, "100,0 %", "100.0 %"),
    # målvärde 2 %: 0,6 is 0,6 % (the share-or-percent rule), and 1,5 % typed is 1,5 %
    "KF7-I1": ("0,6", "0.6", 0.6, "0,6 %", "0.6 %"),
    "KF6-I1": ("1,5 %", "1.5 %", 1.5, "1,5 %", "1.5 %"),
    "KF6-I2": ("-3", "-3", -3.0, "-3,0 %", "-3.0 %"),
}


def _typing_python() -> str:
    found = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True)
    if found.returncode != 0:
        pytest.skip("python3-uno saknas")
    return UNO_PYTHON


@pytest.fixture(scope="module")
def kommun(exempel, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    model, period = exempel
    content = build_content(model, "kommun", period)
    path = generate_workbook(content, tmp_path_factory.mktemp("kommun") / "kommun.xlsx")
    return path, content


def _row(content: Any, indicator: str) -> int:
    return [i.id for i in content.indicators].index(indicator)


def _type(soffice: str, locale: str, src: Path, tmp: Path, cells: list[list[str]],
          read: list[list[str]]) -> tuple[dict[str, Any], Path]:
    dst = tmp / f"typed-{locale}.xlsx"
    job = {"soffice": soffice, "profile": str(tmp / f"profile-{locale}"), "locale": locale,
           "src": str(src), "dst": str(dst), "type": cells, "read": read}
    done = subprocess.run([_typing_python(), str(SCRIPT)], input=json.dumps(job), text=True,
                          capture_output=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout), dst


@pytest.mark.libreoffice
@pytest.mark.parametrize("locale", ["sv-SE", "en-US"])
def test_typed_percentages_show_and_read_as_typed(kommun, exempel, locale: str, tmp_path: Path,
                                                  require_libreoffice: str) -> None:
    path, content = kommun
    model, _ = exempel
    english = locale == "en-US"
    pt = content.period_type
    shape = (content.target_headers, content.gender_headers)  # the sheet's own columns
    addr = {ind: layout.cell_of(SHEET, pt, "actual", _row(content, ind), *shape)
            for ind in TYPED}
    status = {ind: layout.cell_of(SHEET, pt, "status", _row(content, ind), *shape)
              for ind in TYPED}
    goals = [g for g in content.goals if any(content.indicators[i].id in TYPED
                                             for i in g.indicator_rows)]
    proposals = {g.id: layout.cell_of(layout.GOALS_SHEET, pt, "proposal", n)
                 for n, g in enumerate(content.goals) if g in goals}
    typing = [[SHEET, addr[ind], typed[1 if english else 0]] for ind, typed in TYPED.items()]
    read = [[SHEET, a] for a in status.values()] + \
        [[layout.GOALS_SHEET, a] for a in proposals.values()]
    cells, saved = _type(require_libreoffice, locale, path, tmp_path, typing, read)

    # what the unit sees in its own styrkort
    for ind, typed in TYPED.items():
        shown = cells[f"{SHEET}!{addr[ind]}"]["shown"].replace("\u00a0", " ")
        assert shown == typed[4 if english else 3], (ind, cells[f"{SHEET}!{addr[ind]}"])
    # the file Calc saved keeps the conditions (sv-SE writes the space as "\ ", same meaning)
    with zipfile.ZipFile(saved) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")
    kept = r'formatCode="\[&gt;1\]#,##0\.0&quot; %&quot;;\[&gt;=0\]0\.0(\\ |&quot; &quot;)%;'
    assert re.search(kept, styles), styles
    # what reportkit reads from the file Calc saved
    report = check_file(saved, expected_period=PERIOD)
    # nothing refused or misread; a negative share is only the plausibility varning
    assert not [p for p in report.problems if p.location.cell in addr.values()
                and p.location.sheet == SHEET
                and p.code != "indicator-share-out-of-range"], report.problems
    assert [p.location.cell for p in report.problems
            if p.code == "indicator-share-out-of-range"] == [addr["KF6-I2"]]
    entries = {e.indicator_id: e for e in report.submission.indicators}
    for ind, typed in TYPED.items():
        assert entries[ind].actual == pytest.approx(typed[2]), ind
    # the live formulas, recalculated by Calc, agree with reportkit's assessment
    scale, forecast = scale_of(model), bool(content.forecast_labels)
    for ind in TYPED:
        assert cells[f"{SHEET}!{status[ind]}"]["shown"] == \
            scale.label(entries[ind].status, forecast=forecast), ind
    own = {g.goal_id: g for g in report.submission.goals}
    for gid, cell in proposals.items():
        assert cells[f"{layout.GOALS_SHEET}!{cell}"]["shown"] == \
            scale.label(own[gid].proposal, forecast=forecast), gid


def test_the_percent_input_format_and_its_formula_draw_the_same_line() -> None:
    assert input_number_format("%", 1, 85.0) == '[>1]#,##0.0" %";[>=0]0.0" "%;-#,##0.0" %"'
    assert input_number_format("%", 0, 2.0) == '[>0.2]#,##0" %";[>=0]0" "%;-#,##0" %"'
    assert percent_points("H4", 2.0) == "IF(AND(H4>=0,H4<=0.2),H4*100,H4)"
    # other units keep their format
    assert input_number_format("kr", 0, 100) == '#,##0" kr"'


def test_a_previous_release_workbook_reads_85_as_85(fill) -> None:
    # the literal " %" format of release 0.1.0: 85 stored as 85, and "85 %" as Calc stores it
    release = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0"
    path = release / PERIOD / "kommun.xlsx"
    report = check_file(path, expected_period=PERIOD)
    assert report.submission is not None
    row = [e.indicator_id for e in report.submission.indicators].index("KF1-I1")
    addr = layout.cell_of(SHEET, report.submission.period_type, "actual", row)
    for raw in (85, 0.85, "85 %", "85"):
        typed = check_file(fill(path, {f"{SHEET}!{addr}": raw}), expected_period=PERIOD)
        [entry] = [e for e in typed.submission.indicators if e.indicator_id == "KF1-I1"]
        assert entry.actual == 85.0, raw


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
