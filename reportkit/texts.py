"""Swedish user-interface texts that are not errors: workbook instructions, labels, summaries.

Kept in one place so they can be read and reviewed together. Errors live in ``errors.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

DIRECTION = {"högre": "Högre", "lägre": "Lägre"}
YES_NO = ("Ja", "Nej")
"""A ja/nej indicator's two answers as workbooks, documents and explain show them."""

INSTRUCTIONS_TITLE = "Så fyller du i styrkortet"


def instructions(period_type: str, unit_name: str, period_name: str, deadline: str,
                 level_name: str, *, file_name: str = "", proposal_rule: str = "",
                 forecast: bool = False, to_council_only: bool = False,
                 activities: bool = True, below: bool = False, earlier: str = "",
                 steps: Sequence[tuple[str, str]] = (),
                 coordinator: tuple[str, str, str] = ("", "", "")
                 ) -> list[tuple[str, str]]:
    """(heading, text) rows for the Instruktioner sheet, in plain Swedish.

    ``steps`` are the workbook's sheets after Instruktioner, in their order, as (sheet name,
    kind), kind one of below, goals, indicators, activities, texts, check: they are numbered
    as the tabs stand.
    ``coordinator`` is the styrkortssamordnare's (name, e-post, telefon) the file goes back
    to. ``proposal_rule`` says how the förslag follows from the måluppfyllelse (from the
    scale); ``forecast`` asks for a prognos for the year (tertial, delår);
    ``to_council_only`` is for the kommun and the bolag, whose texts go to
    kommunfullmäktige, not to a nämnd; ``earlier`` names the file whose answers the workbook
    was prefilled with. ``activities`` and ``below`` are used when no ``steps`` are given.
    """
    rows: list[tuple[str, str]] = [
        ("Vem", f"{unit_name} ({level_name.lower()})"),
        ("Period", period_name),
        ("Skicka senast", send_to(deadline, coordinator)),
    ]
    if coordinator[0]:
        rows.append(("Frågor", ", ".join(p for p in coordinator if p)
                     + " (styrkortssamordnare)"))
    rows.append(("", ""))
    if earlier:
        rows += [("Tidigare svar", f"Styrkortet är ifyllt med det ni lämnade in i {earlier}. "
                                   "Ändra det som behöver ändras och skicka in det igen."),
                 ("", "")]
    if not steps:
        steps = [*([("Underlag", "below")] if below else []), ("Mål", "goals"),
                 ("Indikatorer", "indicators"),
                 *([("Aktiviteter", "activities")] if activities else []), ("Texter", "texts")]
    texts = _step_texts(period_type, forecast, to_council_only)
    for n, (sheet, kind) in enumerate(steps, 1):
        rows.append((f"{n}. {sheet}", texts[kind]))
        if kind == "goals" and proposal_rule:
            rows.append(("", proposal_rule))
        if kind == "indicators" and period_type != "plan":
            rows.append(("", NOT_APPLICABLE_HELP))
    check = f"reportkit check {file_name}" if file_name else "reportkit check filnamn.xlsx"
    rows += [
        ("", ""),
        ("Gula celler", "Bara de gula cellerna går att fylla i; grå celler räknas fram. Övriga "
                        "celler är låsta så att målvärden och mål inte ändras av misstag."),
        ("Kontrollera", "Innan du skickar: titta i bladet Kontroll och rätta det som står där. "
                        f"Har du reportkit kan du också köra  {check} ."
                        if any(k == "check" for _, k in steps) else
                        "Innan du skickar: be din styrkortssamordnare kontrollera filen, eller "
                        f"kör  {check}  om du har reportkit. Felen anges med blad och cell."),
        ("Spara", "Spara som Excel-arbetsbok (.xlsx), även om du använder LibreOffice. Byt inte "
                  "namn på bladen och lägg inte till eller ta bort rader i tabellerna."),
        ("Skicka", f"{send_to(deadline, coordinator)}, som e-postbilaga."),
    ]
    return rows


def send_to(deadline: str, coordinator: tuple[str, str, str]) -> str:
    """``2026-09-08 till Anna Berg, anna.berg@… `` (to whom, as the styrmodell says)."""
    name, email, _phone = coordinator
    who = ", ".join(p for p in (name, email) if p) or "din styrkortssamordnare"
    return f"{deadline} till {who}" if deadline else f"Till {who}"


NOT_APPLICABLE_HELP = (
    "Gäller en indikator inte er enhet? Lämna Utfall tomt och skriv Ej aktuell och varför i "
    "Kommentar, t.ex. \"Ej aktuell: vi har inga elever i åk 9\". Då räknas indikatorn inte "
    "som ej mätt och inte in i sammanvägningen, men motiveringen behövs.")

def gender_help(women: str, men: str) -> str:
    """The Instruktioner row of a styrkort with an indicator split by kön (``kön``), in the
    kommun's words for the columns."""
    return (f"En indikator som delas på kön har gula celler i kolumnerna {women} och {men} "
            "bredvid Utfall. Skriv totalen i Utfall (den bedöms mot målvärdet) och värdena för "
            f"{women.lower()} och {men.lower()} bredvid, på samma sätt som utfallet.")


INHERITED_INDICATOR = ("{goal_word} för {owner}. {unit} lämnar sitt utfall, som vägs ihop med "
                       "de andras.")
"""Why an indicator of a goal above is on the unit's sheet (under the goal, Indikatorer)."""


