"""The kommun's own scale colours (issue 25 item 7): light colours such as green 00B050
(2.9:1 on white) and yellow FFFF00 (1.1:1) are accepted as given; text on them is black or
white, whichever reaches 4.5:1; charts outline and pattern them; Ej mätt and ej uppföljt take
the kommun's label and colour; every scale problem is a Swedish validate problem with key and
line, never a ValueError."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reportkit.cli import main
from reportkit.styrmodell import assess
from reportkit.workbook import layout

PERIOD = "2026-helår"
OWN_NOT_MEASURED = "Mätning inte genomförd"


def kommun_copy(root: Path, replace: dict[str, str]) -> Path:
    from reportkit.styrmodell.project_setup import init_project

    init_project(root)
    path = root / "styrmodell" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root


LIGHT = {'färg: "2E7D32"': 'färg: "00B050"', 'färg: "9A6700"': 'färg: "FFFF00"',
         'etikett: "Ej mätt"': f'etikett: "{OWN_NOT_MEASURED}"',
         'färg: "000000"': 'färg: "404040"'}


@pytest.fixture(scope="module")
def light(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Exempelkommun with green 00B050 and yellow FFFF00, its own label for Ej mätt, the
    kommun's workbook filled and consolidated."""
    from testkit import write_cells

    from reportkit.consolidate.run import consolidate
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project

    root = kommun_copy(tmp_path_factory.mktemp("farger") / "kommun", LIGHT)
    project = Project.open(root)
    [blank] = generate_workbooks(root, PERIOD, ["kommun"], out_dir=root / "utskick")
    inbox = project.inbox(PERIOD)
    inbox.mkdir(parents=True, exist_ok=True)
    # KF1-I1 uppfyllt (88 of 88), KF1-I2 delvis (81 of 90), KF2-I1 ej uppfyllt (50 of 90)
    sheet = layout.INDICATORS_SHEET
    cells = {f"{sheet}!{layout.cell_of(sheet, 'helår', 'actual', n)}": v
             for n, v in enumerate([88, 81, 50])}
    write_cells(blank, cells, inbox / "kommun.xlsx", None)
    report = consolidate(project, PERIOD)
    assert not [p for p in report.problems if p.is_error], report.problems
    return root


def test_light_colours_validate(light: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(light)])
    assert result.exit_code == 0, result.output
    assert "ValueError" not in result.output


def test_the_scale_keeps_the_colours_as_given_with_readable_text(light: Path) -> None:
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import scale_of

    model, _period = Project.open(light).period(PERIOD)
    scale = scale_of(model)
    assert [(s.color, s.text_color, s.light) for s in scale.steps] == [
        ("00B050", "000000", True), ("FFFF00", "000000", True), ("C62828", "FFFFFF", False)]
    not_measured = scale.step(assess.EJ_MATT)
    assert (not_measured.label, not_measured.color) == (OWN_NOT_MEASURED, "404040")
    for step in (*scale.steps, *scale.specials):
        assert assess.contrast_ratio(step.text_color, step.color) >= 4.5


def test_workbook_status_cells_get_black_text_on_light_colours(light: Path) -> None:
    blank = light / "utskick" / "kommun.xlsx"
    with zipfile.ZipFile(blank) as zf:
        styles = zf.read("xl/styles.xml").decode()
    dxfs = re.findall(r"<dxf>(.*?)</dxf>", styles)
    colours = {re.search(r'<bgColor rgb="FF(\w{6})"', d)[1]:
               re.search(r'<color rgb="FF(\w{6})"', d)[1] for d in dxfs
               if "<bgColor" in d and "<color" in d}
    assert colours == {"00B050": "000000", "FFFF00": "000000", "C62828": "FFFFFF"}
    lists = load_workbook(blank)[layout.LISTS_SHEET]
    assert OWN_NOT_MEASURED in [c.value for c in lists["A"]]


def test_the_kommuns_not_measured_label_is_read_back(light: Path, fill) -> None:
    from reportkit.intake.check import check_file

    blank = light / "utskick" / "kommun.xlsx"
    addr = layout.cell_of(layout.GOALS_SHEET, "helår", "assessment", 0)
    report = check_file(fill(blank, {f"{layout.GOALS_SHEET}!{addr}": OWN_NOT_MEASURED}),
                        expected_period=PERIOD)
    assert not [p for p in report.problems if p.location.cell == addr], report.problems
    assert report.submission.goals[0].assessment == assess.EJ_MATT


