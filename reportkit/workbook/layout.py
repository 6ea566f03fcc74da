"""Where every field of a styrkort workbook lives. The only module that knows cell addresses.

The generator (``generate.py``) writes through these specs and the reader (``read.py``) reads
through them, so moving a column can never make them disagree. A table sheet has a title in
row 1, a one-line instruction in row 2, the header in :data:`HEADER_ROW` and one row per item
from :data:`FIRST_ROW`; the first column holds the item's id (locked), which is how the reader
notices rows inserted or deleted inside a table.

The workbook is self-describing: its very hidden ``_meta`` sheet (:data:`META_SHEET`) holds the
unit, the period, the assessment scale, the expected id per row and the value of every locked
cell, so ``reportkit check`` works on a unit's own machine without the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from reportkit.styrmodell.periods import INTERIM_TYPES, is_interim

TEMPLATE_VERSION = 1

INSTRUCTIONS_SHEET = "Instruktioner"
GOALS_SHEET = "Mål"
INDICATORS_SHEET = "Indikatorer"
ACTIVITIES_SHEET = "Aktiviteter"
TEXTS_SHEET = "Texter"
CHECK_SHEET = "Kontroll"
BELOW_SHEET = "Underlag"
LISTS_SHEET = "Listor"
META_SHEET = "_meta"

TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 3
FIRST_ROW = 4
ACTIVITY_ROWS = 40

FOLLOW_UP = (*INTERIM_TYPES, "helår")
"""The periods that follow up (every type but the plan): utfall, prognos, bedömning."""

ACTIVITY_STATUSES = ("Ej påbörjad", "Pågår", "Klar", "Försenad", "Avbruten")


@dataclass(frozen=True)
class Column:
    """One column of a table sheet.

    ``key`` is the field name in code and JSON; ``kind`` is how the reader parses an input
    (``text``, ``number``, ``status``, ``date``, ``activity_status``, ``goal_ref``) or
    ``locked``/``formula`` for cells the unit does not fill.
    """

    key: str
    header: str
    width: float
    kind: str = "locked"
    prompt: str = ""
    former: tuple[str, ...] = ()  # headers of earlier releases, still read (same column)

    @property
    def is_input(self) -> bool:
        return self.kind not in ("locked", "formula")


def col_letter(index: int) -> str:
    """0-based column index → ``A``, ``B`` … ``AA`` (the one converter; xmlinfo uses it too)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """``A`` → 0, ``AA`` → 26: the inverse of :func:`col_letter` (any case)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def address(col_index: int, row: int) -> str:
    return f"{col_letter(col_index)}{row}"


def split_address(addr: str) -> tuple[int, int]:
    """``F7`` → (7, 5): the 1-based row and the 0-based column."""
    letters = addr.rstrip("0123456789")
    return int(addr[len(letters):]), col_index(letters)


AREA_HEADER = "Målområde"
"""The goal area column's header unless the styrmodell names the areas (``målområdesnamn``);
a workbook with another word keeps it in ``_meta`` (``model.area_word``), so check needs no
project."""


def goal_columns(period_type: str, area_word: str = AREA_HEADER) -> tuple[Column, ...]:
    base = (
        Column("id", "Id", 12),
        Column("name", "Mål", 32),
        Column("area", area_word, 13),
        Column("parents", "Bidrar till", 28),
    )
    if period_type == "plan":
        return base + (
            Column("plan_comment", "Kommentar till planeringen", 50, "text",
                   "Beskriv kort hur enheten ska arbeta mot målet."),
        )
    return base + (
        Column("proposal", "Förslag (beräknat)", 16, "formula"),
        Column("assessment", "Bedömning", 16, "status",
               "Välj bedömning i listan. Förslaget står förvalt; ändrar du det, skriv en "
               "motivering."),
        Column("motivation", "Motivering (om bedömningen avviker)", 26, "text",
               "Krävs när bedömningen skiljer sig från förslaget."),
        Column("analysis", "Analys", 40, "text",
               "Vad visar resultaten, vilka aktiviteter är gjorda, vilka förutsättningar "
               "har påverkat?"),
        Column("actions", "Åtgärder (om målet inte nås)", 30, "text",
               "Vad gör ni om målet inte nås eller riskerar att inte nås?"),
    )


TARGET_HEADER = "Målvärde"


def target_key(n: int) -> str:
    """The key of the ``n``-th (0-based) Målvärde column: ``target``, ``target_1`` …"""
    return "target" if n == 0 else f"target_{n}"


def gender_columns(genders: tuple[str, ...]) -> tuple[Column, ...]:
    """The utfall of kvinnor and män beside the total (``kön: ja``), headed ``genders``: the
    kommun's words (``("Kvinnor", "Män")``, ``("Flickor", "Pojkar")``); empty, none."""
    if not genders:
        return ()
    return tuple(Column(key, header, 10, "number",
                        f"Utfall för {header.lower()}, om indikatorn delas på kön. Skriv ett "
                        "tal som i Utfall.")
                 for key, header in zip(GENDER_KEYS.values(), genders, strict=True))