def _step_texts(period_type: str, forecast: bool, to_council_only: bool) -> dict[str, str]:
    """What to do on each sheet (the keys are the sheets' kinds), for the period type."""
    steps = {
        "below": "Bladet Underlag visar det som har kommit in från nivån under er när "
                    "styrkortet skapades: förslag, bedömning, motivering och analys per mål, och "
                    "vilka som inte har lämnat in ännu. Det går inte att ändra; gör er egen "
                    "bedömning och analys i bladet Mål.",
        "check": "Bladet Kontroll listar, medan du skriver, det som saknas eller ser fel ut "
                    "med blad och cell, och säger när allt ser bra ut. Styrkortssamordnaren "
                    "kontrollerar styrkortet när det kommer in; den kontrollen är den slutliga.",
    }
    if period_type == "plan":
        return steps | {
            "goals": "Bladet Mål visar era mål och vilka mål högre upp de bidrar till. Skriv en "
                   "kort kommentar om hur ni ska arbeta mot varje mål.",
            "indicators": "Bladet Indikatorer visar indikatorerna med målvärden. De är "
                           "beslutade och kan inte ändras här.",
            "activities": "Skriv de aktiviteter ni planerar, en per rad: välj mål i listan, "
                           "skriv aktivitet, ansvarig, start och slut (ÅÅÅÅ-MM-DD).",
            "texts": "Skriv nulägesanalys, trend- och omvärldsanalys och prioriterade "
                      "förbättringsområden i bladet Texter.",
        }
    utfall = ("Skriv utfallet för varje indikator i den gula kolumnen Utfall. Procent skrivs "
              "som 85 eller 85 %. Lämna tomt om mätningen inte är gjord – då blir det "
              "\"Ej mätt\".")
    if forecast:
        utfall += " Skriv också din prognos för helåret i kolumnen Prognos helår."
    utfall += (" Kolumnerna Måluppfyllelse och Förslag räknas fram medan du skriver. Under "
               "målet står varför en indikator som hör till ett mål högre upp finns hos er.")
    return steps | {
        "goals": "Bladet Mål visar ett förslag på bedömning för varje mål, räknat ur "
               "indikatorernas utfall (fyll gärna i Indikatorer först). Bedömningen är förvald "
               "till förslaget. Gör du en annan bedömning, välj den i listan och skriv en "
               "motivering. Skriv en analys för varje mål och åtgärder om målet inte nås.",
        "indicators": utfall,
        "activities": "Skriv era aktiviteter, en per rad (ni kan klistra in dem från "
                       "verksamhetsplanen): välj mål och status i listorna.",
        "texts": "Skriv texterna i bladet Texter; de används i rapporterna till "
                  + ("kommunfullmäktige." if to_council_only
                     else "nämnden och kommunfullmäktige."),
        "controls": "Bladet Intern kontroll visar kontrollmomenten i nämndens "
                    "internkontrollplan. Välj resultat och skriv datum för varje kontroll; vid "
                    "avvikelse beskriv den och åtgärden, vem som ansvarar och när den ska vara "
                    "klar.",
        "assignments": "Bladet Uppdrag visar uppdragen som ska återrapporteras. Välj status; "
                       "skriv datum när ett uppdrag är genomfört, och ett nytt datum om "
                       "återrapporteringen inte hålls.",
    }


def proposal_rule(labels: list[str], thresholds: list[float | None]) -> str:
    """``Förslaget blir Uppfyllt vid minst 100 % måluppfyllelse, …`` from the scale."""
    parts = [f"{label} vid minst {round(t * 100)}\u00a0%"
             for label, t in zip(labels, thresholds, strict=True) if t is not None]
    last = labels[-1]
    return (f"Förslaget blir {', '.join(parts)} och annars {last}. Måluppfyllelsen är utfallet "
            "jämfört med målvärdet; utan utfall blir det Ej mätt.")


# Notes under the title of each table sheet (row 2 of the workbook)
def below_note(state: str) -> str:
    """Row 2 of the Underlag sheet: read-only, and how complete the underlag is."""
    return ("Hämtat ur sammanställningen när styrkortet skapades; kan inte ändras. "
            + state).strip()


BELOW_EMPTY = "Inget har kommit in ännu från nivån under."

SHEET_NOTES = {
    "goals_plan": "Skriv en kort kommentar per mål i den gula kolumnen.",
    "goals": "Bedömningen är förvald till förslaget. Väljer du en annan bedömning, skriv en "
             "motivering.",
    "indicators_plan": "Indikatorerna och målvärdena är beslutade och låsta. Skriv gärna en "
                       "kommentar i den gula kolumnen.",
    "indicators": "Skriv utfallet i de gula cellerna. Förslaget räknas fram medan du skriver; "
                  "reportkit räknar om allt vid sammanställningen.",
    "indicators_none": "Här finns inga indikatorer att fylla i: utfallen rapporteras av "
                       "enheterna och vägs ihop vid sammanställningen.",
    "activities": "En aktivitet per rad. Välj mål och status i listorna; datum som ÅÅÅÅ-MM-DD.",
    "texts": "Skriv texterna i de gula cellerna. Ny rad i en cell: Alt+Enter (Excel) eller "
             "Ctrl+Enter (LibreOffice).",
    "controls": "Kontrollmomenten kommer från nämndens internkontrollplan och är låsta. Välj "
                "resultat i listan och skriv datum; med avvikelse: beskriv avvikelsen och "
                "åtgärden.",
    "assignments": "Uppdragen är givna av fullmäktige, kommunstyrelsen eller nämnden. Välj "
                   "status i listan. Genomfört: skriv datum. Hålls inte återrapporteringen: "
                   "skriv ett nytt datum.",
}
CONTROL_TITLE = "Intern kontroll – {unit}"
ASSIGNMENTS_TITLE = "Uppdrag – {unit}"
COMMON_CONTROL = "Kommungemensamt: "


def risk_text(likelihood: int, consequence: int, value: int, label: str, symbol: str) -> str:
    """A kontrollmoment's risk as text and symbol, never colour alone: ``3 × 4 = 12 · Hög
    risk ●``."""
    return f"{likelihood} × {consequence} = {value} · {label} {symbol}"


def assignment_origin(origin: str, given_by: str, kind: str) -> str:
    """Who gave an uppdrag and how: ``KF, budget``; a nämnd's by its name."""
    return f"{given_by if origin == 'nämnd' and given_by else origin}, {kind.lower()}"


