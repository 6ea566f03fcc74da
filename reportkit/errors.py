"""The error catalogue: every problem reportkit can report, once, with its Swedish texts.

A :class:`Problem` is a record, not an exception: ``check()`` and ``consolidate()`` collect them
and go on, so one broken workbook never stops the other 1,499. :class:`ReportkitError` carries
Problems out of a library call that cannot continue (a broken styrmodell, a missing project).

Each kind has a stable English kebab-case ``code`` (tests, JSON and docs use it), a severity
(``fel`` blocks the value; ``varning`` is accepted with a note), a Swedish title, a Swedish
message template with ``{placeholders}``, and a Swedish hint saying what to do about it.
``tests/test_errors.py`` renders every template with its declared fields.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from reportkit.formats import escape_undecodable, format_path

Severity = Literal["fel", "varning"]
FEL: Severity = "fel"
VARNING: Severity = "varning"


@dataclass(frozen=True)
class Kind:
    code: str
    severity: Severity
    title: str
    message: str
    hint: str

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """The placeholder names the message and hint templates use. A name that is also a
        :class:`Location` attribute (``file``, ``sheet``, ``row`` …) is filled from the
        problem's location when its values lack it."""
        names: list[str] = []
        for template in (self.message, self.hint):
            for _, name, _, _ in string.Formatter().parse(template):
                if name and name not in names:
                    names.append(name)
        return tuple(names)


CATALOGUE: dict[str, Kind] = {}


def _kind(code: str, severity: Severity, title: str, message: str, hint: str) -> Kind:
    if code in CATALOGUE:
        raise ValueError(f"duplicate error code {code}")
    kind = Kind(code, severity, title, message, hint)
    CATALOGUE[code] = kind
    return kind


# General and project
_kind("project-missing", FEL, "Projektet saknas",
      "Mappen {path} är inget reportkit-projekt (styrmodell/ saknas).",
      "Skapa ett projekt med 'reportkit init {path}' eller ange rätt mapp.")
_kind("period-unknown", FEL, "Okänd period",
      "Perioden {period} finns inte i styrmodellen.",
      "Välj en av perioderna {known} eller lägg till perioden under 'perioder' i styrmodellen.")
_kind("file-unreadable", FEL, "Filen kan inte läsas",
      "Filen kan inte läsas: {reason}.",
      "Kontrollera att filen finns och att du har behörighet att läsa den.")
_kind("project-locked", FEL, "Projektet är upptaget",
      "En annan körning av reportkit arbetar redan med projektet ({path}).",
      "Vänta tills den är klar och kör sedan kommandot igen.")
_kind("internal-error", FEL, "Oväntat fel",
      "Ett oväntat fel inträffade: {reason}.",
      "Kör kommandot igen med --debug och skicka utskriften till den som förvaltar reportkit.")
_kind("datum-invalid", FEL, "Felaktigt datum",
      "'{value}' ({source}) är inget datum.",
      "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-09-15.")
_kind("period-empty", FEL, "Inget sammanställt i perioden",
      "Det finns inget sammanställt för {period} ({name}).",
      "Kör 'reportkit consolidate {project} -p {period}' först, eller välj en annan period "
      "med -p.")
_kind("period-ambiguous", FEL, "Vilken period?",
      "{document} kan göras för flera perioder ({periods}) och det går inte att avgöra "
      "vilken som menas.",
      "Välj perioden med -p, t.ex. -p {example}; en period som inte är sammanställd behöver "
      "'reportkit consolidate' först.")
_kind("document-no-period", FEL, "Ingen period för dokumentet",
      "{document} görs för perioder av typen {expected}, men styrmodellen för {year} har "
      "ingen sådan period.",
      "Lägg till en period med 'typ: {example}' under 'perioder' i styrmodellen, eller välj "
      "en period med -p.")

_kind("id-unknown", FEL, "Finns inte i styrmodellen",
      "'{given}' är inget id eller namn bland styrmodellens {what} ({year}).",
      "Menade du {suggestions}? Skriv id:t eller namnet som i styrmodellen (reportkit validate "
      "visar dem).")
_kind("id-unknown-no-suggestion", FEL, "Finns inte i styrmodellen",
      "'{given}' är inget id eller namn bland styrmodellens {what} ({year}).",
      "Skriv id:t eller namnet som i styrmodellen, t.ex. {examples} (reportkit validate visar "
      "alla).")
_kind("id-ambiguous", FEL, "Flera passar",
      "'{given}' passar {count} av styrmodellens {what}: {candidates}.",
      "Skriv id:t på den du menar, t.ex. {example}.")
_kind("unit-not-reporting", FEL, "Lämnar inget styrkort i perioden",
      "{name} ({id}) lämnar inget styrkort för {period}; perioden har nivåerna {levels}.",
      "Välj en annan period med --period, eller någon på nivåerna {levels}.")

# Utskick (e-post) and årshjul
_kind("mail-no-address", VARNING, "Ingen e-postadress",
      "{name} ({id}) har ingen e-postadress i styrmodellen; e-postutkastet har ingen mottagare.",
      "Skriv epost: under enheten i styrmodellen, eller fyll i mottagaren i utkastet.")
_kind("mail-no-workbook", VARNING, "Styrkortet saknas som bilaga",
      "Styrkortet för {name} finns inte i {folder}; e-postutkastet har ingen bilaga.",
      "Skapa styrkorten först: reportkit workbooks {project} --period {period}")
_kind("smtp-not-configured", FEL, "Ingen e-postserver",
      "Styrmodellen anger ingen e-postserver (smtp:), så inget kan skickas med --skicka.",
      "Lägg till smtp: med server, port och användare i styrmodellen (se docs/styrmodell.md), "
      "eller skicka utkasten i {folder} från e-postprogrammet.")
_kind("smtp-failed", FEL, "Kunde inte skicka e-post",
      "E-post kunde inte skickas via {server}:{port}: {reason}. Skickade: {sent} av {total}.",
      "Kontrollera server, port, användare och lösenordet (miljövariabeln "
      "REPORTKIT_SMTP_LOSENORD). Utkasten finns kvar i {folder}.")

# Styrmodell (config)
_kind("config-yaml-syntax", FEL, "Styrmodellen kan inte läsas",
      "YAML-syntaxfel på {position}: {reason}.",
      "Rätta raden; vanliga fel är fel indrag eller ett kolon i en text utan citattecken.")
_kind("config-file-too-large", FEL, "Konfigurationsfilen är för stor",
      "Filen är {size_mb} MB; högst {max_mb} MB läses.",
      "Kontrollera att det är rätt fil: även en styrmodell för en stor kommun är bara några MB. "
      "Ta bort det som inte hör hemma i filen.")
_kind("config-duplicate-key", FEL, "Samma nyckel två gånger",
      "Nyckeln '{name}' står två gånger på samma nivå: på rad {first} och på rad {line}.",
      "Ta bort den ena eller rätta stavningen; annars skulle det senare värdet tyst ersätta "
      "det första.")
_kind("config-yaml-aliases", FEL, "För många alias i filen",
      "Filen använder fler än {max} alias (*namn); gränsen passerades på rad {line}.",
      "Skriv ut värdena i stället för att hänvisa till dem med *namn, eller använd färre alias.")
_kind("config-yaml-alias-loop", FEL, "Alias som pekar på sig självt",
      "Aliaset på rad {line} står inuti värdet som det pekar på.",
      "Ta bort *namn från värdet som &namn står på: ett värde kan inte innehålla sig självt.")
_kind("config-yaml-too-many-values", FEL, "Filen blir för stor",
      "Filen innehåller fler än {max} värden när varje alias (*namn) räknas ut; gränsen "
      "passerades på rad {line}.",
      "Använd inga alias som pekar på andra alias, och kontrollera att det är rätt fil.")
_kind("config-file-too-many-values", FEL, "Konfigurationsfilen har för många värden",
      "Filen innehåller fler än {max} värden.",
      "Kontrollera att det är rätt fil: även Storstads styrmodell med 1 500 enheter har färre "
      "än 200 000 värden.")
_kind("config-yaml-too-deep", FEL, "För djupt inkapslade värden",
      "Värdena är inkapslade i fler än {max} nivåer (rad {line}).",
      "Kontrollera indraget och hakparenteserna runt raden; ingen av reportkits filer behöver "
      "så många nivåer.")
