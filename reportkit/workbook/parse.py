"""Read what people type: Swedish numbers, percentages and dates, exactly or not at all.

This is reportkit's one reader of Swedish numbers: the styrkort workbooks (intake), the
history file (consolidate) and the kommun's exports (``sources.tables.parse_number``) all read
a number with :func:`parse_number`, so one text means one number everywhere.

Every parser returns ``(value, issue)``: ``issue`` is ``None`` or ``(code, values)`` for the
error catalogue, so the caller adds the file, sheet and cell. Where a text could mean two
different numbers the parser asks (an error) rather than guesses.

Accepted:
- numbers as stored by Excel or LibreOffice (floats), and text such as ``85``, ``85,5``,
  ``1 234,5`` (space, no-break space or thin space between thousands), ``1.234,5``,
  ``−12`` (Unicode minus), ``85 %``/``85%``;
- in a percent cell: ``85 %``, ``85%``, ``85`` and ``0,85`` all mean 85 %. A bare number
  above 0 and at most 1 may be a share (0,85 → 85 %) or percent points (0,6 → 0,6 %): the
  share-or-percent rule (:func:`share_or_percent`) takes the reading nearer the målvärde and
  reports only a value about equally near both;
- dates as real dates, ``2026-03-15``, ``2026-3-5``, ``20260315``, ``15/3/2026``,
  ``15/3 2026``, ``15 mars 2026``.

The rules where a text could be read more than one way (docs/bedomning.md, section 7):
- **Thousands groups** are exactly three digits after the first group of one to three:
  ``1 234 567`` is read, ``12 34`` and ``1 2345`` and ``1234 567`` are not numbers (a space
  that separates no thousands is a typo, not a separator). The same for dots: ``1.234.567``.
- **Dot thousands with a decimal comma**, ``1.234,5``, is read as 1 234,5 (how Excel shows a
  number with a German or Danish locale). The English ``1,234.5`` is ambiguous and reported:
  a comma is the Swedish decimal sign, so it could as well be a typo for ``1,2345``.
- A lone **dot** is a decimal point only where it cannot be a thousands separator: ``12.5``
  and ``0.850`` are read, ``1.234`` is ambiguous (1,234 or 1234?) and reported.
- **Minus** may be written ``-``, ``−`` (U+2212, the minus sign) or ``–`` (U+2013, the en dash
  Word and Outlook turn a typed minus into): ``–12`` is −12. An em dash is no minus.
- A **lone dash** (``-``, ``–``, ``—`` or ``−``, spaces around allowed) is how people write
  "nothing" and how reportkit shows nothing (formats.DASH): it reads as empty, like a blank
  cell, not as 0 and not as an error. This holds for dates too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

Issue = tuple[str, dict[str, Any]] | None

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
# a space between digits must separate groups of three: "1 234 567", not "12 34" or "1 2345"
_BAD_GROUPS = re.compile(
    r"\d[\s\u00a0\u2009\u202f]+(?!\d{3}(?:\D|$))\d"
    r"|\d{4,}[\s\u00a0\u2009\u202f]+\d"
    r"|[,.]\d*[\s\u00a0\u2009\u202f]+\d")
_MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4,
    "april": 4, "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_NUMBER_CHARS = re.compile(r"[+-]?[0-9.,]+")
_DIGIT = re.compile(r"\d")
_DOT_THOUSANDS_DECIMAL = re.compile(r"\d{1,3}(\.\d{3})+,\d+")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_DOT_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
# the forms most cells and history rows hold: "85", "-12", "85,5", "85 %", "85%" (ASCII digits,
# no spaces around, no thousands): read without the full parser, with the same result
_PLAIN = re.compile(r"([+-]?[0-9]+(?:,[0-9]+)?)( ?%)?")
# and what the exports hold: "-1 234,5", "1 234 567" (thousands groups of exactly three)
_GROUPED = re.compile(r"([+-]?[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3})+(?:,[0-9]+)?)( ?%)?")
_GROUPED_TO_FLOAT = str.maketrans({" ": None, "\u00a0": None, "\u2009": None, "\u202f": None,
                                   ",": "."})
# "nothing", as people write it and as formats.DASH shows it: hyphen, en dash, em dash, minus
_LONE_DASHES = frozenset("-\u2013\u2014\u2212")


def is_blank(raw: Any) -> bool:
    if type(raw) is str:
        # str.strip() drops exactly the characters _SPACES matches (tests/workbook/test_parse.py)
        return not raw.strip()
    return raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw))


def clean_text(raw: Any) -> str:
    """A text cell as a string: trailing spaces dropped, numbers shown without ``.0``."""
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat()[:10]
    return str(raw).strip()


EXCEL_CELL_CHARS = 32_767
"""The most characters one Excel cell holds. Excel cuts a longer text when it is pasted or
typed, and openpyxl and xlsxwriter when they write one (the sammanställning, the next
workbook's prefill), in every case without a word."""
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def unit_text(raw: Any) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """A text a unit wrote, made safe to store and print: :func:`clean_text`, without the
    bidirectional control characters (U+202A–U+202E embeddings and overrides, U+2066–U+2069
    isolates: a right-to-left override turns the rest of a line around in Word and hides
    what it says), and at most :data:`EXCEL_CELL_CHARS` characters.

    Returns ``(text, issues)``: each change made, or a text of exactly the cell limit (likely
    cut before it reached us), is an issue ``(code, values)`` for the caller to place."""
    text = clean_text(raw)
    if len(text) < EXCEL_CELL_CHARS and _BIDI_CONTROLS.search(text) is None:
        return text, []
    from reportkit.formats import format_number

    issues: list[tuple[str, dict[str, Any]]] = []
    found = _BIDI_CONTROLS.findall(text)
    if found:
        text = _BIDI_CONTROLS.sub("", text).strip()
        chars = sorted(set(found))
        issues.append(("text-bidi-removed", {
            "count": len(found), "chars": ", ".join(f"U+{ord(c):04X}" for c in chars)}))
    limit = format_number(EXCEL_CELL_CHARS)
    if len(text) > EXCEL_CELL_CHARS:
        issues.append(("text-truncated", {"length": format_number(len(text)), "limit": limit}))
        text = text[:EXCEL_CELL_CHARS].rstrip()
    elif len(text) == EXCEL_CELL_CHARS:
        issues.append(("text-at-cell-limit", {"limit": limit}))
    return text, issues


def parse_number(raw: Any) -> tuple[float | None, bool, Issue]:
    """Parse a number. Returns ``(value, had_percent_sign, issue)``; blank gives ``None``.

    The rules are in the module's docstring; plain forms ("85", "-12,5", "85 %"), thousands
    groups ("-1 234,5") and numbers take a fast path here, everything else
    :func:`_parse_number_full`."""
    kind = type(raw)
    if kind is str:
        m = _PLAIN.fullmatch(raw)
        if m is not None:
            return float(m[1].replace(",", ".")), m[2] is not None, None
        m = _GROUPED.fullmatch(raw)
        if m is not None:
            return float(m[1].translate(_GROUPED_TO_FLOAT)), m[2] is not None, None
    elif kind is float:
        if math.isfinite(raw):
            return raw, False, None
    elif kind is int:
        return float(raw), False, None
    return _parse_number_full(raw)


def _parse_number_full(raw: Any) -> tuple[float | None, bool, Issue]:
    """:func:`parse_number` for every input: the reference its fast path is tested against."""
    if is_blank(raw):
        return None, False, None
    if isinstance(raw, bool):
        return None, False, ("cell-not-number", {"value": "SANT" if raw else "FALSKT"})
    if isinstance(raw, (int, float)):
        value = float(raw)
        if not math.isfinite(value):
            return None, False, ("cell-not-number", {"value": str(raw)})
        return value, False, None
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return None, False, ("cell-not-number", {"value": clean_text(raw)})
    text = str(raw)
    if text.strip() in _LONE_DASHES:
        return None, False, None  # "–": nothing, as a blank cell
    if _BAD_GROUPS.search(text.strip().rstrip("%").strip()):
        # "12 34" or "1 2345": spaces that are not thousands separators; a typo, not a number
        return None, False, ("cell-not-number", {"value": text.strip()})
    compact = _SPACES.sub("", text).replace("\u2212", "-").replace("\u2013", "-")
    percent = compact.endswith("%")
    if percent:
        compact = compact[:-1]
    if not _NUMBER_CHARS.fullmatch(compact) or not _DIGIT.search(compact):
        return None, False, ("cell-not-number", {"value": text.strip()})
    sign = -1.0 if compact.startswith("-") else 1.0
    body = compact.lstrip("+-")
    if "," in body and "." in body:
        if body.rfind(",") > body.rfind(".") and _DOT_THOUSANDS_DECIMAL.fullmatch(body):
            body = body.replace(".", "").replace(",", ".")
        else:
            return None, False, ("cell-ambiguous-number", {
                "value": text.strip(), "first": body.replace(",", "").replace(".", ","),
                "second": body.replace(".", ""),
                "advice": "skriv decimalkomma och inga andra skiljetecken, t.ex. 1234,5"})
    elif "," in body:
        if body.count(",") > 1:
            return None, False, ("cell-not-number", {"value": text.strip()})
        body = body.replace(",", ".")
    elif "." in body:
        if body.count(".") > 1:
            if _DOT_THOUSANDS.fullmatch(body):
                body = body.replace(".", "")
            else:
                return None, False, ("cell-not-number", {"value": text.strip()})
        elif _DOT_AMBIGUOUS.fullmatch(body):  # 0.850 can only be a decimal
            return None, False, ("cell-ambiguous-number", {
                "value": text.strip(), "first": body.replace(".", ","),
                "second": body.replace(".", ""),
                "advice": "skriv decimalkomma, t.ex. 1,234 eller 1234"})
    try:
        return sign * float(body), percent, None
    except ValueError:
        return None, False, ("cell-not-number", {"value": text.strip()})


_YES = frozenset(("ja", "sant", "true", "1"))
_NO = frozenset(("nej", "falskt", "false", "0"))


def parse_yes_no(raw: Any) -> tuple[float | None, Issue]:
    """A ja/nej answer as 1.0 (ja) or 0.0 (nej); blank and a lone dash give ``None``.

    Read in any case: ``ja``/``nej`` (the workbook's dropdown), ``sant``/``falskt`` and
    ``TRUE``/``FALSE`` (Excel's booleans as typed in Swedish or English; a real boolean cell
    comes as ``bool``), and 1/0."""
    if raw is True or raw is False:
        return (1.0 if raw else 0.0), None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in (0, 1):
        return float(raw), None
    if is_blank(raw) or (isinstance(raw, str) and raw.strip() in _LONE_DASHES):
        return None, None
    text = clean_text(raw)
    key = text.casefold()
    if key in _YES:
        return 1.0, None
    if key in _NO:
        return 0.0, None
    return None, ("cell-not-yes-no", {"value": text})


def parse_indicator_value(raw: Any, unit: str, target: float | bool | None,
                          target_type: str = "") -> tuple[float | None, Issue]:
    """An utfall or prognos in the indicator's unit; ``%`` values come back as percent points.
    A ``janej`` indicator's value is read by :func:`parse_yes_no` (1.0 ja, 0.0 nej)."""
    value, issue, _ = read_indicator_value(raw, unit, target, target_type)
    return value, issue


def read_indicator_value(raw: Any, unit: str, target: float | bool | None,
                         target_type: str = "") -> tuple[float | None, Issue, str]:
    """:func:`parse_indicator_value` and how the share-or-percent rule read the value: ``""``
    where it did not decide, else a Swedish note for ``explain`` ("0,6 utan procenttecken
    lästes som 0,6 % …")."""
    if target_type == "janej":
        value, issue = parse_yes_no(raw)
        return value, issue, ""
    value, had_percent, issue = parse_number(raw)
    if issue or value is None:
        return None, issue, ""
    if unit != "%":
        if had_percent:
            return None, ("cell-ambiguous-number", {
                "value": clean_text(raw), "first": f"{_sv(value)} {unit}".strip(),
                "second": f"{_sv(value)} procent",
                "advice": f"indikatorn mäts i {unit or 'tal'}, skriv bara talet"}), ""
        return value, None, ""
    if had_percent or not 0 < value <= 1:
        return value, None, ""
    reading = share_or_percent(value, target)
    if reading == SHARE:
        share = round(value * 100, 10)
        return share, None, _share_note(value, share, target)
    if reading == POINTS:
        return value, None, _share_note(value, value, target)
    return None, ("cell-ambiguous-number", {
        "value": clean_text(raw).replace(".", ","), "first": f"{_sv(value)} %",
        "second": f"{_sv(value * 100)} %",
        "advice": "skriv procenttecknet, t.ex. 0,8 % eller 80 %"}), ""


SHARE, POINTS, AMBIGUOUS = "andel", "procent", "tvetydigt"
SHARE_RATIO_LOW, SHARE_RATIO_HIGH = 5.0, 20.0
"""A bare 0 < x ≤ 1 in a percent cell against målvärde m: x % when m is less than 5·x, the
share 100·x % when m is more than 20·x, ambiguous from 5·x to 20·x, both included
(docs/bedomning.md §7)."""


def share_or_percent(value: float, target: float | bool | None) -> str:
    """The share-or-percent rule for a number typed without a percent sign in a percent cell
    (docs/bedomning.md §7): :data:`SHARE` (0,85 → 85 %), :data:`POINTS` (0,6 → 0,6 %) or
    :data:`AMBIGUOUS` (ask).

    Only a number above 0 and at most 1 can be a share (a part of a whole); anything else is
    read as written (:data:`POINTS`). Of the two readings ``x %`` and ``100·x %`` the one nearer
    the målvärde, counted in times (not points), is taken: 0,6 against 2 % is 0,6 % (3⅓ times
    below) rather than 60 % (30 times above). The two are about equally near, and the value is
    ambiguous, when the målvärde is from 5 to 20 times the number (0,9 against 10 %). Without a
    målvärde in numbers the share is taken, as before; against a målvärde of 0 no reading is
    nearer and the value is ambiguous."""
    if not 0 < value <= 1:
        return POINTS
    reference = _reference(target)
    if reference is None:
        return SHARE
    if reference == 0:
        return AMBIGUOUS
    ratio = reference / value
    if ratio > SHARE_RATIO_HIGH:
        return SHARE
    if ratio < SHARE_RATIO_LOW:
        return POINTS
    return AMBIGUOUS


def share_limit(target: float | bool | None) -> float:
    """The largest number a percent cell shows (and its live formulas count) as a share: 1, or
    a tenth of a målvärde below 10 % (where the two readings of the rule are equally near);
    the number format of generate.py and the degree formula draw the line here, so that a cell
    shows what the reader will read (:func:`share_or_percent` asks only in between)."""
    reference = _reference(target)
    if not reference:
        return 1.0
    return min(1.0, reference / math.sqrt(SHARE_RATIO_LOW * SHARE_RATIO_HIGH))


def stored_percent(value: float, target: float | bool | None) -> float:
    """The number to write in a percent input cell for ``value`` percent points so that the
    reader reads it back as ``value``: itself, or the share ``value / 100`` where a bare
    ``value`` would be read as a share or asked about."""
    if share_or_percent(value, target) == POINTS:
        return value
    return value / 100


def _reference(target: float | bool | None) -> float | None:
    """The målvärde the rule measures by, in percent points; None without a number."""
    if isinstance(target, bool) or not isinstance(target, (int, float)) \
            or not math.isfinite(target):
        return None
    return abs(float(target))


def _share_note(typed: float, read: float, target: float | bool | None) -> str:
    from reportkit.texts import SHARE_RULE_NOTE, SHARE_RULE_TARGET

    other = typed if read != typed else round(typed * 100, 10)
    reference = _reference(target)
    why = SHARE_RULE_TARGET.format(target=_sv(reference)) if reference is not None else ""
    return SHARE_RULE_NOTE.format(typed=_sv(typed), read=_sv(read), other=_sv(other), why=why)


def indicator_value_key(unit: str, target: float | bool | None, target_type: str = ""
                        ) -> tuple[str, float | None, bool]:
    """What :func:`parse_indicator_value` reads a value by besides the value: two (unit, target,
    target_type) readings with the same key give the same result for every raw value (the
    history caches on it)."""
    return unit, _reference(target) if unit == "%" else None, target_type == "janej"


def parse_date(raw: Any) -> tuple[dt.date | None, Issue]:
    """A date; blank and a lone dash (``–``) give ``None`` without an issue."""
    if is_blank(raw) or (isinstance(raw, str) and raw.strip() in _LONE_DASHES):
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if not isinstance(raw, str):
        return None, ("cell-not-date", {"value": clean_text(raw)})
    text = raw.strip()
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})[/ ](\d{4})", text)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1])), None
        m = re.fullmatch(r"(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})", text.lower())
        if m and m[2] in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2]], int(m[1])), None
    except ValueError:
        pass
    return None, ("cell-not-date", {"value": text})


def _sv(value: float) -> str:
    text = f"{value:.10g}"
    return text.replace(".", ",")
