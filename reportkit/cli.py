"""The ``reportkit`` command: parse options, call one library function, print, exit.

Exit codes: 0 = inga fel, 1 = fel hittade (in the files or submissions), 2 = kunde inte köras
(felaktigt anrop, trasig styrmodell, saknat projekt). A traceback only with ``--debug``.
It imports only the public API (``reportkit``) and the display modules (``console``, which
does all the printing, ``errors``, ``texts``, ``formats``); the library is loaded inside the
commands that need it, so ``reportkit check`` starts at once.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import click

from reportkit import __version__, console, json_views
from reportkit.compat import click as swedish
from reportkit.errors import ReportkitError, exit_code
from reportkit.formats import counted, format_path

swedish.install()  # before the commands below are declared (compat/click.py)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def handle_errors(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            if "datum" in kwargs:  # --datum: the command runs as if today were that day
                from reportkit import on_date

                with on_date(kwargs.pop("datum")):
                    return fn(*args, **kwargs)
            return fn(*args, **kwargs)
        except ReportkitError as exc:
            if kwargs.get("as_json"):  # stdout stays JSON: the refusal as a document
                console.print_json(json_views.refused(click.get_current_context().info_name,
                                                      exc.problems))
            else:
                console.print_problems(exc.problems)
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
            console.print_unexpected(exc)
            sys.exit(2)
    return wrapper


project_arg = click.argument("projekt", type=click.Path(path_type=Path), default=".",
                             required=False)


def _datum(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    import datetime as dt

    if value is not None:
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            raise click.BadParameter(f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD, "
                                     "t.ex. 2026-09-15.") from None
    return value


def period_opt(fn: Any) -> Any:
    """``--period``/``-p`` and ``--datum`` (the day the default period is chosen for)."""
    fn = click.option(
        "--datum", "datum", metavar="ÅÅÅÅ-MM-DD", callback=_datum,
        help="Dagens datum när perioden väljs utan --period (standard: i dag, eller "
             "REPORTKIT_DATUM).")(fn)
    return click.option(
        "--period", "-p", "period", metavar="PERIOD",
        help="Period, t.ex. 2026-delår (standard: perioden som rapporteras nu: den senast "
             "avslutade vars sista inlämningsdag var för högst 30 dagar sedan, annars den "
             "pågående).")(fn)

json_opt = click.option("--json", "as_json", is_flag=True,
                        help="Skriv resultatet som JSON i stället för en tabell.")


@click.group(cls=swedish.Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="reportkit %(version)s",
                      help="Visa versionen och avsluta.")
@click.option("--debug", is_flag=True, help="Visa hela felutskriften vid oväntade fel.")
def main(debug: bool) -> None:
    """reportkit – mål- och resultatstyrning för kommuner.

    Styrkort i Excel till enheterna, kontroll och sammanställning upp genom målkedjan, och
    verksamhetsplan, delårsrapport och årsredovisning i Word och PDF.

    \b
    Börja med:
      reportkit demo
    """


@main.command(context_settings=CONTEXT)
@click.option("--ut", "out", cls=swedish.Option, aliases=("--out",), metavar="MAPP",
              type=click.Path(path_type=Path), default=Path("output/demo"),
              show_default=True, help="Mapp för demoprojektet och dokumenten.")
@click.option("--pdf/--utan-pdf", "pdf", cls=swedish.Option, aliases=("--pdf/--no-pdf",),
              default=True, help="Skapa även PDF om LibreOffice finns (standard: ja).")
@click.option("--kommun", default="exempelkommun", show_default=True, metavar="NAMN",
              help="Vilken exempelkommun (en mapp i fixtures/), t.ex. fyrkanta.")
@handle_errors
def demo(out: Path, pdf: bool, kommun: str) -> None:
    """Kör hela årscykeln på Exempelkommun (eller en annan exempelkommun).

    Skapar styrkort för alla enheter, fyller i dem som enheterna skulle göra (med några
    fel), kontrollerar och sammanställer dem och skapar verksamhetsplan, delårsrapport och
    årsredovisning.

    \b
    Exempel:
      reportkit demo --ut output/demo
      reportkit demo --kommun fyrkanta --ut output/fyrkanta
    """
    from reportkit import run_demo

    summary = run_demo(out, pdf=pdf, echo=console.echo, kommun=kommun)
    console.echo(summary.text())


@main.command(context_settings=CONTEXT)
@click.argument("mapp", type=click.Path(path_type=Path))
@click.option("--namn", "name", metavar="NAMN",
              help="Kommunens namn (standard: mappens namn).")
@click.option("--kommunkod", "code", metavar="KOD", help="SCB:s kommunkod, fyra siffror.")
@click.option("--år", "year", cls=swedish.Option, aliases=("--ar",), type=int, metavar="ÅR",
              help="Budgetåret för den första styrmodellen (standard: i år).")
@click.option("--organisation", "organisation", type=click.Path(path_type=Path, exists=True,
              dir_okay=False), metavar="FIL",
              help="Organisationslista (xlsx eller CSV) med kolumnerna id, namn, typ, förälder, "
                   "chef, e-post och ansvar; blir nämnder, verksamheter och enheter.")
@click.option("--exempel", "example", is_flag=True,
              help="Kopiera hela Exempelkommun (styrmodell, historik och exporter) i stället.")
@click.option("--kommun", default=None, metavar="MAPP",
              help="Kopiera denna exempelkommun (en mapp i fixtures/), t.ex. fyrkanta; som "
                   "--exempel.")
@handle_errors
def init(mapp: Path, name: str | None, code: str | None, year: int | None,
         organisation: Path | None, example: bool, kommun: str | None) -> None:
    """Starta ett nytt kommunprojekt med en tom styrmodell att fylla i.

    Styrmodellen får kommunens namn och kommunkod och ett exempel på varje nyckel, med en
    förklaring vid varje nyckel. Med --organisation byggs nämnder, verksamheter och enheter
    ur kommunens organisationslista; ett fel i listan anges med rad och kolumn. Med --exempel
    kopieras hela Exempelkommun (som reportkit demo använder).

    \b
    Exempel:
      reportkit init min-kommun --namn Norrby --kommunkod 1234
      reportkit init min-kommun --namn Norrby --organisation organisation.xlsx
      reportkit init min-kommun --exempel
      reportkit init min-kommun --exempel --kommun fyrkanta
    """
    from reportkit import init_project

    example = example or kommun is not None  # --kommun NAMN alone: as before, a copy
    if example and (organisation or name or code or year):
        raise click.UsageError("--exempel kopierar en hel exempelkommun; ange inte samtidigt "
                               "--namn, --kommunkod, --år eller --organisation.")
    path = init_project(mapp, (kommun or "exempelkommun") if example else None, name=name,
                        code=code, year=year, organisation=organisation)
    console.print_next_after_init(path, mapp)


@main.command(context_settings=CONTEXT)
@project_arg
@click.option("--träd/--utan-träd", "tree", cls=swedish.Option,
              aliases=("--trad/--utan-trad", "--tree/--no-tree"), default=True,
              help="Visa målkedjan som ett träd (standard: ja).")
@json_opt
@handle_errors
def validate(projekt: Path, tree: bool, as_json: bool) -> None:
    """Kontrollera styrmodellen och visa målkedjan.

    \b
    Exempel:
      reportkit validate min-kommun
      reportkit validate min-kommun --utan-träd --json
    """
    from reportkit import goal_tree, validate_project

    models, problems = validate_project(projekt)
    if as_json:
        console.print_json(json_views.validate(models, problems, goal_tree if tree else None))
        sys.exit(2 if any(p.is_error for p in problems) else 0)
    console.print_problems(problems)
    if any(p.is_error for p in problems):
        sys.exit(2)
    for model in models:
        console.print_model(model, goal_tree(model) if tree else [])
    if models and models[-1].config.periods:
        console.print_next_after_validate([p.id for p in models[-1].config.periods], projekt)


@main.command("nytt-år", context_settings=CONTEXT)
@project_arg
@click.option("--från", "year", cls=swedish.Option, aliases=("--fran",), type=int, metavar="ÅR",
              help="Året att utgå från (standard: det senaste året i projektet).")
@click.option("--skriv-över", "overwrite", cls=swedish.Option, aliases=("--skriv-over",),
              is_flag=True,
              help="Gör om nästa års styrmodell fast den redan finns (det som skrivits i den "
                   "går förlorat).")
@json_opt
@handle_errors
def nytt_ar(projekt: Path, year: int | None, overwrite: bool, as_json: bool) -> None:
    """Gör nästa års styrmodell av årets: samma id:n, perioderna ett år fram.

    Kommentarer, ordning och utseende i filen behålls. Målvärden för det nya året tas från
    flerårsmålen där de finns; annars markeras de ATT FYLLA I. Börjar en ny mandatperiod
    markeras KF-målen ATT BESLUTA. Uppdrag som beslutats genomförda eller avbrutna i årets
    helår följer inte med; internkontrollplanerna markeras ATT BESLUTA (nämnden antar en ny).
    Skriver ut det som samordnaren ännu måste besluta.

    \b
    Exempel:
      reportkit nytt-år min-kommun
      reportkit nytt-år min-kommun --från 2026
      reportkit nytt-år min-kommun --skriv-över
      reportkit nytt-år min-kommun --json
    """
    from reportkit import next_year

    result = next_year(projekt, year, overwrite=overwrite)
    if as_json:
        console.print_json(json_views.versioned("nytt_ar", result.to_dict()))
    else:
        console.print_next_year(result, projekt)


@main.command(context_settings=CONTEXT)
@project_arg
@click.option("--från", "before", cls=swedish.Option, aliases=("--fran",), type=int,
              metavar="ÅR", help="Året att jämföra från (standard: året före --till).")
@click.option("--till", "after", type=int, metavar="ÅR",
              help="Året att jämföra till (standard: det senaste året i projektet).")
@click.option("--utskick", "sent", is_flag=True,
              help="Jämför styrmodellen nu med den som periodens styrkort gjordes från.")
@period_opt
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path), metavar="FIL",
              help="Skriv ändringarna som Excel-underlag till KS/KF:s beslut.")
@json_opt
@handle_errors
def diff(projekt: Path, before: int | None, after: int | None, sent: bool,
         period: str | None, xlsx: Path | None, as_json: bool) -> None:
    """Visa vad som ändrats mellan två styrmodeller: mål, indikatorer, målvärden, enheter,
    kontrollmoment och uppdrag.

    Jämför två år, eller med --utskick styrmodellen nu med den som styrkorten för perioden
    gjordes från. En ändring med beslut (nyckeln beslut i styrmodellen) visas med beslutet.

    \b
    Exempel:
      reportkit diff min-kommun
      reportkit diff min-kommun --från 2026 --till 2027 --xlsx andringar-2027.xlsx
      reportkit diff min-kommun --utskick --period 2026-delår
      reportkit diff min-kommun --json
    """
    from reportkit import diff_styrmodell

    if sent and (before is not None or after is not None):
        raise click.UsageError("Ange antingen --utskick eller --från/--till, inte båda.")
    result = diff_styrmodell(projekt, before, after, sent=sent, period_id=period, xlsx=xlsx)
    if as_json:
        console.print_json(json_views.versioned("diff", result.to_dict()))
    else:
        console.print_styrmodell_diff(result)


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--enhet", "units", multiple=True, metavar="ID",
              help="Bara denna enhet (id eller namn); kan upprepas.")
@click.option("--nivå", "levels", cls=swedish.Option, aliases=("--niva",), multiple=True,
              type=click.Choice(["enhet", "verksamhet", "nämnd", "kommun"]),
              help="Bara enheter på denna nivå; kan upprepas. Nivåerna över enhet får bladet "
                   "Underlag med det som kommit in underifrån.")
@json_opt
@handle_errors
def workbooks(projekt: Path, period: str | None, units: tuple[str, ...],
              levels: tuple[str, ...], as_json: bool) -> None:
    """Skapa styrkort (Excel) för alla enheter som rapporterar i perioden.

    Filerna hamnar i utskick/<period>/, en per enhet. Finns redan inlämningar sammanställda
    förifylls styrkorten: nivåerna ovanför får Underlag från nivån under, och den som redan
    lämnat in får tillbaka det den skrev.

    \b
    Exempel:
      reportkit workbooks min-kommun --period 2026-delår
      reportkit workbooks min-kommun --period 2026-delår --nivå verksamhet
      reportkit workbooks min-kommun --period 2026-delår --json
    """
    from reportkit import generate_workbooks

    paths = generate_workbooks(projekt, period, list(units) or None, levels=list(levels) or None)
    if as_json:
        console.print_json(json_views.workbooks(paths))
        return
    console.print_workbooks_written(paths, projekt)


@main.command("utskick", context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--påminnelse", "reminder", cls=swedish.Option, aliases=("--paminnelse",),
              is_flag=True,
              help="Påminnelser (efter consolidate) till dem som inte lämnat in, är sena eller "
                   "har fel, i stället för utskicket.")
@click.option("--enhet", "units", multiple=True, metavar="ID",
              help="Bara denna enhet (id eller namn); kan upprepas.")
@click.option("--skicka", "send", is_flag=True,
              help="Skicka e-posten via styrmodellens smtp-server (STARTTLS). Lösenordet tas "
                   "från REPORTKIT_SMTP_LOSENORD eller frågas efter. Utan --skicka skrivs bara "
                   "utkasten.")
@json_opt
@handle_errors
def utskick(projekt: Path, period: str | None, reminder: bool, units: tuple[str, ...],
            send: bool, as_json: bool) -> None:
    """Skriv ett e-postutkast (.eml) per enhet med styrkortet bifogat.

    Utkasten hamnar i utskick/<period>/e-post/ (påminnelser i utskick/<period>/påminnelser/)
    och öppnas i Outlook som ej skickade utkast: mottagare (enhetens chef), sista dag, vad som
    ska göras och samordnarens kontaktuppgifter. Kör reportkit workbooks först. Inget skickas
    utan --skicka.

    \b
    Exempel:
      reportkit utskick min-kommun --period 2026-delår
      reportkit utskick min-kommun --period 2026-delår --påminnelse
      reportkit utskick min-kommun --period 2026-delår --skicka
      reportkit utskick min-kommun --period 2026-delår --json
    """
    import os

    from reportkit import send_drafts, smtp_settings, write_drafts

    mailing = write_drafts(projekt, period, reminder, list(units) or None)
    sent, server = None, ""
    if send and mailing.paths:
        settings = smtp_settings(projekt, mailing.period)
        password = os.environ.get("REPORTKIT_SMTP_LOSENORD")
        if settings is not None and settings.user and password is None:
            password = console.ask_password(settings.user, settings.server)
        sent = send_drafts(projekt, mailing, password)
        server = settings.server if settings is not None else ""
    if as_json:
        console.print_json(json_views.utskick(mailing, sent, server))
        return
    console.print_mailing(mailing, projekt, sent, server)


@main.command("årshjul", context_settings=CONTEXT)
@project_arg
@click.option("--år", "year", cls=swedish.Option, aliases=("--ar",), type=int, metavar="ÅR",
              help="Styrmodellens år (standard: det senaste).")
@click.option("--ut", "out", cls=swedish.Option, aliases=("--out",), metavar="FIL",
              type=click.Path(path_type=Path),
              help="Kalenderfilen (standard: rapporter/arshjul-<år>.ics).")
@json_opt
@handle_errors
def arshjul(projekt: Path, year: int | None, out: Path | None, as_json: bool) -> None:
    """Skriv årshjulet som kalenderfil (.ics): sista dagar och sammanträden.

    En heldagshändelse per nivås sista dag i varje period och per sammanträde i
    styrmodellens sammanträden: (nämnder, KS, KF). Filen kan importeras i Outlook och andra
    kalendrar; importeras den igen uppdateras händelserna i stället för att dubbleras.

    \b
    Exempel:
      reportkit årshjul min-kommun
      reportkit årshjul min-kommun --år 2026 --ut arshjul.ics
      reportkit årshjul min-kommun --json
    """
    from reportkit import write_calendar

    path, count, events = write_calendar(projekt, year, out)
    if as_json:
        console.print_json(json_views.arshjul(path, events))
        return
    console.print_calendar(path, count, events)


class _FilesCommand(swedish.Command):
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
                f"-- före filnamnet: reportkit {ctx.info_name} -- {console.shell_arg(Path(name))}",
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

    \b
    Exempel:
      reportkit check solrosens-forskola.xlsx
      reportkit check inkommet/2026-delår/*.xlsx --json
    """
    from reportkit import check as run_check

    report = run_check(list(filer))
    if as_json:
        console.print_json(report.to_dict())
    else:
        console.print_check(report)
    sys.exit(report.exit_code)


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

    \b
    Exempel:
      reportkit consolidate min-kommun --period 2026-delår
    """
    from reportkit import consolidate_period

    bar = None if as_json else console.progress_bar()
    try:
        report = consolidate_period(projekt, period, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if as_json:
        console.print_json(report.to_dict())
    else:
        console.print_consolidation_result(report)
        console.print_next_after_consolidate(projekt, report)
    sys.exit(1 if report.has_errors else 0)


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--version", "version", metavar="BESLUT",
              help="En beslutad version (beslutets nummer eller text) i stället för utkastet.")
@click.option("--nivå", "levels", cls=swedish.Option, aliases=("--niva",), multiple=True,
              metavar="NIVÅ",
              help="Bara enheter på denna nivå (id eller kommunens namn på nivån); kan upprepas.")
@click.option("--nämnd", "committees", cls=swedish.Option, aliases=("--namnd",),
              multiple=True, metavar="NÄMND",
              help="Bara denna nämnd och enheterna under den (id eller namn); kan upprepas.")
@json_opt
@handle_errors
def status(projekt: Path, period: str | None, version: str | None, levels: tuple[str, ...],
           committees: tuple[str, ...], as_json: bool) -> None:
    """Visa inlämningsstatus per nämnd och enhet: inkommen, inkommen med fel, försenad
    (sista dagen har passerat), saknas eller ej utskickad (fick inget styrkort i utskick/),
    och det som står närmast i årshjulet (sista dagar och sammanträden).

    Skriver också rapporter/<period>/inlamning-<period>.xlsx att skicka påminnelser från
    (consolidate skriver samma lista). Med --datum räknas försenad från den dagen.

    Med --version visas inlämningen i en beslutad version (beslutets nummer eller text).

    \b
    Exempel:
      reportkit status min-kommun --period 2026-delår
      reportkit status min-kommun --period 2026-delår --datum 2026-09-20
      reportkit status min-kommun --period 2026-delår --nivå enhet --nämnd BUN
      reportkit status min-kommun --period 2026-delår --json
    """
    from reportkit import decision_overview, status_columns, submission_overview, upcoming

    statuses, path = submission_overview(projekt, period, version, levels, committees)
    decisions = decision_overview(projekt, period)
    next_events = upcoming(projekt)
    if as_json:
        console.print_json(json_views.status(statuses, path, decisions, next_events))
    else:
        console.print_status(statuses, path, status_columns(projekt, period))
        console.print_upcoming(next_events)
        console.print_lines(decisions)
        console.print_next_after_status(projekt, statuses, path)
    # a unit never sent a workbook is not waited for
    sys.exit(0 if all(s.state in ("inkommen", "ej utskickad") for s in statuses) else 1)


@main.command(context_settings=CONTEXT)
@click.argument("id")
@project_arg
@period_opt
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path), metavar="FIL",
              help="Skriv förklaringen som Excel-underlag för revisorerna.")
@click.option("--version", "version", metavar="BESLUT",
              help="En beslutad version (beslutets nummer eller text) i stället för utkastet.")
@json_opt
@handle_errors
def explain(id: str, projekt: Path, period: str | None, xlsx: Path | None,
            version: str | None, as_json: bool) -> None:
    """Förklara hur ett måls eller en indikators status räknades fram, ned till cellerna.

    ID är målets eller indikatorns id (i vilket skiftläge som helst) eller namn.

    En siffra från ekonomi- eller HR-exporterna förklaras ned till fil, rad och kolumn:

    \b
      drift:BUN
      drift:31
      investering:P2401
      sjukfrånvaro:kommun:kvinnor
      balanskrav
      nyckeltal:årets_resultat
      finansiellt:KF7-I1

    \b
    Exempel:
      reportkit explain KF1 min-kommun --period 2026-delår
      reportkit explain drift:BUN min-kommun --period 2026-helår
      reportkit explain KF1 min-kommun --period 2026-delår --json
    """
    if ":" in id or id.startswith("balanskrav"):
        from reportkit import explain_export

        lines = explain_export(projekt, id, period, xlsx)
    else:
        from reportkit import explain as run

        lines = run(projekt, id, period, xlsx, version)
    if as_json:
        console.print_json(json_views.explain(id, period, lines, xlsx))
    else:
        console.print_lines(lines)
        console.print_next_after_explain(projekt, id, period, xlsx)


@main.command(context_settings=CONTEXT)
@click.argument("dokument", nargs=-1, required=True, metavar="DOKUMENT... [PROJEKT]")
@period_opt
@click.option("--pdf", is_flag=True, help="Skapa även tillgänglig PDF (kräver LibreOffice).")
@click.option("--kapitel", "chapters", is_flag=True,
              help="Skapa även ett kapitel per nämnd och bolag i rapporter/<period>/kapitel/.")
@click.option("--version", "version", metavar="BESLUT",
              help='Skapa den beslutade versionen: beslutets nummer eller text, t.ex. '
                   '"KF 2027-04-20 § 45" (se reportkit beslut).')
@click.option("--alla", "everything", is_flag=True,
              help="Visa varje varning för sig i stället för grupperade per slag.")
@json_opt
@handle_errors
def render(dokument: tuple[str, ...], period: str | None, pdf: bool, chapters: bool,
           version: str | None, everything: bool, as_json: bool) -> None:
    """Skapa ett dokument (Word, och PDF med --pdf) i rapporter/<period>/.

    DOKUMENT är verksamhetsplan (plan), delarsrapport (delår, halvår), arsredovisning (helår)
    eller uppfoljning (månad, kvartal, tertial). Utan --period görs varje dokument för var och
    en av dess perioder som är sammanställda (i det senaste året som har någon); finns ingen
    sägs vilken consolidate som behövs. PDF-filerna görs av samma LibreOffice (snabbare än ett
    kommando per dokument).

    Utan --version blir det ett utkast av det som nu är sammanställt. Med --version skapas
    dokumentet exakt som det beslutades, med de texter och mallar som gällde då.

    Ett dokument som har ändrats i Word sedan reportkit skrev det skrivs inte över utan att
    sparas: den ändrade filen läggs bredvid som "<namn> (redigerad <datum>).docx". En PDF som
    är äldre än sitt dokument nämns i en varning (den tas inte bort).

    \b
    Exempel:
      reportkit render arsredovisning min-kommun --period 2026-helår --pdf
      reportkit render arsredovisning min-kommun --kapitel --version "KF 2027-04-20 § 45"
      reportkit render verksamhetsplan delarsrapport arsredovisning min-kommun --pdf
      reportkit render uppfoljning min-kommun --period 2026-K1
      reportkit render delarsrapport min-kommun --json
    """
    from reportkit import DOCUMENT_PERIOD_TYPES, render_documents

    names, projekt = list(dokument), Path(".")
    if len(names) > 1 and names[-1] not in DOCUMENT_PERIOD_TYPES:
        projekt = Path(names.pop())
    choice = click.Choice(list(DOCUMENT_PERIOD_TYPES))
    try:
        names = [choice.convert(name, None, None) for name in names]
    except click.BadParameter as exc:
        exc.param_hint = "'DOKUMENT'"
        raise
    outcome = render_documents(projekt, names, period, pdf=pdf, version=version,
                               chapters=chapters)
    if as_json:
        console.print_json(json_views.render(outcome))
    else:  # several documents: a heading before each one's problems
        console.print_render(outcome, several=sum(1 for label, _ in outcome.groups
                                                  if label != "PDF") > 1, everything=everything)
        console.print_next_after_render(projekt, outcome)
    sys.exit(1 if any(p.is_error for p in outcome.problems) else 0)


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--version", "version", metavar="BESLUT",
              help="En annan beslutad version (beslutets nummer eller text) än den senaste.")
@click.option("--utkast", "draft", is_flag=True,
              help="Gör webbplatsen av utkastet (för granskning före beslutet; publicera inte).")
@click.option("--ut", "out", cls=swedish.Option, aliases=("--out",), metavar="MAPP",
              type=click.Path(path_type=Path),
              help="Mapp för webbplatsen (standard: webb: mapp: i styrmodellen, annars "
                   "rapporter/<period>/webb).")
@handle_errors
def webb(projekt: Path, period: str | None, version: str | None, draft: bool,
         out: Path | None) -> None:
    """Skapa kommunens mål och resultat som webbplats för invånarna.

    En mapp med HTML-sidor att lägga på vilken webbserver som helst: startsida med visionen
    och målområdena, en sida per mål, nämnd och bolag, Året i siffror, länkar till PDF-filerna
    och revisionsberättelsen, tillgänglighetsredogörelse, sitemap.xml och siffrorna som JSON.
    Webbplatsen visar den senaste beslutade versionen; --utkast visar utkastet. Sidorna görs
    av mallarna i mallar/web/ (reportkit mallar) eller de inbyggda.

    \b
    Exempel:
      reportkit webb min-kommun --period 2026-helår
      reportkit webb min-kommun --utkast --ut granskning/webb
    """
    from reportkit import build_site

    outcome = build_site(projekt, period, version=version, draft=draft, out=out)
    console.print_web(outcome)
    sys.exit(1 if any(p.is_error for p in outcome.problems) else 0)


@main.command("översikt", context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--ut", "out", cls=swedish.Option, aliases=("--out",), metavar="MAPP",
              type=click.Path(path_type=Path),
              help="Mapp för översikten (standard: rapporter/<period>/oversikt).")
@handle_errors
def oversikt(projekt: Path, period: str | None, out: Path | None) -> None:
    """Skapa samordnarens översikt som webbsida (publiceras inte).

    Inlämningen per nämnd och nivå (inkommen, med fel, försenad, saknas) med länkar till varje
    enhets fel, måluppfyllelsen per nivå och vad som ändrats sedan förra sammanställningen.
    Öppna sidan från projektmappen i en webbläsare.

    \b
    Exempel:
      reportkit översikt min-kommun --period 2026-delår
    """
    from reportkit import build_overview

    console.print_web(build_overview(projekt, period, out), overview=True)


@main.command(context_settings=CONTEXT)
@project_arg
@click.option("--skriv-över", "overwrite", cls=swedish.Option, aliases=("--skriv-over",),
              is_flag=True,
              help="Ersätt även mallar som redan finns i projektet (kommunens ändringar i dem "
                   "går förlorade).")
@click.option("--visa", "show", is_flag=True,
              help="Kopiera inget; visa var mallarna finns och vad kommunens mallar saknar "
                   "som mallarna i den här versionen av reportkit har.")
@handle_errors
def mallar(projekt: Path, overwrite: bool, show: bool) -> None:
    """Kopiera de inbyggda Word-mallarna till projektet, så att kansliet äger dem.

    Mallarna kopieras till mallar/docx/ (och styrkortens stilmall till mallar/xlsx/) och
    dokument: mallar: sätts i styrmodellen (kommentarerna i filen behålls). Ändra sedan
    mallarna i Word; reportkit render använder dem. Utseendet (formatmallar, tema,
    marginaler, sidfot) hämtar alla dokument och kapitel från mallar/docx/stilmall.docx:
    ändra det där en gång. En mall som redan finns i projektet
    skrivs aldrig över utan --skriv-över. Lägger en senare version av reportkit till
    uppgifter i mallarna varnar render för det som kommunens mallar saknar; --visa visar det.

    \b
    Exempel:
      reportkit mallar min-kommun
      reportkit mallar min-kommun --visa
      reportkit mallar min-kommun --skriv-över
    """
    from reportkit import Project, __version__, copy_templates, template_gaps

    root = Project.open(projekt).root
    if show:
        console.print_template_gaps(template_gaps(root), __version__, root)
        return
    console.print_templates_copied(copy_templates(root, overwrite=overwrite), root)


@main.command(context_settings=CONTEXT)
@click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_opt
@handle_errors
def pdfcheck(filer: tuple[Path, ...], as_json: bool) -> None:
    """Kontrollera att PDF-filer är tillgängliga (PDF/UA-1) och arkivbara (PDF/A-2b).

    \b
    Exempel:
      reportkit pdfcheck arsredovisning-2026.pdf
      reportkit pdfcheck rapporter/2026-helår/*.pdf --json
    """
    from reportkit import pdfcheck as run

    problems = run(list(filer))
    if as_json:
        console.print_json(json_views.pdfcheck([str(f) for f in filer], problems))
    else:
        console.print_pdfcheck(problems, len(filer))
    sys.exit(exit_code(problems, any_problem=True))


@main.command(context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--beslut", "text", metavar="BESLUT",
              help='Beslutet: organ, datum och paragraf, t.ex. "KF 2027-04-20 § 45".')
@click.option("--nämnd", "committee", cls=swedish.Option, aliases=("--namnd",), metavar="ID",
              help="Nämndens (eller bolagets) id eller namn när nämnden beslutar sin del.")
@click.option("--ångra", "undo", cls=swedish.Option, aliases=("--angra",), metavar="BESLUT",
              help="Ångra ett beslut (nummer eller text); kräver --skäl.")
@click.option("--skäl", "reason", cls=swedish.Option, aliases=("--skal",), metavar="TEXT",
              help="Varför beslutet ångras.")
@json_opt
@handle_errors
def beslut(projekt: Path, period: str | None, text: str | None, committee: str | None,
           undo: str | None, reason: str | None, as_json: bool) -> None:
    """Frys periodens sammanställning som beslutad version, eller ångra ett beslut.

    Inlämningar som kommer efter beslutet hamnar i ett nytt utkast och ändrar aldrig den
    beslutade versionen. Utan --beslut och --ångra listas periodens beslut.

    \b
    Exempel:
      reportkit beslut min-kommun --period 2026-helår --beslut "KF 2027-04-20 § 45"
      reportkit beslut min-kommun --period 2026-helår --ångra 1 --skäl "Fel underlag"
      reportkit beslut min-kommun --period 2026-helår --json
    """
    from reportkit import list_decisions, record_decision, undo_decision

    if text and undo:
        raise click.UsageError("Ange antingen --beslut eller --ångra, inte båda.")
    if text:
        recorded = record_decision(projekt, period, text, committee=committee)
        if as_json:
            console.print_json(json_views.beslut("recorded", recorded.period, [recorded], []))
        else:
            console.print_decision_recorded(recorded)
            console.print_next_after_decision(projekt, recorded)
        return
    if undo:
        undone = undo_decision(projekt, period, undo, reason or "")
        if as_json:
            console.print_json(json_views.beslut("undone", undone.period, [undone], []))
        else:
            console.print_decision_undone(undone)
            console.print_next_after_decision(projekt, undone, undone=True)
        return
    period_id, found, parts = list_decisions(projekt, period)
    if as_json:
        console.print_json(json_views.beslut("list", period_id, found, parts))
    else:
        console.print_decisions(period_id, found, parts)


# -- historik (issue 26: the store is the history) -------------------------------------------
@main.group("kolada", cls=swedish.Group, context_settings=CONTEXT)
def kolada() -> None:
    """Jämför indikatorerna med Kolada-id med liknande kommuner och riket.

    'hämta' är det enda kommando i reportkit som använder nätverket: det hämtar värdena från
    Koladas API och sparar varje svar i projektets mapp kolada/ och i databasen. Allt annat
    (också årsredovisningens jämförelse) läser det sparade. Jämförelsegruppen anges under
    kolada: i styrmodellen.

    \b
    Exempel:
      reportkit kolada hämta min-kommun
      reportkit kolada visa min-kommun
    """


@kolada.command("hämta", context_settings=CONTEXT)
@project_arg
@period_opt
@click.option("--api", "base_url", metavar="ADRESS", default="https://api.kolada.se/v3",
              show_default=True, help="Koladas API (version 3).")
@json_opt
@handle_errors
def kolada_hamta(projekt: Path, period: str | None, base_url: str, as_json: bool) -> None:
    """Hämta Kolada-värdena för kommunen, jämförelsegruppen och riket.

    Sparar varje svar (adress, tid och SHA-256) under kolada/ och värdena i databasen; ett
    värde som RKA har ändrat sedan förra hämtningen visas (före → efter) och båda sparas.
    Slutkod 0 = hämtat, 1 = varningar (ett nyckeltal som saknas), 2 = kunde inte hämta.

    \b
    Exempel:
      reportkit kolada hämta min-kommun
    """
    from reportkit import fetch_kolada

    bar = None if as_json else console.kolada_progress()
    try:
        report = fetch_kolada(projekt, period, base_url=base_url, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if as_json:
        console.print_json(json_views.kolada_fetch(report))
    else:
        console.print_kolada_fetch(report, projekt)
    sys.exit(1 if report.problems else 0)


@kolada.command("visa", context_settings=CONTEXT)
@project_arg
@period_opt
@json_opt
@handle_errors
def kolada_visa(projekt: Path, period: str | None, as_json: bool) -> None:
    """Visa det som är hämtat från Kolada: gruppen, nyckeltalen och revideringarna.

    Använder inte nätverket.

    \b
    Exempel:
      reportkit kolada visa min-kommun
    """
    from reportkit import kolada_overview

    view = kolada_overview(projekt, period)
    if as_json:
        console.print_json(json_views.kolada_overview(view))
    else:
        console.print_kolada_overview(view, projekt)


@main.command(context_settings=CONTEXT)
@project_arg
@click.option("--fil", "out", type=click.Path(path_type=Path), metavar="FIL",
              help="Filen att skriva (standard rapporter/historik-export.csv).")
@json_opt
@handle_errors
def historik(projekt: Path, out: Path | None, as_json: bool) -> None:
    """Exportera historiken ur lagret som CSV (samma kolumner som historik/utfall.csv).

    \b
    Exempel:
      reportkit historik min-kommun
      reportkit historik min-kommun --fil utfall-alla-ar.csv
    """
    from reportkit import export_history, texts

    path, rows = export_history(projekt, out)
    if as_json:
        console.print_json(json_views.historik(path, rows))
        return
    console.print_lines([texts.HISTORY_EXPORTED.format(rows=counted(rows, "rad", "rader"),
                                                       path=format_path(path))])


if __name__ == "__main__":
    main()