_kind("config-missing-key", FEL, "Uppgift saknas i styrmodellen",
      "Uppgiften '{name}' saknas.",
      "Lägg till '{name}' på rätt ställe i styrmodellen (se kommentarerna i exempelfilen).")
_kind("config-unknown-key", FEL, "Okänd uppgift i styrmodellen",
      "Uppgiften '{name}' är okänd.",
      "Kontrollera stavningen; tillåtna uppgifter finns i kommentarerna i exempelfilen.")
_kind("config-invalid-value", FEL, "Felaktigt värde i styrmodellen",
      "Värdet {value} är inte tillåtet: {reason}.",
      "Ändra värdet; {expected}.")
_kind("config-duplicate-id", FEL, "Id finns redan",
      'id "{id}" finns redan (första gången vid {first}).',
      "Varje id måste vara unikt i styrmodellen; byt id på den ena.")
_kind("config-parent-missing", FEL, "Överordnat mål saknas",
      'Målet {goal} kopplas till "{parent}", som inte finns.',
      "Ange id för ett befintligt mål på nivån ovanför ({expected_level}).")
_kind("config-parent-level", FEL, "Överordnat mål på fel nivå",
      'Målet {goal} ({level}) kopplas till "{parent}", som ligger på nivån {parent_level}.',
      "Ett mål kopplas till mål på nivån närmast ovanför: {expected_level}.")
_kind("config-no-parent", FEL, "Målet är inte kopplat uppåt",
      "Målet {goal} ({level}) saknar koppling till ett mål på nivån ovanför.",
      "Ange minst ett överordnat mål under 'förälder'.")
_kind("config-scale-order", FEL, "Bedömningsskalan är felaktig",
      "Gränserna i bedömningsskalan måste sjunka uppifrån och ned: {reason}.",
      "Ordna stegen från bästa till sämsta status med sjunkande 'gräns'.")
_kind("config-scale-invalid", FEL, "Bedömningsskalan är felaktig",
      "Bedömningsskalan kan inte användas: {reason}.",
      "Rätta bedömningen i styrmodellen (docs/styrmodell.md, avsnittet om bedömning).")
_kind("config-target-missing", VARNING, "Målvärde saknas",
      "Indikatorn {indicator} har inget målvärde för {year}.",
      "Ange målvärde för året under 'målvärde', annars kan måluppfyllelse inte beräknas.")
_kind("config-gender-source", VARNING, "Kön kan inte delas här",
      "Indikatorn {indicator} har kön: ja, men {reason}; bara totalen används.",
      "Låt enheterna skriva värdet i styrkortet (källa som text), ta det ur "
      "personalexportens sjukfrånvaro (export: sjukfrånvaro under källa) eller ur Kolada "
      "(kolada: under källa), eller ta bort kön.")
_kind("config-org-both", FEL, "Både verksamheter och enheter",
      "{kind} {id} har både 'verksamheter' och 'enheter'.",
      "Enheter står antingen under en verksamhet eller direkt under {definite} (då har grenen "
      "ingen verksamhetsnivå), inte båda: flytta enheterna in under en av verksamheterna.")
_kind("config-org-subsidiary", FEL, "Dotterbolag kan bara ägas av ett bolag",
      "{kind} {id} har 'dotterbolag', men bara ett bolag (typ: bolag) kan ha dotterbolag.",
      "Ange typ: bolag för moderbolaget, eller flytta bolagen till egna poster under 'nämnder'.")
_kind("config-org-misplaced", FEL, "Uppgiften står på fel ställe",
      "'{name}' kan inte stå under {parent}.",
      "{allowed}")

# Periods (issue 24: periods as the kommun has them)
_kind("config-statutory-interim", VARNING, "Lagstadgad delårsrapport oklar",
      "År {year} har delårsperioderna {periods}, men {count} av dem är markerade med "
      "'lagstadgad: true'.",
      "Markera den period som är årets lagstadgade delårsrapport (6–8 månader, LKBR 13 kap) "
      "med 'lagstadgad: true', och bara den.")
_kind("config-statutory-length", VARNING, "Lagstadgad delårsrapport har fel längd",
      "Perioden {period} är markerad som lagstadgad delårsrapport men omfattar {months} "
      "månader ({start}–{end}).",
      "Den lagstadgade delårsrapporten ska omfatta hälften till två tredjedelar av året (6–8 "
      "månader, LKBR 13 kap); kontrollera 'från' och 'till' eller flytta 'lagstadgad: true'.")

# Incoming workbook files refused before they are opened (workbook/safety.py)
_kind("file-missing", FEL, "Filen finns inte",
      "Filen finns inte.",
      "Kontrollera filnamnet och att filen ligger i rätt mapp.")
_kind("file-is-directory", FEL, "Mapp i stället för fil",
      "Det här är en mapp, inte en fil.",
      "Ange själva filen (inte mappen den ligger i), eller flytta filerna ur undermappen.")
_kind("file-symlink", FEL, "Länk i stället för fil",
      "Filen är en symbolisk länk (genväg) och inte en vanlig fil.",
      "Kopiera själva Excel-filen till mappen i stället för en länk till den.")
_kind("file-empty", FEL, "Filen är tom",
      "Filen är tom (0 byte).",
      "Filen har troligen inte sparats eller kopierats färdigt. Spara arbetsboken i Excel "
      "och skicka den igen.")
_kind("file-too-large", FEL, "Filen är för stor",
      "Filen är {size_mb} MB; högst {max_mb} MB tas emot.",
      "Ta bort bilder och blad som inte hör till styrkortet, spara och skicka filen igen.")
_kind("file-encrypted", FEL, "Filen är lösenordsskyddad",
      "Filen är krypterad med lösenord och kan inte läsas.",
      "Ta bort lösenordet i Excel (Arkiv > Info > Skydda arbetsbok > Kryptera med lösenord), "
      "spara och skicka filen igen. Bladskydd utan lösenord går bra.")
_kind("file-xls", FEL, "Gammalt Excel-format",
      "Filen är i det gamla Excel-formatet (.xls, Excel 97–2003).",
      "Spara filen som Excel-arbetsbok (.xlsx) och skicka den igen.")
_kind("file-not-xlsx", FEL, "Inte en Excel-arbetsbok",
      "Filen är ingen Excel-arbetsbok; den ser ut att vara {looks_like}.",
      "Skicka den ifyllda styrkortsfilen. Har den öppnats i ett annat program: spara den som "
      "Excel-arbetsbok (.xlsx) och skicka den igen.")
_kind("file-corrupt", FEL, "Filen är skadad",
      "Filen är skadad eller ofullständig: {reason}.",
      "Filen har troligen inte kopierats eller sparats färdigt. Öppna den i Excel och spara "
      "den som Excel-arbetsbok (.xlsx), eller skicka en ny kopia.")
_kind("file-ods", FEL, "OpenDocument-kalkylblad",
      "Filen är ett OpenDocument-kalkylblad (.ods), inte en Excel-arbetsbok.",
      "Välj Arkiv > Spara som och filtypen Excel 2007–365 (.xlsx) och skicka filen igen.")
_kind("file-xlsm", FEL, "Arbetsbok med makron",
      "Filen är en makroaktiverad arbetsbok (.xlsm) och kan innehålla makron (VBA).",
      "Spara filen som Excel-arbetsbok (.xlsx) utan makron och skicka den igen.")
_kind("file-zip-bomb", FEL, "Filen är orimligt stor uppackad",
      "Filen packas upp till orimligt mycket data och läses inte av säkerhetsskäl ({detail}).",
      "Spara arbetsboken som Excel-arbetsbok (.xlsx) och skicka den igen. Kontakta IT om "
      "filen inte kommer från er egen enhet.")
_kind("file-xml-entities", FEL, "Otillåten XML i filen",
      "Delen {part} i filen innehåller XML-definitioner (DOCTYPE/ENTITY) som Excel aldrig "
      "skriver och som kan användas för attacker; filen läses inte.",
      "Spara arbetsboken som Excel-arbetsbok (.xlsx) och skicka den igen. Kontakta IT om "
      "filen inte kommer från er egen enhet.")
