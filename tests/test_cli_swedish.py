"""The CLI speaks Swedish: click's own words too (reportkit/compat/click.py), on the tested
click (its gettext names) and on the public path (the catalogue read back as patterns), and
the ASCII spellings of the å/ä/ö options still work."""

from __future__ import annotations

import gettext
import importlib
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reportkit.cli import main
from reportkit.compat import click as door

ENGLISH = re.compile(r"\b(" + "|".join([
    # click
    "Usage", "Options", "Commands", "Show this", "default", "Error", "Invalid", "No such",
    "Missing", "Did you mean", "Try", "for help", "required", "Aborted", "is not", "one of",
    "Got unexpected", "arguments", "PATH", "OPTIONS", "COMMAND", "ARGS", "does not",
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


def test_messages_made_in_english_are_read_back_in_swedish() -> None:
    assert door.translate("Invalid value for '--organisation': File 'a.xlsx' does not exist."
                          ) == "Ogiltigt värde för '--organisation': Fil 'a.xlsx' finns inte."
    assert door.translate("Error: No such option '--x'. (Did you mean one of: '--a', '--b'?)"
                          ) == "Fel: Det finns inget val '--x'. (Menade du något av: '--a', '--b'?)"
    assert door.translate("Options") == "Val"
    assert door.translate("Fel: redan svenska.") == "Fel: redan svenska."


def _pairs() -> list[tuple[str, str]]:
    pairs = list(door.SWEDISH.items())
    pairs += [pair for eng, swe in door.PLURALS.items() for pair in zip(eng, swe, strict=True)]
    return pairs


@pytest.mark.parametrize(("english", "swedish"), _pairs())
def test_every_message_of_the_catalogue_reads_back(english: str, swedish: str) -> None:
    import string

    fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
    values = {name: f"x{i}" for i, name in enumerate(sorted(fields))}
    assert door.translate(english.format(**values)) == swedish.format(**values)
    assert not ENGLISH.findall(swedish.format(**values)), swedish


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
    starts = [i for i, line in enumerate(lines) if line.strip() == "Exempel:"]
    assert starts, (f"{name}: the docstring ends with '\\b', a line 'Exempel:' and one "
                    "indented example per line (see cli.py's commands)")
    start = starts[0]
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


def _config_problems(tmp_path, old: str, new: str) -> list:
    from reportkit.styrmodell.config import load_config

    source = (Path(__file__).resolve().parent.parent / "fixtures" / "exempelkommun"
              / "styrmodell" / "2026.yaml").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "styrmodell" / "2026.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return load_config(path)[1]


@pytest.mark.parametrize(("old", "new", "reason", "hint"), [
    ("riktning: lägre", "riktning: låg", "tillåtna värden är 'högre' eller 'lägre'",
     "välj ett av 'högre' eller 'lägre'"),
    ("målvärde: {2026: 88,", 'målvärde: {2026: "95 %",', "ska vara ett tal eller ja/nej",
     "skriv talet utan procenttecken: 95"),
    ("målvärde: {2026: 88,", 'målvärde: {2026: "88,5",', "ska vara ett tal eller ja/nej",
     "skriv talet med punkt som decimaltecken: 88.5"),
    ("målvärde: {2026: 88, 2027: 89.8}", 'målvärde: "95 %"', "ska vara en uppsättning nycklar",
     "skriv ett målvärde per år, t.ex. {2026: 95"),
])
def test_a_refused_value_is_one_swedish_problem(tmp_path, old: str, new: str, reason: str,
                                                hint: str) -> None:
    [found] = _config_problems(tmp_path, old, new)
    assert reason in found.message and hint in found.hint, found.line()
    assert not ENGLISH.findall(found.line()), found.line()


@pytest.mark.parametrize(("text", "where"), [
    ("a: b: c\n", "rad 1, kolumn 5"),
    ("a:\n  - x\n  y: 1\n", "rad 3"),
    ("a: [1, 2\nb: 3\n", "rad 2"),
    ("a: {x: 1\n", "rad 2"),
    ('a: "öppen\n', "rad 2"),
    ("a: @x\n", "rad 1, kolumn 4"),
    ("a:\n\t- 1\n", "rad 2"),
    ("a: *saknas\n", "rad 1"),
    ("a: 1\n---\nb: 2\n", "rad 2"),
    ('a: "\\q"\n', "rad 1"),
    ("a: !!int tolv\n", "rad 1"),
    ("a: !okand x\n", "rad 1"),
])
def test_yaml_syntax_errors_are_swedish_with_their_position(text: str, where: str) -> None:
    from reportkit.yamlfile import load_yaml

    [found] = load_yaml(text, file="f.yaml").problems
    assert found.code == "config-yaml-syntax"
    assert f"på {where}" in found.message, found.message
    assert not ENGLISH.findall(found.line()), found.line()


def test_counts_take_the_singular_for_one() -> None:
    from reportkit.formats import counted

    assert counted(1, "indikator", "indikatorer") == "1 indikator"
    assert counted(0, "indikator", "indikatorer") == "0 indikatorer"
    assert counted(8, "ny fil läst", "nya filer lästa") == "8 nya filer lästa"


def test_the_summaries_say_one_in_the_singular() -> None:
    from reportkit.consolidate.exports import ExportLoad, ExportSummary
    from reportkit.styrmodell.kinds import org_counts

    summary = ExportSummary("2026-delår", [ExportLoad("drift", "drift.csv", "inläst", 3, 0, 0),
                                           ExportLoad("hr", "hr.csv", "oförändrad", 3, 0, 0),
                                           ExportLoad("inv", "inv.csv", "oförändrad", 3, 0, 0)])
    assert summary.summary_line().endswith(": 1 inläst, 2 oförändrade (redan inlästa).")
    assert org_counts([("kommun", "kommun"), ("enhet", "enhet")]) == ["1 kommun", "1 enhet"]


def test_a_config_file_that_cannot_be_read_says_why_in_swedish(tmp_path) -> None:
    from reportkit.yamlfile import load_yaml

    [missing] = load_yaml(tmp_path / "saknas.yaml", file="saknas.yaml").problems
    assert "filen finns inte" in missing.message
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("namn: Ö".encode("latin-1"))
    [not_utf8] = load_yaml(latin1, file="latin1.yaml").problems
    assert "inte sparad som UTF-8 (byte 7" in not_utf8.message
    for found in (missing, not_utf8):
        assert not ENGLISH.findall(found.line()), found.line()


def test_a_command_name_is_found_without_or_with_åäö() -> None:
    group = main
    ctx = click.Context(group)
    assert group.get_command(ctx, "check") is main.commands["check"]
    with_dots = click.Command("prövning-år")
    group.add_command(with_dots)
    try:
        assert group.get_command(ctx, "provning-ar") is with_dots
        assert group.get_command(ctx, "PRÖVNING-ÅR") is with_dots
    finally:
        del group.commands["prövning-år"]
    assert group.get_command(ctx, "chekc") is None


@pytest.mark.parametrize("name", COMMANDS)
def test_an_ascii_spelling_is_a_hidden_alias(name: str) -> None:
    """``--år`` shown, ``--ar`` working but not shown: cls=swedish.Option, aliases=(...)."""
    fold = str.maketrans("åäöÅÄÖ", "aaoAAO")
    for param in main.commands[name].params:
        if not isinstance(param, click.Option):
            continue
        hidden = getattr(param, "aliases", frozenset())
        shown = [o for o in (*param.opts, *param.secondary_opts) if o not in hidden]
        folded = [o.translate(fold) for o in shown]
        assert len(set(folded)) == len(folded), f"{name}: {shown}"
