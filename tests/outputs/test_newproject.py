"""``reportkit init``: a new kommun starts blank (nothing of Exempelkommun in any output), or
from its organisation list (xlsx or CSV; bad rows named by row and column), or, on request,
as a copy of Exempelkommun."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportkit import init_project
from reportkit.cli import main
from reportkit.errors import ReportkitError
from reportkit.sources.organisation import read_organisation
from reportkit.styrmodell.model import load_styrmodell

REPO = Path(__file__).resolve().parents[2]
ORG = REPO / "tests" / "fixtures" / "organisation"
EXEMPEL_YAML = REPO / "fixtures" / "exempelkommun" / "styrmodell" / "2026.yaml"
FORBIDDEN = ("Exempelkommun", "exempelkommun.se", "Exempelkommuns Bostads AB")


def _exempel_unit_ids() -> set[str]:
    model, _ = load_styrmodell(EXEMPEL_YAML)
    assert model is not None
    # 'kommun' is every project's kommun id and 'plan' a period type: not Exempelkommun's own
    return set(model.units) - {"kommun", "plan"}


def _exempel_data_files() -> set[str]:
    return {p.name for p in (REPO / "fixtures" / "exempelkommun" / "data").rglob("*")
            if p.is_file()}


def _texts(root: Path) -> dict[str, str]:
    """Every file's text under ``root``, the parts of .docx/.xlsx zips each on its own. A PNG
    is left out: its compressed pixels hold any two letters by chance (the riskmatris' held
    "SN"); a chart's words are in its alt text, in document.xml and the cache's .json."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in (".sqlite", ".png"):
            continue
        name = str(path.relative_to(root))
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                for part in z.namelist():
                    if not part.endswith(".png"):
                        out[f"{name}!{part}"] = z.read(part).decode("utf-8", "replace")
        else:
            out[name] = path.read_bytes().decode("utf-8", "replace")
    return out


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_blank_init_validate_workbooks_render_show_nothing_of_exempelkommun(
        tmp_path: Path) -> None:
    root = tmp_path / "norrby"
    printed = [_run(["init", str(root), "--namn", "Norrby", "--kommunkod", "2999",
                     "--år", "2027"])]
    assert sorted(p.name for p in (root / "styrmodell").iterdir()) == ["2027.yaml"]
    assert sorted(p.name for p in (root / "data").iterdir()) == []
    printed.append(_run(["validate", str(root)]))
    assert "inga fel" in printed[-1]
    for period, document in (("2027-plan", "verksamhetsplan"),
                             ("2027-helår", "arsredovisning")):
        printed.append(_run(["workbooks", str(root), "-p", period]))
        shutil.copytree(root / "utskick" / period, root / "inkommet" / period)  # as sent
        printed.append(_run(["consolidate", str(root), "-p", period]))
        printed.append(_run(["render", document, str(root), "-p", period]))
        assert (root / "rapporter" / period / f"{document}-{period}.docx").is_file()

    texts = _texts(root)
    texts.update({f"utskrift {i}": text for i, text in enumerate(printed)})
    assert any("Norrby" in text for name, text in texts.items() if name.endswith(".docx!"
                                                                               "word/document.xml"))
    ids = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, _exempel_unit_ids()),
                                                       key=len, reverse=True)) + r")(?![\w-])")
    found = {(name, word) for name, text in texts.items() for word in FORBIDDEN if word in text}
    found |= {(name, m.group(1)) for name, text in texts.items()
              if not name.endswith(".yaml") for m in ids.finditer(text)}
    assert sorted(found) == []
    data_files = _exempel_data_files()
    assert not [p for p in root.rglob("*") if p.name in data_files]


def test_blank_styrmodell_is_valid_and_names_the_kommun(tmp_path: Path) -> None:
    root = init_project(tmp_path / "ny", name="Älvby", code="2998", year=2028)
    text = (root / "styrmodell" / "2028.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["kommun"]["namn"] == "Älvby" and data["kommun"]["kommunkod"] == "2998"
    assert [p["id"] for p in data["perioder"]] == ["2028-plan", "2028-delår", "2028-helår"]
    assert data["perioder"][0]["sista_dag"]["enhet"].year == 2027
    model, problems = load_styrmodell(root / "styrmodell" / "2028.yaml")
    assert model is not None and [p.line() for p in problems if p.is_error] == []
    assert (root / "historik" / "utfall.csv").read_text(encoding="utf-8").startswith("år;")


def test_blank_init_without_a_name_takes_the_folders(tmp_path: Path) -> None:
    root = init_project(tmp_path / "norra-dalby")
    data = yaml.safe_load(next((root / "styrmodell").glob("*.yaml")).read_text("utf-8"))
    assert data["kommun"]["namn"] == "Norra dalby" and "kommunkod" not in data["kommun"]


@pytest.mark.parametrize("name", ["organisation.csv", "organisation.xlsx"])
def test_init_from_an_organisation_list_builds_the_tree(tmp_path: Path, name: str) -> None:
    root = tmp_path / "norrby"
    _run(["init", str(root), "--namn", "Norrby", "--år", "2027",
          "--organisation", str(ORG / name)])
    model, problems = load_styrmodell(root / "styrmodell" / "2027.yaml")
    assert model is not None, [p.line() for p in problems]
    units = model.units
    assert units["ks"].kind == "styrelse" and units["kld"].parent == "ks"
    assert units["ekonomi"].ansvar == ("112", "113")
    assert units["ekonomi"].email == "ola.berg@norrby.se"
    assert units["älvskolan"].parent == "grsk" and units["bygglov"].parent == "miljo"
    assert units["nbo"].kind == "bolag" and units["nbo"].parent == "nbab"
    assert units["kansli"].manager == "Eva Ström"  # cp1252 CSV read as Excel saved it
    assert not {"nämnd1", "verksamhet1", "enhet1"} & set(units)  # no example organisation
    text = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    assert "# stabilt id; blir styrkortets filnamn" in text  # keys explained in the tree too


def test_the_org_lists_bad_rows_are_named_by_row_and_column(tmp_path: Path) -> None:
    tree, problems = read_organisation(ORG / "fel.csv")
    assert tree == []
    found = [(p.location.row, p.location.column, p.code) for p in problems]
    assert found == [
        (4, "id", "org-duplicate-id"),
        (5, "id", "org-invalid-value"),
        (6, "typ", "org-invalid-value"),
        (7, "förälder", "org-parent-unknown"),
        (8, "e-post", "org-invalid-value"),
        (9, "id", "org-value-missing"),
        (10, "förälder", "org-parent-kind"),
    ]
    result = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--organisation",
                                       str(ORG / "fel.csv")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "rad 4, kolumn id" in result.output
    assert not (tmp_path / "p").exists()  # nothing written from a bad list


def test_an_org_list_without_its_columns_says_which(tmp_path: Path) -> None:
    bad = tmp_path / "lista.csv"
    bad.write_text("id;benämning\nks;Kommunstyrelsen\n", encoding="utf-8")
    with pytest.raises(ReportkitError) as caught:
        init_project(tmp_path / "p", organisation=bad)
    assert [(p.code, p.location.column) for p in caught.value.problems] == [
        ("org-column-missing", "namn"), ("org-column-missing", "typ")]


def test_exempel_copies_exempelkommun_whole(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    _run(["init", str(root), "--exempel"])
    assert (root / "styrmodell" / "2026.yaml").read_bytes() == EXEMPEL_YAML.read_bytes()
    assert (root / "data" / "import.yaml").is_file()