_kind("file-too-large-sheet", FEL, "Arbetsboken är för stor",
      "Arbetsboken är för stor för att läsas: {detail}.",
      "Ta bort överflödiga blad och innehåll eller formatering långt utanför tabellen "
      "(markera tomma rader och kolumner och välj Ta bort), spara och skicka filen igen.")

# PDF (documents/pdf.py)
_kind("pdf-libreoffice-missing", VARNING, "LibreOffice saknas",
      "LibreOffice saknas, PDF skapades inte; Word-filerna finns ({count} st).",
      "Installera LibreOffice och python3-uno (Debian/Ubuntu: 'apt-get install "
      "libreoffice-writer-nogui python3-uno') eller ange sökvägen till soffice i "
      "miljövariabeln REPORTKIT_SOFFICE, och kör sedan PDF-steget igen.")
_kind("pdf-conversion-failed", FEL, "PDF kunde inte skapas",
      "{document} kunde inte göras om till PDF: {reason}.",
      "Kontrollera att dokumentet går att öppna i Word eller LibreOffice och kör sedan igen; "
      "kvarstår felet, skicka dokumentet till den som förvaltar reportkit.")
_kind("pdf-toc-not-updated", VARNING, "Innehållsförteckningen uppdaterades inte",
      "{document}: innehållsförteckningen i PDF-filen uppdaterades inte ({reason}); "
      "sidnumren kan saknas eller vara fel.",
      "Installera python3-uno så att reportkit kan uppdatera förteckningen, eller uppdatera "
      "den i Word (markera den och tryck F9) och skapa PDF igen.")
_kind("pdf-title-missing", VARNING, "Dokumenttitel saknas",
      '{document} har ingen titel i dokumentegenskaperna; PDF-filen fick titeln "{used}".',
      "Ange titel i Word-mallen (Arkiv → Info → Egenskaper → Titel) och skapa PDF igen.")
_kind("pdf-validation-failed", VARNING, "PDF uppfyller inte standarden",
      "{document} uppfyller inte {standard}: regel {rule} ({detail}).",
      "{action}")
_kind("pdf-unreadable", FEL, "PDF-filen kan inte läsas",
      "{document} kan inte läsas som PDF: {reason}.",
      "Kontrollera att det är en hel PDF-fil; skapa den igen om skrivningen avbröts.")

# Word documents from templates (documents/render.py, sections.py, context.py)
_kind("templates-folder-missing", VARNING, "Mallmappen finns inte",
      "dokument: mallar: pekar på {folder}, som inte finns; dokumenten görs med de inbyggda "
      "mallarna.",
      "Kör reportkit mallar för att kopiera de inbyggda mallarna dit, eller rätta sökvägen "
      "under dokument: mallar: i styrmodellen.")
_kind("templates-file-missing", VARNING, "Mallar saknas i kommunens mallmapp",
      "{folder} saknar {templates}; för dem används de inbyggda mallarna.",
      "Kör reportkit mallar: det kopierar de mallar som saknas och skriver inte över "
      "kommunens egna.")
_kind("template-lacks-variables", VARNING, "Kommunens mall saknar nya uppgifter",
      "Mallen {template} saknar {names}, som mallen i reportkit {version} har; det kommer "
      "inte med i dokumentet.",
      "Lägg in dem i kommunens mall i Word (reportkit mallar --visa visar var de inbyggda "
      "mallarna finns), eller ersätt mallen med reportkit mallar --skriv-över och gör om "
      "kommunens ändringar.")
_kind("stylesheet-style-missing", VARNING, "Stilmallen saknar en formatmall",
      'Stilmallen {stylesheet} saknar formatmallen "{style}", som mallen {template} använder; '
      "där gäller mallens egen formatmall, så den delen ser inte ut som resten.",
      'Öppna {stylesheet} i Word och lägg till formatmallen "{style}" (Start → Formatmallar → '
      "Ny formatmall, med exakt det namnet), eller byt formatmall i mallen {template}.")
_kind("stylesheet-footer-kept", VARNING, "Stilmallens sidfot används inte",
      "Sidfoten i stilmallen {stylesheet} har {reason}, som inte kan flyttas till dokumenten; "
      "de får mallarnas egna sidfötter.",
      "Ta bort det ur stilmallens sidfot (text och sidnummer går bra), eller lägg det i "
      "sidfoten i varje mall och ta bort sidfoten ur stilmallen.")
_kind("stylesheet-unreadable", FEL, "Stilmallen kan inte öppnas",
      "Stilmallen {stylesheet} kan inte öppnas som Word-dokument: {reason}.",
      "Öppna stilmallen i Word och spara den som Word-dokument (.docx), eller ta bort den "
      "ur mallmappen och kör reportkit mallar för att få den inbyggda.")
_kind("template-missing", FEL, "Mallen finns inte",
      "Mallen {template} finns inte (sökt i {searched}).",
      "Kontrollera mallmappen i styrmodellen, eller ta bort inställningen så används "
      "reportkits inbyggda mallar.")
_kind("template-unreadable", FEL, "Mallen kan inte öppnas",
      "Mallen {template} kan inte öppnas som Word-dokument: {reason}.",
      "Öppna mallen i Word och spara den som Word-dokument (.docx).")
_kind("template-syntax", FEL, "Fel i en tagg i mallen",
      'Mallen {template} (i {folder}) har ett fel i taggen {tag}: {reason}. Stycket: "{near}".',
      "Öppna mallen i Word och rätta taggen: varje for- och if-tagg behöver sin endfor- "
      "eller endif-tagg, och en variabeltagg måste stängas med två klammerparenteser. Se "
      "README.md bland de inbyggda mallarna (reportkit mallar --visa visar var de finns).")
_kind("template-unknown-variable", FEL, "Okänd variabel i mallen",
      'Mallen {template} (i {folder}) använder variabeln "{variable}", som inte finns i '
      'dokumentet (nära texten "{near}").',
      "Rätta stavningen enligt listan i README.md bland de inbyggda mallarna (reportkit "
      "mallar --visa visar var de finns) eller ta bort taggen i Word.")
_kind("template-unknown-field", FEL, "Okänt fält i mallen",
      'Mallen {template} använder fältet "{field}", som inte finns ({reason}); nära texten '
      '"{near}".',
      "Rätta stavningen enligt listan i README.md bland de inbyggda mallarna (reportkit "
      "mallar --visa visar var de finns) eller ta bort taggen i Word.")
_kind("template-render-failed", FEL, "Dokumentet kunde inte skapas",
      "Mallen {template} kunde inte fyllas i: {reason}.",
      "Kontrollera taggarna i mallen mot templates/docx/README.md.")
_kind("template-unsafe", FEL, "Otillåten tagg i mallen",
      'Mallen {template} försöker göra något som inte är tillåtet i en mall ({reason}) nära '
      'texten "{near}". Ingenting av det kördes och inget dokument skrevs.',
      "En mall får bara visa dokumentets värden med variabeltaggar, for och if; namn som börjar "
      "med understreck (som __class__) och Pythons inre delar är aldrig tillåtna. Ta bort "
      "taggen i Word och fråga den som ändrade mallen varifrån den kommer.")
_kind("template-too-large", FEL, "Mallen gör dokumentet för stort",
      'Mallen {template} gör dokumentet för stort ({reason}) nära texten "{near}". Inget '
      "dokument skrevs.",
      "Ta bort eller begränsa taggen i Word: en loop får gå över högst 100 000 värden och varje "
      "del av dokumentet får bli högst 50 MB text.")
_kind("template-timeout", FEL, "Mallen tog för lång tid",
      'Mallen {template} blev inte klar inom {seconds} sekunder och avbröts (nära texten '
      '"{near}"). Inget dokument skrevs.',
      "Leta efter loopar i varandra eller upprepningar i mallen och ta bort dem i Word. Behöver "
      "ett mycket stort dokument mer tid: sätt miljövariabeln REPORTKIT_MALL_TIDSGRANS till "
      "antalet sekunder.")
_kind("template-time-limit-invalid", FEL, "Felaktig tidsgräns för mallar",
      "Tidsgränsen för mallar, {variable}={value}, är inget positivt antal sekunder.",
      "Sätt {variable} till ett antal sekunder, till exempel 120, eller ta bort den så gäller "
      "60 sekunder.")
