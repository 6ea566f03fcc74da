"""``reportkit nytt-ar``: next year's styrmodell from this year's file, edited in place (its
comments, key order and layout kept), periods a year on, målvärden from the multi-year
targets or marked, the mandatperiod respected, never over an existing year."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportkit import init_project, next_year
from reportkit.cli import main
from reportkit.errors import ReportkitError
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.next_year import mandate_period

REPO = Path(__file__).resolve().parents[2]
EXEMPEL_YAML = REPO / "fixtures" / "exempelkommun" / "styrmodell" / "2026.yaml"
FYRKANTA_YAML = REPO / "fixtures" / "fyrkanta" / "styrmodell" / "2026.yaml"


def _project(tmp_path: Path, source: Path = EXEMPEL_YAML) -> Path:
    root = tmp_path / "projekt"
    (root / "styrmodell").mkdir(parents=True)
    shutil.copy(source, root / "styrmodell" / "2026.yaml")
    return root


def _comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


def _keys(text: str) -> list[str]:
    """Every key path in the file's order."""
    out: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                out.append(f"{path}.{key}")
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]")

    walk(yaml.safe_load(text), "")
    return [k for k in out if "mandatperiod" not in k]


@pytest.mark.parametrize("source", [EXEMPEL_YAML, FYRKANTA_YAML], ids=["exempel", "fyrkanta"])
def test_next_year_keeps_comments_and_key_order_and_moves_the_dates(
        tmp_path: Path, source: Path) -> None:
    root = _project(tmp_path, source)
    result = next_year(root)
    before = source.read_text(encoding="utf-8")
    after = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    assert result.target == root / "styrmodell" / "2027.yaml"
    marks = [c for c in _comments(after) if c.startswith(("ATT BESLUTA", "ATT FYLLA I"))]
    kept = [c for c in _comments(after) if c not in marks]
    assert kept == [c.replace("budgetår 2026", "budgetår 2027") for c in _comments(before)]
    assert _keys(after) == _keys(before)

    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert new["år"] == 2027
    for p_old, p_new in zip(old["perioder"], new["perioder"], strict=True):
        assert p_new["id"] == p_old["id"].replace("2026-", "2027-")
        # a year on (a plan over several years ends a year later too)
        assert p_new["från"] == p_old["från"].replace(year=p_old["från"].year + 1)
        assert p_new["till"] == p_old["till"].replace(year=p_old["till"].year + 1)
        assert {k: d.year for k, d in p_new.get("sista_dag", {}).items()} == \
            {k: d.year + 1 for k, d in p_old.get("sista_dag", {}).items()}
        assert "2026" not in p_new["namn"]
    # everything else as it was: ids, names, goals, organisation
    # a new mandatperiod (2027) drops the ending one's målvärden (Fyrkanta has them)
    assert new["mål"] == _without_mandate(old["mål"])
    assert new["nämnder"] == _without_mandate(old["nämnder"])

    model, problems = load_styrmodell(root / "styrmodell" / "2027.yaml")
    assert model is not None and not [p for p in problems if p.is_error]
    assert model.year == 2027


