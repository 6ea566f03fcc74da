"""The ``reportkit`` command: parse options, call one library function, print, exit.

Exit codes: 0 = inga fel, 1 = fel hittade (in the files or submissions), 2 = kunde inte köras
(felaktigt anrop, trasig styrmodell, saknat projekt). A traceback only with ``--debug``.
Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

import click

from reportkit import __version__
from reportkit.errors import Problem, ReportkitError
from reportkit.formats import format_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _print_problems(problems: list[Problem], err: bool = True) -> None:
    for p in problems:
        click.echo(p.line(), err=err)


def handle_errors(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return fn(*args, **kwargs)
        except ReportkitError as exc:
            _print_problems(exc.problems)
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # the reader went away (`reportkit explain … | head`)
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # last line of defence: never a traceback by default
            if debug:
                raise
            click.echo(f"fel: Ett oväntat fel inträffade: {type(exc).__name__}: {exc}. "
                       "Kör kommandot igen med --debug och skicka utskriften till den som "
                       "förvaltar reportkit.", err=True)
            sys.exit(2)
    return wrapper


def _json_text(data: Any) -> str:
    """``--json`` output: sorted keys, åäö as they are, and always valid UTF-8. Names are
    shown escaped already (``formats.format_path``); should a lone surrogate still come
    through (a byte of a name that is not UTF-8), it is written as a JSON ``\\udcff`` escape
    instead of the raw byte that makes the whole document unreadable."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, sort_keys=True, indent=2)
    return text


def _shell_arg(path: Path) -> str:
    """A path as it is typed in a shell (quoted when it has spaces)."""
    import shlex

    return shlex.quote(str(path))


project_arg = click.argument("projekt", type=click.Path(path_type=Path), default=".",
                             required=False)
period_opt = click.option("--period", "-p", "period", metavar="PERIOD",
                          help="Period, t.ex. 2026-delår (standard: årets sista period).")
json_opt = click.option("--json", "as_json", is_flag=True,
                        help="Skriv resultatet som JSON i stället för en tabell.")


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="reportkit %(version)s")
@click.option("--debug", is_flag=True, help="Visa hela felutskriften vid oväntade fel.")
def main(debug: bool) -> None:
    """reportkit – mål- och resultatstyrning för kommuner.

    Styrkort i Excel till enheterna, kontroll och sammanställning upp genom målkedjan, och
    verksamhetsplan, delårsrapport och årsredovisning i Word och PDF.

    Börja med:  reportkit demo
    """


@main.command(context_settings=CONTEXT)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/demo"),
              show_default=True, help="Mapp för demoprojektet och dokumenten.")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Skapa även PDF om LibreOffice finns.")
@handle_errors
def demo(out: Path, pdf: bool) -> None:
    """Kör hela årscykeln på Exempelkommun.

    Skapar styrkort för alla enheter, fyller i dem som enheterna skulle göra (med några
    fel), kontrollerar och sammanställer dem och skapar verksamhetsplan, delårsrapport och
    årsredovisning.

    Exempel:  reportkit demo --out output/demo
    """
    from reportkit.demo import run_demo

    summary = run_demo(out, pdf=pdf, echo=click.echo)
    click.echo(summary.text())


@main.command(context_settings=CONTEXT)
@click.argument("mapp", type=click.Path(path_type=Path))
@handle_errors
def init(mapp: Path) -> None:
    """Starta ett nytt kommunprojekt från en kopia av Exempelkommun.

    Exempel:  reportkit init min-kommun
    """
    from reportkit import texts
    from reportkit.styrmodell.project_setup import init_project

    path = init_project(mapp)
    styrmodell = ", ".join(str(p) for p in sorted((path / "styrmodell").glob("*.yaml")))
    click.echo(texts.NEXT_AFTER_INIT.format(folder=path, styrmodell=styrmodell,
                                            arg=_shell_arg(mapp)))