def test_document_symbols_on_light_colours_are_shaded_with_readable_text(light: Path) -> None:
    from reportkit.documents.build import render_document_for

    outcome = render_document_for(light, "arsredovisning", PERIOD)
    [docx] = [p for p in outcome.paths if p.suffix == ".docx"]
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?</w:r>", xml)

    def looks(symbol: str) -> set[str]:
        return {re.sub(r'<w:rStyle w:val="[^"]*"/>', "", re.search(r"<w:rPr>(.*?)</w:rPr>", r)[1])
                for r in runs if f">{symbol}</w:t>" in r and "<w:rPr>" in r}

    # the chosen text colour per step: black on the light green and yellow, shaded; the
    # dark red as before, coloured on white
    assert looks("●") == {'<w:color w:val="000000"/><w:shd w:fill="00B050"/>'}
    assert looks("◐") == {'<w:color w:val="000000"/><w:shd w:fill="FFFF00"/>'}
    assert looks("○") == {'<w:color w:val="C62828"/>'}
    assert OWN_NOT_MEASURED in xml


def test_chart_outlines_and_patterns_the_light_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.colors import to_hex

    from reportkit.documents import charts
    from reportkit.documents import chartstyle as cs

    figures = []
    monkeypatch.setattr(cs, "render", lambda draw: figures.append(draw()) or b"")
    statuses = [("uppfyllt", "Uppfyllt", "00B050"), ("delvis", "Delvis", "FFFF00"),
                ("ej_uppfyllt", "Ej uppfyllt", "C62828")]
    charts.status_shares("Mål", [("Verksamhet", {"uppfyllt": 2, "delvis": 1,
                                                 "ej_uppfyllt": 1})], statuses)
    [fig] = figures
    bars = {to_hex(p.get_facecolor()).upper(): p for p in fig.axes[0].patches}
    for light_colour in ("#00B050", "#FFFF00"):
        bar = bars[light_colour]
        assert to_hex(bar.get_edgecolor()).upper() == cs.LIGHT_OUTLINE
        assert bar.get_hatch()
    assert to_hex(bars["#C62828"].get_edgecolor()).upper() == "#FFFFFF"
    legend = fig.legends[0] if fig.legends else fig.axes[0].get_legend()
    keys = {to_hex(h.get_facecolor()).upper(): h for h in legend.legend_handles}
    assert to_hex(keys["#FFFF00"].get_edgecolor()).upper() == cs.LIGHT_OUTLINE
    assert keys["#FFFF00"].get_hatch()


@pytest.mark.parametrize(("replace", "key", "needle"), [
    ({"- status: delvis": "- status: ej_matt"}, "bedömning.skala[1].status",
     "särskild status"),
    ({'etikett: "Ej mätt"': 'etikett: "Ej uppfyllt"'}, "bedömning.ej_mätt.etikett",
     "används redan"),
    ({"gräns: 1.0": "gräns: 1.3", "gräns: 0.8": "gräns: 1.2"}, "bedömning.skala[1].gräns",
     "minst en gräns"),
    ({"gräns: 0.8": "gräns: 0"}, "bedömning.skala[1].gräns", "över 0"),
])
def test_every_scale_problem_is_a_swedish_validate_problem_with_key_and_line(
        tmp_path: Path, replace: dict[str, str], key: str, needle: str) -> None:
    from reportkit.errors import ReportkitError
    from reportkit.styrmodell.config import load_config
    from reportkit.styrmodell.model import build, built_scale
    from reportkit.styrmodell.project_setup import validate_project

    root = kommun_copy(tmp_path / "kommun", replace)
    _models, problems = validate_project(root)
    found = [p for p in problems if p.code in ("config-scale-invalid", "config-scale-order")]
    assert found, problems
    line = found[0].line()
    assert key in line and "rad " in line and needle in line, line
    assert "ValueError" not in line
    # and the commands that build the scale stop with the same Swedish problem
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code != 0 and key in result.output
    config, _p, lines = load_config(root / "styrmodell" / "2026.yaml")
    assert config is not None
    model, _ = build(config, "2026.yaml", lines)
    with pytest.raises(ReportkitError):
        built_scale(model, assess.DEFAULT_SCALE)
