"""The checks behind a workbook's Kontroll sheet: one per cell that can be missing or wrong.

Each :class:`Check` is a formula that gives a Swedish message when the cell needs attention
and ``""`` when all is well, and the message the freshly written workbook shows (the cached
value; Excel and LibreOffice recompute it on opening). ``generate.py`` writes them into the
Kontroll sheet's hidden helper columns and lists the non-empty ones (layout.py).

Only functions that Excel and LibreOffice Calc both have are used (``docs/kontrollbladet.md``
lists them with their sources): IF, AND, OR, NOT, ISNUMBER, ABS, TRIM, LEFT, MID, LEN,
SUBSTITUTE, INDEX, MATCH, IFERROR and the ``&`` operator. No dynamic arrays, no TEXTJOIN,
no array formulas. The rules are those of ``check`` (intake/check.py), to be read as
reminders: the coordinator's check is the final one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportkit import texts
from reportkit.styrmodell.applicable import not_applicable
from reportkit.workbook import layout, plausible
from reportkit.workbook.content import IndicatorRow, WorkbookContent
from reportkit.workbook.parse import share_limit

NAME_CHARS = 60  # a name inside a message (Excel: at most 255 characters in a text constant)


@dataclass(frozen=True)
class Check:
    sheet: str
    cell: str
    formula: str
    """An expression (no leading ``=``) giving the message or ``""``."""
    now: str
    """What it gives in the workbook as written."""
    where: str = ""
    """A formula for the cell when it depends on the problem (an activity row), else ""."""


def _q(text: str) -> str:
    """A text constant for a formula."""
    return '"' + text.replace('"', '""') + '"'


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…"


def _if(cond: str, message: str, otherwise: str = '""') -> str:
    return f"IF({cond},{_q(message)},{otherwise})"


def _not_applicable(c: str) -> str:
    """The comment cell ``c`` begins with Ej aktuell (styrmodell/applicable.py)."""
    return f'LOWER(LEFT(TRIM({c}),10))="ej aktuell"'


def _no_motivation(c: str) -> str:
    """Nothing but Ej aktuell and punctuation in ``c`` (Excel compares texts without case)."""
    rest = f'MID(TRIM({c}),IF(LOWER(LEFT(TRIM({c}),11))="ej aktuellt",12,11),1000)'
    for ch in (":", ";", "-", "–", ".", ","):
        rest = f'SUBSTITUTE({rest},"{ch}","")'
    return f"LEN(TRIM({rest}))=0"


def checks(c: WorkbookContent) -> list[Check]:
    """Every check of ``c``'s workbook, in the order of its sheets."""
    return [*_goal_checks(c), *_indicator_checks(c), *_activity_checks(c), *_text_checks(c)]


def _cell(c: WorkbookContent, sheet: str, key: str, n: int) -> tuple[str, str]:
    """(``'Mål'!G4`` for formulas, ``G4`` as shown) of field ``key`` on row ``n`` (the
    Indikatorer sheet's columns as ``c`` has them: its Målvärde and kön columns)."""
    addr = layout.cell_of(sheet, c.period_type, key, n, c.target_headers, c.gender_headers)
    return layout.sheet_ref(sheet, addr), addr


def _goal_checks(c: WorkbookContent) -> Iterator[Check]:
    sheet, pt = layout.GOALS_SHEET, c.period_type
    for n, goal in enumerate(c.goals):
        own = c.prefill.goals.get(goal.id, {})
        name = _short(goal.name)
        if pt == "plan":
            ref, addr = _cell(c, sheet, "plan_comment", n)
            msg = texts.CHECK_MESSAGES["plan_comment"].format(goal=name)
            yield Check(sheet, addr, _if(f'TRIM({ref})=""', msg),
                        "" if own.get("plan_comment") else msg)
            continue
        a, _ = _cell(c, sheet, "assessment", n)
        p, _ = _cell(c, sheet, "proposal", n)
        m, addr = _cell(c, sheet, "motivation", n)
        msg = texts.CHECK_MESSAGES["motivation"].format(goal=name)
        yield Check(sheet, addr, _if(f'AND(TRIM({a})<>"",{a}<>{p},TRIM({m})="")', msg), "")
        ref, addr = _cell(c, sheet, "analysis", n)
        msg = texts.CHECK_MESSAGES["analysis"].format(goal=name)
        yield Check(sheet, addr, _if(f'TRIM({ref})=""', msg),
                    "" if own.get("analysis") else msg)


def percent_points(cell: str, target: Any) -> str:
    """A spreadsheet expression for a percent input cell's value in percent points, as the cell
    shows it (:func:`input_number_format`) and the reader reads it: a number from 0 to the
    share-or-percent rule's line times 100, any other as it is."""
    limit = f"{share_limit(target):.10g}"
    return f"IF(AND({cell}>=0,{cell}<={limit}),{cell}*100,{cell})"


