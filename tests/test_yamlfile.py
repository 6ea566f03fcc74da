"""Configuration YAML within bounds: hostile or careless files are Swedish config-* problems with
file and line, and what a user writes as text stays text (YAML 1.2 core scalars).

The module's own tests come first; then each case through the real entry points: the styrmodell
loader on a copy of Exempelkommun, ``data/import.yaml``, ``avsnitt.yaml`` and ``reportkit
validate``.
"""

from __future__ import annotations

import os
import re
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportkit import yamlfile
from reportkit.cli import main
from reportkit.documents.sections import load_avsnitt
from reportkit.errors import ReportkitError
from reportkit.sources.mapping import load_mapping
from reportkit.styrmodell.model import load_styrmodell
from reportkit.yamlfile import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, load_yaml

EXEMPEL = Path(__file__).resolve().parent.parent / "fixtures" / "exempelkommun"
STYRMODELL = (EXEMPEL / "styrmodell" / "2026.yaml").read_text(encoding="utf-8")
IMPORT = (EXEMPEL / "data" / "import.yaml").read_text(encoding="utf-8")

# Nine levels of nine aliases: 9**9 (387 million) "lol"s once expanded, 81 aliases in 1 KB.
BILLION_LAUGHS = 'lol1: &lol1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]\n" for i in range(2, 10))


def codes(text: str) -> list[tuple[str, str | None]]:
    return [(p.code, p.location.key) for p in load_yaml(text, file="f.yaml").problems]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    return [i for i, line in enumerate(text.splitlines(), 1) if needle in line][occurrence - 1]


def styrmodell(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "styrmodell"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2026.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def edited(*edits: tuple[str, str]) -> str:
    text = STYRMODELL
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_billion_laughs_is_refused_in_well_under_a_second() -> None:
    start = time.perf_counter()
    found = load_yaml(BILLION_LAUGHS, file="f.yaml")
    assert time.perf_counter() - start < 1.0
    assert found.data is None
    assert [p.code for p in found.problems] == ["config-yaml-too-many-values"]
    assert found.problems[0].values["line"] in range(1, 10)


def test_billion_laughs_is_refused_with_little_memory() -> None:
    tracemalloc.start()
    try:
        load_yaml(BILLION_LAUGHS, file="f.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_more_aliases_than_the_bound_are_refused_with_the_line() -> None:
    text = "a: &a 1\nb:\n  c: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    assert codes(text) == [("config-yaml-aliases", f"b.c[{MAX_ALIASES}] (rad 3)")]


def test_a_few_aliases_load_as_the_values_they_point_at() -> None:
    found = load_yaml("skala: &s [1, 2]\nen: *s\nannan: *s\n", file="f.yaml")
    assert found.problems == []
    assert found.data == {"skala": [1, 2], "en": [1, 2], "annan": [1, 2]}


def test_an_alias_inside_its_own_value_is_refused() -> None:
    assert codes("a: &a [1, *a]\n") == [("config-yaml-alias-loop", "a[1] (rad 1)")]


def test_duplicate_key_names_the_key_and_both_lines() -> None:
    found = load_yaml("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n", file="f.yaml")
    [p] = found.problems
    assert (p.code, p.location.file, p.location.key) == ("config-duplicate-key", "f.yaml",
                                                         "b.c (rad 5)")
    assert (p.values["first"], p.values["line"], p.values["name"]) == (3, 5, "c")
    assert "'c' står två gånger" in p.message and "rad 3" in p.message and "rad 5" in p.message


def test_duplicate_key_in_a_list_item_has_its_key_path() -> None:
    assert codes("l:\n  - id: x\n    id: y\n") == [("config-duplicate-key", "l[0].id (rad 3)")]


def test_deep_nesting_is_refused_with_the_line() -> None:
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 3)) + \
        "  " * 3 + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    found = load_yaml(text, file="f.yaml")
    assert [(p.code, p.values["line"]) for p in found.problems] == [("config-yaml-too-deep", 4)]


def test_nesting_past_libyamls_own_bound_is_the_same_problem() -> None:
    assert codes("[" * 5000 + "]" * 5000) == [("config-yaml-too-deep", None)]


