"""Målvärden: what an indicator is measured against, per year and for the mandatperiod.

A målvärde (``målvärde:`` in the styrmodell, one per year and optionally one for
``mandatperiod``) is one of four things:

- a number (``2026: 85``; percent in percent points), assessed by the indicator's måltyp;
- ja or nej (``måltyp: janej``), as a ``bool``;
- a range, :class:`TargetRange` (``2026: {från: 80, till: 90}``): reached inside it, edges
  included;
- a direction, :class:`TargetTrend` (``2026: ska öka`` / ``ska minska``): reached when the
  utfall is above (below) the year before's; a year's målvärde only, not the mandatperiod's.

The mandatperiod (``kommun.mandatperiod: 2023–2026``, :class:`Mandate`) says which years its
målvärde covers; in its last year the indicator is assessed against the mandatperiod's
målvärde (:func:`assessed_target`). The rules are in docs/bedomning.md; the arithmetic is in
:mod:`reportkit.styrmodell.assess`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeAlias

from reportkit.formats import DASH, format_value

__all__ = [
    "MANDATE_KEY",
    "TargetRange",
    "TargetTrend",
    "Target",
    "read_target",
    "target_to_json",
    "target_from_json",
    "target_text",
    "reading_target",
    "Mandate",
    "read_mandate",
    "mandate_of",
    "assessed_target",
]

MANDATE_KEY = "mandatperiod"
"""The key of the mandatperiod's målvärde beside the years (``målvärde: {mandatperiod: 60}``)."""

RANGE_KEYS = ("från", "till")
_TRENDS = MappingProxyType({"ska öka": True, "öka": True, "ska minska": False, "minska": False})


@dataclass(frozen=True)
class TargetRange:
    """A målvärde as a range: reached when ``low ≤ utfall ≤ high`` (``{från: 80, till: 90}``)."""

    low: float
    high: float


@dataclass(frozen=True)
class TargetTrend:
    """A målvärde as a direction: ``ska öka`` (``increase``) or ``ska minska``, reached when
    the utfall is strictly above (below) the value it is compared with."""

    increase: bool

    @property
    def text(self) -> str:
        return "Ska öka" if self.increase else "Ska minska"


Target: TypeAlias = float | bool | TargetRange | TargetTrend
"""A målvärde; ``None`` where one is used means "no målvärde"."""


def read_target(value: Any) -> Target:
    """A målvärde as the styrmodell writes it: a number, ja/nej, ``{från: …, till: …}`` or
    ``ska öka``/``ska minska`` (also ``öka``, ``minska``; any case). Raises ``ValueError`` with
    a Swedish reason."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        text = " ".join(value.split()).casefold()
        if text in _TRENDS:
            return TargetTrend(_TRENDS[text])
        number = _number(text)
        if number is not None:
            return number
        if text in _YES or text in _NO:
            return text in _YES
        raise ValueError(f"'{value}' är inget målvärde; skriv ett tal, ja eller nej, "
                         "ska öka eller ska minska, eller {från: 80, till: 90}")
    if isinstance(value, dict):
        return _read_range(value)
    if isinstance(value, TargetRange | TargetTrend):
        return value
    raise ValueError("ett målvärde är ett tal, ja eller nej, ska öka eller ska minska, "
                     "eller {från: 80, till: 90}")


# ja/nej and the words the schema took for them before (pydantic's: yes, no, true, false …)
_YES = frozenset({"ja", "yes", "y", "true", "t", "on", "sant"})
_NO = frozenset({"nej", "no", "n", "false", "f", "off", "falskt"})


def _number(text: str) -> float | None:
    """A number written as text in the YAML (``"85"``, ``"85.5"``), finite; else None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number - number == 0 else None  # not inf, not nan


