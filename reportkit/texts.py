"""Swedish user-interface texts that are not errors: workbook instructions, labels, summaries.

Kept in one place so they can be read and reviewed together. Errors live in ``errors.py``.
"""

from __future__ import annotations

DIRECTION = {"högre": "Högre", "lägre": "Lägre"}
YES_NO = ("Ja", "Nej")
"""A ja/nej indicator's two answers as workbooks, documents and explain show them."""

INSTRUCTIONS_TITLE = "Så fyller du i styrkortet"


def instructions(period_type: str, unit_name: str, period_name: str, deadline: str,
                 level_name: str, *, file_name: str = "", proposal_rule: str = "",
                 forecast: bool = False, to_council_only: bool = False,
                 activities: bool = True, below: bool = False, earlier: str = ""
                 ) -> list[tuple[str, str]]:
    """(heading, text) rows for the Instruktioner sheet, in plain Swedish.

    ``proposal_rule`` says how the förslag follows from the måluppfyllelse (from the scale);
    ``forecast`` asks for a prognos for the year (tertial, delår); ``to_council_only`` is for
    the kommun and the bolag, whose texts go to kommunfullmäktige, not to a nämnd;
    ``activities`` is False for the kommun (no Aktiviteter sheet); ``below`` adds the read-only
    Underlag sheet; ``earlier`` names the file whose answers the workbook was prefilled with.
    """
    rows: list[tuple[str, str]] = [
        ("Vem", f"{unit_name} ({level_name.lower()})"),
        ("Period", period_name),
    ]
    if deadline:
        rows.append(("Skicka senast", deadline))
    rows.append(("", ""))
    if below:
        rows.append(("Underlag", "Bladet Underlag visar det som har kommit in från nivån under "
                                 "er när styrkortet skapades: förslag, bedömning, motivering och "
                                 "analys per mål, och vilka som inte har lämnat in ännu. Det går "
                                 "inte att ändra; gör er egen bedömning och analys i bladet Mål."))
    if earlier:
        rows.append(("Tidigare svar", f"Styrkortet är ifyllt med det ni lämnade in i {earlier}. "
                                      "Ändra det som behöver ändras och skicka in det igen."))
    if below or earlier:
        rows.append(("", ""))
    if period_type == "plan":
        rows += [
            ("1. Mål", "Bladet Mål visar era mål och vilka mål högre upp de bidrar till. "
                       "Skriv en kort kommentar om hur ni ska arbeta mot varje mål."),
            ("2. Indikatorer", "Bladet Indikatorer visar indikatorerna med målvärden. De är "
                               "beslutade och kan inte ändras här."),
            ("3. Aktiviteter", "Skriv de aktiviteter ni planerar, en per rad: välj mål i "
                               "listan, skriv aktivitet, ansvarig, start och slut (ÅÅÅÅ-MM-DD)."),
            ("4. Texter", "Skriv nulägesanalys, trend- och omvärldsanalys och prioriterade "
                          "förbättringsområden i bladet Texter."),
        ]
    else:
        utfall = ("Skriv utfallet för varje indikator i den gula kolumnen Utfall. Procent "
                  "skrivs som 85 eller 85 %. Lämna tomt om mätningen inte är gjord – då blir "
                  "det \"Ej mätt\".")
        if forecast:
            utfall += " Skriv också din prognos för helåret i kolumnen Prognos helår."
        utfall += " Kolumnerna Måluppfyllelse och Förslag räknas fram medan du skriver."
        rows += [
            ("1. Indikatorer", utfall),
            ("2. Mål", "Bladet Mål visar ett beräknat förslag på bedömning för varje mål. "
                       "Bedömningen är förvald till förslaget. Gör du en annan bedömning, välj "
                       "den i listan och skriv en motivering. Skriv en analys för varje mål och "
                       "åtgärder om målet inte nås."),
        ]
        if proposal_rule:
            rows.append(("", proposal_rule))
        rows += [
            ("3. Aktiviteter", "Skriv era aktiviteter, en per rad (ni kan klistra in dem från "
                               "verksamhetsplanen), och välj status för var och en."),
            ("4. Texter", "Skriv texterna i bladet Texter; de används i rapporterna till "
                          + ("kommunfullmäktige." if to_council_only
                             else "nämnden och kommunfullmäktige.")),
        ]
    if not activities:
        rows = [(h, t) for h, t in rows if not h.startswith("3. Aktiviteter")]
        rows = [("3. Texter", t) if h == "4. Texter" else (h, t) for h, t in rows]
    check = f"reportkit check {file_name}" if file_name else "reportkit check filnamn.xlsx"
    rows += [
        ("", ""),
        ("Gula celler", "Bara de gula cellerna går att fylla i; grå celler räknas fram. Övriga "
                        "celler är låsta så att målvärden och mål inte ändras av misstag."),
        ("Kontrollera", "Innan du skickar: be din styrkortssamordnare kontrollera filen, eller "
                        f"kör  {check}  om du har reportkit. Felen anges med blad och cell."),
        ("Spara", "Spara som Excel-arbetsbok (.xlsx), även om du använder LibreOffice. Byt inte "
                  "namn på bladen och lägg inte till eller ta bort rader i tabellerna."),
    ]
    return rows


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
DIFF_COUNTS = "{n} ändringar: {parts}."
NEXT_AFTER_VALIDATE = ("Nästa steg: skapa styrkorten för en period ({periods}):\n"
                       "  reportkit workbooks {arg} --period {period}")
NEXT_AFTER_WORKBOOKS = ("{n} styrkort skrevs till {folder}\n"
                        "Skicka dem till enheterna. Den som fyllt i ett styrkort kontrollerar "
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
CONSOLIDATE_HISTORY = "Historikfilen: {errors} fel, {warnings} varningar (se ovan)."
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
INBOX_TABLE = ("Fil", "Utfall", "Enhet", "Varför")


# The kommun's exports (reportkit/consolidate/exports.py, economy_sheets.py)
EXPORT_KINDS = {
    "drift": "Driftredovisning (ekonomisystemet)",
    "investeringar": "Investeringar (ekonomisystemet)",
    "personal": "Sjukfrånvaro (HR-systemet)",
    "nyckeltal": "Nyckeltal (ekonomiavdelningen)",
    "ramar": "KF:s ramar",
    "investeringsplan": "Investeringsplan",
    "bolag": "Bolagens nyckeltal",
    "finansiella_rapporter": "Finansiella rapporter (Word)",
}
EXPORT_STATES = {
    "inläst": "Inläst",
    "oförändrad": "Oförändrad (redan inläst)",
    "fel": "Fel – används inte",
    "saknas": "Saknas",
}
ECONOMY_SHEETS = {
    "drift": "Drift",
    "investeringar": "Investeringar",
    "balanskrav": "Balanskrav",
    "nyckeltal": "Flerårsöversikt",
    "finansiella_mal": "Finansiella mål",
    "sjukfranvaro": "Sjukfrånvaro",
    "exporter": "Exporter",
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

# reportkit historik (consolidate/history.py export_history)
HISTORY_EXPORTED = "Historiken ({rows} rader) skrevs till {path}."