# The Kontroll sheet (workbook/checksheet.py, generate.py): one message per cell to look at
CHECK_TITLE = "Kontroll – {unit}"
CHECK_NOTE = ("Listan uppdateras medan du skriver och visar det som saknas eller ser fel ut. "
              "Styrkortssamordnaren kontrollerar styrkortet när det kommer in; den kontrollen "
              "är den slutliga.")
CHECK_ALL_WELL = "Allt ser bra ut: inget saknas och inget ser fel ut. Spara och skicka {send}."
CHECK_SOME = ("Att rätta eller kontrollera innan du skickar: {n} (se listan nedan, med blad "
              "och cell).")
CHECK_MORE = " Listan visar de första {rows}."
CHECK_MESSAGES = {
    "plan_comment": "Kommentar till planeringen saknas: {goal}",
    "motivation": "Bedömningen skiljer sig från förslaget men motivering saknas: {goal}",
    "analysis": "Analys saknas: {goal}",
    "missing": "Utfall saknas: {indicator}. Skriv utfallet, eller Ej aktuell och varför i "
               "Kommentar.",
    "not_number": "Utfallet är inte ett tal: {indicator}. Skriv bara talet, t.ex. 85 eller "
                  "1234,5.",
    "yes_no": "Utfallet är inte Ja eller Nej: {indicator}. Välj i listan.",
    "share": "Orimligt: en andel ska vara mellan 0 och 100 %: {indicator}",
    "negative": "Orimligt: ett antal kan inte vara negativt: {indicator}",
    "far": "Kontrollera: mer än {factor} gånger större eller mindre än förra årets utfall: "
           "{indicator}",
    "not_applicable": "Ej aktuell utan motivering: {indicator}. Skriv varför efter Ej aktuell.",
    "forecast_not_number": "Prognosen är inte ett tal: {indicator}",
    "forecast_share": "Orimlig prognos: en andel ska vara mellan 0 och 100 %: {indicator}",
    "forecast_negative": "Orimlig prognos: ett antal kan inte vara negativt: {indicator}",
    "gender_not_number": "Utfallet för {group} är inte ett tal: {indicator}",
    "gender_share": "Orimligt: en andel ska vara mellan 0 och 100 % ({group}): {indicator}",
    "gender_negative": "Orimligt: ett antal kan inte vara negativt ({group}): {indicator}",
    "gender_without_total": "Utfall för {group} men inte totalt: {indicator}. Skriv totalen "
                            "i Utfall; den bedöms mot målvärdet.",
    "activity": "Aktivitet nr {nr} (rad {row}) saknar ",
    "start": "Startdatumet är inte ett datum. Skriv ÅÅÅÅ-MM-DD.",
    "end": "Slutdatumet är inte ett datum. Skriv ÅÅÅÅ-MM-DD.",
    "end_before_start": "Slutdatumet är före startdatumet.",
    "text": "Texten saknas: {heading}",
    "control_result": "Resultat saknas: kontrollmoment {id}",
    "control_action": "Med avvikelse men ingen åtgärd: kontrollmoment {id}",
    "control_date": "Datum saknas för den genomförda kontrollen: kontrollmoment {id}",
    "assignment_status": "Status saknas: uppdrag {id}",
    "assignment_date": "Genomfört men datum saknas: uppdrag {id}",
    "assignment_overdue": "Återrapporteringen {due} har passerat: skriv ett nytt datum för "
                          "uppdrag {id}",
}


# What a new user does next, printed by init, validate and workbooks (the commands are
# complete and copyable: tests/styrmodell/test_init.py runs them).
NEXT_AFTER_INIT = ("Projektet skapades i {folder}.\n"
                   "Nästa steg:\n"
                   "  1. Redigera {styrmodell} (varje nyckel förklaras i filen).\n"
                   "  2. Kontrollera styrmodellen:  reportkit validate {arg}")
ACTIVITY_CARRIED = "Fortsätter från {year}."
NEXT_YEAR_WRITTEN = "Styrmodellen för {year} skrevs till {target} (från {source})."
NEXT_YEAR_MOVED = "Perioderna flyttades ett år: {periods}."
NEXT_YEAR_TO_DECIDE = "Kvar att besluta eller fylla i:"
NEXT_YEAR_NOTHING = "Inget kvar att besluta: varje indikator har målvärde för {year}."
NEXT_AFTER_NEXT_YEAR = ("Nästa steg: fyll i det som är markerat i filen, kontrollera den och "
                        "se vad som ändrats mot förra året:\n"
                        "  reportkit validate {arg}\n"
                        "  reportkit diff {arg} --från {previous} --till {year}")
DIFF_HEADING = "Ändringar i styrmodellen från {before} till {after}:"
DIFF_NONE = "Inga ändringar."
DIFF_COLUMNS = ("Vad", "Ändring", "Id", "Namn", "Före", "Efter", "Beslut")
DIFF_COUNTS = "{n}: {parts}."
"""``n``: ``1 ändring``, ``3 ändringar``; ``parts``: ``2 ändrade, 1 tillagd`` (formats.counted)."""
DIFF_CHANGE_PLURALS = {"ändrad": "ändrade", "tillagd": "tillagda", "borttagen": "borttagna",
                       "flyttad": "flyttade", "omdöpt": "omdöpta"}
"""Each kind of change (styrmodell/diff.py) in the plural, after a count."""
NEXT_AFTER_VALIDATE = ("Nästa steg: skapa styrkorten för en period ({periods}):\n"
                       "  reportkit workbooks {arg} --period {period}")
NEXT_AFTER_WORKBOOKS = ("{n} styrkort skrevs till {folder}\n"
                        "Skicka dem till enheterna (ett e-postutkast per enhet: reportkit "
                        "utskick). Den som fyllt i ett styrkort kontrollerar "
                        "det innan det skickas tillbaka, till exempel:\n"
                        "  reportkit check {example}")


SUMMARY_LABELS = {
    "units": "Enheter",
    "workbooks": "Styrkort",
    "errors": "Fel",
    "warnings": "Varningar",
    "documents": "Dokument",
}


