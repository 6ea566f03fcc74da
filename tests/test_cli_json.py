"""Every ``--json`` output validates against its schema in docs/json/ and names its command
and version first, like check's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from reportkit.cli import main

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "json"
PERIOD = "2026-delår"
COMMANDS_WITH_JSON = ("check", "consolidate", "validate", "workbooks", "status", "explain",
                      "render", "pdfcheck", "beslut", "historik", "nytt-år", "diff",
                      "utskick", "årshjul")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("json") / "kommun"
    init_project(root)
    opened = Project.open(root)
    paths = generate_workbooks(opened, PERIOD)
    fill_workbooks(paths, opened.inbox(PERIOD), mistakes=True)
    consolidate(opened, PERIOD)
    return root


def _schema_name(command: str) -> str:
    """``nytt-år`` → ``nytt_ar``: the schema's file name and the document's version key."""
    return command.translate(str.maketrans("åäö-", "aao_"))


def _json(command: str, args: list[str], codes: tuple[int, ...] = (0, 1),
          schema_name: str | None = None) -> dict[str, Any]:
    result = CliRunner().invoke(main, [command, *args, "--json"])
    assert result.exit_code in codes, result.output
    data = json.loads(result.stdout)
    name = schema_name or _schema_name(command)
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data[f"reportkit_{name}"] == 1
    return data


def test_every_reporting_command_has_json_and_a_schema() -> None:
    for name in COMMANDS_WITH_JSON:
        assert any(p.name == "as_json" for p in main.commands[name].params), name
    for name, command in main.commands.items():  # and a command added later with --json
        if any(p.name == "as_json" for p in command.params):
            schema_name = _schema_name(name)
            schema = json.loads((SCHEMAS / f"{schema_name}.schema.json").read_text(
                encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
            assert f"reportkit_{schema_name}" in schema["required"], name


def test_check_and_consolidate(project: Path) -> None:
    files = sorted((project / "inkommet" / PERIOD).glob("*.xlsx"))[:3]
    checked = _json("check", [str(f) for f in files])
    assert len(checked["files"]) == 3
    again = _json("consolidate", [str(project), "--period", PERIOD])
    assert again["period"] == PERIOD and again["skipped"]


def test_validate(project: Path, tmp_path: Path) -> None:
    data = _json("validate", [str(project)])
    assert data["models"][0]["year"] == 2026 and data["models"][0]["tree"]
    assert data["errors"] == 0
    assert _json("validate", [str(project), "--utan-träd"])["models"][0]["tree"] == []
    broken = tmp_path / "trasig"
    shutil.copytree(project / "styrmodell", broken / "styrmodell")
    yaml = broken / "styrmodell" / "2026.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("riktning: lägre", "riktning: låg",
                                                             1), encoding="utf-8")
    bad = _json("validate", [str(broken)], codes=(2,))
    assert bad["errors"] == 1 and bad["problems"][0]["code"] == "config-invalid-value"


def test_status_and_explain(project: Path) -> None:
    status = _json("status", [str(project), "--period", PERIOD])
    assert status["units"] and sum(status["counts"].values()) == len(status["units"])
    assert status["today"] == "2027-01-15"  # conftest's REPORTKIT_DATUM
    assert all(e["date"] >= "2027-01-15" and e["days"] >= 0 for e in status["upcoming"])
    explained = _json("explain", ["KF1", str(project), "--period", PERIOD])
    assert explained["id"] == "KF1" and explained["lines"]


def test_render(project: Path) -> None:
    data = _json("render", ["delarsrapport", str(project), "--period", PERIOD])
    assert data["files"] and data["files"][0].endswith(".docx")
    assert data["warnings"] == sum(d["warnings"] for d in data["documents"])


def test_beslut(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kommun"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("utskick", "rapporter"))
    args = [str(copy), "--period", PERIOD]
    recorded = _json("beslut", [*args, "--beslut", "KF 2026-10-19 § 112"])
    assert recorded["action"] == "recorded" and recorded["decisions"][0]["live"]
    listed = _json("beslut", args)
    assert listed["action"] == "list" and listed["parts"]
    undone = _json("beslut", [*args, "--ångra", "1", "--skäl", "Fel underlag"])
    assert undone["decisions"][0]["undo_reason"] == "Fel underlag"


@pytest.mark.parametrize("command", ["consolidate", "validate", "status", "explain", "render",
                                     "beslut"])
def test_a_command_that_cannot_run_still_answers_json(command: str, tmp_path: Path) -> None:
    args = {"explain": ["KF1"], "render": ["delarsrapport"]}.get(command, [])
    data = _json(command, [*args, str(tmp_path / "inget-projekt")], codes=(2,),
                 schema_name="refused")
    assert data["command"] == command and data["problems"][0]["code"] == "project-missing"


def test_workbooks_and_pdfcheck(project: Path, tmp_path: Path) -> None:
    written = _json("workbooks", [str(project), "--period", PERIOD, "--enhet",
                                  "solrosens-forskola"])
    assert [Path(f).name for f in written["files"]] == ["solrosens-forskola.xlsx"]
    not_pdf = tmp_path / "inte.pdf"
    not_pdf.write_text("inte en pdf", encoding="utf-8")
    checked = _json("pdfcheck", [str(not_pdf)])
    assert checked["files"] == [str(not_pdf)] and checked["errors"] == 1


def test_historik(project: Path, tmp_path: Path) -> None:
    data = _json("historik", [str(project), "--fil", str(tmp_path / "h.csv")])
    assert data["file"] == str(tmp_path / "h.csv") and data["rows"] > 0


def test_nytt_ar_and_diff(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kommun"
    shutil.copytree(project / "styrmodell", copy / "styrmodell")
    made = _json("nytt-år", [str(copy)])
    assert made["year"] == 2027 and made["target"].endswith("2027.yaml")
    changed = _json("diff", [str(copy), "--från", "2026", "--till", "2027"])
    assert changed["before"].endswith("2026.yaml") and isinstance(changed["changes"], list)


def test_utskick_and_arshjul(project: Path, tmp_path: Path) -> None:
    mail = _json("utskick", [str(project), "--period", PERIOD])
    assert mail["drafts"] and not mail["reminder"] and mail["sent"] is None
    assert all(d["file"].endswith(".eml") and Path(d["file"]).is_file() for d in mail["drafts"])
    assert any(d["attachments"] and d["attachments"][0].endswith(".xlsx")
               for d in mail["drafts"])
    assert mail["warnings"] == len(mail["problems"])
    reminders = _json("utskick", [str(project), "--period", PERIOD, "--påminnelse"])
    assert reminders["reminder"] and "påminnelser" in reminders["folder"]
    cal = _json("årshjul", [str(project), "--ut", str(tmp_path / "a.ics")])
    assert cal["file"] == str(tmp_path / "a.ics") and cal["count"] == len(cal["events"]) > 0
    assert [e["date"] for e in cal["events"]] == sorted(e["date"] for e in cal["events"])
    assert {e["kind"] for e in cal["events"]} == {"sista dag", "sammanträde"}
