"""The door to click's own words: usage, help and error lines in Swedish.

click marks every text it shows for gettext (``_("Usage:")``, ``ngettext("Did you mean …")``)
but ships no translations, and Python's gettext picks a catalogue from the user's locale
variables, so a Swedish reportkit cannot rely on it. :data:`SWEDISH` is the catalogue: each of
click's message ids (those of 8.1 to 8.5; an id changed between releases is listed in both
spellings) with its Swedish text.

Fast path (click in :data:`reportkit.compat.TESTED`): :func:`install` rebinds the ``_`` and
``ngettext`` names that click's modules import from gettext (module globals, not documented)
to lookups in :data:`SWEDISH`, so every message is Swedish where click makes it. It must run
before the commands are declared (``click.Path`` names its kind when made).

Public path (another click, or ``REPORTKIT_COMPAT=stock``): nothing of click is changed. The
classes below, which the CLI uses on both paths, then translate what click made: the help's
headings, usage and option texts in :class:`Formatter`, an error's finished lines in
:meth:`Group.main`, each message of the catalogue read back as a pattern
(:func:`translate`). The same text either way (``tests/test_cli_swedish.py``).

The classes also hold what is Swedish on any path: ``[VAL]`` and ``KOMMANDO`` in the usage
line, and :class:`Option`'s hidden ASCII spellings (``--niva`` for ``--nivå``).
"""

from __future__ import annotations

import functools
import importlib
import io
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from types import MappingProxyType
from typing import Any

import click

from reportkit.compat import fast_path

__all__ = ["SWEDISH", "PLURALS", "MODULES", "install", "gettext", "ngettext", "translate",
           "Formatter", "Context", "Command", "Group", "Option"]

SWEDISH: MappingProxyType[str, str] = MappingProxyType({
    "Usage:": "Användning:",
    "Options": "Val",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Avbrutet.",
    "deprecated": "föråldrat",
    "(dynamic)": "(beräknas)",
    "required": "obligatoriskt",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "File": "Fil",
    "Directory": "Mapp",
    "Path": "Sökväg",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Missing command.": "Kommando saknas.",
    "Missing argument": "Argument saknas:",
    "Missing option": "Val saknas:",
    "Missing parameter": "Parameter saknas:",
    "Missing {param_type}": "Saknas: {param_type}",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "unknown error": "okänt fel",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Could not open file {filename!r}: {message}":
        "Kunde inte öppna filen {filename!r}: {message}",
    "No such option {name!r}.": "Det finns inget val {name!r}.",
    "No such option: {name}": "Det finns inget val {name}.",
    "No such command {name!r}.": "Det finns inget kommando {name!r}.",
    "Invalid start character for option ({option})":
        "Ogiltigt första tecken i valet ({option})",
    "Option {name!r} does not take a value.": "Valet {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} ligger inte inom {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt tal.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är varken ja eller nej. Giltiga värden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} är inget giltigt UUID.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: De två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
})
"""click's message ids → Swedish (a constant table)."""

PLURALS: MappingProxyType[tuple[str, str], tuple[str, str]] = MappingProxyType({
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Valet {name!r} behöver ett värde.", "Valet {name!r} behöver {nargs} värden."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Tar {nargs} värden men 1 gavs.", "Tar {nargs} värden men {len} gavs."),
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        ("{value!r} har inte formen {format}.", "{value!r} har ingen av formerna {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} värden behövs men {len_value} gavs.",
         "{len_type} värden behövs men {len_value} gavs."),
})
"""click's (singular, plural) message ids → Swedish (a constant table)."""

MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
           "click.parser", "click.types", "click.termui", "click.utils",
           "click.shell_completion", "click._termui_impl")
"""click's modules that import ``_``/``ngettext`` from gettext."""


def gettext(message: str) -> str:
    """click's ``_``: the Swedish text of ``message`` (itself when the catalogue lacks it)."""
    return SWEDISH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """click's ``ngettext``: the Swedish singular or plural."""
    swedish = PLURALS.get((singular, plural), (singular, plural))
    return swedish[0] if n == 1 else swedish[1]


def install() -> bool:
    """On the fast path, make click's messages Swedish where they are made (see the module
    text); whether it did. Safe to call again."""
    if not fast_path("click"):
        return False
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module of another release line
            continue
        if hasattr(module, "_"):
            setattr(module, "_", gettext)  # noqa: B010 - a name mypy does not know
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", ngettext)  # noqa: B010
    return True


_ONE_WORD = frozenset({"name", "nargs", "len", "len_type", "len_value", "number_type", "value"})
"""Fields of click's messages that are one word (``File`` in ``File 'a.xlsx' does not
exist``), so a pattern does not take the text before them as part of them."""


def _pattern(msgid: str) -> re.Pattern[str]:
    """``msgid`` as a regular expression that finds the finished English text."""
    out, pos, seen = "", 0, set()
    fields = list(re.finditer(r"\{(\w+)(!r)?\}", msgid))
    for m in fields:
        out += re.escape(msgid[pos:m.start()])
        name, pos = m.group(1), m.end()
        if name in seen:
            out += f"(?P={name})"
            continue
        seen.add(name)
        if name in ("message", "choices"):
            out += f"(?P<{name}>.*)"
        elif m is fields[-1] and pos == len(msgid):
            out += f"(?P<{name}>[^\\n\\]]*)"
        elif m.group(2):
            out += f"(?P<{name}>'[^']*'|\"[^\"]*\")"
        elif name in _ONE_WORD:
            out += f"(?P<{name}>\\S+)"
        else:
            out += f"(?P<{name}>.+?)"
    return re.compile(out + re.escape(msgid[pos:]), re.DOTALL)