def _value(a: str, ind: IndicatorRow) -> str:
    """The value in the indicator's unit, as the reader reads it (85 % typed is 0,85 in the
    cell; the share-or-percent rule's line, :func:`percent_points`)."""
    return percent_points(a, ind.target) if ind.unit.strip() == "%" else a


def _plausible(a: str, ind: IndicatorRow, prev: str, factor: float | None,
               forecast: bool = False) -> str:
    """Nested IFs: the first plausibility rule the number in ``a`` breaks, else ``""``."""
    name = _short(ind.name)
    key = "forecast_" if forecast else ""
    v = _value(a, ind)
    expr = '""'
    if factor and not forecast and ind.previous is not None and ind.target_type != "janej":
        msg = texts.CHECK_MESSAGES["far"].format(indicator=name, factor=_num(factor))
        expr = _if(f"AND(ISNUMBER({prev}),{prev}>0,{v}>=0,OR({v}>{prev}*{factor!r},"
                   f"{v}<{prev}/{factor!r}))", msg, expr)
    if plausible.is_count(ind.unit):
        expr = _if(f"{a}<0", texts.CHECK_MESSAGES[key + "negative"].format(indicator=name),
                   expr)
    if ind.share:
        expr = _if(f"OR({v}<0,{v}>{plausible.SHARE_MAX!r})",
                   texts.CHECK_MESSAGES[key + "share"].format(indicator=name), expr)
    return expr


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _yes_no(a: str) -> str:
    return (f'OR({a}=TRUE,{a}=FALSE,{a}=1,{a}=0,{a}="ja",{a}="nej",{a}="sant",'
            f'{a}="falskt",{a}="true",{a}="false")')


def _indicator_checks(c: WorkbookContent) -> Iterator[Check]:
    sheet, pt = layout.INDICATORS_SHEET, c.period_type
    if pt == "plan":
        return
    for n, ind in enumerate(c.indicators):
        if not ind.due:
            continue
        own = c.prefill.indicators.get(ind.id, {})
        name = _short(ind.name)
        a, addr = _cell(c, sheet, "actual", n)
        cm, cm_addr = _cell(c, sheet, "comment", n)
        prev, _ = _cell(c, sheet, "previous", n)
        missing = texts.CHECK_MESSAGES["missing"].format(indicator=name)
        if ind.target_type == "janej":
            wrong = _if(f"NOT({_yes_no(a)})",
                        texts.CHECK_MESSAGES["yes_no"].format(indicator=name))
        else:
            wrong = _if(f"NOT(ISNUMBER({a}))",
                        texts.CHECK_MESSAGES["not_number"].format(indicator=name),
                        _plausible(a, ind, prev, c.plausibility_factor))
        formula = f'IF({a}="",IF({_not_applicable(cm)},"",{_q(missing)}),{wrong})'
        yield Check(sheet, addr, formula, _indicator_now(c, ind, own, missing))
        msg = texts.CHECK_MESSAGES["not_applicable"].format(indicator=name)
        now = "" if not_applicable(own.get("comment"), own.get("actual")) != "" else msg
        yield Check(sheet, cm_addr, _if(f'AND({a}="",{_not_applicable(cm)},'
                                        f'{_no_motivation(cm)})', msg), now)
        if layout.has_forecast(pt) and ind.target_type != "janej":
            f, f_addr = _cell(c, sheet, "forecast", n)
            formula = (f'IF({f}="","",' + _if(
                f"NOT(ISNUMBER({f}))",
                texts.CHECK_MESSAGES["forecast_not_number"].format(indicator=name),
                _plausible(f, ind, prev, None, forecast=True)) + ")")
            yield Check(sheet, f_addr, formula, "")
        if ind.by_gender and c.gender_headers:
            yield from _gender_checks(c, ind, n, a)


def _gender_checks(c: WorkbookContent, ind: IndicatorRow, n: int, a: str) -> Iterator[Check]:
    """A kön cell (``kön: ja``): a number, plausible as the utfall is (not against last
    year's total), and not given without the total in Utfall (a varning in check too)."""
    sheet, name = layout.INDICATORS_SHEET, _short(ind.name)
    for key, header in zip(layout.GENDER_KEYS.values(), c.gender_headers, strict=True):
        g, addr = _cell(c, sheet, key, n)
        group = header.lower()
        no_total = _if(f'{a}=""', texts.CHECK_MESSAGES["gender_without_total"].format(
            group=group, indicator=name))
        wrong = no_total if ind.target_type == "janej" else _if(
            f"NOT(ISNUMBER({g}))",
            texts.CHECK_MESSAGES["gender_not_number"].format(group=group, indicator=name),
            _gender_plausible(g, ind, group, no_total))
        yield Check(sheet, addr, f'IF({g}="","",{wrong})', "")