# Consolidation (reportkit/consolidate): the Inlämning list, trends, progress and the summary
STATUS_SHEET = "Inlämning"
STATUS_TITLE = "Inlämningsstatus – {scope} – {period}"
STATUS_COLUMNS = (("Nämnd", 28), ("Enhet", 30), ("Nivå", 12), ("Status", 18), ("Fel", 6),
                  ("Varningar", 10), ("Chef", 22), ("E-post", 34), ("Sista dag", 11),
                  ("Fil", 30))
TREND = {"better": "↑ bättre än {year}", "worse": "↓ sämre än {year}",
         "same": "→ som {year}"}
CONSOLIDATE_PROGRESS = "Kontrollerar styrkort"
CONSOLIDATE_SUBMISSIONS = "Inlämning: {counts} (listan: reportkit status)."
CONSOLIDATE_GOALS = "{goals}: {counts}."
"""``goals``: what the kommun's goals are called (the styrmodell's word, plural)."""
CONSOLIDATE_UNCHANGED_ERRORS = ("Oförändrade filer som fortfarande har fel (be enheten rätta "
                                "och skicka in på nytt): {files}")
CONSOLIDATE_HISTORY = "Historikfilen: {errors} fel, {warnings} (se ovan)."
"""``warnings``: ``1 varning``, ``2 varningar`` (formats.counted)."""
CONSOLIDATE_DONE = "Klart på {seconds} s."
CONSOLIDATE_FIXED = "Rättat i {file} (ersätter {other}): {problems}."
CONSOLIDATE_SOURCE_CHANGED = ("Filen som en gällande inlämning lästes från har nu annat innehåll "
                              "(inlämningen gäller tills enheten skickar en ny): {files}")
# One verdict per name in inkommet/<period>/ (reportkit/consolidate/inbox.py)
INBOX_VERDICTS = {"loaded": "inläst", "replaced": "ersätter tidigare", "unchanged": "oförändrad",
                  "refused": "avvisad", "ignored": "ignoreras"}
INBOX_LOCK_FILE = ("låsfil som Excel eller LibreOffice skapar medan en fil är öppen, inget "
                   "styrkort")
INBOX_HIDDEN = "dold fil"
INBOX_NOT_REGULAR = "inte en vanlig fil ({kind})"
INBOX_FILE_KINDS = {"fifo": "namngiven pipe", "socket": "socket", "device": "enhetsfil",
                    "other": "okänd filtyp"}
INBOX_SAME = "samma innehåll som {other}; {other} används"
INBOX_SAME_REFUSED = "samma innehåll som {other}, som inte lästes in (se {other})"
INBOX_REPLACES = "ersätter {other}"
INBOX_REFUSED_REPLACED = "ersatt av {other} ({reason})"
INBOX_UNCHANGED_ERRORS = "redan inläst, har {errors} fel"
INBOX_UNCHANGED_REPLACED = "ersatt av {other}"
INBOX_UNCHANGED_REFUSED = "redan avvisad ({errors} fel)"
STATUS_SOURCE_CHANGED = "{file} (filen har ändrats sedan inläsningen)"
STATUS_SOURCE_CHANGED_SHORT = "källfilen ändrad"
STATUS_LEVEL_WHAT = "nivåer"
STATUS_STATE_COLUMN = "Status"
STATUS_DEADLINE_COLUMN = "Sista dag"
STATUS_NONE = "Inga enheter att visa med de valda filtren."
INBOX_TABLE = ("Fil", "Utfall", "Enhet", "Varför")
INBOX_PLAIN_COUNTED = ("{count} filer till är {labels} utan anmärkning och visas inte här; "
                       "'reportkit status' visar varje enhet och --json varje fil.")


# The kommun's exports (reportkit/consolidate/exports.py, economy_sheets.py)
EXPORT_KINDS = {
    "drift": "Driftredovisning (ekonomisystemet)",
    "investeringar": "Investeringar (ekonomisystemet)",
    "personal": "Sjukfrånvaro (HR-systemet)",
    "nyckeltal": "Nyckeltal (ekonomiavdelningen)",
    "ramar": "KF:s ramar",
    "investeringsplan": "Investeringsplan",
    "bolag": "Bolagens nyckeltal",
    "koncern": "Koncernföretagens räkenskaper",
    "finansiella_rapporter": "Finansiella rapporter (Word)",
}
EXPORT_STATES = {
    "inläst": "Inläst",
    "oförändrad": "Oförändrad (redan inläst)",
    "fel": "Fel – används inte",
    "saknas": "Saknas",
}
EXPORT_STATE_COUNTS = {
    "inläst": ("inläst", "inlästa"),
    "oförändrad": ("oförändrad (redan inläst)", "oförändrade (redan inlästa)"),
    "fel": ("med fel – används inte", "med fel – används inte"),
    "saknas": ("saknas", "saknas"),
}
"""An export state after a count (``1 inläst``, ``7 oförändrade``): singular and plural."""
ECONOMY_SHEETS = {
    "drift": "Drift",
    "investeringar": "Investeringar",
    "balanskrav": "Balanskrav",
    "nyckeltal": "Flerårsöversikt",
    "finansiella_mal": "Finansiella mål",
    "sjukfranvaro": "Sjukfrånvaro",
    "koncern": "Koncern",
    "koncern_steg": "Koncernens steg",
    "exporter": "Exporter",
    "avstamningar": "Avstämningar",
}
CONSOLIDATE_EXPORTS = ("Exporterna i data/{period}/: {counts}.")
SUPPRESSED_NOTE = ("Grupper med färre än {threshold} anställda visas inte (–), så att ingen "
                   "uppgift pekar ut en person. Sjukfrånvaron räknas ur timmar: timmarna "
                   "summeras och divideras, procentsatser medelvärdesbildas aldrig.")