@functools.cache  # made from the constant tables: the same for every run
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    pairs = [(k, v) for k, v in SWEDISH.items() if "{" in k or " " in k]
    pairs += [pair for (eng, swe) in PLURALS.items() for pair in zip(eng, swe, strict=True)]
    # the messages that wrap another message come last (the inner one is translated first);
    # the longer text first ("is not one of {choices}" before "is not {choice}")
    pairs.sort(key=lambda kv: ("{message}" in kv[0], -len(re.sub(r"\{\w+(!r)?\}", "", kv[0]))))
    return tuple((_pattern(eng), swe.replace("!r}", "}")) for eng, swe in pairs)


def translate(text: str) -> str:
    """``text`` with every click message in it (English, as click made it) in Swedish; a
    text that is Swedish already comes back as it is."""
    if text in SWEDISH:
        return SWEDISH[text]
    for pattern, swedish in _patterns():
        text = pattern.sub(_filler(swedish), text)
    return text


def _filler(swedish: str) -> Callable[[re.Match[str]], str]:
    def fill(found: re.Match[str]) -> str:
        return swedish.format(**{k: gettext(v) for k, v in found.groupdict().items()})
    return fill


class Formatter(click.HelpFormatter):
    """The help in Swedish: usage prefix, headings and option texts through :func:`translate`."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, gettext("Usage:") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(translate(heading))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        super().write_dl([(first, translate(second)) for first, second in rows], col_max,
                         col_spacing)


class Context(click.Context):
    formatter_class = Formatter


class Command(click.Command):
    """A command with a Swedish help and usage line (``[VAL]``)."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VAL]")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's, but "Menade du …?" suggests only the spellings the help shows."""
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            if not exc.possibilities:
                raise
            hidden = {name for p in self.params if isinstance(p, Option) for name in p.aliases}
            raise click.NoSuchOption(exc.option_name, possibilities=[
                name for name in exc.possibilities if name not in hidden], ctx=ctx) from None


class Group(click.Group):
    """The command group: Swedish help and usage (``KOMMANDO [ARGUMENT]...``), and click's
    error lines made Swedish on the public path (:meth:`main`)."""

    context_class = Context
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VAL]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENT]...")
        super().__init__(*args, **kwargs)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, also when typed without å, ä, ö (``nytt-ar`` for ``nytt-år``) or
        with them where the name has none."""
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        folded = [name for name in self.list_commands(ctx)
                  if _ascii(name) == _ascii(cmd_name)]
        return super().get_command(ctx, folded[0]) if len(folded) == 1 else None

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """click's ``main``, with its error and "Aborted!" lines shown in Swedish. The exit
        codes are click's: 2 for a usage error, 1 when aborted."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            shown = io.StringIO()
            exc.show(shown)
            click.echo(translate(shown.getvalue()), err=True, nl=False)
            sys.exit(exc.exit_code)
        except (click.Abort, EOFError, KeyboardInterrupt):
            click.echo(err=True)
            click.echo(gettext("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _ascii(name: str) -> str:
    return name.lower().translate(str.maketrans("åäö", "aao"))


class Option(click.Option):
    """An option with spellings that work but are not shown in the help or in its error
    lines: ``aliases=("--niva",)`` beside ``--nivå`` (typed without å, ä, ö), and for a
    flag pair ``"--trad/--utan-trad"`` (``"--pdf/--no-pdf"`` beside ``--pdf/--utan-pdf`` hides
    only ``--no-pdf``)."""

    def __init__(self, param_decls: Sequence[str] | None = None, *,
                 aliases: Sequence[str] = (), **attrs: Any) -> None:
        shown = {name.strip() for decl in param_decls or () for name in decl.split("/")}
        off = [alias.split("/", 1)[1].strip() for alias in aliases
               if alias.split("/", 1)[0].strip() in shown]
        super().__init__([*(param_decls or ()), *(alias for alias in aliases if alias.split(
            "/", 1)[0].strip() not in shown)], **attrs)
        self.secondary_opts.extend(off)  # an off spelling beside a shown on spelling
        self.aliases = frozenset(name.strip() for alias in aliases
                                 for name in alias.split("/") if name.strip() not in shown)

    def _shown(self, fn: Callable[[Any], Any], ctx: click.Context | None) -> Any:
        every, secondary = self.opts, self.secondary_opts
        self.opts = [o for o in every if o not in self.aliases]
        self.secondary_opts = [o for o in secondary if o not in self.aliases]
        try:
            return fn(ctx)
        finally:
            self.opts, self.secondary_opts = every, secondary

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record: tuple[str, str] | None = self._shown(super().get_help_record, ctx)
        return record

    def get_error_hint(self, ctx: click.Context | None) -> str:
        hint: str = self._shown(super().get_error_hint, ctx)
        return hint