def _read_range(value: dict[Any, Any]) -> TargetRange:
    unknown = [str(k) for k in value if k not in RANGE_KEYS]
    if unknown or set(value) != set(RANGE_KEYS):
        found = f"okänd nyckel '{unknown[0]}'" if unknown else "både från och till behövs"
        raise ValueError(f"{found}; ett intervall skrivs {{från: 80, till: 90}}")
    low, high = value["från"], value["till"]
    for v in (low, high):
        if isinstance(v, bool) or not isinstance(v, int | float) or v != v \
                or v in (float("inf"), float("-inf")):
            raise ValueError(f"intervallets gränser ska vara tal, inte '{v}'")
    if not low < high:
        raise ValueError(f"från ({low}) ska vara mindre än till ({high}); ett enda värde "
                         "skrivs som ett tal")
    return TargetRange(float(low), float(high))


def target_to_json(target: Target | None) -> Any:
    """A målvärde as JSON (the workbook's ``_meta``, the roll-up cache): numbers and ja/nej as
    they are, a range as ``{"från": …, "till": …}``, a direction as ``"ska öka"``."""
    if isinstance(target, TargetRange):
        return {"från": target.low, "till": target.high}
    if isinstance(target, TargetTrend):
        return target.text.lower()
    return target


def target_from_json(value: Any) -> Target | None:
    """The inverse of :func:`target_to_json` (``None`` stays ``None``)."""
    if isinstance(value, dict):
        return TargetRange(float(value["från"]), float(value["till"]))
    if isinstance(value, str):
        return TargetTrend(_TRENDS[value])
    return value


def target_text(target: Target | None, unit: str = "") -> str:
    """A målvärde in Swedish: ``85 %``, ``Ja``, ``80–90 %``, ``Ska öka``; ``–`` for none."""
    if isinstance(target, TargetRange):
        low, high = format_value(target.low), format_value(target.high, unit)
        return f"{low}{DASH}{high}"
    if isinstance(target, TargetTrend):
        return target.text
    return format_value(target, unit)


def reading_target(target: Target | None) -> float | bool | None:
    """The number a reader of utfall compares with (is 0,5 a share or 0,5 %?): a range's
    larger edge, none for a direction."""
    if isinstance(target, TargetRange):
        return max(abs(target.low), abs(target.high))
    if isinstance(target, TargetTrend):
        return None
    return target


@dataclass(frozen=True)
class Mandate:
    """The years of a mandatperiod, ``first``–``last`` inclusive (``2023–2026``)."""

    first: int
    last: int

    @property
    def text(self) -> str:
        return f"{self.first}{DASH}{self.last}"

    def years(self) -> range:
        return range(self.first, self.last + 1)


_MANDATE = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")


def read_mandate(value: Any) -> Mandate:
    """``2023–2026`` (en dash or hyphen) → :class:`Mandate`; ``ValueError`` in Swedish."""
    m = _MANDATE.match(str(value)) if isinstance(value, str) else None
    if m is None:
        raise ValueError("skriv mandatperiodens första och sista år med ett streck emellan, "
                         "t.ex. 2023–2026")
    first, last = int(m[1]), int(m[2])
    if not first < last <= first + 4:
        raise ValueError(f"{first}–{last} är ingen mandatperiod: det sista året ska komma "
                         "efter det första och perioden vara högst fyra år")
    return Mandate(first, last)


def mandate_of(year: int) -> Mandate:
    """The mandatperiod ``year`` lies in by the election calendar: the allmänna valen are held
    every fourth September (2022, 2026 …) and a new fullmäktige takes office on 15 October
    (for four years, by the kommunallagen), so the budget years 2023–2026 are one mandatperiod."""
    first = 2023 + 4 * ((year - 2023) // 4)
    return Mandate(first, first + 3)


def assessed_target(targets: Mapping[str, Target], year: int, mandate: Mandate
                    ) -> tuple[Target | None, bool]:
    """(the målvärde ``year`` is assessed against, whether it is the mandatperiod's).

    In the mandatperiod's last year an indicator with a mandatperiod målvärde is assessed
    against it (at helår, and as prognos for helår in the year's delår and tertial); in
    every other year, and without one, against the year's own målvärde (``None`` if none)."""
    if year == mandate.last and MANDATE_KEY in targets:
        return targets[MANDATE_KEY], True
    return targets.get(str(year)), False

