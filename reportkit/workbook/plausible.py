"""Is an utfall plausible? The rules ``check`` warns by and the workbook's Kontroll sheet shows.

Three rules, each a varning (the value is still accepted; the unit may be right):

- a share (``andel``: a part of a whole, in %) outside 0–100 %;
- a value more than ``factor`` times larger, or smaller, than last year's utfall (the
  workbook's "Utfall förra året");
- a negative count (an indicator counted in ``antal``, ``st`` or ``personer``).

Which indicators are shares is the styrmodell's ``andel`` (docs/styrmodell.md); without it,
an indicator in ``%`` is a share. A percentage that is not a share (självfinansieringsgrad,
budgetföljsamhet, årets resultat) is marked ``andel: false`` and is never warned for
exceeding 100 %. The same rules are written as spreadsheet formulas in ``generate.py``: both
read their parameters from here.
"""

from __future__ import annotations

import math
from typing import Any

DEFAULT_FACTOR = 3.0
"""A value more than 3 times (or less than a third of) last year's gets a varning."""

COUNT_UNITS = frozenset({"antal", "st", "st.", "personer"})
SHARE_MAX = 100.0


def is_share(unit: str, share: bool | None = None) -> bool:
    """``share`` as the styrmodell says (``andel``), else: is the unit ``%``?"""
    if share is not None:
        return bool(share)
    return unit.strip() == "%"


def is_count(unit: str) -> bool:
    return unit.strip().lower() in COUNT_UNITS


def problems(value: float, *, unit: str, share: bool, previous: Any = None,
             factor: float | None = DEFAULT_FACTOR) -> list[tuple[str, dict[str, Any]]]:
    """(catalogue code, values) for each rule ``value`` breaks; ``value`` in the indicator's
    unit (``%`` in percent points, as ``parse_indicator_value`` returns it)."""
    found: list[tuple[str, dict[str, Any]]] = []
    if share and not 0 <= value <= SHARE_MAX:
        found.append(("indicator-share-out-of-range", {"value": value}))
    if is_count(unit) and value < 0:
        found.append(("indicator-negative-count", {"value": value}))
    if far_from(value, previous, factor):
        found.append(("indicator-far-from-previous", {"value": value, "previous": previous,
                                                      "factor": factor}))
    return found


def far_from(value: float, previous: Any, factor: float | None) -> bool:
    """More than ``factor`` times last year's value, or less than its ``1/factor``: only for
    a positive last year and a value not below zero (a sign change is another rule's)."""
    if not factor or factor <= 1 or isinstance(previous, bool) \
            or not isinstance(previous, (int, float)) or not math.isfinite(previous):
        return False
    if previous <= 0 or value < 0:
        return False
    return value > previous * factor or value < previous / factor