@main.command(context_settings=CONTEXT)
@project_arg
@click.option("--tree/--no-tree", default=True, help="Visa målkedjan som ett träd.")
@handle_errors
def validate(projekt: Path, tree: bool) -> None:
    """Kontrollera styrmodellen och visa målkedjan.

    Exempel:  reportkit validate min-kommun
    """
    from reportkit.styrmodell.project_setup import goal_tree, validate_project

    models, problems = validate_project(projekt)
    _print_problems(problems)
    if any(p.is_error for p in problems):
        sys.exit(2)
    for model in models:
        click.echo(f"Styrmodell {model.year}: {len(model.units)} enheter, {len(model.goals)} mål, "
                   f"{len(model.indicators)} indikatorer – inga fel.")
        if tree:
            for line in goal_tree(model):
                click.echo("  " + line)
    if models and models[-1].config.periods:
        from reportkit import texts

        periods = [p.id for p in models[-1].config.periods]
        click.echo(texts.NEXT_AFTER_VALIDATE.format(periods=", ".join(periods),
                                                    arg=_shell_arg(projekt), period=periods[0]))


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--enhet", "units", multiple=True, help="Bara denna enhet (id); kan upprepas.")
@click.option("--niva", "levels", multiple=True,
              type=click.Choice(["enhet", "verksamhet", "nämnd", "kommun"]),
              help="Bara enheter på denna nivå; kan upprepas. Nivåerna över enhet får bladet "
                   "Underlag med det som kommit in underifrån.")
@handle_errors
def workbooks(projekt: Path, period: str | None, units: tuple[str, ...],
              levels: tuple[str, ...]) -> None:
    """Skapa styrkort (Excel) för alla enheter som rapporterar i perioden.

    Filerna hamnar i utskick/<period>/, en per enhet. Finns redan inlämningar sammanställda
    förifylls styrkorten: nivåerna ovanför får Underlag från nivån under, och den som redan
    lämnat in får tillbaka det den skrev.

    Exempel:  reportkit workbooks min-kommun --period 2026-delår
              reportkit workbooks min-kommun --period 2026-delår --niva verksamhet
    """
    from reportkit.outputs.outbox import generate_workbooks

    paths = generate_workbooks(projekt, period, list(units) or None,
                               levels=list(levels) or None)
    if not paths:
        click.echo("0 styrkort skrevs.")
        return
    from reportkit import texts

    example = sorted(paths)[0]
    if example.is_relative_to(Path.cwd()):
        example = example.relative_to(Path.cwd())
    click.echo(texts.NEXT_AFTER_WORKBOOKS.format(n=len(paths), folder=paths[0].parent,
                                                 example=_shell_arg(example)))