GENDER_KEYS = MappingProxyType({"K": "actual_k", "M": "actual_m"})
"""The kön (Kolada's letter) → the key of its column: kvinnor and män (Utfall is the total,
T)."""


def indicator_columns(period_type: str, targets: tuple[str, ...] = (),
                      genders: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The Indikatorer sheet's columns. ``targets`` heads one Målvärde column each (a plan
    over several years, a mandatperiod's målvärde beside the year's: ``("Målvärde 2026",
    "Målvärde mandatperioden 2023–2026")``); empty, one column "Målvärde" as always.
    ``genders`` heads the columns for kvinnor and män right after Utfall, when a row is split
    by kön (:func:`gender_columns`); empty (every workbook without such a row), none."""
    target_columns = tuple(Column(target_key(n), header, 10)
                           for n, header in enumerate(targets or (TARGET_HEADER,)))
    base = (
        Column("id", "Id", 14),
        Column("goal", "Mål", 26, former=("Mål-id",)),
        Column("name", "Indikator", 38),
        Column("unit", "Måttenhet", 10, former=("Enhet",)),
        Column("direction", "Bättre är", 9),
        *target_columns,
        Column("previous", "Utfall förra året", 10),
    )
    if period_type == "plan":
        return base + (
            Column("comment", "Kommentar", 40, "text"),
        )
    return base + (
        Column("actual", "Utfall", 10, "number",
               "Skriv utfallet som tal. Procent skrivs som 85 eller 85 %. Lämna tomt om "
               "mätningen inte är gjord."),
        *gender_columns(genders),
    ) + ((
        Column("forecast", "Prognos helår", 10, "number",
               "Din bedömning av utfallet för hela året."),
    ) if has_forecast(period_type) else ()) + (
        Column("degree", "Måluppfyllelse", 14, "formula"),
        Column("status", "Förslag", 16, "formula"),
        Column("comment", "Kommentar", 32, "text"),
    )


def has_forecast(period_type: str) -> bool:
    """A prognos for the year is asked for during the year only (not in the plan, not at helår)."""
    return is_interim(period_type)


def has_activities(level: str) -> bool:
    """The kommun's styrkort has no activities (DOMAIN.md, seed 000); every other level has."""
    return level != "kommun"


def activity_columns() -> tuple[Column, ...]:
    return (
        Column("row", "Nr", 5),
        Column("goal", "Mål", 30, "goal_ref", "Välj målet som aktiviteten hör till.",
               former=("Mål-id",)),
        Column("description", "Aktivitet", 40, "text", "Beskriv aktiviteten kort."),
        Column("responsible", "Ansvarig", 20, "text", "Vem ansvarar?"),
        Column("start", "Start", 12, "date", "Datum som ÅÅÅÅ-MM-DD."),
        Column("end", "Slut", 12, "date", "Datum som ÅÅÅÅ-MM-DD, inte före start."),
        Column("status", "Status", 14, "activity_status", "Välj status i listan."),
        Column("comment", "Kommentar", 34, "text"),
    )