def test_targets_come_from_the_multi_year_targets_or_are_marked(tmp_path: Path) -> None:
    root = _project(tmp_path)
    next_year(root)  # 2027: every indicator of Exempelkommun has a 2027 målvärde
    model, _ = load_styrmodell(root / "styrmodell" / "2027.yaml")
    assert model is not None and model.indicators["KF1-I1"][0].target_for(2027) == 89.8
    text = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    assert "ATT FYLLA I" not in text

    result = next_year(root)  # 2028: none has one
    text = (root / "styrmodell" / "2028.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    marked = [i for i, line in enumerate(lines) if "# ATT FYLLA I" in line]
    assert len(marked) == len(model.indicators)
    assert all(lines[i + 1].strip().startswith("målvärde:") for i in marked)
    assert "målvärde för 2028 saknas (2027: 89.8)" in lines[marked[0]]
    assert any(f"{len(model.indicators)} indikatorer saknar målvärde för 2028" in line
               for line in result.to_decide)
    # 2028 is inside the mandatperiod 2027–2030: no new marks on the KF-mål (2027's, not
    # yet removed by the coordinator, stay as every comment does)
    before = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    assert not result.new_mandate
    goal_marks = "ATT BESLUTA: fullmäktige"  # the plans' marks are counted in test_next_year_ik
    assert text.count(goal_marks) == before.count(goal_marks) == 8
    later, problems = load_styrmodell(root / "styrmodell" / "2028.yaml")
    assert later is not None
    assert {p.code for p in problems} == {"config-target-missing"}  # validate says it too


def test_a_new_mandatperiod_marks_the_kf_goals_and_drops_the_old_mandate_target(
        tmp_path: Path) -> None:
    root = init_project(tmp_path / "ny", name="Norrby", year=2026)
    path = root / "styrmodell" / "2026.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "målvärde: {2026: 80}\n", "målvärde: {2026: 80, mandatperiod: 85}\n", 1),
        encoding="utf-8")
    result = next_year(root)
    assert result.new_mandate and mandate_period(2027) == (2027, 2030)
    text = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    decide = [i for i, line in enumerate(lines) if "# ATT BESLUTA: fullmäktige" in line]
    assert len(decide) == 1 and lines[decide[0] + 1].strip() == "- id: KF1" + \
        lines[decide[0] + 1].split("KF1", 1)[1]
    mark = next(line for line in lines if "ATT FYLLA I" in line)
    assert "mandatperioden (85) gällde 2023–2026" in mark
    data = yaml.safe_load(text)
    assert data["mål"][0]["indikatorer"][0]["målvärde"] == {2026: 80}
    assert any("Ny mandatperiod 2027–2030" in line for line in result.to_decide)


def test_next_year_never_writes_over_a_year_without_being_told(tmp_path: Path) -> None:
    root = _project(tmp_path)
    next_year(root)
    target = root / "styrmodell" / "2027.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# mina ändringar\n",
                      encoding="utf-8")
    with pytest.raises(ReportkitError) as caught:
        next_year(root, 2026)
    assert caught.value.problems[0].code == "next-year-exists"
    assert target.read_text(encoding="utf-8").endswith("# mina ändringar\n")
    runner = CliRunner()
    refused = runner.invoke(main, ["nytt-ar", str(root), "--från", "2026"])
    assert refused.exit_code == 2 and "finns redan" in refused.output
    done = runner.invoke(main, ["nytt-ar", str(root), "--från", "2026", "--skriv-över"])
    assert done.exit_code == 0, done.output
    assert "Styrmodellen för 2027 skrevs" in done.output
    assert "# mina ändringar" not in target.read_text(encoding="utf-8")
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_cli_prints_what_is_left_to_decide_and_json(tmp_path: Path) -> None:
    root = _project(tmp_path)
    out = CliRunner().invoke(main, ["nytt-ar", str(root), "--json"])
    assert out.exit_code == 0, out.output
    assert '"new_mandate": true' in out.output
    text = CliRunner().invoke(main, ["nytt-ar", str(root)]).output
    assert "Kvar att besluta eller fylla i:" in text and "målvärde för 2028" in text


def test_29_february_moves_to_28_february() -> None:
    from reportkit.styrmodell.next_year import _plus_year

    assert _plus_year(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert _plus_year(dt.date(2026, 10, 15)) == dt.date(2027, 10, 15)


def _without_mandate(node: object) -> object:
    """``node`` with every ``målvärde``'s ``mandatperiod`` left out."""
    if isinstance(node, list):
        return [_without_mandate(v) for v in node]
    if isinstance(node, dict):
        return {k: ({y: t for y, t in v.items() if y != "mandatperiod"}
                    if k == "målvärde" and isinstance(v, dict) else _without_mandate(v))
                for k, v in node.items()}
    return node