_kind("decision-template-refused", FEL, "Den beslutade versionens mall godtas inte",
      "Beslutad version {decision} ({label}) kan inte skapas: mallen {template} som sparades "
      "med beslutet godtas inte längre (se felet nedan). Inget dokument skrevs.",
      "Skapa utkastet utan --version, eller rätta mallen i Word, ångra beslutet med 'reportkit "
      "beslut --ångra {decision} --skäl \"...\"' och besluta igen med den rättade mallen.")
_kind("section-text-missing", VARNING, "Text saknas",
      'Texten till avsnittet "{section}" saknas; dokumentet visar en markerad platshållare.',
      "Skriv texten i {path} och skapa dokumentet igen.")
_kind("section-text-unreadable", VARNING, "Textfilen kan inte läsas",
      'Textfilen till avsnittet "{section}" kan inte läsas ({reason}); dokumentet visar en '
      "markerad platshållare.",
      "Öppna {path} i Word, spara den som Word-dokument (.docx) och skapa dokumentet igen.")
_kind("decision-source-changed", VARNING, "Underlaget har ändrats efter beslutet",
      "{file} har ändrats sedan beslutet {label}; den beslutade versionen visar filen som den är "
      "nu och blir inte exakt som den beslutades.",
      "Lägg tillbaka filen som den var vid beslutet och skapa dokumentet igen, eller spara den "
      "nya filen under ett annat namn.")
_kind("document-edited-kept", VARNING, "Dokumentet var ändrat – den ändrade filen är sparad",
      "{file} har ändrats sedan reportkit skrev det {written}; den ändrade filen är sparad som "
      "{kept} och {file} är skapat på nytt.",
      "För över det som skrevs i {kept} till texterna i texter/ (så kommer det med nästa gång) "
      "eller till det nya dokumentet innan det skickas.")
_kind("document-pdf-stale", VARNING, "PDF:en är äldre än dokumentet",
      "{pdf} är gjord från en äldre version av {file} och visar inte det som nu står i "
      "dokumentet.",
      "Skapa PDF:en igen med reportkit render --pdf, eller ta bort {pdf} så att den gamla "
      "inte skickas av misstag.")
_kind("unit-mission-missing", VARNING, "Uppdrag saknas för en nämnd",
      "Uppdraget för {unit} saknas; dokumentet visar en markerad platshållare.",
      "Skriv nämndens uppdrag under uppdrag: för {committee} i styrmodellen och skapa "
      "dokumentet igen.")
_kind("document-data-missing", VARNING, "Uppgifter saknas i dokumentet",
      'Tabellen "{table}" har inga uppgifter för {period}; dokumentet visar en markerad '
      "platshållare.",
      "Lägg ekonomiavdelningens eller HR-avdelningens export i data/{period}/ (se "
      "docs/exporter.md), kör reportkit consolidate och skapa dokumentet igen.")
_kind("document-politics-missing", VARNING, "Mandatfördelningen saknas",
      'Avsnittet "Politisk organisation" i {document} visar en markerad platshållare: '
      "styrmodellen har ingen mandatfördelning.",
      "Skriv partierna och deras mandat under politik: mandatfördelning: i styrmodellen (se "
      "docs/styrmodell.md), eller ta bort politisk_organisation ur avsnitt.yaml.")
_kind("document-data-export-missing", VARNING, "Exporten saknas",
      'Tabellen "{table}" har inga uppgifter för {period}: exporten {file} finns inte; '
      "dokumentet visar en markerad platshållare.",
      "Lägg exporten – {what} – i data/{period}/ under det namnet (se docs/exporter.md), kör "
      "reportkit consolidate -p {period} och skapa dokumentet igen.")
_kind("document-data-not-loaded", VARNING, "Exporten är inte inläst",
      'Tabellen "{table}" har inga uppgifter för {period}: {file} finns men är inte inläst '
      "(consolidate har inte körts sedan filen kom); dokumentet visar en markerad "
      "platshållare.",
      "Kör reportkit consolidate -p {period} och skapa dokumentet igen.")
_kind("document-data-export-fel", VARNING, "Exporten har fel",
      'Tabellen "{table}" har inga uppgifter för {period}: {file} har fel och används inte '
      "({first}); dokumentet visar en markerad platshållare.",
      "Rätta filen (reportkit consolidate -p {period} visar alla fel med rad och kolumn), kör "
      "consolidate igen och skapa dokumentet igen.")
_kind("document-no-submissions", VARNING, "Inga styrkort är inlästa",
      "Inga styrkort är inlästa för {period}; varje mål som mäts med styrkort blir "
      "'{label}'.",
      "Lägg de ifyllda styrkorten i inkommet/{period}/, kör reportkit consolidate -p {period} "
      "och skapa dokumentet igen.")
_kind("document-inbox-not-consolidated", VARNING, "Styrkort som inte är sammanställda",
      "{count} fil(er) i inkommet/{period}/ har kommit eller ändrats sedan consolidate kördes "
      "({files}) och finns inte med i dokumentet.",
      "Kör reportkit consolidate -p {period} och skapa dokumentet igen.")
_kind("sections-config-unknown", FEL, "Okänt avsnitt i avsnitt.yaml",
      '{file} slår på avsnittet "{name}" för {document} ({period_type}), men det finns inte.',
      "Använd avsnitten {known}, eller ta bort raden.")
_kind("document-period-mismatch", FEL, "Dokumentet passar inte perioden",
      "{document} görs för perioder av typen {expected}, men {period} är av typen {found}.",
      "Välj en period av rätt typ med --period, t.ex. {example}.")
_kind("unit-text-missing", VARNING, "Text saknas för en nämnd",
      'Texten "{section}" för {unit} saknas; dokumentet visar en markerad platshållare.',
      "Be {unit} fylla i texten i styrkortet (bladet Texter), eller skriv den i Word-"
      "dokumentet innan det skickas.")

# Workbook content (reportkit check)
_kind("wb-not-reportkit", FEL, "Inte ett styrkort från reportkit",
      "Filen saknar reportkits informationsblad (_meta) och är inte ett styrkort från reportkit.",
      "Fyll i arbetsboken du fick från styrkortssamordnaren och skicka den, inte en egen kopia.")
_kind("wb-meta-damaged", FEL, "Styrkortets informationsblad är ändrat",
      "Det dolda bladet _meta, som beskriver styrkortet, är ändrat och kan inte läsas "
      "({reason}). Inget ur filen lästes in.",
      "Fyll i en ny kopia av styrkortet du fick från styrkortssamordnaren (för över dina "
      "uppgifter) och skicka den. Bladet _meta ska inte ändras.")
_kind("wb-template-version", FEL, "Gammal version av styrkortet",
      "Styrkortet är gjort med mallversion {found}; den här versionen av reportkit läser "
      "{expected}.",
      "Be styrkortssamordnaren om ett nytt styrkort och för över dina uppgifter till det.")
_kind("wb-wrong-period", FEL, "Fel period",
      "Styrkortet gäller perioden {found}, men det som sammanställs är {expected}.",
      "Lägg filen i mappen inkommet/{found}/ eller be enheten fylla i styrkortet för {expected}.")
_kind("wb-unknown-unit", FEL, "Okänd enhet",
      "Styrkortet gäller enheten '{unit}', som inte finns i styrmodellen.",
      "Kontrollera att styrkortet kommer från rätt kommun och år, eller lägg till enheten.")
_kind("wb-duplicate-unit", VARNING, "Två styrkort från samma enhet",
      "Både {file} och {other} gäller {unit}; den senast ändrade filen ({used}) används.",
      "Ta bort den fil som inte gäller ur inkommet-mappen.")
_kind("wb-unit-mismatch", FEL, "Styrkortet gäller en annan enhet",
      "Styrkortet säger att det gäller {unit}, men {item} hör inte till {unit} i "
      "styrmodellen ({owner}). Filen lästes inte in.",
      "Styrkortet har ändrats för hand eller hör till en annan enhet. Be enheten fylla i sitt "
      "eget styrkort från utskicket och skicka det; {unit}s inlämning i lagret är orörd.")
_kind("wb-file-name-unit", VARNING, "Filnamnet pekar på en annan enhet",
      "Filnamnet {name} pekar på {named}, men styrkortet i filen gäller {unit}.",
      "Styrkortet läses in för {unit}. Kontrollera att rätt fil sparades under namnet; "
      "gäller den {unit}, byt namn på filen så att den inte förväxlas med {named}s.")
