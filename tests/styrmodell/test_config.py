"""The styrmodell loader: a broken file gives Swedish errors with file, key path and line.

Each test copies Exempelkommun's 2026.yaml into ``tmp_path``, breaks it with a text edit, and
asserts the ``(code, key path)`` pairs. Key paths carry the line as ``path (rad N)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportkit.styrmodell.model import load_styrmodell

EXEMPEL = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun" / "styrmodell" \
    / "2026.yaml"
TEXT = EXEMPEL.read_text(encoding="utf-8")
FILE = "styrmodell/2026.yaml"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line that contains ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def first_line(old: str) -> int:
    """The line where ``old`` first occurs in Exempelkommun (where :func:`broken` edits)."""
    return TEXT[:TEXT.index(old)].count("\n") + 1


def broken(tmp_path: Path, *edits: tuple[str, str]) -> tuple[str, Path]:
    """Exempelkommun with each ``(old, new)`` replaced once; returns (text, path)."""
    text = TEXT
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    folder = tmp_path / "styrmodell"
    folder.mkdir(exist_ok=True)
    path = folder / "2026.yaml"
    path.write_text(text, encoding="utf-8")
    return text, path


def fel(path: Path) -> list[tuple[str, str | None]]:
    model, problems = load_styrmodell(path)
    errors = [(p.code, p.location.key) for p in problems if p.is_error]
    assert (model is None) == bool(errors)
    for p in problems:
        assert p.location.file == FILE
    return errors


def test_exempelkommun_loads_without_fel() -> None:
    model, problems = load_styrmodell(EXEMPEL)
    assert model is not None
    assert [p for p in problems if p.is_error] == []
    assert model.year == 2026
    assert len(model.goals) > 8 and len(model.indicators) > 16


def test_duplicate_id_names_its_key_path_and_line(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("      - id: forskola\n", "      - id: klk\n"))
    line = line_of(text, "      - id: klk", 2)
    assert fel(path) == [("config-duplicate-id", f"nämnder[1].verksamheter[0].id (rad {line})")]
    _, problems = load_styrmodell(path)
    assert problems[0].values["first"] == "nämnder[0].verksamheter[0]"
    assert 'id "klk" finns redan' in problems[0].message
    assert problems[0].line().startswith(
        f"{FILE}, nämnder[1].verksamheter[0].id (rad {line}): fel: ")


def test_duplicate_goal_id(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("      - id: BUN-M2\n", "      - id: BUN-M1\n"))
    line = [i for i, t in enumerate(text.splitlines(), 1) if t == "      - id: BUN-M1"][1]
    errors = fel(path)
    # the second BUN-M1 is refused, so BUN-M2 no longer exists for the goals below it
    assert errors[0] == ("config-duplicate-id", f"nämnder[1].mål[1].id (rad {line})")
    assert {code for code, _ in errors[1:]} <= {"config-parent-missing"}


def test_unknown_key(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("  invånare: 20412", "  invånare: 20412\n  invånarantal: 1"))
    line = line_of(text, "invånarantal")
    assert fel(path) == [("config-unknown-key", f"kommun.invånarantal (rad {line})")]


def test_missing_key(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ('    namn: "Barn- och utbildningsnämnden"\n', ""))
    line = line_of(text, "  - id: BUN")
    assert fel(path) == [("config-missing-key", f"nämnder[1].namn (rad {line})")]
    _, problems = load_styrmodell(path)
    assert problems[0].values["name"] == "namn"


def test_missing_top_level_key_is_reported_not_looped_on(tmp_path: Path) -> None:
    _, path = broken(tmp_path, ("år: 2026 ", "# år borttaget "))
    assert fel(path) == [("config-missing-key", "år")]


def test_wrong_type_year_as_text(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("år: 2026 ", 'år: "tjugo" '))
    line = line_of(text, 'år: "tjugo"')
    assert fel(path) == [("config-invalid-value", f"år (rad {line})")]
    _, problems = load_styrmodell(path)
    assert problems[0].values["value"] == "'tjugo'"
    assert "heltal" in problems[0].message


def test_invalid_literal_direction(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("        riktning: högre ",
                                   "        riktning: uppåt "))
    line = line_of(text, "riktning: uppåt")
    key = f"mål[0].indikatorer[0].riktning (rad {line})"
    assert fel(path) == [("config-invalid-value", key)]
    _, problems = load_styrmodell(path)
    assert "'högre'" in problems[0].message and "'lägre'" in problems[0].message


def test_parent_that_does_not_exist(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("        förälder: [KF1]\n", "        förälder: [KF99]\n"))
    line = line_of(text, "förälder: [KF99]")
    assert fel(path) == [("config-parent-missing", f"nämnder[1].mål[0].förälder[0] (rad {line})")]


def test_nämndmål_pointing_to_another_nämnds_goal_is_wrong_level(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("        förälder: [KF1]\n", "        förälder: [KS-M1]\n"))
    line = [i for i, t in enumerate(text.splitlines(), 1) if t == "        förälder: [KS-M1]"][0]
    assert fel(path) == [("config-parent-level", f"nämnder[1].mål[0].förälder[0] (rad {line})")]


def test_verksamhetsmål_pointing_to_another_nämnds_nämndmål_is_wrong_chain(
        tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("            förälder: [BUN-M2]\n",
                                   "            förälder: [KS-M1]\n"))
    line = first_line("            förälder: [BUN-M2]\n")
    assert fel(path) == [("config-parent-level",
                          f"nämnder[1].verksamheter[0].mål[0].förälder[0] (rad {line})")]


def test_enhetsmål_pointing_to_a_kf_mål_skips_levels_and_is_wrong_level(tmp_path: Path) -> None:
    # DOMAIN.md: every goal below KF links to goals one level up.
    text, path = broken(tmp_path, ("                förälder: [KLK-V1] ",
                                   "                förälder: [KF2] "))
    line = line_of(text, "                förälder: [KF2]")
    assert fel(path) == [("config-parent-level",
                          f"nämnder[0].verksamheter[0].enheter[0].mål[0].förälder[0] (rad {line})")]


def test_goal_pointing_to_a_goal_below_is_wrong_level(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("        förälder: [KF2] ", "        förälder: [KLK-V1] "))
    line = line_of(text, "        förälder: [KLK-V1] ")
    assert fel(path) == [("config-parent-level", f"nämnder[0].mål[0].förälder[0] (rad {line})")]


def test_goal_below_kf_without_parent(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("        förälder: [KF1]\n", ""))
    line = line_of(text, "      - id: BUN-M1")
    assert fel(path) == [("config-no-parent", f"nämnder[1].mål[0].förälder (rad {line})")]


def test_kf_mål_needs_no_parent() -> None:
    model, _ = load_styrmodell(EXEMPEL)
    assert model is not None
    assert all(g.parents == [] for g in model.goals.values() if g.level == "kommun")


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("  invånare: 20412", "  invånare: [20412"))
    errors = fel(path)
    assert [code for code, _ in errors] == ["config-yaml-syntax"]
    _, problems = load_styrmodell(path)
    line = problems[0].values["line"]
    assert isinstance(line, int)
    assert line_of(text, "invånare: [20412") <= line <= line_of(text, "invånare: [20412") + 2
    assert re.search(r"rad \d+", problems[0].message)


def test_bad_indentation_is_a_syntax_error_with_line(tmp_path: Path) -> None:
    text, path = broken(tmp_path, ("  chef: \"Kristina Wall\"", " chef: \"Kristina Wall\""))
    _, problems = load_styrmodell(path)
    assert [p.code for p in problems] == ["config-yaml-syntax"]
    assert problems[0].values["line"] == line_of(text, ' chef: "Kristina Wall"')


def test_several_errors_are_all_reported(tmp_path: Path) -> None:
    _, path = broken(tmp_path, ("år: 2026 ", 'år: "tjugo" '),
                     ("        riktning: högre ", "        riktning: uppåt "))
    codes = [code for code, _ in fel(path)]
    assert codes == ["config-invalid-value", "config-invalid-value"]


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "2026.yaml"
    path.write_text("- bara\n- en lista\n", encoding="utf-8")
    _, problems = load_styrmodell(path)
    assert [p.code for p in problems] == ["config-invalid-value"]


@pytest.mark.parametrize("edit, code", [
    (("    typ: delår\n", "    typ: kvartalet\n"), "config-invalid-value"),
    (("    till: 2026-08-31\n", "    till: 2025-08-31\n"), "config-invalid-value"),
    (("    till: 2026-08-31\n", "    till: 31 augusti\n"), "config-invalid-value"),
    (("    område: verksamhet ", "    område: kultur "),
     "config-invalid-value"),
])
def test_other_invalid_values(tmp_path: Path, edit: tuple[str, str], code: str) -> None:
    _, path = broken(tmp_path, edit)
    assert [c for c, _ in fel(path)] == [code]


def test_every_config_error_renders_in_swedish_without_placeholders(tmp_path: Path) -> None:
    _, path = broken(tmp_path, ("år: 2026 ", 'år: "tjugo" '),
                     ("  invånare: 20412", "  invånare: 20412\n  invånarantal: 1"))
    _, problems = load_styrmodell(path)
    for p in problems:
        assert "{" not in p.line() and "Traceback" not in p.line()
