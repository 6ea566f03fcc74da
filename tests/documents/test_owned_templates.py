"""Templates the kansli owns (issue 28): ``reportkit mallar`` copies the shipped templates into
the project and sets ``dokument: mallar:`` without touching the rest of the styrmodell; a
kommun's copies are never overwritten without ``--skriv-över``; ``validate`` names a template
folder or template that does not exist; render and ``mallar --visa`` name what a kommun's copy
lacks that a later release's template uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from reportkit import copy_templates, template_gaps, validate_project
from reportkit.cli import main
from reportkit.documents import owned
from reportkit.resources import templates_dir
from reportkit.styrmodell.project_setup import init_project


@pytest.fixture(params=["exempelkommun", "fyrkanta"])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return init_project(tmp_path / "kommun", kommun=request.param)


def _codes(root: Path) -> list[tuple[str, str | None]]:
    return [(p.code, p.location.key) for p in validate_project(root)[1]
            if p.code.startswith("templates-")]


def test_mallar_copies_the_templates_and_sets_the_folder_keeping_comments(project: Path) -> None:
    yaml = project / "styrmodell" / "2026.yaml"
    before = yaml.read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(main, ["mallar", str(project)])
    assert result.exit_code == 0, result.output
    shipped = sorted(p.name for p in (templates_dir() / "docx").glob("*.docx"))
    assert shipped and all((project / "mallar" / "docx" / n).is_file() for n in shipped)
    assert (project / "mallar" / "xlsx" / "styrkort-stilar.xlsx").is_file()
    assert "mallar/" in result.output and "styrmodell/2026.yaml" in result.output
    after = yaml.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
    assert len(after) == len(before) + (0 if any("# mallar:" in a for a in before) else 1)
    if len(after) == len(before):  # the commented-out line taken into use, its comment kept
        assert len(changed) == 1 and changed[0][1].lstrip().startswith("mallar: mallar")
        assert changed[0][0].split("#")[-1] == changed[0][1].split("#")[-1]
    models, problems = validate_project(project)
    assert models[0].config.documents.templates == "mallar"
    assert _codes(project) == []


def test_a_kommuns_copy_is_not_overwritten_without_the_option(project: Path) -> None:
    copy_templates(project)
    own = project / "mallar" / "docx" / "arsredovisning.docx"
    own.write_bytes(b"kommunens egen")
    again = CliRunner().invoke(main, ["mallar", str(project)])
    assert again.exit_code == 0, again.output
    assert own.read_bytes() == b"kommunens egen"
    assert "docx/arsredovisning.docx" in again.output and "--skriv-över" in again.output
    CliRunner().invoke(main, ["mallar", str(project), "--skriv-över"])
    assert own.read_bytes() == (templates_dir() / "docx" / "arsredovisning.docx").read_bytes()


def test_validate_names_a_missing_template_folder_and_template(project: Path) -> None:
    assert owned.set_templates_folder(project, "egna-mallar") == ["styrmodell/2026.yaml"]
    [(code, key)] = _codes(project)
    assert code == "templates-folder-missing"
    line = next(i for i, t in enumerate(
        (project / "styrmodell" / "2026.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if t.strip().startswith("mallar:"))
    assert key == f"dokument.mallar (rad {line})"
    copy_templates(project)
    (project / "egna-mallar" / "docx" / "uppfoljning.docx").unlink()
    problems = [p for p in validate_project(project)[1] if p.code.startswith("templates-")]
    assert [p.code for p in problems] == ["templates-file-missing"]
    assert "uppfoljning.docx" in problems[0].message
    assert not any(p.is_error for p in problems)


def _template_using(path: Path, *names: str) -> None:
    doc = Document()
    for name in names:
        doc.add_paragraph("{{ " + name + " }}")
    doc.save(str(path))


def test_what_a_kommuns_copy_lacks_of_a_later_release_is_named(tmp_path: Path) -> None:
    project = init_project(tmp_path / "kommun")
    copy_templates(project)
    folder = project / "mallar" / "docx"
    builtin = owned._variables(templates_dir() / "docx" / "kapitel-namnd.docx")
    assert {"kommun_namn", "namnd"} <= builtin
    # the kansli's copy left out kommun_namn on purpose; "a later release" added namnd
    _template_using(folder / "kapitel-namnd.docx", *sorted(builtin - {"kommun_namn", "namnd"}))
    stamp = owned.read_stamp(folder)
    assert stamp is not None
    older = {name: sorted(found - {"namnd"} if name == "kapitel-namnd.docx" else found)
             for name, found in stamp.items()}
    (folder / owned.STAMP_FILE).write_bytes(owned._stamp_text(older))
    assert owned.lacking(folder, ["kapitel-namnd.docx", "arsredovisning.docx"]) == [
        ("kapitel-namnd.docx", ["namnd"])]
    [warned] = owned.lacking_problems(folder, ["kapitel-namnd.docx"])
    assert warned.severity == "varning" and "namnd" in warned.message
    assert template_gaps(project).gaps == [("kapitel-namnd.docx", ["namnd"])]
    from reportkit.documents.build import _lacking

    assert [p.values["template"] for p in _lacking("arsredovisning", folder)] == [
        "kapitel-namnd.docx"]  # render's varning: the document's and its chapters' templates
    assert _lacking("verksamhetsplan", folder) == []
    [gone] = _lacking("arsredovisning", project / "saknas" / "docx", project)
    assert gone.code == "templates-folder-missing" and "saknas/docx/" in gone.message
    shown = CliRunner().invoke(main, ["mallar", str(project), "--visa"])
    assert "kapitel-namnd.docx saknar: namnd" in shown.output
    # a copy made without a stamp is compared with the shipped template as it is now
    (folder / owned.STAMP_FILE).unlink()
    assert owned.lacking(folder, ["kapitel-namnd.docx"]) == [
        ("kapitel-namnd.docx", ["kommun_namn", "namnd"])]