_kind("wb-file-changed-unit", VARNING, "Filen innehåller nu en annan enhets styrkort",
      "Filen {name} innehöll tidigare styrkortet för {before} och innehåller nu styrkortet "
      "för {unit}.",
      "{before}s inlämning från den tidigare versionen av filen gäller fortfarande. Spara "
      "varje enhets styrkort under ett eget namn och lägg tillbaka {before}s fil om den "
      "skrevs över av misstag.")
_kind("wb-nothing-filled", VARNING, "Inget är ifyllt",
      "Styrkortet har inga ifyllda uppgifter: alla gula celler är tomma.",
      "Fyll i de gula cellerna (utfall, bedömning, analys, aktiviteter, texter) innan du "
      "skickar; skickas det tomt räknas det som inlämnat men utan innehåll.")
_kind("wb-sheet-missing", FEL, "Blad saknas",
      "Bladet '{sheet}' saknas. Det kan ha bytt namn eller tagits bort.",
      "Ge bladet tillbaka namnet '{sheet}', eller fyll i ett nytt styrkort.")
_kind("wb-header-changed", FEL, "Kolumnerna har ändrats",
      "Rubriken är '{found}' men ska vara '{expected}': kolumner har flyttats, lagts till "
      "eller tagits bort.",
      "Ångra ändringen av kolumnerna, eller fyll i ett nytt styrkort.")
_kind("wb-row-mismatch", FEL, "Raderna har ändrats",
      "Raden ska gälla {expected} men gäller '{found}': rader har lagts till, tagits bort "
      "eller flyttats i tabellen.",
      "Ångra ändringen så att raderna står som i det utskickade styrkortet.")
_kind("wb-locked-changed", FEL, "Låst uppgift ändrad",
      "Cellen ska innehålla {expected} men innehåller {found}. Den är låst och beslutad "
      "ovanför enheten.",
      "Ändra tillbaka värdet. Tycker du att uppgiften är fel, kontakta styrkortssamordnaren.")
_kind("wb-protection-removed", VARNING, "Bladskyddet är borttaget",
      "Bladet '{sheet}' är inte längre skyddat.",
      "Inget är förlorat, men kontrollera att inga låsta uppgifter har ändrats.")
_kind("cell-not-number", FEL, "Inte ett tal",
      "'{value}' är inte ett tal.",
      "Skriv bara talet, till exempel 85 eller 1 234,5 (procent: 85 eller 85 %).")
_kind("cell-not-yes-no", FEL, "Inte ja eller nej",
      "'{value}' är inte ja eller nej.",
      "Välj Ja eller Nej i listan (ja, nej, sant, falskt, 1 och 0 går också bra).")
_kind("cell-ambiguous-number", FEL, "Talet kan tolkas på två sätt",
      "'{value}' kan betyda {first} eller {second}.",
      "Skriv talet så att det bara kan läsas på ett sätt: {advice}.")
_kind("cell-not-date", FEL, "Inte ett datum",
      "'{value}' är inte ett datum.",
      "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15.")
_kind("cell-invalid-choice", FEL, "Värdet finns inte i listan",
      "'{value}' är inte ett av alternativen ({choices}).",
      "Välj ett värde i listan i cellen.")
_kind("cell-formula-in-input", FEL, "Formel i stället för värde",
      "Cellen innehåller formeln {formula}{cached}.",
      "Skriv in själva värdet i stället för en formel (kopiera och klistra in som värde).")
_kind("cell-error-value", FEL, "Felvärde i cellen",
      "Cellen innehåller felvärdet {value}.",
      "Rätta formeln eller skriv in värdet direkt.")
_kind("assessment-needs-motivation", VARNING, "Motivering saknas",
      "Bedömningen '{assessment}' skiljer sig från förslaget '{proposal}' men saknar motivering.",
      "Skriv en motivering i kolumnen Motivering på samma rad.")
_kind("indicator-not-measured", VARNING, "Utfall saknas",
      "Indikatorn {indicator} har inget utfall och redovisas som Ej mätt.",
      "Skriv utfallet, eller låt cellen vara tom om mätningen inte är gjord.")
_kind("indicator-gender-without-total", VARNING, "Utfall per kön utan totalt",
      "Indikatorn {indicator} har utfall för {groups} men inget totalt utfall; den redovisas "
      "som Ej mätt.",
      "Skriv totalen i Utfall: det är den som bedöms mot målvärdet. Totalen är inte alltid "
      "medelvärdet av grupperna, så reportkit räknar inte fram den.")
_kind("indicator-not-applicable-motivation", VARNING, "Ej aktuell utan motivering",
      "Indikatorn {indicator} är markerad Ej aktuell utan motivering.",
      "Skriv varför indikatorn inte gäller enheten efter Ej aktuell i kommentaren, t.ex. "
      "'Ej aktuell: enheten har inga elever i årskurs 9'.")
_kind("indicator-share-out-of-range", VARNING, "Orimlig andel",
      "Utfallet {value} för {indicator} ligger utanför 0–100 %, men indikatorn är en andel.",
      "Kontrollera värdet (ett decimaltecken eller en siffra för mycket?). Kan indikatorn "
      "bli över 100 %, som en självfinansieringsgrad, skriv andel: false för den i "
      "styrmodellen.")
_kind("indicator-negative-count", VARNING, "Negativt antal",
      "Utfallet {value} för {indicator} är negativt, men indikatorn är ett antal.",
      "Kontrollera värdet; ett antal kan inte vara mindre än noll.")
_kind("indicator-far-from-previous", VARNING, "Långt från förra året",
      "Utfallet {value} för {indicator} är mer än {factor} gånger större eller mindre än "
      "förra årets {previous}.",
      "Kontrollera värdet och måttenheten (procent, tusental). Stämmer det, förklara "
      "förändringen i kommentaren. Gränsen är bedömning.rimlighetsfaktor i styrmodellen.")
_kind("activity-end-before-start", FEL, "Slutdatum före startdatum",
      "Aktiviteten slutar {end}, före sitt startdatum {start}.",
      "Rätta start- eller slutdatum.")
_kind("activity-incomplete", VARNING, "Aktiviteten är inte komplett",
      "Aktiviteten på rad {row} saknar {missing}.",
      "Fyll i de saknade uppgifterna på raden.")
_kind("control-missing", VARNING, "Resultat saknas",
      "Kontrollmomentet {id} har inget resultat.",
      "Välj resultatet i listan, eller {not_done} om kontrollen inte gjordes.")
_kind("control-no-action", FEL, "Avvikelse utan åtgärd",
      "Kontrollmomentet {id} har resultatet {result} men ingen åtgärd.",
      "Skriv åtgärden i kolumnen Åtgärd, vem som ansvarar för den och när den ska vara klar.")
_kind("control-no-date", FEL, "Datum saknas för kontrollen",
      "Kontrollmomentet {id} har resultatet {result} men inget datum.",
      "Skriv datum då kontrollen gjordes (ÅÅÅÅ-MM-DD).")
_kind("assignment-missing", VARNING, "Status saknas",
      "Uppdraget {id} har ingen status.",
      "Välj status i listan.")
_kind("assignment-no-date", FEL, "Datum saknas för genomfört uppdrag",
      "Uppdraget {id} har status {status} men inget datum.",
      "Skriv datum då uppdraget blev genomfört (ÅÅÅÅ-MM-DD).")
_kind("assignment-overdue", VARNING, "Uppdraget är försenat",
      "Uppdraget {id} skulle återrapporteras {due} och är inte genomfört; nytt datum saknas.",
      "Skriv ett nytt beräknat datum i kolumnen Datum och förklara i Kommentar.")
_kind("text-truncated", VARNING, "Texten är för lång",
      "Texten från {unit} är {length} tecken; en Excel-cell rymmer högst {limit}, så bara "
      "de första {limit} tecknen lästes in och kommer med i rapporterna.",
      "Korta texten till högst {limit} tecken (det utförliga kan ligga i en bilaga) och "
      "skicka styrkortet igen.")
_kind("text-at-cell-limit", VARNING, "Texten kan vara avkortad",
      "Texten från {unit} är {limit} tecken, exakt så mycket som en Excel-cell rymmer; den "
      "kan ha kortats av när den klistrades in eller sparades.",
      "Kontrollera att texten slutar där den ska. Är något borta: korta texten och skriv in "
      "den igen.")
