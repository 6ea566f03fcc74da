"""Workbooks that are out there keep working: styrkort made and filled with release 0.1.0
(commit c4f337d, before this round's identity, verdict and text checks) are checked and loaded
with no fel, on every level.

``tests/fixtures/release-0.1.0/<period>/`` holds the demo's filled files of that release: the
kommun, a nämnd (BUN), a verksamhet (grundskola) and an enhet (solrosens-forskola) for
2026-delår, and the enhet's plan for 2026-plan. Their bytes are never regenerated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit import check, consolidate_period, init_project

RELEASE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0"
PERIODS = sorted(p.name for p in RELEASE.iterdir() if p.is_dir())


@pytest.mark.parametrize("period", PERIODS)
def test_workbooks_of_the_previous_release_check_without_fel(period: str) -> None:
    report = check(sorted((RELEASE / period).glob("*.xlsx")))
    fel = [(f.file, p.code, p.location.sheet, p.location.cell)
           for f in report.files for p in f.problems if p.is_error]
    assert fel == []
    assert all(f.submission is not None for f in report.files)


@pytest.mark.parametrize("period", PERIODS)
def test_workbooks_of_the_previous_release_load_in_a_project(tmp_path: Path,
                                                            period: str) -> None:
    root = init_project(tmp_path / "projekt", "exempelkommun")
    inbox = root / "inkommet" / period
    inbox.mkdir(parents=True)
    for path in sorted((RELEASE / period).glob("*.xlsx")):
        shutil.copy2(path, inbox / path.name)
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}

    report = consolidate_period(root, period, outputs=False)

    verdicts = {e.file: (e.verdict, e.unit) for e in report.entries}
    assert verdicts == {name: ("loaded", Path(name).stem) for name in before}
    fel = [(r.file, p.code) for r in report.new for p in r.problems if p.is_error]
    assert fel == []
    # inside a project, check also asks the styrmodell whose rows they are: still no fel
    inside = check(sorted(inbox.glob("*.xlsx")))
    assert [p.code for f in inside.files for p in f.problems if p.is_error] == []
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before