def test_a_file_too_large_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "2026.yaml"
    with path.open("wb") as fh:
        fh.write(b"a: [")
        fh.write(b"1, " * (MAX_BYTES // 3 + 10))
        fh.write(b"]\n")
    start = time.perf_counter()
    found = load_yaml(path, file="styrmodell/2026.yaml")
    assert time.perf_counter() - start < 1.0
    assert [p.code for p in found.problems] == ["config-file-too-large"]
    assert found.problems[0].values["max_mb"] == "10,0"


@pytest.mark.parametrize("written", ["NO", "ON", "yes", "off", "y", "n", "No", "Yes", "nej",
                                     "08", "012", "0180", "1:20", "1_000", "0b11", "tRue"])
def test_yaml_1_1_surprises_stay_the_text_as_written(written: str) -> None:
    assert load_yaml(f"a: {written}\n", file="f.yaml").data == {"a": written}


@pytest.mark.parametrize(("written", "value"), [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
    ("null", None), ("~", None), ("", None), ("0", 0), ("-12", -12), ("+7", 7), ("0o17", 15),
    ("0x1F", 31), ("85.5", 85.5), (".5", 0.5), ("1e3", 1000.0), ("-.inf", float("-inf")),
])
def test_yaml_1_2_core_booleans_numbers_and_null(written: str, value: object) -> None:
    loaded = load_yaml(f"a: {written}\n", file="f.yaml").data["a"]
    assert loaded == value and type(loaded) is type(value)


def test_dates_stay_dates_and_the_merge_key_is_an_ordinary_key() -> None:
    import datetime as dt

    data = load_yaml("d: 2026-04-30\n<<: {x: 1}\n", file="f.yaml").data
    assert data == {"d": dt.date(2026, 4, 30), "<<": {"x": 1}}


def test_pyyamls_own_loaders_are_left_as_they_were() -> None:
    import yaml

    load_yaml("a: NO\n", file="f.yaml")
    assert yaml.safe_load("a: NO\nb: 012\n") == {"a": False, "b": 10}
    assert yaml.load("a: NO\n", Loader=yaml.CSafeLoader) == {"a": False}


def test_an_explicit_tag_on_a_wrong_value_is_a_problem_with_its_line() -> None:
    [p] = load_yaml("a: 1\nb: [2, !!int tolv]\n", file="f.yaml").problems
    assert (p.code, p.values["line"]) == ("config-yaml-syntax", 2)


def test_lines_are_worked_out_only_when_asked() -> None:
    found = load_yaml("a:\n  - id: x\n  - id: y\n", file="f.yaml")
    assert found.lines["a[1].id"] == 3


def test_exempelkommun_loads_as_with_pyyaml() -> None:
    import yaml

    for path in (EXEMPEL / "styrmodell" / "2026.yaml", EXEMPEL / "data" / "import.yaml"):
        text = path.read_text(encoding="utf-8")
        assert load_yaml(path, file=path.name).data == yaml.safe_load(text)


def test_styrmodell_gets_the_text_a_user_wrote(tmp_path: Path) -> None:
    text = edited(('namn: "Arbetsmiljö"', "namn: NO"), ('namn: "Ekonomi"', "namn: ON"),
                  ('namn: "Hållbar utveckling"', "namn: yes"),
                  ('måttenhet: "index"', "måttenhet: 1:20"),
                  ('kommunkod: "9999"', "kommunkod: 0114"),
                  ('- id: ekonomienheten          #', "- id: 08  #"),
                  ('ansvar: ["111"]', "ansvar: [0111]"))
    model, problems = load_styrmodell(styrmodell(tmp_path, text))
    assert [p for p in problems if p.is_error] == []
    assert model is not None
    areas = {a.id: a.name for a in model.config.areas}
    assert (areas["arbetsmiljo"], areas["ekonomi"], areas["hallbarhet"]) == ("NO", "ON", "yes")
    assert "1:20" in {ind.unit for ind, _ in model.indicators.values()}
    assert model.config.kommun.code == "0114"  # YAML 1.1: octal 76, refused as no text
    assert list(model.units["08"].ansvar) == ["0111"]  # YAML 1.1: octal 73, silently "73"


def test_styrmodell_with_a_duplicate_key_gives_the_key_path_and_both_lines(tmp_path: Path
                                                                            ) -> None:
    text = edited(('    namn: "Ekonomi"\n', '    namn: "Ekonomi"\n    namn: "Pengar"\n'))
    model, problems = load_styrmodell(styrmodell(tmp_path, text))
    assert model is None
    line = line_of(text, 'namn: "Pengar"')
    assert [(p.code, p.location.file, p.location.key) for p in problems] == [
        ("config-duplicate-key", "styrmodell/2026.yaml", f"målområden[3].namn (rad {line})")]
    assert problems[0].values["first"] == line - 1


def test_styrmodell_with_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    text = STYRMODELL + "\n" + BILLION_LAUGHS
    start = time.perf_counter()
    model, problems = load_styrmodell(styrmodell(tmp_path, text))
    assert time.perf_counter() - start < 1.0
    assert model is None
    assert [p.code for p in problems] == ["config-yaml-too-many-values"]
    assert problems[0].values["line"] > line_of(text, "lol1:") - 1


def test_import_yaml_with_a_duplicate_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    text = IMPORT.replace("  fil: ekonomi-drift.csv", "  fil: ekonomi-drift.csv\n  fil: x.csv", 1)
    (data / "import.yaml").write_text(text, encoding="utf-8")
    _, problems = load_mapping(data)
    assert [(p.code, p.location.file, p.location.key) for p in problems] == [
        ("config-duplicate-key", "data/import.yaml",
         f"drift.fil (rad {line_of(text, 'fil: x.csv')})")]


def test_avsnitt_yaml_with_too_many_aliases(tmp_path: Path) -> None:
    (tmp_path / "avsnitt.yaml").write_text(
        "a: &a x\ndelarsrapport:\n  delår: [" + ", ".join(["*a"] * 200) + "]\n",
        encoding="utf-8")
    with pytest.raises(ReportkitError) as caught:
        load_avsnitt("delarsrapport", "delår", tmp_path)
    assert [p.code for p in caught.value.problems] == ["config-yaml-aliases"]


@pytest.mark.parametrize(("case", "code"), [
    ("dubblett", "config-duplicate-key"), ("alias", "config-yaml-too-many-values"),
    ("djup", "config-yaml-too-deep"), ("stor", "config-file-too-large")])
def test_validate_command_prints_the_swedish_line_and_exits_2(tmp_path: Path, case: str,
                                                              code: str) -> None:
    text = {
        "dubblett": edited(('    namn: "Ekonomi"\n', '    namn: "Ekonomi"\n    namn: "P"\n')),
        "alias": STYRMODELL + "\n" + BILLION_LAUGHS,
        "djup": STYRMODELL + "\nx: " + "[" * 60 + "]" * 60 + "\n",
        "stor": STYRMODELL + "\n#" + "x" * MAX_BYTES + "\n",
    }[case]
    path = styrmodell(tmp_path / "kommun", text)
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "kommun")])
    assert time.perf_counter() - start < 2.0
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    [line] = result.output.splitlines()
    [found] = load_styrmodell(path)[1]
    assert found.code == code and line == found.line()
    assert line.startswith("styrmodell/2026.yaml") and ": fel: " in line
    assert code == "config-file-too-large" or re.search(r"rad \d+", line)