def text_fields(period_type: str, level: str) -> tuple[tuple[str, str, str], ...]:
    """(key, heading, guidance) for each free text the level writes in the period."""
    if period_type == "plan":
        fields = [
            ("nulagesanalys", "Nulägesanalys",
             "Hur ser verksamheten ut i dag? Styrkor, svagheter och resultat."),
            ("omvarldsanalys", "Trend- och omvärldsanalys",
             "Vilka förändringar i omvärlden påverkar verksamheten de närmaste åren?"),
            ("forbattringsomraden", "Prioriterade förbättringsområden",
             "Vilka områden prioriteras under året, och varför?"),
        ]
        if level in ("nämnd", "kommun"):
            fields.append(("ekonomiska_forutsattningar", "Ekonomiska förutsättningar och "
                           "investeringar", "Ramar, större förändringar och investeringar."))
        return tuple(fields)
    return (
        ("handelser", "Händelser av väsentlig betydelse",
         "Det viktigaste som hänt under perioden, det viktigaste först."),
        ("verksamhetsuppfoljning", "Verksamhetsuppföljning",
         "Hur har verksamheten utvecklats? Volymer, kvalitet, privata utförare."),
        ("forvantad_utveckling", "Förväntad utveckling",
         "Vad väntas hända framöver, och vad betyder det för verksamheten?"),
        ("ekonomi", "Kommentar till ekonomin",
         "Förklara avvikelser mot budget och prognosen för helåret."),
        ("ekonomi_atgarder", "Åtgärder vid ekonomisk avvikelse",
         "Vad görs för att komma i balans om prognosen visar underskott?"),
    )


TEXT_COLUMNS = (
    Column("key", "Id", 4),
    Column("heading", "Rubrik", 30),
    Column("text", "Text", 100, "text"),
)

META_KEYS = (
    "template_version", "kommun", "kommun_id", "unit_id", "unit_name", "level", "period",
    "period_name", "period_type", "year", "deadline", "fingerprint", "scale", "rows", "locked",
    "model",
)
"""Rows of the ``_meta`` sheet: key in column A, value in column B (JSON for the last four).

``model`` carries what the reader needs to recompute the förslag without the styrmodell:
per indicator its target type, direction, målvärde, utgångsvärde, unit and whether it is
due this period (and, for a målvärde "ska öka", the value it is compared with); per goal its
combine rule and indicator ids; the Målvärde columns' headers (``targets``) when the sheet
has more than the one; the Kvinnor and Män columns' headers (``genders``) and each split row's
``by_gender`` when a row is split by kön (absent otherwise, so other workbooks stay as they
were and a workbook from before reads as it always did)."""


def table_sheets(level: str) -> tuple[str, ...]:
    """The sheets the reader reads values from, for a workbook of ``level``."""
    if has_activities(level):
        return (GOALS_SHEET, INDICATORS_SHEET, ACTIVITIES_SHEET, TEXTS_SHEET)
    return (GOALS_SHEET, INDICATORS_SHEET, TEXTS_SHEET)


def sheet_names(period_type: str, level: str = "enhet", below: bool = False
                ) -> tuple[str, ...]:
    """The visible sheets of a workbook, in order; ``below`` adds the read-only Underlag.
    The Kontroll sheet comes last: it is the step before sending."""
    return (INSTRUCTIONS_SHEET, *((BELOW_SHEET,) if below else ()), *table_sheets(level),
            CHECK_SHEET)


# The Kontroll sheet (generate.py): live formulas that list what is missing or looks wrong
# before the unit sends the workbook. Title in TITLE_ROW, the note in NOTE_ROW, the summary
# ("Allt ser bra ut" or how many) in CHECK_SUMMARY_ROW, the list's header in
# CHECK_HEADER_ROW and from CHECK_FIRST_ROW one row per problem found, in sheet order.
# Behind it, in hidden columns from CHECK_HELPER_COL, one row per check (from
# CHECK_FIRST_ROW): the sheet, the cell, the message formula ("" when all is well) and a
# running count of the problems so far, which the visible rows look up (INDEX/MATCH).
CHECK_SUMMARY_ROW = 3
CHECK_HEADER_ROW = 5
CHECK_FIRST_ROW = 6
CHECK_LIST_ROWS = 40
"""At most this many problems are listed; the summary counts them all."""
CHECK_COLUMNS = (
    Column("sheet", "Blad", 13),
    Column("cell", "Cell", 7),
    Column("problem", "Vad saknas eller ser fel ut", 100),
)
CHECK_HELPER_COL = 6
"""The first hidden helper column (0-based: G): sheet, cell, message, running count."""
CHECK_HELPER_KEYS = ("sheet", "cell", "message", "count")


