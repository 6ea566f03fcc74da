"""Swedish display formats for numbers, percentages, money and dates.

Decimal comma, a non-breaking space (U+00A0) between thousands and before ``%`` and units, so
a figure never wraps in a table cell: ``1 234,5``, ``85 %``, ``1 234 tkr``, ``2026-08-31``.
``None`` is shown as an en dash, never as ``0`` or ``None``.

Plain Python on purpose: ``reportkit check`` must start fast and babel costs an import.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"


def _group(digits: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return NBSP.join(out)


def _quantize(value: float | Decimal, decimals: int, rounding: str) -> Decimal:
    exp = Decimal(1).scaleb(-decimals)
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(exp, rounding=rounding)


_FLOAT_TEXTS_MAX = 65_536
"""How many texts of floats :func:`format_number` and :func:`format_value` remember (the
texts of one large kommun's roll-up fit many times over)."""


def format_number(value: float | int | Decimal | None, decimals: int = 0, *, floor: bool = False,
                  unicode_minus: bool = False) -> str:
    """``1234.56`` → ``1 234,6`` with ``decimals=1``. Half rounds up (away from zero).

    ``floor=True`` truncates toward minus infinity instead, for figures that must never be
    shown above what they are (a degree of 99,6 % shown as 99 %, never 100 %).
    """
    if type(value) is float:
        return _float_text(value, decimals, floor, unicode_minus)
    return _format_number(value, decimals, floor, unicode_minus)


@functools.lru_cache(maxsize=_FLOAT_TEXTS_MAX)
def _float_text(value: float, decimals: int, floor: bool, unicode_minus: bool) -> str:
    """format_number's text for a float, remembered: a roll-up formats the same few thousand
    figures tens of thousands of times (Storstad). A pure function of its arguments (a
    float, an int, two bools), so what it remembers is the same for every run and never
    stale (``tests/test_state.py``); 0.0 and -0.0 share a key, and both show as ``0``."""
    return _format_number(value, decimals, floor, unicode_minus)


def _format_number(value: float | int | Decimal | None, decimals: int, floor: bool,
                   unicode_minus: bool) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    q = _quantize(value, decimals, ROUND_FLOOR if floor else ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    sign = "-" if q < 0 else ""
    if sign and unicode_minus:
        sign = MINUS
    text = f"{abs(q):.{decimals}f}"
    whole, _, frac = text.partition(".")
    out = _group(whole)
    if frac:
        out += "," + frac
    return sign + out


def counted(n: int, singular: str, plural: str) -> str:
    """A count with its word in the right number: ``1 indikator``, ``2 indikatorer``,
    ``1 ny fil läst``, ``0 nya filer lästa`` (Swedish: the singular for one alone)."""
    return f"{n} {singular if n == 1 else plural}"


def whole_shares(amounts: Sequence[float], whole: int = 100) -> list[int]:
    """Whole shares of ``whole`` (100: percent, or kronor of a hundred) that add up to it:
    the largest remainder method, ties to the earlier amount (equal thirds are 34, 33, 33).
    Amounts of 0 or less get 0; all of them 0 or less: all 0."""
    positive = [max(float(a), 0.0) for a in amounts]
    total = sum(positive)
    if total <= 0:
        return [0] * len(positive)
    exact = [a * whole / total for a in positive]
    floors = [math.floor(e) for e in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:whole - sum(floors)]:
        floors[i] += 1
    return floors


def format_percent(ratio: float | None, decimals: int = 0, *, floor: bool = False) -> str:
    """A ratio as percent: ``0.853`` → ``85 %``; ``floor`` as in :func:`format_number`."""
    if ratio is None:
        return DASH
    # via Decimal: 0.29 * 100 is 28.999999999999996 in binary floats and would floor to 28
    points = Decimal(repr(float(ratio))) * 100
    return format_number(points, decimals, floor=floor) + NBSP + "%"


def percent_points(ratio: float, decimals: int) -> float:
    """A ratio as the percent points :func:`format_percent` shows: ``0.06876`` → ``6.9`` with
    ``decimals=1``, so the figure assessed and shown elsewhere is the one the table shows."""
    return float(_quantize(Decimal(repr(float(ratio))) * 100, decimals, ROUND_HALF_UP))


def format_value(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """An indicator value in its unit: ``%`` values are stored as percent points (85 = 85 %).

    ``decimals=None`` shows up to one decimal, dropping a trailing ``,0``. A ja/nej value
    (a ``bool``) is ``Ja`` or ``Nej``.
    """
    if value is None:
        return DASH
    if value is True or value is False:
        return "Ja" if value else "Nej"
    if type(value) is float and decimals is None:
        return _float_value_text(value, unit)
    return _format_value(value, unit, decimals)


@functools.lru_cache(maxsize=_FLOAT_TEXTS_MAX)
def _float_value_text(value: float, unit: str) -> str:
    """format_value's text for a float in a unit with the default decimals, remembered as
    format_number's (a roll-up's rule texts show every utfall and målvärde)."""
    return _format_value(value, unit, None)


def _format_value(value: float, unit: str, decimals: int | None) -> str:
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
        if decimals == 1 and abs(round(value, 1) - value) > 1e-9:
            decimals = 2
    text = format_number(value, decimals)
    if unit:
        text += NBSP + unit
    return text


def format_tkr(value: float | None) -> str:
    """Thousands of kronor, no decimals: ``-1234.4`` → ``-1 234``."""
    return format_number(value, 0)


def format_date(value: dt.date | None) -> str:
    """ISO date, as Swedish authorities write it: ``2026-08-31``."""
    if value is None:
        return DASH
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def escape_undecodable(text: str) -> str:
    """``text`` with the bytes that were not UTF-8 shown as ``\\xff``: Python keeps such bytes
    of a file name (or of an error that quotes one) as lone surrogates U+DC80–U+DCFF, which
    no UTF-8 output (JSON, SQLite, a terminal) can encode. Other lone surrogates become
    ``\\udXXX``. Text without surrogates is returned as it is."""
    if text.isascii():
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def format_path(path: str | os.PathLike[str]) -> str:
    """A file name or path as reportkit shows it (tables, lines, JSON, the store): bytes that
    are not UTF-8 as ``\\xff``, control and format characters (a newline, a right-to-left
    override U+202E, a zero-width space) as ``\\n``-style escapes, so a name can neither
    break a line or a JSON document nor pass as another name. Ordinary names (letters, digits,
    spaces, åäö) come back unchanged, and an escaped name unchanged again.

    Escaping is for display: ``enhet-\\xff.xlsx`` is the name of the file whose name holds
    the byte 0xFF, and also of a file that literally holds those four characters."""
    text = os.fspath(path)
    if text.isprintable():
        return text
    import unicodedata

    out: list[str] = []
    for char in escape_undecodable(text):
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(repr(char)[1:-1] if char in "\n\r\t" else f"\\x{ord(char):02x}")
        elif category in ("Cf", "Cs", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)