# The file-corrupt reason when python-calamine refuses a file pre-flight accepted (its own
# messages are English: "syntax error: tag not closed", "Cannot detect file format").
READ_FAILED = ("innehållet kan inte tolkas (felaktig XML, fel teckenkodning eller ett format "
               "som inte är en Excel-arbetsbok)")

# Why a file's check ended the process checking it (reportkit.isolate.Death kinds), the
# reason of its file-corrupt problem.
READ_DEATH = {
    "signal": "läsaren avbröts av filens innehåll ({detail}), troligen en orimlig storlek "
              "som filen uppger",
    "memory": "att läsa filen skulle kräva mer än {detail} MB minne",
    "timeout": "att läsa filen tog längre än {detail} sekunder",
    "exit": "läsaren avslutades utan svar",
    "error": "innehållet kan inte tolkas",
}

# YAML syntax errors in Swedish (yamlfile.py): libyaml's and PyYAML's problem texts, matched
# from their start, each with what it means in a styrmodell. The line and column come with it.
YAML_PROBLEMS = (
    ("mapping values are not allowed",
     "ett kolon (:) där inget nytt nyckel–värde-par får börja"),
    ("block sequence entries are not allowed",
     "ett listobjekt (- ) där ingen lista får börja; kontrollera indraget"),
    ("could not find expected ':'", "kolon (:) saknas efter nyckeln"),
    ("found character that cannot start any token",
     "ett tecken som inte får inleda ett värde (t.ex. @, ` eller ett tabbtecken); skriv "
     "värdet inom citattecken"),
    ("found a tab character", "ett tabbtecken i indraget; dra in med mellanslag"),
    ("found unexpected end of stream",
     "filen tar slut mitt i ett värde; ett citattecken eller en parentes stängs inte"),
    ("found unknown escape character",
     "okänt tecken efter \\ i en text inom dubbla citattecken; använd enkla citattecken"),
    ("did not find expected key", "en nyckel väntades här; kontrollera indraget"),
    ("did not find expected '-' indicator",
     "ett listobjekt (- ) väntades här; kontrollera indraget"),
    ("did not find expected ',' or ']'", "komma (,) eller ] saknas i listan inom [ ]"),
    ("did not find expected ',' or '}'", "komma (,) eller } saknas inom { }"),
    ("did not find expected node content", "ett värde saknas här"),
    ("did not find expected <document start>", "filen fortsätter efter dokumentets slut"),
    ("did not find expected", "ett tecken saknas här; kontrollera indrag och parenteser"),
    ("expected <block end>", "en nyckel väntades här; kontrollera indraget"),
    ("expected", "ett tecken saknas här; kontrollera indrag och parenteser"),
    ("found undefined alias", "ett alias (*namn) som inget ankare (&namn) före det har"),
    ("found undefined tag handle", "en okänd tagg (!…)"),
    ("could not determine a constructor", "en okänd tagg (!…)"),
    ("but found another document",
     "filen innehåller flera dokument (---); en konfigurationsfil är ett enda dokument"),
    ("found unhashable key", "en nyckel som är en lista eller uppsättning"),
    ("control characters are not allowed", "otillåtna styrtecken i filen"),
    ("invalid leading UTF-8 octet", "filen är inte sparad som UTF-8"),
    ("invalid trailing UTF-8 octet", "filen är inte sparad som UTF-8"),
    ("incomplete UTF-8 octet sequence", "filen är inte sparad som UTF-8"),
)
YAML_PROBLEM_OTHER = "filen följer inte YAML:s regler här"
YAML_BAD_TAGGED_VALUE = "ett värde som inte passar sin tagg (t.ex. !!int tolv)"
YAML_NOT_UTF8 = "texten är inte giltig UTF-8"
YAML_POSITION = "rad {line}, kolumn {column}"
YAML_LINE = "rad {line}"
YAML_READ_ERRNO = {"ENOENT": "filen finns inte", "EACCES": "du saknar behörighet att läsa den",
                   "EPERM": "du saknar behörighet att läsa den", "EISDIR": "det är en mapp",
                   "ENOTDIR": "en del av sökvägen är ingen mapp", "ELOOP": "för många länkar"}
"""Why a configuration file cannot be opened, by errno name (yamlfile.py)."""
YAML_READ_OTHER = "systemet vägrar öppna den (felkod {errno})"
YAML_NOT_UTF8_AT = "filen är inte sparad som UTF-8 (byte {offset} kan inte läsas)"

# Templates the sandbox refuses (documents/render.py, documents/sandbox.py)
TEMPLATE_BOUNDS = {
    "range": "en loop över {amount} värden; högst {limit} är tillåtet",
    "repeat": "en text eller lista som upprepas {amount} gånger",
    "power": "ett tal upphöjt till {amount}",
    "output": "texten blir större än {size}",
    "memory": "mallen behöver mer minne än en mall får ta",
    "recursion": "en tagg som anropar sig själv utan slut",
}
TEMPLATE_UNSAFE_ATTRIBUTE = "åtkomst till '{name}'"
TEMPLATE_UNSAFE_CALL = "ett anrop som inte är tillåtet"
TEMPLATE_UNSAFE_INCLUDE = "att läsa in en annan mall ('{name}')"
TEMPLATE_TAG_FAILED = 'en tagg gick inte att räkna ut ({error}) nära texten "{near}"'
TEMPLATE_WORKER_DIED = "arbetsprocessen som fyllde i mallen avbröts (status {status})"


# The KF goals' two kinds (KL 11 kap 1 §: mål för verksamheten and finansiella mål). They are
# no level's goals, so never a level's name (styrmodell/words.py): a kommun may call its third
# level's goals Verksamhetsmål.
GOALS_OPERATIONAL = "Mål för verksamheten"
GOALS_FINANCIAL = "Finansiella mål"


def measured_year(name: str, year: int) -> str:
    """An indicator measured the year before (``mätår: föregående``) as a styrkort names it."""
    return f"{name} (utfall för {year})"