_kind("text-bidi-removed", VARNING, "Osynliga skrivriktningstecken borttagna",
      "Texten från {unit} innehöll osynliga tecken som styr skrivriktningen ({chars}; "
      "{count} st). De kan vända på texten i rapporten och togs bort.",
      "Kontrollera att texten ser rätt ut. Tecknen följer ofta med när text klistras in från "
      "webben eller e-post; skriv in texten utan dem för att slippa varningen.")
# Exports from the ekonomisystem and HR system (reportkit/sources)
_kind("export-missing", VARNING, "Exportfil saknas",
      "Filen {name} finns inte i {folder}; {what} redovisas inte för perioden.",
      "Lägg exporten i mappen, eller ange filnamnet under '{setting}' i data/import.yaml.")
_kind("export-empty", FEL, "Exportfilen är tom",
      "Filen innehåller ingen rubrikrad eller inga rader med värden.",
      "Ta en ny export ur systemet och spara den över den tomma filen.")
_kind("export-column-missing", FEL, "Kolumn saknas i exporten",
      "Kolumnen '{column}' saknas; filen har kolumnerna {found}.",
      "Exportera med kolumnen '{column}', eller ange filens kolumnnamn under '{setting}' i "
      "data/import.yaml.")
_kind("export-not-number", FEL, "Text där ett tal ska stå",
      "'{value}' är inte ett tal.",
      "Skriv talet med siffror, decimalkomma och gärna mellanslag mellan tusental, till "
      "exempel -1 234,5; ta bort text och enheter ur cellen.")
_kind("export-unknown-ansvar", FEL, "Okänd ansvarskod",
      "Ansvarskoden '{ansvar}' finns inte i styrmodellens organisation.",
      "Lägg till koden under 'ansvar' för rätt nämnd eller verksamhet i styrmodellen, eller "
      "rätta exporten.")
_kind("export-unknown-unit", FEL, "Okänt bolag",
      "'{name}' finns inte bland bolagen i styrmodellen ({known}).",
      "Skriv bolagets id eller namn som i styrmodellen, eller lägg till bolaget där.")
_kind("export-total-mismatch", FEL, "Raderna summerar inte till totalen",
      "{what}: raderna summerar till {sum} men totalraden har {total} (skillnad {diff}).",
      "Kontrollera att exporten är hel och tagen ur en och samma körning; ta en ny export "
      "om en rad saknas eller har ändrats för hand.")
_kind("export-period-mismatch", FEL, "Exporten gäller fel period",
      "Filen gäller {found}, men perioden {period} väntar {expected}.",
      "Ta en ny export för rätt period, eller ange periodens text under 'perioder' i "
      "data/import.yaml.")
_kind("export-duplicate-row", FEL, "Raden finns två gånger",
      "{what} finns redan på rad {first}.",
      "Ta bort den ena raden, eller ta en ny export ur systemet.")
_kind("export-invalid-value", FEL, "Otillåtet värde i exporten",
      "'{value}' är inte tillåtet här: {reason}.",
      "Skriv {expected}.")
# Kolada (reportkit kolada; sources/kolada_api.py, outputs/kolada.py; issue 31)
_kind("kolada-no-network", FEL, "Kolada kan inte nås",
      "Kolada svarade inte på {url}: {reason}.",
      "Kontrollera nätverket (och en proxy) och kör 'reportkit kolada hämta' igen; "
      "värdena från förra hämtningen finns kvar.")
_kind("kolada-http-error", FEL, "Kolada svarade med ett fel",
      "Kolada svarade {status} på {url}.",
      "{advice}")
_kind("kolada-kpi-removed", VARNING, "Nyckeltalet finns inte i Kolada",
      "Kolada känner inte till nyckeltalet {kpi} (indikator {indicator}); det kan ha tagits "
      "bort eller bytt id.",
      "Sök nyckeltalet på kolada.se och skriv det nya id:t under 'kolada:' i styrmodellen, "
      "eller ta bort id:t.")
_kind("kolada-empty", VARNING, "Kolada svarade utan värden",
      "Kolada gav inga värden för {what} ({url}).",
      "Ett tomt svar betyder oftast en felstavad parameter eller ett år som ännu inte har "
      "data; kontrollera id:n och år.")
_kind("kolada-bad-answer", FEL, "Kolada svarade något oväntat",
      "Svaret på {url} kunde inte läsas: {reason}.",
      "Kör 'reportkit kolada hämta' igen; kvarstår felet kan Koladas API ha ändrats.")
_kind("kolada-no-kommunkod", FEL, "Kommunkod saknas",
      "Styrmodellen anger ingen kommunkod, så reportkit vet inte vilken kommun som ska "
      "hämtas ur Kolada.",
      "Skriv kommunens fyrsiffriga kod under kommun: kommunkod: i styrmodellen.")
_kind("kolada-group-missing", FEL, "Jämförelsegruppen hittades inte",
      "Kolada har ingen grupp '{title}'.",
      "Kontrollera kolada: aspekt och gruppår i styrmodellen (aspekterna står på kolada.se "
      "under Liknande kommuner), eller ange kommunerna med kolada: kommuner.")
_kind("kolada-unknown-municipality", FEL, "Okänd kommun",
      "'{name}' under kolada: kommuner är ingen kommun i Kolada.",
      "Skriv kommunkoden (fyra siffror) eller kommunens namn som Kolada skriver det.")
_kind("kolada-nothing-to-fetch", VARNING, "Inga Kolada-id",
      "Ingen indikator i styrmodellen har ett Kolada-id.",
      "Skriv nyckeltalets id under 'kolada:' (eller under källa: kolada:) på indikatorerna "
      "som finns i Kolada.")

# The kommunal koncern (koncern.csv, docs/koncern.md)
_kind("koncern-unknown-company", FEL, "Okänt koncernföretag",
      "'{name}' är varken kommunen eller ett koncernföretag under koncern.företag ({known}).",
      "Skriv företagets id eller namn som under koncern.företag i data/import.yaml, eller "
      "lägg till företaget där; kommunens egna rader har texten under koncern.kommunen.")
_kind("koncern-unbalanced", FEL, "Balansräkningen balanserar inte",
      "{company}: tillgångarna är {assets} tkr men eget kapital, avsättningar och skulder "
      "{other} tkr (skillnad {diff}).",
      "Ta företagets balansräkning ur samma bokslut som resultaträkningen och kontrollera att "
      "ingen post saknas eller har fel tecken (balansräkningens belopp skrivs positiva).")
_kind("koncern-company-incomplete", VARNING, "Koncernföretaget saknar uppgifter",
      "{company} ska ingå i koncernen men exporten saknar {missing}.",
      "Lägg till företagets rader i exporten, eller ange 'ingår: false' med 'skäl' under "
      "koncern.företag i data/import.yaml om företaget är av ringa betydelse.")
_kind("koncern-internal-mismatch", VARNING, "Interna poster stämmer inte mellan parterna",
      "{first} och {second} redovisar olika interna poster i {statement}: skillnad {diff} "
      "tkr efter ägd andel ({rows}).",
      "Stäm av de interna mellanhavandena mellan parterna; skillnaden står kvar som "
      "elimineringsdifferens i de sammanställda räkenskaperna.")
_kind("koncern-below-threshold", VARNING, "Inget kommunalt koncernföretag",
      "{company} har röstandel {votes} %, under gränsen {threshold} %, och konsolideras inte.",
      "Ta bort företaget under koncern.företag i data/import.yaml, eller rätta röstandelen "
      "i exporten.")
# Next year's styrmodell and what changed (reportkit nytt-år, reportkit diff)
_kind("next-year-exists", FEL, "Nästa års styrmodell finns redan",
      "Styrmodellen för {year} finns redan; den skrivs inte över.",
      "Ändra i den filen, eller kör 'reportkit nytt-år --skriv-över' för att göra om den "
      "från förra årets (det som skrivits i den går förlorat).")
_kind("next-year-invalid", FEL, "Nästa års styrmodell gick inte att göra",
      "Den nya filen blev inte giltig: {reason}",
      "Inget skrevs. Rätta årets styrmodell ('reportkit validate') och försök igen; skicka "
      "annars filen till den som förvaltar reportkit.")
