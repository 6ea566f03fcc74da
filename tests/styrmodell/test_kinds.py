"""Kinds of organisation (issue 24 item 2): typ, dotterbolag, enheter directly under a
committee, their words, validate's counts and the Swedish errors for a tree that is wrong."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from orgkinds import variant_text, write_variant

from reportkit.cli import main
from reportkit.styrmodell import kinds
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.project_setup import model_counts, validate_project


def errors(tmp_path: Path, text: str) -> list:
    model, problems = load_styrmodell(write_variant(tmp_path, text))
    found = [p for p in problems if p.is_error]
    assert (model is None) == bool(found)
    return found


def test_words_of_each_kind() -> None:
    assert kinds.kind("bolag").definite == "bolaget"
    assert kinds.kind("gemensam_nämnd").indefinite == "en gemensam nämnd"
    assert kinds.kind("kommunalförbund").plural == "kommunalförbund"
    assert kinds.kind("bolag").report == "rapport om ägardirektivet"
    assert kinds.kind("styrelse").group == "nämnd"


def test_group_headings_name_only_the_kinds_that_exist() -> None:
    ar = "arsredovisning"
    assert kinds.group_heading(["nämnd"], ar) == "Nämndernas verksamhetsberättelser"
    assert kinds.group_heading(["bolag", "nämnd"], ar) == \
        "Nämndernas och bolagens verksamhetsberättelser"
    assert kinds.group_heading(["bolag"], "delarsrapport") == "Bolagens redovisning"
    assert kinds.group_heading(["kommunalförbund"], "verksamhetsplan") == \
        "Kommunalförbundens verksamhetsplaner"
    assert kinds.document_groups(["styrelse", "nämnd"]) == [["nämnd"]]
    assert kinds.document_groups(["kommunalförbund", "bolag", "gemensam_nämnd"]) == \
        [["nämnd", "bolag"], ["kommunalförbund"]]
    assert kinds.per_groups(["nämnd", "bolag"]) == "per nämnd och bolag"
    assert kinds.per_groups(["nämnd"]) == "per nämnd"


def test_the_tree_has_each_kind_in_its_place(tmp_path: Path) -> None:
    model, problems = load_styrmodell(write_variant(tmp_path))
    assert model is not None, [p.line() for p in problems]
    units = model.units
    assert (units["KS"].kind, units["OFN"].kind, units["RTJF"].kind) == \
        ("styrelse", "gemensam_nämnd", "kommunalförbund")
    # the enhet directly under the gemensam nämnd: no verksamhet in between
    kansli = units["ofn-kansli"]
    assert (kansli.level, kansli.parent, kansli.committee) == ("enhet", "OFN", "OFN")
    assert [a.id for a in model.ancestors("ofn-kansli")] == ["OFN", "kommun"]
    # its goal links to the nämnd's goal, the level just above in its own branch
    assert model.goals["ofn-kansli-E1"].parents == ["OFN-M1"]
    assert model.goals["OFN-M1"].children == ["ofn-kansli-E1"]
    # the dotterbolag: a bolag at the committees' level, its holding as parent, its own chapter
    exen = units["EXEN"]
    assert (exen.level, exen.kind, exen.parent, exen.committee) == \
        ("nämnd", "bolag", "STADSHUS", "EXEN")
    assert model.goals["EXEN-M1"].parents == ["KF5"]
    assert exen.key == "nämnder[8].dotterbolag[0]"


def test_validate_counts_each_kind_in_its_own_words(tmp_path: Path) -> None:
    write_variant(tmp_path)
    models, problems = validate_project(tmp_path)
    assert [p for p in problems if p.is_error] == []
    counts = model_counts(models[0])
    assert counts[:8] == ["1 kommun", "5 nämnder", "1 styrelse", "1 gemensam nämnd", "3 bolag",
                          "2 kommunalförbund", "20 verksamheter", "61 enheter"]
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--no-tree"])
    assert result.exit_code == 0, result.output
    assert "1 kommun, 5 nämnder, 1 styrelse, 1 gemensam nämnd, 3 bolag, 2 kommunalförbund, " \
           "20 verksamheter, 61 enheter, " in result.output


def test_exempelkommun_counts_are_its_nämnder_and_its_bolag() -> None:
    root = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun"
    models, _ = validate_project(root)
    assert model_counts(models[0])[:5] == ["1 kommun", "6 nämnder", "1 bolag",
                                           "20 verksamheter", "60 enheter"]


def test_verksamheter_and_enheter_under_one_nämnd_is_a_clear_fel(tmp_path: Path) -> None:
    text = variant_text().replace("    typ: gemensam_nämnd\n", "    typ: gemensam_nämnd\n"
                                  "    verksamheter:\n      - id: ofn-v\n        namn: \"V\"\n")
    [fel] = errors(tmp_path, text)
    assert fel.code == "config-org-both"
    assert fel.location.key.startswith("nämnder[7].enheter (rad ")
    assert "Gemensam nämnd OFN har både 'verksamheter' och 'enheter'" in fel.message
    assert "direkt under den gemensamma nämnden" in fel.hint


def test_enheter_under_an_enhet_says_what_is_allowed(tmp_path: Path) -> None:
    text = variant_text().replace('        namn: "Överförmyndarkansliet"\n',
                                  '        namn: "Överförmyndarkansliet"\n        enheter: []\n')
    [fel] = errors(tmp_path, text)
    assert fel.code == "config-org-misplaced"
    assert fel.location.key.startswith("nämnder[7].enheter[0].enheter (rad ")
    assert fel.message == "'enheter' kan inte stå under en enhet."
    assert "'enheter' direkt" in fel.hint and "okänd" not in fel.message


def test_dotterbolag_only_under_a_bolag(tmp_path: Path) -> None:
    text = variant_text().replace("    typ: bolag\n    mål:\n      - id: STADSHUS-M1",
                                  "    typ: nämnd\n    mål:\n      - id: STADSHUS-M1")
    [fel] = errors(tmp_path, text)
    assert fel.code == "config-org-subsidiary"
    assert "bara ett bolag (typ: bolag) kan ha dotterbolag" in fel.message
    text = variant_text().replace('        namn: "Exempelkommuns Energi AB"\n',
                                  '        namn: "Exempelkommuns Energi AB"\n        typ: nämnd\n')
    [fel] = errors(tmp_path, text)
    assert fel.code == "config-invalid-value"
    assert fel.location.key.startswith("nämnder[8].dotterbolag[0].typ (rad ")


def test_a_unit_under_two_parents_is_a_clear_fel(tmp_path: Path) -> None:
    # Solrosens förskola both under Förskola (BUN) and directly under the gemensam nämnd
    text = variant_text().replace("      - id: ofn-kansli\n", "      - id: solrosens-forskola\n")
    text = text.replace("          - id: ofn-kansli-E1\n", "          - id: ofn-solros-E1\n")
    found = errors(tmp_path, text)
    assert [p.code for p in found] == ["config-duplicate-id"]
    assert found[0].location.key.startswith("nämnder[7].enheter[0].id (rad ")
    assert 'id "solrosens-forskola" finns redan (första gången vid ' \
           'nämnder[1].verksamheter[0].enheter[0])' in found[0].message


def test_an_enhet_goal_under_a_nämnd_links_to_a_nämndmål(tmp_path: Path) -> None:
    text = variant_text().replace("            förälder: [OFN-M1]\n",
                                  "            förälder: [KF2]\n")
    [fel] = errors(tmp_path, text)
    assert fel.code == "config-parent-level"
    assert fel.values["expected_level"] == "Nämndmål i den egna målkedjan"


def test_org_keys_at_the_top_of_the_file_say_where_they_belong(tmp_path: Path) -> None:
    text = variant_text() + "verksamheter: []\n"
    [fel] = errors(tmp_path, text)
    assert fel.code == "config-org-misplaced"
    assert fel.message == "'verksamheter' kan inte stå under filens översta nivå."
    assert "under 'nämnder'" in fel.hint


def test_the_committees_heading_says_each_name_once() -> None:
    # Fyrkanta's web menu said "Nämnder och bolag, bolag och kommunalförbund"
    from reportkit.styrmodell.kinds import joined_names

    assert joined_names(["nämnder och bolag", "bolag", "kommunalförbund"]) == \
        "nämnder och bolag samt kommunalförbund"
    assert joined_names(["nämnder", "bolag", "kommunalförbund"]) == \
        "nämnder, bolag och kommunalförbund"
    assert joined_names(["nämnder", "bolag"]) == "nämnder och bolag"
    assert joined_names(["styrelser", "bolagen"]) == "styrelser och bolagen"  # a word, not a part
    assert joined_names(["nämnder"]) == "nämnder"