def latest_available(year: int) -> str:
    """Beside a value older than the period's year (docs/styrmodell.md, mätår)."""
    return f"senaste tillgängliga värde ({year})"


def source_locked(where: str, fetched: str, *extra: str) -> str:
    """The note beside a value reportkit filled in and locked from the indicator's källa:
    where it came from, the date it was taken (``fetched``; "" when ``where`` has its own)
    and what else is known (senaste tillgängliga värde, kvinnor and män)."""
    parts = [f"Låst: enligt {where}", *([f"hämtad {fetched}"] if fetched else []),
             *(e for e in extra if e)]
    return "; ".join(parts) + "."


def source_pending(where: str, why: str) -> str:
    """The note in a locked empty cell whose value is not there yet."""
    return f"Hämtas ur {where} vid sammanställningen ({why})."


EXPORT_FIGURE_SOURCES = MappingProxyType({
    "sjukfrånvaro": "personalexporten (sjukfrånvaro)",
    "nyckeltal": "ekonomiavdelningens nyckeltal",
})
"""How the documents' Källa column names an export figure (``källa: {export: …}``)."""


# reportkit historik (consolidate/history.py export_history)
HISTORY_EXPORTED = "Historiken ({rows}) skrevs till {path}."
"""``rows``: ``1 rad``, ``2 rader`` (formats.counted)."""

# Finding what the user means (styrmodell/lookup.py)
LOOKUP_INDICATORS = "indikatorer"
LOOKUP_MORE = "… och {n} till"