def _gender_plausible(g: str, ind: IndicatorRow, group: str, otherwise: str) -> str:
    name, v = _short(ind.name), _value(g, ind)
    expr = otherwise
    if plausible.is_count(ind.unit):
        expr = _if(f"{g}<0", texts.CHECK_MESSAGES["gender_negative"].format(
            group=group, indicator=name), expr)
    if ind.share:
        expr = _if(f"OR({v}<0,{v}>{plausible.SHARE_MAX!r})",
                   texts.CHECK_MESSAGES["gender_share"].format(group=group, indicator=name),
                   expr)
    return expr


def _indicator_now(c: WorkbookContent, ind: IndicatorRow, own: dict[str, Any],
                   missing: str) -> str:
    """The message of the utfall cell as written (prefilled from an earlier answer)."""
    actual = own.get("actual")
    if actual is None:
        return "" if not_applicable(own.get("comment")) is not None else missing
    if ind.target_type == "janej" or not isinstance(actual, (int, float)):
        return ""
    found = plausible.problems(float(actual), unit=ind.unit, share=ind.share,
                               previous=ind.previous, factor=c.plausibility_factor)
    order = {"indicator-share-out-of-range": "share", "indicator-negative-count": "negative",
             "indicator-far-from-previous": "far"}
    if not found:
        return ""
    key = order[found[0][0]]
    return texts.CHECK_MESSAGES[key].format(indicator=_short(ind.name),
                                            factor=_num(c.plausibility_factor or 0))


def _activity_checks(c: WorkbookContent) -> Iterator[Check]:
    """One check per activity row, its first problem: incomplete (on the Nr cell), a start or
    an end that is not a date, an end before its start (on that cell)."""
    if not c.has_activities:
        return
    sheet, pt = layout.ACTIVITIES_SHEET, c.period_type
    keys = ("goal", "description", "responsible", "start", "end", "status", "comment")
    required = (("goal", "mål"), ("description", "aktivitet"),
                *((("status", "status"),) if pt != "plan" else ()))
    carried = c.prefill.activities
    for n in range(max(layout.ACTIVITY_ROWS, len(carried))):
        row = carried[n] if n < len(carried) else {}
        ref = {k: _cell(c, sheet, k, n)[0] for k in keys}
        at = {k: _cell(c, sheet, k, n)[1] for k in ("start", "end")}
        nr = layout.address(0, layout.FIRST_ROW + n)
        filled = "OR(" + ",".join(f'{ref[k]}<>""' for k in keys) + ")"
        incomplete = f"AND({filled},OR(" + ",".join(f'{ref[k]}=""' for k, _ in required) + "))"
        lacking = "&".join(f'IF({ref[k]}="","{word} ","")' for k, word in required)
        prefix = texts.CHECK_MESSAGES["activity"].format(nr=n + 1, row=layout.FIRST_ROW + n)
        s, e = ref["start"], ref["end"]
        bad_start = f'AND({s}<>"",NOT(ISNUMBER({s})))'
        dates = _if(bad_start, texts.CHECK_MESSAGES["start"], _if(
            f'AND({e}<>"",NOT(ISNUMBER({e})))', texts.CHECK_MESSAGES["end"],
            _if(f"AND(ISNUMBER({s}),ISNUMBER({e}),{e}<{s})",
                texts.CHECK_MESSAGES["end_before_start"])))
        formula = (f'IF({incomplete},{_q(prefix)}&SUBSTITUTE(TRIM({lacking})," ",", "),'
                   f"{dates})")
        absent = [word for k, word in required if not row.get(k)]
        if row and absent:
            now, cell = prefix + ", ".join(absent), nr
        elif row.get("start") and row.get("end") and row["end"] < row["start"]:
            now, cell = texts.CHECK_MESSAGES["end_before_start"], at["end"]
        else:
            now, cell = "", nr
        where = f'IF({incomplete},"{nr}",IF({bad_start},"{at["start"]}","{at["end"]}"))'
        yield Check(sheet, cell, formula, now, where)


def _text_checks(c: WorkbookContent) -> Iterator[Check]:
    sheet = layout.TEXTS_SHEET
    for n, (key, heading, _guidance) in enumerate(c.texts):
        ref, addr = _cell(c, sheet, "text", n)
        msg = texts.CHECK_MESSAGES["text"].format(heading=_short(heading))
        yield Check(sheet, addr, _if(f'TRIM({ref})=""', msg),
                    "" if c.prefill.texts.get(key) else msg)
