"""`reportkit render` of several documents says which document (and period) each varning
belongs to; one document prints its varningar as before, without a heading."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from reportkit.cli import main
from reportkit.documents import build
from reportkit.errors import problem

PERIODS = {"verksamhetsplan": "2026-plan", "delarsrapport": "2026-delår",
           "arsredovisning": "2026-helår"}


def _mission():
    return problem("unit-mission-missing", unit="Förskolenämnden", committee="FSN")


def _overview():
    return problem("section-text-missing", file="texter/2026-helår/oversikt.docx",
                   section="Översikt", path="texter/2026-helår/oversikt.docx")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Each document "rendered" with the same nämnd varning, the årsredovisning with one more."""
    calls: list[str] = []

    def fake(project, document, period_id=None, **kwargs):
        calls.append(document)
        period = SimpleNamespace(id=PERIODS[document], type=PERIODS[document].split("-")[1])
        problems = [_mission()] + ([_overview()] if document == "arsredovisning" else [])
        return build.RenderOutcome(paths=[tmp_path / f"{document}.docx"], problems=problems,
                                   label=build.document_label(document, period))

    monkeypatch.setattr(build, "render_document_for", fake)
    (tmp_path / "styrmodell").mkdir()  # a project, without a styrmodell to parse
    monkeypatch.setattr(build, "document_periods",
                        lambda project, document, on=None: [PERIODS[document]])
    return calls


def test_several_documents_print_a_heading_before_each_ones_varningar(rendered, tmp_path):
    result = CliRunner().invoke(main, ["render", "verksamhetsplan", "delarsrapport",
                                       "arsredovisning", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert rendered == ["verksamhetsplan", "delarsrapport", "arsredovisning"]
    mission = _mission().line()
    assert result.stderr.splitlines() == [
        "Verksamhetsplan 2026-plan:", mission,
        "Delårsrapport 2026-delår:", mission,
        # grouped by kind, the most important first: the kansli's text before the mission
        "Årsredovisning 2026-helår:", _overview().line(), mission]


def test_one_document_prints_its_varningar_without_a_heading(rendered, tmp_path):
    result = CliRunner().invoke(main, ["render", "arsredovisning", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [_overview().line(), _mission().line()]
    every = CliRunner().invoke(main, ["render", "arsredovisning", str(tmp_path), "--alla"])
    assert every.stderr.splitlines() == [_mission().line(), _overview().line()]


def test_the_label_names_a_tertialrapport_and_a_decided_version() -> None:
    tertial = SimpleNamespace(id="2026-tertial1", type="tertial")
    assert build.document_label("delarsrapport", tertial) == "Tertialrapport 2026-tertial1"
    decided = SimpleNamespace(label="KF 2027-04-20 § 45")
    assert build.document_label("arsredovisning", SimpleNamespace(id="2026-helår", type="helår"),
                                decided) == "Årsredovisning 2026-helår, beslutad KF 2027-04-20 § 45"