@pytest.mark.parametrize(("written", "value"), [("ja", True), ("nej", False), ("yes", True),
                                                ("NO", False), ("true", True)])
def test_a_janej_målvärde_written_as_yes_or_no_is_still_a_boolean(tmp_path: Path, written: str,
                                                                    value: bool) -> None:
    text = edited(("måltyp: minst\n        målvärde: {2026: 6, 2027: 7}",
                   f"måltyp: janej\n        målvärde: {{2026: {written}}}"))
    model, problems = load_styrmodell(styrmodell(tmp_path, text))
    assert model is not None, problems
    assert model.indicators["KF8-I2"][0].targets["2026"] is value


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_under_the_name_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "2026.yaml")
    found = load_yaml(tmp_path / "2026.yaml", file="styrmodell/2026.yaml")
    assert [(p.code, p.values["reason"]) for p in found.problems] == [
        ("file-unreadable", "det är ingen vanlig fil")]


def test_a_file_of_too_many_values_is_refused_while_it_is_composed(monkeypatch) -> None:
    monkeypatch.setattr(yamlfile, "MAX_NODES", 1000)
    found = load_yaml("[" + "1, " * 5000 + "1]\n", file="f.yaml")
    assert [(p.code, p.values["max"]) for p in found.problems] == [
        ("config-file-too-many-values", "1 000")]