_kind("diff-no-sent", FEL, "Ingen styrmodell sparad från utskicket",
      "Styrkorten för {period} gjordes innan reportkit sparade styrmodellen vid utskick.",
      "Jämför i stället två år ('reportkit diff 2026 2027'), eller skapa styrkorten igen "
      "med 'reportkit workbooks -p {period}'.")
# The organisation list for 'reportkit init --organisation' (reportkit/sources/organisation.py)
_kind("org-empty", FEL, "Organisationslistan är tom",
      "Listan har ingen rubrikrad eller inga rader under den.",
      "Första raden ska ha rubrikerna id, namn, typ, förälder, chef, e-post och ansvar, "
      "och varje rad under den en nämnd, ett bolag, en verksamhet eller en enhet.")
_kind("org-column-missing", FEL, "Kolumn saknas i organisationslistan",
      "Kolumnen '{column}' saknas; listan har kolumnerna {found}.",
      "Lägg till kolumnen med rubriken '{column}' på första raden (kolumnerna är id, namn, "
      "typ eller nivå, förälder, chef, e-post och ansvar).")
_kind("org-value-missing", FEL, "Uppgift saknas i organisationslistan",
      "Kolumnen {column} är tom.",
      "Fyll i {column} på raden, eller ta bort raden.")
_kind("org-parent-missing", FEL, "Förälder saknas i organisationslistan",
      "En {kind} står utan förälder.",
      "Skriv id för nämnden eller verksamheten som den hör till; bara en nämnd, styrelse, "
      "ett bolag eller kommunalförbund står utan förälder.")
_kind("org-invalid-value", FEL, "Otillåtet värde i organisationslistan",
      "'{value}' är inte tillåtet: {reason}.",
      "Skriv {expected}.")
_kind("org-duplicate-id", FEL, "Samma id två gånger i organisationslistan",
      "id '{value}' finns redan på rad {first}.",
      "Varje id måste vara unikt; byt id på den ena raden.")
_kind("org-parent-unknown", FEL, "Föräldern finns inte i organisationslistan",
      "'{value}' finns inte som id på någon rad.",
      "Skriv id för raden ovanför i organisationen (en nämnd eller verksamhet), eller lämna "
      "cellen tom för en nämnd.")
_kind("org-parent-kind", FEL, "Fel förälder i organisationslistan",
      "En {kind} kan inte stå under '{value}' ({parent_kind}).",
      "En verksamhet står under en nämnd, en enhet under en verksamhet eller nämnd, ett "
      "dotterbolag under ett bolag; en nämnd har ingen förälder.")
_kind("org-mixed-children", FEL, "Både verksamheter och enheter direkt under nämnden",
      "Nämnden '{value}' har både verksamheter och enheter direkt under sig.",
      "Lägg enheten under en av nämndens verksamheter, eller låt nämnden ha bara enheter.")
_kind("org-parent-cycle", FEL, "Bolag som äger varandra i en ring",
      "Raderna pekar på varandra som förälder: {ring}.",
      "Ett av bolagen i ringen är moderbolaget: lämna dess förälder tom.")
_kind("economy-rer-over-limit", VARNING, "Resultatreserven är för stor",
      "Resultatreserven {year} är {reserve} tkr, mer än 5 % av skatteintäkter, generella "
      "statsbidrag och utjämning ({limit} tkr).",
      "Reserven får enligt kommunallagen vara högst 5 %; minska reserveringen eller rätta "
      "nyckeltalen om underlaget är fel.")
_kind("economy-figures-disagree", VARNING, "Siffror som ska stämma överens gör det inte",
      "{what}: {first_place} är {first} ({first_source}) men {second_place} är {second} "
      "({second_source}), skillnad {diff}.",
      "Rätta exporten som är fel och kör 'reportkit consolidate' igen; reglerna står i "
      "docs/avstamningar.md.")
_kind("economy-reconciliation-unexplained", VARNING, "Avstämningen går inte ihop",
      "{title}: {start_place} {start} tkr ({start_source}) och {target_place} {target} tkr "
      "({target_source}) skiljer sig med {diff} tkr som inga namngivna poster förklarar.",
      "Lägg till de poster som förklarar skillnaden som rader {prefix}… i nyckeltal.csv "
      "(docs/exporter.md); tabellen visar under tiden en rad Ej förklarad skillnad.")
_kind("export-not-loaded", FEL, "Exporten är inte inläst",
      "Det finns ingen inläst {what} för perioden {period}.",
      "Lägg exporten i data/{period}/ och kör 'reportkit consolidate --period {period}'.")
_kind("export-figure-unknown", FEL, "Okänd siffra ur exporterna",
      "'{ref}' pekar inte ut någon siffra ur exporterna för perioden {period}.",
      "Skriv typ och id, till exempel {examples}.")
_kind("source-conflict", VARNING, "Två källor för samma indikator",
      "Indikatorn {indicator} har källa {source} i styrmodellen men finansiella_mål i "
      "data/import.yaml säger {figure}; styrmodellens källa används.",
      "Ta bort raden för {indicator} under finansiella_mål (källa i styrmodellen räcker), "
      "eller ändra källa så att de säger samma sak.")

# Decided versions (consolidate/decisions.py, reportkit beslut)
_kind("decision-format", FEL, "Beslutet kan inte läsas",
      "'{text}' är inte ett beslut i formen organ, datum och paragraf.",
      "Skriv beslutet som till exempel \"KF 2027-04-20 § 45\" (datum ÅÅÅÅ-MM-DD).")
_kind("decision-scope-unknown", FEL, "Okänd nämnd",
      "'{scope}' är ingen nämnd eller något bolag i styrmodellen.",
      "Ange nämndens id, en av: {known}; eller utelämna --nämnd för kommunens beslut.")
_kind("decision-exists", FEL, "Redan beslutad",
      "Perioden {period} har redan beslutet {label} (nummer {decision}) för samma del.",
      "Ett beslut ändras inte. Ångra det först med 'reportkit beslut --ångra {decision} "
      "--skäl \"...\"' om det verkligen ska ersättas.")
_kind("decision-nothing", FEL, "Inget att besluta",
      "Det finns inga sammanställda inlämningar för {scope} i perioden {period}.",
      "Kör 'reportkit consolidate' för perioden först.")
_kind("web-no-decision", FEL, "Inget beslut att publicera",
      "Perioden {period} har inget beslut än, och en publicerad webbplats visar bara beslutade "
      "versioner.",
      "Besluta med 'reportkit beslut', eller skapa webbplatsen av utkastet med --utkast (t.ex. "
      "för att granska den före beslutet).")
_kind("web-template-error", FEL, "Webbmallen kan inte användas",
      "Webbmallen {template} kan inte användas: {reason}.",
      "Rätta mallen (rad {line}) eller ta bort den ur mallar/web/ så används den inbyggda.")
_kind("web-file-missing", VARNING, "Fil saknas för webbplatsen",
      "{what} {file} finns inte; webbplatsen säger att den publiceras senare.",
      "Lägg filen där ({file}) och kör reportkit webb igen.")
_kind("decision-unknown", FEL, "Okänt beslut",
      "Beslutet '{ref}' finns inte för perioden {period}. Beslut: {known}.",
      "Ange beslutets nummer eller text så som 'reportkit status' visar det.")
_kind("decision-already-undone", FEL, "Beslutet är redan ångrat",
      "Beslutet {label} ångrades redan {when}.",
      "Inget behöver göras; fatta ett nytt beslut med 'reportkit beslut' vid behov.")
_kind("decision-undo-reason", FEL, "Skäl saknas",
      "Ett beslut ({label}) ångras bara med ett angivet skäl.",
      "Ange skälet med --skäl \"...\"; det sparas med vem som ångrade och när.")

# Changes after utskick (intake/sent.py; docs/bedomning.md)
_kind("wb-changed-after-sent", VARNING, "Styrmodellen har ändrats sedan utskick",
      "{item}: {what} i styrkortet för {unit} är {sent}, men i styrmodellen nu {now}.",
      "Styrkortet skapades före ändringen. Sammanställningen och rapporterna använder "
      "styrmodellens värde (docs/bedomning.md); skapa och skicka ett nytt styrkort med "
      "'reportkit workbooks' om enheten ska svara mot det nya.")

