"""``reportkit init``: a styrmodell a coordinator can edit without a manual, and a first run
that ends in something that works.

The YAML that ``init`` writes explains every key of the schema (``styrmodell/config.py``) in a
comment on the key's first line (or the line above it); optional keys the example does not use
are there commented out, with their explanation, and are valid when uncommented.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import typing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from reportkit import init_project as init_blank
from reportkit.cli import main
from reportkit.styrmodell.config import StyrmodellConfig
from reportkit.styrmodell.project_setup import init_project

REPO = Path(__file__).resolve().parents[2]
EXEMPELKOMMUN = REPO / "fixtures" / "exempelkommun"
# "# key: value   # explanation": an optional key, commented out, with its explanation
EXAMPLE = re.compile(r"^(\s*)# ((?:  )*[^\s:#]+:(?: .*?\S)?\s+# \S.*)$")
"""An optional key, commented out with its explanation: ``# key: value  # text``, or a
commented block's ``# key:  # text`` and its ``#   key: value  # text`` lines."""


def nested_model(annotation: object) -> type[BaseModel] | None:
    """The model inside ``Model``, ``list[Model]``, ``Model | None`` …; None for a leaf."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is dict:
        return None  # målvärde, sista_dag: the keys are years and levels, not schema keys
    for arg in typing.get_args(annotation):
        found = nested_model(arg)
        if found is not None:
            return found
    return None


def schema_keys(model: type[BaseModel], seen: set[type] | None = None) -> set[tuple[str, str]]:
    """Every (model, YAML key) pair of the styrmodell schema."""
    seen = set() if seen is None else seen
    seen.add(model)
    keys: set[tuple[str, str]] = set()
    for name, info in model.model_fields.items():
        keys.add((model.__name__, info.alias or name))
        inner = nested_model(info.annotation)
        if inner is not None and inner not in seen:
            keys |= schema_keys(inner, seen)
    return keys


def first_lines(node: yaml.Node, model: type[BaseModel],
                out: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The 0-based line of each (model, key)'s first occurrence in the composed YAML."""
    by_alias = {(info.alias or name): info for name, info in model.model_fields.items()}
    for key_node, value_node in node.value:
        key = key_node.value
        line = key_node.start_mark.line
        pair = (model.__name__, key)
        out[pair] = min(out.get(pair, line), line)
        info = by_alias.get(key)
        inner = nested_model(info.annotation) if info else None
        if inner is None:
            continue
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for item in items:
            if isinstance(item, yaml.MappingNode):
                first_lines(item, inner, out)
    return out


def uncomment_examples(text: str) -> str:
    return "\n".join(EXAMPLE.sub(r"\1\2", line) for line in text.splitlines()) + "\n"


def explained(lines: list[str], n: int) -> bool:
    """Line ``n`` has a trailing comment, or the line above is a comment of its own."""
    if re.search(r"\s#\s+\S", lines[n].split(":", 1)[1]):
        return True
    above = lines[n - 1].strip() if n else ""
    return above.startswith("#") and not EXAMPLE.match(lines[n - 1])


@pytest.fixture(scope="module")
def init_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What ``reportkit init`` writes: the blank styrmodell."""
    root = init_blank(tmp_path_factory.mktemp("init") / "min-kommun")
    files = sorted((root / "styrmodell").glob("*.yaml"))
    assert len(files) == 1
    return files[0].read_text(encoding="utf-8")


def test_every_schema_key_is_explained_where_it_first_occurs(init_text: str) -> None:
    text = uncomment_examples(init_text)
    assert text != init_text  # the optional keys are there, commented out
    StyrmodellConfig.model_validate(yaml.safe_load(text))  # and valid when uncommented
    lines = text.splitlines()
    first = first_lines(yaml.compose(text), StyrmodellConfig, {})
    expected = schema_keys(StyrmodellConfig)
    assert sorted(expected - set(first)) == []  # every key of the schema is in the file
    unexplained = sorted(f"{model}.{key} (rad {first[(model, key)] + 1})"
                         for model, key in expected if not explained(lines, first[(model, key)]))
    assert unexplained == []


def test_the_explanations_are_swedish_sentences_not_placeholders(init_text: str) -> None:
    comments = [line.split("#", 1)[1].strip() for line in init_text.splitlines() if "#" in line]
    assert len(comments) > 90
    assert not [c for c in comments if "TODO" in c or "{" in c or c.endswith("?")]


def test_the_example_loads_with_the_optional_keys_left_commented(tmp_path: Path) -> None:
    committed = (EXEMPELKOMMUN / "styrmodell" / "2026.yaml").read_text(encoding="utf-8")
    copied = init_project(tmp_path / "exempel") / "styrmodell" / "2026.yaml"
    assert copied.read_text(encoding="utf-8") == committed  # reportkit init --exempel
    data = yaml.safe_load(committed)
    assert "utgångsvärde" not in data["mål"][0]["indikatorer"][0]
    assert "id" not in data["kommun"]


def test_the_fixture_is_what_the_generator_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_exempelkommun",
                                                  REPO / "fixtures" / "make_exempelkommun.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for part in ("styrmodell/2026.yaml", "historik/utfall.csv"):
        assert (tmp_path / part).read_bytes() == (EXEMPELKOMMUN / part).read_bytes(), part


def _next_command(output: str, command: str = "") -> list[str]:
    """The last ``reportkit …`` command (of ``command``, if given) the output tells the user
    to run, as argv."""
    found = re.findall(r"^\s*(?:\d\.\s.*?:\s+)?reportkit (.+)$", output, flags=re.M)
    found = [f for f in found if f.startswith(command)]
    assert found, output
    return shlex.split(found[-1])


@pytest.mark.slow
def test_first_run_follows_the_printed_next_steps_to_a_checked_workbook(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    step = runner.invoke(main, ["init", "min kommun", "--exempel"])
    assert step.exit_code == 0, step.output
    assert "min kommun/styrmodell/2026.yaml" in step.output

    args = _next_command(step.output)
    assert args[0] == "validate"
    step = runner.invoke(main, args)
    assert step.exit_code == 0, step.output
    assert "inga fel" in step.output
    tree = [line for line in step.output.splitlines() if line.startswith("  ")]
    assert any(line.strip().startswith("KF1 ") for line in tree)
    assert any(line.startswith("    BUN-M1 ") for line in tree)  # nämndmål under their KF-mål

    args = _next_command(step.output)
    assert args[:2] == ["workbooks", "min kommun"] and "--period" in args
    step = runner.invoke(main, args)
    assert step.exit_code == 0, step.output
    assert step.output.startswith("88 styrkort")

    back = _next_command(step.output, "consolidate")
    assert back[:2] == ["consolidate", "min kommun"] and "-p" in back
    args = _next_command(step.output, "check")
    assert args[0] == "check" and Path(args[1]).is_file()
    step = runner.invoke(main, args)
    assert step.exit_code == 0, step.output
    assert "0 fel" in step.output


def test_init_refuses_an_existing_project(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "p")]).exit_code == 0
    again = runner.invoke(main, ["init", str(tmp_path / "p")])
    assert again.exit_code == 2
    assert "skrevs över" in again.output and "Traceback" not in again.output