class _FilesCommand(click.Command):
    """A command whose arguments are files: a file name that begins with ``-`` and is read as
    an unknown option gets a Swedish answer that says how to pass it (after ``--``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            name = next((a for a in given if a.startswith(exc.option_name)
                         and Path(a).exists()), None)
            if name is None:
                raise
            raise click.UsageError(
                f"{format_path(name)} läses som ett val eftersom namnet börjar med '-'. Skriv "
                f"-- före filnamnet: reportkit {ctx.info_name} -- {_shell_arg(Path(name))}",
                ctx) from None


@main.command(context_settings=CONTEXT, cls=_FilesCommand)
@click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_opt
@handle_errors
def check(filer: tuple[Path, ...], as_json: bool) -> None:
    """Kontrollera ifyllda styrkort innan de skickas.

    Visar varje fel med fil, blad och cell. Slutkod 0 = inga fel, 1 = fel hittades.

    Ett filnamn som börjar med bindestreck (-) skrivs efter två bindestreck (--), annars
    läses det som ett val: reportkit check -- -enhet.xlsx

    Exempel:  reportkit check solrosens-forskola.xlsx
    """
    from reportkit.intake.check import check as run_check

    report = run_check(list(filer))
    if as_json:
        click.echo(_json_text(report.to_dict()))
    else:
        import shutil

        from reportkit.intake.report import report_lines

        width = shutil.get_terminal_size((100, 24)).columns
        click.echo("\n".join(report_lines(report, max(60, width))))
    sys.exit(1 if report.has_errors else 0)


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@json_opt
@handle_errors
def consolidate(projekt: Path, period: str | None, as_json: bool) -> None:
    """Kontrollera och sammanställ inkomna styrkort i inkommet/<period>/.

    Kan köras om och om igen: oförändrade filer läses inte om, en rättad fil ersätter den
    tidigare (som sparas som historik). Läser också historik/utfall.csv (tidigare års utfall)
    och exporterna i data/<period>/. Slutkod 0 = inga fel, 1 = någon fil i inkommet, historiken
    eller exporterna har fel.

    Exempel:  reportkit consolidate min-kommun --period 2026-delår
    """
    from reportkit.consolidate.run import ProgressBar
    from reportkit.consolidate.run import consolidate as run

    bar = None
    if not as_json and sys.stderr.isatty():
        from rich.console import Console

        bar = ProgressBar(Console(stderr=True))
    try:
        report = run(projekt, period, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if as_json:
        click.echo(_json_text(report.to_dict()))
    else:
        from reportkit.intake.report import print_consolidation

        print_consolidation(report, _console())
        _print_problems(report.problems, err=False)
        for line in report.summary_lines():
            click.echo(line)
    sys.exit(1 if report.has_errors else 0)


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--version", "version", metavar="BESLUT",
              help="En beslutad version (beslutets nummer eller text) i stället för utkastet.")
@handle_errors
def status(projekt: Path, period: str | None, version: str | None) -> None:
    """Visa inlämningsstatus per nämnd och enhet: inkommen, med fel eller saknas.

    Skriver också rapporter/<period>/inlamning-<period>.xlsx att skicka påminnelser från.

    Med --version visas inlämningen i en beslutad version (beslutets nummer eller text).

    Exempel:  reportkit status min-kommun --period 2026-delår
    """
    from reportkit.intake.report import print_status
    from reportkit.outputs.explain import decision_overview, submission_overview

    statuses, path = submission_overview(projekt, period, version)
    print_status(statuses, path, _console())
    for line in decision_overview(projekt, period):
        click.echo(line)
    sys.exit(0 if all(s.state == "inkommen" for s in statuses) else 1)


@main.command(context_settings=CONTEXT)
@click.argument("id")
@project_arg
@period_opt
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path),
              help="Skriv förklaringen som Excel-underlag för revisorerna.")
@click.option("--version", "version", metavar="BESLUT",
              help="En beslutad version (beslutets nummer eller text) i stället för utkastet.")
@handle_errors
def explain(id: str, projekt: Path, period: str | None, xlsx: Path | None,
            version: str | None) -> None:
    """Förklara hur ett måls eller en indikators status räknades fram, ned till cellerna.

    En siffra från ekonomi- eller HR-exporterna förklaras ned till fil, rad och kolumn:
    drift:BUN, drift:31, investering:P2401, sjukfrånvaro:kommun:kvinnor, balanskrav,
    nyckeltal:årets_resultat, finansiellt:KF7-I1.

    Exempel:  reportkit explain KF1 min-kommun --period 2026-delår
              reportkit explain drift:BUN min-kommun --period 2026-helår
    """
    if ":" in id or id.startswith("balanskrav"):
        from reportkit.consolidate.exports import explain_export

        lines = explain_export(projekt, id, period, xlsx)
    else:
        from reportkit.outputs.explain import explain as run

        lines = run(projekt, id, period, xlsx, version)
    for line in lines:
        click.echo(line)


@main.command(context_settings=CONTEXT)
@click.argument("dokument", nargs=-1, required=True, metavar="DOKUMENT... [PROJEKT]")
@period_opt
@click.option("--pdf", is_flag=True, help="Skapa även tillgänglig PDF (kräver LibreOffice).")
@click.option("--kapitel", "chapters", is_flag=True,
              help="Skapa även ett kapitel per nämnd och bolag i rapporter/<period>/kapitel/.")
@click.option("--version", "version", metavar="BESLUT",
              help='Skapa den beslutade versionen: beslutets nummer eller text, t.ex. '
                   '"KF 2027-04-20 § 45" (se reportkit beslut).')
@handle_errors
def render(dokument: tuple[str, ...], period: str | None, pdf: bool, chapters: bool,
           version: str | None) -> None:
    """Skapa ett dokument (Word, och PDF med --pdf) i rapporter/<period>/.

    DOKUMENT är verksamhetsplan, delarsrapport eller arsredovisning. Flera dokument i samma
    kommando skapas utan --period var och ett för sin period, och PDF-filerna görs av samma
    LibreOffice (snabbare än ett kommando per dokument).

    Utan --version blir det ett utkast av det som nu är sammanställt. Med --version skapas
    dokumentet exakt som det beslutades, med de texter och mallar som gällde då.

    \b
    Exempel:  reportkit render arsredovisning min-kommun --period 2026-helår --pdf
              reportkit render arsredovisning min-kommun --kapitel --version "KF 2027-04-20 § 45"
              reportkit render verksamhetsplan delarsrapport arsredovisning min-kommun --pdf
    """
    from reportkit.documents.build import DOCUMENT_PERIOD_TYPES, render_documents

    names, projekt = list(dokument), Path(".")
    if len(names) > 1 and names[-1] not in DOCUMENT_PERIOD_TYPES:
        projekt = Path(names.pop())
    choice = click.Choice(list(DOCUMENT_PERIOD_TYPES))
    names = [choice.convert(name, None, None) for name in names]
    outcome = render_documents(projekt, names, period, pdf=pdf, version=version,
                               chapters=chapters)
    if len(dict.fromkeys(names)) > 1:  # several documents: a heading before each one's problems
        for label, problems in outcome.groups:
            if problems:
                click.echo(f"{label}:", err=True)
                _print_problems(problems)
    else:
        _print_problems(outcome.problems)
    if outcome.decision:
        click.echo(f"Beslutad version: {outcome.decision}")
    for path in outcome.paths:
        click.echo(f"Skrev {path}")
    sys.exit(1 if any(p.is_error for p in outcome.problems) else 0)


@main.command(context_settings=CONTEXT)
@click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path))
@handle_errors
def pdfcheck(filer: tuple[Path, ...]) -> None:
    """Kontrollera att PDF-filer är tillgängliga (PDF/UA-1) och arkivbara (PDF/A-2b).

    Exempel:  reportkit pdfcheck arsredovisning-2026.pdf
    """
    from reportkit.documents.pdf import pdfcheck as run

    problems = run(list(filer))
    _print_problems(problems, err=False)
    if not problems:
        click.echo(f"{len(filer)} PDF-fil(er) uppfyller PDF/UA-1 och PDF/A-2b.")
    sys.exit(1 if problems else 0)


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--beslut", "text", metavar="BESLUT",
              help='Beslutet: organ, datum och paragraf, t.ex. "KF 2027-04-20 § 45".')
@click.option("--namnd", "committee", metavar="ID",
              help="Nämndens (eller bolagets) id när nämnden beslutar sin del.")
@click.option("--angra", "undo", metavar="BESLUT",
              help="Ångra ett beslut (nummer eller text); kräver --skal.")
@click.option("--skal", "reason", metavar="TEXT", help="Varför beslutet ångras.")
@handle_errors
def beslut(projekt: Path, period: str | None, text: str | None, committee: str | None,
           undo: str | None, reason: str | None) -> None:
    """Frys periodens sammanställning som beslutad version, eller ångra ett beslut.

    Inlämningar som kommer efter beslutet hamnar i ett nytt utkast och ändrar aldrig den
    beslutade versionen. Utan --beslut och --angra listas periodens beslut.

    Exempel:  reportkit beslut min-kommun --period 2026-helår --beslut "KF 2027-04-20 § 45"
              reportkit beslut min-kommun --period 2026-helår --angra 1 --skal "Fel underlag"
    """
    from reportkit.storage import decisions

    if text and undo:
        raise click.UsageError("Ange antingen --beslut eller --angra, inte båda.")
    if text:
        d = decisions.record_decision(projekt, period, text, committee=committee)
        click.echo(f"Beslut {d.id}: {d.label} – {d.period} "
                   f"({'hela kommunen' if d.scope == decisions.KOMMUN else d.scope}) "
                   "är nu en beslutad version.")
        return
    if undo:
        d = decisions.undo_decision(projekt, period, undo, reason or "")
        click.echo(f"Beslut {d.id}: {d.label} är ångrat av {d.undone_by} ({d.undo_reason}).")
        return
    period_id, found, parts = decisions.list_decisions(projekt, period)
    if not found:
        click.echo(f"Inga beslut för {period_id}.")
    for d in found:
        state = "gäller" if d.live else f"ångrat {d.undone_at} av {d.undone_by}: {d.undo_reason}"
        click.echo(f"{d.id}: {d.label} ({d.scope}) – {state}")
    for part in parts:
        extra = f" av {part.decision.label}" if part.decision else ""
        later = (f"; {len(part.changed_after)} inlämningar efter beslutet i nytt utkast"
                 if part.changed_after else "")
        click.echo(f"  {part.committee}: {part.state}{extra}{later}")


if __name__ == "__main__":
    main()