def join_words(items: list[str], last: str = "och") -> str:
    """``a, b och c`` (``last="eller"``: ``a, b eller c``)."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]

# a .docx the kansli edited, kept beside the new one by render (documents/kept.py)
EDITED_NAME = "{stem} (redigerad {day}){suffix}"
EDITED_NAME_MORE = "{stem} (redigerad {day}, {n}){suffix}"
EDITED_MARK = " (redigerad "

# reportkit mallar (documents/owned.py, console.print_templates)
BUILTIN_TEMPLATES = "reportkits inbyggda mallar"
TEMPLATES_COPIED = "Kopierade till {folder}: {files}."
TEMPLATES_KEPT = ("Kommunens egna fanns redan och skrevs inte över: {files} "
                  "(--skriv-över ersätter dem).")
TEMPLATES_SET = "dokument: mallar: är satt i {files}."
TEMPLATES_OWNED = ("Mallarna i {folder} är kommunens: ändra dem i Word. Utseendet "
                   "(formatmallar, tema, marginaler, sidfot) ändras en gång för alla i "
                   "docx/stilmall.docx. reportkit render använder dem, och en ny version av "
                   "reportkit skriver inte över dem.")
TEMPLATES_NO_FOLDER = ("Styrmodellen har ingen egen mallmapp (dokument: mallar:); de inbyggda "
                       "mallarna i {builtin} används. Kör reportkit mallar för att kopiera dem "
                       "till projektet.")
TEMPLATES_BUILTIN = "De inbyggda mallarna: {builtin}"
TEMPLATES_FOLDER = "Kommunens mallar: {folder}"
TEMPLATES_LACK = "  {template} saknar: {names}"
TEMPLATES_COMPLETE = "Kommunens mallar har allt som mallarna i reportkit {version} använder."

# render's varningar grouped by kind (console.print_render; errors.group_problems)
GROUP_FULL = 2
"""A kind with at most this many problems is shown in full, a larger one as one line."""
GROUP_LINE = "{severity} ({count} st) {title}, t.ex.: {message} {hint}"
GROUP_ALL = ("{total} {what} sammanfattade på {shown} rader, det viktigaste först; "
             "--alla visar var och en för sig.")
GROUP_WARNINGS = "varningar"
GROUP_ERRORS_AND_WARNINGS = "fel och varningar"

# The next step after a command (documents/next_step.py, printed by console.py)
NEXT_HEADING = "Nästa steg:"
NEXT_ANY_DOCUMENT = "<dokument>"
NEXT_ANY_PERIOD = "<period>"
NEXT_STATUS = ("  reportkit status{arg} -p {period}   – vilka som saknas ({missing}) eller "
               "har fel ({errors}), med e-post att påminna")
NEXT_NOT_SENT = ("Ej utskickad: {count} har inte fått något styrkort för perioden; skapa det "
                 "med: reportkit workbooks{arg} -p {period} --enhet <id>")
NEXT_RENDER = "  reportkit render {document}{arg} -p {period}   – {title} som utkast i Word"
NEXT_EXPLAIN = "  reportkit explain <id>{arg} -p {period}   – hur ett mål fick sin bedömning"
NEXT_REMIND = ("Nästa steg: påminn {count} som inte lämnat in eller har fel: {units}{more}. "
               "Alla med e-post finns i {path}.")
NEXT_REMIND_UNIT = "{name} ({state}, {email})"
NEXT_AFTER_RENDER = ("Nästa steg: granska dokumenten i {folders}. När versionen är "
                     "beslutad, frys den:\n"
                     "  reportkit beslut{arg} -p {period} --beslut \"KF ÅÅÅÅ-MM-DD § NN\"")
NEXT_AFTER_DECIDED_RENDER = ("Den beslutade versionen finns i {folders}; den ändras inte av "
                             "senare inlämningar.")
NEXT_AFTER_DECISION = ("Nästa steg: skapa den beslutade versionen:\n"
                       "  reportkit render {document}{arg} -p {period} --version {id}")
NEXT_AFTER_UNDO = ("Nästa steg: fatta ett nytt beslut när det finns ett:\n"
                   "  reportkit beslut{arg} -p {period} --beslut \"KF ÅÅÅÅ-MM-DD § NN\"")
NEXT_AFTER_EXPLAIN = ("Underlag för revisorerna (Excel, med fil och cell för varje värde):\n"
                      "  reportkit explain {item}{arg}{period} --xlsx {file}")
NEXT_AFTER_EXPLAIN_XLSX = "Skrev {path} (underlag för revisorerna)."
NEXT_AFTER_NO_WORKBOOKS = ("0 styrkort skrevs: ingen som lämnar styrkort i perioden finns "
                           "bland de valda nivåerna.")
NEXT_AFTER_WORKBOOKS_BACK = ("När styrkorten kommer tillbaka: lägg dem i {inbox} och kör\n"
                             "  reportkit consolidate{arg} -p {period}")

# the share-or-percent rule (workbook/parse.py share_or_percent) in explain: how a number typed
# without a percent sign in a percent cell was read
SHARE_RULE_NOTE = "{typed} utan procenttecken lästes som {read} %, inte {other} %{why}"
SHARE_RULE_TARGET = " (närmare målvärdet {target} %)"

# reportkit utskick: the e-mail drafts (outputs/mailing.py). {unit} etc. are the kommun's names.
MAIL_SUBJECT = "{period}: styrkort för {unit} – sista dag {deadline}"
MAIL_REMINDER_SUBJECT = "Påminnelse – {period}: styrkort för {unit} – sista dag {deadline}"
MAIL_GREETING = "Hej {manager}!"
MAIL_GREETING_NO_NAME = "Hej!"
MAIL_BODY = ("Här kommer styrkortet för {unit} för {period} (bifogad fil {file}).\n\n"
             "Så här gör du:\n"
             "1. Öppna filen i Excel och fyll i de gula fälten: utfall, bedömning och analys.\n"
             "2. Spara filen med samma namn.\n"
             "3. Skicka tillbaka den till {coordinator} senast {deadline}.")
MAIL_REMINDER_MISSING = ("Vi har ännu inte fått styrkortet för {unit} för {period}. Sista dag "
                         "{deadline_word} {deadline}. Fyll i det bifogade styrkortet ({file}) "
                         "och skicka det till {coordinator} så snart som möjligt.")
MAIL_REMINDER_ERRORS = ("Styrkortet för {unit} för {period} har kommit in ({file}) men har "
                        "{errors} fel som måste rättas. Rätta felen (kontrollbladet i filen "
                        "visar var de finns), spara och skicka filen igen till {coordinator}. "
                        "Sista dag "
                        "{deadline_word} {deadline}.")
MAIL_DEADLINE_PAST = "var"
MAIL_DEADLINE_COMING = "är"
MAIL_NO_FILE = "(ingen fil)"
MAIL_CONTACT = "Frågor? Kontakta {coordinator}{contact}."
MAIL_SIGNATURE = "Hälsningar\n{coordinator}\n{kommun}"
MAIL_NO_DEADLINE = "enligt styrmodellen"
MAIL_WRITTEN = "Skrev {count} till {folder}."
MAIL_DRAFTS = ("e-postutkast", "e-postutkast")
MAIL_REMINDERS = ("påminnelse", "påminnelser")
MAIL_DRY_RUN = ("Inget skickades (torrkörning). Öppna .eml-filerna i e-postprogrammet, eller "
                "skicka med:\n  reportkit utskick{arg} -p {period}{reminder} --skicka")
MAIL_SENT = "Skickade {count} via {server}."
MAIL_NONE_TO_REMIND = "Ingen att påminna: alla har lämnat in utan fel."
SMTP_PASSWORD_PROMPT = "Lösenord för {user} på {server}"

# reportkit årshjul: the calendar (outputs/calendar.py)
CAL_DEADLINE = "Sista dag: {level} – {period}"
CAL_DEADLINE_TEXT = "Sista dag för {level} att lämna styrkort för {period}."
CAL_MEETING = "{body}{matter}"
CAL_NAME = "Årshjul {year} – {kommun}"
CAL_WRITTEN = "Skrev {path} ({count})."
CAL_EVENTS = ("händelse", "händelser")
CAL_NEXT = "Närmast i årshjulet:"
CAL_NEXT_NONE = ("Årshjulet har inget mer från {date} (nästa års styrmodell gör du med "
                 "reportkit nytt-år).")
CAL_NEXT_LINE = "  {date}  {title} ({when})"
CAL_TODAY = "i dag"
CAL_IN_DAYS = "om {days}"
CAL_DAYS = ("dag", "dagar")

# stilmall.docx (documents/stylesheet.py): why its footer is not moved to the documents
STYLESHEET_FOOTER_PICTURE = "en bild eller en länk"
STYLESHEET_FOOTER_TAG = "en tagg ({{ … }} eller {% … %})"

DEFAULT_GLOSSARY = (
    ("Anläggningstillgångar", "Tillgångar som är avsedda att användas i verksamheten under "
     "lång tid, till exempel fastigheter, maskiner och inventarier."),
    ("Ansvarsförbindelse", "Ett åtagande som inte redovisas som skuld eller avsättning i "
     "balansräkningen, till exempel pensioner intjänade före 1998 och borgensåtaganden."),
    ("Avskrivningar", "Planmässig värdeminskning av anläggningstillgångar, fördelad över "
     "deras nyttjandetid."),
    ("Balanskrav", "Lagens krav på att kommunens intäkter ska överstiga kostnaderna. Ett "
     "negativt balanskravsresultat ska återställas inom tre år."),
    ("Balansräkning", "Visar kommunens tillgångar, avsättningar, skulder och eget kapital vid "
     "årets slut."),
    ("Driftredovisning", "Redovisar budget och utfall för nämndernas löpande verksamhet."),
    ("Eget kapital", "Skillnaden mellan tillgångar och skulder (inklusive avsättningar)."),
    ("Finansnetto", "Finansiella intäkter minus finansiella kostnader, till exempel räntor."),
    ("Investeringsredovisning", "Redovisar budget och utfall för kommunens investeringar."),
    ("Kassaflödesanalys", "Visar hur kommunens likvida medel har förändrats under året och "
     "varifrån pengarna kommer."),
    ("KF", "Kommunfullmäktige, kommunens högsta beslutande organ."),
    ("Likviditet", "Betalningsberedskap på kort sikt: de pengar som finns tillgängliga."),
    ("mnkr", "Miljoner kronor."),
    ("Nettoinvesteringar", "Investeringsutgifter minus investeringsinkomster (till exempel "
     "bidrag)."),
    ("Omsättningstillgångar", "Tillgångar som inte är anläggningstillgångar, till exempel "
     "kundfordringar och likvida medel."),
    ("Resultaträkning", "Visar årets intäkter och kostnader och hur de har förändrat det egna "
     "kapitalet."),
    ("Resultatutjämningsreserv (RUR)", "En del av det egna kapitalet som får användas för att "
     "utjämna intäkter över en konjunkturcykel."),
    ("Skatteintäkter, generella statsbidrag och utjämning", "Kommunalskatten och de bidrag "
     "från staten och utjämningssystemet som inte är knutna till en viss verksamhet."),
    ("Soliditet", "Andelen av tillgångarna som är finansierade med eget kapital; visar den "
     "långsiktiga betalningsförmågan."),
    ("tkr", "Tusentals kronor."),
    ("Verksamhetens nettokostnader", "Verksamhetens kostnader minus dess intäkter och "
     "avskrivningar: det som skatter och statsbidrag ska finansiera."),
)
"""The documents' ordlista before the kommun's own words (styrmodell ``ordlista``) and the
short names of its nämnder and parties."""

# Kolada (reportkit kolada; outputs/kolada.py, documents/kolada.py; issue 31)
KOLADA_PROGRESS = "Hämtar från Kolada"
KOLADA_FETCHED = ("Hämtade {values} värden för {kpis} i {requests} anrop från {api}; svaren "
                  "sparade i {folder}.")
KOLADA_GROUP = "Jämförelsegrupp: {title} ({count})."
KOLADA_KOMMUNER = ("kommun", "kommuner")
KOLADA_REVISED = "Reviderat av RKA sedan förra hämtningen:"
KOLADA_REVISION = ("  {kpi} {kommun} {year} ({gender}): {before} → {after} "
                   "(hämtat {before_fetched} och {after_fetched})")
KOLADA_NOTHING_KEPT = ("Inget hämtat från Kolada ännu. Kör 'reportkit kolada hämta {arg}' "
                       "(kräver nätverk).")
KOLADA_KEPT = "Senaste hämtning {time} från {api}; {count} sparade."
KOLADA_KPI_LINE = "  {kpi} {title} – indikator {indicators}"
KOLADA_VALUES = ("värde", "värden")
KOLADA_SOURCE = "Källa: Kolada"
KOLADA_OWN = "Egen beräkning på data från Kolada"
KOLADA_FETCHED_ON = "Källa: Kolada, hämtat {date}"

# The accounts a revisor checks (#30; documents/reconcile.py, docs/avstamningar.md)
KOMMUNINVEST_NOTE = (
    "Kommunen har, liksom samtliga medlemmar i Kommuninvest ekonomisk förening, ingått en "
    "solidarisk borgen såsom för egen skuld för Kommuninvest i Sverige AB:s samtliga "
    "förpliktelser, och ett regressavtal som fördelar ett eventuellt ansvar mellan "
    "medlemmarna efter andel av insatt kapital och av förpliktelserna. Tabellen visar "
    "kommunens andel av föreningens totala förpliktelser och tillgångar.")
PRINCIPLES_DRAFT = (
    "Redovisningen följer lagen (2018:597) om kommunal bokföring och redovisning (LKBR) och "
    "Rådet för kommunal redovisnings (RKR) rekommendationer. Avvikelser från en "
    "rekommendation anges nedan med skälen för dem.",
    "Pensioner redovisas enligt blandmodellen: pensioner intjänade före 1998 redovisas som "
    "en ansvarsförbindelse utanför balansräkningen, inklusive särskild löneskatt 24,26 %; "
    "senare intjänade pensioner som avsättning eller kortfristig skuld. Förpliktelserna "
    "beräknas enligt RIPS.",
    "Materiella anläggningstillgångar tas upp till anskaffningsvärde med avdrag för "
    "avskrivningar. Avskrivningar görs linjärt över nyttjandeperioden, med komponentavskrivning "
    "för väsentliga komponenter. Gränsen för en investering är ett halvt prisbasbelopp och en "
    "nyttjandeperiod på minst tre år.",
    "Skatteintäkterna periodiseras enligt SKR:s decemberprognos. Investeringsbidrag "
    "redovisas som förutbetald intäkt och löses upp i samma takt som tillgången skrivs av.",
    "Har en redovisningsprincip ändrats eller ett fel rättats under året beskrivs det i en "
    "egen not med effekten på eget kapital.",
)
"""The first draft of the Redovisningsprinciper section (the kansli edits it)."""
PRINCIPLE_CHANGE_TITLE = "Ändrad redovisningsprincip eller rättelse av fel"
KONCERN_ECONOMY_DRAFT = (
    "Sedan 2024 ska budgeten ta hänsyn till de kommunala koncernföretagens ekonomi "
    "(kommunallagen 11 kap.). Beskriv här bolagens och förbundens budgeterade resultat, "
    "investeringar och upplåning under planperioden, ägardirektivens avkastningskrav och "
    "vad de betyder för kommunens borgensåtaganden och ekonomi.",
)

# reportkit webb / översikt / demo (issue 33)
WEB_WRITTEN = "Webbplatsen ({pages}) finns i {folder}"
WEB_DECISION = "Visar den beslutade versionen: {decision}"
WEB_DRAFT = "Visar utkastet (inte beslutat): publicera inte förrän det är beslutat."
WEB_OPEN = "Öppna {start} i en webbläsare."
OVERVIEW_WRITTEN = "Översikten för samordnaren (publiceras inte): öppna {start} i en webbläsare."
DEMO_WEB = "  Webbplatsen (reportkit webb): {start}"
DEMO_OVERVIEW = "  Översikten för samordnaren (reportkit översikt): {start}"
