"""The CLI speaks Swedish: click's own words too (reportkit/compat/click.py), on the tested
click (its gettext names) and on the public path (the catalogue read back as patterns), and
the ASCII spellings of the å/ä/ö options still work."""

from __future__ import annotations

import gettext
import importlib
import re

import click
import pytest
from click.testing import CliRunner

from reportkit.cli import main
from reportkit.compat import click as door

ENGLISH = re.compile(r"\b(" + "|".join([
    # click
    "Usage", "Options", "Commands", "Show this", "default", "Error", "Invalid", "No such",
    "Missing", "Did you mean", "Try", "for help", "required", "Aborted", "is not", "one of",
    "Got unexpected", "argument", "PATH", "OPTIONS", "COMMAND", "ARGS", "does not",
    # pydantic
    "Input should", "Field required", "Extra inputs", "or", "valid",
    # YAML
    "mapping", "allowed", "could not", "expected", "found", "while", "scanning", "parsing",
    "block", "end of stream"]) + r")\b")

COMMANDS = sorted(main.commands)


def _calls() -> list[tuple[str, list[str]]]:
    calls = [("reportkit --help", ["--help"]), ("reportkit --finns-inte", ["--finns-inte"]),
             ("reportkit okänt-kommando", ["okänt-kommando"]), ("reportkit chek", ["chek"])]
    for name in COMMANDS:
        calls.append((f"{name} --help", [name, "--help"]))
        calls.append((f"{name} --finns-inte", [name, "--finns-inte"]))
        calls.append((f"{name} --jsn", [name, "--jsn"]))  # "Menade du …?"
    calls += [("workbooks --nivå x", ["workbooks", "--nivå", "x"]),
              ("check", ["check"]),
              ("explain", ["explain"]),
              ("check a b --json=x", ["check", "a.xlsx", "--json=x"]),
              ("validate --period", ["status", "--period"]),
              ("render bok", ["render", "bok"]),
              ("--datum", ["status", "--datum", "i morgon"])]
    return calls


CALLS = _calls()


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, prog_name="reportkit")
    return result.output


def _stock_click(monkeypatch: pytest.MonkeyPatch) -> None:
    """click as shipped: its modules' gettext names back, the public path chosen."""
    monkeypatch.setenv("REPORTKIT_COMPAT", "stock")
    for name in door.MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            monkeypatch.setattr(module, "_", gettext.gettext)
        if hasattr(module, "ngettext"):
            monkeypatch.setattr(module, "ngettext", gettext.ngettext)


@pytest.mark.parametrize(("label", "args"), CALLS, ids=[c[0] for c in CALLS])
def test_help_and_bad_calls_have_no_english(label: str, args: list[str]) -> None:
    output = _run(args)
    assert output.strip(), label
    found = ENGLISH.findall(output)
    assert not found, f"{label}: {found}\n{output}"


def test_every_command_is_iterated() -> None:
    assert {"check", "consolidate", "validate", "status", "explain", "render", "beslut",
            "workbooks", "demo", "init", "pdfcheck"} <= set(COMMANDS)


def test_the_public_path_says_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = {label: _run(args) for label, args in CALLS}
    _stock_click(monkeypatch)
    assert click.core._ is gettext.gettext  # type: ignore[attr-defined]
    for label, args in CALLS:
        assert _run(args) == fast[label], label


def test_the_door_is_used_only_on_the_tested_click(monkeypatch: pytest.MonkeyPatch) -> None:
    assert door.install()
    monkeypatch.setenv("REPORTKIT_COMPAT", "stock")
    assert not door.install()


def test_usage_error_lines() -> None:
    output = _run(["workbooks", "--nivå", "x"])
    assert output.splitlines()[0].startswith("Användning: reportkit workbooks [VAL] [PROJEKT]")
    assert "Fel: Ogiltigt värde för '--nivå': 'x' är inte något av 'enhet', " in output
    assert "Menade du '--json'?" in _run(["status", "--jsn"])
    assert "Argument saknas: 'FILER...'." in _run(["check"])
    assert CliRunner().invoke(main, ["check"]).exit_code == 2


@pytest.mark.parametrize("name", COMMANDS)
def test_one_example_per_line(name: str) -> None:
    lines = _run([name, "--help"]).splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Exempel:")
    examples = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        examples.append(line)
    assert examples, name
    for line in examples:
        assert line.strip().startswith("reportkit ") and line.count("reportkit ") == 1, line


ALIASES = [("workbooks", "--nivå", "--niva", "levels", "verksamhet", ("verksamhet",)),
           ("beslut", "--nämnd", "--namnd", "committee", "BUN", "BUN"),
           ("beslut", "--ångra", "--angra", "undo", "1", "1"),
           ("beslut", "--skäl", "--skal", "reason", "Fel underlag", "Fel underlag"),
           ("demo", "--ut", "--out", "out", "x", "x")]


@pytest.mark.parametrize(("command", "shown", "ascii", "param", "value", "expected"), ALIASES)
def test_both_spellings_work_and_only_the_swedish_is_shown(
        command: str, shown: str, ascii: str, param: str, value: str, expected: object) -> None:
    cmd = main.commands[command]
    for spelling in (shown, ascii):
        ctx = cmd.make_context(command, [spelling, value])
        got = ctx.params[param]
        assert (str(got) if param == "out" else got) == expected, spelling
    help_text = _run([command, "--help"])
    assert shown in help_text
    assert not re.search(re.escape(ascii) + r"\b", help_text)


def test_flag_spellings() -> None:
    validate, demo = main.commands["validate"], main.commands["demo"]
    for args, tree in ((["--utan-träd"], False), (["--utan-trad"], False),
                       (["--no-tree"], False), (["--träd"], True), (["--tree"], True)):
        assert validate.make_context("validate", args).params["tree"] is tree, args
    for args, pdf in ((["--utan-pdf"], False), (["--no-pdf"], False), (["--pdf"], True)):
        assert demo.make_context("demo", args).params["pdf"] is pdf, args
    assert "--no-pdf" not in _run(["demo", "--help"])
    assert "tree" not in _run(["validate", "--help"])