# Earlier years' outcomes (historik/utfall.csv or .xlsx; docs/historik.md)
_kind("history-empty", FEL, "Historikfilen är tom",
      "Filen innehåller ingen rubrikrad och inga värden.",
      "Första raden ska vara rubrikerna år;period;enhet;indikator;utfall och sedan en rad per "
      "värde (se docs/historik.md).")
_kind("history-column-missing", FEL, "Kolumn saknas i historikfilen",
      "Kolumnen '{name}' saknas; filen har kolumnerna {found}.",
      "Första raden ska vara rubrikerna år;period;enhet;indikator;utfall (se docs/historik.md). "
      "Inget ur filen lästes in.")
_kind("history-invalid-value", FEL, "Felaktigt värde i historikfilen",
      "'{value}' är inte {expected}.",
      "Rätta raden i historikfilen; den lästes inte in, men övriga rader gjorde det.")
_kind("history-csv-unreadable", FEL, "Raden kan inte läsas som CSV",
      "Raden kan inte läsas som CSV ({reason}); raderna från och med den lästes inte in.",
      "Öppna filen i Excel och spara den igen som CSV (semikolonavgränsad): ett citattecken "
      "som inte stängs eller ett fält längre än {limit} tecken gör att resten av filen inte "
      "kan läsas.")
_kind("history-duplicate-row", FEL, "Värdet finns två gånger i historiken",
      "Utfallet för {indicator} hos {unit} {year} ({period}) finns redan på rad {first}.",
      "Ta bort den ena raden; värdet från den första raden används.")
_kind("history-unknown-id", VARNING, "Okänt id i historikfilen",
      "'{value}' finns inte i styrmodellen {year} (antal rader: {rows}).",
      "Kontrollera stavningen: id:na måste vara desamma som i styrmodellen för att trenderna "
      "ska hänga ihop. Raderna lästes in men visas inte.")
_kind("history-dropped-id", VARNING, "Id som inte finns kvar i styrmodellen",
      "'{value}' fanns {then} men inte {year} (antal rader: {rows}).",
      "Raderna finns kvar i historiken men visas inte i {year} års styrkort och rapporter. Har "
      "den bara bytt id? Skriv då tidigare_id: {value} vid det nya id:t i styrmodellen {year} "
      "(se docs/styrmodell.md).")
_kind("history-no-store", FEL, "Inget lager att exportera",
      "Projektet {path} har inget lager (reportkit.sqlite) ännu.",
      "Kör 'reportkit consolidate' först; historiken i lagret är det som har konsoliderats.")
_kind("history-store-differs", VARNING, "Historikfilen och det konsoliderade året skiljer sig",
      "Historikfilen har {file_value} för {indicator} hos {unit} {year} ({period}), men det "
      "konsoliderade {source} har {store_value}.",
      "Värdet från {source} används (regeln står i docs/historik.md). Rätta eller ta bort "
      "raden i historikfilen: året finns redan i reportkit.")


@dataclass(frozen=True)
class Location:
    """Where a problem is: a workbook cell, an export row and column, or a config key path.

    Every attribute is optional; ``None`` means "not applicable", and human views show an
    empty cell for it.
    """

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        # a file name as it is shown everywhere (undecodable bytes and control characters
        # escaped): what a location holds goes into JSON, SQLite and terminal lines
        file = self.file
        if file is not None and not (type(file) is str and file.isprintable()):
            object.__setattr__(self, "file", format_path(file))

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in sorted(self.__dict__.items()) if v is not None}

    def describe(self) -> str:
        """A short Swedish position such as ``fil.xlsx, blad Mål, cell F7``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column}")
        if self.key:
            parts.append(self.key)
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem found: its catalogue ``code``, where it is, and the values its texts need."""

    code: str
    location: Location = field(default_factory=Location)
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"unknown error code {self.code!r}")

    @property
    def kind(self) -> Kind:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def is_error(self) -> bool:
        return self.kind.severity == FEL

    @property
    def message(self) -> str:
        return _render(self.kind.message, self.values, self.location)

    @property
    def hint(self) -> str:
        return _render(self.kind.hint, self.values, self.location)

    @property
    def missing(self) -> tuple[str, ...]:
        """The placeholders of the texts that neither the values nor the location fill."""
        return tuple(name for name in self.kind.fields if name not in self.values
                     and getattr(self.location, name, None) is None)

    def line(self) -> str:
        """One Swedish line: position, severity, message and hint."""
        where = self.location.describe()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message} {self.hint}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "hint": self.hint,
            "location": self.location.to_dict(),
            "message": self.message,
            "severity": self.severity,
        }


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_LOCATION_FIELDS = ("file", "sheet", "cell", "row", "column", "key")


def _render(template: str, values: dict[str, Any], location: Location) -> str:
    # "Bladet '{sheet}' saknas" names its sheet from where the problem is: problem() takes
    # sheet=, row=, file= … as the location, so they are never among the values
    shown = {name: _show(value) for name in _LOCATION_FIELDS
             if (value := getattr(location, name)) is not None}
    shown.update((k, _show(v)) for k, v in values.items())
    return template.format_map(_Missing(shown))


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(escape_undecodable(str(v)) for v in value)
    return escape_undecodable(str(value))


def problem(code: str, *, file: str | None = None, sheet: str | None = None,
            cell: str | None = None, row: int | None = None, column: str | None = None,
            key: str | None = None, **values: Any) -> Problem:
    """Build a Problem:
    ``problem("cell-not-number", file=f, sheet="Mål", cell="F7", value="x")``.

    A placeholder of the kind's texts that neither ``values`` nor the location fills stays
    visible as ``{name}`` in what the user reads; with the environment variable
    ``REPORTKIT_STRICT_PROBLEMS=1`` (the test suite sets it) it raises ValueError instead,
    so a call that forgets a field fails in the tests, not in a kommun's report."""
    made = Problem(code, Location(file, sheet, cell, row, column, key), values)
    if made.kind.fields and os.environ.get("REPORTKIT_STRICT_PROBLEMS") == "1":
        missing = made.missing
        if missing:
            raise ValueError(f"problem {code!r} made without {', '.join(missing)}")
    return made


class ReportkitError(Exception):
    """Raised by the library when it cannot go on; carries the Problems that stopped it."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.line() for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled with its Problems (a forked worker's error raised in the parent)
        return (type(self), (self.problems,))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


NOT_RUN = frozenset({"file-missing", "file-is-directory"})
"""A named file that is no file: the command could not run for it (exit code 2, README)."""


def exit_code(problems: list[Problem], *, any_problem: bool = False) -> int:
    """The exit code the README gives: 2 when a named file does not exist (or is a folder),
    1 with any fel (``any_problem``: any problem at all, as ``pdfcheck`` counts them), else 0."""
    if any(p.code in NOT_RUN for p in problems):
        return 2
    return 1 if (problems if any_problem else has_errors(problems)) else 0


IMPORTANCE = ("document-no-submissions", "document-inbox-not-consolidated",
              "document-data-not-loaded", "document-data-export-fel",
              "document-data-export-missing", "document-data-missing",
              "decision-source-changed", "section-text-unreadable", "section-text-missing",
              "unit-text-missing", "unit-mission-missing")
"""Which varningar matter most when they are grouped (``render``): the document's figures
first, then its texts; kinds not listed come after these, the most frequent first."""


@dataclass(frozen=True)
class ProblemGroup:
    """The problems of one kind, in the order they were found."""

    code: str
    problems: tuple[Problem, ...]

    @property
    def kind(self) -> Kind:
        return CATALOGUE[self.code]

    @property
    def count(self) -> int:
        return len(self.problems)


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """``problems`` grouped by kind, the most important first: fel before varningar, then
    :data:`IMPORTANCE`, then the largest group; equal ones in the order first found."""
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        groups.setdefault(p.code, []).append(p)
    first = {code: i for i, code in enumerate(groups)}
    rank = {code: i for i, code in enumerate(IMPORTANCE)}

    def order(code: str) -> tuple[int, int, int, int]:
        return (0 if CATALOGUE[code].severity == FEL else 1, rank.get(code, len(rank)),
                -len(groups[code]), first[code])

    return [ProblemGroup(code, tuple(groups[code])) for code in sorted(groups, key=order)]