def check_helper(key: str, n: int) -> str:
    """The A1 address of helper ``key`` of the ``n``-th check (0-based)."""
    return address(CHECK_HELPER_COL + CHECK_HELPER_KEYS.index(key), CHECK_FIRST_ROW + n)


def check_helper_range(key: str, count: int) -> str:
    """``$K$6:$K$40``: helper column ``key`` over ``count`` checks (at least one row)."""
    top, bottom = check_helper(key, 0), check_helper(key, max(count, 1) - 1)
    (r1, c1), (r2, _) = split_address(top), split_address(bottom)
    return f"${col_letter(c1)}${r1}:${col_letter(c1)}${r2}"


def check_list(key: str, n: int) -> str:
    """The A1 address of column ``key`` of the ``n``-th listed problem (0-based)."""
    return address([c.key for c in CHECK_COLUMNS].index(key), CHECK_FIRST_ROW + n)


def sheet_ref(sheet: str, addr: str) -> str:
    """``'Mål'!F4``: a cell on another sheet in a formula (the name always quoted)."""
    return "'" + sheet.replace("'", "''") + "'!" + addr


# The read-only Underlag sheet of a prefilled higher-level workbook: what has come in from the
# level below, per goal of the unit. Not a table the reader reads: title in TITLE_ROW, the
# state of the underlag (how many have reported, who is missing) in NOTE_ROW, the header in
# HEADER_ROW, and from FIRST_ROW one block per own goal: a heading row across all columns
# (goal, förslag from the underlag, counts per status, who is missing), then one row per
# goal linked below it and one per indicator measured below.
BELOW_COLUMNS = (
    Column("goal", "Id", 12),
    Column("name", "Mål eller indikator nedanför", 34),
    Column("unit", "Lämnat av", 22),
    Column("proposal", "Förslag", 17),
    Column("assessment", "Bedömning", 17),
    Column("motivation", "Motivering", 30),
    Column("analysis", "Analys", 56),
)
BELOW_PLAN_COLUMNS = (
    Column("goal", "Id", 12),
    Column("name", "Mål nedanför", 34),
    Column("unit", "Lämnat av", 22),
    Column("analysis", "Kommentar till planeringen", 70),
)


def below_columns(period_type: str) -> tuple[Column, ...]:
    return BELOW_PLAN_COLUMNS if period_type == "plan" else BELOW_COLUMNS


@cache
def columns_for(sheet: str, period_type: str, area_word: str = AREA_HEADER,
                targets: tuple[str, ...] = (), genders: tuple[str, ...] = ()
                ) -> tuple[Column, ...]:
    """The columns of a table sheet (cached: the reader asks once per cell); ``area_word``
    heads the goal area column, ``targets`` the Målvärde columns and ``genders`` the kön
    columns (:func:`indicator_columns`)."""
    if sheet == GOALS_SHEET:
        return goal_columns(period_type, area_word)
    if sheet == INDICATORS_SHEET:
        return indicator_columns(period_type, targets, genders)
    if sheet == ACTIVITIES_SHEET:
        return activity_columns()
    if sheet == TEXTS_SHEET:
        return TEXT_COLUMNS
    raise KeyError(sheet)


@cache
def column_index(sheet: str, period_type: str, key: str, targets: tuple[str, ...] = (),
                 genders: tuple[str, ...] = ()) -> int:
    for i, col in enumerate(columns_for(sheet, period_type, targets=targets, genders=genders)):
        if col.key == key:
            return i
    raise KeyError(f"{sheet}.{key}")


def cell_of(sheet: str, period_type: str, key: str, item_index: int,
            targets: tuple[str, ...] = (), genders: tuple[str, ...] = ()) -> str:
    """The A1 address of field ``key`` on the ``item_index``-th row (0-based) of ``sheet``
    (``targets`` and ``genders`` as in :func:`indicator_columns`)."""
    return address(column_index(sheet, period_type, key, targets, genders),
                   FIRST_ROW + item_index)
